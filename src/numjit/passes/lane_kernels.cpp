#include "numjit/passes/lane_kernels.h"

namespace numjit::passes {
namespace {

using hir::ExprKind;
using hir::StmtKind;

// Expressions a lane may evaluate: no calls into jitted code (they report
// errors through a status the ufunc loop cannot return) and no slices.
bool simple_expr(const hir::Expr* e) {
  if (!e) return true;
  if (e->kind == ExprKind::Call && e->jitted) return false;
  if (e->kind == ExprKind::Slice || e->kind == ExprKind::Subscript) return false;
  for (const auto& c : e->children)
    if (!simple_expr(c.get())) return false;
  return true;
}

bool simple_assignment(const hir::Stmt& s) {
  return (s.kind == StmtKind::Assign || s.kind == StmtKind::AugAssign) && s.target->kind == ExprKind::Local &&
         simple_expr(s.value.get());
}

bool assigned_in(const hir::Function& kernel, int local) {
  std::vector<const hir::Block*> blocks{&kernel.body};
  while (!blocks.empty()) {
    const hir::Block* b = blocks.back();
    blocks.pop_back();
    for (const auto& s : *b) {
      if (s->target && s->target->kind == ExprKind::Local && s->target->local == local) return true;
      for (const hir::Block* inner : s->blocks()) blocks.push_back(inner);
    }
  }
  return false;
}

// Range bounds every lane agrees on: constants, or uniform parameters never reassigned.
bool uniform_expr(const hir::Expr& e, const hir::Function& kernel, const std::vector<bool>& uniform_params) {
  if (e.kind == ExprKind::Const) return true;
  if (e.kind == ExprKind::Local)
    return static_cast<size_t>(e.local) < kernel.param_count && uniform_params[e.local] &&
           !assigned_in(kernel, e.local);
  return false;
}

}  // namespace

std::optional<LaneKernel> lane_kernel(const hir::Function& kernel, const std::vector<bool>& uniform_params) {
  LaneKernel shape;
  const hir::Block& body = kernel.body;
  if (body.empty() || body.back()->kind != StmtKind::Return || !body.back()->value) return std::nullopt;
  shape.result = body.back()->value.get();
  if (!simple_expr(shape.result)) return std::nullopt;
  for (size_t i = 0; i + 1 < body.size(); ++i) {
    const hir::Stmt& s = *body[i];
    if (simple_assignment(s)) {
      (shape.loop ? shape.epilogue : shape.prologue).push_back(&s);
      continue;
    }
    if (s.kind != StmtKind::For || shape.loop || s.value->type->kind != types::TypeKind::Range ||
        s.target->kind != ExprKind::Local)
      return std::nullopt;
    const hir::Expr& call = *s.value;
    // A step must be a non-zero constant: a zero step would raise, which a ufunc loop cannot.
    auto range_args = call.args();
    if (range_args.size() == 3 &&
        (range_args[2].kind != ExprKind::Const || range_args[2].constant.int_value == 0))
      return std::nullopt;
    for (const hir::Expr& a : range_args)
      if (!uniform_expr(a, kernel, uniform_params)) return std::nullopt;
    for (const auto& inner : s.body)
      if (!simple_assignment(*inner)) return std::nullopt;
    shape.loop = &s;
  }
  return shape;
}

}  // namespace numjit::passes
