// The checks before an element-wise loop, emitted inline: the broadcast
// shape of its operands, and whether an assignment's target overlaps one.
// Both run once per loop, and loops over short rows are common
// (`grad += (p - y[i]) * X[i]` for each i): as runtime calls they spilled
// every header to the stack and cost more than 16 elements' work. The
// mismatch that raises goes through the runtime, which writes NumPy's message.
#include <llvm/IR/MDBuilder.h>

#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/function_lowering.h"

namespace numjit::lower {

llvm::Value* FunctionLowering::broadcast_shape(const std::vector<Operand>& ops, int ndim, llvm::Value* fixed_shape) {
  auto& b = builder_;
  std::vector<const Operand*> arrays;
  for (const Operand& op : ops)
    if (op.type->is_array()) arrays.push_back(&op);
  llvm::Type* shape_ty = llvm::ArrayType::get(b.getInt64Ty(), std::max(ndim, 1));
  llvm::Value* out = fixed_shape ? fixed_shape : entry_alloca(shape_ty, "broadcast.shape");
  if (arrays.empty()) return out;  // only scalars (a 0-d result)
  // NumPy's rule, axis by axis from the last: an operand's extent equals the
  // shape's or is 1; without a fixed shape, a 1 so far takes the extent.
  std::vector<llvm::Value*> extent(static_cast<size_t>(ndim));
  for (int d = 0; d < ndim; ++d)
    extent[d] = fixed_shape ? static_cast<llvm::Value*>(
                                  b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP2_32(shape_ty, fixed_shape, 0, d)))
                            : b.getInt64(1);
  llvm::Value* mismatch = b.getFalse();
  for (const Operand* op : arrays) {
    int offset = ndim - op->type->ndim;
    for (int d = 0; d < op->type->ndim; ++d) {
      if (offset + d < 0) {  // more axes than the shape: only the runtime's message fits
        mismatch = b.getTrue();
        continue;
      }
      llvm::Value* n = array_dim(op->value, kArrayShape, static_cast<unsigned>(d));
      llvm::Value*& into = extent[offset + d];
      llvm::Value* fits = b.CreateOr(b.CreateICmpEQ(n, into), b.CreateICmpEQ(n, b.getInt64(1)));
      if (fixed_shape) {
        mismatch = b.CreateOr(mismatch, b.CreateNot(fits));
        continue;
      }
      llvm::Value* grows = b.CreateICmpEQ(into, b.getInt64(1));
      mismatch = b.CreateOr(mismatch, b.CreateNot(b.CreateOr(fits, grows)));
      into = b.CreateSelect(fits, into, n);
    }
  }
  if (!fixed_shape)
    for (int d = 0; d < ndim; ++d) b.CreateStore(extent[d], b.CreateConstGEP2_32(shape_ty, out, 0, d));
  llvm::BasicBlock* fails = new_block("broadcast.fails");
  llvm::BasicBlock* fits = new_block("broadcast.fits");
  b.CreateCondBr(mismatch, fails, fits, llvm::MDBuilder(context()).createUnlikelyBranchWeights());
  b.SetInsertPoint(fails);
  auto n = static_cast<unsigned>(arrays.size());
  llvm::Value* ndims = entry_alloca(llvm::ArrayType::get(b.getInt32Ty(), n), "operand.ndims");
  llvm::Value* shapes = entry_alloca(llvm::ArrayType::get(b.getPtrTy(), n), "operand.shapes");
  for (unsigned k = 0; k < n; ++k) {
    const Operand& op = *arrays[k];
    llvm::Value* header = spill(op.value);
    b.CreateStore(b.getInt32(op.type->ndim), b.CreateConstGEP2_32(llvm::ArrayType::get(b.getInt32Ty(), n), ndims, 0, k));
    b.CreateStore(b.CreateStructGEP(array_struct(context(), op.type->ndim), header, kArrayShape),
                  b.CreateConstGEP2_32(llvm::ArrayType::get(b.getPtrTy(), n), shapes, 0, k));
  }
  // The runtime finds the mismatch again, raises NumPy's ValueError with the
  // shapes, and fails; where it somehow did not, its shape is the one kept.
  llvm::FunctionCallee f = runtime_function(module(), RuntimeFunction::broadcast_shapes);
  exit_if_failed(b.CreateCall(f, {b.getInt32(n), ndims, shapes, b.getInt32(ndim), out, b.getInt32(fixed_shape ? 1 : 0)}));
  b.CreateBr(fits);
  b.SetInsertPoint(fits);
  return out;
}

namespace {

// The bytes an array's elements span, [low, high), and whether it has none.
struct ByteSpan {
  llvm::Value *low, *high, *empty;
};

}  // namespace

llvm::Value* FunctionLowering::arrays_overlap(llvm::Value* a, const Type* a_type, llvm::Value* o, const Type* o_type) {
  auto& b = builder_;
  auto span = [&](llvm::Value* array, const Type* t) {
    llvm::Value* start = b.CreatePtrToInt(b.CreateExtractValue(array, kArrayData), b.getInt64Ty());
    llvm::Value* low = start;
    llvm::Value* high = b.CreateAdd(start, b.getInt64(itemsize(t->dtype())));
    llvm::Value* empty = b.getFalse();
    for (int d = 0; d < t->ndim; ++d) {
      llvm::Value* n = array_dim(array, kArrayShape, static_cast<unsigned>(d));
      llvm::Value* reach = b.CreateMul(b.CreateSub(n, b.getInt64(1)), array_dim(array, kArrayStrides, static_cast<unsigned>(d)));
      empty = b.CreateOr(empty, b.CreateICmpEQ(n, b.getInt64(0)));
      llvm::Value* backwards = b.CreateICmpSLT(reach, b.getInt64(0));
      low = b.CreateAdd(low, b.CreateSelect(backwards, reach, b.getInt64(0)));
      high = b.CreateAdd(high, b.CreateSelect(backwards, b.getInt64(0), reach));
    }
    return ByteSpan{low, high, empty};
  };
  ByteSpan x = span(a, a_type), y = span(o, o_type);
  llvm::Value* apart = b.CreateOr(b.CreateICmpULE(x.high, y.low), b.CreateICmpULE(y.high, x.low));
  llvm::Value* overlap = b.CreateNot(b.CreateOr(b.CreateOr(x.empty, y.empty), apart));
  // The very same view, read and written element by element, is safe (a[:] = a * 2).
  if (a_type->ndim == o_type->ndim && itemsize(a_type->dtype()) == itemsize(o_type->dtype())) {
    llvm::Value* same = b.CreateICmpEQ(b.CreateExtractValue(a, kArrayData), b.CreateExtractValue(o, kArrayData));
    for (int d = 0; d < a_type->ndim; ++d)
      for (unsigned field : {kArrayShape, kArrayStrides})
        same = b.CreateAnd(same, b.CreateICmpEQ(array_dim(a, field, static_cast<unsigned>(d)),
                                                array_dim(o, field, static_cast<unsigned>(d))));
    overlap = b.CreateAnd(overlap, b.CreateNot(same));
  }
  return overlap;
}

}  // namespace numjit::lower
