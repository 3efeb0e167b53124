// Array memory: small blocks from the C heap, 64-byte aligned for AVX-512
// loads; large ones mapped directly, aligned to 2 MiB and advised as huge
// pages, as NumPy does, because page faults of a fresh large output otherwise
// cost more than the arithmetic that fills it. Mapped memory is already zero,
// so np.zeros of a large array touches nothing until it is used.
#include "numjit/runtime/memory.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "numjit/runtime/abi.h"

namespace numjit::runtime {
namespace {

constexpr size_t kHugePage = size_t(2) << 20;
constexpr size_t kMapThreshold = size_t(4) << 20;
constexpr size_t kAlignment = 64;

std::atomic<uint64_t> g_allocs{0};
std::atomic<uint64_t> g_frees{0};

void* map_huge(size_t size) {
  size_t padded = size + kHugePage;
  void* raw = mmap(nullptr, padded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  auto start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  size_t mapped_size = (size + kHugePage - 1) & ~(kHugePage - 1);
  // Give back the unaligned head and the tail beyond the last huge page.
  if (aligned > start) munmap(raw, aligned - start);
  uintptr_t end = start + padded;
  if (end > aligned + mapped_size) munmap(reinterpret_cast<void*>(aligned + mapped_size), end - aligned - mapped_size);
  madvise(reinterpret_cast<void*>(aligned), mapped_size, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

}  // namespace

AllocationStats allocation_stats() { return {g_allocs.load(), g_frees.load()}; }

}  // namespace numjit::runtime

using numjit::runtime::MemInfo;

extern "C" MemInfo* numjit_rt_meminfo_alloc(int64_t size, int32_t zero) {
  using namespace numjit::runtime;
  size_t bytes = size > 0 ? static_cast<size_t>(size) : 0;
  auto* mi = static_cast<MemInfo*>(std::malloc(sizeof(MemInfo)));
  void* data = nullptr;
  bool mapped = bytes >= kMapThreshold;
  if (mi) {
    if (mapped) {
      data = map_huge(bytes);
    } else {
      // aligned_alloc wants a multiple of the alignment; an empty array still gets a unique pointer.
      size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
      data = std::aligned_alloc(kAlignment, rounded ? rounded : kAlignment);
      if (data && zero) std::memset(data, 0, bytes);
    }
  }
  if (!mi || !data) {
    std::free(mi);
    numjit_rt_set_error(g_builtin_exceptions.memory_error, "numjit: cannot allocate array memory");
    return nullptr;
  }
  new (&mi->refcount) std::atomic<int64_t>(1);
  mi->data = data;
  mi->size = bytes;
  mi->mapped = mapped;
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return mi;
}

extern "C" void numjit_rt_meminfo_release(MemInfo* mi) {
  using namespace numjit::runtime;
  if (mi->mapped) {
    munmap(mi->data, (mi->size + kHugePage - 1) & ~(kHugePage - 1));
  } else {
    std::free(mi->data);
  }
  std::free(mi);
  g_frees.fetch_add(1, std::memory_order_relaxed);
}

extern "C" void numjit_rt_meminfo_decref(MemInfo* mi) {
  if (mi && mi->refcount.fetch_sub(1, std::memory_order_acq_rel) == 1) numjit_rt_meminfo_release(mi);
}
