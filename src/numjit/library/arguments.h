// Helpers for library rows that take NumPy-style arguments: matching
// positional and keyword arguments to parameter names, reading a dtype
// argument (np.float32, 'float32', float, a.dtype), shapes (an int or a tuple
// of ints) and constant integers (axis=).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "numjit/library/builtins.h"

namespace numjit::library {

// Which argument fills each parameter: indices into CallSite::args (and into
// the values a row's lowering receives), -1 when not given.
struct BoundArguments {
  std::vector<int> index;
  bool has(size_t param) const { return index[param] >= 0; }
};
// The binding the row's typing rule made for this call (Signature::bound).
inline BoundArguments bound_arguments(const Signature& s) {
  if (s.bound.empty()) internal_error("a library row's lowering needs the argument binding its typing made");
  return BoundArguments{s.bound};
}

// Matches the call's arguments to `params` (positional first, then keywords by
// name); nullopt when there are too many or an unknown keyword. Methods pass
// their object as args[0]: it fills params[0].
std::optional<BoundArguments> bind(const CallSite& c, std::initializer_list<const char*> params);

// The expression that produced argument `i` of a call (args numbering: the
// object of a method call first).
const hir::Expr& argument_expr(const hir::Expr& call, size_t i);
// How many arguments a call passes, the object of a method call included.
size_t argument_count(const hir::Expr& call);

// The dtype an argument names, or nullptr when it names none.
const types::Type* dtype_argument(const hir::Expr& e);

// A compile-time integer argument (axis=1, axis=-1), or nullopt.
std::optional<int64_t> constant_int(const hir::Expr& e);

// An integer the types decide while compiling: a constant, `a.ndim`,
// `len(t)` of a tuple, and small sums, differences and products of those.
std::optional<int64_t> type_decided_int(const hir::Expr& e);

// A shape argument's number of dimensions: an integer is 1-D, a tuple of
// integers has one dimension per element; -1 when it is not a shape.
int shape_ndim(const types::Type* t);

}  // namespace numjit::library
