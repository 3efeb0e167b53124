// Numba's unification and promotion rules (src/numjit/types/unify.cpp).
#include <gtest/gtest.h>

#include "numjit/types/unify.h"

using namespace numjit::types;

TEST(Unify, IntThenFloatBecomesFloat64) {
  // s = 0; s += 0.5  -> s is float64
  EXPECT_EQ(unify(int64(), float64()), float64());
}

TEST(Unify, UnknownIsNeutral) {
  EXPECT_EQ(unify(unknown(), int64()), int64());
  EXPECT_EQ(unify(float64(), unknown()), float64());
}

TEST(Unify, NoneMakesOptional) {
  EXPECT_EQ(unify(none(), float64()), optional(float64()));
  EXPECT_EQ(unify(optional(int64()), float64()), optional(float64()));
}

TEST(Unify, IntegersOfOneSignednessWiden) {
  EXPECT_EQ(unify(scalar(ScalarKind::Int32), int64()), int64());
  EXPECT_EQ(unify(scalar(ScalarKind::UInt8), scalar(ScalarKind::UInt32)), scalar(ScalarKind::UInt32));
}

TEST(Unify, ArraysOfDifferentLayoutBecomeAny) {
  EXPECT_EQ(unify(array(ScalarKind::Float64, 2, Layout::C), array(ScalarKind::Float64, 2, Layout::F)),
            array(ScalarKind::Float64, 2, Layout::Any));
  EXPECT_EQ(unify(array(ScalarKind::Float64, 1, Layout::C), array(ScalarKind::Float64, 2, Layout::C)), nullptr);
  EXPECT_EQ(unify(array(ScalarKind::Float64, 1, Layout::C), float64()), nullptr);
}

TEST(Promote, MatchesNumba) {
  EXPECT_EQ(promote_numeric(scalar(ScalarKind::Int32), scalar(ScalarKind::Int32)), int64());
  EXPECT_EQ(promote_numeric(uint64(), int64()), float64());
  EXPECT_EQ(promote_numeric(scalar(ScalarKind::UInt32), int64()), int64());
  EXPECT_EQ(promote_numeric(scalar(ScalarKind::Float32), scalar(ScalarKind::Float32)), scalar(ScalarKind::Float32));
  EXPECT_EQ(promote_numeric(scalar(ScalarKind::Float32), int64()), float64());
  EXPECT_EQ(promote_numeric(scalar(ScalarKind::Complex64), scalar(ScalarKind::Float32)), scalar(ScalarKind::Complex64));
  EXPECT_EQ(promote_numeric(scalar(ScalarKind::Complex64), float64()), complex128());
  EXPECT_EQ(promote_numeric(boolean(), boolean()), int64());
}

TEST(BinaryResult, TrueDivisionOfIntegersIsFloat) {
  EXPECT_EQ(binary_result(BinaryOp::TrueDiv, int64(), int64()), float64());
  EXPECT_EQ(binary_result(BinaryOp::FloorDiv, int64(), int64()), int64());
  EXPECT_EQ(binary_result(BinaryOp::BitAnd, float64(), int64()), nullptr);
  EXPECT_EQ(binary_result(BinaryOp::BitAnd, boolean(), boolean()), boolean());
  EXPECT_EQ(binary_result(BinaryOp::Mod, complex128(), complex128()), nullptr);
}

TEST(Parse, RoundTripsCanonicalNames) {
  for (const Type* t : {float64(), int64(), boolean(), complex128(), array(ScalarKind::Float32, 3, Layout::F),
                        array(ScalarKind::Int8, 1, Layout::C, true), array(ScalarKind::UInt16, 2, Layout::Any)}) {
    EXPECT_EQ(parse(t->name), t) << t->name;
  }
  EXPECT_EQ(parse("array(float64, 1d, F)"), array(ScalarKind::Float64, 1, Layout::C));
  EXPECT_EQ(parse("nonsense"), nullptr);
  EXPECT_EQ(parse("array(float64, xd, C)"), nullptr);
}
