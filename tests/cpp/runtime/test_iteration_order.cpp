// np.nditer's order='K' walk (src/numjit/runtime/iteration_order.cpp), on the
// cases NumPy documents: C, F, broadcast, disagreeing and reversed operands.
#include <gtest/gtest.h>

#include <vector>

#include "numjit/runtime/functions.h"

namespace {

struct Walk {
  std::vector<int64_t> axes, strides, offsets;
};

Walk walk(const std::vector<int64_t>& shape, std::vector<int64_t> strides) {
  auto rank = static_cast<int64_t>(shape.size());
  int64_t operands = rank ? static_cast<int64_t>(strides.size()) / rank : 1;
  Walk w{std::vector<int64_t>(shape.size()), std::move(strides), std::vector<int64_t>(static_cast<size_t>(operands))};
  numjit_rt_nditer_order(rank, operands, shape.data(), w.strides.data(), w.offsets.data(), w.axes.data());
  return w;
}

}  // namespace

TEST(NditerOrder, CArraysWalkInCOrder) {
  EXPECT_EQ(walk({2, 3, 4}, {96, 32, 8}).axes, (std::vector<int64_t>{0, 1, 2}));
}

TEST(NditerOrder, AnFArrayWalksItsFirstAxisFastest) {
  EXPECT_EQ(walk({2, 3, 4}, {8, 16, 48}).axes, (std::vector<int64_t>{2, 1, 0}));
}

TEST(NditerOrder, BroadcastOperandsHaveNoSay) {
  // An F-ordered (2000, 1000) with a (1000,) row broadcast along axis 0.
  EXPECT_EQ(walk({2000, 1000}, {8, 16000, 0, 8}).axes, (std::vector<int64_t>{1, 0}));
}

TEST(NditerOrder, WhenOperandsDisagreeCOrderWins) {
  // A C-ordered and an F-ordered (3, 4): no swap.
  EXPECT_EQ(walk({3, 4}, {32, 8, 8, 24}).axes, (std::vector<int64_t>{0, 1}));
  // F first: still C order, as NumPy.
  EXPECT_EQ(walk({3, 4}, {8, 24, 32, 8}).axes, (std::vector<int64_t>{0, 1}));
}

TEST(NditerOrder, ReversedAxesWalkFromTheLowestAddress) {
  // a[::-1] of 5 float64: stride -8, walked forwards from offset -32.
  Walk w = walk({5}, {-8});
  EXPECT_EQ(w.strides, (std::vector<int64_t>{8}));
  EXPECT_EQ(w.offsets, (std::vector<int64_t>{-32}));
  // Not flipped when another operand steps forwards along the axis.
  w = walk({5}, {-8, 8});
  EXPECT_EQ(w.strides, (std::vector<int64_t>{-8, 8}));
  EXPECT_EQ(w.offsets, (std::vector<int64_t>{0, 0}));
  // Flipped when the other operand is broadcast along it.
  w = walk({5}, {-8, 0});
  EXPECT_EQ(w.strides, (std::vector<int64_t>{8, 0}));
  EXPECT_EQ(w.offsets, (std::vector<int64_t>{-32, 0}));
}

TEST(NditerOrder, ATransposedThreeDimensionalView) {
  // np.ones((2, 3, 4)).transpose(1, 2, 0): strides (32, 8, 96) walk axes 2, 0, 1.
  EXPECT_EQ(walk({3, 4, 2}, {32, 8, 96}).axes, (std::vector<int64_t>{2, 0, 1}));
}
