#include "cached_code.h"

#include <dlfcn.h>
#include <nanobind/stl/string.h>

#include <string>

namespace numjit::bindings {

void define_cached_code(nb::module_& m) {
  // The library stays loaded for the process: its code may be called until exit.
  m.def("load_library", [](const std::string& path) {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      PyErr_SetString(PyExc_OSError, why ? why : "dlopen failed");
      throw nb::python_error();
    }
    return reinterpret_cast<uintptr_t>(handle);
  });
  // 0 when the library has no such symbol.
  m.def("library_symbol", [](uintptr_t handle, const std::string& name) {
    return reinterpret_cast<uintptr_t>(dlsym(reinterpret_cast<void*>(handle), name.c_str()));
  });
  // Stores an object's address into one of the library's pointer slots
  // before any of its code runs (lower/module_lowering.h, relocatable modules).
  m.def("fill_slot", [](uintptr_t slot, uintptr_t value) {
    *reinterpret_cast<uintptr_t*>(slot) = value;
  });
}

}  // namespace numjit::bindings
