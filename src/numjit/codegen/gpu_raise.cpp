#include "numjit/codegen/gpu_raise.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>

#include <vector>

#include "numjit/runtime/abi.h"

namespace numjit::codegen {
namespace {

constexpr unsigned kGlobalAddressSpace = 1;

const char* kind_name(int64_t kind) {
  static const char* const kNames[] = {
#define NUMJIT_EXCEPTION_NAME(name) #name,
      NUMJIT_EXCEPTION_KINDS(NUMJIT_EXCEPTION_NAME)
#undef NUMJIT_EXCEPTION_NAME
  };
  return kind >= 0 && kind < static_cast<int64_t>(abi::ExceptionKind::Count) ? kNames[kind] : "RuntimeError";
}

std::string message_of(llvm::Value* pointer) {
  auto* global = llvm::dyn_cast<llvm::GlobalVariable>(pointer->stripPointerCasts());
  if (!global || !global->hasInitializer()) return "";
  auto* data = llvm::dyn_cast<llvm::ConstantDataSequential>(global->getInitializer());
  if (!data || !data->isCString()) return "";
  std::string escaped;
  for (char c : data->getAsCString()) {
    if (c == '\\') escaped += "\\\\";
    else if (c == '\n') escaped += "\\n";
    else escaped += c;
  }
  return escaped;
}

}  // namespace

llvm::GlobalVariable* gpu_error_flag(llvm::Module& module) {
  if (llvm::GlobalVariable* found = module.getNamedGlobal(kGpuErrorFlag)) return found;
  llvm::Type* i32 = llvm::Type::getInt32Ty(module.getContext());
  auto* flag = new llvm::GlobalVariable(module, i32, false, llvm::GlobalValue::ExternalLinkage,
                                        llvm::ConstantInt::get(i32, 0), kGpuErrorFlag, nullptr,
                                        llvm::GlobalValue::NotThreadLocal, kGlobalAddressSpace,
                                        /*isExternallyInitialized=*/true);
  flag->setAlignment(llvm::Align(4));
  return flag;
}

void emit_gpu_raise(llvm::IRBuilder<>& b, llvm::Module& module, int32_t code) {
  b.CreateAtomicCmpXchg(gpu_error_flag(module), b.getInt32(0), b.getInt32(static_cast<uint32_t>(code)),
                        llvm::MaybeAlign(4), llvm::AtomicOrdering::Monotonic, llvm::AtomicOrdering::Monotonic);
  auto* exit = llvm::InlineAsm::get(llvm::FunctionType::get(b.getVoidTy(), false), "exit;", "", true);
  b.CreateCall(exit)->setDoesNotReturn();
}

std::string checks_as_gpu_error_codes(llvm::Module& module) {
  llvm::Function* raise = module.getFunction("numjit_rt_raise");
  if (!raise) return "";
  std::vector<llvm::CallInst*> calls;  // in the order of the code, so codes are stable
  for (llvm::Function& f : module)
    for (llvm::BasicBlock& block : f)
      for (llvm::Instruction& i : block)
        if (auto* call = llvm::dyn_cast<llvm::CallInst>(&i); call && call->getCalledFunction() == raise)
          calls.push_back(call);
  std::string comments;
  int32_t code = 0;
  for (llvm::CallInst* call : calls) {
    --code;
    auto* kind = llvm::dyn_cast<llvm::ConstantInt>(call->getArgOperand(0));
    comments += "// numjit.check " + std::to_string(code) + " " + kind_name(kind ? kind->getSExtValue() : -1) +
                " " + message_of(call->getArgOperand(1)) + "\n";
    llvm::IRBuilder<> b(call);
    emit_gpu_raise(b, module, code);
    llvm::Value* message = call->getArgOperand(1)->stripPointerCasts();
    call->eraseFromParent();
    // The message now lives in the PTX's comment, not in the GPU's memory.
    if (auto* global = llvm::dyn_cast<llvm::GlobalVariable>(message); global && global->use_empty() &&
                                                                       global->hasLocalLinkage())
      global->eraseFromParent();
  }
  if (raise->use_empty()) raise->eraseFromParent();
  return comments;
}

}  // namespace numjit::codegen
