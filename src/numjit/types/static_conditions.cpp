// Conditions that types alone decide, and the pruning of the branches they
// rule out (see docs/architecture.md, "Semantics worth knowing"). Numba
// prunes the same way, so code written for it may type only one branch:
// `if w is None:`, `if a.ndim == 1:`, `if mode == "full":`.
#include <optional>

#include "numjit/hir/build.h"
#include "numjit/library/arguments.h"
#include "numjit/types/array_typing.h"
#include "numjit/types/infer.h"

namespace numjit::types {

using hir::Expr;
using hir::is_builtin_call;
using hir::ExprKind;
using hir::Stmt;
using hir::StmtKind;

namespace {
bool is_unknown(const Type* t) { return t->kind == TypeKind::Unknown; }
void prune_expr(Expr& e);
}  // namespace

namespace {
// Whether a break in `b` leaves the loop whose body it is (not an inner loop).
bool breaks_out(const hir::Block& b) {
  for (const auto& s : b) {
    if (s->kind == StmtKind::Break) return true;
    if (s->kind == StmtKind::For || s->kind == StmtKind::While) continue;
    for (const hir::Block* inner : s->blocks())
      if (breaks_out(*inner)) return true;
  }
  return false;
}
}  // namespace

bool ends_in_return(const hir::Block& b) {
  if (b.empty()) return false;
  const Stmt& last = *b.back();
  if (last.kind == StmtKind::Return || last.kind == StmtKind::Raise) return true;
  if (last.kind == StmtKind::If)  // a condition types decide: only its live branch counts
    if (std::optional<bool> known = static_condition(*last.value)) return ends_in_return(*known ? last.body : last.orelse);
  if (last.kind == StmtKind::If) return ends_in_return(last.body) && ends_in_return(last.orelse);
  if (last.kind == StmtKind::Try) {
    // A finally block that leaves decides; else the body (through its else)
    // and every handler must leave, a raise in the body reaching a handler.
    if (ends_in_return(last.finalbody)) return true;
    if (!ends_in_return(last.body) && !ends_in_return(last.orelse)) return false;
    for (const auto& handler : last.handlers)
      if (!ends_in_return(handler->body)) return false;
    return true;
  }
  if (last.kind == StmtKind::While && last.value->kind == ExprKind::Const &&
      last.value->constant.int_value != 0)
    return !breaks_out(last.body);  // `while True:` without break exits only by return/raise
  return false;
}

// The value of a condition that types alone decide: `x is None` for a
// value that is or is never None, comparisons of constants and array
// ranks (`a.ndim == 2`), and not/and/or of those.
std::optional<bool> static_condition(const Expr& e) {
  if (e.kind == ExprKind::Const && (e.constant.kind == hir::Constant::Kind::Bool ||
                                    e.constant.kind == hir::Constant::Kind::Int))
    return e.constant.int_value != 0;
  if (e.kind == ExprKind::Unary && e.unary_op == hir::UnaryOp::Not) {
    std::optional<bool> inner = static_condition(e.operand());
    if (inner) return !*inner;
    return std::nullopt;
  }
  if (e.kind == ExprKind::BoolOp) {
    // `and` is decided by any false operand or all true ones; `or` mirrors it.
    bool all_known = true;
    for (const Expr& c : e.operands()) {
      std::optional<bool> v = static_condition(c);
      if (v && *v != e.is_and) return !e.is_and;
      if (!v) all_known = false;
    }
    if (all_known) return e.is_and;
    return std::nullopt;
  }
  if (e.kind == ExprKind::Binary)
    if (std::optional<int64_t> folded = library::type_decided_int(e)) return *folded != 0;
  if ((is_builtin_call(e, "np.iscomplexobj") || is_builtin_call(e, "np.isrealobj")) && e.args().size() == 1 &&
      !is_unknown(e.args()[0].type))
    return element_type(e.args()[0].type)->is_complex() == is_builtin_call(e, "np.iscomplexobj");
  if (std::optional<bool> dtypes = dtype_comparison(e)) return dtypes;
  if (is_builtin_call(e, "isinstance") && e.args().size() == 2 && !is_unknown(e.args()[0].type) &&
      !is_unknown(e.args()[1].type)) {
    std::optional<bool> by_type = library::isinstance_by_type(e.args()[0].type, e.args()[1].type);
    // An optional of the class is an instance only when it holds a value: decided at run time.
    if (by_type == true && e.args()[0].type->kind == TypeKind::Optional) return std::nullopt;
    return by_type;
  }
  if (e.kind != ExprKind::Compare || e.operands().size() != 2) return std::nullopt;
  hir::CompareOp op = e.compare_ops[0];
  const Expr& left = e.operands()[0];
  const Expr& right = e.operands()[1];
  const Type* a = left.type;
  const Type* b = right.type;
  if (is_unknown(a) || is_unknown(b)) return std::nullopt;
  bool a_none = a->kind == TypeKind::NoneType, b_none = b->kind == TypeKind::NoneType;
  if (a_none || b_none) {
    const Type* other = a_none ? b : a;
    if (other->kind == TypeKind::Optional) return std::nullopt;
    bool same = other->kind == TypeKind::NoneType;
    if (op == hir::CompareOp::Is || op == hir::CompareOp::Eq) return same;
    if (op == hir::CompareOp::IsNot || op == hir::CompareOp::NotEq) return !same;
    return std::nullopt;
  }
  if (a->kind == TypeKind::StringLiteral && b->kind == TypeKind::StringLiteral) {
    if (op == hir::CompareOp::Eq) return a->text == b->text;
    if (op == hir::CompareOp::NotEq) return a->text != b->text;
    return std::nullopt;
  }
  std::optional<int64_t> x = library::type_decided_int(left), y = library::type_decided_int(right);
  if (!x || !y) return std::nullopt;
  switch (op) {
    case hir::CompareOp::Eq: return *x == *y;
    case hir::CompareOp::NotEq: return *x != *y;
    case hir::CompareOp::Lt: return *x < *y;
    case hir::CompareOp::LtE: return *x <= *y;
    case hir::CompareOp::Gt: return *x > *y;
    case hir::CompareOp::GtE: return *x >= *y;
    default: return std::nullopt;
  }
}

std::optional<bool> dtype_comparison(const Expr& e) {
  if (e.kind != ExprKind::Compare || e.operands().size() != 2) return std::nullopt;
  hir::CompareOp op = e.compare_ops[0];
  if (op != hir::CompareOp::Eq && op != hir::CompareOp::NotEq) return std::nullopt;
  const Expr& left = e.operands()[0];
  const Expr& right = e.operands()[1];
  if (!left.type || !right.type || is_unknown(left.type) || is_unknown(right.type)) return std::nullopt;
  auto is_string = [](const Expr& x) { return x.kind == ExprKind::Const && x.constant.kind == hir::Constant::Kind::Str; };
  if (is_string(left) && is_string(right)) return std::nullopt;  // two strings compare as strings
  const Type* a = library::dtype_argument(left);
  const Type* b = library::dtype_argument(right);
  if (!a || !b) return std::nullopt;
  return (a == b) == (op == hir::CompareOp::Eq);
}


// Removes the branches static conditions rule out, so lowering never sees
// code that was not typed.
void prune(hir::Block& b) {
  for (size_t i = 0; i < b.size(); ++i) {
    if (ends_statically(*b[i])) b.resize(i + 1);
    auto& s = b[i];
    if (s->kind == StmtKind::For && s->value->type->kind == TypeKind::Tuple && s->value->type->elements.empty()) {
      s = std::make_unique<Stmt>(StmtKind::Pass, s->span);  // a loop over an empty tuple
      continue;
    }
    if (s->kind == StmtKind::If) {
      if (std::optional<bool> known = static_condition(*s->value)) {
        (*known ? s->orelse : s->body).clear();
        auto constant = std::make_unique<Expr>(ExprKind::Const, s->value->span);
        constant->constant = {.kind = hir::Constant::Kind::Bool, .int_value = *known};
        constant->type = boolean();
        s->value = std::move(constant);
      }
    }
    for (Expr* e : {s->target.get(), s->value.get(), s->message.get()}) if (e) prune_expr(*e);
    for (hir::Block* inner : s->blocks()) prune(*inner);
  }
}
namespace {
void prune_expr(Expr& e) {
  if (e.kind == ExprKind::IfExp) {
    if (std::optional<bool> known = static_condition(e.test())) {
      hir::ExprPtr live = std::move(*known ? e.body_slot() : e.orelse_slot());
      e = std::move(*live);
      prune_expr(e);
      return;
    }
  }
  for (auto& c : e.children) if (c) prune_expr(*c);
}

}  // namespace

bool has_return(const hir::Block& b) {
  for (const auto& s : b) {
    if (s->kind == StmtKind::Return) return true;
    for (const hir::Block* inner : s->blocks())
      if (has_return(*inner)) return true;
  }
  return false;
}

// An `if` whose condition types decide and whose live branch returns or raises.
bool ends_statically(const Stmt& s) {
  if (s.kind != StmtKind::If) return false;
  std::optional<bool> known = static_condition(*s.value);
  return known && ends_in_return(*known ? s.body : s.orelse);
}



}  // namespace numjit::types
