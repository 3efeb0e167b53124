// The plans lowering reads (src/numjit/passes/plans.cpp).
#include <gtest/gtest.h>

#include "hir_builder.h"
#include "numjit/passes/plans.h"

using namespace numjit;
using namespace numjit::testing;

TEST(Plans, RangeLoopsGetFactsAndOutermostPrangeLoopsRunInParallel) {
  // locals: a (array), b (sum), c (outer var), d (inner var)
  auto fn = function({vec, f64, i64, i64}, 1);
  fn->options.parallel = true;
  auto inner = for_range(
      3, constant(4), block(aug_assign(hir::BinaryOp::Add, local(1), subscript(local(0, vec), local(3, i64)))),
      "prange");
  auto outer = for_range(2, constant(10), block(std::move(inner)), "prange");
  const hir::Stmt* outer_loop = outer.get();
  const hir::Stmt* inner_loop = outer->body[0].get();
  fn->body = block(std::move(outer));
  passes::FunctionPlan plan = passes::plan_function(*fn);
  ASSERT_NE(plan.parallel_loop(*outer_loop), nullptr);
  EXPECT_EQ(plan.parallel_loop(*inner_loop), nullptr);  // nested prange runs serially
  EXPECT_EQ(plan.parallel_loop(*outer_loop)->reductions.size(), 1u);
  EXPECT_TRUE(plan.range_loop(*inner_loop).indexes_with_loop_variable);
  EXPECT_FALSE(plan.range_loop(*inner_loop).assigns_loop_variable);
  std::string text = passes::describe(plan, *fn);
  EXPECT_NE(text.find("prange loop runs in parallel; b is a sum reduction"), std::string::npos) << text;
}

TEST(Plans, SerialFunctionsPlanNoParallelLoops) {
  auto fn = function({vec, f64, i64}, 1);
  auto loop = for_range(
      2, constant(10), block(aug_assign(hir::BinaryOp::Add, local(1), subscript(local(0, vec), local(2, i64)))),
      "prange");
  const hir::Stmt* loop_stmt = loop.get();
  // b = 0 first: a read that may find b unassigned would raise UnboundLocalError in the loop.
  fn->body = block(assign(local(1), constant(0)), std::move(loop));
  passes::FunctionPlan plan = passes::plan_function(*fn);
  EXPECT_EQ(plan.parallel_loop(*loop_stmt), nullptr);
  EXPECT_TRUE(plan.range_loop(*loop_stmt).defers_division_checks);
}

TEST(Plans, AskingForALoopThePlannerDidNotSeeIsAnInternalError) {
  auto fn = function({vec, f64, i64}, 1);
  passes::FunctionPlan plan = passes::plan_function(*fn);
  auto stray = for_range(2, constant(3), block());
  EXPECT_THROW(plan.range_loop(*stray), CompileError);
}
