// The NumPy inner loop of a @vectorize kernel:
//   void loop(char** args, const npy_intp* dims, const npy_intp* steps, void* data)
// calls the kernel once per element. When every operand is contiguous (each
// step equals its item size) a second copy of the loop uses typed, unit-stride
// accesses and is marked for vectorization, outer-loop vectorization included
// (kernels like the seed's f_numba hold an inner loop of their own).
#include "numjit/lower/ufunc_loop.h"

#include <llvm/IR/MDBuilder.h>

#include "numjit/lower/function_lowering.h"
#include "numjit/lower/llvm_types.h"

namespace numjit::lower {
namespace {

int64_t item_size(const types::Type* t) { return t->is_bool() ? 1 : t->bits() / 8; }

// Marks the loop whose latch branch is `latch` as one the vectorizer should take.
void request_vectorization(llvm::BranchInst* latch) {
  llvm::LLVMContext& ctx = latch->getContext();
  llvm::MDNode* enable = llvm::MDNode::get(
      ctx, {llvm::MDString::get(ctx, "llvm.loop.vectorize.enable"),
            llvm::ConstantAsMetadata::get(llvm::ConstantInt::getTrue(ctx))});
  llvm::MDNode* self = llvm::MDNode::getDistinct(ctx, {nullptr, enable});
  self->replaceOperandWith(0, self);
  latch->setMetadata(llvm::LLVMContext::MD_loop, self);
}

}  // namespace

std::string emit_ufunc_loop(ModuleLowering& module, hir::Function& kernel, const types::Type* output) {
  llvm::Module& m = module.module();
  llvm::LLVMContext& ctx = m.getContext();
  llvm::Function* callee = module.function_for(kernel);
  callee->addFnAttr(llvm::Attribute::AlwaysInline);
  auto* ptr = llvm::PointerType::get(ctx, 0);
  auto* fty = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr, ptr, ptr}, false);
  std::string name = kernel.symbol + ".ufunc";
  auto* loop_fn = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, m);
  module.set_function_attributes(loop_fn);
  FunctionLowering glue(module, kernel, loop_fn);
  llvm::IRBuilder<>& b = glue.builder();
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", loop_fn));

  size_t nin = kernel.param_count;
  std::vector<const types::Type*> operand_types;
  for (size_t i = 0; i < nin; ++i) operand_types.push_back(kernel.locals[i].type);
  operand_types.push_back(output);
  llvm::Value* args = loop_fn->getArg(0);
  llvm::Value* n = b.CreateLoad(b.getInt64Ty(), loop_fn->getArg(1));
  llvm::Value* steps = loop_fn->getArg(2);
  std::vector<llvm::Value*> bases, step_values;
  llvm::Value* contiguous = b.getTrue();
  for (size_t i = 0; i < operand_types.size(); ++i) {
    bases.push_back(b.CreateLoad(ptr, b.CreateConstGEP1_64(ptr, args, i)));
    llvm::Value* step = b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP1_64(b.getInt64Ty(), steps, i));
    step_values.push_back(step);
    contiguous = b.CreateAnd(contiguous, b.CreateICmpEQ(step, b.getInt64(item_size(operand_types[i]))));
  }
  llvm::AllocaInst* result = b.CreateAlloca(value_type(ctx, kernel.return_type));
  llvm::BasicBlock* done = llvm::BasicBlock::Create(ctx, "done", loop_fn);

  // One copy of the element loop; `unit_stride` selects typed unit-stride addressing.
  auto emit_loop = [&](bool unit_stride) {
    llvm::BasicBlock* pre = b.GetInsertBlock();
    llvm::BasicBlock* body = llvm::BasicBlock::Create(ctx, unit_stride ? "contiguous" : "strided", loop_fn);
    llvm::BasicBlock* check = llvm::BasicBlock::Create(ctx, "check", loop_fn);
    b.CreateCondBr(b.CreateICmpSGT(n, b.getInt64(0)), body, done);
    b.SetInsertPoint(body);
    llvm::PHINode* k = b.CreatePHI(b.getInt64Ty(), 2);
    k->addIncoming(b.getInt64(0), pre);
    auto address = [&](size_t i) -> llvm::Value* {
      if (unit_stride) return b.CreateGEP(memory_type(ctx, operand_types[i]), bases[i], k);
      return b.CreateGEP(b.getInt8Ty(), bases[i], b.CreateMul(k, step_values[i]));
    };
    std::vector<llvm::Value*> call_args{result};
    for (size_t i = 0; i < nin; ++i) {
      llvm::Value* v = b.CreateLoad(memory_type(ctx, operand_types[i]), address(i));
      if (operand_types[i]->is_bool()) v = b.CreateICmpNE(v, b.getInt8(0));
      call_args.push_back(v);
    }
    llvm::Value* status = b.CreateCall(callee, call_args);
    llvm::Value* value = glue.cast(b.CreateLoad(value_type(ctx, kernel.return_type), result), kernel.return_type,
                                   output);
    if (output->is_bool()) value = b.CreateZExt(value, b.getInt8Ty());
    b.CreateStore(value, address(nin));
    llvm::Value* next = b.CreateAdd(k, b.getInt64(1), "", true, true);
    // An exception in the kernel (recorded in the runtime) ends the loop.
    b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(0)), check, done);
    b.SetInsertPoint(check);
    k->addIncoming(next, check);
    llvm::BranchInst* latch = b.CreateCondBr(b.CreateICmpSLT(next, n), body, done);
    if (unit_stride) request_vectorization(latch);
  };
  llvm::BasicBlock* fast = llvm::BasicBlock::Create(ctx, "fast", loop_fn);
  llvm::BasicBlock* slow = llvm::BasicBlock::Create(ctx, "slow", loop_fn);
  b.CreateCondBr(contiguous, fast, slow);
  b.SetInsertPoint(fast);
  emit_loop(true);
  b.SetInsertPoint(slow);
  emit_loop(false);
  b.SetInsertPoint(done);
  b.CreateRetVoid();
  return name;
}

}  // namespace numjit::lower
