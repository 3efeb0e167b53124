// The memory manager and the list runtime (src/numjit/runtime/memory.cpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/memory.h"

using numjit::runtime::MemInfo;

namespace {
int g_memory_error_tag, g_index_error_tag;

struct ErrorTags {
  ErrorTags() {
    numjit::runtime::register_exception_class(numjit::abi::ExceptionKind::MemoryError, &g_memory_error_tag);
    numjit::runtime::register_exception_class(numjit::abi::ExceptionKind::IndexError, &g_index_error_tag);
  }
} g_tags;
}  // namespace

TEST(Memory, BlocksAreAlignedZeroedAndCounted) {
  // 5 MiB comes from the heap advised as huge pages; 40 MiB is mapped (from 32 MiB).
  for (int64_t size : {int64_t{0}, int64_t{1}, int64_t{1000}, int64_t{5} << 20, int64_t{40} << 20}) {
    numjit::runtime::AllocationStats before = numjit::runtime::allocation_stats();
    MemInfo* mi = numjit_rt_meminfo_alloc(size, 1);
    ASSERT_NE(mi, nullptr);
    EXPECT_EQ(mi->refcount.load(), 1);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(mi->data) % 64, 0u);
    if (size >= (int64_t{32} << 20)) EXPECT_EQ(reinterpret_cast<uintptr_t>(mi->data) % (2u << 20), 0u);
    const auto* bytes = static_cast<const unsigned char*>(mi->data);
    for (int64_t i = 0; i < size; i += 4093) EXPECT_EQ(bytes[i], 0) << "at " << i;
    std::memset(mi->data, 0xab, static_cast<size_t>(size));  // the whole block is writable
    numjit_rt_meminfo_decref(mi);
    numjit::runtime::AllocationStats after = numjit::runtime::allocation_stats();
    EXPECT_EQ(after.alloc - before.alloc, 1u);
    EXPECT_EQ(after.free - before.free, 1u);
  }
}

TEST(Memory, TheLastReferenceFrees) {
  numjit::runtime::AllocationStats before = numjit::runtime::allocation_stats();
  MemInfo* mi = numjit_rt_meminfo_alloc(64, 0);
  mi->refcount.fetch_add(1);
  numjit_rt_meminfo_decref(mi);
  EXPECT_EQ(numjit::runtime::allocation_stats().free, before.free);
  numjit_rt_meminfo_decref(mi);
  EXPECT_EQ(numjit::runtime::allocation_stats().free, before.free + 1);
}

TEST(Memory, LargeBlocksAreReusedWithoutStaleZeroPromises) {
  // A freed mapped block (from 32 MiB) may be handed out again, but never
  // for a zero-filled request; nor may a heap block.
  for (size_t size : {size_t{6} << 20, size_t{40} << 20}) {
    MemInfo* first = numjit_rt_meminfo_alloc(static_cast<int64_t>(size), 0);
    std::memset(first->data, 0xcd, size);
    numjit_rt_meminfo_decref(first);
    MemInfo* zeroed = numjit_rt_meminfo_alloc(static_cast<int64_t>(size), 1);
    const auto* bytes = static_cast<const unsigned char*>(zeroed->data);
    for (size_t i = 0; i < size; i += 65521) ASSERT_EQ(bytes[i], 0) << "at " << i;
    numjit_rt_meminfo_decref(zeroed);
  }
}

TEST(Lists, AppendGrowsAndPopRemoves) {
  MemInfo* mi = numjit_rt_list_new(sizeof(double), 0, 0);
  ASSERT_NE(mi, nullptr);
  for (int i = 0; i < 1000; ++i) {
    double v = i * 0.5;
    ASSERT_EQ(numjit_rt_list_append(mi, &v), numjit::abi::kStatusOk);
  }
  auto* list = static_cast<numjit_list*>(mi->data);
  EXPECT_EQ(list->size, 1000);
  EXPECT_GE(list->capacity, 1000);
  double out = 0;
  EXPECT_EQ(numjit_rt_list_pop(mi, -1, &out), numjit::abi::kStatusOk);
  EXPECT_EQ(out, 999 * 0.5);
  EXPECT_EQ(numjit_rt_list_pop(mi, 0, &out), numjit::abi::kStatusOk);
  EXPECT_EQ(out, 0.0);
  EXPECT_EQ(list->size, 998);
  EXPECT_EQ(reinterpret_cast<double*>(list->items)[0], 0.5);  // the rest moved down
  numjit_rt_meminfo_decref(mi);
}

TEST(Lists, PopOutOfRangeRaisesIndexError) {
  MemInfo* mi = numjit_rt_list_new(sizeof(int64_t), 4, 0);
  int64_t out = 0;
  EXPECT_EQ(numjit_rt_list_pop(mi, -1, &out), numjit::abi::kStatusError);
  EXPECT_EQ(numjit::runtime::take_pending_error().exc_class, &g_index_error_tag);
  int64_t v = 7;
  numjit_rt_list_append(mi, &v);
  EXPECT_EQ(numjit_rt_list_pop(mi, 3, &out), numjit::abi::kStatusError);
  numjit::runtime::PendingError e = numjit::runtime::take_pending_error();
  EXPECT_EQ(e.message, "pop index out of range");
  numjit_rt_meminfo_decref(mi);
}
