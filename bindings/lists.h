// Python lists as arguments ("reflected" lists, as Numba has them): the list
// is copied into a numjit list for the call, and after the call its items
// are written back into the Python list, so appends, pops and stores made by
// compiled code show in the caller's list.
#pragma once

#include <Python.h>

#include <cstdint>

#include "numjit/runtime/abi.h"

namespace numjit::bindings {

using abi::kFingerprintListBit;

// The code of a list whose items have fingerprint `item_code` (a typed
// list's code adds kFingerprintTypedBit), and back.
uint32_t register_list(uint32_t item_code);
uint32_t list_item_code(uint32_t code);
// Builds the numjit list for `list` (a Python list) into `storage` (its
// MemInfo pointer); TypeError when an item does not have the list's type.
bool unbox_list(PyObject* list, uint32_t code, void* storage);
// Writes the numjit list's items back into `list` and drops the call's
// reference to the numjit list.
bool reflect_list(PyObject* list, uint32_t code, void* storage);

}  // namespace numjit::bindings
