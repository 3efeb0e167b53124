#include "sets.h"

#include <cstring>

#include "boxing.h"
#include "containers.h"
#include "lists.h"
#include "numjit/runtime/dict.h"
#include "numjit/runtime/memory.h"
#include "tuples.h"

namespace numjit::bindings {
namespace {

bool is_string_items(uint32_t item_code) { return item_code == abi::kFingerprintAnyString; }

// -0.0 as 0.0, as compiled code makes every float key before hashing it.
void canonical(uint32_t item_code, unsigned char* key) {
  auto kind = abi::fingerprint_kind(item_code);
  int floats = kind == abi::ScalarKind::Float64 || kind == abi::ScalarKind::Complex128 ? 8
               : kind == abi::ScalarKind::Float32 || kind == abi::ScalarKind::Complex64 ? 4 : 0;
  int parts = kind == abi::ScalarKind::Complex128 || kind == abi::ScalarKind::Complex64 ? 2 : 1;
  for (int p = 0; floats && p < parts; ++p) {
    if (floats == 8) {
      double v;
      std::memcpy(&v, key + 8 * p, 8);
      v += 0.0;
      std::memcpy(key + 8 * p, &v, 8);
    } else {
      float v;
      std::memcpy(&v, key + 4 * p, 4);
      v += 0.0f;
      std::memcpy(key + 4 * p, &v, 4);
    }
  }
}

}  // namespace

uint32_t register_set(uint32_t item_code) {
  return (register_list(item_code) & ~kFingerprintListBit) | kFingerprintSetBit;
}

bool unbox_set(PyObject* set, uint32_t code, void* storage) {
  if (!PyAnySet_Check(set)) {
    PyErr_SetString(PyExc_TypeError, "expected a set");
    return false;
  }
  uint32_t item_code = list_item_code(code);
  bool strings = is_string_items(item_code);
  runtime::MemInfo* mi = numjit_rt_dict_new(static_cast<int64_t>(element_size(item_code)), 0, strings ? 2 : 0);
  if (!mi) return PyErr_NoMemory(), false;
  Py_ssize_t position = 0;
  PyObject* item;
  Py_hash_t hash;
  while (_PySet_NextEntry(set, &position, &item, &hash)) {
    alignas(16) unsigned char key[16] = {};
    bool fits = strings ? PyUnicode_Check(item) : fingerprint(item, false, true) == item_code;
    if (!fits || !unbox(item, item_code, key)) {
      numjit_rt_meminfo_decref(mi);
      if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "a set item has a different type from the set's others");
      return false;
    }
    canonical(item_code, key);
    int64_t added;
    numjit_rt_dict_insert(mi, key, &added);
    if (strings) numjit_rt_meminfo_decref(*reinterpret_cast<runtime::MemInfo**>(key));  // the set took its own
  }
  *static_cast<runtime::MemInfo**>(storage) = mi;
  return true;
}

bool reflect_set(PyObject* set, uint32_t code, void* storage) {
  uint32_t item_code = list_item_code(code);
  uint8_t key_code = is_string_items(item_code) ? abi::kStringKindCode : static_cast<uint8_t>(abi::fingerprint_kind(item_code));
  runtime::MemInfo* mi = *static_cast<runtime::MemInfo**>(storage);
  bool ok = PySet_Clear(set) == 0;
  for (int64_t e = numjit_rt_dict_next(mi, 0); ok && e >= 0; e = numjit_rt_dict_next(mi, e + 1)) {
    PyObject* item = box_key(key_code, numjit_rt_dict_key(mi, e));
    ok = item && PySet_Add(set, item) == 0;
    Py_XDECREF(item);
  }
  numjit_rt_meminfo_decref(mi);
  return ok;
}

}  // namespace numjit::bindings
