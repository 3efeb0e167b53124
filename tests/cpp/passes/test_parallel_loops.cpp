// prange analysis (src/numjit/passes/parallel_loops.cpp).
#include <gtest/gtest.h>

#include "hir_builder.h"
#include "numjit/passes/parallel_loops.h"

using namespace numjit;
using namespace numjit::testing;
using passes::ReductionKind;

namespace {

// locals: a (array param), b (sum), c (loop var), d (private), e (min)
std::unique_ptr<hir::Function> kernel() { return function({vec, f64, i64, f64, f64}, 1); }

}  // namespace

TEST(ParallelLoops, FindsReductionsPrivatesAndCaptures) {
  auto fn = kernel();
  // for c in prange(10): d = a[c] * 2; b += d; e = min(e, d)
  auto loop = for_range(2, constant(10),
                        block(assign(local(3), binary(hir::BinaryOp::Mul, subscript(local(0, vec), local(2, i64)),
                                                      local(3))),
                              aug_assign(hir::BinaryOp::Add, local(1), local(3)),
                              assign(local(4), call("min", f64, local(4), local(3)))),
                        "prange");
  // d reads itself in its first assignment: make it read a[c] only.
  loop->body[0]->value = subscript(local(0, vec), local(2, i64));
  ASSERT_TRUE(passes::is_prange_loop(*loop));
  passes::ParallelLoopPlan plan = passes::plan_parallel_loop(*loop, *fn);
  ASSERT_EQ(plan.reductions.size(), 2u);
  EXPECT_EQ(plan.reductions[0].local, 1);
  EXPECT_EQ(plan.reductions[0].kind, ReductionKind::Sum);
  EXPECT_EQ(plan.reductions[1].local, 4);
  EXPECT_EQ(plan.reductions[1].kind, ReductionKind::Min);
  EXPECT_EQ(plan.captured, std::vector<int>{0});
  EXPECT_EQ(plan.privates, std::vector<int>{3});
  EXPECT_TRUE(plan.race_warnings.empty());
}

TEST(ParallelLoops, MixedUpdatesAreNotAReduction) {
  auto fn = kernel();
  // b += a[c]; b *= 2  -> b is read before being assigned in the iteration: rejected
  auto loop = for_range(2, constant(10),
                        block(aug_assign(hir::BinaryOp::Add, local(1), subscript(local(0, vec), local(2, i64))),
                              aug_assign(hir::BinaryOp::Mul, local(1), constant(2))),
                        "prange");
  EXPECT_THROW(passes::plan_parallel_loop(*loop, *fn), CompileError);
}

TEST(ParallelLoops, SharedWriteIsARace) {
  auto fn = kernel();
  // a[0] = c  (every iteration writes the same element)
  auto loop = for_range(2, constant(10), block(assign(subscript(local(0, vec), constant(0)), local(2, i64), 7)),
                        "prange");
  passes::ParallelLoopPlan plan = passes::plan_parallel_loop(*loop, *fn);
  ASSERT_EQ(plan.race_warnings.size(), 1u);
  EXPECT_NE(plan.race_warnings[0].find("line 7"), std::string::npos);
}

TEST(ParallelLoops, ReturnInsideIsRejected) {
  auto fn = kernel();
  auto loop = for_range(2, constant(10), block(ret(local(1))), "prange");
  EXPECT_THROW(passes::plan_parallel_loop(*loop, *fn), CompileError);
}

TEST(ParallelLoops, OnlyPrangeLoopsQualify) {
  auto loop = for_range(2, constant(10), block(), "range");
  EXPECT_FALSE(passes::is_prange_loop(*loop));
}

TEST(ParallelLoops, AVariableBothBranchesAssignCarriesNothing) {
  auto fn = kernel();
  // for c in prange(10): if a[c]: d = a[c] else: d = 2    a[c] = d
  auto loop = for_range(2, constant(10),
                        block(if_else(subscript(local(0, vec), local(2, i64)),
                                      block(assign(local(3), subscript(local(0, vec), local(2, i64)))),
                                      block(assign(local(3), constant(2)))),
                              assign(subscript(local(0, vec), local(2, i64)), local(3))),
                        "prange");
  passes::ParallelLoopPlan plan = passes::plan_parallel_loop(*loop, *fn);
  EXPECT_EQ(plan.privates, std::vector<int>{3});
}

TEST(ParallelLoops, BranchesInsideAnInnerLoopCarryNothing) {
  auto fn = kernel();
  // for c in prange(10): for e in range(3): if e: d = 1 else: (if c: b = 1)  d = 2;  a[c] = d
  // (locals: e is the inner counter here; the else assigns d after an if of its own)
  auto inner = for_range(4, constant(3),
                         block(if_else(local(4), block(assign(local(3), constant(1))),
                                       block(if_else(local(2, i64), block(assign(local(1), constant(1))), block()),
                                             assign(local(3), constant(2)))),
                               assign(subscript(local(0, vec), local(2, i64)), local(3))));
  auto loop = for_range(2, constant(10), block(std::move(inner)), "prange");
  EXPECT_NO_THROW(passes::plan_parallel_loop(*loop, *fn));
}

TEST(ParallelLoops, AVariableOneBranchAssignsIsCarried) {
  auto fn = kernel();
  // for c in prange(10): if a[c]: d = 1    a[c] = d   (d may come from another iteration)
  auto loop = for_range(2, constant(10),
                        block(if_else(subscript(local(0, vec), local(2, i64)), block(assign(local(3), constant(1))),
                                      block()),
                              assign(subscript(local(0, vec), local(2, i64)), local(3))),
                        "prange");
  EXPECT_THROW(passes::plan_parallel_loop(*loop, *fn), CompileError);
}

TEST(ParallelLoops, BitwiseUpdatesAreReductions) {
  // locals: a (array param), b (&=), c (loop var), d (b = a[c] | b, reversed), e (^=)
  auto fn = function({vec, i64, i64, i64, i64}, 1);
  auto element = [] { return subscript(local(0, vec), local(2, i64)); };
  auto loop = for_range(2, constant(10),
                        block(aug_assign(hir::BinaryOp::BitAnd, local(1), element()),
                              assign(local(3), binary(hir::BinaryOp::BitOr, element(), local(3))),
                              aug_assign(hir::BinaryOp::BitXor, local(4), element())),
                        "prange");
  passes::ParallelLoopPlan plan = passes::plan_parallel_loop(*loop, *fn);
  ASSERT_EQ(plan.reductions.size(), 3u);
  EXPECT_EQ(plan.reductions[0].kind, ReductionKind::BitAnd);
  EXPECT_EQ(plan.reductions[1].kind, ReductionKind::BitOr);
  EXPECT_EQ(plan.reductions[2].kind, ReductionKind::BitXor);
  EXPECT_TRUE(plan.privates.empty());
}

TEST(ParallelLoops, MixedBitwiseUpdatesAreNotAReduction) {
  auto fn = function({vec, i64, i64, i64, i64}, 1);
  // b |= a[c]; b &= a[c]: the two do not combine in any order
  auto loop = for_range(2, constant(10),
                        block(aug_assign(hir::BinaryOp::BitOr, local(1), subscript(local(0, vec), local(2, i64))),
                              aug_assign(hir::BinaryOp::BitAnd, local(1), subscript(local(0, vec), local(2, i64)))),
                        "prange");
  EXPECT_THROW(passes::plan_parallel_loop(*loop, *fn), CompileError);
}
