// Vector math through glibc's libmvec: calls to libm functions get the
// `vector-function-abi-variant` attribute naming their libmvec variants, so
// the loop vectorizer can call e.g. _ZGVeN8v_atan on 8 doubles at once.
// LLVM 19's own libmvec table lacks atan and the AVX-512 entries, hence this.
#pragma once

#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

#include <string>

#include "numjit/support/target.h"

namespace numjit::lower {

// Marks `call` (to libm's `symbol`, e.g. "atan" or "atanf", taking `nargs`
// arguments) with the libmvec variants the target supports ('d' AVX2,
// 'e' AVX-512), if any.
void attach_vector_variants(llvm::Module& module, const Target& target, llvm::CallInst* call,
                            const std::string& symbol, int nargs);

}  // namespace numjit::lower
