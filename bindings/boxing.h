// Python objects <-> the native values compiled code takes and returns
// (runtime/abi.h). Used on every call, so it is plain C API, no allocation
// beyond the boxed result.
#pragma once

#include <Python.h>

#include <cstdint>

#include "numjit/runtime/abi.h"

namespace numjit::bindings {

// Must run once in the module's init (imports NumPy's C API).
bool init_numpy();

// The fingerprint of one argument, or 0 when the fast path cannot take it
// (the dispatcher's Python side then types it or raises).
// accept_unaligned: arrays not aligned to their element size get their code
// too (for overloads compiled for them); otherwise 0, which sends them to the slow path.
// accept_subclasses: ndarray subclasses get their code too (the slow path has
// already refused the ones that change behaviour); else they get 0.
uint32_t fingerprint(PyObject* obj, bool accept_unaligned = false, bool accept_subclasses = false);

// Whether an array of fingerprint `actual` may be passed where compiled code
// was typed for `declared`: the same dtype and rank, a layout 'A' takes any
// layout, and read-only code takes writable arrays (not the reverse).
bool array_accepts(uint32_t declared, uint32_t actual);

// Writes the native value of `obj` (whose fingerprint is `code`) into
// `storage`, which holds at least 16 bytes for scalars or an ArrayHeader
// with 2*ndim dims for arrays. Returns false with a Python error set.
bool unbox(PyObject* obj, uint32_t code, void* storage);
size_t unboxed_size(uint32_t code);

// Builds the Python result from return slots, following the descriptor.
// `pos` walks the descriptor, `slot` the 16-byte slots.
PyObject* box(const uint8_t* descriptor, size_t& pos, const unsigned char* slots, size_t& slot);
// One number of kind `k` stored at `p` (in its memory layout; bool as a byte).
PyObject* box_scalar(abi::ScalarKind k, const unsigned char* p);
// An ndarray for an array header compiled code returned; takes over the
// reference the header's meminfo carries.
PyObject* box_array(abi::ScalarKind k, int ndim, const abi::ArrayHeader* h, bool readonly = false);
// Number of 16-byte slots a descriptor's value occupies.
size_t slot_count(const uint8_t* descriptor, size_t length);

}  // namespace numjit::bindings
