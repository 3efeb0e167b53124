// NumPy's rules for datetime64 and timedelta64 values in compiled code: which
// operations exist, the unit their operands are converted to, and the type of
// the result. A unit converts exactly into a finer one of its family (weeks
// down to attoseconds; years into months); datetimes in years or months meet
// finer units only through the calendar, which compiled code refuses.
#pragma once

#include <string>

#include "numjit/types/unify.h"

namespace numjit::types {

// The finer of two units when one converts exactly into the other; -1 when
// they do not (months and days).
int common_time_unit(int a, int b);
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
// store into an array, astype): within one family between units that meet,
// and to or from numbers as the raw count (a float's NaN becoming NaT).
bool time_convertible(const Type* from, const Type* to);
// Whether a type is, or holds, a datetime64 or timedelta64 (an array's dtype,
// a tuple's or list's items), which most library functions do not take yet.
bool holds_time(const Type* t);

}  // namespace numjit::types
