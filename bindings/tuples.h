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

// The code for a tuple with these element fingerprints, registering its layout.
uint32_t register_tuple(const std::vector<uint32_t>& element_codes);
// The fingerprint of a Python tuple whose layout is registered, else 0
// (accept_unaligned: as for fingerprint(), applied to its elements).
uint32_t tuple_fingerprint(PyObject* tuple, bool accept_unaligned = false, bool accept_subclasses = false);
// The bytes the unboxed tuple occupies.
size_t tuple_size(uint32_t code);
// The element fingerprints of a registered tuple.
std::vector<uint32_t> tuple_element_codes(uint32_t code);
// Each element's offset in a registered tuple's layout.
std::vector<size_t> tuple_offsets(uint32_t code);
// Writes the tuple's elements at their offsets in `storage`.
bool unbox_tuple(PyObject* tuple, uint32_t code, void* storage);

}  // namespace numjit::bindings
