#include "typed_containers.h"

#include <structmember.h>

#include <cstring>
#include <mutex>
#include <vector>

#include "containers.h"
#include "lists.h"
#include "numjit/runtime/memory.h"
#include "tuples.h"

namespace numjit::bindings {
namespace {

struct TypedObject {
  PyObject_HEAD
  runtime::MemInfo* meminfo;  // a reference; null until the container exists
  uint32_t code;              // its fingerprint; 0 while meminfo is null
};

PyTypeObject* typed_base = nullptr;
PyTypeObject* list_class = nullptr;
PyTypeObject* dict_class = nullptr;

struct DictCodes {
  std::mutex mutex;
  std::vector<std::pair<uint32_t, uint32_t>> keys_and_values;  // indexed by the code's low bits
};

DictCodes& dict_codes() {
  static auto* codes = new DictCodes();
  return *codes;
}

void typed_dealloc(PyObject* obj) {
  auto* self = reinterpret_cast<TypedObject*>(obj);
  if (self->meminfo) numjit_rt_meminfo_decref(self->meminfo);
  PyTypeObject* tp = Py_TYPE(obj);
  tp->tp_free(obj);
  Py_DECREF(tp);
}

// other._adopt: makes this object share `other`'s container (typed.py builds
// a container by a compiled call, whose result is a new object, and moves it
// into the object the user holds).
PyObject* typed_adopt(PyObject* obj, PyObject* other) {
  if (!PyObject_TypeCheck(other, typed_base)) {
    PyErr_SetString(PyExc_TypeError, "_adopt expects a typed container");
    return nullptr;
  }
  auto* self = reinterpret_cast<TypedObject*>(obj);
  auto* source = reinterpret_cast<TypedObject*>(other);
  if (source->meminfo) source->meminfo->refcount.fetch_add(1);
  if (self->meminfo) numjit_rt_meminfo_decref(self->meminfo);
  self->meminfo = source->meminfo;
  self->code = source->code;
  Py_RETURN_NONE;
}

PyMethodDef typed_methods[] = {
    {"_adopt", typed_adopt, METH_O, "share another typed container's memory"}, {nullptr, nullptr, 0, nullptr}};

PyMemberDef typed_members[] = {
    {"_code", T_UINT, offsetof(TypedObject, code), READONLY, "the container's fingerprint (0: none yet)"},
    {nullptr, 0, 0, 0, nullptr}};

PyType_Slot typed_slots[] = {{Py_tp_new, reinterpret_cast<void*>(PyType_GenericNew)},
                             {Py_tp_dealloc, reinterpret_cast<void*>(typed_dealloc)},
                             {Py_tp_methods, typed_methods},
                             {Py_tp_members, typed_members},
                             {0, nullptr}};

PyType_Spec typed_spec = {"numjit._dispatch.TypedContainer", sizeof(TypedObject), 0,
                          Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, typed_slots};

// A jitclass instance is a typed list whose one item is a namedtuple of its
// fields (numjit/experimental/jitclass.py): the fields' class names the
// jitclass (its `_numjit_instance_class`, a subclass of typed.List), which the
// list boxes as. nullptr for any other list.
PyTypeObject* jitclass_of_item(const uint8_t* d, size_t pos) {
  if (static_cast<abi::ReturnCode>(d[pos]) != abi::ReturnCode::NamedTuple) return nullptr;
  std::string key(reinterpret_cast<const char*>(d + pos + 3), descriptor_text_length(d + pos + 1));
  if (!key.ends_with(abi::kJitclassFieldsSuffix)) return nullptr;
  PyObject* fields = named_tuple_class(key);
  PyObject* instance_class = fields ? PyObject_GetAttrString(fields, "_numjit_instance_class") : nullptr;
  if (!instance_class) {
    PyErr_Clear();
    return nullptr;
  }
  Py_DECREF(instance_class);  // the fields' class keeps it
  return PyType_Check(instance_class) ? reinterpret_cast<PyTypeObject*>(instance_class) : nullptr;
}

uint32_t key_fingerprint(uint8_t code) {
  return code == abi::kStringKindCode ? abi::kFingerprintAnyString : abi::scalar_fingerprint(static_cast<abi::ScalarKind>(code));
}

}  // namespace

bool define_typed_containers(PyObject* module) {
  PyObject* type = PyType_FromSpec(&typed_spec);
  if (!type) return false;
  typed_base = reinterpret_cast<PyTypeObject*>(type);
  return PyModule_AddObject(module, "TypedContainer", type) == 0;
}

void set_typed_classes(PyObject* list, PyObject* dict) {
  Py_XINCREF(list);
  Py_XINCREF(dict);
  list_class = reinterpret_cast<PyTypeObject*>(list);
  dict_class = reinterpret_cast<PyTypeObject*>(dict);
}

uint32_t register_typed_dict(uint32_t key_code, uint32_t value_code) {
  DictCodes& c = dict_codes();
  std::lock_guard lock(c.mutex);
  std::pair<uint32_t, uint32_t> entry{key_code, value_code};
  size_t i = 0;
  while (i < c.keys_and_values.size() && c.keys_and_values[i] != entry) ++i;
  if (i == c.keys_and_values.size()) c.keys_and_values.push_back(entry);
  return kFingerprintDictBit | kFingerprintTypedBit | static_cast<uint32_t>(i);
}

std::pair<uint32_t, uint32_t> typed_dict_codes(uint32_t code) {
  DictCodes& c = dict_codes();
  std::lock_guard lock(c.mutex);
  return c.keys_and_values.at(code & abi::kFingerprintIndexMask);
}

uint32_t typed_fingerprint(PyObject* obj) {
  if (!typed_base || !PyObject_TypeCheck(obj, typed_base)) return 0;
  return reinterpret_cast<TypedObject*>(obj)->code;
}

bool unbox_typed(PyObject* obj, uint32_t code, void* storage) {
  if (typed_fingerprint(obj) != code) {
    PyErr_SetString(PyExc_TypeError, "expected a numjit.typed container of another type");
    return false;
  }
  runtime::MemInfo* mi = reinterpret_cast<TypedObject*>(obj)->meminfo;
  mi->refcount.fetch_add(1);
  std::memcpy(storage, &mi, sizeof(mi));
  return true;
}

PyObject* box_typed(const uint8_t* d, size_t& pos, const unsigned char* slot, bool dict) {
  runtime::MemInfo* mi;
  std::memcpy(&mi, slot, sizeof(mi));
  uint32_t code;
  if (dict) {
    code = register_typed_dict(key_fingerprint(d[pos]), item_fingerprint(d, pos + 1));
    pos += 1 + item_codes(d, pos + 1);
  }
  PyTypeObject* cls = dict ? dict_class : list_class;
  if (!dict) {
    if (PyTypeObject* instance_class = jitclass_of_item(d, pos)) cls = instance_class;
    code = register_list(item_fingerprint(d, pos)) | kFingerprintTypedBit;
    pos += item_codes(d, pos);
  }
  PyObject* out = cls ? cls->tp_alloc(cls, 0) : nullptr;
  if (!out) {
    numjit_rt_meminfo_decref(mi);
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "numjit.typed is not imported");
    return nullptr;
  }
  auto* self = reinterpret_cast<TypedObject*>(out);
  self->meminfo = mi;
  self->code = code;
  return out;
}

}  // namespace numjit::bindings
