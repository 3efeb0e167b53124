// Dicts built by compiled code: a refcounted block (runtime/memory.h) whose
// data is a numjit_dict, an insertion-ordered hash table as CPython's: a
// dense array of entries in insertion order and an open-addressing index of
// entry numbers. Keys and values are stored inline in their memory layout
// (`key_size` / `value_size` bytes); keys compare and hash as bytes, so
// compiled code zeroes a key's padding before it asks; string keys (bit 2 of
// the `owns_values` flags) are their MemInfos, hashed and compared by text,
// and the dict owns a reference to each. When `owns_values`,
// each value starts with an array's MemInfo and the dict holds a reference.
// Compiled code reads and writes values through the addresses these return.
#pragma once

#include <cstdint>

#include "numjit/runtime/functions.h"
#include "numjit/runtime/memory.h"

// The functions compiled code calls on them (numjit_rt_dict_*) are in functions.def.

namespace numjit::runtime {

// The hash of an 8-byte key that is not a string (compiled code computes the
// same, lower/lower_dict.cpp). Small non-negative integers hash as
// themselves, as in CPython, so a table of keys 0..n-1 fills n neighbouring
// slots, not n slots scattered over the index. The low half is mixed with the
// high half, so floats (whose low bits are often zero) and large integers
// spread too. It is a bijection (the high half is kept), so an equal hash is an
// equal key.
inline uint64_t hash_word(uint64_t word) {
  uint32_t high = static_cast<uint32_t>(word >> 32);  // murmur3's finalizer: 0 stays 0
  high ^= high >> 16;
  high *= 0x85ebca6bu;
  high ^= high >> 13;
  high *= 0xc2b2ae35u;
  high ^= high >> 16;
  return word ^ high;
}

}  // namespace numjit::runtime
