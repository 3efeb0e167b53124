#include "numjit/codegen/exact_running_extrema.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Metadata.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/Local.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace numjit::codegen {
namespace {

constexpr const char* kMarker = "numjit.running_compare";

// A running value `best` (a header phi) that the select `update` sets to
// `element` when the element is beyond it: above for a maximum, below for a minimum.
struct RunningCompare {
  llvm::PHINode* best;
  llvm::SelectInst* update;
  llvm::FCmpInst* compare;
  llvm::Value* element;
  bool is_max;
};

bool has_side_effects(const llvm::Loop& loop) {
  for (const llvm::BasicBlock* block : loop.blocks())
    for (const llvm::Instruction& inst : *block)
      if (inst.mayHaveSideEffects()) return true;
  return false;
}

// Whether every load reads consecutive elements (or one place): what the
// vectorizer makes wide loads of. Strided loads it would gather, and the
// running maximum of x[::2] then ran 1.9x the scalar select's time here.
bool loads_are_consecutive(const llvm::Loop& loop, llvm::ScalarEvolution& evolution) {
  const llvm::DataLayout& layout = loop.getHeader()->getModule()->getDataLayout();
  for (llvm::BasicBlock* block : loop.blocks())
    for (llvm::Instruction& inst : *block) {
      auto* load = llvm::dyn_cast<llvm::LoadInst>(&inst);
      if (!load) continue;
      const llvm::SCEV* address = evolution.getSCEV(load->getPointerOperand());
      if (evolution.isLoopInvariant(address, &loop)) continue;
      const auto* recurrence = llvm::dyn_cast<llvm::SCEVAddRecExpr>(address);
      if (!recurrence || recurrence->getLoop() != &loop || !recurrence->isAffine()) return false;
      const auto* step = llvm::dyn_cast<llvm::SCEVConstant>(recurrence->getStepRecurrence(evolution));
      if (!step || step->getAPInt().abs() != layout.getTypeStoreSize(load->getType()).getFixedValue()) return false;
    }
  return true;
}

// Whether `update` is `element > best ? element : best` (a maximum) or
// `element < best ? element : best` (a minimum), in any of the equivalent
// spellings LLVM may have given it; sets `is_max`.
bool chooses_the_element_when_beyond(const llvm::SelectInst& update, const llvm::FCmpInst& compare,
                                     const llvm::Value* best, const llvm::Value* element, bool& is_max) {
  llvm::CmpInst::Predicate p = compare.getPredicate();
  if (compare.getOperand(0) == best && compare.getOperand(1) == element)
    p = llvm::CmpInst::getSwappedPredicate(p);  // now "element p best"
  else if (compare.getOperand(0) != element || compare.getOperand(1) != best)
    return false;
  if (update.getTrueValue() == best && update.getFalseValue() == element)
    p = llvm::CmpInst::getInversePredicate(p);  // the element when the compare is false
  else if (update.getTrueValue() != element || update.getFalseValue() != best)
    return false;
  if (p != llvm::CmpInst::FCMP_OGT && p != llvm::CmpInst::FCMP_OLT) return false;
  is_max = p == llvm::CmpInst::FCMP_OGT;
  return true;
}

bool used_in_loop_only_by(const llvm::Value* v, const llvm::Loop& loop, std::initializer_list<const llvm::Value*> users) {
  for (const llvm::User* user : v->users())
    if (loop.contains(llvm::cast<llvm::Instruction>(user)) && std::find(users.begin(), users.end(), user) == users.end())
      return false;
  return true;
}

// The phi of `exit` through which `best` (or its update) leaves the loop, or null.
llvm::PHINode* leaving_phi(llvm::BasicBlock& exit, llvm::BasicBlock* exiting, const RunningCompare& r) {
  for (llvm::PHINode& leaving : exit.phis()) {
    llvm::Value* v = leaving.getIncomingValueForBlock(exiting);
    if (v == r.best || v == r.update) return &leaving;
  }
  return nullptr;
}

// The running compares of an innermost loop without side effects; `shaped`
// also asks for the form versioning needs (LoopSimplify's and LCSSA's) and
// keeps only the compares whose value leaves the loop.
std::vector<RunningCompare> running_compares(llvm::Loop* loop, bool shaped) {
  std::vector<RunningCompare> found;
  llvm::BasicBlock* latch = loop->getLoopLatch();
  llvm::BasicBlock* exit = loop->getUniqueExitBlock();
  if (!loop->isInnermost() || !latch || has_side_effects(*loop)) return found;
  if (shaped && (!loop->getLoopPreheader() || !loop->getExitingBlock() || !exit || !loop->hasDedicatedExits()))
    return found;
  for (llvm::PHINode& best : loop->getHeader()->phis()) {
    if (!best.getType()->isFloatTy() && !best.getType()->isDoubleTy()) continue;
    auto* update = llvm::dyn_cast<llvm::SelectInst>(best.getIncomingValueForBlock(latch));
    auto* compare = update ? llvm::dyn_cast<llvm::FCmpInst>(update->getCondition()) : nullptr;
    if (!compare || !loop->contains(update) || !compare->hasOneUse()) continue;
    llvm::Value* element = update->getTrueValue() == &best ? update->getFalseValue() : update->getTrueValue();
    bool is_max = false;
    if (element == &best || !chooses_the_element_when_beyond(*update, *compare, &best, element, is_max)) continue;
    // Other readers inside the loop would see running values whose zeros may differ in sign.
    if (!used_in_loop_only_by(&best, *loop, {compare, update}) || !used_in_loop_only_by(update, *loop, {&best})) continue;
    RunningCompare r{&best, update, compare, element, is_max};
    if (shaped && !leaving_phi(*exit, loop->getExitingBlock(), r)) continue;  // nothing to check
    found.push_back(r);
  }
  return found;
}

// A loop ID of its own for the copy that runs again, which stays scalar: it
// runs only where an extreme is zero.
llvm::MDNode* scalar_loop_id(llvm::LLVMContext& context) {
  auto property = [&](const char* name, bool on) {
    return llvm::MDNode::get(context, {llvm::MDString::get(context, name),
                                       llvm::ConstantAsMetadata::get(llvm::ConstantInt::getBool(context, on))});
  };
  llvm::TempMDTuple placeholder = llvm::MDNode::getTemporary(context, {});
  llvm::MDNode* id = llvm::MDNode::getDistinct(
      context, {placeholder.get(), property("llvm.loop.vectorize.enable", false), property("llvm.loop.unroll.disable", true)});
  id->replaceOperandWith(0, id);
  return id;
}

// The copy that runs again: the original loop, entered from a preheader of
// its own and leaving to the same exit, whose phis gain its values.
llvm::BasicBlock* copy_to_run_again(llvm::Loop& loop) {
  llvm::BasicBlock* exit = loop.getUniqueExitBlock();
  llvm::BasicBlock* exiting = loop.getExitingBlock();
  llvm::Function& f = *exit->getParent();
  llvm::LLVMContext& context = f.getContext();
  llvm::ValueToValueMapTy map;
  llvm::BasicBlock* preheader = llvm::BasicBlock::Create(context, "extreme.rerun.preheader", &f, exit);
  map[loop.getLoopPreheader()] = preheader;
  std::vector<llvm::BasicBlock*> copies;
  for (llvm::BasicBlock* block : loop.blocks()) {
    llvm::BasicBlock* copy = llvm::CloneBasicBlock(block, map, ".rerun", &f);
    map[block] = copy;
    copies.push_back(copy);
  }
  llvm::remapInstructionsInBlocks(copies, map);
  llvm::BranchInst::Create(llvm::cast<llvm::BasicBlock>(map[loop.getHeader()]), preheader);
  llvm::cast<llvm::BasicBlock>(map[loop.getLoopLatch()])->getTerminator()->setMetadata(llvm::LLVMContext::MD_loop,
                                                                                        scalar_loop_id(context));
  auto* exiting_copy = llvm::cast<llvm::BasicBlock>(map[exiting]);
  for (llvm::PHINode& leaving : exit->phis()) {
    llvm::Value* value = leaving.getIncomingValueForBlock(exiting);
    auto mapped = map.find(value);
    leaving.addIncoming(mapped != map.end() ? static_cast<llvm::Value*>(mapped->second) : value, exiting_copy);
  }
  return preheader;
}

void version(llvm::Loop& loop, const std::vector<RunningCompare>& compares) {
  llvm::BasicBlock* exiting = loop.getExitingBlock();
  llvm::BasicBlock* exit = loop.getUniqueExitBlock();
  llvm::Function& f = *exit->getParent();
  llvm::LLVMContext& context = f.getContext();
  llvm::BasicBlock* rerun = copy_to_run_again(loop);

  // Between the first copy and the exit, the check whether an extreme ended on
  // a zero. Its phis keep the loop's values in LCSSA form.
  llvm::BasicBlock* check = llvm::BasicBlock::Create(context, "extreme.check", &f, rerun);
  exiting->getTerminator()->replaceSuccessorWith(exit, check);
  llvm::IRBuilder<> b(check);
  std::vector<llvm::PHINode*> leaving_phis;
  for (const RunningCompare& r : compares) leaving_phis.push_back(leaving_phi(*exit, exiting, r));
  std::vector<llvm::Value*> results(compares.size(), nullptr);
  for (llvm::PHINode& leaving : exit->phis()) {
    llvm::PHINode* kept = b.CreatePHI(leaving.getType(), 1, leaving.getName() + ".first");
    kept->addIncoming(leaving.getIncomingValueForBlock(exiting), exiting);
    for (size_t k = 0; k < compares.size(); ++k)
      if (leaving_phis[k] == &leaving) results[k] = kept;
    int from_exiting = leaving.getBasicBlockIndex(exiting);
    leaving.setIncomingBlock(from_exiting, check);
    leaving.setIncomingValue(from_exiting, kept);
  }
  llvm::Value* any_zero = b.getFalse();
  for (size_t k = 0; k < compares.size(); ++k)
    any_zero = b.CreateOr(any_zero, b.CreateFCmpOEQ(results[k], llvm::ConstantFP::get(results[k]->getType(), 0.0)));
  b.CreateCondBr(any_zero, rerun, exit);

  // The first copy: llvm.maximum of the running value and the element, a NaN element made the identity.
  for (const RunningCompare& r : compares) {
    b.SetInsertPoint(r.update);
    llvm::Value* identity = llvm::ConstantFP::getInfinity(r.best->getType(), /*Negative=*/r.is_max);
    llvm::Value* element = b.CreateSelect(b.CreateFCmpUNO(r.element, r.element), identity, r.element, "element.or_identity");
    auto* next = llvm::cast<llvm::Instruction>(b.CreateBinaryIntrinsic(
        r.is_max ? llvm::Intrinsic::maximum : llvm::Intrinsic::minimum, r.best, element, nullptr, "running.extreme"));
    llvm::FastMathFlags no_signed_zeros;  // a zero result runs the loop again
    no_signed_zeros.setNoSignedZeros();
    next->setFastMathFlags(no_signed_zeros);
    next->setMetadata(kMarker, llvm::MDNode::get(context, {}));
    r.update->replaceAllUsesWith(next);
    r.update->eraseFromParent();
    r.compare->eraseFromParent();
  }
}

// A marked maximum/minimum the vectorizer left scalar, as
// `maximum(best, isnan(v) ? identity : v)`: its element `v`, else null.
llvm::Value* scalar_marked_element(llvm::IntrinsicInst& call) {
  llvm::Intrinsic::ID id = call.getIntrinsicID();
  if ((id != llvm::Intrinsic::maximum && id != llvm::Intrinsic::minimum) || !call.getMetadata(kMarker) ||
      call.getType()->isVectorTy())
    return nullptr;
  auto* element = llvm::dyn_cast<llvm::SelectInst>(call.getArgOperand(1));
  auto* is_nan = element ? llvm::dyn_cast<llvm::FCmpInst>(element->getCondition()) : nullptr;
  if (!is_nan || is_nan->getPredicate() != llvm::CmpInst::FCMP_UNO) return nullptr;
  // InstCombine writes the NaN test `v uno v` as `v uno 0.0`: any number in place of the second v.
  llvm::Value* v = element->getFalseValue();
  auto is_v_or_a_number = [v](llvm::Value* operand) {
    auto* constant = llvm::dyn_cast<llvm::ConstantFP>(operand);
    return operand == v || (constant && !constant->isNaN());
  };
  bool tests_v = (is_nan->getOperand(0) == v && is_v_or_a_number(is_nan->getOperand(1))) ||
                 (is_nan->getOperand(1) == v && is_v_or_a_number(is_nan->getOperand(0)));
  return tests_v ? v : nullptr;
}

}  // namespace

llvm::PreservedAnalyses ExactRunningExtremaPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses) {
  auto& loops = analyses.getResult<llvm::LoopAnalysis>(f);
  auto& dominators = analyses.getResult<llvm::DominatorTreeAnalysis>(f);
  auto& evolution = analyses.getResult<llvm::ScalarEvolutionAnalysis>(f);
  std::vector<std::pair<llvm::Loop*, std::vector<RunningCompare>>> found;
  bool reshaped = false;
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) {
    if (running_compares(loop, /*shaped=*/false).empty() || !loads_are_consecutive(*loop, evolution)) continue;
    // At the vectorizer's start a loop may still lack a preheader or a dedicated exit.
    reshaped |= llvm::simplifyLoop(loop, &dominators, &loops, &evolution, nullptr, nullptr, /*PreserveLCSSA=*/false);
    reshaped |= llvm::formLCSSA(*loop, dominators, &loops, &evolution);
    auto compares = running_compares(loop, /*shaped=*/true);
    if (!compares.empty()) found.emplace_back(loop, std::move(compares));
  }
  // The loops found are innermost and apart: versioning one leaves the others' blocks as they were.
  for (auto& [loop, compares] : found) version(*loop, compares);
  return found.empty() && !reshaped ? llvm::PreservedAnalyses::all() : llvm::PreservedAnalyses::none();
}

llvm::PreservedAnalyses RestoreScalarRunningComparesPass::run(llvm::Function& f, llvm::FunctionAnalysisManager&) {
  std::vector<std::pair<llvm::IntrinsicInst*, llvm::Value*>> scalar;  // a call and its element
  for (llvm::Instruction& inst : llvm::instructions(f))
    if (auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst))
      if (llvm::Value* element = scalar_marked_element(*call)) scalar.emplace_back(call, element);
  for (auto [call, element] : scalar) {
    llvm::Value* best = call->getArgOperand(0);
    llvm::IRBuilder<> b(call);
    bool is_max = call->getIntrinsicID() == llvm::Intrinsic::maximum;
    llvm::Value* beyond = is_max ? b.CreateFCmpOGT(element, best) : b.CreateFCmpOLT(element, best);
    llvm::Value* select = b.CreateSelect(beyond, element, best, "running.compare");
    auto* dropped = llvm::cast<llvm::Instruction>(call->getArgOperand(1));
    call->replaceAllUsesWith(select);
    call->eraseFromParent();
    llvm::RecursivelyDeleteTriviallyDeadInstructions(dropped);
  }
  if (scalar.empty()) return llvm::PreservedAnalyses::all();
  llvm::PreservedAnalyses kept;
  kept.preserveSet<llvm::CFGAnalyses>();
  return kept;
}

}  // namespace numjit::codegen
