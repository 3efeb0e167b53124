#include "numjit/types/array_typing.h"

#include "numjit/types/time_typing.h"

#include <algorithm>

namespace numjit::types {
namespace {

// NumPy's kinds in promotion order.
int kind_rank(const Type* t) {
  if (t->is_bool()) return 0;
  if (t->is_integer()) return 1;
  if (t->is_float()) return 2;
  return 3;
}

// The smallest float width that holds every value of an integer type exactly
// enough for NumPy: up to 16-bit integers fit float32, wider ones need float64.
int float_bits_for(const Type* t) {
  if (t->is_bool()) return 32;
  if (t->is_integer()) return t->bits() <= 16 ? 32 : 64;
  if (t->is_complex()) return t->bits() / 2;
  return t->bits();
}

}  // namespace

const Type* numpy_promote(const Type* a, const Type* b) {
  if (!a->is_scalar() || !b->is_scalar()) return nullptr;
  if (a == b) return a;
  if (a->is_time() || b->is_time()) return unify(a, b);  // one family's finer unit, never a number
  if (a->is_bool()) return b;
  if (b->is_bool()) return a;
  if (a->is_integer() && b->is_integer()) {
    if (a->is_signed() == b->is_signed()) return integer_of(std::max(a->bits(), b->bits()), a->is_signed());
    const Type* s = a->is_signed() ? a : b;
    const Type* u = a->is_signed() ? b : a;
    if (s->bits() > u->bits()) return s;
    if (u->bits() == 64) return float64();
    return integer_of(2 * u->bits(), true);
  }
  int bits = std::max(float_bits_for(a), float_bits_for(b));
  if (a->is_complex() || b->is_complex()) return complex_of(bits);
  return float_of(bits);
}

const Type* element_type(const Type* t) { return t->is_array() ? t->dtype() : t; }

bool any_array(const std::vector<const Type*>& operands) {
  return std::any_of(operands.begin(), operands.end(), [](const Type* t) { return t->is_array(); });
}

int broadcast_ndim(const std::vector<const Type*>& operands) {
  int nd = 0;
  for (const Type* t : operands)
    if (t->is_array()) nd = std::max(nd, t->ndim);
  return nd;
}

std::vector<const Type*> elementwise_element_types(const std::vector<const Type*>& operands, uint32_t own_types,
                                                   uint32_t strong_scalars) {
  auto own = [own_types](size_t i) { return i < 32 && (own_types >> i) & 1u; };
  auto strong = [strong_scalars](size_t i) { return i < 32 && (strong_scalars >> i) & 1u; };
  // Datetimes and timedeltas keep every operand's own type: their rules
  // (time_typing.h) tell a count (an integer) from a time.
  if (std::any_of(operands.begin(), operands.end(), [](const Type* t) { return element_type(t)->is_time(); })) {
    std::vector<const Type*> own_elements;
    for (const Type* t : operands) {
      if (!t->is_array() && !t->is_scalar()) return {};
      own_elements.push_back(element_type(t));
    }
    return own_elements;
  }
  const Type* array_dtype = nullptr;
  for (size_t i = 0; i < operands.size(); ++i) {
    const Type* t = operands[i];
    if (!t->is_array() && !t->is_scalar()) return {};
    // The arrays' dtypes, and NumPy scalars' (kept as their own): Python numbers yield to them (NEP 50).
    if ((t->is_array() && !own(i)) || (t->is_scalar() && strong(i)))
      array_dtype = array_dtype ? numpy_promote(array_dtype, element_type(t)) : element_type(t);
  }
  std::vector<const Type*> out;
  for (size_t i = 0; i < operands.size(); ++i) {
    const Type* t = operands[i];
    if (!t->is_array() && !own(i) && array_dtype && t->is_complex() && t->bits() == 128 &&
        array_dtype->is_float() && array_dtype->bits() < 64) {
      out.push_back(complex_of(array_dtype->bits()));  // 2j * float32_array is complex64 in NumPy 2
    } else if (t->is_array() || own(i) || !array_dtype || kind_rank(t) > kind_rank(array_dtype)) {
      out.push_back(element_type(t));
    } else {
      out.push_back(array_dtype);
    }
  }
  return out;
}

const Type* elementwise_compute_type(BinaryOp op, const Type* a, const Type* b) {
  const Type* common = numpy_promote(a, b);
  if (!common) return nullptr;
  // Shifts and bit operations need integers (or bools for & | ^).
  bool bitwise = op == BinaryOp::BitAnd || op == BinaryOp::BitOr || op == BinaryOp::BitXor;
  bool shift = op == BinaryOp::LShift || op == BinaryOp::RShift;
  if ((bitwise || shift) && (common->is_float() || common->is_complex())) return nullptr;
  if (shift && common->is_bool()) return int64();
  if ((op == BinaryOp::FloorDiv || op == BinaryOp::Mod) && common->is_complex()) return nullptr;
  if (op == BinaryOp::MatMul) return nullptr;
  // Arithmetic on bools runs on integers; the result converts back (True + True is True).
  if (common->is_bool() && !bitwise) return int64();
  return common;
}

const Type* elementwise_binary_dtype(BinaryOp op, const Type* a, const Type* b) {
  if (a->is_time() || b->is_time()) return time_binary_result(op, a, b);
  const Type* compute = elementwise_compute_type(op, a, b);
  if (!compute) return nullptr;
  const Type* common = numpy_promote(a, b);
  if (op == BinaryOp::TrueDiv) return compute->is_integer() ? float64() : compute;
  if (common->is_bool() && op == BinaryOp::Sub) return nullptr;  // NumPy: boolean subtract is an error
  if (common->is_bool() && (op == BinaryOp::Add || op == BinaryOp::Mul)) return boolean();
  // NumPy has no bool loop for these: the first integer loop, int8, takes two bools.
  if (common->is_bool() && (op == BinaryOp::Pow || op == BinaryOp::FloorDiv || op == BinaryOp::Mod ||
                            op == BinaryOp::LShift || op == BinaryOp::RShift))
    return integer_of(8, true);
  return compute;
}

const Type* matmul_type(const Type* a, const Type* b) {
  if (!a->is_array() || !b->is_array() || a->ndim < 1 || a->ndim > 2 || b->ndim < 1 || b->ndim > 2) return nullptr;
  const Type* dtype = numpy_promote(a->dtype(), b->dtype());
  if (dtype->is_bool()) dtype = boolean();
  int ndim = (a->ndim == 2) + (b->ndim == 2);
  return ndim == 0 ? dtype : array(dtype->scalar, ndim, Layout::C);
}

const Type* elementwise_binary_type(BinaryOp op, const Type* a, const Type* b, uint32_t own_types) {
  if (op == BinaryOp::MatMul) return matmul_type(a, b);
  std::vector<const Type*> elems = elementwise_element_types({a, b}, own_types);
  if (elems.empty()) return nullptr;
  const Type* dtype = elementwise_binary_dtype(op, elems[0], elems[1]);
  if (!dtype) return nullptr;
  return array(dtype->scalar, broadcast_ndim({a, b}), Layout::C);
}

}  // namespace numjit::types
