// The C entry point of a @cfunc: a function with the C calling convention of
// its declared signature, `double f(double, int64_t)`, whose address C code
// (and SciPy's LowLevelCallable, ctypes, cffi) can call.
#pragma once

#include <string>

#include "numjit/hir/hir.h"
#include "numjit/lower/module_lowering.h"

namespace numjit::lower {

// Emits the entry point, which calls `fn` and converts its result to
// `declared_return` (none: a void function); returns its symbol. An exception
// in `fn` is reported as unraisable and the entry returns zero, as Numba's
// cfuncs do. Parameters and results are numbers (not complex ones) and bools.
std::string emit_c_entry(ModuleLowering& module, hir::Function& fn, const types::Type* declared_return);

}  // namespace numjit::lower
