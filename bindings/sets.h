// Python sets as arguments, reflected as Numba's are: the set is copied into
// a numjit set for the call (runtime/dict.h, a table without values), and
// after the call the Python set is given the numjit set's items, so adds and
// removals made by compiled code show in the caller's set.
#pragma once

#include <Python.h>

#include <cstdint>

#include "numjit/runtime/abi.h"

namespace numjit::bindings {

using abi::kFingerprintSetBit;

// The code of a set whose items have fingerprint `item_code` (numbers or str).
uint32_t register_set(uint32_t item_code);
// Builds the numjit set for `set` into `storage` (its MemInfo pointer);
// TypeError when an item does not have the set's type.
bool unbox_set(PyObject* set, uint32_t code, void* storage);
// Gives `set` the numjit set's items and drops the call's reference to it.
bool reflect_set(PyObject* set, uint32_t code, void* storage);

}  // namespace numjit::bindings
