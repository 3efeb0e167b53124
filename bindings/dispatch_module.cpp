// numjit._dispatch: the call path of compiled functions, without LLVM.
//
// A Dispatcher is a C type with vectorcall: it fingerprints the arguments,
// finds the compiled overload whose fingerprint matches, unboxes, calls the
// native entry and boxes the result. Anything else (first call for a type
// tuple, keyword arguments, conversions for eager signatures) goes to the
// Python object in `impl` (numjit/dispatcher.py). Attribute lookups the C type
// does not answer (py_func, signatures, inspect_*) are forwarded to `impl` too.
#define PY_ARRAY_UNIQUE_SYMBOL numjit_dispatch_ARRAY_API
#define NO_IMPORT_ARRAY
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <structmember.h>

#include <cstring>
#include <string_view>
#include <deque>
#include <vector>

#include "boxing.h"
#include "cached_code.h"
#include "lists.h"
#include "sets.h"
#include "call_python.h"
#include "tuples.h"
#include "typed_containers.h"
#include "ufunc_builder.h"
#include "numjit/runtime/abi.h"
#include "numjit/runtime/arrays.h"
#include "numjit/runtime/dict.h"
#include "numjit/runtime/memory.h"
#include "numjit/runtime/parallel.h"
#include "numjit/runtime/random.h"

namespace nb = nanobind;
using namespace numjit;

namespace {

struct Overload {
  std::vector<uint32_t> fingerprint;
  abi::EntryFn entry;
  std::vector<uint8_t> return_descriptor;
  size_t return_slots;
  bool release_gil;
  // Compiled for arrays not aligned to their element size: called only from
  // the slow path, so aligned arrays never reach its byte-aligned accesses.
  bool slow_path_only = false;
};

// A call may release the GIL (nogil=True) while holding a reference to its
// Overload, and another thread may add or clear overloads meanwhile. A deque
// keeps references stable on push_back; overloads cleared by recompile() are
// retired, never freed, since compiled code lives for the process anyway.
using OverloadList = std::deque<Overload>;

struct DispatcherObject {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject* impl;
  PyObject* weakrefs;
  OverloadList* overloads;
};

std::vector<OverloadList*>& retired_overloads() {
  static auto* retired = new std::vector<OverloadList*>();
  return *retired;
}

// The codes a Python list or set gets when the call is matched: not types,
// only matched against a list or set overload's code; the items are checked
// as they are unboxed.
constexpr uint32_t kPythonList = 0xffffffffu;
constexpr uint32_t kPythonSet = 0xfffffffeu;
constexpr uint32_t kFingerprintTupleBitMask = abi::kFingerprintTupleBit | abi::kFingerprintListBit;

// `exact`: only list and set objects themselves (the fast path sends
// subclasses to the slow path, which decides what they are).
uint32_t argument_code(PyObject* arg, bool exact, bool accept_unaligned = false, bool accept_subclasses = false) {
  if (exact ? PyList_CheckExact(arg) : PyList_Check(arg)) return kPythonList;
  if (exact ? PySet_CheckExact(arg) : PySet_Check(arg)) return kPythonSet;
  return bindings::fingerprint(arg, accept_unaligned, accept_subclasses);
}

// Whether an argument of code `actual` may go to an overload compiled for
// `declared`: a unicode_type parameter takes any str, a list or set
// parameter a Python list or set, and an array parameter of layout 'A' (or
// read-only) more specific arrays.
bool compatible(uint32_t declared, uint32_t actual) {
  if (declared == actual) return true;
  // A unicode_type parameter takes any str, a constant's code included.
  if (declared == abi::kFingerprintAnyString) return (actual & abi::kFingerprintStringBit) && !(actual & kFingerprintTupleBitMask);
  if (declared & bindings::kFingerprintTypedBit) return false;  // only its own code
  if (declared & bindings::kFingerprintListBit) return actual == kPythonList;  // items are checked while unboxing
  if (declared & bindings::kFingerprintSetBit) return actual == kPythonSet;
  return bindings::array_accepts(declared, actual);
}

// The first compatible overload after `after` (from the start when null).
const Overload* next_compatible(DispatcherObject* self, const uint32_t* codes, size_t n, const Overload* after) {
  bool passed = after == nullptr;
  for (const Overload& o : *self->overloads) {
    if (!passed) {
      passed = &o == after;
      continue;
    }
    if (o.slow_path_only || o.fingerprint.size() != n) continue;
    bool ok = true;
    for (size_t i = 0; i < n && ok; ++i) ok = compatible(o.fingerprint[i], codes[i]);
    if (ok) return &o;
  }
  return nullptr;
}

const Overload* find_overload(DispatcherObject* self, const uint32_t* codes, size_t n) {
  for (const Overload& o : *self->overloads)
    if (!o.slow_path_only && o.fingerprint.size() == n && std::memcmp(o.fingerprint.data(), codes, n * sizeof(uint32_t)) == 0) return &o;
  return next_compatible(self, codes, n, nullptr);
}

// A Python list or set, copied for the call and written back after it.
bool is_reflected(uint32_t code) {
  return ((code & bindings::kFingerprintListBit) && !(code & bindings::kFingerprintTypedBit)) ||
         (code & bindings::kFingerprintSetBit);
}

// Writes the first `count` list and set arguments back into their Python
// lists and sets, releasing the numjit ones; false when a write-back failed.
bool reflect_containers(const Overload& o, PyObject* const* args, void** pointers, size_t count) {
  bool ok = true;
  for (size_t i = 0; i < count; ++i) {
    if (!is_reflected(o.fingerprint[i])) continue;
    if (ok) {
      ok = o.fingerprint[i] & bindings::kFingerprintSetBit ? bindings::reflect_set(args[i], o.fingerprint[i], pointers[i])
                                                            : bindings::reflect_list(args[i], o.fingerprint[i], pointers[i]);
    } else {
      numjit_rt_meminfo_decref(*static_cast<runtime::MemInfo**>(pointers[i]));
    }
  }
  return ok;
}

// Whether unboxing the argument took a reference the call drops after: a
// run-time string made for a str, a typed container's, or a Generator's block.
bool holds_reference(uint32_t code) {
  return code == abi::kFingerprintAnyString || code == abi::kFingerprintGenerator ||
         (code & bindings::kFingerprintTypedBit);
}

// Drops the references unboxing took for the first `count` arguments.
void release_references(const Overload& o, void** pointers, size_t count) {
  for (size_t i = 0; i < count; ++i)
    if (holds_reference(o.fingerprint[i])) numjit_rt_meminfo_decref(*static_cast<runtime::MemInfo**>(pointers[i]));
}

// `unboxing_failed`, when given, is set when an argument did not convert (a
// list whose items are not the overload's type): the caller may then type
// the arguments again on the slow path.
// Raises cls(*args), `literal` a Python literal of the argument tuple (lower/exception_arguments.h); returns nullptr.
PyObject* raise_with_arguments(PyObject* cls, const char* literal) {
  PyObject* ast = PyImport_ImportModule("ast");
  PyObject* args = ast ? PyObject_CallMethod(ast, "literal_eval", "s", literal) : nullptr;
  Py_XDECREF(ast);
  if (!args && PyErr_ExceptionMatches(PyExc_ValueError)) {
    // A float written at run time may be nan or inf, which are names, not
    // literals: read with only those names bound (the text holds nothing else).
    PyErr_Clear();
    PyObject* names = Py_BuildValue("{s:{},s:d,s:d}", "__builtins__", "nan", Py_NAN, "inf", Py_HUGE_VAL);
    args = names ? PyRun_String(literal, Py_eval_input, names, names) : nullptr;
    Py_XDECREF(names);
  }
  PyObject* exception = args && PyTuple_Check(args) ? PyObject_Call(cls, args, nullptr) : nullptr;
  Py_XDECREF(args);
  if (!exception) {  // the literal was written by numjit: this is not expected
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "numjit: unreadable exception arguments");
    return nullptr;
  }
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception)), exception);
  Py_DECREF(exception);
  return nullptr;
}

// Raises this thread's pending error from compiled code as its Python exception; returns nullptr.
PyObject* raise_pending_error() {
  runtime::PendingError e = runtime::take_pending_error();
  if (e.exception) {  // an objmode block's own exception, traceback and all
    auto* value = static_cast<PyObject*>(e.exception);
    PyErr_Restore(Py_NewRef(reinterpret_cast<PyObject*>(Py_TYPE(value))), value, PyException_GetTraceback(value));
    return nullptr;
  }
  PyObject* cls = e.exc_class ? static_cast<PyObject*>(e.exc_class) : PyExc_SystemError;
  const char* msg = e.set ? e.message.c_str() : "numjit: compiled code failed without an error record";
  if (msg[0] == abi::kExceptionArgumentsMarker) return raise_with_arguments(cls, msg + 1);
  if (msg[0] == '\0') PyErr_SetNone(cls);
  else PyErr_SetString(cls, msg);
  return nullptr;
}

PyObject* call_overload(const Overload& o, PyObject* const* args, size_t n, bool* unboxing_failed = nullptr) {
  // Unboxed arguments live on the stack: 16 bytes per scalar, the header plus
  // dims per array.
  alignas(16) unsigned char storage[abi::kMaxArgs * 64];
  std::vector<unsigned char> big;
  size_t needed = 0;
  for (size_t i = 0; i < n; ++i) needed += (bindings::unboxed_size(o.fingerprint[i]) + 15) & ~size_t(15);
  unsigned char* base = storage;
  if (needed > sizeof(storage)) {
    big.resize(needed + 16);
    base = reinterpret_cast<unsigned char*>((reinterpret_cast<uintptr_t>(big.data()) + 15) & ~uintptr_t(15));
  }
  void* small_pointers[abi::kMaxArgs];
  std::vector<void*> big_pointers(n > static_cast<size_t>(abi::kMaxArgs) ? n : 0);
  void** pointers = big_pointers.empty() ? small_pointers : big_pointers.data();
  size_t offset = 0;
  size_t lists = 0;  // Python lists and sets are unboxed into numjit ones, written back after the call
  size_t references = 0;  // run-time strings made for str arguments, typed containers: dropped after
  for (size_t i = 0; i < n; ++i) {
    pointers[i] = base + offset;
    if (!bindings::unbox(args[i], o.fingerprint[i], pointers[i])) {
      reflect_containers(o, args, pointers, i);
      release_references(o, pointers, i);
      if (unboxing_failed) *unboxing_failed = true;
      return nullptr;
    }
    if (is_reflected(o.fingerprint[i])) ++lists;
    if (holds_reference(o.fingerprint[i])) ++references;
    offset += (bindings::unboxed_size(o.fingerprint[i]) + 15) & ~size_t(15);
  }
  alignas(16) unsigned char small_result[abi::kReturnSlotBytes * 8];
  std::vector<unsigned char> big_result;
  unsigned char* result = small_result;
  if (o.return_slots > 8) {
    big_result.resize(o.return_slots * abi::kReturnSlotBytes + 16);
    result = reinterpret_cast<unsigned char*>((reinterpret_cast<uintptr_t>(big_result.data()) + 15) & ~uintptr_t(15));
  }
  int32_t status;
  if (o.release_gil) {
    Py_BEGIN_ALLOW_THREADS
    status = o.entry(pointers, result);
    Py_END_ALLOW_THREADS
  } else {
    status = o.entry(pointers, result);
  }
  if (references) release_references(o, pointers, n);
  if (lists && !reflect_containers(o, args, pointers, n) && status == abi::kStatusOk) return nullptr;
  if (status != abi::kStatusOk) return raise_pending_error();
  size_t pos = 0, slot = 0;
  return bindings::box(o.return_descriptor.data(), pos, result, slot);
}

PyObject* slow_call(DispatcherObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  PyObject* method = PyUnicode_FromString("_call_slow");
  if (!method) return nullptr;
  // impl._call_slow(*args, **kwargs) keeps keyword handling in Python.
  std::vector<PyObject*> full(PyVectorcall_NARGS(nargsf) + 1 + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0));
  full[0] = self->impl;
  size_t total = PyVectorcall_NARGS(nargsf) + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
  for (size_t i = 0; i < total; ++i) full[i + 1] = args[i];
  PyObject* r = PyObject_VectorcallMethod(method, full.data(), PyVectorcall_NARGS(nargsf) + 1, kwnames);
  Py_DECREF(method);
  return r;
}

PyObject* dispatcher_vectorcall(PyObject* callable, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  auto* self = reinterpret_cast<DispatcherObject*>(callable);
  size_t n = PyVectorcall_NARGS(nargsf);
  if ((kwnames && PyTuple_GET_SIZE(kwnames) > 0) || n > static_cast<size_t>(abi::kMaxArgs))
    return slow_call(self, args, nargsf, kwnames);
  uint32_t codes[abi::kMaxArgs];
  for (size_t i = 0; i < n; ++i) {
    codes[i] = argument_code(args[i], true);
    if (codes[i] == 0) return slow_call(self, args, nargsf, kwnames);
  }
  // A list or set whose items another overload takes: try the next one; when
  // none fits, the slow path types the arguments (and compiles, or explains).
  for (const Overload* o = find_overload(self, codes, n); o; o = next_compatible(self, codes, n, o)) {
    bool unboxing_failed = false;
    PyObject* result = call_overload(*o, args, n, &unboxing_failed);
    if (!unboxing_failed) return result;
    PyErr_Clear();
  }
  return slow_call(self, args, nargsf, kwnames);
}

void dispatcher_dealloc(PyObject* obj) {
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  PyObject_GC_UnTrack(obj);
  if (self->weakrefs) PyObject_ClearWeakRefs(obj);
  Py_CLEAR(self->impl);
  delete self->overloads;  // no call is running: each holds a reference to the dispatcher
  PyTypeObject* tp = Py_TYPE(obj);
  tp->tp_free(obj);
  Py_DECREF(tp);
}

int dispatcher_traverse(PyObject* obj, visitproc visit, void* arg) {
  Py_VISIT(reinterpret_cast<DispatcherObject*>(obj)->impl);
  Py_VISIT(Py_TYPE(obj));
  return 0;
}

int dispatcher_clear(PyObject* obj) {
  Py_CLEAR(reinterpret_cast<DispatcherObject*>(obj)->impl);
  return 0;
}

PyObject* dispatcher_new(PyTypeObject* type, PyObject* args, PyObject*) {
  PyObject* impl;
  if (!PyArg_ParseTuple(args, "O", &impl)) return nullptr;
  auto* self = reinterpret_cast<DispatcherObject*>(type->tp_alloc(type, 0));
  if (!self) return nullptr;
  self->vectorcall = dispatcher_vectorcall;
  Py_INCREF(impl);
  self->impl = impl;
  self->overloads = new OverloadList();
  return reinterpret_cast<PyObject*>(self);
}

// Unknown attributes come from the Python implementation object.
PyObject* dispatcher_getattro(PyObject* obj, PyObject* name) {
  PyObject* r = PyObject_GenericGetAttr(obj, name);
  if (r || !PyErr_ExceptionMatches(PyExc_AttributeError)) return r;
  PyErr_Clear();
  return PyObject_GetAttr(reinterpret_cast<DispatcherObject*>(obj)->impl, name);
}

// _add_overload(fingerprint: list[int], entry: int, return_descriptor: bytes, release_gil: bool,
//               slow_path_only: bool = False)
PyObject* dispatcher_add_overload(PyObject* obj, PyObject* args) {
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  PyObject* codes;
  unsigned long long entry;
  Py_buffer desc;
  int release_gil;
  int slow_path_only = 0;
  if (!PyArg_ParseTuple(args, "OKy*p|p", &codes, &entry, &desc, &release_gil, &slow_path_only)) return nullptr;
  Overload o;
  PyObject* seq = PySequence_Fast(codes, "fingerprint must be a sequence");
  if (!seq) {
    PyBuffer_Release(&desc);
    return nullptr;
  }
  for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); ++i)
    o.fingerprint.push_back(static_cast<uint32_t>(PyLong_AsUnsignedLong(PySequence_Fast_GET_ITEM(seq, i))));
  Py_DECREF(seq);
  o.entry = reinterpret_cast<abi::EntryFn>(static_cast<uintptr_t>(entry));
  const auto* d = static_cast<const uint8_t*>(desc.buf);
  o.return_descriptor.assign(d, d + desc.len);
  PyBuffer_Release(&desc);
  o.return_slots = bindings::slot_count(o.return_descriptor.data(), o.return_descriptor.size());
  o.release_gil = release_gil;
  o.slow_path_only = slow_path_only;
  if (PyErr_Occurred()) return nullptr;
  self->overloads->push_back(std::move(o));
  Py_RETURN_NONE;
}

// _call_overload(index, args_tuple): call a specific overload (eager conversions).
PyObject* dispatcher_call_overload(PyObject* obj, PyObject* args) {
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  Py_ssize_t index;
  PyObject* call_args;
  if (!PyArg_ParseTuple(args, "nO!", &index, &PyTuple_Type, &call_args)) return nullptr;
  if (index < 0 || index >= static_cast<Py_ssize_t>(self->overloads->size())) {
    PyErr_SetString(PyExc_IndexError, "no such overload");
    return nullptr;
  }
  const Overload& o = (*self->overloads)[index];
  size_t n = PyTuple_GET_SIZE(call_args);
  if (n != o.fingerprint.size()) {
    PyErr_SetString(PyExc_TypeError, "wrong number of arguments for this overload");
    return nullptr;
  }
  for (size_t i = 0; i < n; ++i) {
    PyObject* arg = PyTuple_GET_ITEM(call_args, i);
    uint32_t code = argument_code(arg, false, o.slow_path_only, true);
    if (!compatible(o.fingerprint[i], code)) {
      PyErr_Format(PyExc_TypeError, "argument %zu does not match the compiled signature", i);
      return nullptr;
    }
  }
  return call_overload(o, &PyTuple_GET_ITEM(call_args, 0), n);
}

// Descriptor protocol: a dispatcher stored on a class behaves as a function.
PyObject* dispatcher_descr_get(PyObject* self, PyObject* obj, PyObject*) {
  if (obj == nullptr || obj == Py_None) {
    Py_INCREF(self);
    return self;
  }
  return PyMethod_New(self, obj);
}

PyObject* dispatcher_get_impl(PyObject* obj, void*) {
  PyObject* impl = reinterpret_cast<DispatcherObject*>(obj)->impl;
  Py_INCREF(impl);
  return impl;
}

PyObject* dispatcher_overload_count(PyObject* obj, void*) {
  return PyLong_FromSize_t(reinterpret_cast<DispatcherObject*>(obj)->overloads->size());
}

PyObject* dispatcher_clear_overloads(PyObject* obj, PyObject*) {
  auto* self = reinterpret_cast<DispatcherObject*>(obj);
  retired_overloads().push_back(self->overloads);
  self->overloads = new OverloadList();
  Py_RETURN_NONE;
}

// __doc__ is a type attribute, so forwarding through getattro would never
// reach it; a data descriptor does.
PyObject* dispatcher_get_doc(PyObject* obj, void*) {
  return PyObject_GetAttrString(reinterpret_cast<DispatcherObject*>(obj)->impl, "__doc__");
}

// Libraries fill in a jitted function's docstring after decorating it (quantecon).
int dispatcher_set_doc(PyObject* obj, PyObject* value, void*) {
  return PyObject_SetAttrString(reinterpret_cast<DispatcherObject*>(obj)->impl, "__doc__", value ? value : Py_None);
}

// Pickling (Dask, multiprocessing, MPI): the Python side decides how.
PyObject* dispatcher_reduce(PyObject* obj, PyObject*) {
  return PyObject_CallMethod(reinterpret_cast<DispatcherObject*>(obj)->impl, "_reduce", nullptr);
}

PyMethodDef dispatcher_methods[] = {
    {"__reduce__", dispatcher_reduce, METH_NOARGS, "pickle support"},
    {"_clear_overloads", dispatcher_clear_overloads, METH_NOARGS, "forget every compiled specialization"},
    {"_add_overload", dispatcher_add_overload, METH_VARARGS, "register a compiled specialization"},
    {"_call_overload", dispatcher_call_overload, METH_VARARGS, "call one specialization with exact arguments"},
    {nullptr, nullptr, 0, nullptr}};

PyGetSetDef dispatcher_getset[] = {
    {"__doc__", dispatcher_get_doc, dispatcher_set_doc, nullptr, nullptr},
    {"_impl", dispatcher_get_impl, nullptr, "the Python side of this dispatcher", nullptr},
    {"_overload_count", dispatcher_overload_count, nullptr, "number of compiled specializations", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};

PyMemberDef dispatcher_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(DispatcherObject, vectorcall), READONLY, nullptr},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(DispatcherObject, weakrefs), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr}};

PyType_Slot dispatcher_slots[] = {
    {Py_tp_new, reinterpret_cast<void*>(dispatcher_new)},
    {Py_tp_dealloc, reinterpret_cast<void*>(dispatcher_dealloc)},
    {Py_tp_traverse, reinterpret_cast<void*>(dispatcher_traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(dispatcher_clear)},
    {Py_tp_call, reinterpret_cast<void*>(PyVectorcall_Call)},
    {Py_tp_getattro, reinterpret_cast<void*>(dispatcher_getattro)},
    {Py_tp_descr_get, reinterpret_cast<void*>(dispatcher_descr_get)},
    {Py_tp_methods, dispatcher_methods},
    {Py_tp_getset, dispatcher_getset},
    {Py_tp_members, dispatcher_members},
    {0, nullptr}};

PyType_Spec dispatcher_spec = {
    "numjit._dispatch.Dispatcher", sizeof(DispatcherObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    dispatcher_slots};

}  // namespace

// Fills the runtime's table of the exceptions numjit raises by kind. The
// classes live as long as the process (builtins, and numpy.linalg's).
// A @cfunc called from C failed: its exception is reported as unraisable,
// with the GIL taken (a C caller may not hold it).
void report_cfunc_failure(const char* name) {
  PyGILState_STATE gil = PyGILState_Ensure();
  raise_pending_error();
  PyObject* where = PyUnicode_FromFormat("<numjit cfunc '%s'>", name);
  PyErr_WriteUnraisable(where);
  Py_XDECREF(where);
  PyGILState_Release(gil);
}

// A ufunc's inner loop stopped at an exception: it is raised into Python
// (the GIL taken: NumPy may have released it), and NumPy, finding it set
// after the loop, fails the call. The first of several stays.
void report_ufunc_failure() {
  PyGILState_STATE gil = PyGILState_Ensure();
  if (PyErr_Occurred()) runtime::take_pending_error();
  else raise_pending_error();
  PyGILState_Release(gil);
}

void register_exception_classes() {
  nb::module_ builtins = nb::module_::import_("builtins");
  nb::module_ linalg = nb::module_::import_("numpy.linalg");
  nb::module_ numpy_exceptions = nb::module_::import_("numpy.exceptions");
  auto home = [&](std::string_view name) -> nb::module_& {
    if (name == "LinAlgError") return linalg;
    return name == "AxisError" ? numpy_exceptions : builtins;
  };
#define NUMJIT_EXCEPTION_KIND(name) \
  runtime::register_exception_class(abi::ExceptionKind::name, home(#name).attr(#name).ptr());
  NUMJIT_EXCEPTION_KINDS(NUMJIT_EXCEPTION_KIND)
#undef NUMJIT_EXCEPTION_KIND
}

// A reference to a Python object, taken or dropped from any thread (the
// runtime's records of objects: objmode exceptions, arrays in containers).
static void take_reference(void* object) {
  PyGILState_STATE gil = PyGILState_Ensure();
  Py_INCREF(static_cast<PyObject*>(object));
  PyGILState_Release(gil);
}

static void drop_reference(void* object) {
  PyGILState_STATE gil = PyGILState_Ensure();
  Py_DECREF(static_cast<PyObject*>(object));
  PyGILState_Release(gil);
}

NB_MODULE(_dispatch, m) {
  m.doc() = "numjit's call path: argument fingerprints, boxing, calling compiled code";
  if (!bindings::init_numpy() || !bindings::init_ufunc_api()) throw nb::python_error();
  register_exception_classes();
  runtime::set_cfunc_failure_hook(report_cfunc_failure);
  runtime::set_ufunc_failure_hook(report_ufunc_failure);
  bindings::install_call_python();
  runtime::set_exception_hooks(
      // Reads the classes' MROs only (no allocation, no Python code), so it
      // is safe on a pool thread that does not hold the GIL.
      [](void* cls, void* base) {
        return PyType_Check(static_cast<PyObject*>(cls)) && PyType_Check(static_cast<PyObject*>(base)) &&
               PyType_IsSubtype(static_cast<PyTypeObject*>(cls), static_cast<PyTypeObject*>(base));
      },
      take_reference, drop_reference);
  // Arrays kept in a numjit.typed container hold their ndarray (runtime/memory.h).
  runtime::set_python_reference_hooks(take_reference, drop_reference);
  bindings::define_ufuncs(m);
  bindings::define_cached_code(m);
  PyObject* type = PyType_FromSpec(&dispatcher_spec);
  if (!type) throw nb::python_error();
  m.attr("Dispatcher") = nb::steal(type);
  m.def("fingerprint", [](nb::handle obj) { return bindings::fingerprint(obj.ptr()); });
  m.def("array_fingerprint", [](int kind, int ndim, char layout, bool readonly) {
    abi::Layout l = layout == 'C' ? abi::Layout::C : layout == 'F' ? abi::Layout::F : abi::Layout::Any;
    if (ndim <= 1 && l == abi::Layout::F) l = abi::Layout::C;
    return abi::array_fingerprint(static_cast<abi::ScalarKind>(kind), ndim, l, readonly);
  });
  m.def("register_tuple", [](std::vector<uint32_t> codes, nb::handle named_class) {
    return bindings::register_tuple(codes, named_class.is_none() ? nullptr : named_class.ptr());
  }, nb::arg("codes"), nb::arg("named_class") = nb::none());
  m.def("tuple_class", [](uint32_t code) {
    PyObject* cls = bindings::tuple_class(code);
    return cls ? nb::borrow(cls) : nb::none();
  });
  m.def("register_named_tuple_class", [](const std::string& key, nb::handle cls) {
    bindings::register_named_tuple_class(key, cls.ptr());
  });
  m.def("register_list", [](uint32_t item_code, bool typed) {
    return bindings::register_list(item_code) | (typed ? bindings::kFingerprintTypedBit : 0u);
  }, nb::arg("item_code"), nb::arg("typed") = false);
  m.def("list_item_code", &bindings::list_item_code);
  m.def("register_set", &bindings::register_set);
  m.def("tuple_element_codes", &bindings::tuple_element_codes);
  m.def("register_typed_dict", &bindings::register_typed_dict);
  m.def("typed_dict_codes", [](uint32_t code) {
    auto [key, value] = bindings::typed_dict_codes(code);
    return nb::make_tuple(key, value);
  });
  if (!bindings::define_typed_containers(m.ptr())) throw nb::python_error();
  m.def("set_typed_classes", [](nb::handle list, nb::handle dict) { bindings::set_typed_classes(list.ptr(), dict.ptr()); });
  nb::dict bits;
  bits["array"] = abi::kFingerprintArrayBit;
  bits["readonly"] = abi::kFingerprintReadonlyBit;
  bits["string"] = abi::kFingerprintStringBit;
  bits["tuple"] = abi::kFingerprintTupleBit;
  bits["list"] = abi::kFingerprintListBit;
  bits["dict"] = abi::kFingerprintDictBit;
  bits["typed"] = abi::kFingerprintTypedBit;
  bits["set"] = abi::kFingerprintSetBit;
  bits["generator"] = abi::kFingerprintGenerator;
  bits["bytes"] = abi::kFingerprintBytes;
  m.attr("fingerprint_bits") = bits;
  m.def("register_string", [](const std::string& text) { return bindings::register_string(text); });
  m.attr("any_string_code") = abi::kFingerprintAnyString;
  m.def("scalar_kinds", []() {
    nb::dict d;
    for (int i = 1; i < static_cast<int>(abi::ScalarKind::Count); ++i) d[abi::kScalarKindNames[i]] = i;
    return d;
  });
  m.def("max_threads", &runtime::max_threads);
  m.def("set_num_threads", &runtime::set_num_threads);
  m.def("get_num_threads", &runtime::num_threads);
  m.def("get_thread_id", []() { return numjit_rt_thread_id(); });
  m.def("set_parallel_chunksize", &runtime::set_chunk_size);
  m.def("get_parallel_chunksize", &runtime::chunk_size);
  m.def("runtime_symbols", []() {
    nb::dict d;
#define NUMJIT_RUNTIME_FUNCTION(result, name, params) \
  d["numjit_rt_" #name] = reinterpret_cast<uintptr_t>(&numjit_rt_##name);
#include "numjit/runtime/functions.def"
#undef NUMJIT_RUNTIME_FUNCTION
    return d;
  });
  m.def("allocation_stats", []() {
    runtime::AllocationStats s = runtime::allocation_stats();
    return nb::make_tuple(s.alloc, s.free);
  });
}
