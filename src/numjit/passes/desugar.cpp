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
  // dict() is {}; dict(pairs) and dict(other) are the library's (library/dicts.py).
  if (hir::is_builtin_call(e, "dict")) {
    if (!e.keyword_names.empty()) unsupported(e.span, "dict() keyword arguments are not supported in compiled code");
    if (e.args().empty()) e = Expr(ExprKind::Dict, e.span);
    // dict(zip(keys, values)) is dict(keys, values): a zip() exists only in a loop's header.
    else if (e.args().size() == 1 && hir::is_builtin_call(e.args()[0], "zip") && e.args()[0].args().size() == 2 &&
             e.args()[0].keyword_names.empty()) {
      std::vector<hir::ExprPtr> sequences = e.args()[0].take_args();
      e.set_args(std::move(sequences));
    }
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
