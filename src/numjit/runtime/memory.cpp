// Array memory: blocks up to 32 MiB from the C heap, 64-byte aligned for
// AVX-512 loads, in the same block as their MemInfo (from 4 MiB advised as
// huge pages, as NumPy does); larger ones mapped directly, aligned to 2 MiB,
// because page faults of a fresh large output otherwise cost more than the
// arithmetic that fills it. Freed mapped blocks are kept for reuse (BlockCache below).
#include "numjit/runtime/memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "numjit/runtime/abi.h"

namespace numjit::runtime {
namespace {

constexpr size_t kHugePage = size_t(2) << 20;
// From 4 MiB a block is advised as huge pages, as NumPy does. Up to glibc's
// largest mmap threshold (32 MiB on 64-bit) it still comes from malloc: once
// the heap has served a block of that size it recycles it, and the block
// NumPy just freed is the one still in cache (a separate pool beside NumPy's
// made each call touch another 20 MB: 1.4 -> 2.4 ms for a float32 square of
// 5e6 elements timed in turns with NumPy). Larger blocks glibc would map
// afresh on every call, so they are mapped here and cached (BlockCache).
constexpr size_t kHugeAdviceThreshold = size_t(4) << 20;
constexpr size_t kMapThreshold = size_t(32) << 20;
constexpr size_t kAlignment = 64;

// Blocks allocated and freed, counted per thread: a shared counter's atomic
// add costs more than a small string's whole allocation. A thread's counts
// join the retired totals when it ends; allocation_stats() adds them up.
struct ThreadCounts;
struct CountRegistry {
  std::mutex mutex;
  std::vector<ThreadCounts*> live;
  uint64_t retired_allocs = 0, retired_frees = 0;
};
CountRegistry& count_registry() {
  static auto* registry = new CountRegistry();  // outlives every thread's counts
  return *registry;
}
struct ThreadCounts {
  // Written by their thread only (a plain add, no lock prefix), read by allocation_stats().
  std::atomic<uint64_t> allocs{0}, frees{0};
  ThreadCounts() {
    CountRegistry& r = count_registry();
    std::lock_guard lock(r.mutex);
    r.live.push_back(this);
  }
  ~ThreadCounts() {
    CountRegistry& r = count_registry();
    std::lock_guard lock(r.mutex);
    r.retired_allocs += allocs.load(std::memory_order_relaxed);
    r.retired_frees += frees.load(std::memory_order_relaxed);
    r.live.erase(std::find(r.live.begin(), r.live.end(), this));
  }
};
// initial-exec: one register-relative address per count, where the default
// model for a dlopen()ed library calls __tls_get_addr on every allocation.
// The object is small enough for the static TLS space such a library may take.
__attribute__((tls_model("initial-exec"))) thread_local ThreadCounts t_counts;

void count(std::atomic<uint64_t>& counter, int64_t delta) {
  counter.store(counter.load(std::memory_order_relaxed) + static_cast<uint64_t>(delta), std::memory_order_relaxed);
}

// A few recently freed large blocks, kept mapped: a loop that makes a fresh
// result array per call would otherwise pay the page faults (and the
// kernel's zeroing, slower than a memset of memory already mapped) of every
// new mapping. Zero-filled requests take a cached block too and clear it;
// without one they get a fresh mapping, which is zero already. When the
// cache is full the oldest block goes, so a program that moves on to arrays
// of another size soon has its blocks cached.
struct BlockCache {
  static constexpr size_t kMaxBlocks = 4;
  static constexpr size_t kMaxBytes = size_t(512) << 20;
  std::mutex mutex;
  std::vector<std::pair<void*, size_t>> blocks;  // (address, mapped bytes)
  size_t bytes = 0;
};

BlockCache& block_cache() {
  static auto* cache = new BlockCache();  // never destroyed: blocks may be freed at exit
  return *cache;
}

void* take_cached(size_t mapped_size) {
  BlockCache& c = block_cache();
  std::lock_guard lock(c.mutex);
  for (size_t i = 0; i < c.blocks.size(); ++i) {
    if (c.blocks[i].second != mapped_size) continue;
    void* p = c.blocks[i].first;
    c.bytes -= mapped_size;
    c.blocks.erase(c.blocks.begin() + static_cast<std::ptrdiff_t>(i));
    return p;
  }
  return nullptr;
}

// Keeps a freed block, handing back the ones it displaces (oldest first) for
// the caller to unmap outside the lock; false when the block is too large to keep.
bool keep_cached(void* p, size_t mapped_size, std::vector<std::pair<void*, size_t>>& evicted) {
  if (mapped_size > BlockCache::kMaxBytes) return false;
  BlockCache& c = block_cache();
  std::lock_guard lock(c.mutex);
  while (!c.blocks.empty() &&
         (c.blocks.size() >= BlockCache::kMaxBlocks || c.bytes + mapped_size > BlockCache::kMaxBytes)) {
    evicted.push_back(c.blocks.front());
    c.bytes -= c.blocks.front().second;
    c.blocks.erase(c.blocks.begin());
  }
  c.blocks.emplace_back(p, mapped_size);
  c.bytes += mapped_size;
  return true;
}

// Maps whole huge pages: the block keeps ceil(size / 2 MiB) of them, which
// is also what numjit_rt_meminfo_release unmaps.
void* map_huge(size_t size) {
  size_t mapped_size = (size + kHugePage - 1) & ~(kHugePage - 1);
  size_t padded = mapped_size + kHugePage;
  void* raw = mmap(nullptr, padded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  auto start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  // Give back the unaligned head and the tail beyond the last huge page.
  if (aligned > start) munmap(raw, aligned - start);
  uintptr_t end = start + padded;
  if (end > aligned + mapped_size) munmap(reinterpret_cast<void*>(aligned + mapped_size), end - aligned - mapped_size);
  madvise(reinterpret_cast<void*>(aligned), mapped_size, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

// The huge pages wholly inside [data, data + bytes) of a heap block.
void advise_huge(void* data, size_t bytes) {
  auto start = reinterpret_cast<uintptr_t>(data);
  uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1);
  uintptr_t last = (start + bytes) & ~(kHugePage - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace

AllocationStats allocation_stats() {
  CountRegistry& r = count_registry();
  std::lock_guard lock(r.mutex);
  AllocationStats stats{r.retired_allocs, r.retired_frees};
  for (const ThreadCounts* t : r.live) {
    stats.alloc += t->allocs.load(std::memory_order_relaxed);
    stats.free += t->frees.load(std::memory_order_relaxed);
  }
  return stats;
}

}  // namespace numjit::runtime

using numjit::runtime::MemInfo;

extern "C" MemInfo* numjit_rt_meminfo_alloc(int64_t size, int32_t zero) {
  using namespace numjit::runtime;
  size_t bytes = size > 0 ? static_cast<size_t>(size) : 0;
  bool mapped = bytes >= kMapThreshold;
  MemInfo* mi = nullptr;
  void* data = nullptr;
  if (mapped) {
    mi = static_cast<MemInfo*>(std::malloc(sizeof(MemInfo)));
    if (mi) {
      data = take_cached((bytes + kHugePage - 1) & ~(kHugePage - 1));
      if (data && zero) std::memset(data, 0, bytes);
      if (!data) data = map_huge(bytes);
    }
  } else {
    // One malloc for the MemInfo and the data after it, aligned up within the
    // block: two allocations (one of them aligned_alloc's slower path) cost
    // more than a small array's whole use. An empty array still gets a unique pointer.
    // Zeros come from calloc, as NumPy's do: glibc skips the clearing where
    // the block is freshly mapped (its pages are zero already, and stay
    // untouched until used), and clears it as a memset would otherwise.
    size_t block = sizeof(MemInfo) + kAlignment - 1 + std::max<size_t>(bytes, 1);
    mi = static_cast<MemInfo*>(zero ? std::calloc(1, block) : std::malloc(block));
    if (mi) {
      auto after = reinterpret_cast<uintptr_t>(mi) + sizeof(MemInfo);
      data = reinterpret_cast<void*>((after + kAlignment - 1) & ~uintptr_t(kAlignment - 1));
      if (bytes >= kHugeAdviceThreshold) advise_huge(data, bytes);
    }
  }
  if (!mi || !data) {
    std::free(mi);
    numjit::runtime::raise(numjit::abi::ExceptionKind::MemoryError, "numjit: cannot allocate array memory");
    return nullptr;
  }
  new (&mi->refcount) std::atomic<int64_t>(1);
  mi->data = data;
  mi->size = bytes;
  mi->mapped = mapped;
  mi->inline_data = !mapped;
  mi->destructor = nullptr;
  count(t_counts.allocs, 1);
  return mi;
}

extern "C" void numjit_rt_meminfo_release(MemInfo* mi) {
  using namespace numjit::runtime;
  if (mi->destructor) {
    mi->destructor(mi->data);
  } else if (mi->mapped) {
    size_t mapped_size = (mi->size + kHugePage - 1) & ~(kHugePage - 1);
    std::vector<std::pair<void*, size_t>> evicted;
    if (!keep_cached(mi->data, mapped_size, evicted)) munmap(mi->data, mapped_size);
    for (auto [block, block_size] : evicted) munmap(block, block_size);
  } else if (!mi->inline_data) {
    std::free(mi->data);
  }
  std::free(mi);
  count(t_counts.frees, 1);
}

namespace {
void (*g_take_python_reference)(void*) = nullptr;
void (*g_drop_python_reference)(void*) = nullptr;
void drop_python_reference(void* object) { g_drop_python_reference(object); }
}  // namespace

void numjit::runtime::set_python_reference_hooks(void (*take)(void*), void (*drop)(void*)) {
  g_take_python_reference = take;
  g_drop_python_reference = drop;
}

extern "C" MemInfo* numjit_rt_array_keep(MemInfo* mi, void* parent) {
  using namespace numjit::runtime;
  if (mi) {
    mi->refcount.fetch_add(1, std::memory_order_relaxed);
    return mi;
  }
  if (!parent || !g_take_python_reference) return nullptr;
  auto* owner = static_cast<MemInfo*>(std::malloc(sizeof(MemInfo)));
  if (!owner) return nullptr;  // the item then borrows its ndarray, as outside typed containers
  g_take_python_reference(parent);
  return container_meminfo(owner, parent, drop_python_reference);
}

extern "C" void numjit_release_owned_words(const char* item, uint64_t mask) {
  for (int k = 0; mask; ++k, mask >>= 1) {
    if (!(mask & 1)) continue;
    MemInfo* owned;
    std::memcpy(&owned, item + 8 * k, sizeof(owned));
    numjit_rt_meminfo_decref(owned);
  }
}

extern "C" void numjit_rt_meminfo_decref(MemInfo* mi) {
  if (mi && mi->refcount.fetch_sub(1, std::memory_order_acq_rel) == 1) numjit_rt_meminfo_release(mi);
}

namespace {

char* buffer_of(const numjit_list* list) { return list->items - list->front * list->itemsize; }

void destroy_list(void* data) {
  auto* list = static_cast<numjit_list*>(data);
  if (list->owns_items)
    for (int64_t i = 0; i < list->size; ++i)
      numjit_release_owned_words(list->items + i * list->itemsize, static_cast<uint64_t>(list->owns_items));
  std::free(buffer_of(list));
  std::free(list);
}

// Moves the items to the start of the buffer, giving the free front slots to the capacity.
void close_front_gap(numjit_list* list) {
  if (list->front == 0) return;
  char* buffer = buffer_of(list);
  std::memmove(buffer, list->items, static_cast<size_t>(list->size * list->itemsize));
  list->items = buffer;
  list->capacity += list->front;
  list->front = 0;
}

bool reserve(numjit_list* list, int64_t capacity) {
  if (capacity <= list->capacity) return true;
  close_front_gap(list);
  if (capacity <= list->capacity) return true;
  void* items = std::realloc(list->items, static_cast<size_t>(capacity * std::max<int64_t>(list->itemsize, 1)));
  if (!items) return false;
  list->items = static_cast<char*>(items);
  list->capacity = capacity;
  return true;
}

}  // namespace

extern "C" MemInfo* numjit_rt_list_new(int64_t itemsize, int64_t capacity, int64_t owns_items) {
  using namespace numjit::runtime;
  auto* list = static_cast<numjit_list*>(std::calloc(1, sizeof(numjit_list)));
  auto* mi = static_cast<MemInfo*>(std::malloc(sizeof(MemInfo)));
  if (list) {
    list->itemsize = itemsize;
    list->owns_items = owns_items;
  }
  if (!list || !mi || !reserve(list, std::max<int64_t>(capacity, 4))) {
    if (list) std::free(list->items);
    std::free(list);
    std::free(mi);
    numjit::runtime::raise(numjit::abi::ExceptionKind::MemoryError, "numjit: cannot allocate a list");
    return nullptr;
  }
  return numjit::runtime::container_meminfo(mi, list, destroy_list);
}

namespace numjit::runtime {
void forget_allocation() { count(t_counts.allocs, -1); }

MemInfo* container_meminfo(MemInfo* mi, void* data, void (*destructor)(void*)) {
  new (&mi->refcount) std::atomic<int64_t>(1);
  mi->data = data;
  mi->size = 0;
  mi->mapped = false;
  mi->inline_data = false;
  mi->destructor = destructor;
  count(t_counts.allocs, 1);
  return mi;
}
}  // namespace numjit::runtime

namespace {
// Room for one more item: grown by half again, as CPython's lists are, so appends stay amortized O(1).
bool room_for_one(numjit_list* list) {
  if (list->size < list->capacity || reserve(list, list->capacity + list->capacity / 2 + 4)) return true;
  numjit::runtime::raise(numjit::abi::ExceptionKind::MemoryError, "numjit: cannot grow a list");
  return false;
}
}  // namespace

extern "C" int32_t numjit_rt_list_append(MemInfo* mi, const void* item) {
  auto* list = static_cast<numjit_list*>(mi->data);
  if (!room_for_one(list)) return numjit::abi::kStatusError;
  std::memcpy(list->items + list->size * list->itemsize, item, static_cast<size_t>(list->itemsize));
  ++list->size;
  return numjit::abi::kStatusOk;
}

extern "C" int32_t numjit_rt_list_insert(MemInfo* mi, int64_t index, const void* item) {
  auto* list = static_cast<numjit_list*>(mi->data);
  if (index < 0) index = std::max<int64_t>(index + list->size, 0);
  index = std::min(index, list->size);
  const int64_t width = list->itemsize;
  if (list->front > 0 && index < list->size - index) {
    // Nearer the start, with a free slot there: the items before `index` move down one.
    list->items -= width;
    --list->front;
    ++list->capacity;
    std::memmove(list->items, list->items + width, static_cast<size_t>(index * width));
  } else {
    if (!room_for_one(list)) return numjit::abi::kStatusError;
    char* at = list->items + index * width;
    std::memmove(at + width, at, static_cast<size_t>((list->size - index) * width));
  }
  std::memcpy(list->items + index * width, item, static_cast<size_t>(width));
  ++list->size;
  return numjit::abi::kStatusOk;
}

extern "C" int32_t numjit_rt_list_pop(MemInfo* mi, int64_t index, void* out) {
  using namespace numjit::runtime;
  auto* list = static_cast<numjit_list*>(mi->data);
  if (list->size == 0) {
    numjit::runtime::raise(numjit::abi::ExceptionKind::IndexError, "pop from empty list");
    return numjit::abi::kStatusError;
  }
  if (index < 0) index += list->size;
  if (index < 0 || index >= list->size) {
    numjit::runtime::raise(numjit::abi::ExceptionKind::IndexError, "pop index out of range");
    return numjit::abi::kStatusError;
  }
  const int64_t width = list->itemsize;
  char* at = list->items + index * width;
  std::memcpy(out, at, static_cast<size_t>(width));
  if (index < list->size - 1 - index) {
    // Nearer the start: the items before it move up one, and the slot they leave joins the free front.
    std::memmove(list->items + width, list->items, static_cast<size_t>(index * width));
    list->items += width;
    ++list->front;
    --list->capacity;
  } else {
    std::memmove(at, at + width, static_cast<size_t>((list->size - index - 1) * width));
  }
  if (--list->size == 0) close_front_gap(list);
  return numjit::abi::kStatusOk;
}
