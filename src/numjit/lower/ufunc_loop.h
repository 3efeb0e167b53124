// Inner loops for NumPy ufuncs built from @vectorize kernels.
#pragma once

#include <string>

#include "numjit/hir/hir.h"
#include "numjit/lower/module_lowering.h"

namespace numjit::lower {

// Emits the NumPy inner loop (PyUFuncGenericFunction signature) that applies
// `kernel` element-wise and stores its result converted to `output`; returns
// the loop's symbol. The kernel is lowered into the same module and inlined.
std::string emit_ufunc_loop(ModuleLowering& module, hir::Function& kernel, const types::Type* output);

}  // namespace numjit::lower
