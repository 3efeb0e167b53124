// The analyses lowering needs, run by compile() as one pass over each typed
// function before any lowering starts. Each analysis returns a plan; lowering
// only reads the plans, so what the compiler decided about a loop can be
// printed (NUMJIT_DUMP=plans) and tested without reading LLVM IR.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "numjit/hir/hir.h"
#include "numjit/passes/lane_kernels.h"
#include "numjit/passes/parallel_loops.h"

namespace numjit::passes {

// A `for ... in range(...)` (or prange) loop.
struct RangeLoopPlan {
  bool defers_division_checks = false;     // deferred_checks.h
  bool assigns_loop_variable = false;      // loop_facts.h: the body reassigns the target
  bool indexes_with_loop_variable = false;  // the body indexes an array with the target
};

// The inner loop of a @vectorize kernel: one copy per layout of the inputs'
// steps ('c' contiguous, 's' broadcast, 'g' any stride), and the lane kernel
// for the layouts that have one (lane_kernels.h).
struct UfuncLoopPlan {
  std::vector<std::string> step_layouts;  // tried in order; the all-'g' copy comes last
  std::map<std::string, LaneKernel> lanes;
};

struct FunctionPlan {
  std::map<const hir::Stmt*, RangeLoopPlan> range_loops;
  // The outermost prange loops of a parallel=True function (nested ones run serially).
  std::map<const hir::Stmt*, ParallelLoopPlan> parallel_loops;
  std::optional<UfuncLoopPlan> ufunc_loop;  // set by plan_ufunc_loop
  // Per local: some read may find it unassigned (definite_assignment.h).
  std::vector<bool> unassigned_reads;
  // Integer locals no assignment makes negative, with their least value (loop_facts.h).
  std::map<int, int64_t> never_negative;

  const RangeLoopPlan& range_loop(const hir::Stmt& loop) const;
  const ParallelLoopPlan* parallel_loop(const hir::Stmt& loop) const;  // nullptr: runs serially
};

// Plans every loop of `fn`. Throws UnsupportedError for a prange body that
// cannot run in parallel.
FunctionPlan plan_function(const hir::Function& fn);
// Adds the ufunc loop's plan for `kernel` (nin inputs).
void plan_ufunc_loop(const hir::Function& kernel, FunctionPlan& plan);
// The plans as text, for NUMJIT_DUMP=plans.
std::string describe(const FunctionPlan& plan, const hir::Function& fn);

}  // namespace numjit::passes
