// Which loops may defer their division-by-zero checks to the loop's exit.
//
// Under error_model='python' every float division checks its divisor, and that
// early exit stops LLVM from vectorizing the loop. When a loop body has no
// effect visible outside the function (no stores to arrays, no calls into
// other jitted code, no return, no other check that could raise), raising
// ZeroDivisionError after the loop instead of at the faulty iteration is
// indistinguishable to the caller: the exception is the same and nothing else
// was observed. The body then ORs "divisor was zero" into a flag and the
// check runs once, after the loop.
#pragma once

#include "numjit/hir/hir.h"

namespace numjit::passes {

// True when the checks of `loop` (a for-range statement) may be deferred.
// Integer // and % still check eagerly (division by zero is undefined
// behaviour in hardware), so they make a loop ineligible.
bool can_defer_division_checks(const hir::Stmt& loop, const hir::Options& options);

}  // namespace numjit::passes
