// datetime64 and timedelta64 values: int64 counts of a unit, NaT being
// INT64_MIN. Operations follow NumPy's loops (numpy/_core/src/umath/loops.c):
// both sides are brought to the finer unit; NaT in gives NaT out (nan for a
// ratio, 0 for a floor quotient); a timedelta divided by a number truncates,
// and a zero divisor gives NaT; a float result that is NaN, infinite or out
// of range gives NaT. types/time_typing.cpp decided which operations exist.
#include "numjit/lower/function_lowering.h"
#include "numjit/types/time_typing.h"

namespace numjit::lower {

using hir::BinaryOp;
using types::Type;

namespace {

const Type* in_unit(const Type* t, int unit) { return types::scalar(abi::time_kind(t->is_datetime(), unit)); }

}  // namespace

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
    if (types::common_time_unit(uf, ut) < 0)
      internal_error("no exact conversion from " + from->name + " to " + to->name);
    llvm::Value* converted;
    if (ut > uf) {  // to a finer unit: exact
      converted = b.CreateMul(v, b.getInt64(types::time_unit_factor(uf, ut)));
    } else {  // to a coarser unit: NumPy floors
      llvm::Value* factor = b.getInt64(types::time_unit_factor(ut, uf));
      llvm::Value* quotient = b.CreateSDiv(v, factor);
      llvm::Value* inexact_below = b.CreateAnd(b.CreateICmpNE(b.CreateSRem(v, factor), b.getInt64(0)),
                                               b.CreateICmpSLT(v, b.getInt64(0)));
      converted = b.CreateSub(quotient, b.CreateZExt(inexact_below, b.getInt64Ty()));
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
                 ? types::common_time_unit(abi::time_unit(lt->scalar), abi::time_unit(rt->scalar))
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
                 ? types::common_time_unit(abi::time_unit(ta->scalar), abi::time_unit(tb->scalar))
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
