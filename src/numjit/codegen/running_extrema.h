// Interleaves loops that keep a running float maximum or minimum eight ways.
//
// x.max() and np.min() over a float array are a maximum/minimum of the running
// value with each element (np.nanmax a maxnum/minnum, its NaN test a
// reduction of its own, see library/numpy_reductions.cpp). LLVM's cost model interleaves such a
// vectorized loop four ways: four vmaxpd chains, 32 doubles an iteration.
// Streaming 10**7 doubles from cache, that loop ran 1.2-1.4x slower than
// NumPy's, and the same loop with eight chains 10-20% faster than NumPy's
// (measured with hand-written AVX-512 loops of both shapes on this project's
// machine). This pass marks such loops "interleave.count 8" before the
// vectorizer runs. A loop that already names its interleave count keeps it.
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class Function;
class Loop;
}  // namespace llvm

namespace numjit::codegen {

// Whether an innermost loop keeps a running float maximum or minimum: a
// header phi whose value from the latch is maxnum/minnum/maximum/minimum of
// the phi itself.
bool keeps_running_float_extreme(const llvm::Loop& loop);

struct RunningExtremaPass : llvm::PassInfoMixin<RunningExtremaPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace numjit::codegen
