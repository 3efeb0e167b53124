// np.broadcast_shapes(*shapes) and np.broadcast_arrays(*arrays): the shape
// NumPy's broadcasting gives (runtime/arrays.cpp's broadcast_shapes, which
// raises NumPy's ValueError naming the shapes), and views of each array with
// that shape, stride 0 along the axes it is stretched over. The number of
// dimensions is the largest of the arguments', known while typing.
#include <algorithm>

#include "numjit/codegen/llvm_types.h"
#include "numjit/library/builtins.h"
#include "numjit/library/row_context.h"
#include "numjit/types/array_typing.h"

namespace numjit::library {
namespace {

namespace t = types;

// The number of dimensions of a shape argument (an integer or a tuple of
// them), or -1 when it is not one.
int shape_argument_ndim(const Type* shape) {
  if (shape->is_integer()) return 1;
  if (shape->kind != t::TypeKind::Tuple) return -1;
  for (const Type* e : shape->elements)
    if (!e->is_integer()) return -1;
  return static_cast<int>(shape->elements.size());
}

// Broadcasts the shapes behind `extents` (one vector of int64 extents per
// argument) into a stack array of `ndim` extents; raises ValueError when they
// do not broadcast.
llvm::Value* broadcast_extents(RowContext& f, const std::vector<std::vector<llvm::Value*>>& extents, int ndim) {
  auto& b = f.builder();
  auto count = static_cast<unsigned>(extents.size());
  llvm::Type* out_ty = llvm::ArrayType::get(b.getInt64Ty(), std::max(ndim, 1));
  llvm::Value* out = f.entry_alloca(out_ty, "broadcast.shape");
  if (count == 0) return out;
  llvm::Type* ndims_ty = llvm::ArrayType::get(b.getInt32Ty(), count);
  llvm::Type* shapes_ty = llvm::ArrayType::get(b.getPtrTy(), count);
  llvm::Value* ndims = f.entry_alloca(ndims_ty, "broadcast.ndims");
  llvm::Value* shapes = f.entry_alloca(shapes_ty, "broadcast.shapes");
  for (unsigned k = 0; k < count; ++k) {
    auto n = static_cast<unsigned>(extents[k].size());
    llvm::Type* one_ty = llvm::ArrayType::get(b.getInt64Ty(), std::max(n, 1u));
    llvm::Value* one = f.entry_alloca(one_ty, "broadcast.operand");
    for (unsigned d = 0; d < n; ++d) b.CreateStore(extents[k][d], b.CreateConstGEP2_32(one_ty, one, 0, d));
    b.CreateStore(b.getInt32(n), b.CreateConstGEP2_32(ndims_ty, ndims, 0, k));
    b.CreateStore(one, b.CreateConstGEP2_32(shapes_ty, shapes, 0, k));
  }
  llvm::FunctionCallee broadcast = codegen::runtime_function(f.module(), codegen::RuntimeFunction::broadcast_shapes);
  f.exit_if_failed(b.CreateCall(broadcast, {b.getInt32(count), ndims, shapes, b.getInt32(ndim), out, b.getInt32(0)}));
  return out;
}

llvm::Value* extent_at(RowContext& f, llvm::Value* shape, int ndim, int d) {
  llvm::Type* ty = llvm::ArrayType::get(f.builder().getInt64Ty(), std::max(ndim, 1));
  return f.builder().CreateLoad(f.builder().getInt64Ty(), f.builder().CreateConstGEP2_32(ty, shape, 0, d));
}

Builtin broadcast_shapes() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    int ndim = 0;
    for (const Type* a : c.args) {
      int n = shape_argument_ndim(a);
      if (n < 0) return std::nullopt;
      ndim = std::max(ndim, n);
    }
    return Signature{t::tuple(std::vector<const Type*>(static_cast<size_t>(ndim), t::int64())), c.args};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    std::vector<std::vector<llvm::Value*>> extents;
    for (size_t k = 0; k < args.size(); ++k) {
      const Type* shape = s.params[k];
      std::vector<llvm::Value*> one;
      if (shape->kind != t::TypeKind::Tuple) {
        one.push_back(f.cast(args[k], shape, t::int64()));
      } else {
        for (size_t d = 0; d < shape->elements.size(); ++d)
          one.push_back(f.cast(b.CreateExtractValue(args[k], unsigned(d)), shape->elements[d], t::int64()));
      }
      llvm::Value* negative = b.getFalse();
      for (llvm::Value* n : one) negative = b.CreateOr(negative, b.CreateICmpSLT(n, f.i64(0)));
      f.raise_if(negative, ExceptionKind::ValueError, "negative dimensions are not allowed");
      extents.push_back(std::move(one));
    }
    int ndim = static_cast<int>(s.result->elements.size());
    llvm::Value* shape = broadcast_extents(f, extents, ndim);
    llvm::Value* out = llvm::PoisonValue::get(codegen::value_type(f.context(), s.result));
    for (int d = 0; d < ndim; ++d) out = b.CreateInsertValue(out, extent_at(f, shape, ndim, d), unsigned(d));
    return out;
  };
  return Builtin{"np.broadcast_shapes", typing, lowering};
}

Builtin broadcast_arrays() {
  TypingRule typing = [](const CallSite& c) -> std::optional<Signature> {
    int ndim = 0;
    for (const Type* a : c.args) {
      if (!a->is_array()) return std::nullopt;
      ndim = std::max(ndim, a->ndim);
    }
    // Any layout: even an array of full rank may be stretched along an axis of length 1.
    std::vector<const Type*> views;
    for (const Type* a : c.args) views.push_back(t::array(a->scalar, ndim, t::Layout::Any, a->readonly));
    return Signature{t::tuple(views), c.args};
  };
  LoweringRule lowering = [](RowContext& f, const hir::Expr&, const Signature& s, std::vector<llvm::Value*> args) {
    auto& b = f.builder();
    int ndim = s.result->elements.empty() ? 0 : s.result->elements[0]->ndim;
    std::vector<std::vector<llvm::Value*>> extents;
    for (size_t k = 0; k < args.size(); ++k) {
      std::vector<llvm::Value*> one;
      for (int d = 0; d < s.params[k]->ndim; ++d) one.push_back(f.array_dim(args[k], codegen::kArrayShape, d));
      extents.push_back(std::move(one));
    }
    llvm::Value* shape = broadcast_extents(f, extents, ndim);
    llvm::Value* out = llvm::PoisonValue::get(codegen::value_type(f.context(), s.result));
    for (size_t k = 0; k < args.size(); ++k) {
      const Type* a = s.params[k];
      int offset = ndim - a->ndim;
      llvm::Value* view = llvm::PoisonValue::get(codegen::array_struct(f.context(), ndim));
      for (unsigned field : {codegen::kArrayMeminfo, codegen::kArrayParent, codegen::kArrayData})
        view = b.CreateInsertValue(view, b.CreateExtractValue(args[k], field), field);
      for (int d = 0; d < ndim; ++d) {
        llvm::Value* extent = extent_at(f, shape, ndim, d);
        llvm::Value* stride = f.i64(0);  // a new leading axis
        if (d >= offset) {
          // An axis of length 1 stretched to the broadcast extent reads one element throughout.
          llvm::Value* own = f.array_dim(args[k], codegen::kArrayShape, d - offset);
          stride = b.CreateSelect(b.CreateICmpEQ(own, extent), f.array_dim(args[k], codegen::kArrayStrides, d - offset),
                                  f.i64(0));
        }
        view = b.CreateInsertValue(view, extent, {codegen::kArrayShape, unsigned(d)});
        view = b.CreateInsertValue(view, stride, {codegen::kArrayStrides, unsigned(d)});
      }
      f.incref(view, s.result->elements[k]);
      out = b.CreateInsertValue(out, view, unsigned(k));
    }
    return out;
  };
  return Builtin{"np.broadcast_arrays", typing, lowering};
}

}  // namespace

void register_numpy_broadcast(std::vector<Builtin>& table) {
  table.push_back(broadcast_shapes());
  table.push_back(broadcast_arrays());
}

}  // namespace numjit::library
