// NumPy's promotion and the elementwise typing rules (src/numjit/types/array_typing.cpp).
#include <gtest/gtest.h>

#include "numjit/types/array_typing.h"

namespace t = numjit::types;
using numjit::abi::ScalarKind;

namespace {
const t::Type* s(ScalarKind k) { return t::scalar(k); }
const t::Type* arr(ScalarKind k, int nd = 1) { return t::array(k, nd, t::Layout::C); }
}  // namespace

TEST(ArrayTyping, NumpyPromotionKeepsNarrowTypes) {
  EXPECT_EQ(t::numpy_promote(s(ScalarKind::Int32), s(ScalarKind::Int32)), s(ScalarKind::Int32));
  EXPECT_EQ(t::numpy_promote(s(ScalarKind::Int8), s(ScalarKind::UInt8)), s(ScalarKind::Int16));
  EXPECT_EQ(t::numpy_promote(s(ScalarKind::Int64), s(ScalarKind::UInt64)), s(ScalarKind::Float64));
  EXPECT_EQ(t::numpy_promote(s(ScalarKind::Int16), s(ScalarKind::Float32)), s(ScalarKind::Float32));
  EXPECT_EQ(t::numpy_promote(s(ScalarKind::Int32), s(ScalarKind::Float32)), s(ScalarKind::Float64));
  EXPECT_EQ(t::numpy_promote(s(ScalarKind::Float32), s(ScalarKind::Complex64)), s(ScalarKind::Complex64));
  EXPECT_EQ(t::numpy_promote(s(ScalarKind::Float64), s(ScalarKind::Complex64)), s(ScalarKind::Complex128));
  EXPECT_EQ(t::numpy_promote(s(ScalarKind::Bool), s(ScalarKind::UInt16)), s(ScalarKind::UInt16));
}

TEST(ArrayTyping, ScalarsYieldToTheArrayKind) {
  auto elems = t::elementwise_element_types({arr(ScalarKind::Float32), s(ScalarKind::Float64)});
  EXPECT_EQ(elems[1], s(ScalarKind::Float32));
  elems = t::elementwise_element_types({arr(ScalarKind::Int32), s(ScalarKind::Int64)});
  EXPECT_EQ(elems[1], s(ScalarKind::Int32));
  elems = t::elementwise_element_types({arr(ScalarKind::Int8), s(ScalarKind::Float64)});
  EXPECT_EQ(elems[1], s(ScalarKind::Float64));  // a higher kind keeps its own type
}

TEST(ArrayTyping, BinaryResults) {
  using Op = t::BinaryOp;
  EXPECT_EQ(t::elementwise_binary_type(Op::TrueDiv, arr(ScalarKind::Int32), arr(ScalarKind::Int32)), arr(ScalarKind::Float64));
  EXPECT_EQ(t::elementwise_binary_type(Op::Add, arr(ScalarKind::Bool), arr(ScalarKind::Bool)), arr(ScalarKind::Bool));
  EXPECT_EQ(t::elementwise_binary_type(Op::Sub, arr(ScalarKind::Bool), arr(ScalarKind::Bool)), nullptr);
  EXPECT_EQ(t::elementwise_binary_type(Op::BitAnd, arr(ScalarKind::Float64), s(ScalarKind::Int64)), nullptr);
  EXPECT_EQ(t::elementwise_binary_type(Op::Mul, arr(ScalarKind::Float64, 2), arr(ScalarKind::Float64, 1)),
            arr(ScalarKind::Float64, 2));
  EXPECT_EQ(t::matmul_type(arr(ScalarKind::Float32, 2), arr(ScalarKind::Float64, 1)), arr(ScalarKind::Float64, 1));
  EXPECT_EQ(t::matmul_type(arr(ScalarKind::Int64), arr(ScalarKind::Int64)), s(ScalarKind::Int64));
}
