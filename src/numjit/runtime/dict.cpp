#include "numjit/runtime/dict.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <algorithm>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/memory.h"
#include "numjit/runtime/strings.h"

namespace {

using numjit::runtime::MemInfo;

void memory_error(const char* message) {
  numjit::runtime::raise(numjit::abi::ExceptionKind::MemoryError, message);
}

constexpr int64_t kEmpty = -1;
constexpr int64_t kRemoved = -2;

// An index slot keeps its key's hash beside the entry number, so a probe
// compares hashes before it reads an entry. An 8-byte key's hash is a
// bijection of its bytes (hash_key), so for those an equal hash is an equal
// key: a set of numbers is probed without touching its entries.
struct IndexSlot {
  uint64_t hash;
  int64_t entry;
};

struct numjit_dict {
  int64_t length = 0;     // live entries
  int64_t used = 0;       // entries written, removed ones included
  int64_t capacity = 0;   // entries the index has room for (the entries block may be larger)
  int64_t key_size = 0, value_size = 0, entry_size = 0;
  int64_t owns_values = 0;  // a mask of the value's MemInfo words the dict owns (as a list's owns_items)
  int64_t string_keys = 0;  // keys are strings' MemInfos: hashed and compared by text, and owned
  int64_t slots = 0;      // index size, a power of two
  IndexSlot* index = nullptr;
  char* entries = nullptr;  // each: live flag (8 bytes), key, value (8-byte aligned)
};

static_assert(offsetof(numjit_dict, key_size) == numjit::abi::kDictKeySizeOffset);
static_assert(offsetof(numjit_dict, entry_size) == numjit::abi::kDictEntrySizeOffset);
static_assert(offsetof(numjit_dict, entries) == numjit::abi::kDictEntriesOffset);
static_assert(offsetof(numjit_dict, slots) == numjit::abi::kDictSlotsOffset);
static_assert(offsetof(numjit_dict, index) == numjit::abi::kDictIndexOffset);
static_assert(sizeof(IndexSlot) == 16);

int64_t round8(int64_t n) { return (n + 7) & ~int64_t(7); }
char* entry_at(numjit_dict* d, int64_t e) { return d->entries + e * d->entry_size; }
char* key_at(numjit_dict* d, int64_t e) { return entry_at(d, e) + 8; }
char* value_at(numjit_dict* d, int64_t e) { return key_at(d, e) + round8(d->key_size); }
bool live(numjit_dict* d, int64_t e) { return *reinterpret_cast<int64_t*>(entry_at(d, e)) != 0; }

uint64_t hash_bytes(const void* key, int64_t n) {  // FNV-1a, then mixed
  uint64_t h = 1469598103934665603ull;
  const auto* p = static_cast<const unsigned char*>(key);
  for (int64_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  return h ^ (h >> 33);
}

MemInfo* string_key(const void* key) {
  MemInfo* text;
  std::memcpy(&text, key, sizeof(text));
  return text;
}

bool keys_equal(numjit_dict* d, const void* a, const void* b) {
  if (d->string_keys) return numjit::runtime::strings_equal(string_key(a), string_key(b));
  if (d->key_size == 8) {  // one word: most keys (int64, float64, a string's MemInfo)
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    return x == y;
  }
  return std::memcmp(a, b, static_cast<size_t>(d->key_size)) == 0;
}

uint64_t hash_key(numjit_dict* d, const void* key) {
  if (d->string_keys) return static_cast<uint64_t>(numjit_rt_str_hash(string_key(key)));
  if (d->key_size == 8) {
    uint64_t word;
    std::memcpy(&word, key, 8);
    return numjit::runtime::hash_word(word);
  }
  return hash_bytes(key, d->key_size);
}

// The index slot holding `key` (whose hash is h)'s entry, or the free slot where it would go.
// The slots are visited as CPython's dict visits them: from h's low bits, then
// by i * 5 + 1 plus the hash's higher bits, five more each step. Linear
// probing would pile keys of a common stride (multiples of 1024, whose hash
// is themselves) into one run of slots; this scatters them, and once the
// higher bits are used up it still visits every slot.
int64_t probe(numjit_dict* d, const void* key, uint64_t h, bool& found) {
  uint64_t mask = static_cast<uint64_t>(d->slots - 1);
  bool hash_decides = d->key_size == 8 && !d->string_keys;
  int64_t first_removed = -1;
  uint64_t perturb = h;
  for (uint64_t i = h & mask;; perturb >>= 5, i = (i * 5 + perturb + 1) & mask) {
    const IndexSlot& slot = d->index[i];
    if (slot.entry == kEmpty) {
      found = false;
      return first_removed >= 0 ? first_removed : static_cast<int64_t>(i);
    }
    if (slot.entry == kRemoved) {
      if (first_removed < 0) first_removed = static_cast<int64_t>(i);
    } else if (slot.hash == h && (hash_decides || keys_equal(d, key_at(d, slot.entry), key))) {
      found = true;
      return static_cast<int64_t>(i);
    }
  }
}

int64_t probe(numjit_dict* d, const void* key, bool& found) { return probe(d, key, hash_key(d, key), found); }

// Compacts the entries and rebuilds an index with room for `want` entries.
// Both blocks are resized with realloc rather than made anew: a large one is
// then moved by remapping its pages (no copy, and no page faults for the part
// already in use), and the table never holds its old and new blocks at once,
// which kept glibc from reusing the memory from one call to the next.
// `capacity` is the number of entries the index has room for (at most half
// its slots, so a probe always meets an empty one); the entries' block may be
// larger. It changes only once both blocks are resized: a failed realloc
// leaves the table as it was.
bool rebuild(numjit_dict* d, int64_t want) {
  int64_t slots = 8;
  while (slots < want * 2) slots *= 2;
  want = std::max<int64_t>(want, 1);
  if (want > d->capacity) {
    auto* grown = static_cast<char*>(std::realloc(d->entries, static_cast<size_t>(want * d->entry_size)));
    if (!grown) return false;
    d->entries = grown;  // a larger block, not yet more capacity
  }
  if (slots != d->slots) {
    auto* index = static_cast<IndexSlot*>(std::realloc(d->index, static_cast<size_t>(slots) * sizeof(IndexSlot)));
    if (!index) return false;
    d->index = index;
    d->slots = slots;
  }
  int64_t n = 0;  // compacted in place: an entry only moves to a lower position
  for (int64_t e = 0; e < d->used; ++e) {
    if (!live(d, e)) continue;
    if (n != e) std::memmove(entry_at(d, n), entry_at(d, e), static_cast<size_t>(d->entry_size));
    ++n;
  }
  d->used = n;
  if (want < d->capacity) {  // if shrinking the block fails, the larger block serves
    if (auto* shrunk = static_cast<char*>(std::realloc(d->entries, static_cast<size_t>(want * d->entry_size))))
      d->entries = shrunk;
  }
  d->capacity = want;
  for (int64_t i = 0; i < d->slots; ++i) d->index[i] = {0, kEmpty};
  for (int64_t e = 0; e < n; ++e) {
    bool found;
    uint64_t h = hash_key(d, key_at(d, e));
    d->index[probe(d, key_at(d, e), h, found)] = {h, e};
  }
  return true;
}

void destroy_dict(void* data) {
  auto* d = static_cast<numjit_dict*>(data);
  if (d->string_keys)
    for (int64_t e = 0; e < d->used; ++e)
      if (live(d, e)) numjit_rt_meminfo_decref(string_key(key_at(d, e)));
  if (d->owns_values)
    for (int64_t e = 0; e < d->used; ++e)
      if (live(d, e)) numjit_release_owned_words(value_at(d, e), static_cast<uint64_t>(d->owns_values));
  std::free(d->index);
  std::free(d->entries);
  delete d;
}

numjit_dict* dict_of(MemInfo* mi) { return static_cast<numjit_dict*>(mi->data); }

}  // namespace

extern "C" MemInfo* numjit_rt_dict_new(int64_t key_size, int64_t value_size, int64_t owns_values) {
  auto* d = new (std::nothrow) numjit_dict();
  auto* mi = static_cast<MemInfo*>(std::malloc(sizeof(MemInfo)));
  if (d) {
    d->key_size = key_size;
    d->value_size = value_size;
    d->entry_size = 8 + round8(key_size) + round8(value_size);
    d->owns_values = owns_values >> 8;
    d->string_keys = (owns_values >> 1) & 1;
  }
  if (!d || !mi || !rebuild(d, 8)) {
    if (d) destroy_dict(d);
    std::free(mi);
    memory_error("numjit: cannot allocate a dict");
    return nullptr;
  }
  return numjit::runtime::container_meminfo(mi, d, destroy_dict);
}

extern "C" int64_t numjit_rt_dict_find(MemInfo* mi, const void* key) {
  numjit_dict* d = dict_of(mi);
  bool found;
  int64_t slot = probe(d, key, found);
  return found ? d->index[slot].entry : -1;
}

extern "C" int64_t numjit_rt_dict_insert(MemInfo* mi, const void* key, int64_t* added) {
  numjit_dict* d = dict_of(mi);
  bool found;
  uint64_t h = hash_key(d, key);
  int64_t slot = probe(d, key, h, found);
  if (found) {
    *added = 0;
    return d->index[slot].entry;
  }
  if (d->used == d->capacity) {
    // Grow (or only compact, when removals left room) and find the slot again.
    if (!rebuild(d, std::max<int64_t>(d->length * 2, 8))) {
      memory_error("numjit: cannot grow a dict");
      return -1;
    }
    slot = probe(d, key, h, found);
  }
  int64_t e = d->used++;
  std::memset(entry_at(d, e), 0, static_cast<size_t>(d->entry_size));
  *reinterpret_cast<int64_t*>(entry_at(d, e)) = 1;
  std::memcpy(key_at(d, e), key, static_cast<size_t>(d->key_size));
  if (d->string_keys) string_key(key)->refcount.fetch_add(1, std::memory_order_relaxed);
  d->index[slot] = {h, e};
  ++d->length;
  *added = 1;
  return e;
}

extern "C" void numjit_rt_dict_remove(MemInfo* mi, int64_t entry) {
  numjit_dict* d = dict_of(mi);
  bool found;
  int64_t slot = probe(d, key_at(d, entry), found);
  if (found) d->index[slot].entry = kRemoved;
  *reinterpret_cast<int64_t*>(entry_at(d, entry)) = 0;
  --d->length;
  if (d->string_keys) numjit_rt_meminfo_decref(string_key(key_at(d, entry)));
}

extern "C" void* numjit_rt_dict_key(MemInfo* mi, int64_t entry) { return key_at(dict_of(mi), entry); }
extern "C" void* numjit_rt_dict_value(MemInfo* mi, int64_t entry) { return value_at(dict_of(mi), entry); }

extern "C" int64_t numjit_rt_dict_next(MemInfo* mi, int64_t entry) {
  numjit_dict* d = dict_of(mi);
  for (int64_t e = entry; e < d->used; ++e)
    if (live(d, e)) return e;
  return -1;
}

extern "C" int64_t numjit_rt_dict_length(MemInfo* mi) { return dict_of(mi)->length; }

extern "C" int32_t numjit_rt_dict_retype(MemInfo* mi, int64_t key_size, int64_t value_size, int64_t owns_values) {
  numjit_dict* d = dict_of(mi);
  // Only an empty table is retyped: one holding entries was typed when they
  // were stored, and keeps its sizes (a cast of it through a second name).
  if (d->length != 0) return numjit::abi::kStatusOk;
  d->key_size = key_size;
  d->value_size = value_size;
  d->entry_size = 8 + round8(key_size) + round8(value_size);
  d->owns_values = owns_values >> 8;
  d->string_keys = (owns_values >> 1) & 1;
  d->used = d->length = 0;
  std::free(d->entries);  // its capacity counted entries of the old size
  d->entries = nullptr;
  d->capacity = 0;
  if (!rebuild(d, 8)) {
    memory_error("numjit: cannot allocate a dict");
    return numjit::abi::kStatusError;
  }
  return numjit::abi::kStatusOk;
}

// `[{} for _ in r]` or `{k: []}` whose empty containers got their types from
// later stores (`l[i][k] = v`): each list item, or each dict value, is such a
// container, still empty, and takes the sizes of its new type here.
extern "C" int32_t numjit_rt_retype_held_items(MemInfo* container, int64_t container_is_dict, int64_t item_is_dict,
                                               int64_t size, int64_t value_size, int64_t owns) {
  auto retype = [&](const void* slot) {
    MemInfo* item;
    std::memcpy(&item, slot, sizeof(item));
    if (item_is_dict) return numjit_rt_dict_retype(item, size, value_size, owns);
    auto* list = static_cast<numjit_list*>(item->data);
    if (list->size != 0) return numjit::abi::kStatusOk;  // items stored already: typed by then
    list->itemsize = size;
    list->owns_items = owns;
    list->capacity = 0;  // the buffer was sized for no items: the first append reallocates
    return numjit::abi::kStatusOk;
  };
  if (container_is_dict) {
    for (int64_t e = numjit_rt_dict_next(container, 0); e >= 0; e = numjit_rt_dict_next(container, e + 1))
      if (retype(numjit_rt_dict_value(container, e)) != numjit::abi::kStatusOk) return numjit::abi::kStatusError;
    return numjit::abi::kStatusOk;
  }
  auto* list = static_cast<numjit_list*>(container->data);
  for (int64_t i = 0; i < list->size; ++i)
    if (retype(list->items + i * list->itemsize) != numjit::abi::kStatusOk) return numjit::abi::kStatusError;
  return numjit::abi::kStatusOk;
}
