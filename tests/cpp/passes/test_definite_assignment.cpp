// Which locals a read may find unassigned (src/numjit/passes/definite_assignment.cpp).
#include <gtest/gtest.h>

#include "hir_builder.h"
#include "numjit/passes/definite_assignment.h"

using namespace numjit;
using namespace numjit::testing;

namespace {

hir::StmtPtr jump(hir::StmtKind kind) { return std::make_unique<hir::Stmt>(kind, SourceSpan{1, 0, 1, 1}); }

}  // namespace

TEST(DefiniteAssignment, ParametersAndStraightLineAssignmentsNeedNoCheck) {
  // def f(a): b = a; return b
  auto fn = function({f64, f64}, 1);
  fn->body = block(assign(local(1), local(0)), ret(local(1)));
  EXPECT_EQ(passes::possibly_unassigned_reads(*fn), (std::vector<bool>{false, false}));
}

TEST(DefiniteAssignment, OneBranchLeavesTheVariableUnassigned) {
  // def f(a): if a: b = a    return b
  auto fn = function({f64, f64}, 1);
  fn->body = block(if_else(local(0), block(assign(local(1), local(0))), block()), ret(local(1)));
  EXPECT_TRUE(passes::possibly_unassigned_reads(*fn)[1]);
}

TEST(DefiniteAssignment, BothBranchesOrAReturningBranchAssign) {
  // def f(a): if a: b = a else: b = 1    return b
  auto both = function({f64, f64}, 1);
  both->body = block(if_else(local(0), block(assign(local(1), local(0))), block(assign(local(1), constant(1)))),
                     ret(local(1)));
  EXPECT_FALSE(passes::possibly_unassigned_reads(*both)[1]);
  // def f(a): if a: return a    b = a    return b
  auto early = function({f64, f64}, 1);
  early->body = block(if_else(local(0), block(ret(local(0))), block()), assign(local(1), local(0)), ret(local(1)));
  EXPECT_FALSE(passes::possibly_unassigned_reads(*early)[1]);
}

TEST(DefiniteAssignment, AConstantConditionTakesOneBranch) {
  // def f(a): if 1: b = a    return b   (the front end has dropped the dead else)
  auto taken = function({f64, f64}, 1);
  taken->body = block(if_else(constant(1), block(assign(local(1), local(0))), block()), ret(local(1)));
  EXPECT_FALSE(passes::possibly_unassigned_reads(*taken)[1]);
  // def f(a): if 0: b = a    return b
  auto skipped = function({f64, f64}, 1);
  skipped->body = block(if_else(constant(0), block(assign(local(1), local(0))), block()), ret(local(1)));
  EXPECT_TRUE(passes::possibly_unassigned_reads(*skipped)[1]);
  // def f(a): if 0: pass else: b = a    return b
  auto orelse = function({f64, f64}, 1);
  orelse->body = block(if_else(constant(0), block(), block(assign(local(1), local(0)))), ret(local(1)));
  EXPECT_FALSE(passes::possibly_unassigned_reads(*orelse)[1]);
}

TEST(DefiniteAssignment, ALoopMayRunNoTimes) {
  // def f(a): for c in range(10): b = a    return b + c
  auto fn = function({f64, f64, i64}, 1);
  fn->body = block(for_range(2, constant(10), block(assign(local(1), local(0)))),
                   ret(binary(hir::BinaryOp::Add, local(1), local(2, i64))));
  std::vector<bool> flagged = passes::possibly_unassigned_reads(*fn);
  EXPECT_TRUE(flagged[1]);
  EXPECT_TRUE(flagged[2]);  // the loop variable after an empty loop
}

TEST(DefiniteAssignment, AReadBeforeTheAssignmentInALoopBodyIsFlagged) {
  // def f(a): for c in range(10): if c: a += b    b = a
  auto fn = function({f64, f64, i64}, 1);
  fn->body = block(for_range(
      2, constant(10),
      block(if_else(local(2, i64), block(aug_assign(hir::BinaryOp::Add, local(0), local(1))), block()),
            assign(local(1), local(0)))));
  EXPECT_TRUE(passes::possibly_unassigned_reads(*fn)[1]);
}

TEST(DefiniteAssignment, CodeAfterBreakOrContinueDoesNotRun) {
  // def f(a): for c in range(10): continue; a += b      (the read never runs)
  auto fn = function({f64, f64, i64}, 1);
  fn->body = block(for_range(2, constant(10),
                             block(jump(hir::StmtKind::Continue), aug_assign(hir::BinaryOp::Add, local(0), local(1)))));
  EXPECT_FALSE(passes::possibly_unassigned_reads(*fn)[1]);
}

namespace {

hir::ExprPtr walrus(int local, hir::ExprPtr value) {
  auto e = std::make_unique<hir::Expr>(hir::ExprKind::AssignExpr, SourceSpan{1, 0, 1, 1});
  e->local = local;
  e->type = value->type;
  e->children.push_back(std::move(value));
  return e;
}

hir::ExprPtr both(hir::ExprPtr first, hir::ExprPtr second) {
  auto e = std::make_unique<hir::Expr>(hir::ExprKind::BoolOp, SourceSpan{1, 0, 1, 1});
  e->is_and = true;
  e->children.push_back(std::move(first));
  e->children.push_back(std::move(second));
  return e;
}

}  // namespace

TEST(DefiniteAssignment, AWalrusAssignsWhereItSurelyRuns) {
  // def f(a): if (b := a): pass    return b
  auto surely = function({f64, f64}, 1);
  surely->body = block(if_else(walrus(1, local(0)), block(), block()), ret(local(1)));
  EXPECT_FALSE(passes::possibly_unassigned_reads(*surely)[1]);
  // def f(a): c = a and (b := a)    return b      (the second operand may not run)
  auto maybe = function({f64, f64, f64}, 1);
  maybe->body = block(assign(local(2), both(local(0), walrus(1, local(0)))), ret(local(1)));
  EXPECT_TRUE(passes::possibly_unassigned_reads(*maybe)[1]);
}

namespace {

// try: body  except: handler  else: orelse  finally: final (any block may be empty)
hir::StmtPtr try_stmt(hir::Block body, hir::Block handler, hir::Block orelse = {}, hir::Block final = {}) {
  auto s = jump(hir::StmtKind::Try);
  s->body = std::move(body);
  auto clause = jump(hir::StmtKind::Handler);
  clause->body = std::move(handler);
  s->handlers.push_back(std::move(clause));
  s->orelse = std::move(orelse);
  s->finalbody = std::move(final);
  return s;
}

}  // namespace

TEST(DefiniteAssignment, AHandlerMayStartBeforeAnyAssignmentOfTheBody) {
  // def f(a): try: b = a; c = a  except: c = a    return b + c
  auto fn = function({f64, f64, f64}, 1);
  fn->body = block(try_stmt(block(assign(local(1), local(0)), assign(local(2), local(0))),
                            block(assign(local(2), local(0)))),
                   ret(binary(BinaryOp::Add, local(1), local(2))));
  std::vector<bool> flagged = passes::possibly_unassigned_reads(*fn);
  EXPECT_TRUE(flagged[1]);   // the handler did not assign b
  EXPECT_FALSE(flagged[2]);  // both ways assign c
}

TEST(DefiniteAssignment, AFinallyBlockMayRunAfterAnExceptionAtTheStart) {
  // def f(a): try: b = a  finally: c = b    return a   (the finally block may find b unassigned)
  auto fn = function({f64, f64, f64}, 1);
  fn->body = block(try_stmt(block(assign(local(1), local(0))), block(ret(local(0)))), ret(local(0)));
  fn->body[0]->handlers.clear();
  fn->body[0]->finalbody = block(assign(local(2), local(1)));
  EXPECT_TRUE(passes::possibly_unassigned_reads(*fn)[1]);
  // def f(a): try: b = a  except: return a  else: c = b    return b   (else and after: b is assigned)
  auto handled = function({f64, f64, f64}, 1);
  handled->body = block(try_stmt(block(assign(local(1), local(0))), block(ret(local(0))),
                                 block(assign(local(2), local(1)))),
                        ret(local(1)));
  EXPECT_FALSE(passes::possibly_unassigned_reads(*handled)[1]);
}
