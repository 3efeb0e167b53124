// Python builtins: range/prange, len, min, max, int, float, complex, bool, round.
#include <llvm/IR/Intrinsics.h>

#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::library {
namespace {

namespace t = types;

std::optional<Signature> range_typing(const CallSite& c) {
  if (c.args.empty() || c.args.size() > 3) return std::nullopt;
  for (const Type* a : c.args)
    if (!a->is_integer() && !a->is_bool()) return std::nullopt;
  return Signature{t::range(), {}};
}

llvm::Value* range_lowering(RowContext&, const hir::Expr& call, const Signature&, std::vector<llvm::Value*>) {
  unsupported(call.span, "range() objects can only be iterated over directly in a for loop");
}

// The length of UTF-8 text in code points, as Python's len() counts.
size_t code_points(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xc0) != 0x80;
  return n;
}

std::optional<Signature> len_typing(const CallSite& c) {
  if (c.args.size() != 1) return std::nullopt;
  const Type* a = c.args[0];
  if (a->kind == t::TypeKind::Range) return Signature{t::int64(), {nullptr}};
  if ((a->is_array() && a->ndim > 0) || a->kind == t::TypeKind::Tuple || a->kind == t::TypeKind::List ||
      a->kind == t::TypeKind::Dict || a->kind == t::TypeKind::Set)
    return Signature{t::int64(), {a}};
  if (a->kind == t::TypeKind::StringLiteral) return Signature{t::int64(), {nullptr}};  // a constant
  if (a->kind == t::TypeKind::String) return Signature{t::int64(), {a}};
  return std::nullopt;
}

llvm::Value* len_lowering(RowContext& f, const hir::Expr& call, const Signature& s, std::vector<llvm::Value*> args) {
  if (!s.params[0] && call.args()[0].type->kind == t::TypeKind::StringLiteral)
    return f.i64(static_cast<int64_t>(code_points(call.args()[0].type->text)));
  if (s.params[0] && s.params[0]->kind == t::TypeKind::String)
    return f.builder().CreateCall(codegen::runtime_function(f.module(), codegen::RuntimeFunction::str_length), {args[0]});
  if (!s.params[0]) {
    std::optional<RowContext::RangeBounds> r = f.range_bounds(call.args()[0]);
    return r ? r->count : f.i64(0);
  }
  if (s.params[0]->is_array()) return f.array_dim(args[0], codegen::kArrayShape, 0);
  if (s.params[0]->kind == t::TypeKind::List) return f.list_length(args[0]);
  if (s.params[0]->kind == t::TypeKind::Dict || s.params[0]->kind == t::TypeKind::Set) return f.dict_length(args[0]);
  return f.i64(static_cast<int64_t>(s.params[0]->elements.size()));
}

// min(a, b, ...) / max(a, b, ...): Python keeps the first extreme value, so a
// NaN in first position wins and a later NaN is skipped.
std::optional<Signature> extreme_typing(const CallSite& c) {
  if (c.args.size() < 2) {
    if (c.args.size() == 1 && c.args[0]->is_array())
      unsupported(c.call.span, "min()/max() of an array is not supported yet; use a loop");
    return std::nullopt;
  }
  const Type* common = c.args[0];
  for (const Type* a : c.args) {
    if (!a->is_scalar() || a->is_complex()) return std::nullopt;
    if (a->is_time() || common->is_time()) {  // datetimes of one family: the finer unit
      common = t::unify(common, a);
      if (!common) return std::nullopt;
      continue;
    }
    common = common == a ? a : t::promote_numeric(common, a);
  }
  return Signature{common, std::vector<const Type*>(c.args.size(), common)};
}

LoweringRule extreme(bool is_min) {
  return [is_min](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    llvm::Value* best = args[0];
    const Type* ty = s.result;
    for (size_t i = 1; i < args.size(); ++i) {
      llvm::Value* x = args[i];
      llvm::Value* better;
      if (ty->is_float()) {
        better = is_min ? b.CreateFCmpOLT(x, best) : b.CreateFCmpOGT(x, best);
      } else if (ty->is_time()) {  // as Python compares them: NaT orders with nothing, so it never wins or loses
        llvm::Value* nat = b.getInt64(abi::kNaT);
        llvm::Value* ordered = b.CreateAnd(b.CreateICmpNE(x, nat), b.CreateICmpNE(best, nat));
        better = b.CreateAnd(ordered, is_min ? b.CreateICmpSLT(x, best) : b.CreateICmpSGT(x, best));
      } else if (ty->is_signed()) {
        better = is_min ? b.CreateICmpSLT(x, best) : b.CreateICmpSGT(x, best);
      } else {
        better = is_min ? b.CreateICmpULT(x, best) : b.CreateICmpUGT(x, best);
      }
      best = b.CreateSelect(better, x, best);
    }
    return best;
  };
}

// int(x), float(x), bool(x), complex(x): conversion rows.
TypingRule conversion(const Type* target) {
  return [target](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() != 1 || !c.args[0]->is_scalar()) return std::nullopt;
    if (c.args[0]->is_complex() && !target->is_complex() && !target->is_bool()) return std::nullopt;
    return Signature{target, {target}};
  };
}

// int(x) is int64, except of a uint64, whose values above 2**63 it keeps
// (Python's int is unbounded; Numba keeps uint64 too).
bool is_text(const Type* x) { return x->kind == t::TypeKind::String || x->kind == t::TypeKind::StringLiteral; }

std::optional<Signature> int_typing(const CallSite& c) {
  if (c.args.size() == 1 && c.args[0]->is_integer() && !c.args[0]->is_signed() && c.args[0]->bits() == 64)
    return Signature{c.args[0], {c.args[0]}};
  // int(s) and int(s, base) read a string.
  if (!c.args.empty() && c.args.size() <= 2 && is_text(c.args[0]) && (c.args.size() == 1 || c.args[1]->is_integer()))
    return Signature{t::int64(), c.args.size() == 1 ? std::vector<const Type*>{t::string()}
                                                    : std::vector<const Type*>{t::string(), t::int64()}};
  return conversion(t::int64())(c);
}

std::optional<Signature> float_typing(const CallSite& c) {
  if (c.args.size() == 1 && is_text(c.args[0])) return Signature{t::float64(), {t::string()}};
  return conversion(t::float64())(c);
}

llvm::Value* identity(RowContext&, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
  return args[0];
}

// int(x) / float(x): a conversion, or of a string, the runtime's reading of it (ValueError when it is no number).
LoweringRule number_of(codegen::RuntimeFunction read_string) {
  return [read_string](RowContext& f, const hir::Expr& call, const Signature& s,
                       std::vector<llvm::Value*> args) -> llvm::Value* {
    if (s.params[0]->kind != t::TypeKind::String) return identity(f, call, s, args);
    auto& b = f.builder();
    llvm::Value* out = f.entry_alloca(codegen::value_type(f.context(), s.result), "number.read");
    std::vector<llvm::Value*> call_args{args[0]};
    if (read_string == codegen::RuntimeFunction::str_to_int) call_args.push_back(args.size() > 1 ? args[1] : f.i64(10));
    call_args.push_back(out);
    f.exit_if_failed(b.CreateCall(codegen::runtime_function(f.module(), read_string), call_args));
    return b.CreateLoad(codegen::value_type(f.context(), s.result), out);
  };
}

// complex(re, im) of real numbers; with a complex argument, as Python:
// complex(z) is z, complex(a, b) is a + b*1j.
std::optional<Signature> complex_typing(const CallSite& c) {
  if (c.args.empty() || c.args.size() > 2) return std::nullopt;
  bool any_complex = false;
  for (const Type* a : c.args) {
    if (!a->is_scalar()) return std::nullopt;
    any_complex = any_complex || a->is_complex();
  }
  const Type* param = any_complex ? t::complex128() : t::float64();
  return Signature{t::complex128(), std::vector<const Type*>(c.args.size(), param)};
}

llvm::Value* complex_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  llvm::Type* ct = codegen::value_type(f.context(), s.result);
  auto make = [&](llvm::Value* re, llvm::Value* im) {
    return b.CreateInsertValue(b.CreateInsertValue(llvm::PoisonValue::get(ct), re, 0), im, 1);
  };
  if (!s.params[0]->is_complex())
    return make(args[0], args.size() > 1 ? args[1] : llvm::ConstantFP::get(b.getDoubleTy(), 0.0));
  if (args.size() == 1) return args[0];
  auto part = [&](llvm::Value* z, unsigned i) { return b.CreateExtractValue(z, i); };
  return make(b.CreateFSub(part(args[0], 0), part(args[1], 1)), b.CreateFAdd(part(args[0], 1), part(args[1], 0)));
}

// round(x) -> int (half to even); round(x, n) -> float, scaled as Numba does.
std::optional<Signature> round_typing(const CallSite& c) {
  if (c.args.empty() || c.args.size() > 2 || !c.args[0]->is_scalar() || c.args[0]->is_complex()) return std::nullopt;
  if (c.args.size() == 2 && !c.args[1]->is_integer()) return std::nullopt;
  const Type* x = c.args[0]->is_float() ? c.args[0] : t::float64();
  if (c.args.size() == 1) return Signature{c.args[0]->is_integer() ? c.args[0] : t::int64(), {c.args[0]->is_integer() ? c.args[0] : x}};
  if (c.args[0]->is_integer()) return Signature{c.args[0], {c.args[0], t::int64()}};
  return Signature{x, {x, t::int64()}};
}

// round(n, digits) of an integer, as Python: n itself for digits >= 0, else
// the nearest multiple of 10**-digits, halves to the even multiple (0 once the
// power passes the type's range). Computed in 64 bits; the result wraps as
// the type does where Python's would grow.
llvm::Value* round_integer(RowContext& f, const Type* xt, llvm::Value* x, llvm::Value* digits) {
  auto& b = f.builder();
  llvm::Type* i64 = b.getInt64Ty();
  bool is_signed = xt->is_signed();
  llvm::Value* wide = is_signed ? b.CreateSExt(x, i64) : b.CreateZExt(x, i64);
  llvm::Value* places = b.CreateNeg(b.CreateSExtOrTrunc(digits, i64));  // > 0: places to clear
  // 10**places by a table of the 19 powers that fit (10**19 passes int64, and every uint64 below it rounds to 0
  // or 10**19, which wraps).
  std::vector<llvm::Constant*> powers;
  uint64_t p = 1;
  for (int k = 0; k < 20; ++k, p *= 10) powers.push_back(b.getInt64(k == 19 ? 0 : p));
  auto* table_type = llvm::ArrayType::get(i64, powers.size());
  auto* table = new llvm::GlobalVariable(f.module(), table_type, true, llvm::GlobalValue::PrivateLinkage,
                                         llvm::ConstantArray::get(table_type, powers), "round.powers");
  llvm::Value* in_table = b.CreateICmpULT(places, b.getInt64(19));
  llvm::Value* index = b.CreateSelect(in_table, places, b.getInt64(19));
  llvm::Value* power = b.CreateLoad(i64, b.CreateInBoundsGEP(table_type, table, {b.getInt64(0), index}));
  llvm::Value* safe_power = b.CreateSelect(b.CreateICmpEQ(power, b.getInt64(0)), b.getInt64(1), power);
  llvm::Value* quotient = is_signed ? b.CreateSDiv(wide, safe_power) : b.CreateUDiv(wide, safe_power);
  llvm::Value* remainder = b.CreateSub(wide, b.CreateMul(quotient, safe_power));
  llvm::Value* magnitude = is_signed ? f.call_intrinsic(llvm::Intrinsic::abs, i64, {remainder, b.getFalse()}) : remainder;
  llvm::Value* twice = b.CreateShl(magnitude, 1);
  llvm::Value* odd = b.CreateICmpNE(b.CreateAnd(quotient, b.getInt64(1)), b.getInt64(0));
  llvm::Value* up = b.CreateOr(b.CreateICmpUGT(twice, safe_power), b.CreateAnd(b.CreateICmpEQ(twice, safe_power), odd));
  llvm::Value* away = is_signed ? b.CreateSelect(b.CreateICmpSLT(wide, b.getInt64(0)), b.getInt64(-1), b.getInt64(1))
                                : b.getInt64(1);
  llvm::Value* rounded = b.CreateMul(b.CreateAdd(quotient, b.CreateSelect(up, away, b.getInt64(0))), safe_power);
  llvm::Value* cleared = b.CreateSelect(b.CreateICmpEQ(power, b.getInt64(0)), b.getInt64(0), rounded);
  llvm::Value* result = b.CreateSelect(b.CreateICmpSLE(places, b.getInt64(0)), wide, cleared);
  return b.CreateTrunc(result, x->getType());
}

llvm::Value* round_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  const Type* xt = s.params[0];
  if (xt->is_integer()) return args.size() == 1 ? args[0] : round_integer(f, xt, args[0], args[1]);
  llvm::Type* ft = args[0]->getType();
  if (args.size() == 1) {
    llvm::Value* r = f.call_intrinsic(llvm::Intrinsic::roundeven, ft, {args[0]});
    return f.cast(r, xt, s.result);
  }
  // CPython's rounding of the exact value (runtime/python_round.cpp), in double.
  llvm::Type* dbl = b.getDoubleTy();
  llvm::FunctionCallee round_digits = codegen::runtime_function(f.module(), codegen::RuntimeFunction::round_digits);
  llvm::Value* x = b.CreateFPExt(args[0], dbl);  // float32 widens exactly
  llvm::Value* digits = b.CreateSExtOrTrunc(args[1], b.getInt64Ty());
  return b.CreateFPTrunc(b.CreateCall(round_digits, {x, digits}), ft);
}

// z.conjugate(): the complex conjugate; real numbers are their own.
std::optional<Signature> conjugate_typing(const CallSite& c) {
  if (c.args.size() != 1 || !c.args[0]->is_scalar()) return std::nullopt;
  return Signature{c.args[0], {c.args[0]}};
}

llvm::Value* conjugate_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  if (!s.result->is_complex()) return args[0];
  auto& b = f.builder();
  return b.CreateInsertValue(args[0], b.CreateFNeg(b.CreateExtractValue(args[0], 1)), 1);
}

// numjit.get_thread_id() / get_num_threads() inside compiled code.
LoweringRule runtime_query(codegen::RuntimeFunction query) {
  return [query](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*>) {
    auto& b = f.builder();
    llvm::FunctionCallee fn = codegen::runtime_function(f.module(), query);
    return b.CreateSExt(b.CreateCall(fn), b.getInt64Ty());
  };
}

std::optional<Signature> no_arguments(const CallSite& c) {
  if (!c.args.empty()) return std::nullopt;
  return Signature{t::int64(), {}};
}

// Values print() hands to Python whole (boxed as a return value is): arrays,
// and tuples, lists, dicts and optionals that may hold them.
bool printed_by_python(const Type* a) {
  switch (a->kind) {
    case t::TypeKind::Array:
    case t::TypeKind::List:
    case t::TypeKind::Dict:
    case t::TypeKind::Set: return true;
    case t::TypeKind::Optional: return a->elements[0]->is_scalar() || printed_by_python(a->elements[0]);
    case t::TypeKind::Tuple:
      return std::all_of(a->elements.begin(), a->elements.end(), [](const Type* e) {
        return e->is_scalar() || e->kind == t::TypeKind::String || e->kind == t::TypeKind::NoneType ||
               printed_by_python(e);
      });
    default: return false;
  }
}

// A row whose result is its argument: a new reference to it, as every row's result is.
llvm::Value* same_value(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  f.incref(args[0], s.result);
  return args[0];
}

// A tuple's string constants as run-time strings, at any depth.
const Type* with_run_time_strings(const Type* a) {
  if (a->kind == t::TypeKind::StringLiteral) return t::string();
  if (a->kind != t::TypeKind::Tuple) return a;
  std::vector<const Type*> elements;
  for (const Type* e : a->elements) elements.push_back(with_run_time_strings(e));
  return t::tuple_like(a, elements);
}

// print(a, b, ...): numbers, booleans, None and string constants. Each value
// is widened to a 64-bit kind and handed to the runtime, which formats it as
// Python's str() would; arrays and containers are boxed and Python formats them.
std::optional<Signature> print_typing(const CallSite& c) {
  std::vector<const Type*> params;
  for (const Type* a : c.args) {
    if (a->kind == t::TypeKind::StringLiteral || a->kind == t::TypeKind::NoneType) {
      params.push_back(nullptr);
    } else if (a->kind == t::TypeKind::String) {
      params.push_back(a);
    } else if (a->is_scalar()) {
      params.push_back(a->is_bool() ? a : a->is_complex() ? t::complex128()
                                        : a->is_float()   ? t::float64()
                                        : a->is_signed()  ? t::int64()
                                                          : t::uint64());
    } else if (printed_by_python(a)) {
      params.push_back(a);
    } else if (a->kind == t::TypeKind::Tuple && printed_by_python(with_run_time_strings(a))) {
      params.push_back(with_run_time_strings(a));  // (1, 'a'): the constant made a run-time string to be boxed
    } else {
      unsupported(c.call.span, "print() of " + a->name + " is not supported in compiled code yet");
    }
  }
  return Signature{t::none(), params};
}

llvm::Value* print_lowering(RowContext& f, const hir::Expr& call, const Signature& s,
                            std::vector<llvm::Value*> args) {
  auto& b = f.builder();
  llvm::FunctionCallee print = codegen::runtime_function(f.module(), codegen::RuntimeFunction::print);
  auto* null = llvm::ConstantPointerNull::get(b.getPtrTy());
  if (args.empty()) b.CreateCall(print, {b.getInt32(0), null, f.string_constant(""), b.getInt32(1)});
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::Value* last = b.getInt32(i + 1 == args.size());
    const hir::Expr& arg = call.args()[i];
    if (!s.params[i]) {
      const bool is_text = arg.type->kind == t::TypeKind::StringLiteral;
      b.CreateCall(print, {b.getInt32(static_cast<int>(abi::ScalarKind::None)), null,
                           is_text ? f.string_constant(arg.type->text) : null, last});
      continue;
    }
    if (printed_by_python(s.params[i])) {
      f.print_through_python(args[i], s.params[i], i + 1 == args.size());
      continue;
    }
    if (s.params[i]->kind == t::TypeKind::String) {
      b.CreateCall(codegen::runtime_function(f.module(), codegen::RuntimeFunction::str_print), {args[i], last});
      continue;
    }
    llvm::Value* slot = f.entry_alloca(codegen::memory_type(f.context(), s.params[i]), "print.value");
    llvm::Value* v = s.params[i]->is_bool() ? b.CreateZExt(args[i], b.getInt8Ty()) : args[i];
    b.CreateStore(v, slot);
    b.CreateCall(print, {b.getInt32(static_cast<int>(s.params[i]->scalar)), slot, null, last});
  }
  return b.getInt8(0);
}

}  // namespace

std::optional<bool> isinstance_by_type(const Type* value, const Type* cls) {
  if (cls->kind == t::TypeKind::Tuple) {  // isinstance(x, (int, float)): any of them
    bool any = false;
    for (const Type* c : cls->elements) {
      std::optional<bool> one = isinstance_by_type(value, c);
      if (!one) return std::nullopt;
      any = any || *one;
    }
    return any;
  }
  const std::string& name = cls->name;
  if (cls->kind == t::TypeKind::Opaque && name.starts_with("class(")) {  // a namedtuple class: by its key
    value = t::strip_optional(value);
    return value->is_named_tuple() && "class(" + value->class_key + ")" == name;
  }
  if (cls->kind != t::TypeKind::Opaque || !name.starts_with("function(")) return std::nullopt;
  std::string_view what = std::string_view(name).substr(9, name.size() - 10);
  value = t::strip_optional(value);
  if (t::is_jitclass_instance(value)) return what == t::jitclass_key(value);  // its class: the key names it
  // Python's bool is an int; numjit types Python numbers and NumPy's 64-bit
  // scalars alike, so isinstance(np.int64(1), int) is True here too (other
  // NumPy integers are not ints, as in Python).
  if (what == "int") return (value->is_integer() && value->is_signed() && value->bits() == 64) || value->is_bool();
  if (what == "float") return value->is_float() && value->bits() == 64;
  if (what == "complex") return value->is_complex() && value->bits() == 128;
  if (what == "bool") return value->is_bool();
  if (what == "str") return value->kind == t::TypeKind::StringLiteral || value->kind == t::TypeKind::String;
  if (what == "tuple") return value->kind == t::TypeKind::Tuple;
  if (what == "dict") return value->kind == t::TypeKind::Dict;
  if (what == "list_") return value->kind == t::TypeKind::List;  // `list` is the library's list() (library/lists.py)
  if (what == "set_") return value->kind == t::TypeKind::Set;    // and `set` its set() (library/sets.py)
  if (what == "np.ndarray") return value->is_array();
  if (what.starts_with("np.")) {  // a NumPy scalar type: that exact type
    const Type* scalar = t::parse(std::string(what.substr(3)) == "bool_" ? "bool" : std::string(what.substr(3)));
    if (scalar) return value == scalar;
  }
  return std::nullopt;
}

namespace {

// tuple(), tuple(t) of a tuple, and tuple(s) of a string constant (a tuple
// of its characters): what has a length known while compiling. A list's
// length is known only at run time, so tuple(list) stays refused.
std::optional<Signature> tuple_typing(const CallSite& c) {
  if (c.args.empty()) return Signature{t::tuple({}), {}};
  if (c.args.size() != 1) return std::nullopt;
  const Type* x = c.args[0];
  if (x->kind == t::TypeKind::Tuple) return Signature{x, {x}};
  if (x->kind == t::TypeKind::List || x->kind == t::TypeKind::Array || x->kind == t::TypeKind::String)
    typing_error(c.call.span, "tuple() of a " + x->name + ": a compiled tuple's length is fixed while compiling, and "
                              "this one is known only at run time; keep a list, or build the tuple from items (t[0], t[1])");
  if (x->kind != t::TypeKind::StringLiteral) return std::nullopt;
  std::vector<const Type*> characters;
  for (size_t i = 0; i < x->text.size();) {
    size_t n = 1;  // one UTF-8 sequence per character
    while (i + n < x->text.size() && (static_cast<unsigned char>(x->text[i + n]) & 0xC0) == 0x80) ++n;
    characters.push_back(t::string_literal(x->text.substr(i, n)));
    i += n;
  }
  return Signature{t::tuple(characters), {x}};
}

llvm::Value* tuple_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  if (!args.empty() && s.params[0] == s.result) {
    f.incref(args[0], s.result);  // a row's result is a new reference
    return args[0];
  }
  // The empty tuple, or string constants, whose values are their types.
  llvm::Value* out = llvm::UndefValue::get(codegen::value_type(f.context(), s.result));
  for (unsigned i = 0; i < s.result->elements.size(); ++i) out = f.builder().CreateInsertValue(out, f.builder().getInt8(0), i);
  return out;
}

}  // namespace

void register_python_builtins(std::vector<Builtin>& table) {
  Builtin isinstance{"isinstance",
                     [](const CallSite& c) -> std::optional<Signature> {
                       if (c.args.size() != 2 || !isinstance_by_type(c.args[0], c.args[1])) return std::nullopt;
                       return Signature{t::boolean(), {c.args[0], c.args[1]}};
                     },
                     [](RowContext& f, const hir::Expr& call, const Signature&, std::vector<llvm::Value*>) {
                       const hir::Expr& value = call.args()[0];
                       bool by_type = *isinstance_by_type(value.type, call.args()[1].type);
                       // An optional is an instance only while it holds a value (its first field).
                       if (by_type && value.type->kind == t::TypeKind::Optional)
                         return f.builder().CreateExtractValue(f.expr(value), 0);
                       return static_cast<llvm::Value*>(f.builder().getInt1(by_type));
                     }};
  isinstance.lazy_arguments = true;  // decided by types: nothing to evaluate
  table.push_back(isinstance);
  table.push_back({"range", range_typing, range_lowering});
  table.push_back({"tuple", tuple_typing, tuple_lowering});
  table.push_back({"tuple", tuple_typing, tuple_lowering});
  table.push_back({"prange", range_typing, range_lowering});
  table.push_back({"len", len_typing, len_lowering});
  table.push_back({"min", extreme_typing, extreme(true)});
  table.push_back({"max", extreme_typing, extreme(false)});
  table.push_back({"int", int_typing, number_of(codegen::RuntimeFunction::str_to_int)});
  table.push_back({"float", float_typing, number_of(codegen::RuntimeFunction::str_to_float)});
  table.push_back({"bool", conversion(t::boolean()), identity});
  table.push_back({"complex", complex_typing, complex_lowering});
  table.push_back({"round", round_typing, round_lowering});
  table.push_back({"scalar.conjugate", conjugate_typing, conjugate_lowering});
  // x.item() of a number (as of an element np.nditer yields): the number itself.
  table.push_back({"scalar.item",
                   [](const CallSite& c) -> std::optional<Signature> {
                     if (c.args.size() != 1 || !c.args[0]->is_scalar()) return std::nullopt;
                     return Signature{c.args[0], {c.args[0]}};
                   },
                   identity});
  table.push_back({"print", print_typing, print_lowering});
  // An optional value's payload where an attribute or an item of it is read
  // (types/infer_expressions.cpp): the call's argument cast checks for None.
  // A tuple of different string constants (or constants and run-time
  // strings) as a tuple of run-time strings, for a loop over it or an index
  // known only at run time (types/infer_statements.cpp).
  table.push_back({"numjit.runtime_strings",
                   [](const CallSite& c) -> std::optional<Signature> {
                     if (c.args.size() != 1 || c.args[0]->kind != t::TypeKind::Tuple) return std::nullopt;
                     std::vector<const Type*> strings(c.args[0]->elements.size(), t::string());
                     return Signature{t::tuple(strings), {t::tuple(strings)}};
                   },
                   same_value});
  // The text of a raised exception's arguments (Inferrer::message_at_run_time), a string as it is.
  table.push_back({"numjit.exception_arguments",
                   [](const CallSite& c) -> std::optional<Signature> {
                     if (c.args.size() != 1 || c.args[0]->kind != t::TypeKind::String) return std::nullopt;
                     return Signature{c.args[0], {c.args[0]}};
                   },
                   same_value});
  table.push_back({"numjit.unwrap",
                   [](const CallSite& c) -> std::optional<Signature> {
                     if (c.args.size() != 1) return std::nullopt;
                     return Signature{c.args[0], {c.args[0]}};
                   },
                   same_value});
  table.push_back({"get_thread_id", no_arguments, runtime_query(codegen::RuntimeFunction::thread_id)});
  table.push_back({"get_num_threads", no_arguments, runtime_query(codegen::RuntimeFunction::num_threads)});
}

}  // namespace numjit::library
