#include "numjit/passes/desugar.h"

#include "numjit/hir/build.h"
#include "numjit/passes/constant_aliases.h"
#include "numjit/passes/range_variables.h"
#include "numjit/passes/variable_versions.h"

namespace numjit::passes {
namespace {

using hir::Expr;
using hir::ExprKind;

void expr(Expr& e) {
  for (hir::ExprPtr& child : e.children)
    if (child) expr(*child);
  if (hir::is_builtin_call(e, "dict")) {
    if (!e.args().empty()) unsupported(e.span, "dict() takes no arguments in compiled code (use {k: v, ...})");
    e = Expr(ExprKind::Dict, e.span);
  }
}

void block(hir::Block& b) {
  for (hir::StmtPtr& s : b) {
    for (hir::ExprPtr* e : {&s->target, &s->value, &s->message})
      if (*e) expr(**e);
    for (hir::Block* inner : s->blocks()) block(*inner);
  }
}

}  // namespace

void desugar(hir::Function& fn) {
  try {
    block(fn.body);
    version_variables(fn);
    split_range_variables(fn);
    inline_constant_aliases(fn);
  } catch (CompileError& e) {
    e.locate(fn.name, fn.source);
    throw;
  }
}

}  // namespace numjit::passes
