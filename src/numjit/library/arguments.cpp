#include "numjit/library/arguments.h"

#include <algorithm>
#include <map>

#include <cstring>

#include "numjit/hir/build.h"

namespace numjit::library {

namespace t = types;

std::optional<BoundArguments> bind(const CallSite& c, std::initializer_list<const char*> params) {
  std::vector<const char*> names(params);
  BoundArguments out{std::vector<int>(names.size(), -1)};
  size_t keywords = c.call.keyword_names.size();
  size_t positional = c.args.size() - keywords;
  if (positional > names.size()) return std::nullopt;
  for (size_t i = 0; i < positional; ++i) out.index[i] = static_cast<int>(i);
  for (size_t k = 0; k < keywords; ++k) {
    const std::string& kw = c.call.keyword_names[k];
    bool found = false;
    for (size_t p = 0; p < names.size() && !found; ++p) {
      if (kw != names[p]) continue;
      if (out.index[p] >= 0) return std::nullopt;  // given twice
      out.index[p] = static_cast<int>(positional + k);
      found = true;
    }
    if (!found) return std::nullopt;
  }
  c.bound = out.index;
  return out;
}

const hir::Expr& argument_expr(const hir::Expr& call, size_t i) {
  const hir::Expr& callee = call.callee();
  if (callee.kind != hir::ExprKind::Attribute) return call.args()[i];
  return i == 0 ? callee.value() : call.args()[i - 1];
}

size_t argument_count(const hir::Expr& call) {
  return call.args().size() + (call.callee().kind == hir::ExprKind::Attribute ? 1 : 0);
}

namespace {
// NumPy's type codes: one character ('d', 'i', '?') or a kind and a size in
// bytes ('f8', 'i1', 'u2', 'c16', 'b1'); nullptr for other text.
const t::Type* by_type_code(const std::string& code) {
  static const std::map<std::string, const char*> single = {
      {"?", "bool"},   {"b", "int8"},   {"B", "uint8"},  {"h", "int16"},     {"H", "uint16"},
      {"i", "int32"},  {"I", "uint32"}, {"l", "int64"},  {"L", "uint64"},    {"q", "int64"},
      {"Q", "uint64"}, {"f", "float32"}, {"d", "float64"}, {"F", "complex64"}, {"D", "complex128"},
      {"p", "int64"},  {"P", "uint64"}};
  if (auto found = single.find(code); found != single.end()) return t::parse(found->second);
  if (code.size() < 2 || code.size() > 4 ||
      !std::all_of(code.begin() + 1, code.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return nullptr;
  int bits = 8 * std::stoi(code.substr(1));
  if (bits < 8) return nullptr;  // 'i0'
  switch (code[0]) {
    case 'i': return bits <= 64 && (bits & (bits - 1)) == 0 ? t::integer_of(bits, true) : nullptr;
    case 'u': return bits <= 64 && (bits & (bits - 1)) == 0 ? t::integer_of(bits, false) : nullptr;
    case 'f': return bits == 32 || bits == 64 ? t::float_of(bits) : nullptr;
    case 'c': return bits == 64 || bits == 128 ? t::complex_of(bits / 2) : nullptr;
    case 'b': return bits == 8 ? t::boolean() : nullptr;
    default: return nullptr;
  }
}
}  // namespace

const t::Type* dtype_argument(const hir::Expr& e) {
  auto by_name = [](std::string name) -> const t::Type* {
    if (name == "float" || name == "double") return t::float64();
    if (name == "int" || name == "int_" || name == "intp") return t::int64();
    if (name == "bool" || name == "bool_") return t::boolean();
    if (name == "complex") return t::complex128();
    if (name.starts_with("<") || name.starts_with("=") || name.starts_with("|")) name = name.substr(1);  // native
    if (const t::Type* coded = by_type_code(name)) return coded;
    if (name.starts_with("M8[") || name.starts_with("m8["))  // 'M8[s]' is 'datetime64[s]'
      name = (name[0] == 'M' ? "datetime64" : "timedelta64") + name.substr(2);
    const t::Type* parsed = t::parse(name);
    return parsed && parsed->is_scalar() ? parsed : nullptr;
  };
  if (e.kind == hir::ExprKind::Global && e.global.kind == hir::GlobalValue::Kind::Builtin) {
    const std::string& n = e.global.name;
    return by_name(n.starts_with("np.") ? n.substr(3) : n);
  }
  if (e.kind == hir::ExprKind::Const && e.constant.kind == hir::Constant::Kind::Str) return by_name(e.constant.str_value);
  return t::dtype_of_value(e.type);  // a.dtype: an opaque "dtype(float64)"
}

std::optional<int64_t> constant_int(const hir::Expr& e) {
  if (e.kind == hir::ExprKind::Const && e.constant.kind == hir::Constant::Kind::Int) return e.constant.int_value;
  if (e.kind == hir::ExprKind::Unary && e.unary_op == hir::UnaryOp::Neg) {
    std::optional<int64_t> v = constant_int(e.operand());
    if (v) return -*v;
  }
  return std::nullopt;
}

namespace {
// Small integer arithmetic on constants, as CPython folds it before it drops
// the code a constant condition rules out (`if False ^ True: return ...`).
std::optional<int64_t> folded_int(hir::BinaryOp op, int64_t a, int64_t b) {
  constexpr int64_t kSmall = int64_t{1} << 31;  // no overflow to think about in +, -, *
  if (a <= -kSmall || a >= kSmall || b <= -kSmall || b >= kSmall) return std::nullopt;
  switch (op) {
    case hir::BinaryOp::Add: return a + b;
    case hir::BinaryOp::Sub: return a - b;
    case hir::BinaryOp::Mul: return a * b;
    case hir::BinaryOp::BitAnd: return a & b;
    case hir::BinaryOp::BitOr: return a | b;
    case hir::BinaryOp::BitXor: return a ^ b;
    default: return std::nullopt;
  }
}
}  // namespace

std::optional<int64_t> type_decided_int(const hir::Expr& e) {
  if (e.kind == hir::ExprKind::Const &&
      (e.constant.kind == hir::Constant::Kind::Int || e.constant.kind == hir::Constant::Kind::Bool))
    return e.constant.int_value;
  if (e.kind == hir::ExprKind::Unary && e.unary_op == hir::UnaryOp::Neg) {
    std::optional<int64_t> v = type_decided_int(e.operand());
    if (v) return -*v;
  }
  if (e.kind == hir::ExprKind::Binary) {
    std::optional<int64_t> a = type_decided_int(e.lhs()), b = type_decided_int(e.rhs());
    return a && b ? folded_int(e.binary_op, *a, *b) : std::nullopt;
  }
  if (hir::is_builtin_call(e, "len") && e.args().size() == 1 && e.args()[0].type &&
      e.args()[0].type->kind == t::TypeKind::Tuple)
    return static_cast<int64_t>(e.args()[0].type->elements.size());  // a tuple's length is its type's
  if (e.kind == hir::ExprKind::Attribute && e.attribute == "ndim") {
    const Type* base = e.value().type;
    if (base->is_array()) return base->ndim;
    if (base->is_scalar()) return 0;
  }
  return std::nullopt;
}

int shape_ndim(const t::Type* type) {
  if (type->is_integer() || type->is_bool()) return 1;
  if (type->kind != t::TypeKind::Tuple) return -1;
  for (const t::Type* e : type->elements)
    if (!e->is_integer()) return -1;
  return static_cast<int>(type->elements.size());
}

}  // namespace numjit::library
