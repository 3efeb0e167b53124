#include "numjit/passes/deferred_checks.h"

namespace numjit::passes {
namespace {

using hir::ExprKind;
using hir::StmtKind;

bool expr_ok(const hir::Expr* e) {
  if (!e) return true;
  switch (e->kind) {
    case ExprKind::Slice: return false;  // a zero step raises ValueError
    case ExprKind::Call:
      if (e->callee) return false;       // other jitted code may store or raise
      break;
    case ExprKind::Binary:
      if ((e->binary_op == hir::BinaryOp::FloorDiv || e->binary_op == hir::BinaryOp::Mod) &&
          !e->type->is_float())
        return false;
      break;
    default: break;
  }
  for (const auto& c : e->children)
    if (!expr_ok(c.get())) return false;
  return true;
}

bool block_ok(const hir::Block& block) {
  for (const auto& s : block) {
    switch (s->kind) {
      case StmtKind::Assign:
      case StmtKind::AugAssign:
        if (s->target->kind != ExprKind::Local) return false;  // array stores are visible to the caller
        if (s->kind == StmtKind::AugAssign && s->target->type->is_integer() &&
            (s->op == hir::BinaryOp::FloorDiv || s->op == hir::BinaryOp::Mod))
          return false;
        break;
      case StmtKind::For: {
        // A nested range with a variable step checks it for zero.
        const hir::Expr& it = *s->value;
        if (it.type->kind == types::TypeKind::Range && it.children.size() == 4 &&
            it.children[3]->kind != ExprKind::Const)
          return false;
        if (s->target->kind != ExprKind::Local) return false;
        break;
      }
      case StmtKind::While:  // might not terminate once Python would have raised
        return false;
      case StmtKind::If:
      case StmtKind::ExprStmt:
      case StmtKind::Break:
      case StmtKind::Continue:
      case StmtKind::Pass: break;
      case StmtKind::Return:
      case StmtKind::Raise:
      case StmtKind::Assert: return false;
    }
    for (const hir::Expr* e : {s->target.get(), s->value.get(), s->message.get()})
      if (!expr_ok(e)) return false;
    if (!block_ok(s->body) || !block_ok(s->orelse)) return false;
  }
  return true;
}

}  // namespace

bool can_defer_division_checks(const hir::Stmt& loop, const hir::Options& options) {
  if (!options.python_error_model || options.boundscheck) return false;
  return block_ok(loop.body);
}

}  // namespace numjit::passes
