// The library of callable builtins (Python builtins, math, NumPy scalar
// functions). Each row keeps a function's typing rule and its lowering
// together, so adding a function touches one place.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "numjit/hir/hir.h"

namespace llvm {
class Value;
}

namespace numjit::library {

class RowContext;  // library/row_context.h: what a row's lowering may ask of the lowering

using types::Type;

// A resolved call (types/signature.h): arguments are converted to `params`
// before lowering.
using types::Signature;

struct CallSite {
  const hir::Expr& call;
  std::vector<const Type*> args;  // positional argument types
  // The parameter binding the typing rule made (bind() records it), which
  // inference keeps in the Signature for the row's lowering.
  mutable std::vector<int> bound = {};
};

// Returns the signature for these arguments, or std::nullopt when the row does
// not accept them (the caller reports a TypingError naming the types). May
// throw CompileError for a more specific message.
using TypingRule = std::function<std::optional<Signature>(const CallSite&)>;
using LoweringRule =
    std::function<llvm::Value*(RowContext&, const hir::Expr& call, const Signature&,
                               std::vector<llvm::Value*> args)>;

struct Builtin {
  std::string name;  // canonical: "np.arctan", "math.atan", "abs", "range"
  TypingRule type;
  LoweringRule lower;
  bool accepts_keywords = false;
  // A NumPy ufunc: applied to arrays, the row types and lowers one element
  // and the whole-array machinery (lower/lower_elementwise.cpp) does the rest.
  bool elementwise = false;
  // Arguments (bit i for argument i) that keep their own element type and
  // take no part in the elementwise promotion: those that select rather than
  // compute (np.where's condition), or are counts (np.ldexp's exponent).
  uint32_t own_type_arguments = 0;
  // The row evaluates its own arguments (lowering receives no values), so it
  // can fuse an array expression argument into its loop instead of
  // materializing it.
  bool lazy_arguments = false;
  // A ufunc that is an operator (np.add is `+`, np.less `<`, np.negative
  // unary `-`): applied to arrays, inference writes the call as the
  // operator, which fuses with the array expression around it.
  std::optional<hir::BinaryOp> as_binary;
  std::optional<hir::CompareOp> as_compare;
  std::optional<hir::UnaryOp> as_unary;
};

// isinstance(value, cls) decided by types: cls is a class compiled code
// names (int, float, complex, bool, str, tuple, dict, np.ndarray, a NumPy
// scalar type) or a tuple of them; nullopt when it is none of those.
std::optional<bool> isinstance_by_type(const Type* value, const Type* cls);

// Looks up a builtin by canonical name; nullptr when numjit has none.
const Builtin* find(std::string_view name);
// Every row's name, sorted (for the test that Python's name table and the rows agree).
std::vector<std::string> row_names();

// Registration, one function per topic file (library/*.cpp).
void register_math(std::vector<Builtin>& table);
void register_numpy_ufuncs(std::vector<Builtin>& table);
void register_python_builtins(std::vector<Builtin>& table);
void register_numpy_creation(std::vector<Builtin>& table);
void register_numpy_reductions(std::vector<Builtin>& table);
void register_numpy_shapes(std::vector<Builtin>& table);
void register_numpy_views(std::vector<Builtin>& table);
void register_numpy_linalg(std::vector<Builtin>& table);
void register_numpy_sequences(std::vector<Builtin>& table);
void register_lists(std::vector<Builtin>& table);
void register_numpy_search(std::vector<Builtin>& table);
void register_numpy_random(std::vector<Builtin>& table);
void register_numpy_generator(std::vector<Builtin>& table);
void register_numpy_fft(std::vector<Builtin>& table);
void register_numpy_einsum(std::vector<Builtin>& table);
void register_numpy_broadcast(std::vector<Builtin>& table);
void register_c_arrays(std::vector<Builtin>& table);
void register_fixed_tuples(std::vector<Builtin>& table);
void register_numpy_buffers(std::vector<Builtin>& table);
void register_numpy_limits(std::vector<Builtin>& table);
void register_numpy_datetime(std::vector<Builtin>& table);
void register_cuda_atomics(std::vector<Builtin>& table);
void register_python_random(std::vector<Builtin>& table);
void register_python_cmath(std::vector<Builtin>& table);
void register_numpy_rearrange(std::vector<Builtin>& table);
void register_lapack(std::vector<Builtin>& table);
void register_dicts(std::vector<Builtin>& table);
void register_sets(std::vector<Builtin>& table);
void register_strings(std::vector<Builtin>& table);

}  // namespace numjit::library
