#include "numjit/types/time_typing.h"

#include <numeric>

namespace numjit::types {
namespace {

constexpr int kMonths = 1;
constexpr int kWeeks = 2;
constexpr int kDays = 3;
// How many of the next finer unit make one of each unit (months: none).
constexpr int64_t kNextFiner[abi::kTimeUnits] = {12, 0, 7, 24, 60, 60, 1000, 1000, 1000, 1000, 1000, 1000, 1};

bool calendar_unit(int unit) { return unit <= kMonths; }
bool counts(const Type* t) { return t->is_integer() || t->is_bool(); }
const Type* time_of(bool datetime, int unit) { return scalar(abi::time_kind(datetime, unit)); }

// Whether years or months reach a linear unit through the calendar: weeks and
// days down to nanoseconds (NumPy's factor overflows below that).
bool calendar_reaches(int linear_unit) { return linear_unit == kWeeks || time_unit_factor(kDays, linear_unit) >= 0; }

}  // namespace

int common_time_unit(int a, int b) {
  if (calendar_unit(a) != calendar_unit(b)) return -1;
  int coarse = a < b ? a : b, fine = a > b ? a : b;  // units run from coarse to fine
  return time_unit_factor(coarse, fine) < 0 ? -1 : fine;
}

int meeting_time_unit(const Type* a, const Type* b) {
  int ua = abi::time_unit(a->scalar), ub = abi::time_unit(b->scalar);
  if (calendar_unit(ua) == calendar_unit(ub)) return common_time_unit(ua, ub);
  // A datetime in years or months is a day on the calendar; a timedelta in
  // them has no fixed length, so NumPy refuses it against linear units.
  const Type* calendar_side = calendar_unit(ua) ? a : b;
  int linear = calendar_unit(ua) ? ub : ua;
  return calendar_side->is_datetime() && calendar_reaches(linear) ? linear : -1;
}

TimeRatio time_cast_ratio(int from, int to) {
  if (calendar_unit(from) == calendar_unit(to)) {
    if (from <= to) return {time_unit_factor(from, to), 1};
    return {1, time_unit_factor(to, from)};
  }
  // NumPy's average: 400 years of 146097 days (get_datetime_conversion_factor),
  // reduced as it goes so that years to nanoseconds fits in 64 bits.
  int linear = calendar_unit(from) ? to : from;
  int64_t calendar_count = (from == kMonths || to == kMonths ? 400 * 12 : 400) * (linear == kWeeks ? 7 : 1);
  int64_t linear_per_day = linear == kWeeks ? 1 : time_unit_factor(kDays, linear);
  int64_t g = std::gcd(linear_per_day, calendar_count);
  linear_per_day /= g, calendar_count /= g;
  int64_t h = std::gcd(int64_t(146097), calendar_count);
  TimeRatio linear_per_calendar{146097 / h * linear_per_day, calendar_count / h};
  if (calendar_unit(from)) return linear_per_calendar;
  return {linear_per_calendar.den, linear_per_calendar.num};
}

// NumPy refuses a factor that reaches 2**56 on the way (get_datetime_units_factor),
// as from seconds to attoseconds or from days to picoseconds: so does numjit (-1).
int64_t time_unit_factor(int from, int to) {
  int64_t factor = 1;
  for (int unit = from; unit < to; ++unit) {
    factor *= kNextFiner[unit];
    if (factor >= (int64_t(1) << 56)) return -1;
  }
  return factor;
}

const Type* time_binary_result(BinaryOp op, const Type* a, const Type* b, std::string* why) {
  auto refuse = [&](std::string reason) -> const Type* {
    if (why) *why = std::move(reason);
    return nullptr;
  };
  bool a_td = a->is_timedelta(), b_td = b->is_timedelta(), a_dt = a->is_datetime(), b_dt = b->is_datetime();
  // The unit two time values meet in, or why they cannot.
  int unit = -1;
  if ((a_td || a_dt) && (b_td || b_dt)) {
    int ua = abi::time_unit(a->scalar), ub = abi::time_unit(b->scalar);
    unit = meeting_time_unit(a, b);
    if (unit < 0) {
      std::string units = "[" + std::string(abi::kTimeUnitNames[ua]) + "] and [" + abi::kTimeUnitNames[ub] + "]";
      const Type* calendar_side = calendar_unit(ua) ? a : b;
      if (calendar_unit(ua) != calendar_unit(ub) && calendar_side->is_timedelta())
        return refuse("a timedelta64 in years or months does not convert into days or finer units (" + units +
                      "): months and years have no fixed length");
      return refuse("NumPy cannot convert between the units " + units + ": the factor overflows");
    }
  } else {
    unit = abi::time_unit((a_td || a_dt) ? a->scalar : b->scalar);
  }
  switch (op) {
    case BinaryOp::Add:
      if (a_dt && b_dt) break;
      if ((a_td || counts(a)) && (b_td || counts(b))) return time_of(false, unit);
      if ((a_dt && (b_td || counts(b))) || (b_dt && (a_td || counts(a)))) return time_of(true, unit);
      break;
    case BinaryOp::Sub:
      if (a_dt && b_dt) return time_of(false, unit);
      if ((a_td || counts(a)) && (b_td || counts(b))) return time_of(false, unit);
      if (a_dt && (b_td || counts(b))) return time_of(true, unit);
      break;
    case BinaryOp::Mul:
      if ((a_td && b->is_number() && !b->is_complex()) || (b_td && a->is_number() && !a->is_complex()))
        return time_of(false, unit);
      break;
    case BinaryOp::TrueDiv:
    case BinaryOp::FloorDiv:
      if (a_td && b_td) return op == BinaryOp::TrueDiv ? float64() : int64();
      if (a_td && b->is_number() && !b->is_complex() && !b->is_bool()) return time_of(false, unit);
      break;
    case BinaryOp::Mod:
      if (a_td && b_td) return time_of(false, unit);
      break;
    default: break;
  }
  return refuse("NumPy has no such operation on " + a->name + " and " + b->name);
}

bool time_comparable(const Type* a, const Type* b) {
  if (a->is_time() && b->is_time()) return a->is_datetime() == b->is_datetime() && meeting_time_unit(a, b) >= 0;
  // NumPy has no loop comparing a timedelta with a uint64 (which no int64 holds).
  auto signed_count = [](const Type* t) { return counts(t) && !(t->is_integer() && !t->is_signed() && t->bits() == 64); };
  return (a->is_timedelta() && signed_count(b)) || (b->is_timedelta() && signed_count(a));
}

std::string time_comparison_refusal(const Type* a, const Type* b) {
  if (a->is_time() && b->is_time() && a->is_datetime() == b->is_datetime()) {
    int ua = abi::time_unit(a->scalar), ub = abi::time_unit(b->scalar);
    if (calendar_unit(ua) != calendar_unit(ub))
      return ": months and years have no fixed length in days, so NumPy refuses it";
    return ": NumPy cannot convert between these units (the factor overflows)";
  }
  return ": NumPy compares datetimes with datetimes, and timedeltas with timedeltas or integers (not uint64)";
}

bool time_convertible(const Type* from, const Type* to, bool unsafe) {
  if (from->is_time() && to->is_time()) {
    if (from->is_datetime() != to->is_datetime()) return false;
    int uf = abi::time_unit(from->scalar), ut = abi::time_unit(to->scalar);
    // astype converts timedeltas in years or months by their average length.
    if (unsafe && from->is_timedelta() && calendar_unit(uf) != calendar_unit(ut))
      return calendar_reaches(calendar_unit(uf) ? ut : uf);
    return meeting_time_unit(from, to) >= 0;
  }
  const Type* number = from->is_time() ? to : from;
  return number->is_number() && !number->is_complex() && !number->is_bool();
}

bool holds_time(const Type* t) {
  if (t->is_array()) return t->dtype()->is_time();
  if (t->kind == TypeKind::Tuple || t->kind == TypeKind::List || t->kind == TypeKind::Set ||
      t->kind == TypeKind::Dict || t->kind == TypeKind::Optional)
    for (const Type* e : t->elements)
      if (holds_time(e)) return true;
  return t->is_time();
}

}  // namespace numjit::types
