// numba.np.unsafe.ndarray.to_fixed_tuple(array, length): the first `length`
// elements of a 1-D array as a tuple, whose length must be known while
// compiling (libraries turn a shape held in an array back into a tuple for
// np.empty or reshape). Numba reads past a short array; here it raises
// IndexError instead, as a safe read would.
#include "numjit/codegen/llvm_types.h"
#include "numjit/library/arguments.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"

namespace numjit::library {
namespace {

namespace t = types;

Builtin to_fixed_tuple() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    auto b = bind(c, {"array", "length"});
    if (!b || !b->has(0) || !b->has(1)) return std::nullopt;
    const Type* array = c.args[b->index[0]];
    if (!array->is_array()) return std::nullopt;
    if (array->ndim != 1)
      typing_error(c.call.span, "to_fixed_tuple() takes a 1-D array; this one has " + std::to_string(array->ndim) +
                                    " dimensions");
    std::optional<int64_t> length = type_decided_int(argument_expr(c.call, b->index[1]));
    if (!length)
      unsupported(argument_expr(c.call, b->index[1]).span,
                  "to_fixed_tuple()'s length must be known while compiling: a number, a global constant, `a.ndim` "
                  "or `len(t)` of a tuple (a tuple's length is part of its type)");
    if (*length < 0 || *length > 1024)
      typing_error(c.call.span, "to_fixed_tuple()'s length must be between 0 and 1024, not " + std::to_string(*length));
    return Signature{t::tuple(std::vector<const Type*>(*length, array->dtype())),
                     {c.args[b->index[0]], c.args[b->index[1]]}};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    const Type* dtype = s.params[0]->dtype();
    size_t length = s.result->elements.size();
    f.raise_if(b.CreateICmpSLT(f.array_dim(args[0], codegen::kArrayShape, 0), f.i64(length)),
               abi::ExceptionKind::IndexError, "to_fixed_tuple(): the array has fewer than " +
                                                   std::to_string(length) + " elements");
    llvm::Value* data = b.CreateExtractValue(args[0], codegen::kArrayData);
    llvm::Value* stride = f.array_dim(args[0], codegen::kArrayStrides, 0);
    llvm::Value* out = llvm::PoisonValue::get(codegen::value_type(f.context(), s.result));
    for (size_t k = 0; k < length; ++k) {
      llvm::Value* at = b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(stride, f.i64(k)));
      out = b.CreateInsertValue(out, f.load_element(at, dtype), unsigned(k));
    }
    return out;
  };
  return Builtin{"numjit.to_fixed_tuple", typing, lowering};
}

}  // namespace

void register_fixed_tuples(std::vector<Builtin>& table) { table.push_back(to_fixed_tuple()); }

}  // namespace numjit::library
