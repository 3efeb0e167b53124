// numpy.ufunc objects built from compiled loops (see ufunc_builder.cpp).
#pragma once

#include <nanobind/nanobind.h>

namespace numjit::bindings {

namespace nb = nanobind;

bool init_ufunc_api();  // imports NumPy's ufunc C API; call once at module init
void define_ufuncs(nb::module_& m);

}  // namespace numjit::bindings
