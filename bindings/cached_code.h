// Loading compiled code from the on-disk cache (python/numjit/cache.py): a
// shared library linked from the object code the compiler emitted, opened
// with dlopen, so a cached function runs without importing LLVM.
#pragma once

#include <nanobind/nanobind.h>

namespace numjit::bindings {

namespace nb = nanobind;

void define_cached_code(nb::module_& m);

}  // namespace numjit::bindings
