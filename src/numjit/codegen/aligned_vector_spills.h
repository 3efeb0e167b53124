// Realigns the stack of functions that hold vectors wider than 16 bytes.
//
// The System V ABI keeps the stack 16-byte aligned at calls, and LLVM's x86
// back end only aligns a spill slot beyond that when the function realigns
// its stack, which it decides before register allocation. A vectorized loop
// that calls libmvec (every vector register is the callee's to clobber)
// spills its 64-byte zmm values around each call, so the slots fall wherever
// the caller's stack pointer happens to be: with address-space layout
// randomisation, one process in four gets them on a 64-byte line and the
// others split every spill and reload across two lines. The seed's
// `sum_numba` ran in 25, 31 or 38 ms from process to process for that reason
// alone. The "stackrealign" attribute reserves a frame pointer and aligns the
// frame to its widest slot. That costs a register everywhere in the function
// (breadth-first search, whose scalar loop follows a vectorized np.full, ran
// 15% slower with it), so only functions that pass or receive wide vectors in
// calls get it: there every other live vector is spilled around the call.
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class Module;
}  // namespace llvm

namespace numjit::codegen {

struct AlignedVectorSpillsPass : llvm::PassInfoMixin<AlignedVectorSpillsPass> {
  llvm::PreservedAnalyses run(llvm::Module& module, llvm::ModuleAnalysisManager& analyses);
};

// Whether f calls a function (not an intrinsic) with, or for, a vector wider
// than the ABI's stack alignment, or has a wide vector frem (fmod per lane).
bool calls_with_wide_vectors(const llvm::Function& f);

}  // namespace numjit::codegen
