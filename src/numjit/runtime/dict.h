// Dicts built by compiled code: a refcounted block (runtime/memory.h) whose
// data is a numjit_dict, an insertion-ordered hash table as CPython's: a
// dense array of entries in insertion order and an open-addressing index of
// entry numbers. Keys and values are stored inline in their memory layout
// (`key_size` / `value_size` bytes); keys compare and hash as bytes, so
// compiled code zeroes a key's padding before it asks. When `owns_values`,
// each value starts with an array's MemInfo and the dict holds a reference.
// Compiled code reads and writes values through the addresses these return.
#pragma once

#include <cstdint>

#include "numjit/runtime/memory.h"

extern "C" {
// A new empty dict; null (MemoryError recorded) when out of memory.
numjit::runtime::MemInfo* numjit_rt_dict_new(int64_t key_size, int64_t value_size, int64_t owns_values);
// The entry holding `key`, or -1.
int64_t numjit_rt_dict_find(numjit::runtime::MemInfo* dict, const void* key);
// The entry for `key`, added (value zeroed) when absent; *added says which.
// -1 (MemoryError recorded) when the table cannot grow.
int64_t numjit_rt_dict_insert(numjit::runtime::MemInfo* dict, const void* key, int64_t* added);
// Removes an entry found above (its value's reference, if owned, is the caller's to drop).
void numjit_rt_dict_remove(numjit::runtime::MemInfo* dict, int64_t entry);
// The address of an entry's key / value.
void* numjit_rt_dict_key(numjit::runtime::MemInfo* dict, int64_t entry);
void* numjit_rt_dict_value(numjit::runtime::MemInfo* dict, int64_t entry);
// The first live entry at or after `entry` (iteration in insertion order), or -1.
int64_t numjit_rt_dict_next(numjit::runtime::MemInfo* dict, int64_t entry);
int64_t numjit_rt_dict_length(numjit::runtime::MemInfo* dict);
// Gives an empty dict (an `{}` whose types were inferred later) its key and value sizes.
int32_t numjit_rt_dict_retype(numjit::runtime::MemInfo* dict, int64_t key_size, int64_t value_size, int64_t owns_values);
}
