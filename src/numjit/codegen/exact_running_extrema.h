// Vectorizes a loop's running float maximum or minimum written as a Python
// compare: `if v > best: best = v`, `best = max(best, v)` and their min forms.
//
// Such a loop keeps `best = v > best ? v : best`: a NaN element is skipped, a
// NaN start stays, and of two equal zeros the first one met stays. LLVM
// vectorizes that select only under fast-math flags (no NaNs, no signed
// zeros), which would change those answers, so the loop ran scalar: 4.6x the
// time of np.max on 10**6 doubles.
//
// The pass versions the loop. The first copy runs
// `best = llvm.maximum(best, isnan(v) ? -inf : v)`, which the vectorizer
// takes: it keeps a NaN start, skips NaN elements, and gives Python's number
// whenever that number is not a zero; of a zero, only the sign can differ
// (llvm.maximum orders -0 below +0, Python keeps the first zero). So when the
// first copy ends on a zero, the original loop, kept as a second copy, runs
// again from the start and gives the result. That costs one compare after the
// loop, and a second pass only where the extreme is zero.
//
// Only loops without side effects are versioned (no store, no call that may
// write, throw or not return), so running one twice is not observable; and
// only loops with one exit, where the running value leaves through it, and
// whose loads are consecutive (strided ones the vectorizer would gather, slower
// than the scalar select). A loop
// may keep several (a maximum and a minimum); it runs again if any is zero.
//
// A position set by the same compare (`if v > best: best = v; k = i`, the
// argmax loop) would keep the first copy scalar: LLVM 19 vectorizes no select
// that has two running values. The first copy drops it, and when no extreme
// is zero a third copy finds it: the first iteration whose element equals the
// extreme (an llvm.umin of an iteration counter, which the vectorizer takes),
// and k's value there, start + step * iteration. That is the iteration where
// Python last set k, since `>` took each larger value once; k keeps its start
// when the extreme never moved past its own. Positions affine in the loop are
// taken (k = i, k = i + 1, enumerate's index, a falling i), where every
// element is computed exactly (no libm call, which may round an element
// differently in the two copies); the original loop runs if the search ever
// misses the extreme. On 10**6 doubles 0.55 ms where the scalar loop took
// 1.32 ms, as Numba's does.
//
// Where the vectorizer leaves the first copy scalar (a strided array), its
// llvm.maximum costs more than the select did: RestoreScalarRunningCompares,
// after the vectorizer, turns each scalar one it marked back into the select.
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class Function;
}  // namespace llvm

namespace numjit::codegen {

struct ExactRunningExtremaPass : llvm::PassInfoMixin<ExactRunningExtremaPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses);
};

struct RestoreScalarRunningComparesPass : llvm::PassInfoMixin<RestoreScalarRunningComparesPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace numjit::codegen
