// The memory manager for arrays created by compiled code. Each block of array
// memory has one MemInfo: an atomic reference count (no GIL needed, so
// parallel regions and nogil functions can create and drop arrays) and the
// buffer it owns. Compiled code increments and decrements the count inline
// (lower/ownership.cpp) and calls numjit_rt_meminfo_release when it reaches
// zero. Arrays that leave compiled code are boxed as ndarrays whose base owns
// one reference (bindings/boxing.cpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "numjit/runtime/functions.h"

namespace numjit::runtime {

struct MemInfo {
  std::atomic<int64_t> refcount;  // first: compiled code addresses it at offset 0
  void* data;
  size_t size;
  bool mapped;  // true when the block came from mmap (large, huge-page aligned)
  bool inline_data;  // true when `data` sits in the MemInfo's own block (small arrays: one malloc)
  // Frees `data` for blocks that are not plain array memory (lists); null for arrays.
  void (*destructor)(void* data);
};
static_assert(offsetof(MemInfo, refcount) == 0);
static_assert(offsetof(MemInfo, data) == 8);  // allocate_array (lower/lower_array.cpp) reads it there

struct AllocationStats {
  uint64_t alloc;
  uint64_t free;
};
AllocationStats allocation_stats();
// A block kept for the whole process (a string constant) leaves the counts,
// which describe what compiled code allocates and frees.
void forget_allocation();

// How a block made by numjit_rt_array_keep takes and drops its reference to a
// Python object; the dispatcher module sets them (the runtime has no Python).
void set_python_reference_hooks(void (*take)(void* object), void (*drop)(void* object));

// Initializes `mi` (malloc'd) as the count-1 owner of a container (a list or
// a dict) that `destructor` frees.
MemInfo* container_meminfo(MemInfo* mi, void* data, void (*destructor)(void*));

}  // namespace numjit::runtime

// numjit_rt_meminfo_alloc / _release and the list functions compiled code
// calls are in functions.def.
extern "C" {
// Drops one reference (for the dispatcher and boxing; compiled code inlines it).
void numjit_rt_meminfo_decref(numjit::runtime::MemInfo* mi);

// Lists built by compiled code: a refcounted block whose data is a numjit_list.
// Items are stored inline, `itemsize` bytes each (numbers, tuples, arrays,
// strings, lists). `owns_items` is a mask of the 8-byte words of an item
// that hold a MemInfo the list owns a reference to (bit k: the word at byte
// 8k): 1 for an array (its header starts with its MemInfo), a string or a
// list, more bits for a tuple holding several.
//
// `front` free slots may sit before `items` (the buffer starts `front` items
// earlier): pop(0) and inserts near the start move the shorter side of the
// list, so a list used as a queue costs O(1) per pop(0), not O(n).
// `capacity` counts the slots from `items` on, which is all compiled code
// reads (an append fits while size < capacity).
struct numjit_list {
  int64_t size;
  int64_t capacity;
  int64_t itemsize;
  char* items;
  int64_t owns_items;
  int64_t front;
};
// Drops the references an inline item holds, by a mask of its MemInfo words.
void numjit_release_owned_words(const char* item, uint64_t mask);
// Compiled code reads these fields at fixed offsets (lower/lower_list.cpp).
static_assert(offsetof(numjit_list, capacity) == 8 && offsetof(numjit_list, itemsize) == 16 &&
              offsetof(numjit_list, items) == 24 && offsetof(numjit_list, owns_items) == 32);
}
