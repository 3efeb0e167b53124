#include "numjit/runtime/strings.h"

#include <algorithm>
#include <atomic>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwctype>
#include <locale.h>
#include <vector>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/python_literal.h"
#include "numjit/runtime/unicode_case.h"

namespace numjit::runtime {
namespace {

// A string's header and characters share the MemInfo's block, freed with it.
void keep_with_meminfo(void*) {}

void error(abi::ExceptionKind kind, const char* message) { raise(kind, message); }

// Python's whitespace (str.split() and str.strip() without arguments).
bool is_space(uint32_t c) {
  if (c < 128) return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
  return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
         c == 0x202f || c == 0x205f || c == 0x3000;
}

// Non-ASCII letters and cases through the C library's Unicode tables (C.UTF-8).
locale_t unicode_locale() {
  static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return loc;
}
bool is_alpha(uint32_t c) {
  if (c < 128) return (c | 32) >= 'a' && (c | 32) <= 'z';
  if (numjit::runtime::decimal_value(c) >= 0 || numjit::runtime::is_digit_character(c)) return false;
  // Letter numbers (Roman numerals, 〇, Hangzhou and runic numerals) are not letters to Python.
  if ((c >= 0x2160 && c <= 0x2188) || c == 0x3007 || (c >= 0x3021 && c <= 0x3029) || (c >= 0x16ee && c <= 0x16f0))
    return false;
  return unicode_locale() && iswalpha_l(static_cast<wint_t>(c), unicode_locale());
}
bool is_decimal(uint32_t c) { return numjit::runtime::decimal_value(c) >= 0; }
bool is_digit(uint32_t c) { return is_decimal(c) || numjit::runtime::is_digit_character(c); }
// Numeric characters beyond digits that Python's isnumeric() knows: vulgar
// fractions, Roman numerals, and the CJK numerals.
bool is_numeric(uint32_t c) {
  static const uint32_t kCjk[] = {0x3007, 0x4e00, 0x4e03, 0x4e07, 0x4e09, 0x4e5d, 0x4e8c, 0x4e94, 0x516b, 0x516d,
                                  0x5341, 0x5343, 0x56db, 0x767e, 0x5104, 0x5146};
  if (is_digit(c) || c == 0xbc || c == 0xbd || c == 0xbe || (c >= 0x2150 && c <= 0x218b)) return true;
  for (uint32_t k : kCjk)
    if (c == k) return true;
  return false;
}
MemInfo* from_chars(const uint32_t* chars, int64_t n) {
  MemInfo* out = new_string(n);
  if (out && n) std::memcpy(string_of(out)->chars(), chars, static_cast<size_t>(n) * 4);
  return out;
}
MemInfo* from_vector(const std::vector<uint32_t>& chars) { return from_chars(chars.data(), static_cast<int64_t>(chars.size())); }

// Python's slice-index clamping for find/count/startswith (start, end).
void clamp_range(int64_t length, int64_t& start, int64_t& end) {
  if (start < 0) start = std::max<int64_t>(start + length, 0);
  if (end < 0) end = std::max<int64_t>(end + length, 0);
  end = std::min(end, length);
}

bool matches_at(numjit_str* s, int64_t at, numjit_str* sub) {
  return std::memcmp(s->chars() + at, sub->chars(), static_cast<size_t>(sub->length) * 4) == 0;
}

MemInfo* list_of_strings(int64_t capacity) {
  return numjit_rt_list_new(static_cast<int64_t>(sizeof(MemInfo*)), capacity, 1);
}
// Appends a new string to a list of strings, which takes its reference.
bool append_string(MemInfo* list, MemInfo* item) {
  if (!item) return false;
  if (numjit_rt_list_append(list, &item) != abi::kStatusOk) {
    numjit_rt_meminfo_decref(item);
    return false;
  }
  return true;
}

}  // namespace

int decimal_value(uint32_t c) {
  // The first code point (zero) of each run of ten decimal digits in Unicode (category Nd).
  static const uint32_t kZeros[] = {
      0x30,    0x660,   0x6f0,   0x7c0,   0x966,   0x9e6,   0xa66,   0xae6,   0xb66,   0xbe6,   0xc66,
      0xce6,   0xd66,   0xde6,   0xe50,   0xed0,   0xf20,   0x1040,  0x1090,  0x17e0,  0x1810,  0x1946,
      0x19d0,  0x1a80,  0x1a90,  0x1b50,  0x1bb0,  0x1c40,  0x1c50,  0xa620,  0xa8d0,  0xa900,  0xa9d0,
      0xa9f0,  0xaa50,  0xabf0,  0xff10,  0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0,
      0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60,
      0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0};
  for (uint32_t zero : kZeros)
    if (c >= zero && c < zero + 10) return static_cast<int>(c - zero);
  return -1;
}

bool is_digit_character(uint32_t c) {
  // Digits that are not decimal (Python's isdigit() but not isdecimal()):
  // superscripts, subscripts and circled or parenthesized digits.
  return c == 0xb2 || c == 0xb3 || c == 0xb9 || c == 0x2070 || (c >= 0x2074 && c <= 0x2079) ||
         (c >= 0x2080 && c <= 0x2089) || (c >= 0x2460 && c <= 0x2468) || (c >= 0x2474 && c <= 0x247c) ||
         (c >= 0x2488 && c <= 0x2490) || c == 0x24ea || (c >= 0x24f5 && c <= 0x24fd) || c == 0x24ff ||
         (c >= 0x2776 && c <= 0x277e) || (c >= 0x2780 && c <= 0x2788) || (c >= 0x278a && c <= 0x2792);
}

std::string ascii_number_text(MemInfo* mi) {
  numjit_str* s = string_of(mi);
  std::string out;
  for (int64_t i = 0; i < s->length; ++i) {
    uint32_t c = s->chars()[i];
    int digit = c < 128 ? -1 : decimal_value(c);
    if (digit >= 0) out += static_cast<char>('0' + digit);
    else if (c >= 128 && is_space(c)) out += ' ';
    else if (c < 128) out += static_cast<char>(c);
    else out += '?';  // no number has it: the parse fails on it
  }
  return out;
}

MemInfo* new_string(int64_t length) {
  static_assert(sizeof(MemInfo) % alignof(numjit_str) == 0);
  auto* mi = length < 0 ? nullptr
                        : static_cast<MemInfo*>(std::malloc(sizeof(MemInfo) + sizeof(numjit_str) +
                                                            static_cast<size_t>(length) * 4));
  if (!mi) {
    error(abi::ExceptionKind::MemoryError, "numjit: cannot allocate a string");
    return nullptr;
  }
  auto* s = reinterpret_cast<numjit_str*>(mi + 1);
  s->length = length;
  s->hash = -1;
  return container_meminfo(mi, s, keep_with_meminfo);
}

MemInfo* string_from_utf8(std::string_view text) {
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {  // the common case: one pass, no scratch vector
    MemInfo* out = new_string(static_cast<int64_t>(text.size()));
    if (out)
      for (size_t i = 0; i < text.size(); ++i) string_of(out)->chars()[i] = static_cast<unsigned char>(text[i]);
    return out;
  }
  std::vector<uint32_t> chars;
  chars.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    int extra = byte < 0x80 ? 0 : (byte >> 5) == 6 ? 1 : (byte >> 4) == 14 ? 2 : (byte >> 3) == 30 ? 3 : -1;
    uint32_t c = extra == 0 ? byte : extra == 1 ? byte & 0x1f : extra == 2 ? byte & 0x0f : byte & 0x07;
    bool valid = extra >= 0 && i + extra < text.size() + (extra == 0 ? 1 : 0);
    for (int k = 1; valid && k <= extra; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next >> 6) == 2;
      c = (c << 6) | (next & 0x3f);
    }
    chars.push_back(valid ? c : 0xfffd);
    i += valid ? static_cast<size_t>(extra) + 1 : 1;
  }
  return from_vector(chars);
}

std::string utf8_of(MemInfo* mi) {
  numjit_str* s = string_of(mi);
  std::string out;
  for (int64_t i = 0; i < s->length; ++i) {
    uint32_t c = s->chars()[i];
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xe0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

}  // namespace numjit::runtime

extern "C" void numjit_rt_set_error_text(void* exc_class, numjit::runtime::MemInfo* text) {
  std::string message = text ? numjit::runtime::utf8_of(text) : std::string();
  // A text that starts as an argument literal would be read as one, and an
  // empty one as no argument (KeyError('') shows ''): the literal of the
  // one-string tuple says them plainly.
  if (message.empty() || message[0] == numjit::abi::kExceptionArgumentsMarker)
    message = std::string(1, numjit::abi::kExceptionArgumentsMarker) + "(" + numjit::abi::python_string_literal(message) + ",)";
  numjit_rt_set_error(exc_class, message.c_str());
}

extern "C" void numjit_rt_set_error_integer(void* exc_class, int64_t value, int32_t is_unsigned) {
  std::string digits = is_unsigned ? std::to_string(static_cast<uint64_t>(value)) : std::to_string(value);
  numjit_rt_set_error(exc_class, (std::string(1, numjit::abi::kExceptionArgumentsMarker) + "(" + digits + ",)").c_str());
}

using numjit::abi::ExceptionKind;
using numjit::runtime::MemInfo;
using numjit::runtime::numjit_str;
using numjit::runtime::string_of;
using namespace numjit::runtime;

extern "C" MemInfo* numjit_rt_str_from_utf8(const char* bytes, int64_t n) {
  return string_from_utf8(std::string_view(bytes, static_cast<size_t>(n)));
}

extern "C" MemInfo* numjit_rt_str_constant(MemInfo** cache, const char* bytes, int64_t n) {
  std::atomic_ref<MemInfo*> slot(*cache);
  if (MemInfo* made = slot.load(std::memory_order_acquire)) return made;
  MemInfo* text = string_from_utf8(std::string_view(bytes, static_cast<size_t>(n)));
  if (!text) return nullptr;
  text->refcount.store(int64_t(1) << 60, std::memory_order_relaxed);  // immortal
  MemInfo* expected = nullptr;
  if (!slot.compare_exchange_strong(expected, text, std::memory_order_acq_rel)) {
    text->refcount.store(1, std::memory_order_relaxed);  // another thread made it first
    numjit_rt_meminfo_decref(text);
    return expected;
  }
  forget_allocation();  // never freed: not a leak of compiled code
  return text;
}

extern "C" int64_t numjit_rt_str_length(MemInfo* s) { return string_of(s)->length; }

extern "C" MemInfo* numjit_rt_str_concat(MemInfo* const* parts, int64_t count) {
  int64_t length = 0;
  for (int64_t k = 0; k < count; ++k) length += string_of(parts[k])->length;
  MemInfo* out = new_string(length);
  if (!out) return nullptr;
  uint32_t* at = string_of(out)->chars();
  for (int64_t k = 0; k < count; ++k) {
    numjit_str* part = string_of(parts[k]);
    std::memcpy(at, part->chars(), static_cast<size_t>(part->length) * 4);
    at += part->length;
  }
  return out;
}

extern "C" MemInfo* numjit_rt_str_repeat(MemInfo* a, int64_t times) {
  numjit_str* x = string_of(a);
  times = std::max<int64_t>(times, 0);
  if (x->length && times > (int64_t(1) << 40) / x->length) {
    error(ExceptionKind::MemoryError, "repeated string is too long");
    return nullptr;
  }
  MemInfo* out = new_string(x->length * times);
  for (int64_t k = 0; out && k < times; ++k)
    std::memcpy(string_of(out)->chars() + k * x->length, x->chars(), static_cast<size_t>(x->length) * 4);
  return out;
}

extern "C" MemInfo* numjit_rt_str_item(MemInfo* a, int64_t index) {
  numjit_str* s = string_of(a);
  if (index < 0) index += s->length;
  if (index < 0 || index >= s->length) {
    error(ExceptionKind::IndexError, "string index out of range");
    return nullptr;
  }
  return from_chars(s->chars() + index, 1);
}

// s[start:stop:step]; `given` has bit 1 for a start, 2 for a stop, 4 for a step (others are None).
extern "C" MemInfo* numjit_rt_str_slice(MemInfo* a, int64_t start, int64_t stop, int64_t step, int32_t given) {
  numjit_str* s = string_of(a);
  int64_t n = s->length;
  if (!(given & 4)) step = 1;
  if (step == 0) {
    error(ExceptionKind::ValueError, "slice step cannot be zero");
    return nullptr;
  }
  auto adjust = [&](int64_t v, bool present, int64_t fallback) {
    if (!present) return fallback;
    if (v < 0) v = std::max<int64_t>(v + n, step < 0 ? -1 : 0);
    return std::min<int64_t>(v, step < 0 ? n - 1 : n);
  };
  start = adjust(start, given & 1, step < 0 ? n - 1 : 0);
  stop = adjust(stop, given & 2, step < 0 ? -1 : n);
  int64_t count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                           : (start > stop ? (start - stop - step - 1) / -step : 0);
  MemInfo* out = new_string(count);
  for (int64_t i = 0; out && i < count; ++i) string_of(out)->chars()[i] = s->chars()[start + i * step];
  return out;
}

extern "C" int64_t numjit_rt_str_compare(MemInfo* a, MemInfo* b) {
  numjit_str* x = string_of(a);
  numjit_str* y = string_of(b);
  int64_t n = std::min(x->length, y->length);
  for (int64_t i = 0; i < n; ++i)
    if (x->chars()[i] != y->chars()[i]) return x->chars()[i] < y->chars()[i] ? -1 : 1;
  return x->length < y->length ? -1 : x->length > y->length ? 1 : 0;
}

extern "C" int64_t numjit_rt_str_hash(MemInfo* a) {
  numjit_str* s = string_of(a);
  if (s->hash != -1) return s->hash;
  // Two code points per step, multiplied and folded, then splitmix64's finalizer.
  uint64_t h = 0x9e3779b97f4a7c15ull ^ static_cast<uint64_t>(s->length);
  const uint32_t* c = s->chars();
  int64_t i = 0;
  for (; i + 1 < s->length; i += 2) {
    uint64_t pair = (static_cast<uint64_t>(c[i + 1]) << 32) | c[i];
    h = (h ^ pair) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  if (i < s->length) h = (h ^ c[i]) * 0x100000001b3ull;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  h ^= h >> 31;
  s->hash = static_cast<int64_t>(h == static_cast<uint64_t>(-1) ? h - 1 : h);
  return s->hash;
}

bool numjit::runtime::strings_equal(MemInfo* a, MemInfo* b) {
  if (a == b) return true;
  numjit_str* x = string_of(a);
  numjit_str* y = string_of(b);
  if (x->length != y->length || (x->hash != -1 && y->hash != -1 && x->hash != y->hash)) return false;
  return std::memcmp(x->chars(), y->chars(), static_cast<size_t>(x->length) * 4) == 0;
}

// find (flags 0), rfind (1), count (2) of `sub` in s[start:end].
extern "C" int64_t numjit_rt_str_find(MemInfo* a, MemInfo* b, int64_t start, int64_t end, int32_t flags) {
  numjit_str* s = string_of(a);
  numjit_str* sub = string_of(b);
  clamp_range(s->length, start, end);
  if (flags == 2) {
    if (start > end) return 0;
    if (sub->length == 0) return end - start + 1;
    int64_t count = 0;
    for (int64_t i = start; i + sub->length <= end;) {
      if (matches_at(s, i, sub)) {
        ++count;
        i += sub->length;
      } else {
        ++i;
      }
    }
    return count;
  }
  if (start > end || end - start < sub->length) return -1;
  if (flags == 1) {
    for (int64_t i = end - sub->length; i >= start; --i)
      if (matches_at(s, i, sub)) return i;
    return -1;
  }
  for (int64_t i = start; i + sub->length <= end; ++i)
    if (matches_at(s, i, sub)) return i;
  return -1;
}

// startswith (suffix 0) / endswith (1) within s[start:end].
extern "C" int32_t numjit_rt_str_affix(MemInfo* a, MemInfo* b, int64_t start, int64_t end, int32_t suffix) {
  numjit_str* s = string_of(a);
  numjit_str* affix = string_of(b);
  clamp_range(s->length, start, end);
  if (start > end || end - start < affix->length) return 0;
  return matches_at(s, suffix ? end - affix->length : start, affix) ? 1 : 0;
}

extern "C" MemInfo* numjit_rt_str_replace(MemInfo* a, MemInfo* old_mi, MemInfo* new_mi, int64_t count) {
  numjit_str* s = string_of(a);
  numjit_str* old_s = string_of(old_mi);
  numjit_str* new_s = string_of(new_mi);
  if (count < 0) count = INT64_MAX;
  std::vector<uint32_t> out;
  out.reserve(static_cast<size_t>(s->length));
  auto put_new = [&] { out.insert(out.end(), new_s->chars(), new_s->chars() + new_s->length); };
  int64_t replaced = 0;
  if (old_s->length == 0) {  // inserts `new` before every character and at the end
    for (int64_t i = 0; i <= s->length; ++i) {
      if (replaced < count) {
        put_new();
        ++replaced;
      }
      if (i < s->length) out.push_back(s->chars()[i]);
    }
    return from_vector(out);
  }
  for (int64_t i = 0; i < s->length;) {
    if (replaced < count && i + old_s->length <= s->length && matches_at(s, i, old_s)) {
      put_new();
      ++replaced;
      i += old_s->length;
    } else {
      out.push_back(s->chars()[i++]);
    }
  }
  return from_vector(out);
}

// split (from_right 0) / rsplit (1): on runs of whitespace when sep is null.
extern "C" MemInfo* numjit_rt_str_split(MemInfo* a, MemInfo* sep_mi, int64_t maxsplit, int32_t from_right) {
  numjit_str* s = string_of(a);
  if (maxsplit < 0) maxsplit = INT64_MAX;
  MemInfo* list = list_of_strings(8);
  if (!list) return nullptr;
  std::vector<std::pair<int64_t, int64_t>> parts;  // [begin, end) of each piece
  const uint32_t* c = s->chars();
  int64_t n = s->length;
  if (!sep_mi) {
    if (!from_right) {
      int64_t i = 0;
      while (true) {
        while (i < n && is_space(c[i])) ++i;
        if (i == n) break;
        if (static_cast<int64_t>(parts.size()) == maxsplit) {  // the rest, trailing whitespace kept
          parts.push_back({i, n});
          break;
        }
        int64_t b = i;
        while (i < n && !is_space(c[i])) ++i;
        parts.push_back({b, i});
      }
    } else {
      int64_t i = n;
      while (true) {
        while (i > 0 && is_space(c[i - 1])) --i;
        if (i == 0) break;
        if (static_cast<int64_t>(parts.size()) == maxsplit) {  // the rest, leading whitespace kept
          parts.push_back({0, i});
          break;
        }
        int64_t e = i;
        while (i > 0 && !is_space(c[i - 1])) --i;
        parts.push_back({i, e});
      }
      std::reverse(parts.begin(), parts.end());
    }
  } else {
    numjit_str* sep = string_of(sep_mi);
    if (sep->length == 0) {
      numjit_rt_meminfo_decref(list);
      error(ExceptionKind::ValueError, "empty separator");
      return nullptr;
    }
    int64_t m = sep->length;
    if (!from_right) {
      int64_t b = 0;
      for (int64_t i = 0; i + m <= n && static_cast<int64_t>(parts.size()) < maxsplit;) {
        if (matches_at(s, i, sep)) {
          parts.push_back({b, i});
          i += m;
          b = i;
        } else {
          ++i;
        }
      }
      parts.push_back({b, n});
    } else {
      int64_t e = n;
      for (int64_t i = n - m; i >= 0 && static_cast<int64_t>(parts.size()) < maxsplit;) {
        if (matches_at(s, i, sep)) {
          parts.push_back({i + m, e});
          e = i;
          i -= m;
        } else {
          --i;
        }
      }
      parts.push_back({0, e});
      std::reverse(parts.begin(), parts.end());
    }
  }
  for (auto [b, e] : parts) {
    if (!append_string(list, from_chars(c + b, e - b))) {
      numjit_rt_meminfo_decref(list);
      return nullptr;
    }
  }
  return list;
}

extern "C" MemInfo* numjit_rt_str_join(MemInfo* sep_mi, MemInfo* list_mi) {
  auto* list = static_cast<numjit_list*>(list_mi->data);
  numjit_str* sep = string_of(sep_mi);
  std::vector<uint32_t> out;
  for (int64_t i = 0; i < list->size; ++i) {
    MemInfo* item;
    std::memcpy(&item, list->items + i * list->itemsize, sizeof(item));
    if (i) out.insert(out.end(), sep->chars(), sep->chars() + sep->length);
    numjit_str* s = string_of(item);
    out.insert(out.end(), s->chars(), s->chars() + s->length);
  }
  return from_vector(out);
}

// strip (which 3), lstrip (1), rstrip (2): of whitespace when chars is null.
extern "C" MemInfo* numjit_rt_str_strip(MemInfo* a, MemInfo* chars_mi, int32_t which) {
  numjit_str* s = string_of(a);
  numjit_str* set = chars_mi ? string_of(chars_mi) : nullptr;
  auto stripped = [&](uint32_t c) {
    if (!set) return is_space(c);
    return std::find(set->chars(), set->chars() + set->length, c) != set->chars() + set->length;
  };
  int64_t b = 0, e = s->length;
  if (which & 1) while (b < e && stripped(s->chars()[b])) ++b;
  if (which & 2) while (e > b && stripped(s->chars()[e - 1])) --e;
  return from_chars(s->chars() + b, e - b);
}

namespace {

using unicode::CaseMap;

void append_mapped(CaseMap map, uint32_t c, std::vector<uint32_t>& out) {
  uint32_t mapped[3];
  int n = unicode::map_case(map, c, mapped);
  out.insert(out.end(), mapped, mapped + n);
}

// Σ at i is final (ς) when a cased character comes before it and none after,
// looking through case-ignorable ones (CPython's handle_capital_sigma).
bool final_sigma(const uint32_t* chars, int64_t n, int64_t i) {
  int64_t j = i - 1;
  while (j >= 0 && unicode::is_case_ignorable(chars[j])) --j;
  if (j < 0 || !unicode::is_cased(chars[j])) return false;
  j = i + 1;
  while (j < n && unicode::is_case_ignorable(chars[j])) ++j;
  return j == n || !unicode::is_cased(chars[j]);
}

// Python's lower() of the character at i of its string.
void append_lower(const uint32_t* chars, int64_t n, int64_t i, std::vector<uint32_t>& out) {
  if (chars[i] == 0x3a3) out.push_back(final_sigma(chars, n, i) ? 0x3c2 : 0x3c3);
  else append_mapped(CaseMap::Lower, chars[i], out);
}

}  // namespace

// upper (0), lower (1), swapcase (2), capitalize (3), title (4), casefold (5),
// each as CPython's loop does it.
extern "C" MemInfo* numjit_rt_str_case(MemInfo* a, int32_t op) {
  numjit_str* s = string_of(a);
  const uint32_t* chars = s->chars();
  int64_t n = s->length;
  std::vector<uint32_t> out;
  out.reserve(static_cast<size_t>(n));
  bool previous_cased = false;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t c = chars[i];
    switch (op) {
      case 0: append_mapped(CaseMap::Upper, c, out); break;
      case 1: append_lower(chars, n, i, out); break;
      case 2:
        if (unicode::is_uppercase(c)) append_lower(chars, n, i, out);
        else if (unicode::is_lowercase(c)) append_mapped(CaseMap::Upper, c, out);
        else out.push_back(c);
        break;
      case 3:
        if (i == 0) append_mapped(CaseMap::Title, c, out);
        else append_lower(chars, n, i, out);
        break;
      case 4:
        if (previous_cased) append_lower(chars, n, i, out);
        else append_mapped(CaseMap::Title, c, out);
        previous_cased = unicode::is_cased(c);
        break;
      default: append_mapped(CaseMap::Fold, c, out);
    }
  }
  return from_vector(out);
}

// isdigit (0), isdecimal (1), isnumeric (2), isalpha (3), isalnum (4),
// isspace (5), isupper (6), islower (7), isascii (8), istitle (9),
// isidentifier (10), isprintable (11).
extern "C" int32_t numjit_rt_str_test(MemInfo* a, int32_t predicate) {
  numjit_str* s = string_of(a);
  const uint32_t* c = s->chars();
  int64_t n = s->length;
  auto all = [&](auto&& ok) {
    if (n == 0) return false;
    for (int64_t i = 0; i < n; ++i)
      if (!ok(c[i])) return false;
    return true;
  };
  switch (predicate) {
    case 0: return all(is_digit);
    case 1: return all(is_decimal);
    case 2: return all(is_numeric);
    case 3: return all(is_alpha);
    case 4: return all([](uint32_t x) { return is_alpha(x) || is_digit(x); });
    case 5: return all(is_space);
    case 6:
    case 7: {  // CPython's: no character of the other case, nor a title-case one, and one of this case
      bool cased = false;
      for (int64_t i = 0; i < n; ++i) {
        bool upper = unicode::is_uppercase(c[i]), lower = unicode::is_lowercase(c[i]);
        if ((predicate == 6 ? lower : upper) || unicode::is_titlecase(c[i])) return false;
        cased = cased || (predicate == 6 ? upper : lower);
      }
      return cased;
    }
    case 8:
      for (int64_t i = 0; i < n; ++i)
        if (c[i] >= 128) return false;
      return true;
    case 9: {
      bool cased = false, previous_cased = false;
      for (int64_t i = 0; i < n; ++i) {
        if (unicode::is_uppercase(c[i]) || unicode::is_titlecase(c[i])) {
          if (previous_cased) return false;
          previous_cased = cased = true;
        } else if (unicode::is_lowercase(c[i])) {
          if (!previous_cased) return false;
          previous_cased = cased = true;
        } else {
          previous_cased = false;
        }
      }
      return cased;
    }
    case 10:
      if (n == 0 || !(is_alpha(c[0]) || c[0] == '_')) return false;
      for (int64_t i = 1; i < n; ++i)
        if (!(is_alpha(c[i]) || is_digit(c[i]) || c[i] == '_')) return false;
      return true;
    default:
      for (int64_t i = 0; i < n; ++i)
        if (c[i] < 32 || c[i] == 127 || (c[i] >= 0x80 && c[i] < 0xa0)) return false;
      return true;
  }
}

// center (align 0), ljust (1), rjust (2), zfill (3) to `width`.
extern "C" MemInfo* numjit_rt_str_pad(MemInfo* a, int64_t width, MemInfo* fill_mi, int32_t align) {
  numjit_str* s = string_of(a);
  uint32_t fill = ' ';
  if (fill_mi) {
    if (string_of(fill_mi)->length != 1) {
      error(ExceptionKind::TypeError, "The fill character must be exactly one character long");
      return nullptr;
    }
    fill = string_of(fill_mi)->chars()[0];
  }
  int64_t pad = std::max<int64_t>(width - s->length, 0);
  std::vector<uint32_t> out;
  int64_t left = align == 0 ? pad / 2 + (pad & width & 1) : align == 1 ? 0 : pad;
  if (align == 3) {
    const uint32_t* c = s->chars();
    bool sign = s->length && (c[0] == '+' || c[0] == '-');
    if (sign) out.push_back(c[0]);
    out.insert(out.end(), static_cast<size_t>(pad), '0');
    out.insert(out.end(), c + (sign ? 1 : 0), c + s->length);
    return from_vector(out);
  }
  out.insert(out.end(), static_cast<size_t>(left), fill);
  out.insert(out.end(), s->chars(), s->chars() + s->length);
  out.insert(out.end(), static_cast<size_t>(pad - left), fill);
  return from_vector(out);
}

// The characters of a string, each a string (for `for c in s`).
extern "C" MemInfo* numjit_rt_str_chars(MemInfo* a) {
  numjit_str* s = string_of(a);
  MemInfo* list = list_of_strings(s->length);
  for (int64_t i = 0; list && i < s->length; ++i) {
    if (!append_string(list, from_chars(s->chars() + i, 1))) {
      numjit_rt_meminfo_decref(list);
      return nullptr;
    }
  }
  return list;
}

extern "C" int64_t numjit_rt_str_ord(MemInfo* a) {
  numjit_str* s = string_of(a);
  if (s->length != 1) {
    std::string message = "ord() expected a character, but string of length " + std::to_string(s->length) + " found";
    error(ExceptionKind::TypeError, message.c_str());
    return -1;
  }
  return s->chars()[0];
}

extern "C" MemInfo* numjit_rt_str_chr(int64_t code) {
  if (code < 0 || code > 0x10ffff) {
    error(ExceptionKind::ValueError, "chr() arg not in range(0x110000)");
    return nullptr;
  }
  auto c = static_cast<uint32_t>(code);
  return from_chars(&c, 1);
}

extern "C" MemInfo* numjit_rt_str_repr(MemInfo* a, int32_t ascii_only) {
  numjit_str* s = string_of(a);
  const uint32_t* c = s->chars();
  bool has_single = std::find(c, c + s->length, uint32_t('\'')) != c + s->length;
  bool has_double = std::find(c, c + s->length, uint32_t('"')) != c + s->length;
  uint32_t quote = has_single && !has_double ? '"' : '\'';
  std::vector<uint32_t> out{quote};
  auto put = [&](const char* text) { while (*text) out.push_back(static_cast<unsigned char>(*text++)); };
  for (int64_t i = 0; i < s->length; ++i) {
    uint32_t x = c[i];
    char escaped[16];
    if (x == quote || x == '\\') {
      out.push_back('\\');
      out.push_back(x);
    } else if (x == '\n') {
      put("\\n");
    } else if (x == '\r') {
      put("\\r");
    } else if (x == '\t') {
      put("\\t");
    } else if (x < 32 || x == 127 || (x >= 0x80 && x <= 0xa0) || x == 0xad || (ascii_only && x > 127)) {
      // ascii() escapes every non-ASCII character; repr() the unprintable ones it knows.
      std::snprintf(escaped, sizeof escaped, x < 0x100 ? "\\x%02x" : x < 0x10000 ? "\\u%04x" : "\\U%08x", x);
      put(escaped);
    } else {
      out.push_back(x);
    }
  }
  out.push_back(quote);
  return from_vector(out);
}
