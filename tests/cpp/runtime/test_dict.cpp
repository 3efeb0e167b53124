// The dict runtime (src/numjit/runtime/dict.cpp): insertion order, growth,
// removal and compaction, keys of a common stride, retyping an empty dict,
// owned values released on destruction, and string keys hashed and compared
// by text.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

#include "numjit/runtime/dict.h"
#include "numjit/runtime/memory.h"
#include "numjit/runtime/strings.h"

using numjit::runtime::MemInfo;

namespace {

int64_t insert(MemInfo* d, int64_t key, double value, bool* added = nullptr) {
  int64_t was_added = 0;
  int64_t e = numjit_rt_dict_insert(d, &key, &was_added);
  std::memcpy(numjit_rt_dict_value(d, e), &value, sizeof(value));
  if (added) *added = was_added != 0;
  return e;
}

double value_of(MemInfo* d, int64_t key) {
  int64_t e = numjit_rt_dict_find(d, &key);
  double v = -1;
  if (e >= 0) std::memcpy(&v, numjit_rt_dict_value(d, e), sizeof(v));
  return v;
}

std::vector<int64_t> keys_in_order(MemInfo* d) {
  std::vector<int64_t> keys;
  for (int64_t e = numjit_rt_dict_next(d, 0); e >= 0; e = numjit_rt_dict_next(d, e + 1)) {
    int64_t k;
    std::memcpy(&k, numjit_rt_dict_key(d, e), sizeof(k));
    keys.push_back(k);
  }
  return keys;
}

}  // namespace

TEST(Dict, InsertFindReplaceKeepInsertionOrder) {
  MemInfo* d = numjit_rt_dict_new(8, 8, 0);
  ASSERT_NE(d, nullptr);
  bool added = false;
  insert(d, 5, 0.5, &added);
  EXPECT_TRUE(added);
  insert(d, -3, 1.5);
  insert(d, 5, 2.5, &added);
  EXPECT_FALSE(added);
  EXPECT_EQ(numjit_rt_dict_length(d), 2);
  EXPECT_EQ(value_of(d, 5), 2.5);
  EXPECT_EQ(value_of(d, -3), 1.5);
  int64_t absent = 7;
  EXPECT_EQ(numjit_rt_dict_find(d, &absent), -1);
  EXPECT_EQ(keys_in_order(d), (std::vector<int64_t>{5, -3}));
  numjit_rt_meminfo_decref(d);
}

TEST(Dict, GrowsAndRemovesLikeAStdMap) {
  MemInfo* d = numjit_rt_dict_new(8, 8, 0);
  std::map<int64_t, double> expected;
  std::vector<int64_t> order;
  for (int64_t i = 0; i < 5000; ++i) {
    int64_t key = (i * 7919) % 100003;
    insert(d, key, static_cast<double>(i));
    expected[key] = static_cast<double>(i);
    order.push_back(key);
  }
  for (int64_t i = 0; i < 5000; i += 3) {
    int64_t key = (i * 7919) % 100003;
    numjit_rt_dict_remove(d, numjit_rt_dict_find(d, &key));
    expected.erase(key);
  }
  // Re-adding a removed key puts it last, as in Python.
  insert(d, 0, 42.0);
  expected[0] = 42.0;
  EXPECT_EQ(numjit_rt_dict_length(d), static_cast<int64_t>(expected.size()));
  for (const auto& [k, v] : expected) EXPECT_EQ(value_of(d, k), v);
  std::vector<int64_t> keys = keys_in_order(d);
  ASSERT_FALSE(keys.empty());
  EXPECT_EQ(keys.back(), 0);
  numjit_rt_meminfo_decref(d);
}

// Keys of a common stride, whose hashes share their low bits, must not pile
// into one run of slots: every key is found, and absent keys are not.
TEST(Dict, KeysOfACommonStrideAreAllFound) {
  for (int64_t stride : {int64_t(1), int64_t(1024), int64_t(1) << 20, int64_t(1) << 32, int64_t(1) << 40, int64_t(-8)}) {
    MemInfo* d = numjit_rt_dict_new(8, 8, 0);
    for (int64_t i = 0; i < 20000; ++i) insert(d, i * stride, static_cast<double>(i));
    EXPECT_EQ(numjit_rt_dict_length(d), 20000);
    for (int64_t i = 0; i < 20000; ++i) ASSERT_EQ(value_of(d, i * stride), static_cast<double>(i)) << stride;
    for (int64_t i = 20000; i < 20100; ++i) EXPECT_EQ(value_of(d, i * stride), -1.0);
    if (stride != 1) EXPECT_EQ(value_of(d, stride / 2 + 1), -1.0);
    numjit_rt_meminfo_decref(d);
  }
}

// Most entries removed, the next growth compacts the entries in place and
// shrinks them: the rest keep their values and their order.
TEST(Dict, CompactingAfterRemovalsKeepsValuesAndOrder) {
  MemInfo* d = numjit_rt_dict_new(8, 8, 0);
  std::vector<int64_t> order;
  for (int64_t i = 0; i < 4096; ++i) insert(d, i * 3, static_cast<double>(i));
  for (int64_t i = 0; i < 4096; ++i) {
    int64_t key = i * 3;
    if (i % 10 != 0) numjit_rt_dict_remove(d, numjit_rt_dict_find(d, &key));
    else order.push_back(key);
  }
  for (int64_t i = 0; i < 3000; ++i) {  // fills the room the removals left, then grows
    insert(d, -1 - i, 0.25);
    order.push_back(-1 - i);
  }
  EXPECT_EQ(keys_in_order(d), order);
  for (int64_t i = 0; i < 4096; i += 10) EXPECT_EQ(value_of(d, i * 3), static_cast<double>(i));
  EXPECT_EQ(value_of(d, 3), -1.0);
  numjit_rt_meminfo_decref(d);
}

TEST(Dict, RetypingAnEmptyDictToLargerEntriesMakesRoomForThem) {
  MemInfo* d = numjit_rt_dict_new(8, 0, 0);  // a set of 8-byte keys first
  ASSERT_EQ(numjit_rt_dict_retype(d, 16, 24, 0), 0);
  for (int64_t i = 0; i < 100; ++i) {
    int64_t key[2] = {i, -i};
    int64_t added = 0;
    int64_t e = numjit_rt_dict_insert(d, key, &added);
    ASSERT_EQ(added, 1);
    double value[3] = {0.5 * i, 1.5, -2.0};
    std::memcpy(numjit_rt_dict_value(d, e), value, sizeof(value));
  }
  for (int64_t i = 0; i < 100; ++i) {
    int64_t key[2] = {i, -i};
    int64_t e = numjit_rt_dict_find(d, key);
    ASSERT_GE(e, 0);
    double value[3];
    std::memcpy(value, numjit_rt_dict_value(d, e), sizeof(value));
    EXPECT_EQ(value[0], 0.5 * i);
    EXPECT_EQ(value[2], -2.0);
  }
  numjit_rt_meminfo_decref(d);
}

TEST(Dict, RetypingADictThatHoldsEntriesKeepsThem) {
  // A dict typed through its holder may be cast again through a second name:
  // its entries were stored at their sizes, which stay.
  MemInfo* d = numjit_rt_dict_new(0, 0, 0);
  ASSERT_EQ(numjit_rt_dict_retype(d, 8, 8, 0), 0);
  insert(d, 11, 3.25);
  ASSERT_EQ(numjit_rt_dict_retype(d, 16, 24, 0), 0);
  EXPECT_EQ(numjit_rt_dict_length(d), 1);
  EXPECT_EQ(value_of(d, 11), 3.25);
  numjit_rt_meminfo_decref(d);
}

TEST(Dict, RetypingAnEmptyDictChangesItsItemSizes) {
  MemInfo* d = numjit_rt_dict_new(0, 0, 0);
  ASSERT_EQ(numjit_rt_dict_retype(d, 8, 8, 0), 0);
  insert(d, 11, 3.25);
  EXPECT_EQ(value_of(d, 11), 3.25);
  numjit_rt_meminfo_decref(d);
}

TEST(Dict, OwnedValuesAreReleasedWithTheDict) {
  numjit::runtime::AllocationStats before = numjit::runtime::allocation_stats();
  MemInfo* d = numjit_rt_dict_new(8, 16, int64_t(1) << 8);  // the value's first word is an owned MemInfo
  MemInfo* block = numjit_rt_meminfo_alloc(64, 1);
  int64_t key = 1, added = 0;
  int64_t e = numjit_rt_dict_insert(d, &key, &added);
  std::memcpy(numjit_rt_dict_value(d, e), &block, sizeof(block));  // the dict takes this reference
  numjit_rt_meminfo_decref(d);
  numjit::runtime::AllocationStats after = numjit::runtime::allocation_stats();
  EXPECT_EQ(after.alloc - before.alloc, after.free - before.free);
}

TEST(Dict, StringKeysCompareByTextAndAreOwned) {
  numjit::runtime::AllocationStats before = numjit::runtime::allocation_stats();
  MemInfo* d = numjit_rt_dict_new(8, 8, 2);  // string keys
  MemInfo* first = numjit_rt_str_from_utf8("word", 4);
  MemInfo* same = numjit_rt_str_from_utf8("word", 4);
  MemInfo* other = numjit_rt_str_from_utf8("other", 5);
  int64_t added = 0;
  int64_t e = numjit_rt_dict_insert(d, &first, &added);
  EXPECT_EQ(added, 1);
  EXPECT_EQ(numjit_rt_dict_insert(d, &same, &added), e);  // another block, the same text
  EXPECT_EQ(added, 0);
  EXPECT_LT(numjit_rt_dict_find(d, &other), 0);
  numjit_rt_meminfo_decref(first);  // the dict keeps its own reference
  EXPECT_EQ(numjit_rt_dict_find(d, &same), e);
  numjit_rt_dict_remove(d, e);
  EXPECT_EQ(numjit_rt_dict_length(d), 0);
  numjit_rt_meminfo_decref(same);
  numjit_rt_meminfo_decref(other);
  numjit_rt_meminfo_decref(d);
  numjit::runtime::AllocationStats after = numjit::runtime::allocation_stats();
  EXPECT_EQ(after.alloc - before.alloc, after.free - before.free);
}
