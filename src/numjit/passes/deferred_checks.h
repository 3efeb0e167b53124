// Which loops may defer their division-by-zero checks to the loop's exit.
//
// Under error_model='python' every float division checks its divisor, and that
// early exit stops LLVM from vectorizing the loop. When a loop body has no
// effect visible outside the function (no stores to arrays other than the
// function's own new ones, see private_fresh_arrays; no calls into jitted
// code but into functions that could defer all their checks, see
// callee_may_defer; no return, no other check that could raise), raising
// ZeroDivisionError after the loop instead of at the faulty iteration is
// indistinguishable to the caller: the exception is the same and nothing else
// was observed. The body then ORs "divisor was zero" into a flag and the
// check runs once, after the loop.
#pragma once

#include <set>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::passes {

// Arrays no one outside the function can see while it runs: locals (not
// parameters) that are only ever assigned a new array (np.empty, np.zeros,
// a.copy(), ...), and otherwise only indexed element by element, asked
// their shape, size or length, or returned. Stores into them are lost when
// the function raises, so a loop that fills one may still defer its checks
// (`out[i] = a[i] / b[i]`).
std::set<int> private_fresh_arrays(const hir::Function& fn);
// Whether `body` holds a try statement, nested ones included.
bool catches_exceptions(const hir::Block& body);

// Whether a jitted function may be called from a loop whose checks are
// deferred: its whole body could defer (its returns aside), it does not call
// itself, and it checks no bounds. Called there, its deferred variant
// (lower/module_lowering.h) reports a zero divisor in its status
// (abi::kStatusZeroDivisor) rather than raising, and goes on.
bool callee_may_defer(const hir::Function& fn);

// What the rules need to know of the function around a loop.
struct DeferralFacts {
  std::set<int> private_arrays;         // private_fresh_arrays
  std::vector<bool> unassigned_reads;   // definite_assignment.h: locals a read may find unassigned
  // The function catches exceptions: a handler could see what a deferring
  // loop went on to store after Python had raised, so no loop of it defers.
  bool catches = false;
};
DeferralFacts deferral_facts(const hir::Function& fn);

// True when the checks of `loop` (a for-range statement) may be deferred.
// Integer // and % still check eagerly (division by zero is undefined
// behaviour in hardware), so they make a loop ineligible; so does anything
// that would let a spoilt value matter (spoilt_values.h).
bool can_defer_division_checks(const hir::Stmt& loop, const hir::Options& options, const DeferralFacts& facts);

}  // namespace numjit::passes
