// Type inference: gives every local, expression and the return value of a HIR
// function a type, with Numba's unification (`s = 0; s += 0.5` makes s
// float64). Flow-insensitive per variable; iterates to a fixed point.
#pragma once

#include <optional>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::types {

// Provides typed specializations of other jitted functions (and of the
// function being inferred, for recursion: then its return type may still be
// unknown, and inference iterates).
class CalleeResolver {
 public:
  virtual ~CalleeResolver() = default;
  virtual hir::Function* specialize(void* dispatcher, const std::vector<const Type*>& args,
                                    const SourceSpan& call_span) = 0;
  // The callee as read, before typing: parameter names and default values for
  // binding keyword arguments.
  virtual const hir::Function& declaration(void* dispatcher) = 0;
  // See FunctionReader::library_fallback.
  virtual void* library_fallback(const std::string&) { return nullptr; }
  // See FunctionReader::bind_functions.
  virtual void* bind_functions(void* dispatcher, const std::vector<size_t>&, const std::vector<void*>&) {
    return dispatcher;
  }
  // See FunctionReader::select_overload.
  virtual void* select_overload(void* dispatcher, const std::vector<const Type*>&, const std::vector<std::string>&) {
    return dispatcher;
  }
};

// Infers types in place. Throws CompileError (TypingError/UnsupportedError) at
// the offending span.
void infer(hir::Function& fn, CalleeResolver& resolver);

// The result of indexing `array` with `indices` (types/indexing.cpp): a view
// for ints, slices and None, the element type when every dimension gets an
// integer, a new array for a boolean mask or an integer index array.
const Type* index_result(const Type* array, const std::vector<const hir::Expr*>& indices,
                         const SourceSpan& span);
// The type a Tuple expression builds from elements of these types: a
// namedtuple when the expression carries that class (its `global`).
const Type* tuple_of_expression(const hir::Expr& tuple_expr, const std::vector<const Type*>& elements);
// The type of a constant expression (a default parameter value).
const Type* constant_type(const hir::Expr& e);
// Replaces an Ellipsis index by the full slices it stands for.
void expand_ellipsis(hir::Expr& subscript, int ndim);
bool is_ellipsis(const hir::Expr& e);

// The positions a slice with constant (or absent) bounds takes from a tuple
// of `length` elements, as Python's slice.indices; nullopt when a bound is
// not a constant integer or the step is 0.
std::optional<std::vector<int64_t>> constant_slice_positions(const hir::Expr& slice, int64_t length);
// Whether a tuple holds only numbers (and tuples of numbers): the tuples
// slicing, `+` and comparisons take.
bool is_tuple_of_numbers(const Type* t);

// Conditions types decide (types/static_conditions.cpp): `x is None` for a
// value that is or is never None, comparisons of constants, array ranks
// (a.ndim) and tuple lengths (len(t)), dtypes (a.dtype == np.float64, a.dtype != b.dtype)
// and string constants, np.iscomplexobj, and not/and/or of those.
std::optional<bool> static_condition(const hir::Expr& e);
// `x == y` or `x != y` where both sides name a dtype (a.dtype, np.float32,
// 'int64', float): its value, which the types decide.
std::optional<bool> dtype_comparison(const hir::Expr& e);
// Whether a block always ends in return/raise (static conditions considered).
bool ends_in_return(const hir::Block& b);
// An `if` decided by types whose live branch returns or raises.
bool ends_statically(const hir::Stmt& s);
bool has_return(const hir::Block& b);
// Removes the branches static conditions rule out, after inference.
void prune(hir::Block& b);

// Call binding (types/call_binding.cpp): f(a, b, c) for `def f(x, *rest)`
// passes (a, (b, c)); keyword arguments go to their parameters' positions.
void pack_varargs(hir::Expr& e, std::vector<const Type*>& args, const hir::Function& callee);
void bind_keywords(hir::Expr& e, std::vector<const Type*>& args, const hir::Function& callee);
// a[rows, cols]: integer index arrays (1-D) and integers, at least one array.
bool is_pointwise_index(const std::vector<const hir::Expr*>& indices);

}  // namespace numjit::types
