#include "numjit/codegen/search_prefetch.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/SetVector.h>
#include <llvm/Analysis/InstructionSimplify.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Module.h>

#include <vector>

namespace numjit::codegen {
namespace {

// The instructions between the loop's header phis and `load`'s address, in
// an order where each comes after its operands, and the phis it reads; false
// when the address takes anything else from inside the loop (another load,
// a call, a phi of an inner block).
bool address_chain(const llvm::Loop& loop, llvm::LoadInst& load, llvm::SetVector<llvm::Instruction*>& chain,
                   llvm::SetVector<llvm::PHINode*>& phis) {
  std::vector<std::pair<llvm::Value*, bool>> work{{load.getPointerOperand(), false}};
  while (!work.empty()) {
    auto [value, operands_done] = work.back();
    work.pop_back();
    auto* inst = llvm::dyn_cast<llvm::Instruction>(value);
    if (!inst || !loop.contains(inst) || chain.contains(inst)) continue;
    if (auto* phi = llvm::dyn_cast<llvm::PHINode>(inst)) {
      if (phi->getParent() != loop.getHeader()) return false;
      phis.insert(phi);
      continue;
    }
    if (operands_done) {
      chain.insert(inst);
      continue;
    }
    bool pure = llvm::isa<llvm::BinaryOperator, llvm::CastInst, llvm::GetElementPtrInst, llvm::SelectInst,
                          llvm::CmpInst>(inst) &&
                !inst->mayReadOrWriteMemory() && !inst->mayThrow();
    // Division may trap; the clones would run for the outcome not taken too.
    if (!pure || inst->getOpcode() == llvm::Instruction::SDiv || inst->getOpcode() == llvm::Instruction::UDiv ||
        inst->getOpcode() == llvm::Instruction::SRem || inst->getOpcode() == llvm::Instruction::URem)
      return false;
    work.push_back({inst, true});
    for (llvm::Value* operand : inst->operands()) work.push_back({operand, false});
  }
  return !phis.empty();
}

// Whether `condition` compares `load`'s value (directly, or widened or narrowed first).
bool compares_load(const llvm::Value* condition, const llvm::LoadInst& load) {
  const auto* compare = llvm::dyn_cast<llvm::CmpInst>(condition);
  if (!compare) return false;
  for (const llvm::Value* operand : compare->operands()) {
    if (const auto* cast = llvm::dyn_cast<llvm::CastInst>(operand)) operand = cast->getOperand(0);
    if (operand == &load) return true;
  }
  return false;
}

// A select Python's negative indices make (`i < 0 ? n : 0`, added to i):
// the arm taken when its index is not negative, which a search's is. Only
// prefetches read the clones, so the guess costs at most a useless
// prefetch, and it saves the wraparound's arithmetic in every step.
llvm::Value* arm_for_a_non_negative_index(llvm::Instruction* inst) {
  auto* select = llvm::dyn_cast<llvm::SelectInst>(inst);
  auto* sign_test = select ? llvm::dyn_cast<llvm::ICmpInst>(select->getCondition()) : nullptr;
  if (!sign_test) return nullptr;
  auto* bound = llvm::dyn_cast<llvm::ConstantInt>(sign_test->getOperand(1));
  if (!bound) return nullptr;
  if (sign_test->getPredicate() == llvm::CmpInst::ICMP_SLT && bound->isZero()) return select->getFalseValue();
  if (sign_test->getPredicate() == llvm::CmpInst::ICMP_SGT && bound->isMinusOne()) return select->getTrueValue();
  return nullptr;
}

struct Search {
  llvm::LoadInst* load;
  llvm::Value* condition;  // the compare of the load that the selects follow
  llvm::SetVector<llvm::Instruction*> chain;
  llvm::SetVector<llvm::PHINode*> phis;
};

// Each phi's value in the next step when `condition` is `outcome`, or null
// where that value is not available at `at`.
llvm::Value* next_value(llvm::PHINode* phi, const llvm::Loop& loop, llvm::Value* condition, bool outcome,
                        const llvm::DominatorTree& dominators, llvm::Instruction* at) {
  llvm::Value* next = phi->getIncomingValueForBlock(loop.getLoopLatch());
  if (auto* select = llvm::dyn_cast<llvm::SelectInst>(next); select && select->getCondition() == condition)
    next = outcome ? select->getTrueValue() : select->getFalseValue();
  auto* made = llvm::dyn_cast<llvm::Instruction>(next);
  return !made || dominators.dominates(made, at) ? next : nullptr;
}

bool prefetch_next(const Search& search, const llvm::Loop& loop, const llvm::DominatorTree& dominators,
                   llvm::Instruction* at) {
  std::vector<llvm::Value*> addresses;
  for (bool outcome : {true, false}) {
    llvm::DenseMap<llvm::Value*, llvm::Value*> replaced;
    for (llvm::PHINode* phi : search.phis) {
      llvm::Value* next = next_value(phi, loop, search.condition, outcome, dominators, at);
      if (!next) return false;
      replaced[phi] = next;
    }
    std::vector<llvm::Instruction*> clones;
    for (llvm::Instruction* inst : search.chain) {
      if (llvm::Value* taken = arm_for_a_non_negative_index(inst)) {
        replaced[inst] = replaced.lookup(taken) ? replaced.lookup(taken) : taken;
        continue;
      }
      llvm::Instruction* clone = inst->clone();
      // Only a prefetch reads the clones: wraps and out-of-bounds indices
      // of the outcome not taken must not make them poison.
      clone->dropPoisonGeneratingAnnotations();  // a GEP's inbounds too
      for (llvm::Use& operand : clone->operands())
        if (auto found = replaced.find(operand.get()); found != replaced.end()) operand.set(found->second);
      clones.push_back(clone);
      replaced[inst] = clone;
    }
    const llvm::DataLayout& layout = at->getModule()->getDataLayout();
    for (llvm::Instruction* clone : clones) {
      clone->insertBefore(at);
      // `i + 0` and the like, left by the arm taken above (no pass runs after this one).
      if (llvm::Value* simpler = llvm::simplifyInstruction(clone, llvm::SimplifyQuery(layout))) {
        clone->replaceAllUsesWith(simpler);
        for (auto& [from, to] : replaced)
          if (to == clone) to = simpler;
        clone->eraseFromParent();
      }
    }
    addresses.push_back(replaced.lookup(search.load->getPointerOperand()));
  }
  llvm::IRBuilder<> b(at);
  for (llvm::Value* address : addresses)
    // read, keep in every cache level, data
    b.CreateIntrinsic(llvm::Intrinsic::prefetch, {address->getType()},
                      {address, b.getInt32(0), b.getInt32(3), b.getInt32(1)});
  return true;
}

// The searches of an innermost loop: loads whose compare decides, through a
// select that returns to a header phi, the address the next step loads.
std::vector<Search> searches_in(const llvm::Loop& loop) {
  std::vector<Search> found;
  const llvm::BasicBlock* latch = loop.getLoopLatch();
  if (!latch) return found;
  for (llvm::BasicBlock* block : loop.blocks())
    for (llvm::Instruction& inst : *block) {
      auto* load = llvm::dyn_cast<llvm::LoadInst>(&inst);
      if (!load || load->isVolatile() || load->isAtomic()) continue;
      Search search{load, nullptr, {}, {}};
      if (!address_chain(loop, *load, search.chain, search.phis)) continue;
      for (llvm::PHINode* phi : search.phis) {
        auto* select = llvm::dyn_cast<llvm::SelectInst>(phi->getIncomingValueForBlock(latch));
        if (select && compares_load(select->getCondition(), *load)) search.condition = select->getCondition();
      }
      if (search.condition) found.push_back(std::move(search));
    }
  return found;
}

}  // namespace

llvm::PreservedAnalyses SearchPrefetchPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses) {
  auto& loops = analyses.getResult<llvm::LoopAnalysis>(f);
  auto& dominators = analyses.getResult<llvm::DominatorTreeAnalysis>(f);
  bool changed = false;
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) {
    if (!loop->isInnermost()) continue;
    std::vector<Search> searches = searches_in(*loop);
    if (searches.empty()) continue;
    // One search a loop (the first load of the shape), at the end of the
    // latch, where the selects, and so both outcomes' values, are made.
    changed |= prefetch_next(searches.front(), *loop, dominators, loop->getLoopLatch()->getTerminator());
  }
  if (!changed) return llvm::PreservedAnalyses::all();
  llvm::PreservedAnalyses kept;
  kept.preserveSet<llvm::CFGAnalyses>();
  return kept;
}

}  // namespace numjit::codegen
