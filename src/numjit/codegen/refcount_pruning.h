// Removes reference-count increments and decrements that cancel out.
//
// The lowering's ownership rules (lower/ownership.cpp) are simple and local,
// so once jitted callees are inlined their increments and decrements often
// come in pairs around code that cannot release anything: a helper called
// with `pos[i]` increments the view's owner on entry and decrements it on
// return, and a method of a Generator does the same for the Generator, each
// an atomic instruction. The pairs run in every iteration of the caller's
// loop and cost more than the work they guard.
//
// The increments and decrements are calls of two small helper functions,
// marked with kRefcountHelper, that stay calls (noinline) through LLVM's
// simplification pipeline, so that they are still visible here, after the
// inliner. RefcountPruningPass then
//  - pairs each decrement of an owner with an earlier increment of the very
//    same value when every path from the increment reaches the decrement,
//    every path to the decrement comes from the increment, the two alternate,
//    and nothing between them can release a reference (no other decrement,
//    no call that may drop one);
//  - removes both of each pair;
//  - inlines the helpers that remain, so that the rest of the pipeline sees
//    their atomic instructions as before.
//
// Removing such a pair changes no reference count outside the span, and
// within it nothing could have brought a count to zero: every block is freed
// exactly when it was before.
#pragma once

#include <llvm/IR/PassManager.h>

namespace numjit::codegen {

// Function attribute naming a refcount helper: value "increment" or "decrement".
inline constexpr const char* kRefcountHelper = "numjit-refcount";
// Function attribute on declarations that never release a reference of a
// refcounted block (runtime functions that do not, see runtime/functions.def).
inline constexpr const char* kKeepsReferences = "numjit-keeps-references";

class RefcountPruningPass : public llvm::PassInfoMixin<RefcountPruningPass> {
 public:
  llvm::PreservedAnalyses run(llvm::Module& module, llvm::ModuleAnalysisManager&);
};

// The pairs `function` loses to pruning (its helpers are not inlined here):
// for tests.
int prune_refcount_pairs(llvm::Function& function);

}  // namespace numjit::codegen
