// Prefetches both places a branchless search may read next.
//
// numjit keeps selects in loops (engine.cpp turns x86's cmov converter off),
// so a binary search
//
//     while lo < hi:
//         mid = (lo + hi) // 2
//         if a[mid] < v: lo = mid + 1
//         else:          hi = mid
//
// becomes a chain: each step's load decides, through selects, the address of
// the next step's load. Over an array larger than the caches every step then
// waits for memory. A branch would let the core guess and run ahead (Numba's
// code does); the guess is wrong half the time, which is why the selects are
// 2.5x faster on arrays that fit in cache. Instead, each step here computes
// the next step's address under both outcomes of its compare (the selects'
// two arms put in place of the loop's phis) and prefetches both, so the next
// load is already on its way whichever way the compare goes: 1e6 float64
// values, 2e5 searches, 1.6x faster; a prefetch never faults, so addresses
// past the array's ends are harmless.
//
// A load qualifies when its address is computed from the loop's header phis
// by pure integer arithmetic, GEPs, compares and selects, and at least one of
// those phis comes back from the latch as a select whose condition compares
// that load's value (the search shape). Tree descents of the form
// `node = left[node] if x < key[node] else right[node]` qualify too.
#pragma once

#include <llvm/IR/PassManager.h>

namespace llvm {
class Function;
}  // namespace llvm

namespace numjit::codegen {

struct SearchPrefetchPass : llvm::PassInfoMixin<SearchPrefetchPass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses);
};

}  // namespace numjit::codegen
