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
