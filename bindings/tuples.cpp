#include "tuples.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>

#include "boxing.h"

namespace numjit::bindings {
namespace {

struct TupleLayout {
  PyObject* named_class = nullptr;  // a namedtuple's class, else nullptr
  std::vector<uint32_t> codes;
  std::vector<size_t> offsets;
  size_t size = 0;
  size_t align = 1;
};

// Registered layouts live for the process (codes index them), like compiled code.
struct Registry {
  std::mutex mutex;
  std::vector<TupleLayout> layouts;
  std::map<std::pair<PyObject*, std::vector<uint32_t>>, uint32_t> codes;
  // Namedtuple classes (strong references, for the process) by key, and the keys' classes.
  std::map<std::string, PyObject*, std::less<>> named_classes;
  std::map<PyTypeObject*, std::string> named_keys;
};

Registry& registry() {
  static auto* r = new Registry();
  return *r;
}

// Size and alignment of one element as the LLVM struct lays it out (bool is
// one byte, complex numbers are pairs, arrays are ArrayHeaders).
void size_align(uint32_t code, size_t& size, size_t& align) {
  if (code == abi::kFingerprintAnyString || (code & (abi::kFingerprintListBit | abi::kFingerprintDictBit | abi::kFingerprintSetBit))) {  // its MemInfo
    size = align = 8;
    return;
  }
  if (code & kFingerprintTupleBit) {
    const TupleLayout& t = registry().layouts[code & abi::kFingerprintIndexMask];
    size = t.size;
    align = t.align;
    return;
  }
  if (code & abi::kFingerprintArrayBit) {
    size = abi::array_header_bytes(abi::fingerprint_ndim(code));
    align = 8;
    return;
  }
  if (code == abi::kFingerprintBytes) {  // the ArrayHeader of a 1-D uint8 array
    size = abi::array_header_bytes(1);
    align = 8;
    return;
  }
  if (abi::is_time_kind(abi::fingerprint_kind(code))) {  // an int64 count
    size = align = 8;
    return;
  }
  switch (abi::fingerprint_kind(code)) {
    case abi::ScalarKind::Int16: case abi::ScalarKind::UInt16: size = align = 2; return;
    case abi::ScalarKind::Int32: case abi::ScalarKind::UInt32: case abi::ScalarKind::Float32: size = align = 4; return;
    case abi::ScalarKind::Int64: case abi::ScalarKind::UInt64: case abi::ScalarKind::Float64: size = align = 8; return;
    case abi::ScalarKind::Complex64: size = 8; align = 4; return;
    case abi::ScalarKind::Complex128: size = 16; align = 8; return;
    default: size = align = 1; return;  // bool, int8, uint8, None
  }
}

}  // namespace

namespace {
struct StringCodes {
  std::mutex mutex;
  std::map<std::string, uint32_t, std::less<>> codes;
};
StringCodes& string_codes() {
  static auto* s = new StringCodes();
  return *s;
}
}  // namespace

uint32_t register_string(const std::string& text) {
  StringCodes& s = string_codes();
  std::lock_guard lock(s.mutex);
  auto [it, added] = s.codes.emplace(text, kFingerprintStringBit | static_cast<uint32_t>(s.codes.size()));
  return it->second;
}

uint32_t string_fingerprint(PyObject* text) {
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(text, &size);
  if (!utf8) {
    PyErr_Clear();
    return 0;
  }
  StringCodes& s = string_codes();
  std::lock_guard lock(s.mutex);
  auto it = s.codes.find(std::string_view(utf8, static_cast<size_t>(size)));
  return it == s.codes.end() ? 0 : it->second;
}

size_t element_size(uint32_t code) {
  size_t size, align;
  size_align(code, size, align);
  return size;
}

uint32_t register_tuple(const std::vector<uint32_t>& element_codes, PyObject* named_class) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.codes.find({named_class, element_codes});
  if (it != r.codes.end()) return it->second;
  TupleLayout layout;
  layout.named_class = named_class;
  layout.codes = element_codes;
  for (uint32_t c : element_codes) {
    size_t size, align;
    size_align(c, size, align);
    layout.size = (layout.size + align - 1) / align * align;
    layout.offsets.push_back(layout.size);
    layout.size += size;
    layout.align = std::max(layout.align, align);
  }
  layout.size = (layout.size + layout.align - 1) / layout.align * layout.align;
  uint32_t code = kFingerprintTupleBit | static_cast<uint32_t>(r.layouts.size());
  r.layouts.push_back(std::move(layout));
  r.codes.emplace(std::pair{named_class, element_codes}, code);
  return code;
}

PyObject* tuple_class(uint32_t code) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.layouts[code & abi::kFingerprintIndexMask].named_class;
}

void register_named_tuple_class(const std::string& key, PyObject* cls) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  if (!r.named_classes.emplace(key, cls).second) return;
  Py_INCREF(cls);
  r.named_keys.emplace(reinterpret_cast<PyTypeObject*>(cls), key);
}

bool is_registered_named_tuple_class(PyTypeObject* cls) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.named_keys.count(cls) != 0;
}

std::string named_tuple_key_of(PyObject* cls) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.named_keys.find(reinterpret_cast<PyTypeObject*>(cls));
  return it == r.named_keys.end() ? std::string() : it->second;
}

PyObject* named_tuple_class(const std::string& key) {
  {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.named_classes.find(key);
    if (it != r.named_classes.end()) return it->second;
  }
  // Code loaded from the cache names a class this process has not met yet:
  // numjit.types finds it by its module and qualified name, and registers it.
  PyObject* types = PyImport_ImportModule("numjit.types");
  PyObject* found = types ? PyObject_CallMethod(types, "named_tuple_class", "s", key.c_str()) : nullptr;
  Py_XDECREF(types);
  if (!found) return nullptr;
  Py_DECREF(found);  // the registry holds it now
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.named_classes.find(key);
  if (it != r.named_classes.end()) return it->second;
  PyErr_Format(PyExc_TypeError, "numjit: no namedtuple class is registered as '%s'", key.c_str());
  return nullptr;
}

uint32_t tuple_fingerprint(PyObject* tuple, bool accept_unaligned, bool accept_subclasses) {
  Py_ssize_t n = PyTuple_GET_SIZE(tuple);
  std::vector<uint32_t> codes(static_cast<size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    codes[i] = fingerprint(PyTuple_GET_ITEM(tuple, i), accept_unaligned, accept_subclasses);
    if (codes[i] == 0) return 0;
  }
  PyObject* named_class = PyTuple_CheckExact(tuple) ? nullptr : reinterpret_cast<PyObject*>(Py_TYPE(tuple));
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.codes.find({named_class, codes});
  return it == r.codes.end() ? 0 : it->second;
}

size_t tuple_size(uint32_t code) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return std::max<size_t>(r.layouts[code & abi::kFingerprintIndexMask].size, 1);
}

std::vector<uint32_t> tuple_element_codes(uint32_t code) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.layouts[code & abi::kFingerprintIndexMask].codes;
}

std::vector<size_t> tuple_offsets(uint32_t code) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.layouts[code & abi::kFingerprintIndexMask].offsets;
}

bool unbox_tuple(PyObject* tuple, uint32_t code, void* storage) {
  TupleLayout layout;
  {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    layout = r.layouts[code & abi::kFingerprintIndexMask];
  }
  auto* base = static_cast<unsigned char*>(storage);
  for (size_t i = 0; i < layout.codes.size(); ++i) {
    uint32_t c = layout.codes[i];
    PyObject* item = PyTuple_GET_ITEM(tuple, static_cast<Py_ssize_t>(i));
    // Scalars unbox through a 16-byte scratch slot: they may be narrower than it.
    if (!(c & (kFingerprintTupleBit | abi::kFingerprintArrayBit)) && c != abi::kFingerprintBytes) {
      alignas(16) unsigned char scratch[16];
      if (!unbox(item, c, scratch)) return false;
      size_t size, align;
      size_align(c, size, align);
      std::memcpy(base + layout.offsets[i], scratch, size);
      continue;
    }
    if (!unbox(item, c, base + layout.offsets[i])) return false;
  }
  return true;
}

}  // namespace numjit::bindings
