// Shape work and sorting of whole-array operations (src/numjit/runtime/arrays.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/arrays.h"

namespace {
int g_value_error_tag;
struct ErrorTag {
  ErrorTag() { numjit::runtime::register_exception_class(numjit::abi::ExceptionKind::ValueError, &g_value_error_tag); }
} g_tag;

int32_t broadcast(std::vector<std::vector<int64_t>> shapes, std::vector<int64_t>& out, int32_t out_ndim) {
  std::vector<int32_t> ndims;
  std::vector<const int64_t*> pointers;
  for (auto& s : shapes) {
    ndims.push_back(static_cast<int32_t>(s.size()));
    pointers.push_back(s.data());
  }
  out.resize(static_cast<size_t>(out_ndim));
  return numjit_rt_broadcast_shapes(static_cast<int32_t>(shapes.size()), ndims.data(), pointers.data(), out_ndim,
                                    out.data(), 0);
}
}  // namespace

TEST(Broadcast, ShapesCombineAsInNumPy) {
  std::vector<int64_t> out;
  ASSERT_EQ(broadcast({{3, 1}, {4}}, out, 2), numjit::abi::kStatusOk);
  EXPECT_EQ(out, (std::vector<int64_t>{3, 4}));
  ASSERT_EQ(broadcast({{1, 5}, {2, 1}, {5}}, out, 2), numjit::abi::kStatusOk);
  EXPECT_EQ(out, (std::vector<int64_t>{2, 5}));
  ASSERT_EQ(broadcast({{0}, {1}}, out, 1), numjit::abi::kStatusOk);
  EXPECT_EQ(out, (std::vector<int64_t>{0}));
}

TEST(Broadcast, MismatchNamesBothShapes) {
  std::vector<int64_t> out;
  EXPECT_EQ(broadcast({{3}, {4}}, out, 1), numjit::abi::kStatusError);
  numjit::runtime::PendingError e = numjit::runtime::take_pending_error();
  EXPECT_EQ(e.exc_class, &g_value_error_tag);
  EXPECT_EQ(e.message, "operands could not be broadcast together with shapes (3,) (4,)");
}

TEST(Broadcast, AssignmentTargetShapeIsFixed) {
  std::vector<int64_t> target{2, 3};
  std::vector<int64_t> value{3};
  int32_t nd = 1;
  const int64_t* shapes[] = {value.data()};
  EXPECT_EQ(numjit_rt_broadcast_shapes(1, &nd, shapes, 2, target.data(), 1), numjit::abi::kStatusOk);
  std::vector<int64_t> wrong{2};
  const int64_t* bad[] = {wrong.data()};
  EXPECT_EQ(numjit_rt_broadcast_shapes(1, &nd, bad, 2, target.data(), 1), numjit::abi::kStatusError);
  EXPECT_EQ(numjit::runtime::take_pending_error().message,
            "could not broadcast input array from shape (2,) into shape (2, 3)");
}

TEST(Sort, NaNsGoLastAndArgsortIsStable) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> v{3.0, nan, 1.0, 2.0, nan, 1.0};
  std::vector<int64_t> order(v.size());
  numjit_rt_argsort(reinterpret_cast<const char*>(v.data()), 6, static_cast<int32_t>(numjit::abi::ScalarKind::Float64),
                    order.data());
  EXPECT_EQ(order, (std::vector<int64_t>{2, 5, 3, 0, 1, 4}));
  numjit_rt_sort(reinterpret_cast<char*>(v.data()), 6, static_cast<int32_t>(numjit::abi::ScalarKind::Float64));
  EXPECT_EQ(v[0], 1.0);
  EXPECT_EQ(v[3], 3.0);
  EXPECT_TRUE(std::isnan(v[4]) && std::isnan(v[5]));
  std::vector<int32_t> ints{5, -2, 9, 0};
  numjit_rt_sort(reinterpret_cast<char*>(ints.data()), 4, static_cast<int32_t>(numjit::abi::ScalarKind::Int32));
  EXPECT_EQ(ints, (std::vector<int32_t>{-2, 0, 5, 9}));
}
