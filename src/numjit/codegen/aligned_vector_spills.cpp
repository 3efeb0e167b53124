#include "numjit/codegen/aligned_vector_spills.h"

#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>

namespace numjit::codegen {
namespace {

constexpr uint64_t kAbiStackAlignmentBits = 128;

bool is_wide_vector(const llvm::Type* type) {
  const auto* vector = llvm::dyn_cast<llvm::FixedVectorType>(type);
  return vector && vector->getPrimitiveSizeInBits().getFixedValue() > kAbiStackAlignmentBits;
}

}  // namespace

bool calls_with_wide_vectors(const llvm::Function& f) {
  for (const llvm::Instruction& instruction : llvm::instructions(f)) {
    // A vector frem becomes a call of fmod per lane when the back end expands it.
    if (instruction.getOpcode() == llvm::Instruction::FRem && is_wide_vector(instruction.getType())) return true;
    const auto* call = llvm::dyn_cast<llvm::CallBase>(&instruction);
    if (!call || llvm::isa<llvm::IntrinsicInst>(call)) continue;
    if (is_wide_vector(call->getType())) return true;
    for (const llvm::Use& argument : call->args())
      if (is_wide_vector(argument->getType())) return true;
  }
  return false;
}

llvm::PreservedAnalyses AlignedVectorSpillsPass::run(llvm::Module& module, llvm::ModuleAnalysisManager&) {
  for (llvm::Function& f : module)
    if (!f.isDeclaration() && calls_with_wide_vectors(f)) f.addFnAttr("stackrealign");
  return llvm::PreservedAnalyses::all();
}

}  // namespace numjit::codegen
