// Numba's unification and arithmetic promotion rules, in one place. Type
// inference calls unify() whenever two values meet in one variable (assignments,
// returns, branches); binary_result() gives the type of `a op b` on scalars.
#pragma once

#include "numjit/types/type.h"

namespace numjit::types {

// The type both `a` and `b` convert to, or nullptr when there is none
// (e.g. an array and a scalar). unknown() unifies with anything.
const Type* unify(const Type* a, const Type* b);
// A list, dict or set still empty of type (`[]`, `{}`, `set()`).
bool untyped_container(const Type* t);
// A list or dict of empty containers of no type yet (`[{} for _ in r]`) meeting one whose items have types.
bool holds_untyped_items(const Type* from, const Type* to);

// The common numeric type of two scalars for arithmetic (+ - * // % **):
// signed ints promote to at least int64, mixed signed/unsigned 64-bit goes to
// float64, float32 with an integer goes to float64, as in Numba.
const Type* promote_numeric(const Type* a, const Type* b);

enum class BinaryOp { Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, BitAnd, BitOr, BitXor, LShift, RShift, MatMul };

// The result type of `a op b` for scalars; nullptr when the operation is not
// defined (e.g. bit operations on floats).
const Type* binary_result(BinaryOp op, const Type* a, const Type* b);

// binary_result with the exponent's constness known: an integer to a negative
// constant power is a float, as Python's 2 ** -2 == 0.25 (Numba truncates it
// to 0). A variable exponent keeps Numba's integer rule.
const Type* binary_result(BinaryOp op, const Type* a, const Type* b, bool b_is_negative_int_constant);

// An optional's payload type (other types unchanged): arithmetic on an
// optional uses its value, checked at run time not to be None.
inline const Type* strip_optional(const Type* t) {
  return t->kind == TypeKind::Optional ? t->elements[0] : t;
}

// The type both operands are converted to before `a op b` is computed: the
// promoted type, except shifts (the left operand's, widened to 64 bits) and
// bit operations on two bools (bool).
const Type* operand_type(BinaryOp op, const Type* a, const Type* b);

// Whether a number stored into a container of `item` numbers converts to the
// item type (as Numba casts): an integer or bool into integers, a real number
// into floats, any number into complex. Other kinds (int to float) widen.
inline bool converts_to_item(const Type* value, const Type* item) {
  if (!value->is_scalar() || !item->is_scalar()) return false;
  if (item->is_complex()) return true;
  if (item->is_float()) return !value->is_complex();
  return item->is_integer() && (value->is_integer() || value->is_bool());
}

}  // namespace numjit::types
