// prange analysis for parallel=True: which locals of a prange body are
// reductions, which are private to an iteration, and which are read-only
// values captured from the enclosing function. The lowering outlines the body
// into a chunk function from this plan (lower/lower_parallel.cpp).
#pragma once

#include <string>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::passes {

enum class ReductionKind { Sum, Product, Quotient, Min, Max, BitAnd, BitOr, BitXor };

struct Reduction {
  int local;
  ReductionKind kind;
  // An array variable updated as `acc = acc + e` (each update makes a new
  // array, the one bound before the loop is left as it was), not `acc += e`
  // (in place, into the array bound before the loop).
  bool rebinds = false;
};

struct ParallelLoopPlan {
  std::vector<Reduction> reductions;
  std::vector<int> captured;  // read in the body, never assigned there: passed by value
  // Assigned in the body but not reductions: private to each iteration; after
  // the loop they hold the last iteration's values, as in sequential code.
  std::vector<int> privates;
  std::vector<std::string> race_warnings;  // "line N: ..." for writes every iteration shares
};

// True for `for ... in prange(...)` (or numba.prange) loops.
bool is_prange_loop(const hir::Stmt& loop);

// Analyses a prange loop. Throws UnsupportedError for bodies that cannot run
// in parallel (return, break, a reduction variable read inside the body).
ParallelLoopPlan plan_parallel_loop(const hir::Stmt& loop, const hir::Function& fn);

}  // namespace numjit::passes
