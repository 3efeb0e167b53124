#include "containers.h"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "boxing.h"
#include "numjit/runtime/abi.h"
#include "numjit/runtime/dict.h"
#include "numjit/runtime/strings.h"
#include "lists.h"
#include "sets.h"
#include "tuples.h"
#include "typed_containers.h"

namespace numjit::bindings {
namespace {

using abi::ReturnCode;
using abi::ScalarKind;

runtime::MemInfo* meminfo_at(const unsigned char* at) {
  runtime::MemInfo* mi;
  std::memcpy(&mi, at, sizeof(mi));
  return mi;
}

// Boxes the items of one container: decoded once from the item codes at
// d[pos], then applied to each item's address. The container keeps its own
// references; each boxed item takes new ones.
class ItemBoxer {
 public:
  ItemBoxer(const uint8_t* d, size_t pos) : d_(d), pos_(pos), code_(static_cast<ReturnCode>(d[pos])) {
    if (code_ == ReturnCode::Scalar || code_ == ReturnCode::Array) kind_ = static_cast<ScalarKind>(d[pos + 1]);
    if (code_ == ReturnCode::Array) ndim_ = d[pos + 2];
    if (code_ == ReturnCode::NamedTuple) {
      size_t length = descriptor_text_length(d + pos + 1);
      key_.assign(reinterpret_cast<const char*>(d + pos + 3), length);
      elements_.emplace_back(d, pos + 3 + length);
    }
    if (code_ == ReturnCode::Tuple) {
      offsets_ = tuple_offsets(item_fingerprint(d, pos));
      size_t at = pos + 2;
      for (int k = 0; k < d[pos + 1]; ++k) {
        elements_.emplace_back(d, at);
        at += item_codes(d, at);
      }
    }
  }

  PyObject* operator()(const unsigned char* at) const {
    switch (code_) {
      case ReturnCode::Scalar: return box_scalar(kind_, at);
      case ReturnCode::Array: {
        const auto* h = reinterpret_cast<const abi::ArrayHeader*>(at);
        if (h->meminfo) static_cast<runtime::MemInfo*>(h->meminfo)->refcount.fetch_add(1);
        return box_array(kind_, ndim_, h);
      }
      case ReturnCode::String: return string_object(meminfo_at(at));
      case ReturnCode::Tuple: {
        PyObject* out = PyTuple_New(static_cast<Py_ssize_t>(elements_.size()));
        for (size_t k = 0; out && k < elements_.size(); ++k) {
          PyObject* element = elements_[k](at + offsets_[k]);
          if (!element) Py_CLEAR(out);
          else PyTuple_SET_ITEM(out, static_cast<Py_ssize_t>(k), element);
        }
        return out;
      }
      case ReturnCode::NamedTuple: {
        PyObject* values = elements_[0](at);
        PyObject* cls = values ? named_tuple_class(key_) : nullptr;
        PyObject* out = cls ? PyObject_Call(cls, values, nullptr) : nullptr;
        Py_XDECREF(values);
        return out;
      }
      case ReturnCode::List:
      case ReturnCode::TypedList: {
        meminfo_at(at)->refcount.fetch_add(1);  // the boxed list takes one over
        size_t inner = pos_ + 1;
        return code_ == ReturnCode::List ? box_list(d_, inner, at) : box_typed(d_, inner, at, false);
      }
      case ReturnCode::Dict:
      case ReturnCode::TypedDict:
      case ReturnCode::Set: {
        meminfo_at(at)->refcount.fetch_add(1);
        size_t inner = pos_ + 1;
        if (code_ == ReturnCode::Set) return box_set(d_, inner, at);
        return code_ == ReturnCode::Dict ? box_dict(d_, inner, at) : box_typed(d_, inner, at, true);
      }
      default: PyErr_SetString(PyExc_SystemError, "numjit: bad item descriptor"); return nullptr;
    }
  }

 private:
  const uint8_t* d_;
  size_t pos_;
  ReturnCode code_;
  ScalarKind kind_ = ScalarKind::Invalid;
  int ndim_ = 0;
  std::vector<ItemBoxer> elements_;  // a tuple's elements; a namedtuple's tuple
  std::vector<size_t> offsets_;
  std::string key_;                  // a namedtuple's class
};

}  // namespace

PyObject* box_key(uint8_t code, const void* at) {
  const auto* bytes = static_cast<const unsigned char*>(at);
  if (code == abi::kStringKindCode) return string_object(meminfo_at(bytes));
  return box_scalar(static_cast<ScalarKind>(code), bytes);
}

size_t key_codes(const uint8_t* d, size_t pos) {
  return d[pos] == abi::kTupleKeyCode ? 1 + item_codes(d, pos + 1) : 1;
}

size_t item_codes(const uint8_t* d, size_t pos) {
  switch (static_cast<ReturnCode>(d[pos])) {
    case ReturnCode::String: return 1;
    case ReturnCode::Tuple: {
      size_t at = pos + 2;
      for (int k = 0; k < d[pos + 1]; ++k) at += item_codes(d, at);
      return at - pos;
    }
    case ReturnCode::NamedTuple: {
      size_t key = 3 + descriptor_text_length(d + pos + 1);
      return key + item_codes(d, pos + key);
    }
    case ReturnCode::Array: return 3;
    case ReturnCode::List:
    case ReturnCode::TypedList: return 1 + item_codes(d, pos + 1);
    case ReturnCode::Dict:
    case ReturnCode::TypedDict: {
      size_t value = pos + 1 + key_codes(d, pos + 1);
      return value + item_codes(d, value) - pos;
    }
    default: return 2;  // Scalar or Set + a kind
  }
}

uint32_t item_fingerprint(const uint8_t* d, size_t pos) {
  switch (static_cast<ReturnCode>(d[pos])) {
    case ReturnCode::String: return abi::kFingerprintAnyString;
    case ReturnCode::Array:
      return abi::array_fingerprint(static_cast<ScalarKind>(d[pos + 1]), d[pos + 2], abi::Layout::Any, false);
    case ReturnCode::Tuple:
    case ReturnCode::NamedTuple: {
      PyObject* named_class = nullptr;
      if (static_cast<ReturnCode>(d[pos]) == ReturnCode::NamedTuple) {
        size_t length = descriptor_text_length(d + pos + 1);
        named_class = named_tuple_class(std::string(reinterpret_cast<const char*>(d + pos + 3), length));
        if (!named_class) PyErr_Clear();  // boxing will report it
        pos += 3 + length;
      }
      std::vector<uint32_t> codes;
      size_t at = pos + 2;
      for (int k = 0; k < d[pos + 1]; ++k) {
        codes.push_back(item_fingerprint(d, at));
        at += item_codes(d, at);
      }
      return register_tuple(codes, named_class);
    }
    case ReturnCode::List: return register_list(item_fingerprint(d, pos + 1));
    case ReturnCode::TypedList: return register_list(item_fingerprint(d, pos + 1)) | kFingerprintTypedBit;
    case ReturnCode::Dict:
    case ReturnCode::TypedDict: {
      uint8_t key = d[pos + 1];
      uint32_t key_code = key == abi::kTupleKeyCode   ? item_fingerprint(d, pos + 2)
                          : key == abi::kStringKindCode ? abi::kFingerprintAnyString
                                                        : abi::scalar_fingerprint(static_cast<ScalarKind>(key));
      return register_typed_dict(key_code, item_fingerprint(d, pos + 1 + key_codes(d, pos + 1)));
    }
    case ReturnCode::Set: {
      uint8_t item = d[pos + 1];
      return register_set(item == abi::kStringKindCode ? abi::kFingerprintAnyString
                                                       : abi::scalar_fingerprint(static_cast<ScalarKind>(item)));
    }
    default: return abi::scalar_fingerprint(static_cast<ScalarKind>(d[pos + 1]));
  }
}

PyObject* string_object(runtime::MemInfo* text) {
  runtime::numjit_str* s = runtime::string_of(text);
  return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s->chars(), static_cast<Py_ssize_t>(s->length));
}

PyObject* box_string(const unsigned char* slot) {
  runtime::MemInfo* mi = meminfo_at(slot);
  PyObject* out = string_object(mi);
  numjit_rt_meminfo_decref(mi);
  return out;
}

PyObject* box_list(const uint8_t* d, size_t& pos, const unsigned char* slot) {
  ItemBoxer box_item(d, pos);
  pos += item_codes(d, pos);
  runtime::MemInfo* mi = meminfo_at(slot);
  auto* list = static_cast<numjit_list*>(mi->data);
  PyObject* out = PyList_New(list->size);
  for (int64_t i = 0; out && i < list->size; ++i) {
    PyObject* item = box_item(reinterpret_cast<const unsigned char*>(list->items + i * list->itemsize));
    if (!item) Py_CLEAR(out);
    else PyList_SET_ITEM(out, i, item);
  }
  numjit_rt_meminfo_decref(mi);
  return out;
}

// Insertion order is kept, as in Python.
PyObject* box_dict(const uint8_t* d, size_t& pos, const unsigned char* slot) {
  uint8_t key_code = d[pos];
  std::optional<ItemBoxer> box_tuple_key;
  if (key_code == abi::kTupleKeyCode) box_tuple_key.emplace(d, pos + 1);
  pos += key_codes(d, pos);
  ItemBoxer box_value(d, pos);
  pos += item_codes(d, pos);
  runtime::MemInfo* mi = meminfo_at(slot);
  PyObject* out = PyDict_New();
  for (int64_t e = numjit_rt_dict_next(mi, 0); out && e >= 0; e = numjit_rt_dict_next(mi, e + 1)) {
    const void* stored_key = numjit_rt_dict_key(mi, e);
    PyObject* key = box_tuple_key ? (*box_tuple_key)(static_cast<const unsigned char*>(stored_key))
                                  : box_key(key_code, stored_key);
    PyObject* value = box_value(static_cast<const unsigned char*>(numjit_rt_dict_value(mi, e)));
    if (!key || !value || PyDict_SetItem(out, key, value) < 0) Py_CLEAR(out);
    Py_XDECREF(key);
    Py_XDECREF(value);
  }
  numjit_rt_meminfo_decref(mi);
  return out;
}

PyObject* box_set(const uint8_t* d, size_t& pos, const unsigned char* slot) {
  uint8_t item_code = d[pos++];
  runtime::MemInfo* mi = meminfo_at(slot);
  PyObject* out = PySet_New(nullptr);
  for (int64_t e = numjit_rt_dict_next(mi, 0); out && e >= 0; e = numjit_rt_dict_next(mi, e + 1)) {
    PyObject* item = box_key(item_code, numjit_rt_dict_key(mi, e));
    if (!item || PySet_Add(out, item) < 0) Py_CLEAR(out);
    Py_XDECREF(item);
  }
  numjit_rt_meminfo_decref(mi);
  return out;
}

}  // namespace numjit::bindings
