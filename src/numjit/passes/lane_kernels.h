// Which @vectorize kernels the ufunc loop may run several elements ("lanes")
// at once: straight-line code around at most one `for` loop over a range
// whose bounds are the same for every element (constants or broadcast
// inputs). The loop is then emitted once per block of elements with every
// lane's body inside it, so LLVM's SLP vectorizer packs the lanes' independent
// chains into vector instructions (an unroll-and-jam done at lowering time;
// LLVM 19's outer-loop vectorizer only manages gathers here).
#pragma once

#include <optional>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::passes {

struct LaneKernel {
  std::vector<const hir::Stmt*> prologue;  // before the loop
  const hir::Stmt* loop = nullptr;          // may be null: a loop-free kernel
  std::vector<const hir::Stmt*> epilogue;  // after the loop
  const hir::Expr* result = nullptr;        // the final `return` expression
};

// `uniform_params[i]`: parameter i has the same value for every element.
std::optional<LaneKernel> lane_kernel(const hir::Function& kernel, const std::vector<bool>& uniform_params);

}  // namespace numjit::passes
