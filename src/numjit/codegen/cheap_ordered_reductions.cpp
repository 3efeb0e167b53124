#include "numjit/codegen/cheap_ordered_reductions.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/Transforms/Utils/LoopUtils.h>

namespace numjit::codegen {
namespace {

// An in-order float sum: the phi's value from the latch is an fadd or fsub
// of the phi itself, without reassociation allowed (fastmath would let the
// vectorizer split the sum into lanes, which is always worth it).
bool sums_in_order(const llvm::PHINode& phi, const llvm::BasicBlock* latch) {
  if (!phi.getType()->isFloatingPointTy() || phi.getBasicBlockIndex(latch) < 0) return false;
  auto* update = llvm::dyn_cast<llvm::BinaryOperator>(phi.getIncomingValueForBlock(latch));
  if (!update || (update->getOpcode() != llvm::Instruction::FAdd && update->getOpcode() != llvm::Instruction::FSub))
    return false;
  return !update->hasAllowReassoc() && (update->getOperand(0) == &phi || update->getOperand(1) == &phi);
}

// Work the vectorizer makes cheaper even with the sum kept in order.
bool worth_vectorizing(const llvm::Instruction& i) {
  if (i.getOpcode() == llvm::Instruction::FDiv || i.getOpcode() == llvm::Instruction::FRem) return true;
  const auto* call = llvm::dyn_cast<llvm::CallBase>(&i);
  if (!call) return false;
  const auto* intrinsic = llvm::dyn_cast<llvm::IntrinsicInst>(call);
  if (!intrinsic) return true;  // a math routine (libmvec has vector forms) or other code
  switch (intrinsic->getIntrinsicID()) {
    case llvm::Intrinsic::fabs:
    case llvm::Intrinsic::fmuladd:
    case llvm::Intrinsic::fma:
    case llvm::Intrinsic::minnum:
    case llvm::Intrinsic::maxnum:
    case llvm::Intrinsic::minimum:
    case llvm::Intrinsic::maximum:
    case llvm::Intrinsic::copysign:
    case llvm::Intrinsic::assume:
    case llvm::Intrinsic::lifetime_start:
    case llvm::Intrinsic::lifetime_end:
    case llvm::Intrinsic::expect:
      return false;
    default:
      return true;  // sqrt, exp, log, pow, floor, ...
  }
}

}  // namespace

bool is_cheap_ordered_reduction(const llvm::Loop& loop) {
  const llvm::BasicBlock* latch = loop.getLoopLatch();
  if (!loop.isInnermost() || !latch) return false;
  bool sums = false;
  for (const llvm::PHINode& phi : loop.getHeader()->phis()) sums = sums || sums_in_order(phi, latch);
  if (!sums) return false;
  for (const llvm::BasicBlock* block : loop.blocks())
    for (const llvm::Instruction& i : *block)
      if (worth_vectorizing(i)) return false;
  return true;
}

llvm::PreservedAnalyses CheapOrderedReductionsPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses) {
  auto& loops = analyses.getResult<llvm::LoopAnalysis>(f);
  bool changed = false;
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) {
    if (!is_cheap_ordered_reduction(*loop)) continue;
    llvm::addStringMetadataToLoop(loop, "llvm.loop.vectorize.width", 1);
    // Unroll it by two, not the eight x86 asks for. The chain of additions
    // sets the pace, and a second step per pass already lets the core run
    // ahead into the next outer iteration's chain. Eight steps leave every
    // trip shorter than eight to the remainder loop and its entry tests:
    // over 3-7 coordinates (pairwise distances, norms of short rows) the
    // inner loop ran 1.2-1.8x slower; at 8-10 two steps cost 10% more.
    llvm::addStringMetadataToLoop(loop, "llvm.loop.unroll.count", 2);
    changed = true;
  }
  // Only loop metadata changed: every analysis still holds.
  (void)changed;
  return llvm::PreservedAnalyses::all();
}

}  // namespace numjit::codegen
