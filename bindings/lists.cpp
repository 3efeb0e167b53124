#include "lists.h"

#include <cstring>
#include <mutex>
#include <vector>

#include "boxing.h"
#include "containers.h"
#include "numjit/runtime/abi.h"
#include "numjit/runtime/memory.h"
#include "tuples.h"

namespace numjit::bindings {
namespace {

struct ListCodes {
  std::mutex mutex;
  std::vector<uint32_t> item_codes;  // indexed by the list code's low bits
};

ListCodes& list_codes() {
  static auto* codes = new ListCodes();
  return *codes;
}

}  // namespace

uint32_t list_item_code(uint32_t code) {
  ListCodes& l = list_codes();
  std::lock_guard lock(l.mutex);
  return l.item_codes[code & abi::kFingerprintIndexMask];
}

uint32_t register_list(uint32_t item_code) {
  ListCodes& l = list_codes();
  std::lock_guard lock(l.mutex);
  for (size_t i = 0; i < l.item_codes.size(); ++i)
    if (l.item_codes[i] == item_code) return kFingerprintListBit | static_cast<uint32_t>(i);
  l.item_codes.push_back(item_code);
  return kFingerprintListBit | static_cast<uint32_t>(l.item_codes.size() - 1);
}

bool unbox_list(PyObject* list, uint32_t code, void* storage) {
  if (!PyList_Check(list)) {
    PyErr_SetString(PyExc_TypeError, "expected a list");
    return false;
  }
  uint32_t item_code = list_item_code(code);
  bool arrays = item_code & abi::kFingerprintArrayBit;
  bool strings = item_code == abi::kFingerprintAnyString;
  bool lists = (item_code & kFingerprintListBit) && !(item_code & abi::kFingerprintTypedBit);  // reflected lists
  bool typed = item_code & abi::kFingerprintTypedBit;
  Py_ssize_t n = PyList_GET_SIZE(list);
  // Arrays, strings and lists are items the list holds references to.
  runtime::MemInfo* mi =
      numjit_rt_list_new(static_cast<int64_t>(element_size(item_code)), n, arrays || strings || lists || typed ? 1 : 0);
  if (!mi) return PyErr_NoMemory(), false;
  alignas(16) unsigned char item[abi::kMaxArgs * 64];
  auto* native = static_cast<numjit_list*>(mi->data);
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* value = PyList_GET_ITEM(list, i);
    // Python floats into a list of float64 and ints into int64, the common
    // case, are written straight into the list's room for n items.
    if (item_code == abi::scalar_fingerprint(abi::ScalarKind::Float64) && PyFloat_CheckExact(value)) {
      double v = PyFloat_AS_DOUBLE(value);
      std::memcpy(native->items + native->size++ * sizeof(v), &v, sizeof(v));
      continue;
    }
    if (item_code == abi::scalar_fingerprint(abi::ScalarKind::Int64) && PyLong_CheckExact(value)) {
      int overflow = 0;
      long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
      if (overflow == 0) {
        std::memcpy(native->items + native->size++ * sizeof(v), &v, sizeof(v));
        continue;
      }
    }
    uint32_t actual = strings || lists ? 0 : fingerprint(value, false, true);  // the slow path typed every item
    bool fits = (strings && PyUnicode_Check(value)) || (lists && PyList_Check(value)) || actual == item_code ||
                (arrays && array_accepts(item_code, actual));
    if (!fits || !unbox(value, item_code, item)) {
      numjit_rt_meminfo_decref(mi);
      if (!PyErr_Occurred())
        PyErr_Format(PyExc_TypeError, "list item %zd has a different type from the list's first item", i);
      return false;
    }
    numjit_rt_list_append(mi, item);
  }
  *static_cast<runtime::MemInfo**>(storage) = mi;
  return true;
}

// The return descriptor's item codes for an item of fingerprint `code` (containers.h).
void describe_item(uint32_t code, std::vector<uint8_t>& out) {
  if (code == abi::kFingerprintAnyString) {
    out.push_back(static_cast<uint8_t>(abi::ReturnCode::String));
  } else if (code & kFingerprintListBit) {
    out.push_back(static_cast<uint8_t>(code & abi::kFingerprintTypedBit ? abi::ReturnCode::TypedList : abi::ReturnCode::List));
    describe_item(list_item_code(code), out);
  } else if (code & abi::kFingerprintTupleBit) {
    if (PyObject* named_class = tuple_class(code)) {
      std::string key = named_tuple_key_of(named_class);
      out.insert(out.end(), {static_cast<uint8_t>(abi::ReturnCode::NamedTuple), static_cast<uint8_t>(key.size() & 0xff),
                             static_cast<uint8_t>(key.size() >> 8)});
      out.insert(out.end(), key.begin(), key.end());
    }
    std::vector<uint32_t> elements = tuple_element_codes(code);
    out.push_back(static_cast<uint8_t>(abi::ReturnCode::Tuple));
    out.push_back(static_cast<uint8_t>(elements.size()));
    for (uint32_t e : elements) describe_item(e, out);
  } else if (code & abi::kFingerprintArrayBit) {
    out.insert(out.end(), {static_cast<uint8_t>(abi::ReturnCode::Array), static_cast<uint8_t>(abi::fingerprint_kind(code)),
                           static_cast<uint8_t>(abi::fingerprint_ndim(code))});
  } else {
    out.insert(out.end(), {static_cast<uint8_t>(abi::ReturnCode::Scalar), static_cast<uint8_t>(abi::fingerprint_kind(code))});
  }
}

namespace {

// Whether the Python number `old` already is the number of kind `k` at `at`
// (bit for bit, so -0.0 and NaN payloads count as changes).
bool same_number(PyObject* old, abi::ScalarKind k, const unsigned char* at) {
  switch (k) {
    case abi::ScalarKind::Float64: {
      if (!PyFloat_CheckExact(old)) return false;
      double v = PyFloat_AS_DOUBLE(old);
      return std::memcmp(&v, at, sizeof(v)) == 0;
    }
    case abi::ScalarKind::Int64: {
      if (!PyLong_CheckExact(old)) return false;
      int overflow = 0;
      long long v = PyLong_AsLongLongAndOverflow(old, &overflow);
      return overflow == 0 && std::memcmp(&v, at, sizeof(v)) == 0;
    }
    case abi::ScalarKind::Bool: return PyBool_Check(old) && (old == Py_True) == (*at != 0);
    default: return false;
  }
}

// A list of numbers whose length compiled code kept: only the items it
// changed are boxed again, the others keep their objects.
bool reflect_numbers_in_place(PyObject* list, abi::ScalarKind kind, runtime::MemInfo* mi) {
  auto* native = static_cast<numjit_list*>(mi->data);
  bool ok = true;
  for (int64_t i = 0; ok && i < native->size; ++i) {
    const auto* at = reinterpret_cast<const unsigned char*>(native->items + i * native->itemsize);
    if (same_number(PyList_GET_ITEM(list, i), kind, at)) continue;
    PyObject* boxed = box_scalar(kind, at);
    ok = boxed && PyList_SetItem(list, i, boxed) == 0;  // takes `boxed`, drops the old item
  }
  numjit_rt_meminfo_decref(mi);
  return ok;
}

}  // namespace

bool reflect_list(PyObject* list, uint32_t code, void* storage) {
  uint32_t item = list_item_code(code);
  auto* mi = *static_cast<runtime::MemInfo**>(storage);
  constexpr uint32_t kNotANumber = abi::kFingerprintArrayBit | abi::kFingerprintStringBit | abi::kFingerprintTupleBit |
                                   kFingerprintListBit | abi::kFingerprintDictBit;
  if (!(item & kNotANumber) && static_cast<numjit_list*>(mi->data)->size == PyList_GET_SIZE(list))
    return reflect_numbers_in_place(list, abi::fingerprint_kind(item), mi);
  std::vector<uint8_t> descriptor;
  describe_item(item, descriptor);
  size_t pos = 0;
  PyObject* items = box_list(descriptor.data(), pos, static_cast<const unsigned char*>(storage));  // drops the reference
  if (!items) return false;
  int status = PyList_SetSlice(list, 0, PyList_GET_SIZE(list), items);
  Py_DECREF(items);
  return status == 0;
}

}  // namespace numjit::bindings
