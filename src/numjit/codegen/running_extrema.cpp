#include "numjit/codegen/running_extrema.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/Transforms/Utils/LoopUtils.h>

namespace numjit::codegen {
namespace {

constexpr int kExtremaInterleave = 8;

bool is_running_extreme(const llvm::PHINode& phi, const llvm::BasicBlock* latch) {
  if (!phi.getType()->isFloatingPointTy() || phi.getBasicBlockIndex(latch) < 0) return false;
  const auto* update = llvm::dyn_cast<llvm::IntrinsicInst>(phi.getIncomingValueForBlock(latch));
  if (!update) return false;
  llvm::Intrinsic::ID id = update->getIntrinsicID();
  if (id != llvm::Intrinsic::maxnum && id != llvm::Intrinsic::minnum && id != llvm::Intrinsic::maximum &&
      id != llvm::Intrinsic::minimum)
    return false;
  return update->getArgOperand(0) == &phi || update->getArgOperand(1) == &phi;
}

}  // namespace

bool keeps_running_float_extreme(const llvm::Loop& loop) {
  const llvm::BasicBlock* latch = loop.getLoopLatch();
  if (!loop.isInnermost() || !latch) return false;
  for (const llvm::PHINode& phi : loop.getHeader()->phis())
    if (is_running_extreme(phi, latch)) return true;
  return false;
}

llvm::PreservedAnalyses RunningExtremaPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses) {
  auto& loops = analyses.getResult<llvm::LoopAnalysis>(f);
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) {
    if (!keeps_running_float_extreme(*loop) || llvm::findStringMetadataForLoop(loop, "llvm.loop.interleave.count"))
      continue;
    llvm::addStringMetadataToLoop(loop, "llvm.loop.interleave.count", kExtremaInterleave);
  }
  // Only loop metadata changed: every analysis still holds.
  return llvm::PreservedAnalyses::all();
}

}  // namespace numjit::codegen
