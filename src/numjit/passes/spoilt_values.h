// Which values a deferred division check may have spoilt, and which
// statements run only as such values decide.
//
// Once a loop defers its ZeroDivisionError checks (deferred_checks.h), a
// faulty division's inf or NaN flows on until the loop ends. Nothing it
// reaches may matter before the exception is raised: not an index (`out[int(x
// / y)] = 1.0` would store far outside `out`), not a loop's bound
// (`range(int(x / y))` would run on for ever), not a test that guards an
// index (`if r != r: k = 10**9` before `out[k]`, or `if r > 0: s += a[5]`),
// where Python had raised before any of them ran.
#pragma once

#include <functional>
#include <set>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::passes {

// Calls visit(statement, guards) for each statement of `block`, nested ones
// included, in program order. `guards` are the tests that decide whether it
// runs: its enclosing Ifs', and those of the Ifs around a jump before it (a
// break, continue or return) that could have left its block.
using GuardedVisit = std::function<void(const hir::Stmt&, const std::vector<const hir::Expr*>& guards)>;
void walk_guarded(const hir::Block& block, const GuardedVisit& visit);

class SpoiltValues {
 public:
  // `callee`: the scope is the whole body of a function called from a
  // deferring loop. Its scalar arguments may be spoilt values of its
  // caller's, and so may the elements of its array arguments.
  SpoiltValues(const hir::Block& scope, const hir::Function* callee);

  // Whether `e` may hold a spoilt value: a quotient, remainder or power
  // (whose check may be deferred), a jitted helper's result, a local
  // assigned one (or assigned under a spoilt test), an element of an array
  // the scope writes, or anything computed from one.
  bool spoilt(const hir::Expr& e) const;
  bool any_spoilt(const std::vector<const hir::Expr*>& tests) const;

 private:
  std::set<int> spoilt_locals_;
  std::set<int> written_arrays_;
  std::set<int> parameter_arrays_;  // a callee's: their elements come from the caller
};

}  // namespace numjit::passes
