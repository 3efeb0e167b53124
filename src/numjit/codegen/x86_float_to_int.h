// Scalar float-to-integer conversions as one x86 instruction.
//
// numjit converts a float that does not fit the integer (NaN, infinities,
// out of range) to the type's minimum, as x86's cvttsd2si does and so NumPy
// and Numba do (lower/function_lowering.cpp, float_to_integer). LLVM's
// fptosi gives poison there, so the lowering guards it with selects:
//
//   %fits = fcmp olt (fabs %x), 2**(bits-1)
//   %r = select %fits, (fptosi (select %fits, %x, 0.0)), INT_MIN
//
// which vectorizes, but in scalar code costs five instructions where
// cvttsd2si alone gives the same answer for every input (1.2x on a
// histogram's `counts[int((v - lo) * scale)] += 1`). After the vectorizer
// has had its chance, this pass rewrites the scalar pattern to the x86
// intrinsic (llvm.x86.sse2.cvttsd2si64 and its float and 32-bit forms).
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class Function;
}

namespace numjit::codegen {

// Rewrites every scalar guarded conversion in `f`; returns how many. The
// caller checks that the target is x86-64.
int rewrite_guarded_float_to_int(llvm::Function& f);

struct X86FloatToIntPass : llvm::PassInfoMixin<X86FloatToIntPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace numjit::codegen
