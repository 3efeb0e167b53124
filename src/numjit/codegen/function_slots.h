// Calls of functions whose addresses only this process knows (BLAS and
// LAPACK, found in SciPy when compiled code first needs them) made to go
// through pointer slots the module defines. A relocatable module (cache=True)
// then links into a shared library that loads without them, and the loader
// fills the slots with the addresses of the process that loads it.
#pragma once

#include <llvm/IR/Module.h>

#include <string>
#include <vector>

namespace numjit::codegen {

// Redirects every call of a declared function whose name starts with one of
// `prefixes` through the slot "numjit.function.<name>"; returns the names.
std::vector<std::string> call_through_slots(llvm::Module& module, const std::vector<std::string>& prefixes);

inline std::string function_slot(const std::string& name) { return "numjit.function." + name; }

}  // namespace numjit::codegen
