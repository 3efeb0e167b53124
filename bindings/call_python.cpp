#include "call_python.h"

#include <Python.h>

#include <vector>

#include "boxing.h"
#include "numjit/runtime/abi.h"
#include "numjit/runtime/functions.h"
#include "tuples.h"

namespace numjit::bindings {
namespace {

// Arrays unboxed from the block's result are borrowed from the Python objects
// the result holds. Each gets a block keeping its object alive
// (numjit_rt_array_keep), so compiled code owns what it received, as it owns
// what a call returns.
void keep_arrays(unsigned char* at, uint32_t code) {
  if (code & abi::kFingerprintArrayBit) {
    auto* h = reinterpret_cast<abi::ArrayHeader*>(at);
    h->meminfo = numjit_rt_array_keep(static_cast<runtime::MemInfo*>(h->meminfo), h->parent);
    return;
  }
  if (!(code & abi::kFingerprintTupleBit) || (code & (abi::kFingerprintListBit | abi::kFingerprintDictBit)))
    return;
  std::vector<uint32_t> codes = tuple_element_codes(code);
  std::vector<size_t> offsets = tuple_offsets(code);
  for (size_t i = 0; i < codes.size(); ++i) keep_arrays(at + offsets[i], codes[i]);
}

// The Python exception pending now, recorded as compiled code's pending error.
void record_python_exception() {
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  if (traceback) PyException_SetTraceback(value, traceback);
  Py_XDECREF(traceback);
  runtime::set_python_exception(value, type);  // the value's reference goes to the record; it holds its type
  Py_XDECREF(type);
}

int32_t call_python(void* function, const uint8_t* descriptor, int64_t descriptor_length, void* slots, void* result) {
  PyGILState_STATE gil = PyGILState_Ensure();
  auto* fn = static_cast<PyObject*>(function);
  size_t pos = 0, slot = 0;
  PyObject* args = box(descriptor, pos, static_cast<const unsigned char*>(slots), slot);
  PyObject* out = args ? PyObject_Call(fn, args, nullptr) : nullptr;
  Py_XDECREF(args);
  bool ok = out != nullptr;
  if (ok) {
    PyObject* code_object = PyObject_GetAttrString(fn, "_numjit_objmode_code");
    auto code = code_object ? static_cast<uint32_t>(PyLong_AsUnsignedLong(code_object)) : 0u;
    Py_XDECREF(code_object);
    ok = !PyErr_Occurred() && (code == 0 || unbox(out, code, result));
    if (ok && code) keep_arrays(static_cast<unsigned char*>(result), code);
    Py_DECREF(out);
  }
  if (!ok) record_python_exception();
  PyGILState_Release(gil);
  (void)descriptor_length;  // the descriptor describes its own extent
  return ok ? abi::kStatusOk : abi::kStatusError;
}

}  // namespace

void install_call_python() {
  runtime::set_call_python_hook(call_python);
  runtime::set_print_boxing_hook([](const uint8_t* descriptor, void* slots) -> void* {
    size_t pos = 0, slot = 0;
    return box(descriptor, pos, static_cast<const unsigned char*>(slots), slot);
  });
}

}  // namespace numjit::bindings
