// NumPy's ufuncs called by name (np.add, np.less, np.square, np.logaddexp,
// ...), one row each in the table at the bottom: a missing ufunc is one more
// line there. Each row types and lowers one element with NumPy's rules
// (np.add of two int32 is int32, x / 0 is inf, two bools add to a bool); the
// whole-array machinery applies it to arrays, and an `out` argument is
// handled for every ufunc by inference (Inferrer::ufunc_output). A ufunc that
// is an operator (np.add is +) names it, so that on arrays inference writes
// the call as the operator, which fuses with the expression around it.
//
// The ufuncs that are libm functions (np.sin, np.arctan2, ...) are in math.cpp.
#include <llvm/IR/Intrinsics.h>

#include <limits>
#include <string>
#include <string_view>

#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;
using hir::BinaryOp;
using hir::CompareOp;
using hir::UnaryOp;

bool numbers(const CallSite& c, size_t n) {
  if (c.args.size() != n) return false;
  for (const Type* a : c.args)
    if (!a->is_scalar()) return false;
  return true;
}

// The float type a float-only ufunc computes in, NumPy's first loop that
// holds the operands: float32 for float32 and for integers of 16 bits or
// fewer and bools (NumPy's float16 loop for 8 bits, which numjit has not),
// float64 otherwise. Complex numbers are refused.
const Type* float_of(const std::vector<const Type*>& args) {
  const Type* common = args[0];
  for (const Type* a : args) common = t::numpy_promote(common, a);
  if (!common || common->is_complex()) return nullptr;
  if (common->is_float()) return common;
  return common->is_bool() || common->bits() <= 16 ? t::float_of(32) : t::float64();
}

// float_of for the ufuncs whose answer is about float precision itself
// (np.spacing, np.nextafter): NumPy gives bools and 8-bit integers its
// float16 loop, and float32's answer would differ, so they are refused.
const Type* exact_float_of(const std::vector<const Type*>& args) {
  for (const Type* a : args)
    if (a->is_bool() || (a->is_integer() && a->bits() <= 8)) return nullptr;
  return float_of(args);
}

// ---- operators -------------------------------------------------------------

// np.add, np.subtract, ...: the operator's element rule for arrays
// (elementwise_binary_dtype), applied to scalars too.
Builtin binary_operator(const char* name, BinaryOp op) {
  TypingRule typing = [op](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 2)) return std::nullopt;
    const Type* result = t::elementwise_binary_dtype(op, c.args[0], c.args[1]);
    if (!result) return std::nullopt;
    return Signature{result, {c.args[0], c.args[1]}};
  };
  LoweringRule lowering = [op](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    return f.numpy_binary_element(op, args[0], s.params[0], args[1], s.params[1], s.result);
  };
  Builtin row{name, typing, lowering};
  row.as_binary = op;
  return row;
}

Builtin comparison(const char* name, CompareOp op) {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 2) || !t::numpy_promote(c.args[0], c.args[1])) return std::nullopt;
    return Signature{t::boolean(), {c.args[0], c.args[1]}};
  };
  LoweringRule lowering = [op](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    return f.compare_scalars(op, args[0], s.params[0], args[1], s.params[1]);
  };
  Builtin row{name, typing, lowering};
  row.as_compare = op;
  return row;
}

// np.negative and np.positive take numbers, not bools; np.invert takes integers and bools.
Builtin unary_operator(const char* name, UnaryOp op) {
  TypingRule typing = [op](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 1)) return std::nullopt;
    const Type* x = c.args[0];
    bool accepted = op == UnaryOp::Invert ? x->is_integer() || x->is_bool() : !x->is_bool();
    if (!accepted) return std::nullopt;
    return Signature{x, {x}};
  };
  LoweringRule lowering = [op](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    llvm::Value* x = args[0];
    const Type* type = s.result;
    if (op == UnaryOp::Pos) return x;
    if (op == UnaryOp::Invert) return b.CreateNot(x);
    if (type->is_integer()) return b.CreateNeg(x);
    if (type->is_float()) return b.CreateFNeg(x);
    llvm::Value* re = b.CreateFNeg(b.CreateExtractValue(x, 0));
    return b.CreateInsertValue(b.CreateInsertValue(x, re, 0), b.CreateFNeg(b.CreateExtractValue(x, 1)), 1);
  };
  Builtin row{name, typing, lowering};
  row.as_unary = op;
  return row;
}

// ---- arithmetic without an operator ------------------------------------------

// np.square: x * x in x's own type; a bool squares in int8, NumPy's first loop.
Builtin square() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 1)) return std::nullopt;
    const Type* x = c.args[0]->is_bool() ? t::integer_of(8, true) : c.args[0];
    return Signature{x, {x}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    return f.numpy_binary_element(BinaryOp::Mul, args[0], s.result, args[0], s.result, s.result);
  };
  return Builtin{"np.square", typing, lowering};
}

// np.reciprocal: 1 / x in x's type. Integers divide as C does (1 for 1, -1
// for -1, else 0); NumPy computes 1/0 as an infinity converted to the
// integer type, which is the minimum of a 32- or 64-bit signed type and 0 otherwise.
Builtin reciprocal() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 1)) return std::nullopt;
    const Type* x = c.args[0]->is_bool() ? t::integer_of(8, true) : c.args[0];
    return Signature{x, {x}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    const Type* type = s.result;
    auto& b = f.builder();
    llvm::Value* x = args[0];
    if (type->is_complex()) return f.numpy_complex_reciprocal(x);
    if (!type->is_integer()) {
      llvm::Value* one = f.cast(b.getInt64(1), t::int64(), type);
      return f.numpy_binary_element(BinaryOp::TrueDiv, one, type, x, type, type);
    }
    llvm::Type* it = x->getType();
    llvm::Value* zero = llvm::ConstantInt::get(it, 0);
    llvm::Value* is_zero = b.CreateICmpEQ(x, zero);
    llvm::Value* safe = b.CreateSelect(is_zero, llvm::ConstantInt::get(it, 1), x);
    llvm::Value* one = llvm::ConstantInt::get(it, 1);
    llvm::Value* quotient = type->is_signed() ? b.CreateSDiv(one, safe) : b.CreateUDiv(one, safe);
    bool wide_signed = type->is_signed() && type->bits() >= 32;
    llvm::Value* at_zero = wide_signed ? llvm::ConstantInt::get(it, llvm::APInt::getSignedMinValue(type->bits())) : zero;
    return b.CreateSelect(is_zero, at_zero, quotient);
  };
  return Builtin{"np.reciprocal", typing, lowering};
}

// np.float_power: the power in float64, or complex128 for complex operands.
Builtin float_power() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 2)) return std::nullopt;
    bool complex = c.args[0]->is_complex() || c.args[1]->is_complex();
    const Type* r = complex ? t::complex128() : t::float64();
    return Signature{r, {r, r}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    return f.power(args[0], s.result, args[1], s.result, s.result, nullptr);
  };
  return Builtin{"np.float_power", typing, lowering};
}

// np.logaddexp and np.logaddexp2, NumPy's way: equal arguments (the same
// infinity included) give x + log(2); otherwise the larger plus the log of
// one plus the exponential of the (negative) difference.
Builtin log_add_exp(const char* name, bool base2) {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 2)) return std::nullopt;
    const Type* r = float_of(c.args);
    if (!r) return std::nullopt;
    return Signature{r, {r, r}};
  };
  LoweringRule lowering = [base2](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    const Type* type = s.result;
    llvm::Type* ft = args[0]->getType();
    llvm::Value* x = args[0];
    llvm::Value* y = args[1];
    constexpr double kLn2 = 0.693147180559945309417232121458176568;
    constexpr double kLog2e = 1.442695040888963407359924681001892137;
    llvm::Value* difference = b.CreateFSub(x, y);
    llvm::Value* larger = b.CreateSelect(b.CreateFCmpOGT(difference, llvm::ConstantFP::get(ft, 0.0)), x, y);
    llvm::Value* magnitude = f.call_intrinsic(llvm::Intrinsic::fabs, ft, {difference});
    llvm::Value* negative = b.CreateFNeg(magnitude);
    llvm::Value* term = base2 ? f.call_math("exp2", type, {negative}) : f.call_math("exp", type, {negative});
    llvm::Value* log1p = f.call_math("log1p", type, {term});
    if (base2) log1p = b.CreateFMul(log1p, llvm::ConstantFP::get(ft, kLog2e));
    llvm::Value* general = b.CreateFAdd(larger, log1p);
    llvm::Value* equal = b.CreateFAdd(x, llvm::ConstantFP::get(ft, base2 ? 1.0 : kLn2));
    // NaN in either: the difference is NaN, and so is the general form.
    return b.CreateSelect(b.CreateFCmpOEQ(x, y), equal, general);
  };
  return Builtin{name, typing, lowering};
}

// np.gcd and np.lcm of integers (a bool only with an integer, as in NumPy),
// by Euclid's algorithm on magnitudes; lcm(0, x) is 0.
Builtin gcd_or_lcm(const char* name, bool lcm) {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 2)) return std::nullopt;
    for (const Type* a : c.args)
      if (!a->is_integer() && !a->is_bool()) return std::nullopt;
    const Type* r = t::numpy_promote(c.args[0], c.args[1]);
    if (r->is_bool()) return std::nullopt;
    return Signature{r, {r, r}};
  };
  LoweringRule lowering = [lcm](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    bool is_signed = s.result->is_signed();
    auto magnitude = [&](llvm::Value* v) {
      if (!is_signed) return v;
      return b.CreateSelect(b.CreateICmpSLT(v, llvm::ConstantInt::get(v->getType(), 0)), b.CreateNeg(v), v);
    };
    llvm::Value* x = magnitude(args[0]);
    llvm::Value* y = magnitude(args[1]);
    llvm::Type* it = x->getType();
    llvm::BasicBlock* before = b.GetInsertBlock();
    llvm::BasicBlock* loop = f.new_block("gcd.loop");
    llvm::BasicBlock* step = f.new_block("gcd.step");
    llvm::BasicBlock* done = f.new_block("gcd.done");
    b.CreateBr(loop);
    b.SetInsertPoint(loop);
    llvm::PHINode* a = b.CreatePHI(it, 2);
    llvm::PHINode* r = b.CreatePHI(it, 2);
    a->addIncoming(x, before);
    r->addIncoming(y, before);
    b.CreateCondBr(b.CreateICmpEQ(r, llvm::ConstantInt::get(it, 0)), done, step);
    b.SetInsertPoint(step);
    llvm::Value* remainder = b.CreateURem(a, r);
    a->addIncoming(r, step);
    r->addIncoming(remainder, step);
    b.CreateBr(loop);
    b.SetInsertPoint(done);
    llvm::Value* divisor = a;
    if (!lcm) return divisor;
    llvm::Value* zero = llvm::ConstantInt::get(it, 0);
    llvm::Value* safe = b.CreateSelect(b.CreateICmpEQ(divisor, zero), llvm::ConstantInt::get(it, 1), divisor);
    return b.CreateMul(b.CreateUDiv(x, safe), y);
  };
  return Builtin{name, typing, lowering};
}

// ---- floating-point functions ------------------------------------------------

std::optional<Signature> real_number(const CallSite& c) {
  if (!numbers(c, 1) || c.args[0]->is_complex()) return std::nullopt;
  const Type* r = float_of(c.args);
  return Signature{r, {r}};
}

// np.signbit: the sign bit, so -0.0 and -nan are negative.
Builtin signbit() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    std::optional<Signature> s = real_number(c);
    if (s) s->result = t::boolean();
    return s;
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    llvm::Type* bits = b.getIntNTy(args[0]->getType()->getPrimitiveSizeInBits());
    return b.CreateICmpSLT(b.CreateBitCast(args[0], bits), llvm::ConstantInt::get(bits, 0));
  };
  return Builtin{"np.signbit", typing, lowering};
}

// Rows under math's names take Python's number rules, not NumPy's.
bool is_math_row(const char* name) { return std::string_view(name).substr(0, 5) == "math."; }

// Python's math functions compute in double; numjit keeps a float32 argument's
// precision, as Numba does (math.atan of a float32 is a float32).
const Type* math_float_of(std::initializer_list<const Type*> args) {
  for (const Type* a : args)
    if (!(a->is_float() && a->bits() == 32)) return t::float64();
  return t::float_of(32);
}

// np.nextafter, and math.nextafter (numbers only: float32 steps when both are
// float32, any other numbers as doubles).
Builtin next_after(const char* name) {
  const bool math = is_math_row(name);
  TypingRule typing = [math](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 2)) return std::nullopt;
    if (math && (c.args[0]->is_complex() || c.args[1]->is_complex())) return std::nullopt;
    const Type* r = math ? math_float_of({c.args[0], c.args[1]}) : exact_float_of(c.args);
    if (!r) return std::nullopt;
    return Signature{r, {r, r}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    return f.call_math("nextafter", s.result, std::move(args));
  };
  return Builtin{name, typing, lowering};
}

// np.spacing: the distance to the next float away from zero; NaN for infinities and NaN.
Builtin spacing() {
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    llvm::Type* ft = args[0]->getType();
    llvm::Value* x = args[0];
    llvm::Value* infinity = llvm::ConstantFP::getInfinity(ft);
    // Away from zero; from either zero, up (NumPy's spacing(-0.0) is the smallest positive float).
    llvm::Value* is_zero = b.CreateFCmpOEQ(x, llvm::ConstantFP::get(ft, 0.0));
    llvm::Value* away = b.CreateSelect(is_zero, infinity, f.call_intrinsic(llvm::Intrinsic::copysign, ft, {infinity, x}));
    llvm::Value* next = f.call_math("nextafter", s.result, {x, away});
    llvm::Value* finite = b.CreateFCmpONE(f.call_intrinsic(llvm::Intrinsic::fabs, ft, {x}), infinity);
    return b.CreateSelect(finite, b.CreateFSub(next, x), llvm::ConstantFP::getNaN(ft));
  };
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 1) || !exact_float_of(c.args)) return std::nullopt;
    return real_number(c);
  };
  return Builtin{"np.spacing", typing, lowering};
}

// np.ldexp(x, n), and math.ldexp (scalars only): x * 2**n through libm's
// ldexp(f), n as a C int. Like the other math functions, math.ldexp follows C:
// inf where Python raises OverflowError.
Builtin load_exponent(const char* name) {
  const bool math = is_math_row(name);
  TypingRule typing = [math](const CallSite& c) -> std::optional<Signature> {
    if (!numbers(c, 2) || c.args[0]->is_complex()) return std::nullopt;
    // Python's math.ldexp takes a bool exponent too (True is 1).
    if (!c.args[1]->is_integer() && !(math && c.args[1]->is_bool())) return std::nullopt;
    const Type* r = math ? math_float_of({c.args[0]}) : float_of({c.args[0]});
    return Signature{r, {r, t::int64()}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    llvm::Type* ft = args[0]->getType();
    // Exponents beyond an int's range saturate: the result is 0 or inf either way.
    llvm::Value* n = b.CreateSelect(b.CreateICmpSGT(args[1], b.getInt64(std::numeric_limits<int32_t>::max())),
                                    b.getInt64(std::numeric_limits<int32_t>::max()), args[1]);
    n = b.CreateSelect(b.CreateICmpSLT(n, b.getInt64(std::numeric_limits<int32_t>::min())),
                       b.getInt64(std::numeric_limits<int32_t>::min()), n);
    const char* symbol = s.result->bits() == 32 ? "ldexpf" : "ldexp";
    llvm::FunctionCallee fn = f.module().getOrInsertFunction(symbol, ft, ft, b.getInt32Ty());
    return b.CreateCall(fn, {args[0], b.CreateTrunc(n, b.getInt32Ty())});
  };
  Builtin row{name, typing, lowering};
  row.own_type_arguments = 2u;  // the exponent stays an integer beside a float array
  return row;
}

// np.frexp and np.modf have two results: each is an elementwise row of its
// own, over libm's frexp or modf (which store the second result through a
// pointer), and the Python library pairs them. frexp's mantissa and modf's
// parts keep x's float type; frexp's exponent is int32.
Builtin libm_pair_part(const char* name, const char* symbol, bool second) {
  bool exponent = second && std::string_view(symbol) == "frexp";
  TypingRule typing = [exponent](const CallSite& c) -> std::optional<Signature> {
    std::optional<Signature> s = real_number(c);
    if (s && exponent) s->result = t::integer_of(32, true);
    return s;
  };
  LoweringRule lowering = [symbol, second, exponent](RowContext& f, const hir::Expr&, const Signature&,
                                                     std::vector<llvm::Value*> args) -> llvm::Value* {
    auto& b = f.builder();
    llvm::Type* ft = args[0]->getType();
    llvm::Type* stored = exponent ? b.getInt32Ty() : ft;
    std::string libm_name = std::string(symbol) + (ft->isFloatTy() ? "f" : "");
    llvm::FunctionCallee fn = f.module().getOrInsertFunction(libm_name, ft, ft, b.getPtrTy());
    llvm::AllocaInst* slot = f.entry_alloca(stored, std::string(symbol) + ".second");
    llvm::Value* first = b.CreateCall(fn, {args[0], slot});
    if (!second) return first;
    llvm::Value* value = b.CreateLoad(stored, slot);
    if (!exponent) return value;
    // glibc leaves the exponent unset for infinities and NaN; NumPy reports 0.
    llvm::Value* finite = b.CreateFCmpONE(f.call_intrinsic(llvm::Intrinsic::fabs, ft, {args[0]}),
                                          llvm::ConstantFP::getInfinity(ft));
    return b.CreateSelect(finite, value, b.getInt32(0));
  };
  return Builtin{name, typing, lowering};
}

// ufunc.out(value, out): a ufunc called with an output array, as inference
// writes np.f(x, y, out) and np.f(x, y, out=out). The value, an array
// expression, is computed straight into `out` (broadcast to its shape), and
// `out` is the result. The cast to out's dtype follows NumPy's default
// same_kind rule: bool < integers < floats < complex, never down a kind.
int kind_rank(const Type* t) { return t->is_bool() ? 0 : t->is_integer() ? 1 : t->is_float() ? 2 : 3; }

Builtin output_argument() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 2 || !c.args[1]->is_array()) return std::nullopt;
    const Type* value = c.args[0];
    const Type* out = c.args[1];
    if (!value->is_scalar() && !value->is_array()) return std::nullopt;
    if (value->is_array() && value->ndim > out->ndim)
      typing_error(c.call.span, "a ufunc's output array has " + std::to_string(out->ndim) +
                                    " dimensions, fewer than its result's " + std::to_string(value->ndim));
    if (out->readonly) typing_error(c.call.span, "a ufunc's output array is read-only");
    const Type* dtype = value->is_array() ? value->dtype() : value;
    if (kind_rank(dtype) > kind_rank(out->dtype()))
      typing_error(c.call.span, "cannot cast the ufunc's result from " + dtype->name + " to the output's " +
                                    out->dtype()->name + " with casting rule 'same_kind'");
    return Signature{out, {}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*>) {
    const hir::Expr& out = call.args()[1];
    llvm::Value* target = f.expr(out);
    f.assign_elementwise(target, out.type, call.args()[0], std::nullopt);
    f.incref(target, s.result);  // the call's result holds its own reference
    return target;
  };
  Builtin row{"ufunc.out", typing, lowering};
  row.lazy_arguments = true;
  return row;
}

}  // namespace

void register_numpy_ufuncs(std::vector<Builtin>& table) {
  const Builtin rows[] = {
      binary_operator("np.add", BinaryOp::Add),
      binary_operator("np.subtract", BinaryOp::Sub),
      binary_operator("np.multiply", BinaryOp::Mul),
      binary_operator("np.divide", BinaryOp::TrueDiv),
      binary_operator("np.true_divide", BinaryOp::TrueDiv),
      binary_operator("np.floor_divide", BinaryOp::FloorDiv),
      binary_operator("np.remainder", BinaryOp::Mod),
      binary_operator("np.mod", BinaryOp::Mod),
      binary_operator("np.bitwise_and", BinaryOp::BitAnd),
      binary_operator("np.bitwise_or", BinaryOp::BitOr),
      binary_operator("np.bitwise_xor", BinaryOp::BitXor),
      binary_operator("np.left_shift", BinaryOp::LShift),
      binary_operator("np.right_shift", BinaryOp::RShift),
      comparison("np.equal", CompareOp::Eq),
      comparison("np.not_equal", CompareOp::NotEq),
      comparison("np.less", CompareOp::Lt),
      comparison("np.less_equal", CompareOp::LtE),
      comparison("np.greater", CompareOp::Gt),
      comparison("np.greater_equal", CompareOp::GtE),
      unary_operator("np.negative", UnaryOp::Neg),
      unary_operator("np.positive", UnaryOp::Pos),
      unary_operator("np.invert", UnaryOp::Invert),
      unary_operator("np.bitwise_not", UnaryOp::Invert),
      square(),
      reciprocal(),
      float_power(),
      log_add_exp("np.logaddexp", false),
      log_add_exp("np.logaddexp2", true),
      gcd_or_lcm("np.gcd", false),
      gcd_or_lcm("np.lcm", true),
      signbit(),
      next_after("np.nextafter"),
      spacing(),
      load_exponent("np.ldexp"),
      libm_pair_part("np._frexp_mantissa", "frexp", false),
      libm_pair_part("np._frexp_exponent", "frexp", true),
      libm_pair_part("np._modf_fraction", "modf", false),
      libm_pair_part("np._modf_whole", "modf", true),
  };
  for (const Builtin& row : rows) {
    table.push_back(row);
    table.back().elementwise = true;
  }
  // Python's math functions take numbers only: the same rows, not elementwise.
  table.push_back(next_after("math.nextafter"));
  table.push_back(load_exponent("math.ldexp"));
  table.push_back(output_argument());
}

}  // namespace numjit::library
