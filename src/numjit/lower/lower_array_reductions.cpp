// Array reductions of prange loops, as Numba has them: `acc += a[i]` (or
// `acc = acc + a[i]`, `acc *= ...`, `acc |= ...`) with `acc` an array.
//
// - Each chunk starts its own array of the variable's shape and dtype, full of
//   the reduction's identity, and folds its iterations into it; the chunk
//   hands it over in its slot (chunk k, slot k). After the region the function
//   folds the slots into the variable element by element, in chunk order, so
//   the bits do not depend on which thread ran which chunk (as for scalars).
// - `acc += e` updates the array bound before the loop, in place, as Python
//   does; `acc = acc + e` binds a new array and leaves that one as it was.
// - A private array per chunk is memory: with array reductions the chunks
//   are whole units of iterations, at most kUnitsPerThread per thread, one
//   where the arrays are large (Numba's footprint, one per thread).
// - A bool array sums as NumPy's in-place `+` does, by logical or.
#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/function_lowering.h"
#include "numjit/lower/parallel_context.h"

namespace numjit::lower {

using passes::ReductionKind;

namespace {

bool is_array_reduction(const ParallelContext& ctx, size_t k) { return ctx.origin_fields[k] != 0; }

// Sums, and or and xor start from zeros: the allocator's zero fill.
bool identity_is_zero(ReductionKind kind) {
  return kind == ReductionKind::Sum || kind == ReductionKind::BitOr || kind == ReductionKind::BitXor;
}

}  // namespace

void FunctionLowering::add_array_reduction_fields(ParallelContext& ctx, std::vector<llvm::Type*>& fields) {
  for (const passes::Reduction& red : ctx.plan.reductions) {
    const Type* t = fn_.locals[red.local].type;
    bool array = t->is_array();
    ctx.origin_fields.push_back(array ? static_cast<unsigned>(fields.size()) : 0);
    if (array) fields.push_back(value_type(context(), t));
    ctx.has_array_reductions = ctx.has_array_reductions || array;
  }
}

llvm::Value* FunctionLowering::store_array_reduction_fields(const ParallelContext& ctx, llvm::Value* env,
                                                            llvm::Value* count, llvm::Value* nthreads) {
  auto& b = builder_;
  if (!ctx.has_array_reductions) return nullptr;
  llvm::Value* runs = b.CreateICmpSGT(count, b.getInt64(0));
  llvm::Value* bytes = b.getInt64(0);
  for (size_t k = 0; k < ctx.plan.reductions.size(); ++k) {
    if (!is_array_reduction(ctx, k)) continue;
    int local = ctx.plan.reductions[k].local;
    const Type* t = fn_.locals[local].type;
    // Python reads the variable at the first update: a loop that runs no
    // iteration never does.
    if (assigned_flags_[local])
      raise_if(b.CreateAnd(runs, b.CreateNot(b.CreateLoad(b.getInt1Ty(), assigned_flags_[local]))),
               ExceptionKind::UnboundLocalError,
               "cannot access local variable '" + fn_.locals[local].name + "' where it is not associated with a value");
    // Borrowed: the variable keeps its reference while the chunks read it.
    llvm::Value* origin = b.CreateLoad(value_type(context(), t), locals_[local]);
    b.CreateStore(origin, b.CreateStructGEP(ctx.type, env, ctx.origin_fields[k]));
    llvm::Value* size = b.getInt64(itemsize(t->dtype()));
    for (int d = 0; d < t->ndim; ++d) size = b.CreateMul(size, array_dim(origin, kArrayShape, static_cast<unsigned>(d)));
    bytes = b.CreateAdd(bytes, size);
  }
  llvm::Value* per_thread =
      b.CreateSelect(b.CreateICmpSGT(bytes, b.getInt64(kLargeAccumulatorBytes)), b.getInt64(1), b.getInt64(kUnitsPerThread));
  llvm::Value* units = b.CreateMul(b.CreateSExt(nthreads, b.getInt64Ty()), per_thread);
  // ceil(count / units), at least 1
  llvm::Value* unit = b.CreateSDiv(b.CreateAdd(count, b.CreateSub(units, b.getInt64(1))), units);
  return b.CreateSelect(b.CreateICmpSGT(unit, b.getInt64(1)), unit, b.getInt64(1));
}

void FunctionLowering::start_array_reduction(const ParallelContext& ctx, llvm::Value* env, size_t k) {
  auto& b = builder_;
  const passes::Reduction& red = ctx.plan.reductions[k];
  const Type* t = fn_.locals[red.local].type;
  llvm::Value* origin = b.CreateLoad(value_type(context(), t), b.CreateStructGEP(ctx.type, env, ctx.origin_fields[k]));
  std::vector<llvm::Value*> shape;
  for (int d = 0; d < t->ndim; ++d) shape.push_back(array_dim(origin, kArrayShape, static_cast<unsigned>(d)));
  llvm::Value* own = own_temporary(allocate_array(t, shape, identity_is_zero(red.kind)), t);
  if (!identity_is_zero(red.kind)) {
    const Type* dtype = t->dtype();
    llvm::Value* identity = reduction_identity(*this, red.kind, dtype);
    std::vector<Operand> ops{{nullptr, t, own, nullptr}};
    elementwise_loop(ops, t->ndim, shape_slot(own, t), [&] { store_element(ops[0].element, identity, dtype); });
  }
  store_local(red.local, own);
}

void FunctionLowering::hand_over_array_partial(const ParallelContext& ctx, llvm::Value* env, size_t k,
                                               llvm::Value* slot) {
  auto& b = builder_;
  const passes::Reduction& red = ctx.plan.reductions[k];
  const Type* t = fn_.locals[red.local].type;
  llvm::Type* ty = value_type(context(), t);
  llvm::Value* partial = b.CreateLoad(ty, locals_[red.local]);
  if (red.rebinds) {
    // `acc = acc + e` may broadcast acc to a larger shape; the chunks' arrays
    // fold only into the shape the variable had.
    llvm::Value* origin = b.CreateLoad(ty, b.CreateStructGEP(ctx.type, env, ctx.origin_fields[k]));
    llvm::Value* differs = b.getFalse();
    for (int d = 0; d < t->ndim; ++d)
      differs = b.CreateOr(differs, b.CreateICmpNE(array_dim(partial, kArrayShape, static_cast<unsigned>(d)),
                                                   array_dim(origin, kArrayShape, static_cast<unsigned>(d))));
    raise_if(differs, ExceptionKind::ValueError,
             "the prange reduction on array '" + fn_.locals[red.local].name +
                 "' changed its shape: a reduction keeps the shape the array had before the loop");
  }
  incref(partial, t);
  b.CreateStore(partial, slot);
}

void FunctionLowering::finish_array_reductions(const ParallelContext& ctx, const std::vector<llvm::Value*>& partials,
                                               llvm::Value* slots32, llvm::Value* status, llvm::Value* count) {
  auto& b = builder_;
  if (!ctx.has_array_reductions) return;
  llvm::Value* succeeded = b.CreateICmpEQ(status, b.getInt32(0));
  for (size_t k = 0; k < ctx.plan.reductions.size(); ++k) {
    if (!is_array_reduction(ctx, k)) continue;
    const passes::Reduction& red = ctx.plan.reductions[k];
    const Type* t = fn_.locals[red.local].type;
    const Type* dtype = t->dtype();
    llvm::Type* ty = value_type(context(), t);
    if (red.rebinds) {
      // A new array holding the old one's values, bound to the variable,
      // where an iteration ran (else the variable is as it was).
      llvm::BasicBlock* copy = new_block("reduction.copy");
      llvm::BasicBlock* copied = new_block("reduction.copied");
      b.CreateCondBr(b.CreateAnd(succeeded, b.CreateICmpSGT(count, b.getInt64(0))), copy, copied);
      b.SetInsertPoint(copy);
      llvm::Value* origin = b.CreateLoad(ty, locals_[red.local]);
      std::vector<llvm::Value*> shape;
      for (int d = 0; d < t->ndim; ++d) shape.push_back(array_dim(origin, kArrayShape, static_cast<unsigned>(d)));
      llvm::Value* fresh = allocate_array(t, shape, false);
      copy_into(fresh, t, origin, t);
      b.CreateStore(fresh, locals_[red.local]);  // the new array's reference moves in
      decref(origin, t);
      b.CreateBr(copied);
      b.SetInsertPoint(copied);
    }
    for_each_index(slots32, "reduction.fold", [&](llvm::Value* w) {
      llvm::Value* part = b.CreateLoad(ty, b.CreateGEP(ty, partials[k], w));
      llvm::Value* ran = b.CreateIsNotNull(b.CreateExtractValue(part, kArrayMeminfo));
      llvm::BasicBlock* fold = new_block("reduction.fold.part");
      llvm::BasicBlock* release = new_block("reduction.release");
      llvm::BasicBlock* next = new_block("reduction.next");
      b.CreateCondBr(ran, release, next);
      b.SetInsertPoint(release);
      llvm::BasicBlock* after_fold = new_block("reduction.folded");
      b.CreateCondBr(succeeded, fold, after_fold);
      b.SetInsertPoint(fold);
      llvm::Value* target = b.CreateLoad(ty, locals_[red.local]);
      std::vector<Operand> ops{{nullptr, t, target, nullptr}, {nullptr, t, part, nullptr}};
      elementwise_loop(ops, t->ndim, shape_slot(target, t), [&] {
        llvm::Value* acc = load_element(ops[0].element, dtype);
        llvm::Value* value = load_element(ops[1].element, dtype);
        store_element(ops[0].element, reduction_combine(*this, red.kind, dtype, acc, value), dtype);
      });
      b.CreateBr(after_fold);
      b.SetInsertPoint(after_fold);
      decref(part, t);
      b.CreateBr(next);
      b.SetInsertPoint(next);
    });
  }
}

}  // namespace numjit::lower
