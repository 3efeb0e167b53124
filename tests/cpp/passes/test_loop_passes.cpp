// Loop analyses the lowering consults: deferred division checks, loop facts,
// lane kernels (src/numjit/passes/).
#include <gtest/gtest.h>

#include "hir_builder.h"
#include "numjit/library/builtins.h"
#include "numjit/passes/deferred_checks.h"
#include "numjit/passes/lane_kernels.h"
#include "numjit/passes/loop_facts.h"

using namespace numjit;
using namespace numjit::testing;

TEST(DeferredChecks, SideEffectFreeLoopDefers) {
  hir::Options options;  // error_model='python'
  // for c in range(10): b += 1.0 / a[c]
  auto loop = for_range(2, constant(10),
                        block(aug_assign(hir::BinaryOp::Add, local(1),
                                         binary(hir::BinaryOp::TrueDiv, local(1), subscript(local(0, vec), local(2, i64))))));
  EXPECT_TRUE(passes::can_defer_division_checks(*loop, options, passes::DeferralFacts{}));
  options.python_error_model = false;  // nothing to defer under 'numpy'
  EXPECT_FALSE(passes::can_defer_division_checks(*loop, options, passes::DeferralFacts{}));
}

TEST(DeferredChecks, ArrayStoresAndIntegerFloorDivisionDoNot) {
  hir::Options options;
  auto store = for_range(2, constant(10), block(assign(subscript(local(0, vec), local(2, i64)), local(1))));
  EXPECT_FALSE(passes::can_defer_division_checks(*store, options, passes::DeferralFacts{}));
  auto floor_div = for_range(2, constant(10),
                             block(assign(local(3, i64), binary(hir::BinaryOp::FloorDiv, local(3, i64), local(2, i64), i64))));
  EXPECT_FALSE(passes::can_defer_division_checks(*floor_div, options, passes::DeferralFacts{}));
}

namespace {
// def f(a, n): out = <value>; for c in range(10): out[c] = 1.0 / a[c]; <extra>; return out
// (locals a, n, out, c, b)
std::unique_ptr<hir::Function> filling_function(ExprPtr value, StmtPtr extra = nullptr) {
  auto fn = function({vec, i64, vec, i64, vec}, 2);
  if (value->kind == hir::ExprKind::Call) value->builtin = library::find(value->callee().global.name);
  fn->body = block(assign(local(2, vec), std::move(value)),
                   for_range(3, constant(10),
                             block(assign(subscript(local(2, vec), local(3, i64)),
                                          binary(hir::BinaryOp::TrueDiv, constant(1), subscript(local(0, vec), local(3, i64)))))));
  if (extra) fn->body.push_back(std::move(extra));
  fn->body.push_back(ret(local(2, vec)));
  return fn;
}
}  // namespace

TEST(DeferredChecks, StoresIntoTheFunctionsOwnNewArrayDefer) {
  hir::Options options;
  auto fn = filling_function(call("np.empty", vec, local(1, i64)));
  passes::DeferralFacts facts = passes::deferral_facts(*fn);
  EXPECT_EQ(facts.private_arrays, std::set<int>{2});
  EXPECT_TRUE(passes::can_defer_division_checks(*fn->body[1], options, facts));
  // Told of no private array, the store is visible to the caller.
  EXPECT_FALSE(passes::can_defer_division_checks(*fn->body[1], options, passes::DeferralFacts{}));
}

TEST(DeferredChecks, AnArraySeenElsewhereIsNotPrivate) {
  // out = a (the caller's array), out = np.asarray(a) (may be the caller's)
  EXPECT_TRUE(passes::private_fresh_arrays(*filling_function(local(0, vec))).empty());
  EXPECT_TRUE(passes::private_fresh_arrays(*filling_function(call("np.asarray", vec, local(0, vec)))).empty());
  // b = out after the loop: a second name for it.
  auto aliased = filling_function(call("np.zeros", vec, local(1, i64)), assign(local(4, vec), local(2, vec)));
  EXPECT_FALSE(passes::private_fresh_arrays(*aliased).count(2));
  // A parameter never is, even given a new array: a = np.empty(n) before the loop.
  auto fn = filling_function(call("np.empty", vec, local(1, i64)));
  auto fresh_for_parameter = call("np.empty", vec, local(1, i64));
  fresh_for_parameter->builtin = library::find("np.empty");
  fn->body.insert(fn->body.begin(), assign(local(0, vec), std::move(fresh_for_parameter)));
  std::set<int> fresh = passes::private_fresh_arrays(*fn);
  EXPECT_EQ(fresh, std::set<int>{2});
}

TEST(DeferredChecks, AnIndexMadeFromAQuotientKeepsTheChecks) {
  hir::Options options;
  // out[c] = 1.0 / a[c]: the index is the loop's own.
  auto fn = filling_function(call("np.empty", vec, local(1, i64)));
  passes::DeferralFacts facts = passes::deferral_facts(*fn);
  EXPECT_TRUE(passes::can_defer_division_checks(*fn->body[1], options, facts));
  // out[int(1.0 / a[c])] = 1.0: a spoilt quotient would index far outside.
  auto quotient = binary(hir::BinaryOp::TrueDiv, constant(1), subscript(local(0, vec), local(3, i64)));
  auto as_int = call("int", i64, std::move(quotient));
  as_int->builtin = library::find("int");
  ASSERT_NE(as_int->builtin, nullptr);
  fn->body[1]->body = block(assign(subscript(local(2, vec), std::move(as_int)), constant(1)));
  EXPECT_FALSE(passes::can_defer_division_checks(*fn->body[1], options, facts));
}

TEST(LoopFacts, AssignmentAndIndexing) {
  hir::Block body = block(assign(local(1), subscript(local(0, vec), local(2, i64))));
  EXPECT_TRUE(passes::indexes_with_local(body, 2));
  EXPECT_FALSE(passes::indexes_with_local(body, 1));
  EXPECT_TRUE(passes::assigns_local(body, 1));
  EXPECT_FALSE(passes::assigns_local(body, 2));
}

TEST(LoopFacts, NeverNegativeLocals) {
  // def f(a): i = 0; j = 2; k = 0; m = 0; i += 1; j = j + 3; k -= 1; m = i; for n in range(3): pass
  // (locals a, i, j, k, m, n)
  auto fn = function({vec, i64, i64, i64, i64, i64}, 1);
  fn->body = block(assign(local(1, i64), constant(0)), assign(local(2, i64), constant(2)),
                   assign(local(3, i64), constant(0)), assign(local(4, i64), constant(0)),
                   aug_assign(hir::BinaryOp::Add, local(1, i64), constant(1)),
                   assign(local(2, i64), binary(hir::BinaryOp::Add, local(2, i64), constant(3), i64)),
                   aug_assign(hir::BinaryOp::Sub, local(3, i64), constant(1)), assign(local(4, i64), local(1, i64)),
                   for_range(5, constant(3), block()));
  std::map<int, int64_t> never_negative = passes::never_negative_locals(*fn);
  EXPECT_EQ(never_negative, (std::map<int, int64_t>{{1, 0}, {2, 2}}));
  // A parameter is never one: its value comes from the caller.
  auto with_param = function({i64}, 1);
  with_param->body = block(aug_assign(hir::BinaryOp::Add, local(0, i64), constant(1)));
  EXPECT_TRUE(passes::never_negative_locals(*with_param).empty());
  // Nor a float local, whatever its constants.
  auto with_float = function({f64}, 0);
  with_float->body = block(assign(local(0, f64), constant(0)));
  EXPECT_TRUE(passes::never_negative_locals(*with_float).empty());
}

TEST(LaneKernels, UniformLoopQualifies) {
  // def k(a, n): b = 0.0; for c in range(n): b = b * a + 1.0; return b   (locals a, n, b, c)
  auto fn = function({f64, i64, f64, i64}, 2);
  fn->body = block(assign(local(2), constant(0)),
                   for_range(3, local(1, i64),
                             block(assign(local(2), binary(hir::BinaryOp::Add,
                                                           binary(hir::BinaryOp::Mul, local(2), local(0)), constant(1))))),
                   ret(local(2)));
  auto shape = passes::lane_kernel(*fn, {false, true});
  ASSERT_TRUE(shape.has_value());
  EXPECT_EQ(shape->prologue.size(), 1u);
  EXPECT_NE(shape->loop, nullptr);
  EXPECT_TRUE(shape->epilogue.empty());
  // n differs per element: the loop is not uniform.
  EXPECT_FALSE(passes::lane_kernel(*fn, {false, false}).has_value());
}

TEST(LaneKernels, BranchesDoNotQualify) {
  auto fn = function({f64, f64}, 1);
  auto branch = std::make_unique<hir::Stmt>(hir::StmtKind::If, SourceSpan{1, 0, 1, 1});
  branch->value = local(0);
  branch->body = block(assign(local(1), local(0)));
  fn->body = block(std::move(branch), ret(local(0)));
  EXPECT_FALSE(passes::lane_kernel(*fn, {false}).has_value());
}
