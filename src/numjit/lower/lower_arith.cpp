// Scalar arithmetic with Python/Numba semantics: wrapping integers, Python's
// floor division and modulo signs, ZeroDivisionError under the 'python' error
// model, complex arithmetic, and `**`.
#include "numjit/lower/function_lowering.h"
#include "numjit/types/time_typing.h"
#include "numjit/types/array_typing.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::lower {

using hir::BinaryOp;

namespace {

struct ComplexParts {
  llvm::Value* re;
  llvm::Value* im;
};

ComplexParts split(llvm::IRBuilder<>& b, llvm::Value* v) { return {b.CreateExtractValue(v, 0), b.CreateExtractValue(v, 1)}; }

llvm::Value* join(llvm::IRBuilder<>& b, llvm::Type* t, ComplexParts p) {
  return b.CreateInsertValue(b.CreateInsertValue(llvm::PoisonValue::get(t), p.re, 0), p.im, 1);
}

// Smith's scaled division, as CPython and NumPy write it: dividing through by
// the larger part of the divisor keeps |b|**2 from overflowing or vanishing.
// Both branches are computed and selected, so loops over arrays stay
// vectorizable. NumPy multiplies by the reciprocal where CPython divides;
// each mode rounds as its reference does.
// NumPy's complex product loop, as its compiler contracts it where the CPU
// has fused multiply-add: re = fma(a.re, b.re, -(a.im*b.im)), im = fma(a.re,
// b.im, a.im*b.re). fmuladd fuses only on such CPUs, as NumPy's build does.
// (CPython's scalar product is never fused: scalars keep the plain formula.)
ComplexParts numpy_complex_product(llvm::IRBuilder<>& b, ComplexParts x, ComplexParts y) {
  llvm::Type* ft = x.re->getType();
  llvm::Value* re = b.CreateIntrinsic(llvm::Intrinsic::fmuladd, {ft}, {x.re, y.re, b.CreateFNeg(b.CreateFMul(x.im, y.im))});
  llvm::Value* im = b.CreateIntrinsic(llvm::Intrinsic::fmuladd, {ft}, {x.re, y.im, b.CreateFMul(x.im, y.re)});
  return {re, im};
}

ComplexParts complex_quotient(llvm::IRBuilder<>& b, ComplexParts x, ComplexParts y, bool numpy_rounding) {
  llvm::Type* ft = x.re->getType();
  llvm::Value* abs_re = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, y.re);
  llvm::Value* abs_im = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, y.im);
  llvm::Value* real_larger = b.CreateFCmpOGE(abs_re, abs_im);  // false when either part is NaN
  llvm::Value* ratio = b.CreateSelect(real_larger, b.CreateFDiv(y.im, y.re), b.CreateFDiv(y.re, y.im));
  llvm::Value* denom = b.CreateSelect(real_larger, b.CreateFAdd(y.re, b.CreateFMul(y.im, ratio)),
                                      b.CreateFAdd(b.CreateFMul(y.re, ratio), y.im));
  llvm::Value* re = b.CreateSelect(real_larger, b.CreateFAdd(x.re, b.CreateFMul(x.im, ratio)),
                                   b.CreateFAdd(b.CreateFMul(x.re, ratio), x.im));
  llvm::Value* im = b.CreateSelect(real_larger, b.CreateFSub(x.im, b.CreateFMul(x.re, ratio)),
                                   b.CreateFSub(b.CreateFMul(x.im, ratio), x.re));
  if (numpy_rounding) {
    llvm::Value* scale = b.CreateFDiv(llvm::ConstantFP::get(ft, 1.0), denom);
    re = b.CreateFMul(re, scale);
    im = b.CreateFMul(im, scale);
  } else {
    re = b.CreateFDiv(re, denom);
    im = b.CreateFDiv(im, denom);
  }
  // A zero divisor (reached only without ZeroDivisionError) gives NumPy's
  // signed infinities or NaNs: each part divided by +0.
  llvm::Value* zero = llvm::ConstantFP::get(ft, 0.0);
  llvm::Value* divisor_zero = b.CreateAnd(b.CreateFCmpOEQ(y.re, zero), b.CreateFCmpOEQ(y.im, zero));
  return {b.CreateSelect(divisor_zero, b.CreateFDiv(x.re, abs_re), re),
          b.CreateSelect(divisor_zero, b.CreateFDiv(x.im, abs_re), im)};
}

// NumPy's complex reciprocal loop, which is not its division: with r the
// smaller part over the larger and d = larger + smaller * r, the result is
// (1/d, -r/d), or (r/d, -1/d) when the imaginary part is the larger. So 1/0j
// is nan+nanj and 1/(inf+0j) is 0-0j, as in NumPy (1 / z gives inf+nanj and
// 0+0j). Both branches are computed and selected, to stay vectorizable.
ComplexParts numpy_reciprocal_parts(llvm::IRBuilder<>& b, ComplexParts z) {
  llvm::Type* ft = z.re->getType();
  llvm::Value* one = llvm::ConstantFP::get(ft, 1.0);
  llvm::Value* real_larger = b.CreateFCmpOLE(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, z.im),
                                             b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, z.re));
  llvm::Value* r_real = b.CreateFDiv(z.im, z.re);
  llvm::Value* d_real = b.CreateFAdd(z.re, b.CreateFMul(z.im, r_real));
  llvm::Value* r_imag = b.CreateFDiv(z.re, z.im);
  llvm::Value* d_imag = b.CreateFAdd(b.CreateFMul(z.re, r_imag), z.im);
  llvm::Value* re = b.CreateSelect(real_larger, b.CreateFDiv(one, d_real), b.CreateFDiv(r_imag, d_imag));
  llvm::Value* im = b.CreateSelect(real_larger, b.CreateFDiv(b.CreateFNeg(r_real), d_real),
                                   b.CreateFDiv(llvm::ConstantFP::get(ft, -1.0), d_imag));
  return {re, im};
}

}  // namespace

llvm::Value* FunctionLowering::numpy_complex_reciprocal(llvm::Value* z) {
  return join(builder_, z->getType(), numpy_reciprocal_parts(builder_, split(builder_, z)));
}

llvm::Value* FunctionLowering::check_zero_divisor(llvm::Value* divisor, const Type* t, const char* message) {
  if (!fn_.options.python_error_model || numpy_arithmetic()) return divisor;
  llvm::Value* is_zero;
  if (t->is_complex()) {
    auto p = split(builder_, divisor);
    llvm::Value* zero = llvm::ConstantFP::get(p.re->getType(), 0.0);
    is_zero = builder_.CreateAnd(builder_.CreateFCmpOEQ(p.re, zero), builder_.CreateFCmpOEQ(p.im, zero));
  } else if (t->is_float()) {
    is_zero = builder_.CreateFCmpOEQ(divisor, llvm::ConstantFP::get(divisor->getType(), 0.0));
  } else {
    is_zero = builder_.CreateICmpEQ(divisor, llvm::ConstantInt::get(divisor->getType(), 0));
  }
  zero_division_if(is_zero, message);
  return divisor;
}

// Raises ZeroDivisionError when `condition` holds, or, in a loop whose checks
// are deferred (passes/deferred_checks.h), ORs it into the loop's flag.
void FunctionLowering::zero_division_if(llvm::Value* condition, const char* message) {
  if (deferred_zero_division_) {
    llvm::Value* seen = builder_.CreateLoad(builder_.getInt1Ty(), deferred_zero_division_);
    builder_.CreateStore(builder_.CreateOr(seen, condition), deferred_zero_division_);
    return;
  }
  raise_if(condition, ExceptionKind::ZeroDivisionError, message);
}

llvm::Value* FunctionLowering::numpy_binary_element(BinaryOp op, llvm::Value* l, const Type* lt, llvm::Value* r,
                                                    const Type* rt, const Type* result) {
  if (lt->is_time() || rt->is_time())
    return cast(time_binary(op, l, lt, r, rt), types::time_binary_result(op, lt, rt), result);
  const Type* compute = types::elementwise_compute_type(op, lt, rt);
  if (op == BinaryOp::TrueDiv && !compute->is_float() && !compute->is_complex()) compute = types::float64();
  llvm::Value* v = binary_numpy(op, cast(l, lt, compute), cast(r, rt, compute), compute);
  return cast(v, types::binary_result(op, compute, compute), result);
}

llvm::Value* FunctionLowering::binary_scalar(BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t,
                                             const SourceSpan& span) {
  auto& b = builder_;
  if (t->is_bool() && (op == BinaryOp::BitAnd || op == BinaryOp::BitOr || op == BinaryOp::BitXor)) {
    if (op == BinaryOp::BitAnd) return b.CreateAnd(l, r);
    if (op == BinaryOp::BitOr) return b.CreateOr(l, r);
    return b.CreateXor(l, r);
  }
  if (t->is_complex()) {
    llvm::Type* ty = l->getType();
    auto x = split(b, l), y = split(b, r);
    switch (op) {
      case BinaryOp::Add: return join(b, ty, {b.CreateFAdd(x.re, y.re), b.CreateFAdd(x.im, y.im)});
      case BinaryOp::Sub: return join(b, ty, {b.CreateFSub(x.re, y.re), b.CreateFSub(x.im, y.im)});
      case BinaryOp::Mul:
        if (numpy_arithmetic()) return join(b, ty, numpy_complex_product(b, x, y));
        return join(b, ty, {b.CreateFSub(b.CreateFMul(x.re, y.re), b.CreateFMul(x.im, y.im)),
                            b.CreateFAdd(b.CreateFMul(x.re, y.im), b.CreateFMul(x.im, y.re))});
      case BinaryOp::TrueDiv:
        check_zero_divisor(r, t, "complex division by zero");
        return join(b, ty, complex_quotient(b, x, y, numpy_arithmetic()));
      default: typing_error(span, "this operator is not supported on complex numbers");
    }
  }
  if (t->is_float()) {
    switch (op) {
      case BinaryOp::Add: return b.CreateFAdd(l, r);
      case BinaryOp::Sub: return b.CreateFSub(l, r);
      case BinaryOp::Mul: return b.CreateFMul(l, r);
      case BinaryOp::TrueDiv:
        check_zero_divisor(r, t, "float division by zero");  // Python's words (Numba: "division by zero")
        return b.CreateFDiv(l, r);
      case BinaryOp::FloorDiv:
      case BinaryOp::Mod: return floor_div_mod(op, l, r, t, span);
      default: typing_error(span, "this operator is not supported on floats");
    }
  }
  // integers (bool operands were promoted to int64 by typing)
  bool is_signed = t->is_signed();
  switch (op) {
    case BinaryOp::Add: return b.CreateAdd(l, r);
    case BinaryOp::Sub: return b.CreateSub(l, r);
    case BinaryOp::Mul: return b.CreateMul(l, r);
    case BinaryOp::TrueDiv: {
      check_zero_divisor(r, t, "division by zero");
      llvm::Type* d = b.getDoubleTy();
      llvm::Value* fl = is_signed ? b.CreateSIToFP(l, d) : b.CreateUIToFP(l, d);
      llvm::Value* fr = is_signed ? b.CreateSIToFP(r, d) : b.CreateUIToFP(r, d);
      return b.CreateFDiv(fl, fr);
    }
    case BinaryOp::FloorDiv:
    case BinaryOp::Mod: return floor_div_mod(op, l, r, t, span);
    case BinaryOp::BitAnd: return b.CreateAnd(l, r);
    case BinaryOp::BitOr: return b.CreateOr(l, r);
    case BinaryOp::BitXor: return b.CreateXor(l, r);
    case BinaryOp::LShift:
    case BinaryOp::RShift: return shift(op, l, r, t);
    default: internal_error("unexpected integer operator", span);
  }
}

// x << n and x >> n for every count. LLVM leaves counts of the bit width or
// more undefined; they give what shifting one bit at a time would, as NumPy
// defines them: 0, or the sign's fill for a right shift of a signed number.
// A negative count raises Python's ValueError, except under NumPy's rules,
// where it counts as a huge one.
llvm::Value* FunctionLowering::shift(BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t) {
  auto& b = builder_;
  llvm::Type* it = l->getType();
  unsigned width = it->getIntegerBitWidth();
  llvm::Value* zero = llvm::ConstantInt::get(it, 0);
  if (t->is_signed() && !numpy_arithmetic())
    raise_if(b.CreateICmpSLT(r, zero), ExceptionKind::ValueError, "negative shift count");
  llvm::Value* in_range = b.CreateICmpULT(r, llvm::ConstantInt::get(it, width));
  llvm::Value* count = b.CreateSelect(in_range, r, zero);
  if (op == BinaryOp::LShift) return b.CreateSelect(in_range, b.CreateShl(l, count), zero);
  if (!t->is_signed()) return b.CreateSelect(in_range, b.CreateLShr(l, count), zero);
  llvm::Value* fill = b.CreateAShr(l, llvm::ConstantInt::get(it, width - 1));
  return b.CreateSelect(in_range, b.CreateAShr(l, count), fill);
}

// Python's // and %: the quotient rounds toward minus infinity and the
// remainder takes the divisor's sign.
llvm::Value* FunctionLowering::floor_div_mod(BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t,
                                             const SourceSpan& span) {
  auto& b = builder_;
  bool want_div = op == BinaryOp::FloorDiv;
  if (t->is_float()) {
    check_zero_divisor(r, t, want_div ? "float floor division by zero" : "float modulo");
    llvm::Type* ft = l->getType();
    llvm::Value* zero = llvm::ConstantFP::get(ft, 0.0);
    llvm::Value* mod = b.CreateFRem(l, r);
    llvm::Value* fix = b.CreateAnd(b.CreateFCmpUNE(mod, zero),
                                   b.CreateICmp(llvm::CmpInst::ICMP_NE, b.CreateFCmpOLT(r, zero),
                                                b.CreateFCmpOLT(mod, zero)));
    llvm::Value* fixed_mod = b.CreateSelect(fix, b.CreateFAdd(mod, r), mod);
    if (!want_div) {
      // A zero remainder takes the divisor's sign, as in CPython.
      llvm::Value* signed_zero = call_intrinsic(llvm::Intrinsic::copysign, ft, {zero, r});
      return b.CreateSelect(b.CreateFCmpOEQ(fixed_mod, zero), signed_zero, fixed_mod);
    }
    llvm::Value* div = b.CreateFDiv(b.CreateFSub(l, mod), r);
    div = b.CreateSelect(fix, b.CreateFSub(div, llvm::ConstantFP::get(ft, 1.0)), div);
    llvm::Value* floored = call_intrinsic(llvm::Intrinsic::floor, ft, {div});
    llvm::Value* round_up = b.CreateFCmpOGT(b.CreateFSub(div, floored), llvm::ConstantFP::get(ft, 0.5));
    floored = b.CreateSelect(round_up, b.CreateFAdd(floored, llvm::ConstantFP::get(ft, 1.0)), floored);
    llvm::Value* quotient = b.CreateFDiv(l, r);
    llvm::Value* zero_div = call_intrinsic(llvm::Intrinsic::copysign, ft, {zero, quotient});
    floored = b.CreateSelect(b.CreateFCmpOEQ(div, zero), zero_div, floored);
    // x // 0.0 is NumPy's x / 0.0 (a signed infinity, or NaN for 0 and NaN),
    // reached only where no ZeroDivisionError is raised.
    return b.CreateSelect(b.CreateFCmpOEQ(r, zero), quotient, floored);
  }
  check_zero_divisor(r, t, op == BinaryOp::Mod ? "integer modulo by zero" : "integer division or modulo by zero");
  if (!fn_.options.python_error_model || numpy_arithmetic()) {
    // 'numpy' error model: x // 0 == 0 and x % 0 == 0, without trapping.
    llvm::Value* is_zero = b.CreateICmpEQ(r, llvm::ConstantInt::get(r->getType(), 0));
    r = b.CreateSelect(is_zero, llvm::ConstantInt::get(r->getType(), 1), r);
    llvm::Value* v = floor_div_mod_checked(op, l, r, t);
    return b.CreateSelect(is_zero, llvm::ConstantInt::get(r->getType(), 0), v);
  }
  (void)span;
  return floor_div_mod_checked(op, l, r, t);
}

llvm::Value* FunctionLowering::floor_div_mod_checked(BinaryOp op, llvm::Value* l, llvm::Value* r, const Type* t) {
  auto& b = builder_;
  if (!t->is_signed()) return op == BinaryOp::FloorDiv ? b.CreateUDiv(l, r) : b.CreateURem(l, r);
  llvm::Type* it = l->getType();
  llvm::Value* zero = llvm::ConstantInt::get(it, 0);
  // INT_MIN / -1 overflows in hardware; Python's answer wraps to INT_MIN (and remainder 0).
  llvm::Value* minus_one = b.CreateICmpEQ(r, llvm::ConstantInt::get(it, -1, true));
  llvm::Value* safe_r = b.CreateSelect(minus_one, llvm::ConstantInt::get(it, 1), r);
  llvm::Value* q = b.CreateSDiv(l, safe_r);
  llvm::Value* m = b.CreateSRem(l, safe_r);
  llvm::Value* adjust = b.CreateAnd(b.CreateICmpNE(m, zero),
                                    b.CreateICmpNE(b.CreateICmpSLT(m, zero), b.CreateICmpSLT(r, zero)));
  if (op == BinaryOp::FloorDiv) {
    q = b.CreateSelect(adjust, b.CreateSub(q, llvm::ConstantInt::get(it, 1)), q);
    return b.CreateSelect(minus_one, b.CreateNeg(l), q);
  }
  m = b.CreateSelect(adjust, b.CreateAdd(m, r), m);
  return b.CreateSelect(minus_one, zero, m);
}

llvm::Value* FunctionLowering::complex_power(llvm::Value* base, llvm::Value* exponent, const Type* t) {
  auto& b = builder_;
  if (numpy_arithmetic()) {
    // Array code computes as NumPy's npy_cpow does, complex64 in float.
    const bool single = t->bits() == 64;
    llvm::FunctionCallee fn = runtime_function(
        module(), single ? RuntimeFunction::complex64_pow_numpy : RuntimeFunction::complex_pow_numpy);
    llvm::AllocaInst* out = entry_alloca(value_type(context(), t), "cpow");
    b.CreateCall(fn, {out, b.CreateExtractValue(base, 0), b.CreateExtractValue(base, 1),
                      b.CreateExtractValue(exponent, 0), b.CreateExtractValue(exponent, 1)});
    return b.CreateLoad(value_type(context(), t), out);
  }
  const Type* wide = types::complex128();
  llvm::Value* x = cast(base, t, wide);
  llvm::Value* y = cast(exponent, t, wide);
  llvm::Type* dbl = b.getDoubleTy();
  llvm::FunctionCallee fn = runtime_function(module(), RuntimeFunction::complex_pow);
  llvm::AllocaInst* out = entry_alloca(value_type(context(), wide), "cpow");
  b.CreateCall(fn, {out, b.CreateExtractValue(x, 0), b.CreateExtractValue(x, 1), b.CreateExtractValue(y, 0),
                    b.CreateExtractValue(y, 1)});
  return cast(b.CreateLoad(value_type(context(), wide), out), wide, t);
}

// complex_array ** scalar, the operator (not np.power): NumPy's ndarray.__pow__
// sends a Python float 0.5 to np.sqrt, a Python int 2 to np.square and -1 to
// np.reciprocal, whose results differ from npy_cpow's at infinities.
llvm::Value* FunctionLowering::complex_operator_power(llvm::Value* x, llvm::Value* exponent, const Type* exponent_type,
                                                      llvm::Value* general, const Type* t) {
  auto& b = builder_;
  const Type* wide = types::complex128();
  if (exponent_type->is_float()) {
    llvm::Value* half = b.CreateFCmpOEQ(exponent, llvm::ConstantFP::get(exponent->getType(), 0.5));
    llvm::Value* root = cast(call_complex_libm("sqrt", cast(x, t, wide)), wide, t);
    return b.CreateSelect(half, root, general);
  }
  if (!exponent_type->is_integer()) return general;
  ComplexParts parts = split(b, x);
  llvm::Value* square = join(b, x->getType(), numpy_complex_product(b, parts, parts));  // NumPy's square loop
  llvm::Value* reciprocal = numpy_complex_reciprocal(x);
  llvm::Value* e = b.CreateSExt(exponent, b.getInt64Ty());
  llvm::Value* r = b.CreateSelect(b.CreateICmpEQ(e, b.getInt64(2)), square, general);
  return b.CreateSelect(b.CreateICmpEQ(e, b.getInt64(-1)), reciprocal, r);
}

llvm::Value* FunctionLowering::power(llvm::Value* base, const Type* bt, llvm::Value* exponent, const Type* et,
                                     const Type* result, const hir::Expr* exponent_expr) {
  auto& b = builder_;
  // NumPy's float power with a scalar exponent of 0.5 is sqrt (so -inf gives nan, where pow gives inf).
  if (numpy_arithmetic() && result->is_float() && bt->is_float() && exponent_expr && !exponent_expr->type->is_array() &&
      !(exponent_expr->kind == hir::ExprKind::Const && exponent_expr->constant.kind == hir::Constant::Kind::Int)) {
    llvm::Value* x = cast(base, bt, result);
    llvm::Value* e = cast(exponent, et, result);
    llvm::Value* half = b.CreateFCmpOEQ(e, llvm::ConstantFP::get(x->getType(), 0.5));
    return b.CreateSelect(half, call_intrinsic(llvm::Intrinsic::sqrt, x->getType(), {x}),
                          call_math("pow", result, {x, e}));
  }
  if (result->is_complex()) return complex_power(cast(base, bt, result), cast(exponent, et, result), result);
  const bool constant_exponent = exponent_expr && exponent_expr->kind == hir::ExprKind::Const &&
                                 (exponent_expr->constant.kind == hir::Constant::Kind::Int ||
                                  exponent_expr->constant.kind == hir::Constant::Kind::Float);
  if (result->is_float() && fn_.options.python_error_model && !numpy_arithmetic()) {
    // Python raises for 0.0 ** -2 and for n ** -2 (a float, typed so in unify.cpp) at n == 0.
    llvm::Value* x = cast(base, bt, result);
    llvm::Value* zero = llvm::ConstantFP::get(x->getType(), 0.0);
    // Checked like a divisor, so a loop may defer it and still vectorize.
    if (constant_exponent && exponent_expr->is_negative_constant()) {
      check_zero_divisor(x, result, "0.0 cannot be raised to a negative power");
    } else if (!constant_exponent) {
      zero_division_if(b.CreateAnd(b.CreateFCmpOEQ(x, zero), b.CreateFCmpOLT(cast(exponent, et, result), zero)),
                       "0.0 cannot be raised to a negative power");
    }
  }
  // x ** k for a small constant integer k: multiply (and divide for k < 0), as Numba does;
  // k = 2 and k = -1 round exactly as pow does.
  if (constant_exponent && exponent_expr->constant.kind == hir::Constant::Kind::Int && result->is_float()) {
    int64_t k = exponent_expr->constant.int_value;
    if (k >= -3 && k <= 3) {
      llvm::Value* x = cast(base, bt, result);
      llvm::Value* acc = llvm::ConstantFP::get(x->getType(), 1.0);
      for (int64_t i = 0; i < (k < 0 ? -k : k); ++i) acc = i == 0 ? x : b.CreateFMul(acc, x);
      return k < 0 ? b.CreateFDiv(llvm::ConstantFP::get(x->getType(), 1.0), acc) : acc;
    }
  }
  if (result->is_float()) return call_math("pow", result, {cast(base, bt, result), cast(exponent, et, result)});
  // Integer ** integer: exponentiation by squaring (a negative exponent raises below).
  llvm::Value* x = cast(base, bt, result);
  llvm::Value* n = cast(exponent, et, result);
  llvm::Type* it = x->getType();
  const bool int_constant = constant_exponent && exponent_expr->constant.kind == hir::Constant::Kind::Int;
  if (int_constant && exponent_expr->constant.int_value >= 0 && exponent_expr->constant.int_value <= 3) {
    llvm::Value* acc = llvm::ConstantInt::get(it, 1);
    for (int64_t i = 0; i < exponent_expr->constant.int_value; ++i) acc = b.CreateMul(acc, x);
    return acc;
  }
  if (result->is_signed() && !(exponent_expr && exponent_expr->is_nonnegative_int_constant())) {
    // Python's answer is a float, whose type cannot depend on a value at run time; Numba's 0 would
    // be a wrong number. NumPy refuses too. A constant negative exponent was typed as a float.
    raise_if(b.CreateICmpSLT(n, llvm::ConstantInt::get(it, 0)), ExceptionKind::ValueError,
             numpy_arithmetic() ? "Integers to negative integer powers are not allowed."
                                : "an integer to a negative power is a float in Python: use a constant exponent "
                                  "(n ** -2) or a float base (float(n) ** k)");
  }
  llvm::BasicBlock* pre = b.GetInsertBlock();
  llvm::BasicBlock* loop = new_block("ipow.loop");
  llvm::BasicBlock* done = new_block("ipow.done");
  llvm::Value* one = llvm::ConstantInt::get(it, 1);
  llvm::Value* zero = llvm::ConstantInt::get(it, 0);
  b.CreateCondBr(b.CreateICmpEQ(n, zero), done, loop);
  b.SetInsertPoint(loop);
  llvm::PHINode* acc = b.CreatePHI(it, 2);
  llvm::PHINode* sq = b.CreatePHI(it, 2);
  llvm::PHINode* e = b.CreatePHI(it, 2);
  acc->addIncoming(one, pre);
  sq->addIncoming(x, pre);
  e->addIncoming(n, pre);
  llvm::Value* odd = b.CreateICmpNE(b.CreateAnd(e, one), zero);
  llvm::Value* acc_next = b.CreateSelect(odd, b.CreateMul(acc, sq), acc);
  llvm::Value* e_next = b.CreateLShr(e, one);
  llvm::Value* sq_next = b.CreateMul(sq, sq);
  acc->addIncoming(acc_next, loop);
  sq->addIncoming(sq_next, loop);
  e->addIncoming(e_next, loop);
  b.CreateCondBr(b.CreateICmpEQ(e_next, zero), done, loop);
  b.SetInsertPoint(done);
  llvm::PHINode* r = b.CreatePHI(it, 2);
  r->addIncoming(one, pre);
  r->addIncoming(acc_next, loop);
  return r;
}

}  // namespace numjit::lower
