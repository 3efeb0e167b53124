// Attributes of np.finfo(...) and np.iinfo(...) (library/numpy_limits.cpp):
// each is a constant of the dtype, known while typing, so the attribute
// expression becomes that constant, typed as NumPy types it (finfo's floats
// in the float type itself, iinfo's bounds as Python ints).
#include <cmath>
#include <limits>

#include "numjit/types/inferrer.h"

namespace numjit::types {

namespace {

template <typename T>
struct FloatFacts {
  static double value(const std::string& a, bool& found) {
    using L = std::numeric_limits<T>;
    found = true;
    if (a == "eps") return L::epsilon();
    if (a == "epsneg") return L::epsilon() / 2;
    if (a == "max") return L::max();
    if (a == "min") return L::lowest();
    if (a == "tiny" || a == "smallest_normal") return L::min();
    if (a == "smallest_subnormal") return L::denorm_min();
    if (a == "resolution") return static_cast<T>(std::pow(10.0, -L::digits10));
    found = false;
    return 0;
  }
  static int64_t integer(const std::string& a, bool& found) {
    using L = std::numeric_limits<T>;
    found = true;
    if (a == "precision") return L::digits10;
    if (a == "bits") return 8 * sizeof(T);
    if (a == "maxexp") return L::max_exponent;
    if (a == "minexp") return L::min_exponent - 1;
    if (a == "nmant") return L::digits - 1;
    if (a == "nexp" || a == "iexp") return sizeof(T) == 4 ? 8 : 11;
    if (a == "machep") return 1 - L::digits;
    if (a == "negep") return -L::digits;
    found = false;
    return 0;
  }
};

hir::ExprPtr constant_expr(const SourceSpan& span, hir::Constant::Kind kind) {
  auto c = std::make_unique<Expr>(ExprKind::Const, span);
  c->constant.kind = kind;
  return c;
}

}  // namespace

const Type* Inferrer::limits_attribute(Expr& e, const Type* base) {
  const std::string& a = e.attribute;
  bool floats = base->name.starts_with("finfo(");
  const Type* dtype = parse(base->name.substr(6, base->name.size() - 7));
  if (a == "dtype") return set(e, dtype_value(dtype));
  if (floats) {
    bool found = false;
    bool single = dtype->bits() == 32;
    double v = single ? FloatFacts<float>::value(a, found) : FloatFacts<double>::value(a, found);
    if (found) {
      hir::ExprPtr c = constant_expr(e.span, hir::Constant::Kind::Float);
      c->constant.float_value = v;
      e = std::move(*c);
      return set(e, dtype);
    }
    int64_t n = single ? FloatFacts<float>::integer(a, found) : FloatFacts<double>::integer(a, found);
    if (found) {
      hir::ExprPtr c = constant_expr(e.span, hir::Constant::Kind::Int);
      c->constant.int_value = n;
      e = std::move(*c);
      return set(e, int64());
    }
    typing_error(e.span, "np.finfo has no attribute '" + a + "' in compiled code (eps, epsneg, max, min, tiny, "
                         "smallest_normal, smallest_subnormal, resolution, precision, bits, maxexp, minexp, nmant, "
                         "nexp, iexp, machep, negep, dtype)");
  }
  int bits = dtype->bits();
  bool is_signed = dtype->is_signed();
  hir::ExprPtr c = constant_expr(e.span, hir::Constant::Kind::Int);
  const Type* t = int64();
  if (a == "bits") {
    c->constant.int_value = bits;
  } else if (a == "min") {
    c->constant.int_value = is_signed ? (bits == 64 ? std::numeric_limits<int64_t>::min() : -(int64_t(1) << (bits - 1))) : 0;
  } else if (a == "max") {
    if (!is_signed && bits == 64) {
      c->constant.int_value = -1;  // all ones: 2**64 - 1 as uint64
      t = uint64();
    } else {
      c->constant.int_value = is_signed ? (bits == 64 ? std::numeric_limits<int64_t>::max() : (int64_t(1) << (bits - 1)) - 1)
                                        : (int64_t(1) << bits) - 1;
    }
  } else {
    typing_error(e.span, "np.iinfo has no attribute '" + a + "' in compiled code (min, max, bits, dtype)");
  }
  e = std::move(*c);
  return set(e, t);
}

}  // namespace numjit::types
