// Keeps cheap loops that sum floats in order scalar.
//
// numjit asks LLVM for ordered reductions (jit/engine.cpp): a loop like
// `s += np.arctan(x[i])` is vectorized, with its arctans computed four or
// eight at a time and their sum still taken in source order, so the result
// is the same bits as Python's and the loop runs several times faster. When
// the body is cheap (`s += x[i] * x[i]`), vectorizing leaves nothing to
// gain: the in-order additions are the whole cost, and the lane extracts
// and shuffles between them make them slower than a scalar loop (1.7x on
// this project's machine). This pass marks such loops "vectorize.width 1"
// before the vectorizer runs, and unrolls it by two steps only (see the
// pass for why). A loop keeps the vectorizer when it calls a
// function (a math routine, vectorized through libmvec) or an expensive
// intrinsic (sqrt, exp, ...), or divides.
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class Function;
class Loop;
}  // namespace llvm

namespace numjit::codegen {

// Whether an innermost loop sums floats in order (a header phi updated by a
// plain fadd/fsub of itself) and does nothing else worth vectorizing.
bool is_cheap_ordered_reduction(const llvm::Loop& loop);

struct CheapOrderedReductionsPass : llvm::PassInfoMixin<CheapOrderedReductionsPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace numjit::codegen
