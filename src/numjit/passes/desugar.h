// Rewrites of the HIR that do not depend on types, run on each function as
// read, before inference, so that inference only annotates: `dict()` becomes
// the empty display `{}`; a name reassigned at the top level gets a new
// variable (passes/variable_versions.h), a variable holding a range becomes
// its bounds (passes/range_variables.h), and one naming a function or a
// class becomes that value (passes/constant_aliases.h).
//
// Rewrites that depend on types stay with inference, which decides them:
// `for k in d` over a dict iterates `d.keys()`, `a.flat` of an array reads
// `a.ravel()`, `a[[i, j]]` indexes with `np.array([i, j])`, a call a C++ row
// refuses goes to the library written in Python, and a jitted callee's
// skipped arguments take its defaults.
#pragma once

#include "numjit/hir/hir.h"

namespace numjit::passes {

void desugar(hir::Function& fn);

}  // namespace numjit::passes
