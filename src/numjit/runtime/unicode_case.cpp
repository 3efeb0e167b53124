#include "numjit/runtime/unicode_case.h"

#include <algorithm>
#include <iterator>

namespace numjit::runtime::unicode {
namespace {

// Code points first, first + stride, ... last map to themselves plus delta.
struct DeltaRange {
  uint32_t first, last, stride;
  int32_t delta;
};
// A code point that maps to several (ß to "SS").
struct Expansion {
  uint32_t c, count, chars[3];
};
// Code points first..last have the property.
struct PropertyRange {
  uint32_t first, last;
};

#include "numjit/runtime/unicode_case_tables.inc"

// The last entry whose first code point is at most c, or nullptr.
template <typename Entry, size_t N, typename First>
const Entry* at_or_before(const Entry (&table)[N], uint32_t c, First first) {
  auto it = std::upper_bound(std::begin(table), std::end(table), c,
                             [&](uint32_t value, const Entry& e) { return value < first(e); });
  return it == std::begin(table) ? nullptr : &*std::prev(it);
}

template <size_t N>
bool has(const PropertyRange (&table)[N], uint32_t c) {
  const PropertyRange* r = at_or_before(table, c, [](const PropertyRange& e) { return e.first; });
  return r && c <= r->last;
}

template <size_t N, size_t M>
int mapped(const DeltaRange (&ranges)[N], const Expansion (&expansions)[M], uint32_t c, uint32_t out[3]) {
  const Expansion* e = at_or_before(expansions, c, [](const Expansion& x) { return x.c; });
  if (e && e->c == c) {
    std::copy(e->chars, e->chars + e->count, out);
    return static_cast<int>(e->count);
  }
  const DeltaRange* r = at_or_before(ranges, c, [](const DeltaRange& x) { return x.first; });
  out[0] = r && c <= r->last && (c - r->first) % r->stride == 0 ? static_cast<uint32_t>(static_cast<int64_t>(c) + r->delta) : c;
  return 1;
}

}  // namespace

int map_case(CaseMap map, uint32_t c, uint32_t out[3]) {
  switch (map) {
    case CaseMap::Upper: return mapped(kUpperRanges, kUpperExpansions, c, out);
    case CaseMap::Lower: return mapped(kLowerRanges, kLowerExpansions, c, out);
    case CaseMap::Title: return mapped(kTitleRanges, kTitleExpansions, c, out);
    case CaseMap::Fold: return mapped(kFoldRanges, kFoldExpansions, c, out);
  }
  out[0] = c;
  return 1;
}

bool is_uppercase(uint32_t c) { return has(kUppercase, c); }
bool is_lowercase(uint32_t c) { return has(kLowercase, c); }
bool is_titlecase(uint32_t c) { return has(kTitlecase, c); }
bool is_cased(uint32_t c) { return has(kCased, c); }
bool is_case_ignorable(uint32_t c) { return has(kCaseIgnorable, c); }

}  // namespace numjit::runtime::unicode
