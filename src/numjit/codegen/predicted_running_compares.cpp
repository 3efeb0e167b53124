#include "numjit/codegen/predicted_running_compares.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace numjit::codegen {
namespace {

// One step of an integer running compare: `compare` tests `element` against
// the running value `best`, and each choice takes `element` (and a position)
// when it holds and keeps the old values otherwise.
struct Choice {
  llvm::Instruction* at;  // a select on the compare, or the min/max intrinsic InstCombine made of one
  llvm::Value* taken;
  llvm::Value* kept;
};

// The min/max intrinsic that `compare ? element : best` is, by the compare's
// predicate written as `element pred best`.
llvm::Intrinsic::ID extreme_taking_element(llvm::ICmpInst& compare, llvm::Value* element) {
  llvm::CmpInst::Predicate p = compare.getPredicate();
  if (compare.getOperand(0) != element) p = llvm::CmpInst::getSwappedPredicate(p);
  switch (p) {
    case llvm::CmpInst::ICMP_SGT:
    case llvm::CmpInst::ICMP_SGE: return llvm::Intrinsic::smax;
    case llvm::CmpInst::ICMP_SLT:
    case llvm::CmpInst::ICMP_SLE: return llvm::Intrinsic::smin;
    case llvm::CmpInst::ICMP_UGT:
    case llvm::CmpInst::ICMP_UGE: return llvm::Intrinsic::umax;
    case llvm::CmpInst::ICMP_ULT:
    case llvm::CmpInst::ICMP_ULE: return llvm::Intrinsic::umin;
    default: return llvm::Intrinsic::not_intrinsic;
  }
}

// The update of the running value that `compare` decides between `element`
// and `best`: a select on it, or the matching min/max of the two in its block.
std::optional<Choice> running_update(llvm::ICmpInst& compare, llvm::Value* element, llvm::Value* best) {
  for (llvm::User* user : compare.users())
    if (auto* select = llvm::dyn_cast<llvm::SelectInst>(user)) {
      if (select->getTrueValue() == element && select->getFalseValue() == best) return Choice{select, element, best};
      if (select->getTrueValue() == best && select->getFalseValue() == element) return Choice{select, best, element};
    }
  const llvm::Intrinsic::ID id = extreme_taking_element(compare, element);
  for (llvm::User* user : element->users()) {
    auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(user);
    if (!call || call->getIntrinsicID() != id || call->getParent() != compare.getParent()) continue;
    if ((call->getArgOperand(0) == element && call->getArgOperand(1) == best) ||
        (call->getArgOperand(0) == best && call->getArgOperand(1) == element))
      return Choice{call, element, best};
  }
  return std::nullopt;
}

// The choices an integer compare of an element with a running value drives,
// when they are the argmax shape: the running value's update and at least one
// other select (a position), all in the compare's block, the compare used by
// nothing else. Empty otherwise.
std::vector<Choice> argmax_step(llvm::ICmpInst& compare) {
  if (compare.isEquality() || !compare.getOperand(0)->getType()->isIntegerTy()) return {};
  for (unsigned side : {0u, 1u}) {
    llvm::Value* element = compare.getOperand(side);
    llvm::Value* best = compare.getOperand(1 - side);
    std::optional<Choice> update = running_update(compare, element, best);
    if (!update || update->at->getParent() != compare.getParent()) continue;
    std::vector<Choice> choices{*update};
    bool shaped = true;
    for (llvm::User* user : compare.users()) {
      if (user == update->at) continue;
      auto* select = llvm::dyn_cast<llvm::SelectInst>(user);
      if (!select || select->getCondition() != &compare || select->getParent() != compare.getParent()) {
        shaped = false;
        break;
      }
      choices.push_back(Choice{select, select->getTrueValue(), select->getFalseValue()});
    }
    if (shaped && choices.size() >= 2) return choices;
  }
  return {};
}

llvm::Instruction* first_of(const std::vector<Choice>& choices) {
  return std::min_element(choices.begin(), choices.end(), [](const Choice& a, const Choice& b) {
           return a.at->comesBefore(b.at);
         })->at;
}

// Whether every chosen value is there before the first choice, where the branch goes.
bool operands_come_first(const std::vector<Choice>& choices) {
  llvm::Instruction* first = first_of(choices);
  for (const Choice& choice : choices)
    for (const llvm::Value* chosen : {choice.taken, choice.kept}) {
      const auto* made = llvm::dyn_cast<llvm::Instruction>(chosen);
      if (made && made->getParent() == first->getParent() && (made == first || first->comesBefore(made))) return false;
    }
  return true;
}

void branch_instead(llvm::ICmpInst* compare, const std::vector<Choice>& choices) {
  llvm::Instruction* first = first_of(choices);
  llvm::BasicBlock* head = first->getParent();
  // A new extreme is rare: the taking block goes out of line.
  llvm::MDNode* rare = llvm::MDBuilder(head->getContext()).createBranchWeights(1, 1000);
  llvm::Instruction* take = llvm::SplitBlockAndInsertIfThen(compare, first->getIterator(), /*Unreachable=*/false, rare);
  llvm::BasicBlock* taking = take->getParent();
  llvm::BasicBlock* tail = first->getParent();
  for (const Choice& choice : choices) {
    llvm::PHINode* chosen = llvm::PHINode::Create(choice.at->getType(), 2, choice.at->getName() + ".chosen");
    chosen->insertBefore(tail->begin());
    chosen->addIncoming(choice.taken, taking);
    chosen->addIncoming(choice.kept, head);
    choice.at->replaceAllUsesWith(chosen);
    choice.at->eraseFromParent();
  }
}

}  // namespace

llvm::PreservedAnalyses PredictedRunningComparesPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses) {
  auto& loops = analyses.getResult<llvm::LoopAnalysis>(f);
  std::vector<llvm::ICmpInst*> found;
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) {
    if (!loop->isInnermost()) continue;
    for (llvm::BasicBlock* block : loop->blocks())
      for (llvm::Instruction& inst : *block)
        if (auto* compare = llvm::dyn_cast<llvm::ICmpInst>(&inst)) {
          std::vector<Choice> choices = argmax_step(*compare);
          if (!choices.empty() && operands_come_first(choices)) found.push_back(compare);
        }
  }
  // An unrolled loop holds several steps, each reading the last one's
  // choices: found again after the steps before have become phis.
  for (llvm::ICmpInst* compare : found) {
    std::vector<Choice> choices = argmax_step(*compare);
    if (!choices.empty() && operands_come_first(choices)) branch_instead(compare, choices);
  }
  return found.empty() ? llvm::PreservedAnalyses::all() : llvm::PreservedAnalyses::none();
}

}  // namespace numjit::codegen
