// datetime64 and timedelta64 values: int64 counts of a unit, NaT being
// INT64_MIN. Operations follow NumPy's loops (numpy/_core/src/umath/loops.c):
// both sides are brought to the finer unit; NaT in gives NaT out (nan for a
// ratio, 0 for a floor quotient); a timedelta divided by a number truncates,
// and a zero divisor gives NaT; a float result that is NaN, infinite or out
// of range gives NaT. A datetime in years or months meets finer units on the
// first day of its year or month, and finer datetimes fall back to the year or
// month holding them (the civil-date arithmetic below, after NumPy's
// datetime structs). types/time_typing.cpp decided which operations exist.
#include "numjit/lower/function_lowering.h"
#include "numjit/types/time_typing.h"

namespace numjit::lower {

using hir::BinaryOp;
using types::Type;

namespace {

constexpr int kMonths = 1;
constexpr int kDays = 3;
// 1970-01-01 counted from 0000-03-01 of the proleptic Gregorian calendar,
// whose 400-year eras of 146097 days start each on a March 1st.
constexpr int64_t kEpochFromMarchZero = 719468;

const Type* in_unit(const Type* t, int unit) { return types::scalar(abi::time_kind(t->is_datetime(), unit)); }

}  // namespace

llvm::Value* FunctionLowering::floor_divide_by(llvm::Value* v, int64_t divisor) {
  auto& b = builder_;
  llvm::Value* d = b.getInt64(divisor);
  llvm::Value* inexact_below =
      b.CreateAnd(b.CreateICmpNE(b.CreateSRem(v, d), b.getInt64(0)), b.CreateICmpSLT(v, b.getInt64(0)));
  return b.CreateSub(b.CreateSDiv(v, d), b.CreateZExt(inexact_below, b.getInt64Ty()));
}

// The first day of a year or month count (from 1970) as days from 1970-01-01.
// The year is shifted to start in March so that the leap day falls last.
llvm::Value* FunctionLowering::days_of_calendar(llvm::Value* count, int unit) {
  auto& b = builder_;
  auto i64 = [&](int64_t x) { return b.getInt64(x); };
  llvm::Value *year, *month_from_march;  // months counted from March: 10 is January
  if (unit == kMonths) {
    llvm::Value* years = floor_divide_by(count, 12);
    llvm::Value* month = b.CreateSub(count, b.CreateMul(years, i64(12)));  // 0 is January
    llvm::Value* before_march = b.CreateICmpULT(month, i64(2));
    year = b.CreateSub(b.CreateAdd(years, i64(1970)), b.CreateZExt(before_march, b.getInt64Ty()));
    month_from_march = b.CreateSelect(before_march, b.CreateAdd(month, i64(10)), b.CreateSub(month, i64(2)));
  } else {
    year = b.CreateAdd(count, i64(1969));  // January belongs to the March-year before
    month_from_march = i64(10);
  }
  llvm::Value* era = floor_divide_by(year, 400);
  llvm::Value* year_of_era = b.CreateSub(year, b.CreateMul(era, i64(400)));
  llvm::Value* day_of_year = b.CreateUDiv(b.CreateAdd(b.CreateMul(month_from_march, i64(153)), i64(2)), i64(5));
  llvm::Value* day_of_era =
      b.CreateAdd(b.CreateSub(b.CreateAdd(b.CreateMul(year_of_era, i64(365)), b.CreateUDiv(year_of_era, i64(4))),
                              b.CreateUDiv(year_of_era, i64(100))),
                  day_of_year);
  return b.CreateSub(b.CreateAdd(b.CreateMul(era, i64(146097)), day_of_era), i64(kEpochFromMarchZero));
}

// The year or month count (from 1970) holding a day counted from 1970-01-01.
llvm::Value* FunctionLowering::calendar_of_days(llvm::Value* days, int unit) {
  auto& b = builder_;
  auto i64 = [&](int64_t x) { return b.getInt64(x); };
  llvm::Value* from_march_zero = b.CreateAdd(days, i64(kEpochFromMarchZero));
  llvm::Value* era = floor_divide_by(from_march_zero, 146097);
  llvm::Value* day_of_era = b.CreateSub(from_march_zero, b.CreateMul(era, i64(146097)));  // [0, 146096]
  // Leap days before it: one per 4 years, less one per century, more one per era.
  llvm::Value* leap_adjusted =
      b.CreateSub(b.CreateAdd(b.CreateSub(day_of_era, b.CreateUDiv(day_of_era, i64(1460))),
                              b.CreateUDiv(day_of_era, i64(36524))),
                  b.CreateUDiv(day_of_era, i64(146096)));
  llvm::Value* year_of_era = b.CreateUDiv(leap_adjusted, i64(365));
  llvm::Value* day_of_year = b.CreateSub(
      day_of_era, b.CreateSub(b.CreateAdd(b.CreateMul(year_of_era, i64(365)), b.CreateUDiv(year_of_era, i64(4))),
                              b.CreateUDiv(year_of_era, i64(100))));
  llvm::Value* month_from_march = b.CreateUDiv(b.CreateAdd(b.CreateMul(day_of_year, i64(5)), i64(2)), i64(153));
  llvm::Value* in_next_year = b.CreateICmpUGE(month_from_march, i64(10));  // January or February
  llvm::Value* year = b.CreateAdd(b.CreateAdd(year_of_era, b.CreateMul(era, i64(400))),
                                  b.CreateZExt(in_next_year, b.getInt64Ty()));
  llvm::Value* years = b.CreateSub(year, i64(1970));
  if (unit != kMonths) return years;
  llvm::Value* month = b.CreateSelect(in_next_year, b.CreateSub(month_from_march, i64(10)),
                                      b.CreateAdd(month_from_march, i64(2)));  // 0 is January
  return b.CreateAdd(b.CreateMul(years, i64(12)), month);
}

llvm::Value* FunctionLowering::is_nat(llvm::Value* v) { return builder_.CreateICmpEQ(v, builder_.getInt64(abi::kNaT)); }

// A float as a count of time units: truncated, NaT for NaN, infinities and
// values outside int64 (as x86's conversion in NumPy gives).
llvm::Value* FunctionLowering::float_to_time(llvm::Value* x) {
  auto& b = builder_;
  x = b.CreateFPCast(x, b.getDoubleTy());
  llvm::Value* magnitude = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
  llvm::Value* fits = b.CreateFCmpOLT(magnitude, llvm::ConstantFP::get(b.getDoubleTy(), 0x1p63));  // false for NaN
  llvm::Value* count = b.CreateFPToSI(b.CreateSelect(fits, x, llvm::ConstantFP::get(b.getDoubleTy(), 0.0)),
                                      b.getInt64Ty());
  return b.CreateSelect(fits, count, b.getInt64(abi::kNaT));
}

llvm::Value* FunctionLowering::convert_time(llvm::Value* v, const Type* from, const Type* to) {
  auto& b = builder_;
  if (from->is_time() && to->is_time()) {
    int uf = abi::time_unit(from->scalar), ut = abi::time_unit(to->scalar);
    if (uf == ut) return v;
    bool calendar_from = uf <= kMonths, calendar_to = ut <= kMonths;
    llvm::Value* converted;
    if (calendar_from != calendar_to && from->is_datetime()) {  // through the day it falls on
      const Type* days = types::scalar(abi::time_kind(true, kDays));
      converted = calendar_from ? convert_time(days_of_calendar(v, uf), days, to)
                                : calendar_of_days(convert_time(v, from, days), ut);
    } else {  // count * num floor-divided by den, NumPy's cast
      types::TimeRatio ratio = types::time_cast_ratio(uf, ut);
      if (ratio.num <= 0 || ratio.den <= 0) internal_error("no conversion from " + from->name + " to " + to->name);
      converted = v;
      if (ratio.num != 1) converted = b.CreateMul(converted, b.getInt64(ratio.num));
      if (ratio.den != 1) converted = floor_divide_by(converted, ratio.den);
    }
    return b.CreateSelect(is_nat(v), v, converted);
  }
  if (from->is_time()) {  // the count itself
    llvm::Type* target = value_type(context(), to);
    return to->is_float() ? b.CreateSIToFP(v, target) : b.CreateIntCast(v, target, true);
  }
  if (from->is_float()) return float_to_time(v);
  if (from->is_integer() || from->is_bool()) return b.CreateIntCast(v, b.getInt64Ty(), from->is_signed());
  internal_error("cannot convert " + from->name + " to " + to->name);
}

llvm::Value* FunctionLowering::time_binary(BinaryOp op, llvm::Value* l, const Type* lt, llvm::Value* r,
                                           const Type* rt) {
  auto& b = builder_;
  int unit = lt->is_time() && rt->is_time()
                 ? types::meeting_time_unit(lt, rt)
                 : abi::time_unit((lt->is_time() ? lt : rt)->scalar);
  // Times in the common unit; integers are counts of it; floats stay floats.
  auto operand = [&](llvm::Value* v, const Type* t) -> llvm::Value* {
    if (t->is_time()) return convert_time(v, t, in_unit(t, unit));
    if (t->is_float()) return b.CreateFPCast(v, b.getDoubleTy());
    return b.CreateIntCast(v, b.getInt64Ty(), t->is_signed());
  };
  llvm::Value* x = operand(l, lt);
  llvm::Value* y = operand(r, rt);
  llvm::Value* nat = b.getFalse();
  if (lt->is_time()) nat = b.CreateOr(nat, is_nat(x));
  if (rt->is_time()) nat = b.CreateOr(nat, is_nat(y));
  llvm::Value* zero = b.getInt64(0);
  llvm::Value* natv = b.getInt64(abi::kNaT);
  auto double_of = [&](llvm::Value* v) { return v->getType()->isDoubleTy() ? v : b.CreateSIToFP(v, b.getDoubleTy()); };
  bool both_times = lt->is_time() && rt->is_time();
  switch (op) {
    case BinaryOp::Add: return b.CreateSelect(nat, natv, b.CreateAdd(x, y));
    case BinaryOp::Sub: return b.CreateSelect(nat, natv, b.CreateSub(x, y));
    case BinaryOp::Mul: {
      const Type* number = lt->is_time() ? rt : lt;
      if (!number->is_float()) return b.CreateSelect(nat, natv, b.CreateMul(x, y));
      return b.CreateSelect(nat, natv, float_to_time(b.CreateFMul(double_of(x), double_of(y))));
    }
    case BinaryOp::TrueDiv:
    case BinaryOp::FloorDiv:
      if (both_times && op == BinaryOp::TrueDiv)  // a ratio: nan for NaT
        return b.CreateSelect(nat, llvm::ConstantFP::getNaN(b.getDoubleTy()), b.CreateFDiv(double_of(x), double_of(y)));
      if (both_times) {  // the floor quotient, an int64: 0 for NaT or a zero divisor
        llvm::Value* bad = b.CreateOr(nat, b.CreateICmpEQ(y, zero));
        llvm::Value* safe_y = b.CreateSelect(bad, b.getInt64(1), y);
        return b.CreateSelect(bad, zero, floor_div_mod_checked(BinaryOp::FloorDiv, x, safe_y, types::int64()));
      }
      if (rt->is_float()) return b.CreateSelect(nat, natv, float_to_time(b.CreateFDiv(double_of(x), y)));
      {  // by an integer: truncated, NaT for a zero divisor
        llvm::Value* bad = b.CreateOr(nat, b.CreateICmpEQ(y, zero));
        return b.CreateSelect(bad, natv, b.CreateSDiv(x, b.CreateSelect(bad, b.getInt64(1), y)));
      }
    case BinaryOp::Mod: {  // Python's sign rule; NaT for NaT or a zero divisor
      llvm::Value* bad = b.CreateOr(nat, b.CreateICmpEQ(y, zero));
      llvm::Value* safe_y = b.CreateSelect(bad, b.getInt64(1), y);
      return b.CreateSelect(bad, natv, floor_div_mod_checked(BinaryOp::Mod, x, safe_y, types::int64()));
    }
    default: internal_error("a datetime operation inference accepted has no lowering");
  }
}

llvm::Value* FunctionLowering::time_compare(hir::CompareOp op, llvm::Value* a, const Type* ta, llvm::Value* b,
                                            const Type* tb) {
  auto& bld = builder_;
  int unit = ta->is_time() && tb->is_time()
                 ? types::meeting_time_unit(ta, tb)
                 : abi::time_unit((ta->is_time() ? ta : tb)->scalar);
  auto operand = [&](llvm::Value* v, const Type* t) {
    return t->is_time() ? convert_time(v, t, in_unit(t, unit)) : bld.CreateIntCast(v, bld.getInt64Ty(), t->is_signed());
  };
  llvm::Value* x = operand(a, ta);
  llvm::Value* y = operand(b, tb);
  llvm::Value* nat = bld.getFalse();
  if (ta->is_time()) nat = bld.CreateOr(nat, is_nat(x));
  if (tb->is_time()) nat = bld.CreateOr(nat, is_nat(y));
  using Op = hir::CompareOp;
  using P = llvm::CmpInst::Predicate;
  P predicate = op == Op::Eq ? P::ICMP_EQ : op == Op::NotEq ? P::ICMP_NE : op == Op::Lt ? P::ICMP_SLT
                : op == Op::LtE ? P::ICMP_SLE : op == Op::Gt ? P::ICMP_SGT : P::ICMP_SGE;
  // NaT equals nothing and orders with nothing: only != holds.
  return bld.CreateSelect(nat, bld.getInt1(op == Op::NotEq), bld.CreateICmp(predicate, x, y));
}

}  // namespace numjit::lower
