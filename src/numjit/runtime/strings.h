// Strings built by compiled code: a refcounted block (runtime/memory.h) whose
// data is a numjit_str, immutable once built: its length in code points, a
// cached hash, and the code points as UCS-4, so indexing and slicing are
// O(1) as in CPython. String literals become such strings where compiled
// code needs a value (lower/lower_string.cpp); Python receives a str
// (bindings/boxing.cpp). The functions compiled code calls
// (numjit_rt_str_*) are in functions.def: those that build a string return
// null after recording an exception (MemoryError, IndexError, ValueError).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "numjit/runtime/functions.h"
#include "numjit/runtime/memory.h"

namespace numjit::runtime {

struct numjit_str {
  int64_t length;  // code points
  int64_t hash;    // -1 until computed
  uint32_t* chars() { return reinterpret_cast<uint32_t*>(this + 1); }
};
static_assert(sizeof(numjit_str) == 16);

inline numjit_str* string_of(MemInfo* mi) { return static_cast<numjit_str*>(mi->data); }
// A new string of `length` code points, uninitialized (null after a MemoryError).
MemInfo* new_string(int64_t length);
// The string of UTF-8 text (invalid bytes become U+FFFD).
MemInfo* string_from_utf8(std::string_view text);
// Whether two strings have the same text (cached hashes tell most unequal ones apart).
bool strings_equal(MemInfo* a, MemInfo* b);
// A Unicode decimal digit's value (Python's isdecimal() characters), else -1.
int decimal_value(uint32_t c);
// A digit that is not decimal (superscripts, circled digits...): isdigit() only.
bool is_digit_character(uint32_t c);
// The text int() and float() read: decimal digits of any script as ASCII,
// Unicode whitespace as spaces, any other non-ASCII character as '?'.
std::string ascii_number_text(MemInfo* mi);
// The string's text as UTF-8 (for messages and number parsing).
std::string utf8_of(MemInfo* mi);

}  // namespace numjit::runtime
