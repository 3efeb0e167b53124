// print() from compiled code: each value is formatted by Python itself (str()
// of the boxed number) and written with PySys_WriteStdout, holding the GIL,
// so output interleaves correctly with the interpreter's own prints.
#include <Python.h>

#include <complex>
#include <string>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/functions.h"
#include "numjit/runtime/strings.h"

using numjit::abi::ScalarKind;

namespace {

PyObject* box_for_print(int kind, const void* value) {
  switch (static_cast<ScalarKind>(kind)) {
    case ScalarKind::Bool: return PyBool_FromLong(*static_cast<const uint8_t*>(value));
    case ScalarKind::Int64: return PyLong_FromLongLong(*static_cast<const int64_t*>(value));
    case ScalarKind::UInt64: return PyLong_FromUnsignedLongLong(*static_cast<const uint64_t*>(value));
    case ScalarKind::Float64: return PyFloat_FromDouble(*static_cast<const double*>(value));
    case ScalarKind::Complex128: {
      auto c = *static_cast<const std::complex<double>*>(value);
      return PyComplex_FromDoubles(c.real(), c.imag());
    }
    case ScalarKind::None: Py_RETURN_NONE;
    default: return nullptr;
  }
}

// Writes str() of `boxed` (a reference it takes; null writes nothing), then
// a space or, after the last value, a newline. The GIL is held.
void write_str_of(PyObject* boxed, int32_t last) {
  if (boxed) {
    if (PyObject* s = PyObject_Str(boxed)) {
      PySys_WriteStdout("%s", PyUnicode_AsUTF8(s));
      Py_DECREF(s);
    }
    Py_DECREF(boxed);
  }
  PyErr_Clear();
  PySys_WriteStdout(last ? "\n" : " ");
}

void* (*box_hook)(const uint8_t* descriptor, void* slots) = nullptr;

}  // namespace

extern "C" void numjit_rt_print(int32_t kind, const void* value, const char* text, int32_t last) {
  PyGILState_STATE gil = PyGILState_Ensure();
  if (text) PySys_WriteStdout("%s", text);
  write_str_of(text ? nullptr : box_for_print(kind, value), last);
  PyGILState_Release(gil);
}

void numjit::runtime::set_print_boxing_hook(void* (*box)(const uint8_t* descriptor, void* slots)) { box_hook = box; }

extern "C" void numjit_rt_print_boxed(const uint8_t* descriptor, void* slots, int32_t last) {
  PyGILState_STATE gil = PyGILState_Ensure();
  write_str_of(box_hook ? static_cast<PyObject*>(box_hook(descriptor, slots)) : nullptr, last);
  PyGILState_Release(gil);
}

// print() of a run-time string: its text, as a constant's.
extern "C" void numjit_rt_str_print(numjit::runtime::MemInfo* s, int32_t last) {
  std::string text = numjit::runtime::utf8_of(s);
  numjit_rt_print(static_cast<int32_t>(numjit::abi::ScalarKind::None), nullptr, text.c_str(), last);
}
