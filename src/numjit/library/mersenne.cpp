#include "numjit/library/mersenne.h"

#include "numjit/runtime/abi.h"

namespace numjit::library {

// The pointer is the same for every call in a thread, so the getter is
// declared as reading no memory, always returning and safe to call early:
// LLVM keeps one call per function, hoisted out of loops.
llvm::Value* mersenne_state(RowContext& f, codegen::RuntimeFunction getter) {
  auto* callee = llvm::cast<llvm::Function>(codegen::runtime_function(f.module(), getter).getCallee());
  callee->setDoesNotAccessMemory();
  callee->setDoesNotThrow();
  callee->setWillReturn();
  callee->setSpeculatable();
  return f.builder().CreateCall(callee);
}

llvm::Value* mersenne_word(RowContext& f, llvm::Value* state) {
  auto& b = f.builder();
  llvm::Value* position_slot = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), state, abi::kMersennePositionOffset);
  llvm::BasicBlock* twist = f.new_block("mt.twist");
  llvm::BasicBlock* ready = f.new_block("mt.ready");
  llvm::Value* position = b.CreateLoad(b.getInt32Ty(), position_slot);
  llvm::BasicBlock* before = b.GetInsertBlock();
  b.CreateCondBr(b.CreateICmpSGE(position, b.getInt32(abi::kMersenneWords)), twist, ready);
  b.SetInsertPoint(twist);
  b.CreateCall(codegen::runtime_function(f.module(), codegen::RuntimeFunction::py_random_twist), {state});
  b.CreateBr(ready);
  b.SetInsertPoint(ready);
  llvm::PHINode* index = b.CreatePHI(b.getInt32Ty(), 2);
  index->addIncoming(position, before);
  index->addIncoming(b.getInt32(0), twist);
  b.CreateStore(b.CreateAdd(index, b.getInt32(1)), position_slot);
  llvm::Value* y = b.CreateLoad(b.getInt32Ty(), b.CreateInBoundsGEP(b.getInt32Ty(), state, index));
  y = b.CreateXor(y, b.CreateLShr(y, 11));
  y = b.CreateXor(y, b.CreateAnd(b.CreateShl(y, 7), b.getInt32(0x9d2c5680u)));
  y = b.CreateXor(y, b.CreateAnd(b.CreateShl(y, 15), b.getInt32(0xefc60000u)));
  return b.CreateXor(y, b.CreateLShr(y, 18));
}

llvm::Value* mersenne_double(RowContext& f, llvm::Value* state) {
  auto& b = f.builder();
  llvm::Value* a = b.CreateUIToFP(b.CreateLShr(mersenne_word(f, state), 5), b.getDoubleTy());
  llvm::Value* c = b.CreateUIToFP(b.CreateLShr(mersenne_word(f, state), 6), b.getDoubleTy());
  llvm::Value* bits = b.CreateFAdd(b.CreateFMul(a, llvm::ConstantFP::get(b.getDoubleTy(), 67108864.0)), c);
  return b.CreateFDiv(bits, llvm::ConstantFP::get(b.getDoubleTy(), 9007199254740992.0));
}

}  // namespace numjit::library
