#include "numjit/codegen/function_slots.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>

#include "numjit/support/diagnostics.h"

namespace numjit::codegen {

std::vector<std::string> call_through_slots(llvm::Module& module, const std::vector<std::string>& prefixes) {
  std::vector<std::string> redirected;
  auto* ptr = llvm::PointerType::get(module.getContext(), 0);
  for (llvm::Function& f : llvm::make_early_inc_range(module.functions())) {
    if (!f.isDeclaration()) continue;
    std::string name = f.getName().str();
    bool provided = false;
    for (const std::string& prefix : prefixes) provided = provided || name.starts_with(prefix);
    if (!provided) continue;
    // Not constant, or O3 would fold the null it starts as.
    auto* slot = new llvm::GlobalVariable(module, ptr, false, llvm::GlobalValue::ExternalLinkage,
                                          llvm::ConstantPointerNull::get(ptr), function_slot(name));
    for (llvm::User* user : llvm::make_early_inc_range(f.users())) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(user);
      if (!call || call->getCalledOperand() != &f) internal_error("the address of " + name + " is taken");
      llvm::IRBuilder<> b(call);
      llvm::LoadInst* callee = b.CreateLoad(ptr, slot, name);
      // Filled before the first call and never changed.
      callee->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(module.getContext(), {}));
      call->setCalledOperand(callee);
    }
    f.eraseFromParent();
    redirected.push_back(name);
  }
  return redirected;
}

}  // namespace numjit::codegen
