// String rows: the operators and methods of Python's str over the runtime's
// strings (runtime/strings.h), and the builtins that make or read strings
// (str, repr, format, ord, chr). Methods with optional or keyword arguments
// are Python functions in python/numjit/library/strings.py over the
// underscored rows here (str._find(s, sub, start, end), ...). A string
// constant passed where a row takes a string becomes a runtime string
// (FunctionLowering::cast).
#include "numjit/codegen/runtime_calls.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"

namespace numjit::library {
namespace {

namespace t = types;
using codegen::RuntimeFunction;

bool is_text(const Type* x) { return x->kind == t::TypeKind::String || x->kind == t::TypeKind::StringLiteral; }
bool is_none(const Type* x) { return x->kind == t::TypeKind::NoneType; }

// Parameter codes: S a string, I an integer (int64), O a string or None (null).
// Result codes: S a string, I int64, B bool, L a list of strings.
std::optional<Signature> typed_as(const CallSite& c, std::string_view params, char result) {
  if (c.args.size() != params.size()) return std::nullopt;
  Signature s{result == 'S'   ? t::string()
              : result == 'I' ? t::int64()
              : result == 'B' ? t::boolean()
                              : t::list(t::string()),
              {}};
  for (size_t i = 0; i < params.size(); ++i) {
    const Type* a = c.args[i];
    switch (params[i]) {
      case 'S':
        if (!is_text(a)) return std::nullopt;
        s.params.push_back(t::string());
        break;
      case 'I':
        if (!a->is_integer() && !a->is_bool()) return std::nullopt;
        s.params.push_back(t::int64());
        break;
      default:
        if (!is_text(a) && !is_none(a)) return std::nullopt;
        s.params.push_back(is_none(a) ? a : t::string());
    }
  }
  return s;
}

// A call of a runtime function; a string or list result of null, or a
// status of kStatusError, leaves the function with the recorded exception.
llvm::Value* call_runtime(RowContext& f, RuntimeFunction fn, const std::vector<llvm::Value*>& args, char result) {
  auto& b = f.builder();
  llvm::Value* v = b.CreateCall(codegen::runtime_function(f.module(), fn), args);
  if (result == 'S' || result == 'L') f.exit_if_failed(b.CreateZExt(b.CreateIsNull(v), b.getInt32Ty()));
  if (result == 'B') return b.CreateICmpNE(v, b.getInt32(0));
  return v;
}

// A row that passes its arguments (None as null), then `extra` int32 constants, to `fn`.
Builtin runtime_row(std::string name, std::string params, char result, RuntimeFunction fn,
                    std::vector<int32_t> extra = {}) {
  TypingRule typing = [params, result](const CallSite& c) { return typed_as(c, params, result); };
  LoweringRule lowering = [fn, extra, result](RowContext& f, const hir::Expr&, const Signature& s,
                                              std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    for (size_t i = 0; i < args.size(); ++i)
      if (is_none(s.params[i])) args[i] = llvm::ConstantPointerNull::get(b.getPtrTy());
    for (int32_t k : extra) args.push_back(b.getInt32(k));
    return call_runtime(f, fn, args, result);
  };
  return Builtin{std::move(name), typing, lowering};
}

// a == b, a < b, ...: one comparison of the runtime's three-way result.
Builtin comparison(const char* name, llvm::CmpInst::Predicate predicate) {
  TypingRule typing = [](const CallSite& c) { return typed_as(c, "SS", 'B'); };
  LoweringRule lowering = [predicate](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
    llvm::Value* order = call_runtime(f, RuntimeFunction::str_compare, args, 'I');
    return f.builder().CreateICmp(predicate, order, f.i64(0));
  };
  return Builtin{name, typing, lowering};
}

// a + b + c ...: inference folds a chain of string `+` into one call of
// str.__add__ with every operand (Inferrer::string_operator), made here in
// one allocation from an array of the parts.
Builtin concatenation() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() < 2) return std::nullopt;
    for (const Type* a : c.args)
      if (!is_text(a)) return std::nullopt;
    return Signature{t::string(), std::vector<const Type*>(c.args.size(), t::string())};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    llvm::AllocaInst* parts = f.entry_alloca(llvm::ArrayType::get(b.getPtrTy(), args.size()), "concat.parts");
    for (size_t k = 0; k < args.size(); ++k)
      b.CreateStore(args[k], b.CreateConstInBoundsGEP2_64(parts->getAllocatedType(), parts, 0, k));
    return call_runtime(f, RuntimeFunction::str_concat, {parts, f.i64(static_cast<int64_t>(args.size()))}, 'S');
  };
  return Builtin{"str.__add__", typing, lowering};
}

// s[start:stop:step], absent parts None: which are given is known from the types.
std::optional<Signature> slice_typing(const CallSite& c) {
  if (c.args.size() != 4 || !is_text(c.args[0])) return std::nullopt;
  Signature s{t::string(), {t::string()}};
  for (size_t i = 1; i < 4; ++i) {
    if (!is_none(c.args[i]) && !c.args[i]->is_integer()) return std::nullopt;
    s.params.push_back(is_none(c.args[i]) ? c.args[i] : t::int64());
  }
  return s;
}

llvm::Value* slice_lowering(RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
  int32_t given = 0;
  for (size_t i = 1; i < 4; ++i) {
    if (is_none(s.params[i])) args[i] = f.i64(0);
    else given |= 1 << (i - 1);
  }
  args.push_back(f.builder().getInt32(given));
  return call_runtime(f, RuntimeFunction::str_slice, args, 'S');
}

// str(x) and repr(x) of a number, a bool, None or a string; format(x, spec) of a number or a string.
std::optional<Signature> text_of_typing(const CallSite& c, bool with_spec) {
  if (c.args.empty() || c.args.size() > (with_spec ? 2u : 1u)) return std::nullopt;
  const Type* x = c.args[0];
  if (!is_text(x) && !is_none(x) && !x->is_scalar()) return std::nullopt;
  if (x->is_complex()) return std::nullopt;  // written in Python (library/strings.py)
  Signature s{t::string(), {is_text(x) ? t::string() : x}};
  if (c.args.size() == 2) {
    if (!is_text(c.args[1])) return std::nullopt;
    s.params.push_back(t::string());
  }
  return s;
}

// A new string of one of two constants, picked at run time (a row's result is a new reference).
llvm::Value* constant_text(RowContext& f, llvm::Value* pick_first, const std::string& first, const std::string& second) {
  auto& b = f.builder();
  llvm::Value* text = b.CreateSelect(pick_first, f.string_constant(first), f.string_constant(second));
  llvm::Value* size = b.CreateSelect(pick_first, f.i64(static_cast<int64_t>(first.size())),
                                     f.i64(static_cast<int64_t>(second.size())));
  return call_runtime(f, RuntimeFunction::str_from_utf8, {text, size}, 'S');
}

// quoted: 1 repr(), 2 ascii().
llvm::Value* number_text(RowContext& f, llvm::Value* x, const Type* type, llvm::Value* spec, int quoted) {
  auto& b = f.builder();
  if (type->kind == t::TypeKind::String) {
    if (spec) return call_runtime(f, RuntimeFunction::str_format_str, {x, spec}, 'S');
    if (quoted) return call_runtime(f, RuntimeFunction::str_repr, {x, b.getInt32(quoted == 2)}, 'S');
    f.incref(x, type);  // the argument itself, as a new reference
    return x;
  }
  if (is_none(type)) return constant_text(f, b.getTrue(), "None", "None");
  if (type->is_bool() && !spec) return constant_text(f, x, "True", "False");
  if (type->is_float()) {
    llvm::Value* wide = f.cast(x, type, t::float64());
    int32_t single = type->bits() == 32 ? 1 : 0;
    if (spec) return call_runtime(f, RuntimeFunction::str_format_float, {wide, b.getInt32(single), spec}, 'S');
    return call_runtime(f, RuntimeFunction::str_from_float, {wide, b.getInt32(single)}, 'S');
  }
  bool is_unsigned = type->is_integer() && !type->is_signed();
  llvm::Value* wide = f.cast(x, type, is_unsigned ? t::uint64() : t::int64());
  if (spec)
    return call_runtime(f, RuntimeFunction::str_format_int,
                        {wide, b.getInt32(type->is_bool() ? 2 : is_unsigned ? 1 : 0), spec}, 'S');
  return call_runtime(f, RuntimeFunction::str_from_int, {wide, b.getInt32(is_unsigned)}, 'S');
}

Builtin text_of(const char* name, int quoted, bool with_spec) {
  TypingRule typing = [with_spec](const CallSite& c) { return text_of_typing(c, with_spec); };
  LoweringRule lowering = [quoted](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    return number_text(f, args[0], s.params[0], args.size() > 1 ? args[1] : nullptr, quoted);
  };
  return Builtin{name, typing, lowering};
}

}  // namespace

void register_strings(std::vector<Builtin>& table) {
  using F = RuntimeFunction;
  table.push_back(concatenation());
  table.push_back(runtime_row("str.__mul__", "SI", 'S', F::str_repeat));
  table.push_back(runtime_row("str.__getitem__", "SI", 'S', F::str_item));
  table.push_back({"str.__getslice__", slice_typing, slice_lowering});
  table.push_back(runtime_row("str._chars", "S", 'L', F::str_chars));
  Builtin contains = runtime_row("str.__contains__", "SS", 'B', F::str_find);
  contains.lower = [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
    llvm::Value* at = call_runtime(f, RuntimeFunction::str_find,
                                   {args[0], args[1], f.i64(0), f.i64(INT64_MAX), f.builder().getInt32(0)}, 'I');
    return f.builder().CreateICmpSGE(at, f.i64(0));
  };
  table.push_back(contains);
  table.push_back(runtime_row("str.join", "SL", 'S', F::str_join));
  table[table.size() - 1].type = [](const CallSite& c) -> std::optional<Signature> {
    // A list of strings; an empty [] (no item type yet) joins to "".
    bool empty = c.args.size() == 2 && c.args[1]->kind == t::TypeKind::List &&
                 c.args[1]->elements[0]->kind == t::TypeKind::Unknown;
    if (c.args.size() != 2 || !is_text(c.args[0])) return std::nullopt;
    bool strings = c.args[1]->kind == t::TypeKind::List && c.args[1]->elements[0] == t::string();
    if (!strings && !empty) return std::nullopt;
    return Signature{t::string(), {t::string(), strings ? c.args[1] : t::list(t::string())}};
  };
  table.push_back(comparison("str.__eq__", llvm::CmpInst::ICMP_EQ));
  table.push_back(comparison("str.__ne__", llvm::CmpInst::ICMP_NE));
  table.push_back(comparison("str.__lt__", llvm::CmpInst::ICMP_SLT));
  table.push_back(comparison("str.__le__", llvm::CmpInst::ICMP_SLE));
  table.push_back(comparison("str.__gt__", llvm::CmpInst::ICMP_SGT));
  table.push_back(comparison("str.__ge__", llvm::CmpInst::ICMP_SGE));
  table.push_back(runtime_row("str._find", "SSII", 'I', F::str_find, {0}));
  table.push_back(runtime_row("str._rfind", "SSII", 'I', F::str_find, {1}));
  table.push_back(runtime_row("str._count", "SSII", 'I', F::str_find, {2}));
  table.push_back(runtime_row("str._startswith", "SSII", 'B', F::str_affix, {0}));
  table.push_back(runtime_row("str._endswith", "SSII", 'B', F::str_affix, {1}));
  table.push_back(runtime_row("str._replace", "SSSI", 'S', F::str_replace));
  table.push_back(runtime_row("str._split", "SOI", 'L', F::str_split, {0}));
  table.push_back(runtime_row("str._rsplit", "SOI", 'L', F::str_split, {1}));
  table.push_back(runtime_row("str._lstrip", "SO", 'S', F::str_strip, {1}));
  table.push_back(runtime_row("str._rstrip", "SO", 'S', F::str_strip, {2}));
  table.push_back(runtime_row("str._strip", "SO", 'S', F::str_strip, {3}));
  table.push_back(runtime_row("str._center", "SIO", 'S', F::str_pad, {0}));
  table.push_back(runtime_row("str._ljust", "SIO", 'S', F::str_pad, {1}));
  table.push_back(runtime_row("str._rjust", "SIO", 'S', F::str_pad, {2}));
  const char* cases[] = {"upper", "lower", "swapcase", "capitalize", "title", "casefold"};
  for (int32_t k = 0; k < 6; ++k) table.push_back(runtime_row(std::string("str.") + cases[k], "S", 'S', F::str_case, {k}));
  const char* tests[] = {"isdigit", "isdecimal", "isnumeric", "isalpha",   "isalnum",      "isspace",
                         "isupper", "islower",   "isascii",   "istitle",   "isidentifier", "isprintable"};
  for (int32_t k = 0; k < 12; ++k) table.push_back(runtime_row(std::string("str.") + tests[k], "S", 'B', F::str_test, {k}));
  table.push_back(runtime_row("chr", "I", 'S', F::str_chr));
  Builtin ord = runtime_row("ord", "S", 'I', F::str_ord);
  ord.lower = [](RowContext& f, const hir::Expr&, const Signature&, std::vector<llvm::Value*> args) {
    llvm::Value* code = call_runtime(f, RuntimeFunction::str_ord, args, 'I');
    f.exit_if_failed(f.builder().CreateZExt(f.builder().CreateICmpSLT(code, f.i64(0)), f.builder().getInt32Ty()));
    return code;
  };
  table.push_back(ord);
  table.push_back(text_of("str", 0, false));
  table.push_back(text_of("repr", 1, false));
  table.push_back(text_of("ascii", 2, false));
  table.push_back(text_of("format", 0, true));
}

}  // namespace numjit::library
