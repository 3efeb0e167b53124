// The string runtime (src/numjit/runtime/strings.cpp, string_numbers.cpp):
// UTF-8 in and out, slicing, splitting and joining, Python's float repr,
// the format-spec language and reading numbers, with the errors Python
// raises and no block left behind.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "numjit/runtime/abi.h"
#include "numjit/runtime/memory.h"
#include "numjit/runtime/strings.h"

using numjit::runtime::MemInfo;
using numjit::runtime::utf8_of;

namespace {

MemInfo* text(const std::string& s) { return numjit_rt_str_from_utf8(s.data(), static_cast<int64_t>(s.size())); }

// The UTF-8 of a string compiled code got back, releasing it.
std::string take(MemInfo* s) {
  EXPECT_NE(s, nullptr);
  if (!s) return "<null>";
  std::string out = utf8_of(s);
  numjit_rt_meminfo_decref(s);
  return out;
}

std::vector<std::string> take_list(MemInfo* list_mi) {
  std::vector<std::string> out;
  auto* list = static_cast<numjit_list*>(list_mi->data);
  for (int64_t i = 0; i < list->size; ++i) {
    MemInfo* item;
    std::memcpy(&item, list->items + i * list->itemsize, sizeof(item));
    out.push_back(utf8_of(item));
  }
  numjit_rt_meminfo_decref(list_mi);
  return out;
}

class Strings : public ::testing::Test {
 protected:
  void SetUp() override { before_ = numjit::runtime::allocation_stats(); }
  void TearDown() override {
    numjit::runtime::AllocationStats after = numjit::runtime::allocation_stats();
    EXPECT_EQ(after.alloc - before_.alloc, after.free - before_.free) << "a string block was left behind";
  }
  numjit::runtime::AllocationStats before_{};
};

}  // namespace

TEST_F(Strings, Utf8RoundTripsAndCountsCodePoints) {
  MemInfo* s = text("aé中\xF0\x9F\x98\x80");
  EXPECT_EQ(numjit_rt_str_length(s), 4);
  EXPECT_EQ(take(s), "aé中\xF0\x9F\x98\x80");
  EXPECT_EQ(take(text("a\xFF" "b")), "a\xEF\xBF\xBD" "b");  // an invalid byte becomes U+FFFD
}

TEST_F(Strings, SlicesAsPython) {
  MemInfo* s = text("abcdef");
  EXPECT_EQ(take(numjit_rt_str_slice(s, 1, 4, 0, 3)), "bcd");
  EXPECT_EQ(take(numjit_rt_str_slice(s, 0, 0, -1, 4)), "fedcba");
  EXPECT_EQ(take(numjit_rt_str_slice(s, -2, 0, 0, 1)), "ef");
  EXPECT_EQ(take(numjit_rt_str_slice(s, 5, 1, -2, 7)), "fd");
  EXPECT_EQ(numjit_rt_str_slice(s, 0, 0, 0, 4), nullptr);  // step 0: ValueError
  numjit::runtime::take_pending_error();
  EXPECT_EQ(numjit_rt_str_item(s, 6), nullptr);
  numjit::runtime::take_pending_error();
  numjit_rt_meminfo_decref(s);
}

TEST_F(Strings, SplitJoinAndReplace) {
  MemInfo* s = text("  a b\t c  ");
  EXPECT_EQ(take_list(numjit_rt_str_split(s, nullptr, -1, 0)), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(take_list(numjit_rt_str_split(s, nullptr, 1, 0)), (std::vector<std::string>{"a", "b\t c  "}));
  EXPECT_EQ(take_list(numjit_rt_str_split(s, nullptr, 1, 1)), (std::vector<std::string>{"  a b", "c"}));
  MemInfo* comma = text(",");
  MemInfo* csv = text("x,,y,");
  EXPECT_EQ(take_list(numjit_rt_str_split(csv, comma, -1, 0)), (std::vector<std::string>{"x", "", "y", ""}));
  MemInfo* parts = numjit_rt_str_split(csv, comma, -1, 0);
  EXPECT_EQ(take(numjit_rt_str_join(comma, parts)), "x,,y,");
  numjit_rt_meminfo_decref(parts);
  MemInfo* empty = text("");
  MemInfo* bar = text("|");
  EXPECT_EQ(take(numjit_rt_str_replace(csv, empty, bar, 2)), "|x|,,y,");
  EXPECT_EQ(take(numjit_rt_str_replace(csv, comma, empty, -1)), "xy");
  EXPECT_EQ(numjit_rt_str_split(csv, empty, -1, 0), nullptr);  // empty separator: ValueError
  numjit::runtime::take_pending_error();
  for (MemInfo* m : {s, comma, csv, empty, bar}) numjit_rt_meminfo_decref(m);
}

TEST_F(Strings, FloatsReadAsCPythonsRepr) {
  EXPECT_EQ(take(numjit_rt_str_from_float(0.1, 0)), "0.1");
  EXPECT_EQ(take(numjit_rt_str_from_float(1.0, 0)), "1.0");
  EXPECT_EQ(take(numjit_rt_str_from_float(1.0, 2)), "1");
  EXPECT_EQ(take(numjit_rt_str_from_float(1e16, 0)), "1e+16");
  EXPECT_EQ(take(numjit_rt_str_from_float(1e15, 0)), "1000000000000000.0");
  EXPECT_EQ(take(numjit_rt_str_from_float(1e-5, 0)), "1e-05");
  EXPECT_EQ(take(numjit_rt_str_from_float(-0.0, 0)), "-0.0");
  EXPECT_EQ(take(numjit_rt_str_from_float(1e6, 1)), "1e+06");  // float32: NumPy's thresholds
  EXPECT_EQ(take(numjit_rt_str_from_int(-42, 0)), "-42");
  EXPECT_EQ(take(numjit_rt_str_from_int(-1, 1)), "18446744073709551615");
}

TEST_F(Strings, FormatSpecsAsPython) {
  auto spec = [](const char* s) { return text(s); };
  MemInfo* specs[] = {spec("08.3f"), spec("+,d"), spec(".1"), spec("é^7"), spec("#x"), spec("..2f")};
  EXPECT_EQ(take(numjit_rt_str_format_float(3.14159, 0, specs[0])), "0003.142");
  EXPECT_EQ(take(numjit_rt_str_format_int(1234567, 0, specs[1])), "+1,234,567");
  EXPECT_EQ(take(numjit_rt_str_format_float(1.125, 0, specs[2])), "1e+00");
  EXPECT_EQ(take(numjit_rt_str_format_int(42, 0, specs[3])), "éé42ééé");  // the odd fill goes right
  EXPECT_EQ(take(numjit_rt_str_format_int(255, 0, specs[4])), "0xff");
  EXPECT_EQ(take(numjit_rt_str_format_int(1, 2, nullptr)), "True");
  EXPECT_EQ(numjit_rt_str_format_float(1.0, 0, specs[5]), nullptr);  // ValueError
  numjit::runtime::take_pending_error();
  for (MemInfo* m : specs) numjit_rt_meminfo_decref(m);
}

TEST_F(Strings, ReadsNumbersAsIntAndFloatDo) {
  int64_t i = 0;
  double f = 0;
  MemInfo* good = text(" -1_000 ");
  EXPECT_EQ(numjit_rt_str_to_int(good, 10, &i), numjit::abi::kStatusOk);
  EXPECT_EQ(i, -1000);
  MemInfo* hex = text("0xff");
  EXPECT_EQ(numjit_rt_str_to_int(hex, 16, &i), numjit::abi::kStatusOk);
  EXPECT_EQ(i, 255);
  MemInfo* bad = text("1__0");
  EXPECT_EQ(numjit_rt_str_to_int(bad, 10, &i), numjit::abi::kStatusError);
  EXPECT_NE(numjit::runtime::take_pending_error().message.find("invalid literal for int()"), std::string::npos);
  MemInfo* inf = text("-Infinity");
  EXPECT_EQ(numjit_rt_str_to_float(inf, &f), numjit::abi::kStatusOk);
  EXPECT_TRUE(f < 0 && f * 0 != 0);
  EXPECT_EQ(numjit_rt_str_to_float(bad, &f), numjit::abi::kStatusError);
  numjit::runtime::take_pending_error();
  for (MemInfo* m : {good, hex, bad, inf}) numjit_rt_meminfo_decref(m);
}

TEST_F(Strings, ConstantsAreMadeOnceAndOutsideTheCounts) {
  MemInfo* cache = nullptr;
  MemInfo* first = numjit_rt_str_constant(&cache, "const", 5);
  MemInfo* again = numjit_rt_str_constant(&cache, "const", 5);
  EXPECT_EQ(first, again);
  EXPECT_EQ(utf8_of(first), "const");
}
