#include "numjit/passes/loop_facts.h"

namespace numjit::passes {
namespace {

using hir::ExprKind;

bool targets_local(const hir::Expr* target, int local) {
  if (!target) return false;
  if (target->kind == ExprKind::Local) return target->local == local;
  if (target->kind == ExprKind::Tuple)
    for (const hir::Expr& c : target->elements())
      if (targets_local(&c, local)) return true;
  return false;
}

bool expr_indexes(const hir::Expr* e, int local) {
  if (!e) return false;
  if (e->kind == ExprKind::Subscript)
    for (const hir::Expr& ix : e->indices())
      if (auto base = local_plus_constant(ix); base && base->local == local) return true;
  for (const auto& c : e->children)
    if (expr_indexes(c.get(), local)) return true;
  return false;
}

}  // namespace

std::optional<LocalOffset> local_plus_constant(const hir::Expr& index) {
  auto int_constant = [](const hir::Expr& e) -> std::optional<int64_t> {
    if (e.kind == ExprKind::Const && e.constant.kind == hir::Constant::Kind::Int) return e.constant.int_value;
    return std::nullopt;
  };
  if (index.kind == ExprKind::Local) return LocalOffset{index.local, 0};
  if (index.kind != ExprKind::Binary) return std::nullopt;
  bool add = index.binary_op == hir::BinaryOp::Add, sub = index.binary_op == hir::BinaryOp::Sub;
  if (!add && !sub) return std::nullopt;
  const hir::Expr& lhs = index.lhs();
  const hir::Expr& rhs = index.rhs();
  std::optional<int64_t> c = int_constant(rhs);
  if (lhs.kind == ExprKind::Local && c && *c != INT64_MIN) return LocalOffset{lhs.local, sub ? -*c : *c};
  c = int_constant(lhs);
  if (add && rhs.kind == ExprKind::Local && c) return LocalOffset{rhs.local, *c};
  return std::nullopt;
}

void walrus_targets(const hir::Expr* e, std::set<int>& out) {
  if (!e) return;
  if (e->kind == ExprKind::AssignExpr) out.insert(e->local);
  for (const auto& c : e->children) walrus_targets(c.get(), out);
}

bool assigns_local(const hir::Block& body, int local) {
  for (const auto& s : body) {
    std::set<int> walrus;
    for (const hir::Expr* e : {s->target.get(), s->value.get(), s->message.get()}) walrus_targets(e, walrus);
    if (walrus.count(local)) return true;
    bool assigning = s->kind == hir::StmtKind::Assign || s->kind == hir::StmtKind::AugAssign ||
                     s->kind == hir::StmtKind::For;
    if (assigning && targets_local(s->target.get(), local)) return true;
    if (assigns_local(s->body, local) || assigns_local(s->orelse, local)) return true;
  }
  return false;
}

bool indexes_with_local(const hir::Block& body, int local) {
  for (const auto& s : body) {
    for (const hir::Expr* e : {s->target.get(), s->value.get(), s->message.get()})
      if (expr_indexes(e, local)) return true;
    if (indexes_with_local(s->body, local) || indexes_with_local(s->orelse, local)) return true;
  }
  return false;
}

}  // namespace numjit::passes
