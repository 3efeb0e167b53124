#include "numjit/passes/deferred_checks.h"

#include <set>
#include <string>

#include "numjit/library/builtins.h"

namespace numjit::passes {
namespace {

using hir::ExprKind;
using hir::StmtKind;

// Library calls known never to raise: NumPy's ufuncs (elementwise rows), the
// math module and a few builtins. Anything else (list.pop, np.zeros(-1)...)
// may raise.
bool call_cannot_raise(const hir::Expr& call) {
  const library::Builtin* b = call.builtin;
  if (!b) return false;
  if (b->elementwise) return true;
  static const std::set<std::string> never = {"abs",     "min",   "max", "int",   "float", "bool",
                                              "complex", "round", "len", "range", "prange"};
  return never.count(b->name) || b->name.starts_with("math.");
}

// A float power checks at most "0 to a negative power" (ZeroDivisionError, a
// deferrable check); an integer power to an exponent that may be negative
// raises ValueError, which cannot wait for the loop's exit.
bool power_may_raise_value_error(const types::Type* result, const hir::Expr& exponent) {
  if (!result->is_integer()) return false;
  return !(exponent.kind == ExprKind::Const && exponent.constant.kind == hir::Constant::Kind::Int &&
           exponent.constant.int_value >= 0);
}

bool expr_ok(const hir::Expr* e) {
  if (!e) return true;
  switch (e->kind) {
    case ExprKind::Slice: return false;  // a zero step raises ValueError
    case ExprKind::Call:
      if (e->jitted) return false;       // other jitted code may store or raise
      if (!e->elementwise_call && !call_cannot_raise(*e)) return false;
      break;
    case ExprKind::Subscript: {
      // A list index out of range or a missing dict key raises.
      const types::TypeKind container = e->value().type->kind;
      if (container == types::TypeKind::List || container == types::TypeKind::Dict) return false;
      break;
    }
    case ExprKind::Binary:
      if ((e->binary_op == hir::BinaryOp::FloorDiv || e->binary_op == hir::BinaryOp::Mod) &&
          !e->type->is_float())
        return false;
      if (e->binary_op == hir::BinaryOp::Pow && power_may_raise_value_error(e->type, e->rhs())) return false;
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
        if (s->kind == StmtKind::AugAssign && s->op == hir::BinaryOp::Pow &&
            power_may_raise_value_error(s->target->type, *s->value))
          return false;
        break;
      case StmtKind::For: {
        // A nested range with a variable step checks it for zero.
        const hir::Expr& it = *s->value;
        if (it.type->kind == types::TypeKind::Range && it.args().size() == 3 &&
            it.args()[2].kind != ExprKind::Const)
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
