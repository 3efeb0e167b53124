// Facts about loop bodies the lowering uses to emit faster loops.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::passes {

// Whether child `i` of `e` may not be evaluated when `e` is: the operands
// after the first of `and`/`or`, the branches of `x if c else y`. A walrus
// there may not assign.
inline bool child_may_not_run(const hir::Expr& e, size_t i) {
  return (e.kind == hir::ExprKind::BoolOp || e.kind == hir::ExprKind::IfExp) && i > 0;
}

// The locals walrus expressions (y := value) inside `e` assign.
void walrus_targets(const hir::Expr* e, std::set<int>& out);

// Whether any statement in `body` (nested blocks included) assigns `local`,
// by assignment, loop target or walrus.
bool assigns_local(const hir::Block& body, int local);
bool statement_assigns_local(const hir::Stmt& s, int local);

// What a condition says of integer locals wherever it holds: a lower bound
// for each `and`-ed comparison of a local with an integer constant
// (`j >= 0`, `i > 2`, `0 <= i < n`), as (local, least value) pairs. A while
// loop's body and an if's branch start with them true (so indexing with
// `j` or `j + 1` needs no wraparound: `while j >= 0 and a[j] > v`).
std::vector<std::pair<int, int64_t>> condition_lower_bounds(const hir::Expr& condition);

// Signed 64-bit integer locals that no assignment makes negative, with the
// least value they take: each assignment of the function is `x = c`,
// `x += c` or `x = x + c` with a constant c >= 0, or an extent (`x =
// a.shape[k]`, `n, m = a.shape`, `a.size`, `len(xs)`: least 0), and x is not
// a parameter (a merge's `i = 0 ... i += 1`). Indexing with them needs no
// wraparound: to turn negative, x would first pass every array's extent. A
// prange body, compiled apart, is told them of the locals it captures.
std::map<int, int64_t> never_negative_locals(const hir::Function& fn);

// Whether `body` indexes an array with `local`, alone or plus or minus an
// integer constant (a[local], a[x, local - 1], a[local + 2]).
bool indexes_with_local(const hir::Block& body, int local);

// An index of the shape `local`, `local + c`, `c + local` or `local - c` with
// an integer constant c: the local and the signed offset. Indexing with such
// an expression needs no wraparound when the local is known non-negative and
// the offset is too (stencils and shifted loops write a[i + 0], a[i + 1]).
struct LocalOffset {
  int local = -1;
  int64_t offset = 0;
};
std::optional<LocalOffset> local_plus_constant(const hir::Expr& index);

}  // namespace numjit::passes
