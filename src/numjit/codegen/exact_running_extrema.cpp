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
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include <algorithm>
#include <map>
#include <string>
#include <optional>
#include <vector>

namespace numjit::codegen {
namespace {

constexpr const char* kMarker = "numjit.running_compare";

// A value set beside the running extreme (`k = i` in `if v > best: best = v;
// k = i`): the header phi `kept` that the select `update` sets to `value` in
// the iterations that take a new extreme. `value` is an integer `start + step
// * iteration` (`recurrence`), so its value in the iteration found is computed
// after the loop, from `start` and `step` expanded before it.
struct Position {
  llvm::PHINode* kept;
  llvm::SelectInst* update;
  llvm::Value* value;
  const llvm::SCEVAddRecExpr* recurrence;
  llvm::Value* start = nullptr;
  llvm::Value* step = nullptr;
};

// A running value `best` (a header phi) that the select `update` sets to
// `element` when the element is beyond it: above for a maximum, below for a
// minimum; and the positions set by the same compare.
struct RunningCompare {
  llvm::PHINode* best;
  llvm::SelectInst* update;
  llvm::FCmpInst* compare;
  llvm::Value* element;
  bool is_max;
  std::vector<Position> positions;
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

// The phi of `exit` through which a header phi (or its update) leaves the loop, or null.
llvm::PHINode* leaving_phi(llvm::BasicBlock& exit, llvm::BasicBlock* exiting, const llvm::PHINode* phi,
                           const llvm::SelectInst* update) {
  for (llvm::PHINode& leaving : exit.phis()) {
    llvm::Value* v = leaving.getIncomingValueForBlock(exiting);
    if (v == phi || v == update) return &leaving;
  }
  return nullptr;
}

llvm::PHINode* leaving_phi(llvm::BasicBlock& exit, llvm::BasicBlock* exiting, const RunningCompare& r) {
  return leaving_phi(exit, exiting, r.best, r.update);
}

// The position `select` sets, when it is one: the select takes its value in
// the iterations where `r.update` takes the element, and the value moves by a
// step the loop does not change. (Wrapping is no matter: the value is
// recomputed as start + step * iteration, modulo 2**bits as the loop's own.)
std::optional<Position> position_set_by(llvm::SelectInst& select, const RunningCompare& r, llvm::Loop& loop,
                                        llvm::ScalarEvolution& evolution) {
  const bool element_when_true = r.update->getTrueValue() == r.element;
  llvm::Value* value = element_when_true ? select.getTrueValue() : select.getFalseValue();
  auto* kept = llvm::dyn_cast<llvm::PHINode>(element_when_true ? select.getFalseValue() : select.getTrueValue());
  if (!kept || kept->getParent() != loop.getHeader() || !value->getType()->isIntegerTy() ||
      kept->getIncomingValueForBlock(loop.getLoopLatch()) != &select)
    return std::nullopt;
  if (!used_in_loop_only_by(kept, loop, {&select}) || !used_in_loop_only_by(&select, loop, {kept})) return std::nullopt;
  const auto* recurrence = llvm::dyn_cast<llvm::SCEVAddRecExpr>(evolution.getSCEV(value));
  if (!recurrence || recurrence->getLoop() != &loop || !recurrence->isAffine()) return std::nullopt;
  return Position{kept, &select, value, recurrence};
}

// Whether each element is the same number however often it is computed: no
// call but of an intrinsic that rounds once, as IEEE says. A math function
// (libm's sin, or libmvec's in a vectorized copy) may round an element
// differently in the copy that finds the extreme and the one that finds its
// position, which then would not find it.
bool computes_elements_exactly(const llvm::Loop& loop) {
  for (const llvm::BasicBlock* block : loop.blocks())
    for (const llvm::Instruction& inst : *block) {
      const auto* call = llvm::dyn_cast<llvm::CallBase>(&inst);
      if (!call) continue;
      switch (call->getIntrinsicID()) {
        case llvm::Intrinsic::fabs:
        case llvm::Intrinsic::sqrt:
        case llvm::Intrinsic::copysign:
        case llvm::Intrinsic::floor:
        case llvm::Intrinsic::ceil:
        case llvm::Intrinsic::trunc:
        case llvm::Intrinsic::rint:
        case llvm::Intrinsic::nearbyint:
        case llvm::Intrinsic::round:
        case llvm::Intrinsic::roundeven:
        case llvm::Intrinsic::minnum:
        case llvm::Intrinsic::maxnum:
        case llvm::Intrinsic::minimum:
        case llvm::Intrinsic::maximum:
        case llvm::Intrinsic::smin:
        case llvm::Intrinsic::smax:
        case llvm::Intrinsic::umin:
        case llvm::Intrinsic::umax:
        case llvm::Intrinsic::abs:
        case llvm::Intrinsic::fma: continue;
        default: return false;
      }
    }
  return true;
}

// The positions set by `r`'s compare, or nullopt when the compare has another user.
std::optional<std::vector<Position>> positions_of(const RunningCompare& r, llvm::Loop& loop,
                                                  llvm::ScalarEvolution& evolution) {
  std::vector<Position> positions;
  for (llvm::User* user : r.compare->users()) {
    if (user == r.update) continue;
    auto* select = llvm::dyn_cast<llvm::SelectInst>(user);
    std::optional<Position> position;
    if (select && select->getCondition() == r.compare) position = position_set_by(*select, r, loop, evolution);
    if (!position) return std::nullopt;
    positions.push_back(*position);
  }
  return positions;
}

// The running compares of an innermost loop without side effects. Given the
// dominator tree (`shaped`), it also asks for the form versioning needs
// (LoopSimplify's and LCSSA's) and keeps only the compares whose value leaves
// the loop, or whose positions all do: an extreme that only positions need
// is given a phi to leave through.
std::vector<RunningCompare> running_compares(llvm::Loop* loop, llvm::ScalarEvolution& evolution,
                                             const llvm::DominatorTree* shaped) {
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
    if (!compare || !loop->contains(update)) continue;
    llvm::Value* element = update->getTrueValue() == &best ? update->getFalseValue() : update->getTrueValue();
    bool is_max = false;
    if (element == &best || !chooses_the_element_when_beyond(*update, *compare, &best, element, is_max)) continue;
    // Other readers inside the loop would see running values whose zeros may differ in sign.
    if (!used_in_loop_only_by(&best, *loop, {compare, update}) || !used_in_loop_only_by(update, *loop, {&best})) continue;
    RunningCompare r{&best, update, compare, element, is_max, {}};
    std::optional<std::vector<Position>> positions = positions_of(r, *loop, evolution);
    if (!positions || (!positions->empty() && !computes_elements_exactly(*loop))) continue;
    r.positions = std::move(*positions);
    if (shaped) {
      // A position that does not leave is dead code LLVM has not removed yet.
      llvm::BasicBlock* exiting = loop->getExitingBlock();
      if (std::any_of(r.positions.begin(), r.positions.end(), [&](const Position& p) {
            return !leaving_phi(*exit, exiting, p.kept, p.update);
          }))
        continue;
      if (!leaving_phi(*exit, exiting, r)) {
        if (r.positions.empty()) continue;  // nothing to check
        // The value the exit sees: this iteration's update where it is made before the exit test.
        llvm::Value* last = shaped->dominates(update, exiting->getTerminator()) ? static_cast<llvm::Value*>(update) : &best;
        llvm::PHINode* leaving = llvm::PHINode::Create(best.getType(), 1, best.getName() + ".lcssa");
        leaving->insertBefore(exit->getFirstNonPHIIt());
        leaving->addIncoming(last, exiting);
      }
    }
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

// A copy of the loop's blocks, entered from a preheader of its own; its
// exiting block still branches to the loop's exit. `map` takes the original
// values to the copy's.
llvm::BasicBlock* copy_loop(llvm::Loop& loop, const std::string& name, llvm::ValueToValueMapTy& map) {
  llvm::BasicBlock* exit = loop.getUniqueExitBlock();
  llvm::Function& f = *exit->getParent();
  llvm::BasicBlock* preheader = llvm::BasicBlock::Create(f.getContext(), "extreme." + name + ".preheader", &f, exit);
  map[loop.getLoopPreheader()] = preheader;
  std::vector<llvm::BasicBlock*> copies;
  for (llvm::BasicBlock* block : loop.blocks()) {
    llvm::BasicBlock* copy = llvm::CloneBasicBlock(block, map, "." + name, &f);
    map[block] = copy;
    copies.push_back(copy);
  }
  llvm::remapInstructionsInBlocks(copies, map);
  llvm::BranchInst::Create(llvm::cast<llvm::BasicBlock>(map[loop.getHeader()]), preheader);
  return preheader;
}

llvm::Value* copied(llvm::ValueToValueMapTy& map, llvm::Value* v) {
  auto found = map.find(v);
  return found != map.end() ? static_cast<llvm::Value*>(found->second) : v;
}

// The copy that runs again: the original loop, leaving to the same exit,
// whose phis gain its values. It stays scalar: it runs only where an extreme is zero.
llvm::BasicBlock* copy_to_run_again(llvm::Loop& loop) {
  llvm::BasicBlock* exit = loop.getUniqueExitBlock();
  llvm::BasicBlock* exiting = loop.getExitingBlock();
  llvm::ValueToValueMapTy map;
  llvm::BasicBlock* preheader = copy_loop(loop, "rerun", map);
  llvm::cast<llvm::BasicBlock>(map[loop.getLoopLatch()])->getTerminator()->setMetadata(
      llvm::LLVMContext::MD_loop, scalar_loop_id(exit->getContext()));
  auto* exiting_copy = llvm::cast<llvm::BasicBlock>(map[exiting]);
  for (llvm::PHINode& leaving : exit->phis())
    leaving.addIncoming(copied(map, leaving.getIncomingValueForBlock(exiting)), exiting_copy);
  return preheader;
}

// The copy that finds the positions, once the first copy has the extremes: an
// element equal to its extreme `holds` it, and an llvm.umin reduction keeps
// the first iteration (counted from 0) that holds it. The extremes' and
// positions' own running values are dropped from this copy, and so is any
// other running value left without a reader (a sum beside the extreme), which
// would keep the vectorizer from it. Leaves to `done` instead of the loop's
// `exit`; the phis `found` receive, for each compare with positions, its
// first iteration.
void finish_position_search(llvm::Loop& loop, llvm::BasicBlock* exit, llvm::ValueToValueMapTy& map,
                            const std::vector<RunningCompare>& compares, const std::vector<llvm::Value*>& extremes,
                            llvm::BasicBlock* done, std::vector<llvm::Value*>& found) {
  llvm::BasicBlock* exiting = loop.getExitingBlock();
  auto* exiting_copy = llvm::cast<llvm::BasicBlock>(map[exiting]);
  auto* preheader_copy = llvm::cast<llvm::BasicBlock>(map[loop.getLoopPreheader()]);
  auto* header_copy = llvm::cast<llvm::BasicBlock>(map[loop.getHeader()]);
  auto* latch_copy = llvm::cast<llvm::BasicBlock>(map[loop.getLoopLatch()]);
  exiting_copy->getTerminator()->replaceSuccessorWith(exit, done);
  // A loop ID of its own: the vectorizer marks each loop it has done.
  if (llvm::MDNode* id = latch_copy->getTerminator()->getMetadata(llvm::LLVMContext::MD_loop)) {
    llvm::SmallVector<llvm::Metadata*, 4> operands(id->op_begin(), id->op_end());
    llvm::MDNode* own = llvm::MDNode::getDistinct(id->getContext(), operands);
    own->replaceOperandWith(0, own);
    latch_copy->getTerminator()->setMetadata(llvm::LLVMContext::MD_loop, own);
  }
  llvm::IRBuilder<> b(header_copy, header_copy->getFirstInsertionPt());
  llvm::Type* i64 = b.getInt64Ty();
  llvm::Constant* none = llvm::ConstantInt::getAllOnesValue(i64);
  llvm::PHINode* iteration = b.CreatePHI(i64, 2, "iteration");
  iteration->addIncoming(b.getInt64(0), preheader_copy);
  b.SetInsertPoint(latch_copy->getTerminator());
  iteration->addIncoming(b.CreateNUWAdd(iteration, b.getInt64(1), "iteration.next"), latch_copy);
  llvm::IRBuilder<> at_done(done);
  for (size_t k = 0; k < compares.size(); ++k) {
    const RunningCompare& r = compares[k];
    auto* compare = llvm::cast<llvm::Instruction>(map[r.compare]);
    auto* update = llvm::cast<llvm::Instruction>(map[r.update]);
    auto* best = llvm::cast<llvm::Instruction>(map[r.best]);
    b.SetInsertPoint(compare);
    llvm::Value* holds = b.CreateFCmpOEQ(copied(map, r.element), extremes[k], "holds.extreme");
    if (!r.positions.empty()) {
      b.SetInsertPoint(header_copy, header_copy->getFirstInsertionPt());
      llvm::PHINode* first = b.CreatePHI(i64, 2, "first.holding");
      first->addIncoming(none, preheader_copy);
      b.SetInsertPoint(compare);
      llvm::Value* candidate = b.CreateSelect(holds, iteration, none, "holding");
      llvm::Value* next = b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, first, candidate, nullptr, "first.holding.next");
      first->addIncoming(next, latch_copy);
      // Leaves as the original's extreme does: the running value, or its update.
      const bool after_update = leaving_phi(*exit, exiting, r)->getIncomingValueForBlock(exiting) == r.update;
      llvm::PHINode* out = at_done.CreatePHI(i64, 1, "first.holding.found");
      out->addIncoming(after_update ? next : static_cast<llvm::Value*>(first), exiting_copy);
      found.push_back(out);
    }
    for (const Position& p : r.positions) {
      auto* select = llvm::cast<llvm::Instruction>(map[p.update]);
      select->replaceAllUsesWith(map[p.kept]);  // the kept phi, now dead, goes below
      select->eraseFromParent();
    }
    compare->replaceAllUsesWith(holds);
    compare->eraseFromParent();
    update->replaceAllUsesWith(llvm::PoisonValue::get(update->getType()));
    update->eraseFromParent();
    best->replaceAllUsesWith(llvm::PoisonValue::get(best->getType()));
    best->eraseFromParent();
    llvm::RecursivelyDeleteTriviallyDeadInstructions(holds);
  }
  llvm::SmallVector<llvm::WeakTrackingVH, 8> header_phis;
  for (llvm::PHINode& phi : header_copy->phis()) header_phis.emplace_back(&phi);
  for (llvm::WeakTrackingVH& phi : header_phis)
    if (auto* still = llvm::dyn_cast_or_null<llvm::PHINode>(phi)) llvm::RecursivelyDeleteDeadPHINode(still);
}

void version(llvm::Loop& loop, const std::vector<RunningCompare>& compares) {
  llvm::BasicBlock* exiting = loop.getExitingBlock();
  llvm::BasicBlock* exit = loop.getUniqueExitBlock();
  llvm::BasicBlock* preheader = loop.getLoopPreheader();
  llvm::Function& f = *exit->getParent();
  llvm::LLVMContext& context = f.getContext();
  const bool has_positions = std::any_of(compares.begin(), compares.end(),
                                         [](const RunningCompare& r) { return !r.positions.empty(); });
  std::vector<llvm::PHINode*> leaving_phis;
  for (const RunningCompare& r : compares) leaving_phis.push_back(leaving_phi(*exit, exiting, r));
  std::vector<llvm::PHINode*> leaving_positions;  // in the order of the compares' positions
  for (const RunningCompare& r : compares)
    for (const Position& p : r.positions) leaving_positions.push_back(leaving_phi(*exit, exiting, p.kept, p.update));
  llvm::BasicBlock* rerun = copy_to_run_again(loop);
  llvm::ValueToValueMapTy search;
  llvm::BasicBlock* search_preheader = has_positions ? copy_loop(loop, "positions", search) : nullptr;

  // Between the first copy and the exit, the check whether an extreme ended on
  // a zero. Its phis keep the loop's values in LCSSA form.
  llvm::BasicBlock* check = llvm::BasicBlock::Create(context, "extreme.check", &f, rerun);
  exiting->getTerminator()->replaceSuccessorWith(exit, check);
  llvm::IRBuilder<> b(check);
  std::vector<llvm::Value*> results(compares.size(), nullptr);
  std::vector<std::pair<llvm::PHINode*, llvm::PHINode*>> kept_for;  // each exit phi, and its value after the first copy
  for (llvm::PHINode& leaving : exit->phis()) {
    llvm::PHINode* kept = b.CreatePHI(leaving.getType(), 1, leaving.getName() + ".first");
    kept->addIncoming(leaving.getIncomingValueForBlock(exiting), exiting);
    for (size_t k = 0; k < compares.size(); ++k)
      if (leaving_phis[k] == &leaving) results[k] = kept;
    kept_for.emplace_back(&leaving, kept);
  }
  llvm::Value* any_zero = b.getFalse();
  for (size_t k = 0; k < compares.size(); ++k)
    any_zero = b.CreateOr(any_zero, b.CreateFCmpOEQ(results[k], llvm::ConstantFP::get(results[k]->getType(), 0.0)));
  // Where the search runs, the loop's values leave from the block after it.
  llvm::BasicBlock* last = check;
  std::map<llvm::PHINode*, llvm::Value*> leaving_value;
  if (has_positions) {
    llvm::BasicBlock* done = llvm::BasicBlock::Create(context, "extreme.positions.done", &f, rerun);
    std::vector<llvm::Value*> found;
    finish_position_search(loop, exit, search, compares, results, done, found);
    // A position is its value in the first iteration holding the extreme, if
    // the extreme moved past its start: `v > best` never took an element otherwise.
    llvm::IRBuilder<> d(done);
    size_t next_found = 0, next_leaving = 0;
    llvm::Value* lost = d.getFalse();  // an extreme the search did not meet again
    for (size_t k = 0; k < compares.size(); ++k) {
      const RunningCompare& r = compares[k];
      if (r.positions.empty()) continue;
      llvm::Value* start = r.best->getIncomingValueForBlock(preheader);
      llvm::Value* moved = r.is_max ? d.CreateFCmpOGT(results[k], start) : d.CreateFCmpOLT(results[k], start);
      llvm::Value* iteration = found[next_found++];
      lost = d.CreateOr(lost, d.CreateAnd(moved, d.CreateICmpEQ(iteration, d.getInt64(-1))));
      for (const Position& p : r.positions) {
        llvm::Value* steps = d.CreateZExtOrTrunc(iteration, p.value->getType());
        llvm::Value* value = d.CreateAdd(p.start, d.CreateMul(p.step, steps), "position.value");
        leaving_value[leaving_positions[next_leaving++]] =
            d.CreateSelect(moved, value, p.kept->getIncomingValueForBlock(preheader), "position");
      }
    }
    // Every element is computed exactly (computes_elements_exactly), so the
    // search meets each extreme; the original loop answers if it ever did not.
    d.CreateCondBr(lost, rerun, exit);
    last = done;
  }
  b.CreateCondBr(any_zero, rerun, has_positions ? search_preheader : exit);
  for (auto [leaving, kept] : kept_for) {
    int from_exiting = leaving->getBasicBlockIndex(exiting);
    leaving->setIncomingBlock(from_exiting, last);
    auto moved = leaving_value.find(leaving);
    leaving->setIncomingValue(from_exiting, moved != leaving_value.end() ? moved->second : kept);
  }

  // The first copy: llvm.maximum of the running value and the element, a NaN
  // element made the identity; the positions are left to the search.
  for (const RunningCompare& r : compares) {
    for (const Position& p : r.positions) {
      p.update->replaceAllUsesWith(p.kept);
      p.update->eraseFromParent();
    }
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

// Each position's start and step, expanded in the preheader while
// ScalarEvolution still describes the function; false (nothing expanded) where
// one cannot be computed there safely.
bool expand_positions(llvm::Loop& loop, std::vector<RunningCompare>& compares, llvm::ScalarEvolution& evolution) {
  llvm::SCEVExpander expander(evolution, loop.getHeader()->getModule()->getDataLayout(), "position");
  llvm::Instruction* at = loop.getLoopPreheader()->getTerminator();
  for (const RunningCompare& r : compares)
    for (const Position& p : r.positions)
      if (!expander.isSafeToExpandAt(p.recurrence->getStart(), at) ||
          !expander.isSafeToExpandAt(p.recurrence->getStepRecurrence(evolution), at))
        return false;
  for (RunningCompare& r : compares)
    for (Position& p : r.positions) {
      p.start = expander.expandCodeFor(p.recurrence->getStart(), p.value->getType(), at);
      p.step = expander.expandCodeFor(p.recurrence->getStepRecurrence(evolution), p.value->getType(), at);
    }
  return true;
}

}  // namespace

llvm::PreservedAnalyses ExactRunningExtremaPass::run(llvm::Function& f, llvm::FunctionAnalysisManager& analyses) {
  auto& loops = analyses.getResult<llvm::LoopAnalysis>(f);
  auto& dominators = analyses.getResult<llvm::DominatorTreeAnalysis>(f);
  auto& evolution = analyses.getResult<llvm::ScalarEvolutionAnalysis>(f);
  std::vector<std::pair<llvm::Loop*, std::vector<RunningCompare>>> found;
  bool reshaped = false;
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) {
    if (running_compares(loop, evolution, /*shaped=*/nullptr).empty() || !loads_are_consecutive(*loop, evolution))
      continue;
    // At the vectorizer's start a loop may still lack a preheader or a dedicated exit.
    reshaped |= llvm::simplifyLoop(loop, &dominators, &loops, &evolution, nullptr, nullptr, /*PreserveLCSSA=*/false);
    reshaped |= llvm::formLCSSA(*loop, dominators, &loops, &evolution);
    auto compares = running_compares(loop, evolution, &dominators);
    if (!compares.empty() && expand_positions(*loop, compares, evolution)) found.emplace_back(loop, std::move(compares));
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
