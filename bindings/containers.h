// Containers compiled code built (lists, dicts, sets, strings) as Python
// objects. Their items are stored inline, each described in the return
// descriptor (runtime/abi.h) by its item codes: Scalar + kind, Array + kind
// + ndim, String, Tuple + n + each element's item codes, NamedTuple + its
// key (as in a return descriptor) + the Tuple's codes, or List + the inner
// list's item codes.
#pragma once

#include <Python.h>

#include <cstddef>
#include <cstdint>

#include "numjit/runtime/memory.h"

namespace numjit::bindings {

// How many descriptor bytes the item codes at d[pos] take.
size_t item_codes(const uint8_t* d, size_t pos);
// The length of a dict key's description at `pos`: a kind byte, or
// abi::kTupleKeyCode and the tuple's item codes.
size_t key_codes(const uint8_t* d, size_t pos);
// The fingerprint of the item the codes at d[pos] describe. Arrays in a
// descriptor carry no layout: they get 'A'.
uint32_t item_fingerprint(const uint8_t* d, size_t pos);

// Each of these reads the descriptor after its own code (advancing pos) and
// the slot holding the container's MemInfo, and drops that reference.
PyObject* box_list(const uint8_t* d, size_t& pos, const unsigned char* slot);
PyObject* box_dict(const uint8_t* d, size_t& pos, const unsigned char* slot);
PyObject* box_set(const uint8_t* d, size_t& pos, const unsigned char* slot);
PyObject* box_string(const unsigned char* slot);

// A dict key or set item stored at `at`: a number of kind `code`, or a string
// (abi::kStringKindCode); a new reference.
PyObject* box_key(uint8_t code, const void* at);

// A Python str of a run-time string (the caller keeps its reference).
PyObject* string_object(runtime::MemInfo* text);

}  // namespace numjit::bindings
