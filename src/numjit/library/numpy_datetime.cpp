// np.datetime64(...) and np.timedelta64(...) in compiled code: a count and a
// unit name, a time value brought to another unit, 'NaT', and (datetime64)
// an ISO 8601 date string, read at compile time into a constant. NumPy's
// generic unit (np.timedelta64(5), np.datetime64('NaT')) has no type in
// compiled code, so those calls must name their unit.
#include <algorithm>
#include <cctype>

#include "numjit/library/arguments.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/types/time_typing.h"

namespace numjit::library {
namespace {

namespace t = types;

constexpr int kYears = 0, kMonths = 1, kDays = 3, kHours = 4, kMinutes = 5, kSeconds = 6, kAttoseconds = 12;

const Type* time_type(bool datetime, int unit) { return t::scalar(abi::time_kind(datetime, unit)); }

bool is_text(const Type* a) { return a->kind == types::TypeKind::StringLiteral; }

// NumPy reads 'NaT' in any case, and the empty string, as NaT.
bool is_nat_text(const std::string& s) {
  return s.empty() || s.size() == 3 && std::tolower(s[0]) == 'n' && std::tolower(s[1]) == 'a' && std::tolower(s[2]) == 't';
}

int unit_named(const CallSite& c, const Type* a, const char* what) {
  if (!is_text(a)) typing_error(c.call.span, std::string(what) + "'s unit must be a constant string such as 'D' or 's'");
  for (int u = 0; u < abi::kTimeUnits; ++u)
    if (a->text == abi::kTimeUnitNames[u]) return u;
  typing_error(c.call.span, "'" + a->text + "' is not a datetime unit (Y M W D h m s ms us ns ps fs as)");
}

// An ISO 8601 date as NumPy reads it: [+-]YYYY[-MM[-DD[(T| )hh[:mm[:ss[.f...]]]]]],
// the unit being the last field given (fractions: ms per 3 digits, down to as).
struct IsoDate {
  int64_t year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t attoseconds = 0;  // the fraction of a second
  int unit = kYears;
};

bool leap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int64_t days_in_month(int64_t year, int64_t month) {
  static const int64_t days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

IsoDate parse_iso_date(const CallSite& c, const std::string& s) {
  auto fail = [&](const std::string& why) -> IsoDate {
    typing_error(c.call.span, "np.datetime64('" + s + "'): " + why +
                                  " (compiled code reads ISO 8601 dates: 'YYYY-MM-DDThh:mm:ss.fff')");
  };
  size_t at = 0;
  auto number = [&](size_t min_digits, size_t max_digits, int64_t& out) {
    size_t start = at;
    out = 0;
    while (at < s.size() && at - start < max_digits && std::isdigit(static_cast<unsigned char>(s[at])))
      out = out * 10 + (s[at++] - '0');
    return at - start >= min_digits;
  };
  IsoDate d;
  bool negative = at < s.size() && s[at] == '-';
  if (at < s.size() && (s[at] == '-' || s[at] == '+')) ++at;
  if (!number(1, 10, d.year)) return fail("no year, or one of more than 10 digits");
  if (negative) d.year = -d.year;
  auto field = [&](char separator, int64_t& out, int unit, int64_t low, int64_t high, const char* name) {
    if (at == s.size()) return false;
    if (s[at] != separator && !(separator == 'T' && s[at] == ' ')) fail("unexpected '" + s.substr(at, 1) + "'");
    ++at;
    if (!number(2, 2, out)) fail(std::string("the ") + name + " needs two digits");
    if (out < low || out > high) fail(std::string(name) + " out of range");
    d.unit = unit;
    return true;
  };
  if (field('-', d.month, kMonths, 1, 12, "month") && field('-', d.day, kDays, 1, days_in_month(d.year, d.month), "day") &&
      field('T', d.hour, kHours, 0, 23, "hour") && field(':', d.minute, kMinutes, 0, 59, "minute") &&
      field(':', d.second, kSeconds, 0, 59, "second") && at < s.size() && s[at] == '.') {
    ++at;
    size_t start = at;
    number(0, 18, d.attoseconds);
    size_t digits = at - start;
    d.unit = kSeconds + std::max(1, static_cast<int>((digits + 2) / 3));  // ms (no digits too), us, ... as
    for (size_t pad = digits; pad < 18; ++pad) d.attoseconds *= 10;
  }
  if (at != s.size()) fail("unexpected '" + s.substr(at) + "'");
  return d;
}

// The count of an ISO date in `unit`, as constant-folded IR, the date
// floored to a coarser unit than its own. As in NumPy, a finer unit wraps
// where the count overflows. The calendar part goes through the same
// conversion as a datetime64[M] cast to days.
llvm::Value* iso_date_count(RowContext& f, const IsoDate& d, int unit) {
  auto& b = f.builder();
  if (unit == kYears) return f.i64(d.year - 1970);
  llvm::Value* months = f.i64((d.year - 1970) * 12 + d.month - 1);
  if (unit == kMonths) return months;
  const Type* days_type = time_type(true, kDays);
  llvm::Value* count = b.CreateAdd(f.cast(months, time_type(true, kMonths), days_type), f.i64(d.day - 1));
  if (unit < kDays) return f.cast(count, days_type, time_type(true, unit));  // weeks
  const int64_t clock[] = {d.hour, d.minute, d.second};
  const int64_t next_finer[] = {24, 60, 60};
  for (int u = kHours; u <= unit && u <= kSeconds; ++u)
    count = b.CreateAdd(b.CreateMul(count, f.i64(next_finer[u - kHours])), f.i64(clock[u - kHours]));
  int64_t fraction = d.attoseconds;
  for (int u = unit; u < kAttoseconds; ++u) fraction /= 1000;
  for (int u = kSeconds; u < unit; ++u) count = b.CreateMul(count, f.i64(1000));
  return b.CreateAdd(count, f.i64(fraction));
}

// np.timedelta64(count | timedelta | 'NaT', unit) and np.datetime64(count |
// datetime | 'NaT' | 'iso date', unit); the unit may be left out where the
// first argument carries one (a time value, or an ISO date).
Builtin time_constructor(bool datetime) {
  const char* name = datetime ? "np.datetime64" : "np.timedelta64";
  TypingRule typing = [datetime, name](const CallSite& c) -> std::optional<Signature> {
    if (c.args.empty() || c.args.size() > 2) return std::nullopt;
    const Type* value = c.args[0];
    int unit = c.args.size() == 2 ? unit_named(c, c.args[1], name) : -1;
    const Type* param = value;
    if (is_text(value)) {
      param = nullptr;
      if (!is_nat_text(value->text) && !datetime)
        typing_error(c.call.span, "np.timedelta64 takes a count or 'NaT', not '" + value->text + "'");
      if (!is_nat_text(value->text) && unit < 0) unit = parse_iso_date(c, value->text).unit;
    } else if (value->is_time()) {
      if (value->is_datetime() != datetime)
        typing_error(c.call.span, std::string(name) + " cannot be made from a " + value->name);
      if (unit < 0) unit = abi::time_unit(value->scalar);
      if (!t::time_convertible(value, time_type(datetime, unit)))
        typing_error(c.call.span, std::string(name) + " cannot convert a " + value->name + " to unit '" +
                                      abi::kTimeUnitNames[unit] + "'");
    } else if (value->is_integer() || value->is_bool()) {
      param = t::int64();
    } else {
      typing_error(c.call.span, std::string(name) + " takes an integer count, not " + value->name);
    }
    if (unit < 0)
      typing_error(c.call.span, std::string(name) + "(...) without a unit has NumPy's generic unit, which compiled "
                                                    "code does not have: name one, as in " + name + "(1, 'D')");
    Signature sig{time_type(datetime, unit), {param}};
    if (c.args.size() == 2) sig.params.push_back(nullptr);
    return sig;
  };
  LoweringRule lowering = [datetime](RowContext& f, const hir::Expr& call, const Signature& s,
                                     std::vector<llvm::Value*> args) -> llvm::Value* {
    const hir::Expr& value = argument_expr(call, 0);
    if (is_text(value.type)) {
      if (is_nat_text(value.type->text)) return f.i64(abi::kNaT);
      CallSite site{call, {value.type}};
      return iso_date_count(f, parse_iso_date(site, value.type->text), abi::time_unit(s.result->scalar));
    }
    if (s.params[0]->is_time()) return f.cast(args[0], s.params[0], s.result);
    return args[0];  // the count, as int64
  };
  return Builtin{name, typing, lowering};
}

}  // namespace

void register_numpy_datetime(std::vector<Builtin>& table) {
  table.push_back(time_constructor(true));
  table.push_back(time_constructor(false));
}

}  // namespace numjit::library
