// math and NumPy scalar functions: one row per function, typing and lowering
// side by side. Transcendental functions call libm (vectorized via libmvec);
// simple ones map to LLVM intrinsics.
#include <llvm/IR/Intrinsics.h>

#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;

// Real-valued functions compute in float32 for float32 input, else float64.
const Type* real_result(const Type* a) { return a->is_float() && a->bits() == 32 ? a : t::float64(); }

std::optional<Signature> real_unary(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_scalar() || c.args[0]->is_complex()) return std::nullopt;
  const Type* r = real_result(c.args[0]);
  return Signature{r, {r}};
}

std::optional<Signature> real_binary(const CallSite& c) {
  if (c.args.size() != 2) return std::nullopt;
  for (const Type* a : c.args)
    if (!a->is_scalar() || a->is_complex()) return std::nullopt;
  const Type* r = real_result(t::promote_numeric(c.args[0], c.args[1]));
  if (c.args[0]->is_float() && c.args[1]->is_float() && c.args[0]->bits() == 32 && c.args[1]->bits() == 32)
    r = t::float_of(32);
  return Signature{r, {r, r}};
}

LoweringRule libm(std::string name) {
  return [name](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    return f.call_math(name, s.result, std::move(args));
  };
}

LoweringRule intrinsic(llvm::Intrinsic::ID id) {
  return [id](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    llvm::Type* overload = args[0]->getType();  // read before args is moved from
    return f.call_intrinsic(id, overload, std::move(args));
  };
}

void add(std::vector<Builtin>& table, std::initializer_list<const char*> names, TypingRule type, LoweringRule lower) {
  for (const char* n : names) table.push_back(Builtin{n, type, lower});
}

// np.floor/ceil/trunc of integers and bools keep their type, as NumPy 2 does;
// floats round in place.
std::optional<Signature> whole_number_unary(const CallSite& c) {
  if (c.args.size() == 1 && (c.args[0]->is_integer() || c.args[0]->is_bool())) return Signature{c.args[0], {c.args[0]}};
  return real_unary(c);
}

LoweringRule rounding(llvm::Intrinsic::ID id) {
  return [id](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    if (!s.params[0]->is_float()) return args[0];
    return f.call_intrinsic(id, args[0]->getType(), {args[0]});
  };
}

// np.fmod: C's remainder (the sign of the dividend). Integers stay integers,
// and x fmod 0 is 0, as in NumPy; two bools use NumPy's int8 loop.
std::optional<Signature> numpy_fmod_typing(const CallSite& c) {
  if (c.args.size() != 2) return std::nullopt;
  const Type* a = c.args[0];
  const Type* b = c.args[1];
  if (!a->is_scalar() || !b->is_scalar() || a->is_complex() || b->is_complex()) return std::nullopt;
  const Type* r = t::numpy_promote(a, b);
  if (r->is_bool()) r = t::integer_of(8, true);
  return Signature{r, {r, r}};
}

llvm::Value* numpy_fmod(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  if (s.result->is_float()) return f.call_math("fmod", s.result, std::move(args));
  auto& b = f.builder();
  llvm::Type* it = args[0]->getType();
  llvm::Value* zero = llvm::ConstantInt::get(it, 0);
  // A divisor of 0 (and -1, whose remainder is 0 anyway) divides by 1: INT_MIN % -1 traps in hardware.
  llvm::Value* trivial = b.CreateICmpEQ(args[1], zero);
  if (s.result->is_signed())
    trivial = b.CreateOr(trivial, b.CreateICmpEQ(args[1], llvm::ConstantInt::get(it, -1, true)));
  llvm::Value* divisor = b.CreateSelect(trivial, llvm::ConstantInt::get(it, 1), args[1]);
  return s.result->is_signed() ? b.CreateSRem(args[0], divisor) : b.CreateURem(args[0], divisor);
}

// math.floor/ceil/trunc return Python ints (int64); NumPy's return floats.
LoweringRule rounding_to_int(llvm::Intrinsic::ID id) {
  return [id](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    if (!s.params[0]->is_float()) return args[0];  // an integer is already whole, exactly
    llvm::Value* r = f.call_intrinsic(id, args[0]->getType(), {args[0]});
    return f.cast(r, s.params[0], s.result);
  };
}

std::optional<Signature> to_int_rounding(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_scalar() || c.args[0]->is_complex()) return std::nullopt;
  if (c.args[0]->is_integer() && !c.args[0]->is_signed() && c.args[0]->bits() == 64)
    return Signature{c.args[0], {c.args[0]}};  // values above 2**63 stay exact, as int() keeps them
  if (c.args[0]->is_integer() || c.args[0]->is_bool()) return Signature{t::int64(), {t::int64()}};
  return Signature{t::int64(), {real_result(c.args[0])}};
}

std::optional<Signature> predicate(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_scalar()) return std::nullopt;
  return Signature{t::boolean(), {c.args[0]}};
}

// np.logical_and/or/xor(x, y): the truth of each operand combined.
std::optional<Signature> logical_binary(const CallSite& c) {
  if (c.args.size() != 2 || !c.args[0]->is_scalar() || !c.args[1]->is_scalar()) return std::nullopt;
  return Signature{t::boolean(), {c.args[0], c.args[1]}};
}

LoweringRule logical_of(llvm::Instruction::BinaryOps op) {
  return [op](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    return f.builder().CreateBinOp(op, f.truth(args[0], s.params[0]), f.truth(args[1], s.params[1]));
  };
}

// np.isnat: a datetime64 or timedelta64 that is NaT (INT64_MIN); NumPy has it for no other type.
std::optional<Signature> is_nat_typing(const CallSite& c) {
  if (c.args.size() != 1) return std::nullopt;
  if (!c.args[0]->is_time())
    typing_error(c.call.span, "np.isnat() is only defined for datetime64 and timedelta64 values, not " +
                                  c.args[0]->name);
  return Signature{t::boolean(), {c.args[0]}};
}

llvm::Value* is_nat_lowering(RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
  return f.builder().CreateICmpEQ(args[0], f.i64(abi::kNaT));
}

// isnan/isinf/isfinite: integers are never NaN or infinite.
LoweringRule float_class(bool want_nan, bool want_inf, bool finite) {
  return [=](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) -> llvm::Value* {
    auto& b = f.builder();
    const Type* at = s.params[0];
    auto classify = [&](llvm::Value* x) -> llvm::Value* {
      llvm::Value* is_nan = b.CreateFCmpUNO(x, x);
      llvm::Value* is_inf = b.CreateFCmpOEQ(f.call_intrinsic(llvm::Intrinsic::fabs, x->getType(), {x}),
                                            llvm::ConstantFP::getInfinity(x->getType()));
      if (finite) return b.CreateNot(b.CreateOr(is_nan, is_inf));
      return want_nan ? is_nan : is_inf;
    };
    if (at->is_integer() || at->is_bool()) return b.getInt1(finite);
    if (at->is_complex()) {
      llvm::Value* re = classify(b.CreateExtractValue(args[0], 0));
      llvm::Value* im = classify(b.CreateExtractValue(args[0], 1));
      return finite ? b.CreateAnd(re, im) : b.CreateOr(re, im);
    }
    (void)want_inf;
    return classify(args[0]);
  };
}

std::optional<Signature> same_numeric(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_scalar() || c.args[0]->is_complex()) return std::nullopt;
  const Type* a = c.args[0]->is_bool() ? t::int64() : c.args[0];
  return Signature{a, {a}};
}

llvm::Value* sign_of(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  llvm::Value* x = args[0];
  if (s.result->is_float()) {
    llvm::Value* zero = llvm::ConstantFP::get(x->getType(), 0.0);
    llvm::Value* r = b.CreateSelect(b.CreateFCmpOGT(x, zero), llvm::ConstantFP::get(x->getType(), 1.0),
                                    b.CreateSelect(b.CreateFCmpOLT(x, zero), llvm::ConstantFP::get(x->getType(), -1.0), zero));
    return b.CreateSelect(b.CreateFCmpUNO(x, x), x, r);  // sign(nan) is nan
  }
  llvm::Value* zero = llvm::ConstantInt::get(x->getType(), 0);
  llvm::Value* pos = b.CreateZExt(b.CreateICmp(s.result->is_signed() ? llvm::CmpInst::ICMP_SGT : llvm::CmpInst::ICMP_UGT, x, zero), x->getType());
  if (!s.result->is_signed()) return pos;
  llvm::Value* neg = b.CreateZExt(b.CreateICmpSLT(x, zero), x->getType());
  return b.CreateSub(pos, neg);
}

llvm::Value* absolute(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  llvm::Value* x = args[0];
  const Type* at = s.params[0];
  if (at->is_complex())
    return f.call_math("hypot", s.result, {b.CreateExtractValue(x, 0), b.CreateExtractValue(x, 1)});
  if (at->is_float()) return f.call_intrinsic(llvm::Intrinsic::fabs, x->getType(), {x});
  if (!at->is_signed() && !at->is_timedelta()) return x;  // unsigned and bool (a timedelta's NaT stays NaT)
  return b.CreateSelect(b.CreateICmpSLT(x, llvm::ConstantInt::get(x->getType(), 0)), b.CreateNeg(x), x);
}

// np.abs keeps bools (NumPy's absolute has a bool loop); Python's abs(True)
// is the int 1, but abs() of a bool array is np.abs again.
std::optional<Signature> abs_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_scalar() || c.args[0]->is_datetime()) return std::nullopt;
  const Type* a = c.args[0];
  if (a->is_complex()) return Signature{t::float_of(a->bits() / 2), {a}};
  return Signature{a, {a}};
}

std::optional<Signature> python_abs_typing(const CallSite& c) {
  const bool of_array = c.call.args().size() == 1 && c.call.args()[0].type->is_array();
  if (c.args.size() == 1 && c.args[0]->is_bool() && !of_array) return Signature{t::int64(), {t::int64()}};
  return abs_typing(c);
}

std::optional<Signature> power_typing(const CallSite& c) {
  if (c.args.size() != 2 || !c.args[0]->is_scalar() || !c.args[1]->is_scalar()) return std::nullopt;
  // NumPy's rule, not Python's: np.power(int16_array, 2) stays int16, and a
  // literal number is weak against a NumPy scalar of its kind (np.power(np.int16(x), 2)).
  std::vector<const Type*> args = c.args;
  auto same_kind = [](const Type* x, const Type* y) {
    return (x->is_integer() && y->is_integer()) || (x->is_float() && y->is_float());
  };
  for (size_t i = 0; i < 2; ++i) {
    const hir::Expr& arg = c.call.args()[i];
    if (arg.kind == hir::ExprKind::Const && same_kind(args[i], args[1 - i])) args[i] = args[1 - i];
  }
  const Type* r = t::elementwise_binary_dtype(t::BinaryOp::Pow, args[0], args[1]);
  if (!r) return std::nullopt;
  return Signature{r, {args[0], args[1]}};
}

llvm::Value* power_lowering(RowContext& f, const hir::Expr& call, const Signature& s,
                            std::vector<llvm::Value*> args) {
  const hir::Expr& exponent_arg = call.args()[1];
  const hir::Expr* exponent = exponent_arg.type->is_array() ? nullptr : &exponent_arg;
  return f.power(args[0], s.params[0], args[1], s.params[1], s.result, exponent);
}

// np.maximum/minimum/fmax/fmin keep NumPy's common type (integers stay
// integers); floats use the intrinsic with the right NaN rule (maximum
// propagates NaN, fmax ignores it).
std::optional<Signature> extreme_typing(const CallSite& c) {
  if (c.args.size() != 2) return std::nullopt;
  for (const Type* a : c.args)
    if (!a->is_scalar()) return std::nullopt;
  const Type* r = t::numpy_promote(c.args[0], c.args[1]);
  if (!r) return std::nullopt;
  return Signature{r, {r, r}};
}

LoweringRule extreme_of(llvm::Intrinsic::ID float_id, bool is_min) {
  return [float_id, is_min](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    const Type* t = s.result;
    if (t->is_float()) {
      llvm::Type* overload = args[0]->getType();  // read before args is moved from
      return f.call_intrinsic(float_id, overload, std::move(args));
    }
    if (t->is_complex()) {
      // NumPy's loops: lexicographic order, where a part that is NaN makes the
      // comparison false; np.maximum/minimum keep a NaN-holding first operand
      // (and so propagate NaNs), np.fmax/fmin keep the first when the second has one.
      llvm::Value* xr = b.CreateExtractValue(args[0], 0);
      llvm::Value* xi = b.CreateExtractValue(args[0], 1);
      llvm::Value* yr = b.CreateExtractValue(args[1], 0);
      llvm::Value* yi = b.CreateExtractValue(args[1], 1);
      llvm::Value* imaginary_parts_ordered = b.CreateFCmpORD(xi, yi);
      llvm::Value* first_wins =
          b.CreateOr(b.CreateAnd(is_min ? b.CreateFCmpOLT(xr, yr) : b.CreateFCmpOGT(xr, yr), imaginary_parts_ordered),
                     b.CreateAnd(b.CreateFCmpOEQ(xr, yr), is_min ? b.CreateFCmpOLE(xi, yi) : b.CreateFCmpOGE(xi, yi)));
      const bool propagates_nan = float_id == llvm::Intrinsic::minimum || float_id == llvm::Intrinsic::maximum;
      llvm::Value* nan_holder = propagates_nan ? b.CreateFCmpUNO(xr, xi) : b.CreateFCmpUNO(yr, yi);
      return b.CreateSelect(b.CreateOr(first_wins, nan_holder), args[0], args[1]);
    }
    llvm::Value* less = t->is_signed() || t->is_time() ? b.CreateICmpSLT(args[0], args[1])
                                                       : b.CreateICmpULT(args[0], args[1]);
    llvm::Value* chosen = is_min ? b.CreateSelect(less, args[0], args[1]) : b.CreateSelect(less, args[1], args[0]);
    if (!t->is_time()) return chosen;
    // NaT as NumPy's loops treat it: np.maximum/minimum propagate it, np.fmax/fmin take the other value.
    llvm::Value* nat = f.i64(abi::kNaT);
    llvm::Value* first_nat = b.CreateICmpEQ(args[0], nat);
    llvm::Value* second_nat = b.CreateICmpEQ(args[1], nat);
    if (float_id == llvm::Intrinsic::minimum || float_id == llvm::Intrinsic::maximum)
      return b.CreateSelect(b.CreateOr(first_nat, second_nat), nat, chosen);
    return b.CreateSelect(first_nat, args[1], b.CreateSelect(second_nat, args[0], chosen));
  };
}

// np.where(condition, x, y) (the three-argument form) and np.clip(a, lo, hi):
// elementwise on arrays like the other ufunc rows.
std::optional<Signature> where_typing(const CallSite& c) {
  if (c.args.size() != 3) return std::nullopt;
  for (const Type* a : c.args)
    if (!a->is_scalar()) return std::nullopt;
  const Type* r = t::numpy_promote(c.args[1], c.args[2]);
  return Signature{r, {c.args[0], r, r}};
}

llvm::Value* where_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  return f.builder().CreateSelect(f.truth(args[0], s.params[0]), args[1], args[2]);
}

std::optional<Signature> clip_typing(const CallSite& c) {
  if (c.args.size() != 3) return std::nullopt;
  for (const Type* a : c.args)
    if (!a->is_scalar() || a->is_complex()) return std::nullopt;
  const Type* r = t::numpy_promote(t::numpy_promote(c.args[0], c.args[1]), c.args[2]);
  return Signature{r, {r, r, r}};
}

llvm::Value* clip_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* t = s.result;
  auto less = [&](llvm::Value* x, llvm::Value* y) {
    if (t->is_float()) return b.CreateFCmpOLT(x, y);
    return t->is_signed() ? b.CreateICmpSLT(x, y) : b.CreateICmpULT(x, y);
  };
  llvm::Value* raised = b.CreateSelect(less(args[0], args[1]), args[1], args[0]);
  return b.CreateSelect(less(args[2], raised), args[2], raised);
}

// The C99 complex functions glibc has (csqrt, cexp, ...), by real name.
bool has_complex_variant(const std::string& symbol) {
  static const char* kNames[] = {"sqrt", "exp",  "log",   "log10", "sin",   "cos",   "tan",  "asin",
                                 "acos", "atan", "sinh",  "cosh",  "tanh",  "asinh", "acosh", "atanh"};
  for (const char* n : kNames)
    if (symbol == n) return true;
  return false;
}

// Calls glibc's `c<name>` on a complex128: on x86-64 a `double complex`
// argument travels as two doubles and returns as {double, double}.
// NumPy's versions of the functions also take complex numbers (math's do not:
// that is cmath's job in Python).
void add_complex_capable(std::vector<Builtin>& table, std::initializer_list<const char*> names, TypingRule real_typing,
                         LoweringRule real_lowering, const std::string& symbol) {
  for (const char* n : names) {
    if (!std::string(n).starts_with("np.") || !has_complex_variant(symbol)) {
      table.push_back(Builtin{n, real_typing, real_lowering});
      continue;
    }
    TypingRule typing = [real_typing](const CallSite& c) -> std::optional<Signature> {
      if (c.args.size() == 1 && c.args[0]->is_complex()) return Signature{c.args[0], {t::complex128()}};
      return real_typing(c);
    };
    LoweringRule lowering = [real_lowering, symbol](RowContext& f, const hir::Expr& call, const Signature& s,
                                                    std::vector<llvm::Value*> args) {
      if (!s.params.empty() && s.params[0]->is_complex())
        return f.cast(f.call_complex_libm(symbol, args[0]), t::complex128(), s.result);
      return real_lowering(f, call, s, std::move(args));
    };
    table.push_back(Builtin{n, typing, lowering});
  }
}

// np.float64(x), np.int32(x), ...: conversions to a NumPy scalar type.
void add_dtype_constructors(std::vector<Builtin>& table) {
  for (int k = 1; k < static_cast<int>(abi::ScalarKind::None); ++k) {
    auto kind = static_cast<abi::ScalarKind>(k);
    const Type* target = t::scalar(kind);
    std::string name = "np." + std::string(t::scalar_name(kind));
    if (kind == abi::ScalarKind::Bool) name = "np.bool_";
    TypingRule typing = [target](const CallSite& c) -> std::optional<Signature> {
      if (c.args.size() != 1 || !c.args[0]->is_scalar()) return std::nullopt;
      if (c.args[0]->is_complex() && !target->is_complex()) return std::nullopt;
      return Signature{target, {target}};
    };
    table.push_back(Builtin{name, typing, [](RowContext&, const hir::Expr&, const Signature&,
                                             std::vector<llvm::Value*> args) { return args[0]; }});
  }
}

}  // namespace

void register_math(std::vector<Builtin>& table) {
  struct Libm {
    std::initializer_list<const char*> names;
    const char* symbol;
  };
  const Libm unary[] = {
      {{"math.exp", "np.exp"}, "exp"},        {{"math.log", "np.log"}, "log"},
      {{"math.log10", "np.log10"}, "log10"},  {{"math.log2", "np.log2"}, "log2"},
      {{"math.log1p", "np.log1p"}, "log1p"},  {{"math.expm1", "np.expm1"}, "expm1"},
      {{"math.sin", "np.sin"}, "sin"},        {{"math.cos", "np.cos"}, "cos"},
      {{"math.tan", "np.tan"}, "tan"},        {{"math.asin", "np.arcsin"}, "asin"},
      {{"math.acos", "np.arccos"}, "acos"},   {{"math.atan", "np.arctan"}, "atan"},
      {{"math.sinh", "np.sinh"}, "sinh"},     {{"math.cosh", "np.cosh"}, "cosh"},
      {{"math.tanh", "np.tanh"}, "tanh"},     {{"math.asinh", "np.arcsinh"}, "asinh"},
      {{"math.acosh", "np.arccosh"}, "acosh"}, {{"math.atanh", "np.arctanh"}, "atanh"},
      {{"math.erf"}, "erf"},                  {{"math.erfc"}, "erfc"},
      {{"math.gamma"}, "tgamma"},             {{"math.lgamma"}, "lgamma"},
      {{"np.cbrt"}, "cbrt"},                  {{"np.exp2", "math.exp2"}, "exp2"},
      {{"math.cbrt"}, "cbrt"}};
  for (const Libm& row : unary) add_complex_capable(table, row.names, real_unary, libm(row.symbol), row.symbol);
  add(table, {"math.atan2", "np.arctan2"}, real_binary, libm("atan2"));
  add(table, {"math.hypot", "np.hypot"}, real_binary, libm("hypot"));
  add(table, {"math.fmod"}, real_binary, libm("fmod"));
  add(table, {"np.fmod"}, numpy_fmod_typing, numpy_fmod);
  add(table, {"math.copysign", "np.copysign"}, real_binary, intrinsic(llvm::Intrinsic::copysign));
  add(table, {"np.fmin"}, extreme_typing, extreme_of(llvm::Intrinsic::minnum, true));
  add(table, {"np.fmax"}, extreme_typing, extreme_of(llvm::Intrinsic::maxnum, false));
  add(table, {"np.minimum"}, extreme_typing, extreme_of(llvm::Intrinsic::minimum, true));
  add(table, {"np.maximum"}, extreme_typing, extreme_of(llvm::Intrinsic::maximum, false));
  add_complex_capable(table, {"math.sqrt", "np.sqrt"}, real_unary, intrinsic(llvm::Intrinsic::sqrt), "sqrt");
  add(table, {"math.fabs", "np.fabs"}, real_unary, intrinsic(llvm::Intrinsic::fabs));
  add(table, {"np.floor"}, whole_number_unary, rounding(llvm::Intrinsic::floor));
  add(table, {"np.ceil"}, whole_number_unary, rounding(llvm::Intrinsic::ceil));
  add(table, {"np.trunc", "np.fix"}, whole_number_unary, rounding(llvm::Intrinsic::trunc));
  add(table, {"np.rint"}, real_unary, intrinsic(llvm::Intrinsic::roundeven));
  add(table, {"math.floor"}, to_int_rounding, rounding_to_int(llvm::Intrinsic::floor));
  add(table, {"math.ceil"}, to_int_rounding, rounding_to_int(llvm::Intrinsic::ceil));
  add(table, {"math.trunc"}, to_int_rounding, rounding_to_int(llvm::Intrinsic::trunc));
  add(table, {"math.isnan", "np.isnan"}, predicate, float_class(true, false, false));
  add(table, {"math.isinf", "np.isinf"}, predicate, float_class(false, true, false));
  add(table, {"math.isfinite", "np.isfinite"}, predicate, float_class(false, false, true));
  add(table, {"np.isnat"}, is_nat_typing, is_nat_lowering);
  add(table, {"np.sign"}, same_numeric, sign_of);
  add(table, {"np.logical_and"}, logical_binary, logical_of(llvm::Instruction::And));
  add(table, {"np.logical_or"}, logical_binary, logical_of(llvm::Instruction::Or));
  add(table, {"np.logical_xor"}, logical_binary, logical_of(llvm::Instruction::Xor));
  add(table, {"np.logical_not"}, predicate,
      [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
        return f.builder().CreateNot(f.truth(args[0], s.params[0]));
      });
  // np.conjugate has no bool loop: bools take the int8 one, as in NumPy.
  auto conjugate_typing = [](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 1 || !c.args[0]->is_scalar()) return std::nullopt;
    const Type* t = c.args[0]->is_bool() ? t::integer_of(8, true) : c.args[0];
    return Signature{t, {t}};
  };
  add(table, {"np.conj", "np.conjugate"}, conjugate_typing,
      [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) -> llvm::Value* {
        if (!s.result->is_complex()) return args[0];
        auto& b = f.builder();
        return b.CreateInsertValue(args[0], b.CreateFNeg(b.CreateExtractValue(args[0], 1)), 1);
      });
  add(table, {"np.abs", "np.absolute"}, abs_typing, absolute);
  add(table, {"abs"}, python_abs_typing, absolute);
  add(table, {"np.power"}, power_typing, power_lowering);
  add(table, {"np.where"}, where_typing, where_lowering);
  table.back().own_type_arguments = 1u;  // the condition
  add(table, {"np.clip"}, clip_typing, clip_lowering);
  add(table, {"math.pow"}, real_binary, libm("pow"));
  auto scale = [](double factor) -> LoweringRule {
    return [factor](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
      return f.builder().CreateFMul(args[0], llvm::ConstantFP::get(args[0]->getType(), factor));
    };
  };
  constexpr double kPi = 3.14159265358979323846;
  add(table, {"math.degrees", "np.degrees", "np.rad2deg"}, real_unary, scale(180.0 / kPi));
  add(table, {"math.radians", "np.radians", "np.deg2rad"}, real_unary, scale(kPi / 180.0));
  add_dtype_constructors(table);
}

}  // namespace numjit::library
