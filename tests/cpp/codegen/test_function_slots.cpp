// Calls of functions only this process can resolve go through pointer slots
// in relocatable modules (src/numjit/codegen/function_slots.cpp).
#include <gtest/gtest.h>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>

#include "numjit/codegen/function_slots.h"

using namespace numjit;

TEST(FunctionSlots, CallsOfProvidedFunctionsGoThroughSlots) {
  llvm::LLVMContext ctx;
  llvm::Module m("t", ctx);
  llvm::IRBuilder<> b(ctx);
  auto* i32 = b.getInt32Ty();
  llvm::FunctionCallee gemm = m.getOrInsertFunction("numjit_blas_dgemm", llvm::FunctionType::get(i32, {i32}, false));
  llvm::FunctionCallee other = m.getOrInsertFunction("atan", llvm::FunctionType::get(i32, {i32}, false));
  auto* f = llvm::Function::Create(llvm::FunctionType::get(i32, {i32}, false), llvm::Function::ExternalLinkage, "f", m);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", f));
  llvm::Value* x = b.CreateCall(gemm, {f->getArg(0)});
  b.CreateRet(b.CreateCall(other, {x}));

  std::vector<std::string> names = codegen::call_through_slots(m, {"numjit_blas_", "numjit_lapack_"});
  EXPECT_EQ(names, std::vector<std::string>{"numjit_blas_dgemm"});
  EXPECT_EQ(m.getFunction("numjit_blas_dgemm"), nullptr);
  EXPECT_NE(m.getFunction("atan"), nullptr);  // not provided on demand: still a direct call
  llvm::GlobalVariable* slot = m.getGlobalVariable(codegen::function_slot("numjit_blas_dgemm"));
  ASSERT_NE(slot, nullptr);
  EXPECT_FALSE(slot->isConstant());
  auto* call = llvm::cast<llvm::CallInst>(&*f->getEntryBlock().begin()->getNextNode());
  auto* load = llvm::dyn_cast<llvm::LoadInst>(call->getCalledOperand());
  ASSERT_NE(load, nullptr);
  EXPECT_EQ(load->getPointerOperand(), slot);
  EXPECT_NE(load->getMetadata(llvm::LLVMContext::MD_invariant_load), nullptr);
  EXPECT_FALSE(llvm::verifyModule(m, &llvm::errs()));
}
