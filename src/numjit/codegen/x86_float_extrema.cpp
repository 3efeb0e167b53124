#include "numjit/codegen/x86_float_extrema.h"
#include "numjit/codegen/x86_rewrites.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Transforms/Utils/Local.h>

#include <vector>

namespace numjit::codegen {
namespace {

namespace pm = llvm::PatternMatch;

bool is_nan_test_of(llvm::Value* compare, llvm::FCmpInst::Predicate wanted, llvm::Value*& x) {
  llvm::FCmpInst::Predicate predicate;
  llvm::Value *lhs, *rhs;
  if (!pm::match(compare, pm::m_FCmp(predicate, pm::m_Value(lhs), pm::m_Value(rhs))) || predicate != wanted) return false;
  // `x uno x`, or InstCombine's `x uno 0.0`.
  if (rhs != lhs && !pm::match(rhs, pm::m_AnyZeroFP())) return false;
  x = lhs;
  return true;
}

// The element `x` when `v` is `isnan(x) ? identity : x` (either spelling of
// the test), identity being the infinity no value can beat: -inf for a
// maximum, +inf for a minimum. Null otherwise.
llvm::Value* nan_made_identity(llvm::Value* v, bool is_max) {
  llvm::Value *test, *if_true, *if_false;
  if (!pm::match(v, pm::m_Select(pm::m_Value(test), pm::m_Value(if_true), pm::m_Value(if_false)))) return nullptr;
  llvm::Value* x = nullptr;
  llvm::Value* identity = nullptr;
  if (is_nan_test_of(test, llvm::FCmpInst::FCMP_UNO, x) && if_false == x) identity = if_true;
  else if (is_nan_test_of(test, llvm::FCmpInst::FCMP_ORD, x) && if_true == x) identity = if_false;
  const llvm::APFloat* value;
  if (!identity || !pm::match(identity, pm::m_APFloat(value)) || !value->isInfinity() || value->isNegative() != is_max)
    return nullptr;
  return x;
}

// `a > b ? a : b` for a maximum (`<` for a minimum): maxpd/minpd a, b.
llvm::Value* x86_extreme(llvm::IRBuilder<>& b, bool is_max, llvm::Value* first, llvm::Value* second) {
  llvm::Value* beats = is_max ? b.CreateFCmpOGT(first, second) : b.CreateFCmpOLT(first, second);
  return b.CreateSelect(beats, first, second);
}

// The replacement for `call`, inserted before it; null when it is neither form.
llvm::Value* rewritten(llvm::IntrinsicInst& call) {
  const llvm::Intrinsic::ID id = call.getIntrinsicID();
  const bool keeps_nan = id == llvm::Intrinsic::maximum || id == llvm::Intrinsic::minimum;
  const bool skips_nan = id == llvm::Intrinsic::maxnum || id == llvm::Intrinsic::minnum;
  if (!keeps_nan && !skips_nan) return nullptr;
  const bool is_max = id == llvm::Intrinsic::maximum || id == llvm::Intrinsic::maxnum;
  llvm::Value* a = call.getArgOperand(0);
  llvm::Value* b = call.getArgOperand(1);
  llvm::IRBuilder<> builder(&call);
  if (keeps_nan) {
    // Without nsz, -0.0 must lose to +0.0, which maxpd does not promise.
    if (!call.hasNoSignedZeros()) return nullptr;
    // The running value (a phi in a reduction) is the one tested and kept,
    // so the backend can update its register in place.
    if (llvm::isa<llvm::PHINode>(b) && !llvm::isa<llvm::PHINode>(a)) std::swap(a, b);
    llvm::Value* is_number = builder.CreateFCmpORD(a, a);
    // An element whose NaN became the identity (a running compare's first
    // copy, exact_running_extrema.cpp) goes first instead: maxpd skips it by itself.
    llvm::Value* x = nan_made_identity(b, is_max);
    return builder.CreateSelect(is_number, x ? x86_extreme(builder, is_max, x, a) : x86_extreme(builder, is_max, a, b), a);
  }
  if (!call.hasNoNaNs()) return nullptr;
  for (auto [element_or_identity, running] : {std::pair{b, a}, std::pair{a, b}}) {
    if (llvm::Value* x = nan_made_identity(element_or_identity, is_max)) return x86_extreme(builder, is_max, x, running);
  }
  return nullptr;
}

}  // namespace

int rewrite_float_extrema_for_x86(llvm::Function& f) {
  std::vector<llvm::IntrinsicInst*> calls;
  for (llvm::BasicBlock& block : f)
    for (llvm::Instruction& i : block)
      if (auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(&i)) calls.push_back(call);
  int count = 0;
  for (llvm::IntrinsicInst* call : calls) {
    llvm::Value* replacement = rewritten(*call);
    if (!replacement) continue;
    call->replaceAllUsesWith(replacement);
    llvm::RecursivelyDeleteTriviallyDeadInstructions(call);
    ++count;
  }
  return count;
}

llvm::PreservedAnalyses X86FloatExtremaPass::run(llvm::Function& f, llvm::FunctionAnalysisManager&) {
  return run_x86_rewrite(f, rewrite_float_extrema_for_x86);
}

}  // namespace numjit::codegen
