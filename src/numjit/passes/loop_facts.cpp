#include "numjit/passes/loop_facts.h"

#include <algorithm>
#include <cstdint>

#include "numjit/hir/build.h"

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

bool statement_assigns_local(const hir::Stmt& s, int local) {
  std::set<int> walrus;
  for (const hir::Expr* e : {s.target.get(), s.value.get(), s.message.get()}) walrus_targets(e, walrus);
  if (walrus.count(local)) return true;
  bool assigning = s.kind == hir::StmtKind::Assign || s.kind == hir::StmtKind::AugAssign || s.kind == hir::StmtKind::For;
  if (assigning && targets_local(s.target.get(), local)) return true;
  for (const hir::Block* b : s.blocks())
    if (assigns_local(*b, local)) return true;
  return false;
}

bool assigns_local(const hir::Block& body, int local) {
  for (const auto& s : body)
    if (statement_assigns_local(*s, local)) return true;
  return false;
}

namespace {
void comparison_lower_bounds(const hir::Expr& condition, std::vector<std::pair<int, int64_t>>& bounds) {
  if (condition.kind == ExprKind::BoolOp && condition.is_and) {
    for (const hir::Expr& operand : condition.operands()) comparison_lower_bounds(operand, bounds);
    return;
  }
  if (condition.kind != ExprKind::Compare) return;
  auto operands = condition.operands();
  auto integer_local = [](const hir::Expr& e) { return e.kind == ExprKind::Local && e.type->is_integer(); };
  auto int_constant = [](const hir::Expr& e) {
    return e.kind == ExprKind::Const && e.constant.kind == hir::Constant::Kind::Int;
  };
  using Op = hir::CompareOp;
  for (size_t i = 0; i + 1 < operands.size(); ++i) {
    const hir::Expr& left = operands[i];
    const hir::Expr& right = operands[i + 1];
    Op op = condition.compare_ops[i];
    // local >= c, local > c; c <= local, c < local.
    auto add = [&](int local, int64_t c, bool strict) {
      if (!strict) bounds.emplace_back(local, c);
      else if (c != INT64_MAX) bounds.emplace_back(local, c + 1);
    };
    if (integer_local(left) && int_constant(right) && (op == Op::GtE || op == Op::Gt))
      add(left.local, right.constant.int_value, op == Op::Gt);
    if (int_constant(left) && integer_local(right) && (op == Op::LtE || op == Op::Lt))
      add(right.local, left.constant.int_value, op == Op::Lt);
  }
}
}  // namespace

std::vector<std::pair<int, int64_t>> condition_lower_bounds(const hir::Expr& condition) {
  std::vector<std::pair<int, int64_t>> bounds;
  comparison_lower_bounds(condition, bounds);
  // A walrus in the condition may assign the local after its comparison ran.
  std::set<int> walrus;
  walrus_targets(&condition, walrus);
  std::erase_if(bounds, [&](const std::pair<int, int64_t>& b) { return walrus.count(b.first) > 0; });
  return bounds;
}

namespace {

std::optional<int64_t> non_negative_constant(const hir::Expr& e) {
  if (e.kind == ExprKind::Const && e.constant.kind == hir::Constant::Kind::Int && e.constant.int_value >= 0)
    return e.constant.int_value;
  return std::nullopt;
}

bool has_length(const types::Type* t) {
  using types::TypeKind;
  switch (t->kind) {
    case TypeKind::Array:
    case TypeKind::List:
    case TypeKind::Dict:
    case TypeKind::Set:
    case TypeKind::String:
    case TypeKind::StringLiteral: return true;
    case TypeKind::Tuple: return t->class_key.empty();  // a class's tuple may have its own __len__
    default: return false;
  }
}

bool is_shape_of_array(const hir::Expr& e) {
  return e.kind == ExprKind::Attribute && e.attribute == "shape" && e.value().type->is_array();
}

// A value no container makes negative: an array's extent (`x.shape[k]`,
// `x.size`, `x.ndim`) or a length (`len(x)`).
bool is_extent(const hir::Expr& e) {
  if (e.kind == ExprKind::Subscript) return is_shape_of_array(e.value());
  if (e.kind == ExprKind::Attribute)
    return (e.attribute == "size" || e.attribute == "ndim") && e.value().type->is_array();
  return hir::is_builtin_call(e, "len") && e.keyword_names.empty() && e.args().size() == 1 &&
         has_length(e.args()[0].type);
}

// x + c or c + x, c a constant >= 0.
bool adds_to_itself(const hir::Expr& value, int local) {
  if (value.kind != ExprKind::Binary || value.binary_op != hir::BinaryOp::Add) return false;
  const hir::Expr& lhs = value.lhs();
  const hir::Expr& rhs = value.rhs();
  return (lhs.kind == ExprKind::Local && lhs.local == local && non_negative_constant(rhs)) ||
         (rhs.kind == ExprKind::Local && rhs.local == local && non_negative_constant(lhs));
}

void visit_assignments(const hir::Block& body, std::map<int, int64_t>& least, std::set<int>& others) {
  auto other = [&](const hir::Expr* target) {
    if (target) hir::for_each_bound_local(*target, [&](int local) { others.insert(local); });
  };
  for (const auto& s : body) {
    for (const hir::Expr* e : {s->target.get(), s->value.get(), s->message.get()}) walrus_targets(e, others);
    const hir::Expr* target = s->target.get();
    bool local_target = target && target->kind == ExprKind::Local;
    auto at_least = [&](int local, int64_t c) {
      auto [it, added] = least.emplace(local, c);
      if (!added) it->second = std::min(it->second, c);
    };
    if (s->kind == hir::StmtKind::Assign && local_target) {
      if (std::optional<int64_t> c = non_negative_constant(*s->value)) {
        at_least(target->local, *c);
      } else if (is_extent(*s->value)) {
        at_least(target->local, 0);
      } else if (!adds_to_itself(*s->value, target->local)) {
        others.insert(target->local);
      }
    } else if (s->kind == hir::StmtKind::Assign && target && target->kind == ExprKind::Tuple &&
               is_shape_of_array(*s->value)) {  // n, m = x.shape
      for (const hir::Expr& element : target->elements()) {
        if (element.kind == ExprKind::Local) at_least(element.local, 0);
        else other(&element);
      }
    } else if (s->kind == hir::StmtKind::AugAssign && local_target) {
      if (s->op != hir::BinaryOp::Add || !non_negative_constant(*s->value)) others.insert(target->local);
    } else if (s->kind == hir::StmtKind::Assign || s->kind == hir::StmtKind::For) {
      other(target);
    }
    for (const hir::Block* b : s->blocks()) visit_assignments(*b, least, others);
  }
}

}  // namespace

std::map<int, int64_t> never_negative_locals(const hir::Function& fn) {
  std::map<int, int64_t> least;
  std::set<int> others;
  for (size_t i = 0; i < fn.param_count; ++i) others.insert(static_cast<int>(i));
  visit_assignments(fn.body, least, others);
  std::erase_if(least, [&](const std::pair<const int, int64_t>& entry) {
    const types::Type* t = fn.locals[static_cast<size_t>(entry.first)].type;
    return others.count(entry.first) || !t->is_integer() || !t->is_signed() || t->bits() != 64;
  });
  return least;
}

bool indexes_with_local(const hir::Block& body, int local) {
  for (const auto& s : body) {
    for (const hir::Expr* e : {s->target.get(), s->value.get(), s->message.get()})
      if (expr_indexes(e, local)) return true;
    for (const hir::Block* b : s->blocks())
      if (indexes_with_local(*b, local)) return true;
  }
  return false;
}

}  // namespace numjit::passes
