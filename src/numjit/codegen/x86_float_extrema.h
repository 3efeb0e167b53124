// Float maxima and minima in the form x86's maxpd/minpd compute.
//
// x86's `maxpd a, b` is `a > b ? a : b`: a NaN in either operand gives b.
// LLVM's backend selects exactly that instruction for
// `select (fcmp ogt a, b), a, b`, but lowers the intrinsics that reductions
// use more generally, so two reductions numjit leans on cost more than they
// need to (measured on 10**7 doubles, AVX-512):
//
// - np.max/np.min, x.max(): `llvm.maximum nsz (acc, x)` keeps a NaN once met.
//   Its lowering is a maxpd, an unordered compare, a masked move and a
//   register copy (the move needs the old running value), four instructions a
//   vector, where NumPy's loop takes two: a compare saying where the running
//   value is a number, and a maxpd masked to those lanes, in place.
//   Rewritten to
//     select (fcmp ord acc, acc), (select (fcmp ogt acc, x), acc, x), acc
//   the backend emits NumPy's two. The same value for every pair of operands,
//   a zero's sign aside (which nsz leaves open). Where x is an element whose
//   NaN was made -inf (a running compare's first copy), `x > acc ? x : acc`
//   takes its place, and the NaN test of x goes with it.
// - np.nanmax/np.nanmin: `llvm.maxnum nnan nsz (acc, isnan(x) ? -inf : x)`,
//   a compare, a masked move and a maxpd. Since acc is never NaN (nnan), and
//   -inf never beats it, `x > acc ? x : acc` is the same value: one maxpd
//   with x first, which skips a NaN x by itself.
//
// These run after the vectorizer (which recognizes only the intrinsics as
// reductions) and after RestoreScalarRunningComparesPass (which looks for the
// marked llvm.maximum it left scalar). Other targets keep the intrinsics:
// AArch64's fmax already is llvm.maximum.
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class Function;
}

namespace numjit::codegen {

// Rewrites both forms above in `f`, scalar and vector; returns how many. The
// caller checks that the target is x86-64.
int rewrite_float_extrema_for_x86(llvm::Function& f);

struct X86FloatExtremaPass : llvm::PassInfoMixin<X86FloatExtremaPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace numjit::codegen
