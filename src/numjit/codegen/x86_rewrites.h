// Running an x86-64-only rewrite of a function's instructions as a pass
// (x86_float_to_int.h, x86_float_extrema.h): other targets keep the portable
// IR, and a rewrite that changes only instructions keeps the CFG's analyses.
#pragma once

#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/TargetParser/Triple.h>

namespace numjit::codegen {

// `rewrite` returns how many places it rewrote.
inline llvm::PreservedAnalyses run_x86_rewrite(llvm::Function& f, int (*rewrite)(llvm::Function&)) {
  if (llvm::Triple(f.getParent()->getTargetTriple()).getArch() != llvm::Triple::x86_64 || rewrite(f) == 0)
    return llvm::PreservedAnalyses::all();
  llvm::PreservedAnalyses kept;
  kept.preserveSet<llvm::CFGAnalyses>();
  return kept;
}

}  // namespace numjit::codegen
