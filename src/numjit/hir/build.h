// Building HIR nodes in the layout hir/nodes.def declares, for the passes
// that rewrite the tree (a.flat into a.ravel(), `for k in d` into d.keys()).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::hir {

inline ExprPtr make_attribute(ExprPtr value, std::string attribute, const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Attribute, span);
  e->attribute = std::move(attribute);
  e->children.push_back(std::move(value));
  return e;
}

inline ExprPtr make_call(ExprPtr callee, std::vector<ExprPtr> args, const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Call, span);
  e->children.push_back(std::move(callee));
  e->set_args(std::move(args));
  return e;
}

// A library function by its canonical name ("np.array").
inline ExprPtr make_builtin(std::string name, const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Global, span);
  e->global = GlobalValue{.kind = GlobalValue::Kind::Builtin, .name = std::move(name)};
  return e;
}

// `:` with lower, upper and step absent.
inline ExprPtr make_full_slice(const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Slice, span);
  e->children.resize(3);
  return e;
}

inline ExprPtr make_none(const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Const, span);
  e->constant.kind = Constant::Kind::None;
  return e;
}

inline ExprPtr make_int(int64_t value, const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Const, span);
  e->constant.kind = Constant::Kind::Int;
  e->constant.int_value = value;
  return e;
}

inline ExprPtr make_bool(bool value, const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Const, span);
  e->constant.kind = Constant::Kind::Bool;
  e->constant.int_value = value;
  return e;
}

// instance[0] marked as a jitclass instance's item, the namedtuple of its fields (kJitclassItem).
inline ExprPtr make_jitclass_item(ExprPtr instance, const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Subscript, span);
  e->attribute = kJitclassItem;
  e->children.push_back(std::move(instance));
  e->children.push_back(make_int(0, span));
  return e;
}

inline ExprPtr make_str(std::string text, const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Const, span);
  e->constant.kind = Constant::Kind::Str;
  e->constant.str_value = std::move(text);
  return e;
}

// A library function by its canonical name, as a callee (`range`, `np.ndindex`).
inline bool is_builtin(const Expr& e, const std::string_view name) {
  return e.kind == ExprKind::Global && e.global.kind == GlobalValue::Kind::Builtin && e.global.name == name;
}

// A call of that library function.
inline bool is_builtin_call(const Expr& e, const std::string_view name) {
  return e.kind == ExprKind::Call && is_builtin(e.callee(), name);
}

// Calls visit(local) for each variable an assignment target binds: a name,
// or the names in a tuple or list target, at any depth.
template <typename Visit>
void for_each_bound_local(const Expr& target, const Visit& visit) {
  if (target.kind == ExprKind::Local) visit(target.local);
  if (target.kind == ExprKind::Tuple || target.kind == ExprKind::List)
    for (const ExprPtr& c : target.children)
      if (c) for_each_bound_local(*c, visit);
}

// A deep copy of an expression (for rewrites that read one target twice, as
// `s[i] += t` becoming `s[i] = s[i] + t`).
inline ExprPtr clone(const Expr& e) {
  auto out = std::make_unique<Expr>(e.kind, e.span);
  out->type = e.type;
  out->constant = e.constant;
  out->local = e.local;
  out->global = e.global;
  out->attribute = e.attribute;
  out->binary_op = e.binary_op;
  out->unary_op = e.unary_op;
  out->is_and = e.is_and;
  out->compare_ops = e.compare_ops;
  out->keyword_names = e.keyword_names;
  out->builtin = e.builtin;
  out->signature = e.signature;
  out->jitted = e.jitted;
  out->elementwise_call = e.elementwise_call;
  out->varargs_packed = e.varargs_packed;
  for (const ExprPtr& c : e.children) out->children.push_back(c ? clone(*c) : nullptr);
  return out;
}

inline ExprPtr make_local(int local, const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Local, span);
  e->local = local;
  return e;
}

inline std::vector<ExprPtr> one(ExprPtr e) {
  std::vector<ExprPtr> v;
  v.push_back(std::move(e));
  return v;
}

// `len(container) <op> 0`: what a container means as a condition (op NotEq) or under `not` (op Eq).
inline ExprPtr make_length_test(ExprPtr container, CompareOp op, const SourceSpan& span) {
  auto e = std::make_unique<Expr>(ExprKind::Compare, span);
  e->compare_ops.push_back(op);
  e->children.push_back(make_call(make_builtin("len", span), one(std::move(container)), span));
  e->children.push_back(make_int(0, span));
  return e;
}

}  // namespace numjit::hir
