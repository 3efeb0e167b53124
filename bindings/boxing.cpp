#define PY_ARRAY_UNIQUE_SYMBOL numjit_dispatch_ARRAY_API
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include "boxing.h"

#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>

#include <complex>
#include <cstring>

#include "numjit/runtime/arrays.h"
#include "numjit/runtime/generator.h"
#include "numjit/runtime/memory.h"
#include "lists.h"
#include "sets.h"
#include "numjit/runtime/dict.h"
#include "containers.h"
#include "numjit/runtime/strings.h"
#include "tuples.h"
#include "typed_containers.h"

namespace numjit::bindings {

using abi::Layout;
using abi::ScalarKind;

namespace {
PyTypeObject* g_generator_type = nullptr;  // numpy.random.Generator
}  // namespace

namespace {
int typenum_of(ScalarKind k);

// np.sort and np.argsort in compiled code run NumPy's own sorts
// (runtime/arrays.h). 500,000 values: np.sort of float64 5 ms where
// std::sort took 58 (Numba 52); one-byte kinds keep the runtime's counting
// sort (uint8: 0.8 ms, NumPy's 20). np.argsort (stable in numjit) takes
// NumPy's stable one (a radix sort) for kinds of one and two bytes, and its
// quicksort with equal runs put in order for the rest (float64 61 -> ~13 ms).
void give_numpy_sorts_to_runtime() {
  for (int k = static_cast<int>(ScalarKind::Bool); k <= static_cast<int>(ScalarKind::Complex128); ++k) {
    PyArray_Descr* descr = PyArray_DescrFromType(typenum_of(static_cast<ScalarKind>(k)));
    if (!descr) {
      PyErr_Clear();
      continue;
    }
    const PyArray_ArrFuncs* f = PyDataType_GetArrFuncs(descr);
    const bool narrow = (PyDataType_ELSIZE(descr) <= 2 && PyDataType_ISINTEGER(descr)) || PyDataType_ISBOOL(descr);
    if (PyDataType_ELSIZE(descr) > 1)
      runtime::set_numpy_sort(k, reinterpret_cast<runtime::NumpySortFn>(f->sort[NPY_QUICKSORT]));
    auto* argsort = reinterpret_cast<runtime::NumpyArgsortFn>(f->argsort[narrow ? NPY_STABLESORT : NPY_QUICKSORT]);
    runtime::set_numpy_argsort(k, argsort, narrow);
    Py_DECREF(descr);
  }
}
}  // namespace

bool init_numpy() {
  import_array1(false);
  give_numpy_sorts_to_runtime();
  PyObject* random = PyImport_ImportModule("numpy.random");
  if (!random) return false;
  g_generator_type = reinterpret_cast<PyTypeObject*>(PyObject_GetAttrString(random, "Generator"));
  Py_DECREF(random);
  return g_generator_type != nullptr;
}

namespace {

ScalarKind kind_of_typenum(int typenum) {
  switch (typenum) {
    case NPY_BOOL: return ScalarKind::Bool;
    case NPY_INT8: return ScalarKind::Int8;
    case NPY_INT16: return ScalarKind::Int16;
    case NPY_INT32: return ScalarKind::Int32;
    case NPY_LONG: return sizeof(long) == 8 ? ScalarKind::Int64 : ScalarKind::Int32;
    case NPY_LONGLONG: return ScalarKind::Int64;
    case NPY_UINT8: return ScalarKind::UInt8;
    case NPY_UINT16: return ScalarKind::UInt16;
    case NPY_UINT32: return ScalarKind::UInt32;
    case NPY_ULONG: return sizeof(long) == 8 ? ScalarKind::UInt64 : ScalarKind::UInt32;
    case NPY_ULONGLONG: return ScalarKind::UInt64;
    case NPY_FLOAT32: return ScalarKind::Float32;
    case NPY_FLOAT64: return ScalarKind::Float64;
    case NPY_COMPLEX64: return ScalarKind::Complex64;
    case NPY_COMPLEX128: return ScalarKind::Complex128;
    default: return ScalarKind::Invalid;
  }
}

// A dtype's kind: its type number's, or for datetime64 and timedelta64 the
// kind of its unit (Invalid for a generic unit, or a multiple such as [5s]).
ScalarKind kind_of_descr(PyArray_Descr* d) {
  if (d->type_num != NPY_DATETIME && d->type_num != NPY_TIMEDELTA) return kind_of_typenum(d->type_num);
  const auto* meta = reinterpret_cast<PyArray_DatetimeDTypeMetaData*>(PyDataType_C_METADATA(d));
  int base = meta ? static_cast<int>(meta->meta.base) : -1;
  // NumPy numbers its units Y M W (B) D h ... as; numjit's have no business days.
  int unit = base >= NPY_FR_Y && base <= NPY_FR_W ? base : base >= NPY_FR_D && base <= NPY_FR_as ? base - 1 : -1;
  if (unit < 0 || meta->meta.num != 1) return ScalarKind::Invalid;
  return abi::time_kind(d->type_num == NPY_DATETIME, unit);
}

uint32_t array_fingerprint(PyArrayObject* a, bool accept_unaligned) {
  PyArray_Descr* d = PyArray_DESCR(a);
  if (!PyArray_ISNBO(d->byteorder)) return 0;  // byte-swapped data: slow path explains
  ScalarKind k = kind_of_descr(d);
  int ndim = PyArray_NDIM(a);
  if (k == ScalarKind::Invalid || ndim > abi::kMaxNdim) return 0;
  int flags = PyArray_FLAGS(a);
  Layout layout = (flags & NPY_ARRAY_C_CONTIGUOUS) ? Layout::C
                  : (flags & NPY_ARRAY_F_CONTIGUOUS) ? Layout::F : Layout::Any;
  if (ndim <= 1 && layout == Layout::F) layout = Layout::C;
  // Byte-aligned buffers need code compiled for them (dispatcher.py, _holds_unaligned).
  if (!(flags & NPY_ARRAY_ALIGNED) && !accept_unaligned) return 0;
  return abi::array_fingerprint(k, ndim, layout, !(flags & NPY_ARRAY_WRITEABLE));
}

}  // namespace

uint32_t fingerprint(PyObject* obj, bool accept_unaligned, bool accept_subclasses) {
  PyTypeObject* t = Py_TYPE(obj);
  if (t == &PyFloat_Type) return abi::scalar_fingerprint(ScalarKind::Float64);
  if (t == &PyLong_Type) {
    int overflow = 0;
    PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (overflow == 0) return abi::scalar_fingerprint(ScalarKind::Int64);
    if (overflow > 0) {
      PyLong_AsUnsignedLongLong(obj);
      if (!PyErr_Occurred()) return abi::scalar_fingerprint(ScalarKind::UInt64);
      PyErr_Clear();
    }
    return 0;
  }
  // Subclasses (np.memmap, np.ma arrays) take the slow path, which decides
  // whether their behaviour allows compiled code to read only their data.
  if (accept_subclasses ? PyArray_Check(obj) : PyArray_CheckExact(obj))
    return array_fingerprint(reinterpret_cast<PyArrayObject*>(obj), accept_unaligned);
  if (t == &PyBool_Type) return abi::scalar_fingerprint(ScalarKind::Bool);
  if (t == &PyTuple_Type || (PyTuple_Check(obj) && is_registered_named_tuple_class(t)))
    return tuple_fingerprint(obj, accept_unaligned, accept_subclasses);
  if (t == &PyUnicode_Type) {
    // A text some overload was compiled for as a constant has its own code;
    // any other is a run-time string, which unicode_type overloads take.
    uint32_t code = string_fingerprint(obj);
    return code ? code : abi::kFingerprintAnyString;
  }
  if (t == &PyComplex_Type) return abi::scalar_fingerprint(ScalarKind::Complex128);
  if (obj == Py_None) return abi::scalar_fingerprint(ScalarKind::None);
  if (PyArray_IsScalar(obj, Generic)) {
    PyArray_Descr* d = PyArray_DescrFromScalar(obj);
    ScalarKind k = kind_of_descr(d);
    Py_DECREF(d);
    return k == ScalarKind::Invalid ? 0 : abi::scalar_fingerprint(k);
  }
  if (t == g_generator_type) return abi::kFingerprintGenerator;
  if (t == &PyBytes_Type) return abi::kFingerprintBytes;
  return typed_fingerprint(obj);
}

bool array_accepts(uint32_t declared, uint32_t actual) {
  if (!(declared & abi::kFingerprintArrayBit) || !(actual & abi::kFingerprintArrayBit)) return false;
  constexpr uint32_t kKindAndNdim = 0xffff;
  if ((declared & kKindAndNdim) != (actual & kKindAndNdim)) return false;
  Layout layout = abi::fingerprint_layout(declared);
  if (layout != Layout::Any && layout != abi::fingerprint_layout(actual)) return false;
  return (declared & abi::kFingerprintReadonlyBit) || !(actual & abi::kFingerprintReadonlyBit);
}

size_t unboxed_size(uint32_t code) {
  if (code & kFingerprintTupleBit) return tuple_size(code);
  if (code & abi::kFingerprintArrayBit) return abi::array_header_bytes(abi::fingerprint_ndim(code));
  if (code == abi::kFingerprintBytes) return abi::array_header_bytes(1);
  return 16;
}

bool unbox(PyObject* obj, uint32_t code, void* storage) {
  if (code == abi::kFingerprintGenerator) {  // a block the call owns (dispatch_module.cpp drops it after)
    runtime::MemInfo* block = Py_TYPE(obj) == g_generator_type ? runtime::generator_from_python(obj) : nullptr;
    if (!block && !PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "expected an np.random.Generator");
    std::memcpy(storage, &block, sizeof(block));
    return block != nullptr;
  }
  if (code == abi::kFingerprintBytes) {  // a read-only view of the bytes object's buffer, which it keeps as parent
    if (!PyBytes_Check(obj)) return PyErr_SetString(PyExc_TypeError, "expected bytes"), false;
    auto* h = static_cast<abi::ArrayHeader*>(storage);
    h->meminfo = nullptr;
    h->parent = obj;
    h->data = PyBytes_AS_STRING(obj);
    h->dims[0] = PyBytes_GET_SIZE(obj);
    h->dims[1] = 1;
    return true;
  }
  if (code & kFingerprintTypedBit) return unbox_typed(obj, code, storage);
  if (code & kFingerprintTupleBit) return unbox_tuple(obj, code, storage);
  if (code & kFingerprintListBit) return unbox_list(obj, code, storage);
  if (code & kFingerprintSetBit) return unbox_set(obj, code, storage);
  if (code == abi::kFingerprintAnyString) {  // a run-time string the caller (a list) will own
    Py_UCS4* chars = PyUnicode_Check(obj) ? PyUnicode_AsUCS4Copy(obj) : nullptr;
    if (!chars) {
      if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "expected a str");
      return false;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(obj);
    runtime::MemInfo* text = runtime::new_string(n);
    if (text) std::memcpy(runtime::string_of(text)->chars(), chars, static_cast<size_t>(n) * 4);
    PyMem_Free(chars);
    if (!text) return PyErr_NoMemory(), false;
    std::memcpy(storage, &text, sizeof(text));
    return true;
  }
  if (code & kFingerprintStringBit) {
    *static_cast<uint8_t*>(storage) = 0;  // the text is in the compiled code's type
    return true;
  }
  if (code & abi::kFingerprintArrayBit) {
    auto* a = reinterpret_cast<PyArrayObject*>(obj);
    auto* h = static_cast<abi::ArrayHeader*>(storage);
    int nd = PyArray_NDIM(a);
    h->meminfo = nullptr;
    h->parent = obj;
    h->data = static_cast<char*>(PyArray_DATA(a));
    std::memcpy(h->dims, PyArray_DIMS(a), nd * sizeof(int64_t));
    std::memcpy(h->dims + nd, PyArray_STRIDES(a), nd * sizeof(int64_t));
    return true;
  }
  auto kind = abi::fingerprint_kind(code);
  if (kind == ScalarKind::None) return true;
  if (PyArray_IsScalar(obj, Generic)) {
    PyArray_ScalarAsCtype(obj, storage);
    if (kind == ScalarKind::Bool) *static_cast<uint8_t*>(storage) = *static_cast<npy_bool*>(storage) != 0;
    return true;
  }
  switch (kind) {
    case ScalarKind::Float64: *static_cast<double*>(storage) = PyFloat_AS_DOUBLE(obj); return true;
    case ScalarKind::Int64: *static_cast<int64_t*>(storage) = PyLong_AsLongLong(obj); return !PyErr_Occurred();
    case ScalarKind::UInt64:
      *static_cast<uint64_t*>(storage) = PyLong_AsUnsignedLongLong(obj);
      return !PyErr_Occurred();
    case ScalarKind::Bool: *static_cast<uint8_t*>(storage) = obj == Py_True; return true;
    case ScalarKind::Complex128: {
      auto* c = static_cast<double*>(storage);
      c[0] = PyComplex_RealAsDouble(obj);
      c[1] = PyComplex_ImagAsDouble(obj);
      return true;
    }
    default:
      PyErr_SetString(PyExc_TypeError, "numjit: cannot convert argument");
      return false;
  }
}

namespace {

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

}  // namespace

namespace {
PyArray_Descr* descr_of(ScalarKind k);
}  // namespace

PyObject* box_scalar(ScalarKind k, const unsigned char* p) {
  if (abi::is_time_kind(k)) {  // an np.datetime64 / np.timedelta64 of the kind's unit
    PyArray_Descr* d = descr_of(k);
    PyObject* out = d ? PyArray_Scalar(const_cast<unsigned char*>(p), d, nullptr) : nullptr;
    Py_XDECREF(d);
    return out;
  }
  switch (k) {
    case ScalarKind::Bool: return PyBool_FromLong(*p != 0);
    case ScalarKind::Int8: return PyLong_FromLong(load<int8_t>(p));
    case ScalarKind::Int16: return PyLong_FromLong(load<int16_t>(p));
    case ScalarKind::Int32: return PyLong_FromLong(load<int32_t>(p));
    case ScalarKind::Int64: return PyLong_FromLongLong(load<int64_t>(p));
    case ScalarKind::UInt8: return PyLong_FromUnsignedLong(load<uint8_t>(p));
    case ScalarKind::UInt16: return PyLong_FromUnsignedLong(load<uint16_t>(p));
    case ScalarKind::UInt32: return PyLong_FromUnsignedLong(load<uint32_t>(p));
    case ScalarKind::UInt64: return PyLong_FromUnsignedLongLong(load<uint64_t>(p));
    case ScalarKind::Float32: return PyFloat_FromDouble(load<float>(p));
    case ScalarKind::Float64: return PyFloat_FromDouble(load<double>(p));
    case ScalarKind::Complex64: {
      auto c = load<std::complex<float>>(p);
      return PyComplex_FromDoubles(c.real(), c.imag());
    }
    case ScalarKind::Complex128: {
      auto c = load<std::complex<double>>(p);
      return PyComplex_FromDoubles(c.real(), c.imag());
    }
    case ScalarKind::None: Py_RETURN_NONE;
    default: PyErr_SetString(PyExc_SystemError, "numjit: bad return descriptor"); return nullptr;
  }
}

namespace {

// Skips one value in a descriptor, counting its slots.
void skip(const uint8_t* d, size_t& pos, size_t& slots) {
  switch (static_cast<abi::ReturnCode>(d[pos++])) {
    case abi::ReturnCode::Scalar: ++pos; ++slots; return;
    case abi::ReturnCode::Optional: ++slots; skip(d, pos, slots); return;
    case abi::ReturnCode::Tuple: {
      int n = d[pos++];
      for (int i = 0; i < n; ++i) skip(d, pos, slots);
      return;
    }
    case abi::ReturnCode::Array:
    case abi::ReturnCode::ReadonlyArray:
      pos += 2;
      slots += abi::array_return_slots(d[pos - 1]);
      return;
    case abi::ReturnCode::List:
    case abi::ReturnCode::TypedList:
      pos += item_codes(d, pos);
      ++slots;
      return;
    case abi::ReturnCode::String:
    case abi::ReturnCode::Generator:
      ++slots;
      return;
    case abi::ReturnCode::Bytes: slots += abi::array_return_slots(1); return;
    case abi::ReturnCode::Dict:
    case abi::ReturnCode::TypedDict:
      pos += key_codes(d, pos);
      pos += item_codes(d, pos);
      ++slots;
      return;
    case abi::ReturnCode::Set:
      ++pos;
      ++slots;
      return;
    case abi::ReturnCode::NamedTuple:
      pos += 2 + descriptor_text_length(d + pos);
      skip(d, pos, slots);
      return;
    case abi::ReturnCode::DType: pos += 2 + descriptor_text_length(d + pos); return;
  }
}

}  // namespace

namespace {

int typenum_of(ScalarKind k) {
  static const int kTypenums[] = {-1, NPY_BOOL, NPY_INT8, NPY_INT16, NPY_INT32, NPY_INT64, NPY_UINT8, NPY_UINT16,
                                  NPY_UINT32, NPY_UINT64, NPY_FLOAT32, NPY_FLOAT64, NPY_COMPLEX64, NPY_COMPLEX128};
  return kTypenums[static_cast<int>(k)];
}

// The dtype of a kind, a new reference (as PyArray_NewFromDescr steals one).
// Those of datetime64[unit] and timedelta64[unit] are made once, by name.
PyArray_Descr* descr_of(ScalarKind k) {
  if (!abi::is_time_kind(k)) return PyArray_DescrFromType(typenum_of(k));
  static PyArray_Descr* made[static_cast<int>(ScalarKind::Count)] = {};
  PyArray_Descr*& d = made[static_cast<int>(k)];
  if (!d) {
    PyObject* name = PyUnicode_FromString(abi::kScalarKindNames[static_cast<int>(k)]);
    int ok = name ? PyArray_DescrConverter(name, &d) : 0;
    Py_XDECREF(name);
    if (!ok) return nullptr;
  }
  Py_INCREF(d);
  return d;
}

void release_memory(PyObject* capsule) {
  numjit_rt_meminfo_decref(static_cast<runtime::MemInfo*>(PyCapsule_GetPointer(capsule, "numjit.meminfo")));
}

}  // namespace

// An array compiled code returns either owns memory compiled code allocated
// (its meminfo; the returned header carries one reference, which the new
// ndarray's base takes over) or views a buffer a Python array owns (its
// parent): the parent itself when the view is all of it, else a new ndarray
// whose base keeps the parent alive.
PyObject* box_array(ScalarKind k, int ndim, const abi::ArrayHeader* h, bool readonly) {
  const int writeable = readonly ? 0 : NPY_ARRAY_WRITEABLE;
  auto* dims = const_cast<npy_intp*>(reinterpret_cast<const npy_intp*>(h->dims));
  if (h->meminfo) {
    PyObject* owner = PyCapsule_New(h->meminfo, "numjit.meminfo", release_memory);
    if (!owner) {
      numjit_rt_meminfo_decref(static_cast<runtime::MemInfo*>(h->meminfo));
      return nullptr;
    }
    PyObject* out = PyArray_NewFromDescr(&PyArray_Type, descr_of(k), ndim, dims,
                                         dims + ndim, h->data, writeable, nullptr);
    if (!out || PyArray_SetBaseObject(reinterpret_cast<PyArrayObject*>(out), owner) < 0) {
      Py_XDECREF(out);
      if (!out) Py_DECREF(owner);
      return nullptr;
    }
    return out;
  }
  auto* parent = static_cast<PyObject*>(h->parent);
  if (!parent) {
    PyErr_SetString(PyExc_SystemError, "numjit: a returned array has neither an owner nor a parent");
    return nullptr;
  }
  // A view of a bytes argument's buffer is read-only, kept alive by the bytes.
  auto* pa = PyArray_Check(parent) ? reinterpret_cast<PyArrayObject*>(parent) : nullptr;
  if (pa && !readonly && PyArray_NDIM(pa) == ndim && PyArray_DATA(pa) == h->data && kind_of_descr(PyArray_DESCR(pa)) == k &&
      std::memcmp(PyArray_DIMS(pa), h->dims, ndim * sizeof(int64_t)) == 0 &&
      std::memcmp(PyArray_STRIDES(pa), h->dims + ndim, ndim * sizeof(int64_t)) == 0) {
    Py_INCREF(parent);
    return parent;
  }
  int flags = pa ? PyArray_FLAGS(pa) & writeable : 0;
  PyObject* out = PyArray_NewFromDescr(&PyArray_Type, descr_of(k), ndim, dims, dims + ndim,
                                       h->data, flags, nullptr);
  if (!out) return nullptr;
  Py_INCREF(parent);
  if (PyArray_SetBaseObject(reinterpret_cast<PyArrayObject*>(out), parent) < 0) {
    Py_DECREF(out);
    return nullptr;
  }
  return out;
}

namespace {

// A bytes value: the bytes object itself when the value views all of it (a
// bytes argument returned), else a new bytes object holding a copy. The
// header's reference (compiled code's tobytes() memory) is dropped.
PyObject* box_bytes(const abi::ArrayHeader* h) {
  auto* parent = static_cast<PyObject*>(h->parent);
  PyObject* out;
  if (parent && PyBytes_Check(parent) && PyBytes_AS_STRING(parent) == h->data && PyBytes_GET_SIZE(parent) == h->dims[0]) {
    Py_INCREF(parent);
    out = parent;
  } else {
    out = PyBytes_FromStringAndSize(h->data, h->dims[0]);
  }
  numjit_rt_meminfo_decref(static_cast<runtime::MemInfo*>(h->meminfo));
  return out;
}

// Drops the references held by the values of a result that will not be boxed
// (boxing failed part-way), so nothing leaks.
void release(const uint8_t* d, size_t& pos, const unsigned char* slots, size_t& slot) {
  auto code = static_cast<abi::ReturnCode>(d[pos++]);
  switch (code) {
    case abi::ReturnCode::Scalar: ++pos; ++slot; return;
    case abi::ReturnCode::Optional: {
      bool present = slots[abi::kReturnSlotBytes * slot++] != 0;
      if (present) return release(d, pos, slots, slot);
      size_t skipped = 0;
      skip(d, pos, skipped);
      slot += skipped;
      return;
    }
    case abi::ReturnCode::Tuple: {
      int n = d[pos++];
      for (int i = 0; i < n; ++i) release(d, pos, slots, slot);
      return;
    }
    case abi::ReturnCode::NamedTuple:
      pos += 2 + descriptor_text_length(d + pos);
      return release(d, pos, slots, slot);
    case abi::ReturnCode::DType: pos += 2 + descriptor_text_length(d + pos); return;
    case abi::ReturnCode::Array:
    case abi::ReturnCode::ReadonlyArray:
    case abi::ReturnCode::Bytes: {
      int ndim = code == abi::ReturnCode::Bytes ? 1 : d[pos + 1];
      if (code != abi::ReturnCode::Bytes) pos += 2;
      const auto* h = reinterpret_cast<const abi::ArrayHeader*>(slots + abi::kReturnSlotBytes * slot);
      numjit_rt_meminfo_decref(static_cast<runtime::MemInfo*>(h->meminfo));
      slot += abi::array_return_slots(ndim);
      return;
    }
    case abi::ReturnCode::List:
    case abi::ReturnCode::TypedList:
    case abi::ReturnCode::Dict:
    case abi::ReturnCode::TypedDict:
    case abi::ReturnCode::Set:
    case abi::ReturnCode::Generator:
    case abi::ReturnCode::String: {
      if (code == abi::ReturnCode::Dict || code == abi::ReturnCode::TypedDict) pos += key_codes(d, pos);
      if (code == abi::ReturnCode::Set) ++pos;     // the item's kind
      else if (code != abi::ReturnCode::String && code != abi::ReturnCode::Generator)
        pos += item_codes(d, pos);  // a list's or dict's item
      runtime::MemInfo* mi;
      std::memcpy(&mi, slots + abi::kReturnSlotBytes * slot++, sizeof(mi));
      numjit_rt_meminfo_decref(mi);
      return;
    }
  }
}

}  // namespace

size_t slot_count(const uint8_t* descriptor, size_t length) {
  size_t pos = 0, slots = 0;
  while (pos < length) skip(descriptor, pos, slots);
  return slots;
}

PyObject* box(const uint8_t* d, size_t& pos, const unsigned char* slots, size_t& slot) {
  const auto code = static_cast<abi::ReturnCode>(d[pos++]);
  switch (code) {
    case abi::ReturnCode::Scalar: {
      auto k = static_cast<ScalarKind>(d[pos++]);
      return box_scalar(k, slots + abi::kReturnSlotBytes * slot++);
    }
    case abi::ReturnCode::Optional: {
      bool present = slots[abi::kReturnSlotBytes * slot++] != 0;
      if (present) return box(d, pos, slots, slot);
      size_t ignored = 0;
      skip(d, pos, ignored);
      slot += ignored;
      Py_RETURN_NONE;
    }
    case abi::ReturnCode::Array:
    case abi::ReturnCode::ReadonlyArray: {
      bool readonly = code == abi::ReturnCode::ReadonlyArray;
      auto k = static_cast<ScalarKind>(d[pos++]);
      int ndim = d[pos++];
      const auto* h = reinterpret_cast<const abi::ArrayHeader*>(slots + abi::kReturnSlotBytes * slot);
      slot += abi::array_return_slots(ndim);
      return box_array(k, ndim, h, readonly);
    }
    case abi::ReturnCode::Bytes: {
      const auto* h = reinterpret_cast<const abi::ArrayHeader*>(slots + abi::kReturnSlotBytes * slot);
      slot += abi::array_return_slots(1);
      return box_bytes(h);
    }
    case abi::ReturnCode::List: return box_list(d, pos, slots + abi::kReturnSlotBytes * slot++);
    case abi::ReturnCode::Dict: return box_dict(d, pos, slots + abi::kReturnSlotBytes * slot++);
    case abi::ReturnCode::Set: return box_set(d, pos, slots + abi::kReturnSlotBytes * slot++);
    case abi::ReturnCode::String: return box_string(slots + abi::kReturnSlotBytes * slot++);
    case abi::ReturnCode::Generator: {  // the Python Generator itself; the block's reference is dropped
      runtime::MemInfo* block;
      std::memcpy(&block, slots + abi::kReturnSlotBytes * slot++, sizeof(block));
      auto* generator = static_cast<PyObject*>(runtime::generator_object(block));
      Py_INCREF(generator);
      numjit_rt_meminfo_decref(block);
      return generator;
    }
    case abi::ReturnCode::TypedList: return box_typed(d, pos, slots + abi::kReturnSlotBytes * slot++, false);
    case abi::ReturnCode::TypedDict: return box_typed(d, pos, slots + abi::kReturnSlotBytes * slot++, true);
    case abi::ReturnCode::Tuple: {
      int n = d[pos++];
      PyObject* t = PyTuple_New(n);
      if (!t) {
        for (int j = 0; j < n; ++j) release(d, pos, slots, slot);
        return nullptr;
      }
      for (int i = 0; i < n; ++i) {
        PyObject* item = box(d, pos, slots, slot);
        if (!item) {
          for (int j = i + 1; j < n; ++j) release(d, pos, slots, slot);
          Py_DECREF(t);
          return nullptr;
        }
        PyTuple_SET_ITEM(t, i, item);
      }
      return t;
    }
    case abi::ReturnCode::DType: {  // np.dtype(name)
      size_t length = descriptor_text_length(d + pos);
      PyObject* name = PyUnicode_FromStringAndSize(reinterpret_cast<const char*>(d + pos + 2),
                                                   static_cast<Py_ssize_t>(length));
      pos += 2 + length;
      PyArray_Descr* descr = nullptr;
      if (name && !PyArray_DescrConverter(name, &descr)) descr = nullptr;
      Py_XDECREF(name);
      return reinterpret_cast<PyObject*>(descr);
    }
    case abi::ReturnCode::NamedTuple: {  // its values, then the class called with them
      size_t length = descriptor_text_length(d + pos);
      std::string key(reinterpret_cast<const char*>(d + pos + 2), length);
      pos += 2 + length;
      PyObject* values = box(d, pos, slots, slot);
      PyObject* cls = values ? named_tuple_class(key) : nullptr;
      PyObject* instance = cls ? PyObject_Call(cls, values, nullptr) : nullptr;
      Py_XDECREF(values);
      return instance;
    }
  }
  PyErr_SetString(PyExc_SystemError, "numjit: bad return descriptor");
  return nullptr;
}

}  // namespace numjit::bindings
