// Typing rules for whole-array operations: NumPy's dtype promotion (which
// keeps int32 + int32 as int32, unlike Numba's scalar rules), scalars that
// yield to an array's dtype when they are of the same or a lower kind (so
// float32_array * 2.0 stays float32, as in NumPy and Numba), and the result
// types of elementwise operators.
#pragma once

#include <vector>

#include "numjit/types/type.h"
#include "numjit/types/unify.h"

namespace numjit::types {

// np.result_type of two dtypes (scalar types); nullptr for non-numbers.
const Type* numpy_promote(const Type* a, const Type* b);

// The element type an operand contributes: an array's dtype, a scalar itself.
const Type* element_type(const Type* t);

// The element types an elementwise operation computes with: scalars whose kind
// (bool < int < float < complex) does not exceed the arrays' highest kind are
// replaced by the arrays' common dtype. nullopt-like empty vector when an
// operand is neither a scalar nor an array. The operands whose bit is set in
// `own_types` (NumPy scalars, np.where's condition, np.ldexp's exponent) keep
// their own element types; the scalars whose bit is set in `strong_scalars`
// (NumPy scalars a ufunc computes with) have a dtype Python numbers yield to,
// as an array's is (NEP 50: np.where(c, 1, np.float32(x)) is float32).
std::vector<const Type*> elementwise_element_types(const std::vector<const Type*>& operands, uint32_t own_types = 0,
                                                   uint32_t strong_scalars = 0);

// The number of dimensions of the broadcast of the operands (0 for scalars).
int broadcast_ndim(const std::vector<const Type*>& operands);

// Whether any operand is an array.
bool any_array(const std::vector<const Type*>& operands);

// np.dot / np.matmul / `a @ b` of 1-D and 2-D arrays: a scalar for two
// vectors, else an array; nullptr when the operands are not such arrays.
const Type* matmul_type(const Type* a, const Type* b);

// `a op b` where either is an array: the result array type, or nullptr when
// the operator is not defined on these dtypes.
const Type* elementwise_binary_type(BinaryOp op, const Type* a, const Type* b, uint32_t own_types = 0);
// The dtype of `a op b` on two element types (already made common by
// elementwise_element_types), and the type its operands are computed in.
const Type* elementwise_binary_dtype(BinaryOp op, const Type* a, const Type* b);
const Type* elementwise_compute_type(BinaryOp op, const Type* a, const Type* b);

}  // namespace numjit::types
