// Declarations of the runtime functions compiled code calls, built from the
// one table of them (runtime/functions.def): the LLVM function type comes from
// the C prototype, so the two cannot disagree. Calls name the function by
// symbol; the JIT's linker resolves it.
#pragma once

#include <llvm/IR/Module.h>

namespace numjit::codegen {

enum class RuntimeFunction {
#define NUMJIT_RUNTIME_FUNCTION(result, name, params) name,
#include "numjit/runtime/functions.def"
#undef NUMJIT_RUNTIME_FUNCTION
};

// Declares `f` in `module` (once) and returns it for a call.
llvm::FunctionCallee runtime_function(llvm::Module& module, RuntimeFunction f);

}  // namespace numjit::codegen
