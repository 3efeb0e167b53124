#include "numjit/types/unify.h"

#include "numjit/types/time_typing.h"

#include <algorithm>

namespace numjit::types {
namespace {

// Width in bits of the float part of a float or complex type.
int float_bits(const Type* t) { return t->is_complex() ? t->bits() / 2 : t->bits(); }

const Type* promote_integers(const Type* a, const Type* b) {
  if (a->is_signed() == b->is_signed()) return integer_of(64, a->is_signed());
  const Type* unsigned_one = a->is_signed() ? b : a;
  return unsigned_one->bits() < 64 ? int64() : float64();
}

bool is_container(const Type* t) {
  return t->kind == TypeKind::List || t->kind == TypeKind::Set || t->kind == TypeKind::Dict;
}


// A list or dict whose items are empty containers of no type yet (`{k: {}}`,
// `[[] for _ in r]`) and one whose items have types (`{k: {1: 2.5}}`): the
// items take the types, and the untyped items are retyped where one meets the
// other (FunctionLowering::cast, holds_untyped_items). One level deep only.
const Type* filled_items(const Type* a, const Type* b) {
  if (a->kind == TypeKind::Set) return nullptr;
  const Type* x = a->elements.back();
  const Type* y = b->elements.back();
  if (a->elements[0] != b->elements[0] && a->kind == TypeKind::Dict) return nullptr;  // the keys must agree
  if (x->kind != y->kind || untyped_container(x) == untyped_container(y)) return nullptr;
  const Type* item = untyped_container(x) ? y : x;
  bool typed = a->typed_container || b->typed_container;
  return a->kind == TypeKind::Dict ? dict(a->elements[0], item, typed) : list(item, typed);
}

}  // namespace

const Type* promote_numeric(const Type* a, const Type* b) {
  if (!a->is_scalar() || !b->is_scalar()) return nullptr;
  if (a->is_complex() || b->is_complex()) {
    // complex64 stays single precision only against float32/complex64.
    auto single = [](const Type* t) {
      return (t->is_complex() || t->is_float()) && float_bits(t) == 32;
    };
    return complex_of(single(a) && single(b) ? 32 : 64);
  }
  if (a->is_float() || b->is_float()) {
    if (a->is_float() && b->is_float()) return float_of(std::max(a->bits(), b->bits()));
    return float64();
  }
  // bool and integers: bool behaves as an integer in arithmetic.
  const Type* ia = a->is_bool() ? int64() : a;
  const Type* ib = b->is_bool() ? int64() : b;
  return promote_integers(ia, ib);
}

bool untyped_container(const Type* t) { return is_container(t) && t->elements[0]->kind == TypeKind::Unknown; }

bool holds_untyped_items(const Type* from, const Type* to) {
  if (from->kind != to->kind || (from->kind != TypeKind::List && from->kind != TypeKind::Dict) || from == to) return false;
  const Type* x = from->elements.back();
  const Type* y = to->elements.back();
  return untyped_container(x) && y->kind == x->kind && !untyped_container(y);
}

const Type* unify(const Type* a, const Type* b) {
  if (a == b) return a;
  if (a->kind == TypeKind::Unknown) return b;
  if (b->kind == TypeKind::Unknown) return a;
  // A string constant that may be None is a run-time string that may be None.
  auto payload = [](const Type* t) { return t->kind == TypeKind::StringLiteral ? string() : t; };
  if (a->kind == TypeKind::NoneType) return optional(payload(b));
  if (b->kind == TypeKind::NoneType) return optional(payload(a));
  if (a->kind == TypeKind::Optional || b->kind == TypeKind::Optional) {
    const Type* pa = a->kind == TypeKind::Optional ? a->elements[0] : a;
    const Type* pb = b->kind == TypeKind::Optional ? b->elements[0] : b;
    const Type* p = unify(pa, pb);
    return p ? optional(p) : nullptr;
  }
  if (a->is_time() || b->is_time()) {  // the finer unit of one family; never a number
    if (!a->is_time() || !b->is_time() || a->is_datetime() != b->is_datetime()) return nullptr;
    int unit = meeting_time_unit(a, b);
    return unit < 0 ? nullptr : scalar(abi::time_kind(a->is_datetime(), unit));
  }
  if (a->is_scalar() && b->is_scalar()) {
    if (a->is_bool() && b->is_bool()) return a;
    if (a->is_integer() && b->is_integer() && a->is_signed() == b->is_signed())
      return integer_of(std::max(a->bits(), b->bits()), a->is_signed());
    return promote_numeric(a, b);
  }
  if (a->is_array() && b->is_array()) {
    if (a->scalar != b->scalar || a->ndim != b->ndim) return nullptr;
    Layout layout = a->layout == b->layout ? a->layout : Layout::Any;
    return array(a->scalar, a->ndim, layout, a->readonly || b->readonly);
  }
  // Two different string constants, or a constant and a run-time string, are a run-time string.
  bool a_text = a->kind == TypeKind::StringLiteral || a->kind == TypeKind::String;
  bool b_text = b->kind == TypeKind::StringLiteral || b->kind == TypeKind::String;
  if (a_text && b_text) return string();
  // A list's items keep one type (items are stored inline); only an empty
  // list literal, whose item type is still unknown, takes another list's.
  // Likewise a dict's keys and values, filled in by an empty {}'s first store.
  // A numjit.typed container stays one when an empty plain one meets it.
  if (a->kind == b->kind && (a->kind == TypeKind::List || a->kind == TypeKind::Set || a->kind == TypeKind::Dict)) {
    const Type* filled = a->elements[0]->kind == TypeKind::Unknown   ? b
                         : b->elements[0]->kind == TypeKind::Unknown ? a
                         : a == as_typed_container(b) || b == as_typed_container(a) ? a
                                                                                   : filled_items(a, b);
    if (filled && (a->typed_container || b->typed_container)) filled = as_typed_container(filled);
    return filled;
  }
  // Tuples unify element by element; a namedtuple only with one of its own class.
  if (a->kind == TypeKind::Tuple && b->kind == TypeKind::Tuple &&
      a->elements.size() == b->elements.size() && a->class_key == b->class_key) {
    std::vector<const Type*> elems;
    for (size_t i = 0; i < a->elements.size(); ++i) {
      const Type* e = unify(a->elements[i], b->elements[i]);
      if (!e) return nullptr;
      elems.push_back(e);
    }
    return tuple_like(a, elems);
  }
  return nullptr;
}

const Type* binary_result(BinaryOp op, const Type* a, const Type* b, bool b_is_negative_int_constant) {
  if (op == BinaryOp::Pow && b_is_negative_int_constant && (a->is_integer() || a->is_bool()) && b->is_signed())
    return float64();
  return binary_result(op, a, b);
}

namespace {
// & | ^ on integers: the promoted integer, except int64 with uint64, whose
// promotion (float64) has no bits: Numba computes those as int64, keeping the bits.
const Type* bitwise_operand_type(const Type* a, const Type* b) {
  const Type* t = promote_numeric(a, b);
  return t->is_float() ? int64() : t;
}
}  // namespace

const Type* binary_result(BinaryOp op, const Type* a, const Type* b) {
  if (!a->is_scalar() || !b->is_scalar()) return nullptr;
  if (a->is_time() || b->is_time()) return time_binary_result(op, a, b);
  switch (op) {
    case BinaryOp::BitAnd:
    case BinaryOp::BitOr:
    case BinaryOp::BitXor:
      if (a->is_bool() && b->is_bool()) return boolean();
      if ((!a->is_integer() && !a->is_bool()) || (!b->is_integer() && !b->is_bool())) return nullptr;
      return bitwise_operand_type(a, b);
    case BinaryOp::LShift:
    case BinaryOp::RShift:
      // Numba: the result has the left operand's signedness, at 64 bits.
      if ((!a->is_integer() && !a->is_bool()) || (!b->is_integer() && !b->is_bool())) return nullptr;
      return integer_of(64, a->is_bool() || a->is_signed());
    case BinaryOp::TrueDiv: {
      const Type* t = promote_numeric(a, b);
      if (t->is_integer()) return float64();
      return t;
    }
    case BinaryOp::FloorDiv:
    case BinaryOp::Mod:
      if (a->is_complex() || b->is_complex()) return nullptr;
      return promote_numeric(a, b);
    case BinaryOp::MatMul:
      return nullptr;
    default:
      return promote_numeric(a, b);
  }
}

const Type* operand_type(BinaryOp op, const Type* a, const Type* b) {
  const Type* result = binary_result(op, a, b);
  if (op == BinaryOp::LShift || op == BinaryOp::RShift) return result;
  if (result && result->is_bool()) return result;
  if (result && (op == BinaryOp::BitAnd || op == BinaryOp::BitOr || op == BinaryOp::BitXor)) return result;
  return promote_numeric(a, b);
}


}  // namespace numjit::types
