// Values a deferred check may have spoilt (see spoilt_values.h for why).
#include "numjit/passes/spoilt_values.h"

#include <optional>

namespace numjit::passes {
namespace {

using hir::ExprKind;
using hir::StmtKind;

// Whether `s` holds a jump that leaves it (a return, or a break or continue
// of a loop around it); adds the tests of the Ifs the jump lies under.
bool jump_out_of(const hir::Stmt& s, bool in_own_loop, std::vector<const hir::Expr*>& tests) {
  switch (s.kind) {
    case StmtKind::Return: return true;
    case StmtKind::Break:
    case StmtKind::Continue: return !in_own_loop;
    case StmtKind::If: {
      bool out = false;
      for (const hir::Block* b : {&s.body, &s.orelse})
        for (const auto& inner : *b) out = jump_out_of(*inner, in_own_loop, tests) || out;
      if (out) tests.push_back(s.value.get());
      return out;
    }
    case StmtKind::Try:
    case StmtKind::Handler: {
      bool out = false;
      for (const hir::Block* b : s.blocks())
        for (const auto& inner : *b) out = jump_out_of(*inner, in_own_loop, tests) || out;
      return out;
    }
    case StmtKind::For:
    case StmtKind::While: {
      bool out = false;
      for (const auto& inner : s.body) out = jump_out_of(*inner, true, tests) || out;
      for (const auto& inner : s.orelse) out = jump_out_of(*inner, in_own_loop, tests) || out;
      return out;
    }
    default: return false;
  }
}

void walk(const hir::Block& block, std::vector<const hir::Expr*>& guards, const GuardedVisit& visit) {
  size_t entered_with = guards.size();
  for (const auto& s : block) {
    visit(*s, guards);
    if (s->kind == StmtKind::If) guards.push_back(s->value.get());
    for (const hir::Block* inner : s->blocks()) walk(*inner, guards, visit);
    if (s->kind == StmtKind::If) guards.pop_back();
    // What follows a jump that may have left runs only as its tests decide.
    std::vector<const hir::Expr*> tests;
    if (jump_out_of(*s, false, tests)) guards.insert(guards.end(), tests.begin(), tests.end());
  }
  guards.resize(entered_with);
}

bool defers_its_check(hir::BinaryOp op) {
  return op == hir::BinaryOp::TrueDiv || op == hir::BinaryOp::FloorDiv || op == hir::BinaryOp::Mod ||
         op == hir::BinaryOp::Pow;
}

}  // namespace

void walk_guarded(const hir::Block& block, const GuardedVisit& visit) {
  std::vector<const hir::Expr*> guards;
  walk(block, guards, visit);
}

SpoiltValues::SpoiltValues(const hir::Block& scope, const hir::Function* callee) {
  if (callee)
    for (size_t i = 0; i < callee->param_count; ++i)
      (callee->locals[i].type->is_array() ? parameter_arrays_ : spoilt_locals_).insert(static_cast<int>(i));
  // A local's assignments in the scope, each with its guards; a local bound
  // another way (a tuple, a walrus, an element of what a loop iterates) is
  // spoilt at once.
  struct Assignment {
    int local;
    const hir::Expr* value;  // null: a range loop's variable, bounds in `range`
    const hir::Expr* range;
    std::optional<hir::BinaryOp> op;
    std::vector<const hir::Expr*> guards;
  };
  std::vector<Assignment> assignments;
  std::function<void(const hir::Expr&)> note_walrus = [&](const hir::Expr& e) {
    if (e.kind == ExprKind::AssignExpr) spoilt_locals_.insert(e.local);
    for (const auto& c : e.children)
      if (c) note_walrus(*c);
  };
  std::function<void(const hir::Expr&)> spoil_targets = [&](const hir::Expr& t) {
    if (t.kind == ExprKind::Local) spoilt_locals_.insert(t.local);
    for (const auto& c : t.children)
      if (c) spoil_targets(*c);
  };
  walk_guarded(scope, [&](const hir::Stmt& s, const std::vector<const hir::Expr*>& guards) {
    const hir::Expr* target = s.target.get();
    if (target && (s.kind == StmtKind::Assign || s.kind == StmtKind::AugAssign)) {
      if (target->kind == ExprKind::Local)
        assignments.push_back({target->local, s.value.get(), nullptr,
                               s.kind == StmtKind::Assign ? std::nullopt : std::optional(s.op), guards});
      else if (target->kind == ExprKind::Subscript && target->value().kind == ExprKind::Local)
        written_arrays_.insert(target->value().local);
      else
        spoil_targets(*target);
    } else if (target && s.kind == StmtKind::For) {
      if (target->kind == ExprKind::Local && s.value->type->kind == types::TypeKind::Range)
        assignments.push_back({target->local, nullptr, s.value.get(), std::nullopt, guards});
      else
        spoil_targets(*target);
    }
    for (const hir::Expr* e : {s.value.get(), s.message.get()})
      if (e) note_walrus(*e);
  });
  // Until no more locals are found spoilt: each assignment spoils its local
  // where its value, its operation or one of its guards does.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Assignment& a : assignments) {
      if (spoilt_locals_.count(a.local)) continue;
      bool spoils = any_spoilt(a.guards) || (a.op && defers_its_check(*a.op));
      if (a.value) spoils = spoils || spoilt(*a.value);
      if (a.range)
        for (const hir::Expr& bound : a.range->args()) spoils = spoils || spoilt(bound);
      if (spoils) changed = spoilt_locals_.insert(a.local).second || changed;
    }
  }
}

bool SpoiltValues::spoilt(const hir::Expr& e) const {
  switch (e.kind) {
    case ExprKind::Const:
    case ExprKind::Global: return false;
    case ExprKind::Local: return spoilt_locals_.count(e.local) > 0;
    case ExprKind::AssignExpr: return true;
    case ExprKind::Binary:
      if (defers_its_check(e.binary_op)) return true;
      break;
    case ExprKind::Call:
      if (e.jitted) return true;  // a deferred variant goes on with what it has
      break;
    case ExprKind::Subscript: {
      const hir::Expr& array = e.value();
      if (array.kind == ExprKind::Local && (written_arrays_.count(array.local) || parameter_arrays_.count(array.local)))
        return true;
      break;
    }
    default: break;
  }
  for (const auto& c : e.children)
    if (c && spoilt(*c)) return true;
  return false;
}

bool SpoiltValues::any_spoilt(const std::vector<const hir::Expr*>& tests) const {
  for (const hir::Expr* t : tests)
    if (spoilt(*t)) return true;
  return false;
}

}  // namespace numjit::passes
