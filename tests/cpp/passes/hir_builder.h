// Small helpers to write HIR by hand in pass tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::testing {

using namespace numjit::hir;

// The types the pass tests use most.
inline const types::Type* const f64 = types::float64();
inline const types::Type* const i64 = types::int64();
inline const types::Type* const vec = types::array(types::ScalarKind::Float64, 1, types::Layout::C);

inline ExprPtr local(int index, const types::Type* type = types::float64()) {
  auto e = std::make_unique<Expr>(ExprKind::Local, SourceSpan{1, 0, 1, 1});
  e->local = index;
  e->type = type;
  return e;
}

inline ExprPtr constant(int64_t v) {
  auto e = std::make_unique<Expr>(ExprKind::Const, SourceSpan{1, 0, 1, 1});
  e->constant = {.kind = Constant::Kind::Int, .int_value = v};
  e->type = types::int64();
  return e;
}

inline ExprPtr binary(BinaryOp op, ExprPtr l, ExprPtr r, const types::Type* type = types::float64()) {
  auto e = std::make_unique<Expr>(ExprKind::Binary, SourceSpan{1, 0, 1, 1});
  e->binary_op = op;
  e->type = type;
  e->children.push_back(std::move(l));
  e->children.push_back(std::move(r));
  return e;
}

inline ExprPtr builtin(const std::string& name) {
  auto e = std::make_unique<Expr>(ExprKind::Global, SourceSpan{1, 0, 1, 1});
  e->global = {.kind = GlobalValue::Kind::Builtin, .name = name};
  return e;
}

template <typename... Args>
ExprPtr call(const std::string& name, const types::Type* type, Args... args) {
  auto e = std::make_unique<Expr>(ExprKind::Call, SourceSpan{1, 0, 1, 1});
  e->type = type;
  e->children.push_back(builtin(name));
  (e->children.push_back(std::move(args)), ...);
  return e;
}

inline ExprPtr subscript(ExprPtr array, ExprPtr index, const types::Type* type = types::float64()) {
  auto e = std::make_unique<Expr>(ExprKind::Subscript, SourceSpan{1, 0, 1, 1});
  e->type = type;
  e->children.push_back(std::move(array));
  e->children.push_back(std::move(index));
  return e;
}

inline StmtPtr assign(ExprPtr target, ExprPtr value, int line = 1) {
  auto s = std::make_unique<Stmt>(StmtKind::Assign, SourceSpan{line, 0, line, 1});
  s->target = std::move(target);
  s->value = std::move(value);
  return s;
}

inline StmtPtr aug_assign(BinaryOp op, ExprPtr target, ExprPtr value) {
  auto s = std::make_unique<Stmt>(StmtKind::AugAssign, SourceSpan{1, 0, 1, 1});
  s->op = op;
  s->target = std::move(target);
  s->value = std::move(value);
  return s;
}

// for <local> in <range_name>(stop): body
inline StmtPtr for_range(int local, ExprPtr stop, Block body, const std::string& range_name = "range") {
  auto s = std::make_unique<Stmt>(StmtKind::For, SourceSpan{1, 0, 1, 1});
  s->target = testing::local(local, types::int64());
  s->value = call(range_name, types::range(), std::move(stop));
  s->body = std::move(body);
  return s;
}

inline StmtPtr ret(ExprPtr value) {
  auto s = std::make_unique<Stmt>(StmtKind::Return, SourceSpan{1, 0, 1, 1});
  s->value = std::move(value);
  return s;
}

inline StmtPtr if_else(ExprPtr test, Block body, Block orelse) {
  auto s = std::make_unique<Stmt>(StmtKind::If, SourceSpan{1, 0, 1, 1});
  s->value = std::move(test);
  s->body = std::move(body);
  s->orelse = std::move(orelse);
  return s;
}

template <typename... Stmts>
Block block(Stmts... stmts) {
  Block b;
  (b.push_back(std::move(stmts)), ...);
  return b;
}

// A function whose locals are named a, b, c, ... with the given types; the first
// `params` are parameters.
inline std::unique_ptr<Function> function(std::vector<const types::Type*> local_types, size_t params) {
  auto fn = std::make_unique<Function>();
  fn->name = "f";
  for (size_t i = 0; i < local_types.size(); ++i)
    fn->locals.push_back({.name = std::string(1, static_cast<char>('a' + i)), .type = local_types[i],
                          .is_param = i < params});
  fn->param_count = params;
  fn->param_types.assign(local_types.begin(), local_types.begin() + params);
  return fn;
}

}  // namespace numjit::testing
