// numjit.carray(ptr, shape[, dtype]) and farray: an array over memory a @cfunc
// received as a C pointer (CPointer(float64), or a voidptr with the dtype
// given), C or Fortran ordered. The array borrows the memory (no MemInfo):
// its owner is the C caller, as in Numba.
#include "numjit/codegen/llvm_types.h"
#include "numjit/library/arguments.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"

namespace numjit::library {
namespace {

namespace t = types;

Builtin c_array(const char* name, t::Layout layout) {
  TypingRule typing = [layout](const CallSite& c) -> std::optional<Signature> {
    if (c.args.size() < 2 || c.args.size() > 3 || c.args[0]->kind != t::TypeKind::Pointer) return std::nullopt;
    const Type* element = c.args[0]->elements[0];
    if (c.args.size() == 3) {
      const Type* dtype = dtype_argument(argument_expr(c.call, 2));
      if (!dtype) return std::nullopt;
      if (element->kind != t::TypeKind::NoneType && element != dtype)
        typing_error(c.call.span, "the dtype given (" + dtype->name + ") is not the pointer's (" + element->name + ")");
      element = dtype;
    }
    if (element->kind == t::TypeKind::NoneType)
      typing_error(c.call.span, "an array over a voidptr needs its dtype: carray(p, shape, np.float64)");
    int ndim = shape_ndim(c.args[1]);
    if (ndim < 0) return std::nullopt;
    std::vector<const Type*> params = c.args;
    params.resize(2);
    return Signature{t::array(element->scalar, ndim, layout), params};
  };
  LoweringRule lowering = [layout](RowContext& f, const hir::Expr&, const Signature& s,
                                   std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    const Type* shape = s.params[1];
    int ndim = s.result->ndim;
    std::vector<llvm::Value*> extents;
    for (int d = 0; d < ndim; ++d)
      extents.push_back(shape->kind == t::TypeKind::Tuple
                            ? f.cast(b.CreateExtractValue(args[1], unsigned(d)), shape->elements[d], t::int64())
                            : f.cast(args[1], shape, t::int64()));
    llvm::Value* out = llvm::PoisonValue::get(codegen::array_struct(f.context(), ndim));
    auto* null = llvm::ConstantPointerNull::get(b.getPtrTy());
    out = b.CreateInsertValue(out, null, codegen::kArrayMeminfo);  // borrowed: the C caller owns the memory
    out = b.CreateInsertValue(out, null, codegen::kArrayParent);
    out = b.CreateInsertValue(out, args[0], codegen::kArrayData);
    llvm::Value* stride = f.i64(codegen::itemsize(s.result->dtype()));
    for (int k = 0; k < ndim; ++k) {
      int d = layout == t::Layout::F ? k : ndim - 1 - k;  // innermost axis first
      out = b.CreateInsertValue(out, extents[d], {codegen::kArrayShape, unsigned(d)});
      out = b.CreateInsertValue(out, stride, {codegen::kArrayStrides, unsigned(d)});
      stride = b.CreateMul(stride, extents[d]);
    }
    return out;
  };
  return Builtin{name, typing, lowering};
}

}  // namespace

void register_c_arrays(std::vector<Builtin>& table) {
  table.push_back(c_array("numjit.carray", t::Layout::C));
  table.push_back(c_array("numjit.farray", t::Layout::F));
}

}  // namespace numjit::library
