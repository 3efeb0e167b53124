// Turns an integer argmax loop's selects back into a branch:
// `if x[i] > best: best = x[i]; k = i` over integers, which stays scalar
// (LLVM 19 vectorizes no select that carries two running values, and
// exact_running_extrema.h versions float loops only).
//
// numjit keeps selects in loops (the x86 cmov converter is off, engine.cpp):
// where the data decide each choice, as in k-means' argmin over its centres, a
// branch mispredicts half the time. A running extreme over a long array is
// the other case: a new extreme is rare (about ln n of n elements on random
// data, every element on sorted data), so the branch predicts well, while the
// selects chain each element's compare to the last one's. On 10**6 int64
// elements the select loop took 0.73 ms, the branch 0.32 ms (Numba's, whose
// cmov converter makes the same branch: 0.32 ms).
//
// So, last in the pipeline (after every SimplifyCFG, which would fold the
// branch back), each scalar select pair of that shape in an innermost loop
// becomes `if (compare) { take the element and its position }`, the taking
// block out of line.
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class Function;
}  // namespace llvm

namespace numjit::codegen {

struct PredictedRunningComparesPass : llvm::PassInfoMixin<PredictedRunningComparesPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace numjit::codegen
