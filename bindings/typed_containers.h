// numjit.typed.List and numjit.typed.Dict: Python objects that hold a numjit
// list or dict (its MemInfo) with its fingerprint. Compiled code takes them
// by reference, without copying or writing back, and returns them the same
// way, so Python and compiled code see one container. python/numjit/typed.py
// subclasses TypedContainer; its methods call small compiled functions.
#pragma once

#include <Python.h>

#include <cstddef>
#include <cstdint>
#include <utility>

#include "numjit/runtime/abi.h"

namespace numjit::bindings {

using abi::kFingerprintDictBit;
using abi::kFingerprintTypedBit;

// Adds the TypedContainer base class to the module; false with a Python error set.
bool define_typed_containers(PyObject* module);
// The classes boxed typed containers are made of (typed.List, typed.Dict);
// typed.py registers them at import.
void set_typed_classes(PyObject* list_class, PyObject* dict_class);

// The code of a typed dict with these key and value fingerprints.
uint32_t register_typed_dict(uint32_t key_code, uint32_t value_code);
std::pair<uint32_t, uint32_t> typed_dict_codes(uint32_t code);

// A TypedContainer's fingerprint; 0 for other objects and for one that holds
// no container yet (an empty typed.List() whose item type is not known).
uint32_t typed_fingerprint(PyObject* obj);
// Stores the container's MemInfo with a new reference.
bool unbox_typed(PyObject* obj, uint32_t code, void* storage);
// A TypedList / TypedDict return value: the descriptor after its code, and
// the slot holding the MemInfo, whose reference the new object takes over.
PyObject* box_typed(const uint8_t* d, size_t& pos, const unsigned char* slot, bool dict);

}  // namespace numjit::bindings
