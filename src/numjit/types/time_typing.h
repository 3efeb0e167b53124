// NumPy's rules for datetime64 and timedelta64 values in compiled code: which
// operations exist, the unit their operands are converted to, and the type of
// the result. A unit converts exactly into a finer one of its family (weeks
// down to attoseconds; years into months); datetimes in years or months meet
// days and finer units through the calendar (as NumPy's datetime structs do),
// while timedeltas in them have no fixed length and meet only each other.
#pragma once

#include <string>

#include "numjit/types/unify.h"

namespace numjit::types {

// The finer of two units of one family (years and months; weeks to
// attoseconds) when one converts exactly into the other; -1 when they do not.
int common_time_unit(int a, int b);
// The unit two time values meet in: common_time_unit within a family, the
// linear unit where a datetime in years or months meets one (through the
// calendar), and -1 where NumPy refuses.
int meeting_time_unit(const Type* a, const Type* b);
// A timedelta cast as NumPy's astype does it: count * num, floor-divided by
// den. Between families it uses the average year (146097 days per 400 years).
struct TimeRatio {
  int64_t num, den;
};
TimeRatio time_cast_ratio(int from, int to);
// How many of unit `to` make one of unit `from` (to at least as fine as from);
// -1 where NumPy refuses the conversion (the factor reaches 2**56).
int64_t time_unit_factor(int from, int to);

// The type of `a op b` when either is a datetime64 or timedelta64 (integers
// counting as timedeltas of the other's unit); nullptr when NumPy has no such
// operation or compiled code refuses it, with `why` saying which.
const Type* time_binary_result(BinaryOp op, const Type* a, const Type* b, std::string* why = nullptr);
// Whether a comparison between a and b exists (two datetimes or two
// timedeltas of units that meet, or a timedelta and an integer).
bool time_comparable(const Type* a, const Type* b);
// Why a comparison time_comparable refuses does not exist, as ": ..." for a message.
std::string time_comparison_refusal(const Type* a, const Type* b);
// Whether a value of type `from` converts to `to` where either is a time (a
// store into an array, or astype when `unsafe`): between units that meet,
// timedeltas across families too when unsafe, and to or from numbers as the
// raw count (a float's NaN becoming NaT).
bool time_convertible(const Type* from, const Type* to, bool unsafe = false);
// Whether a type is, or holds, a datetime64 or timedelta64 (an array's dtype,
// a tuple's or list's items), which most library functions do not take yet.
bool holds_time(const Type* t);

}  // namespace numjit::types
