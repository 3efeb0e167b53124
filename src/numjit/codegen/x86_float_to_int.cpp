#include "numjit/codegen/x86_float_to_int.h"
#include "numjit/codegen/x86_rewrites.h"

#include <cmath>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Transforms/Utils/Local.h>

namespace numjit::codegen {
namespace {

namespace pm = llvm::PatternMatch;

// The x86 conversion for a float type and integer width; none for others.
llvm::Intrinsic::ID truncating_conversion(const llvm::Type* from, unsigned bits) {
  if (from->isDoubleTy()) return bits == 64 ? llvm::Intrinsic::x86_sse2_cvttsd2si64 : llvm::Intrinsic::x86_sse2_cvttsd2si;
  if (from->isFloatTy()) return bits == 64 ? llvm::Intrinsic::x86_sse_cvttss2si64 : llvm::Intrinsic::x86_sse_cvttss2si;
  return llvm::Intrinsic::not_intrinsic;
}

// The float value `select` converts when it is the guarded pattern (see the
// header); nullptr otherwise.
llvm::Value* guarded_source(llvm::SelectInst& select) {
  auto* type = llvm::dyn_cast<llvm::IntegerType>(select.getType());
  if (!type || (type->getBitWidth() != 32 && type->getBitWidth() != 64)) return nullptr;
  unsigned bits = type->getBitWidth();
  llvm::Value *fits, *x, *guarded;
  const llvm::APInt* minimum;
  if (!pm::match(&select, pm::m_Select(pm::m_Value(fits), pm::m_FPToSI(pm::m_Value(guarded)), pm::m_APInt(minimum))) ||
      !minimum->isMinSignedValue())
    return nullptr;
  const llvm::APFloat* zero;
  if (!pm::match(guarded, pm::m_Select(pm::m_Specific(fits), pm::m_Value(x), pm::m_APFloat(zero))) ||
      !zero->isZero() || truncating_conversion(x->getType(), bits) == llvm::Intrinsic::not_intrinsic)
    return nullptr;
  llvm::FCmpInst::Predicate predicate;
  const llvm::APFloat* limit;
  if (!pm::match(fits, pm::m_FCmp(predicate, pm::m_FAbs(pm::m_Specific(x)), pm::m_APFloat(limit))) ||
      predicate != llvm::FCmpInst::FCMP_OLT)
    return nullptr;
  llvm::APFloat expected(std::ldexp(1.0, static_cast<int>(bits) - 1));
  bool lost = false;
  expected.convert(limit->getSemantics(), llvm::APFloat::rmNearestTiesToEven, &lost);
  return limit->bitwiseIsEqual(expected) ? x : nullptr;
}

}  // namespace

int rewrite_guarded_float_to_int(llvm::Function& f) {
  std::vector<std::pair<llvm::SelectInst*, llvm::Value*>> found;
  for (llvm::BasicBlock& block : f)
    for (llvm::Instruction& i : block)
      if (auto* select = llvm::dyn_cast<llvm::SelectInst>(&i))
        if (llvm::Value* x = guarded_source(*select)) found.emplace_back(select, x);
  for (auto [select, x] : found) {
    llvm::IRBuilder<> b(select);
    unsigned lanes = 128 / x->getType()->getPrimitiveSizeInBits();
    llvm::Value* vector = b.CreateInsertElement(llvm::PoisonValue::get(llvm::FixedVectorType::get(x->getType(), lanes)),
                                                x, uint64_t(0));
    llvm::Intrinsic::ID id = truncating_conversion(x->getType(), select->getType()->getIntegerBitWidth());
    llvm::Value* converted = b.CreateIntrinsic(id, {}, {vector});
    select->replaceAllUsesWith(converted);
    llvm::RecursivelyDeleteTriviallyDeadInstructions(select);
  }
  return static_cast<int>(found.size());
}

llvm::PreservedAnalyses X86FloatToIntPass::run(llvm::Function& f, llvm::FunctionAnalysisManager&) {
  return run_x86_rewrite(f, rewrite_guarded_float_to_int);
}

}  // namespace numjit::codegen
