// Tuples as arguments: a tuple's fingerprint names a registered layout (the
// element fingerprints, each element's offset in the LLVM struct compiled
// code loads, the total size), so tuples take the same fast path as scalars
// and arrays once an overload for their element types exists.
#pragma once

#include <Python.h>

#include <cstdint>
#include <string>
#include <vector>

#include "numjit/runtime/abi.h"

namespace numjit::bindings {

using abi::kFingerprintStringBit;
using abi::kFingerprintTupleBit;
// A string argument: its text is part of its type (a compile-time constant),
// so each text registered by a compile gets its own code; unboxing writes a
// placeholder byte.
uint32_t register_string(const std::string& text);
// Bytes one value of fingerprint `code` occupies inside a struct or a list.
size_t element_size(uint32_t code);
// The code of a registered str, else 0.
uint32_t string_fingerprint(PyObject* text);

// The code for a tuple with these element fingerprints, registering its
// layout; `named_class` (borrowed, kept alive by the namedtuple registry) makes
// it the code of that namedtuple class's instances.
uint32_t register_tuple(const std::vector<uint32_t>& element_codes, PyObject* named_class = nullptr);
// The fingerprint of a Python tuple, or of an instance of a registered
// namedtuple class, whose layout is registered, else 0 (accept_unaligned: as
// for fingerprint(), applied to its elements).
uint32_t tuple_fingerprint(PyObject* tuple, bool accept_unaligned = false, bool accept_subclasses = false);
// The namedtuple class of a registered tuple code; nullptr for a plain tuple.
PyObject* tuple_class(uint32_t code);

// Namedtuple classes, by the key compiled code names them with
// (types::Type::class_key; numjit/types.py assigns keys and registers them).
void register_named_tuple_class(const std::string& key, PyObject* cls);
bool is_registered_named_tuple_class(PyTypeObject* cls);
// The key of a registered class ("" for any other).
std::string named_tuple_key_of(PyObject* cls);
// The class (borrowed) for a key; one not registered in this process (code
// loaded from the cache) is looked up through numjit.types. nullptr with a
// Python error when there is none.
PyObject* named_tuple_class(const std::string& key);
// The length of the text that follows a NamedTuple or DType return code (abi::ReturnCode).
inline size_t descriptor_text_length(const uint8_t* at) { return at[0] | (static_cast<size_t>(at[1]) << 8); }
// The bytes the unboxed tuple occupies.
size_t tuple_size(uint32_t code);
// The element fingerprints of a registered tuple.
std::vector<uint32_t> tuple_element_codes(uint32_t code);
// Each element's offset in a registered tuple's layout.
std::vector<size_t> tuple_offsets(uint32_t code);
// Writes the tuple's elements at their offsets in `storage`.
bool unbox_tuple(PyObject* tuple, uint32_t code, void* storage);

}  // namespace numjit::bindings
