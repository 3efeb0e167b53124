#include "numjit/codegen/refcount_pruning.h"

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/Cloning.h>

namespace numjit::codegen {
namespace {

enum class Helper { none, increment, decrement };

Helper helper_kind(const llvm::Function* f) {
  if (!f || !f->hasFnAttribute(kRefcountHelper)) return Helper::none;
  return f->getFnAttribute(kRefcountHelper).getValueAsString() == "increment" ? Helper::increment
                                                                               : Helper::decrement;
}

llvm::CallInst* helper_call(llvm::Instruction& i, Helper kind) {
  auto* call = llvm::dyn_cast<llvm::CallInst>(&i);
  return call && helper_kind(call->getCalledFunction()) == kind ? call : nullptr;
}

// Whether `i` may drop a reference of some refcounted block, so that a count
// could reach zero there. Unknown code may; the helpers' increments, LLVM's
// intrinsics, runtime functions marked kKeepsReferences, and functions that
// free nothing (releasing the last reference frees) do not.
bool may_release(const llvm::Instruction& i) {
  const auto* call = llvm::dyn_cast<llvm::CallBase>(&i);
  if (!call || call->isInlineAsm()) return false;
  const llvm::Function* callee = call->getCalledFunction();
  if (!callee) return true;
  switch (helper_kind(callee)) {
    case Helper::increment: return false;
    case Helper::decrement: return true;
    case Helper::none: break;
  }
  if (callee->isIntrinsic() || callee->hasFnAttribute(kKeepsReferences)) return false;
  return !callee->doesNotFreeMemory();
}

bool releases_in(llvm::BasicBlock::iterator from, llvm::BasicBlock::iterator to) {
  for (auto it = from; it != to; ++it)
    if (may_release(*it)) return true;
  return false;
}

// Regions larger than this are not searched: pruning is an optimisation, and
// compile time matters more than the rare pair spanning a large region.
constexpr unsigned kMaxRegionBlocks = 64;

// Walks from `start` against (backward) or along (forward) the edges: true
// when every path reaches `stop` without meeting `start` again, without
// running off the function, and only through blocks that release nothing.
bool every_path_meets(llvm::BasicBlock* start, llvm::BasicBlock* stop, bool forward) {
  llvm::SmallPtrSet<llvm::BasicBlock*, 16> seen;
  llvm::SmallVector<llvm::BasicBlock*, 16> work;
  auto push_next = [&](llvm::BasicBlock* b) {
    if (forward) work.append(llvm::succ_begin(b), llvm::succ_end(b));
    else work.append(llvm::pred_begin(b), llvm::pred_end(b));
  };
  push_next(start);
  while (!work.empty()) {
    llvm::BasicBlock* b = work.pop_back_val();
    if (b == stop) continue;
    if (b == start) return false;
    if (!seen.insert(b).second) continue;
    if (seen.size() > kMaxRegionBlocks) return false;
    bool dead_end = forward ? llvm::succ_empty(b) : llvm::pred_empty(b);
    if (dead_end || releases_in(b->begin(), b->end())) return false;
    push_next(b);
  }
  return true;
}

// The increment that `decrement` cancels, or null: the nearest one of the same
// owner earlier in its block, else one in another block from which every path
// leads to the decrement and to which every path into it leads back, with no
// release between them.
llvm::CallInst* cancelled_increment(llvm::CallInst* decrement) {
  llvm::Value* owner = decrement->getArgOperand(0);
  llvm::BasicBlock* block = decrement->getParent();
  for (auto it = decrement->getIterator(); it != block->begin();) {
    --it;
    if (llvm::CallInst* inc = helper_call(*it, Helper::increment); inc && inc->getArgOperand(0) == owner) return inc;
    if (may_release(*it)) return nullptr;
  }
  for (llvm::User* user : owner->users()) {
    auto* inc = llvm::dyn_cast<llvm::CallInst>(user);
    if (!inc || !helper_call(*inc, Helper::increment) || inc->getArgOperand(0) != owner) continue;
    llvm::BasicBlock* from = inc->getParent();
    if (from == block || releases_in(std::next(inc->getIterator()), from->end())) continue;
    if (every_path_meets(from, block, true) && every_path_meets(block, from, false)) return inc;
  }
  return nullptr;
}

}  // namespace

int prune_refcount_pairs(llvm::Function& function) {
  // Increments and decrements of null (an array Python owns) do nothing.
  llvm::SmallVector<llvm::CallInst*, 32> decrements, no_ops;
  for (llvm::BasicBlock& b : function)
    for (llvm::Instruction& i : b)
      for (Helper kind : {Helper::increment, Helper::decrement})
        if (llvm::CallInst* call = helper_call(i, kind)) {
          if (llvm::isa<llvm::ConstantPointerNull>(call->getArgOperand(0))) no_ops.push_back(call);
          else if (kind == Helper::decrement) decrements.push_back(call);
        }
  for (llvm::CallInst* call : no_ops) call->eraseFromParent();
  int pruned = 0;
  // A pair nested between another pair blocks it until the inner one goes.
  for (bool changed = true; changed;) {
    changed = false;
    llvm::SmallVector<llvm::CallInst*, 32> left;
    for (llvm::CallInst* decrement : decrements) {
      if (llvm::CallInst* increment = cancelled_increment(decrement)) {
        increment->eraseFromParent();
        decrement->eraseFromParent();
        ++pruned;
        changed = true;
      } else {
        left.push_back(decrement);
      }
    }
    decrements = std::move(left);
  }
  return pruned;
}

llvm::PreservedAnalyses RefcountPruningPass::run(llvm::Module& module, llvm::ModuleAnalysisManager&) {
  bool changed = false;
  llvm::SmallVector<llvm::Function*, 2> helpers;
  for (llvm::Function& f : module) {
    if (helper_kind(&f) != Helper::none) helpers.push_back(&f);
    else if (!f.isDeclaration()) changed |= prune_refcount_pairs(f) > 0;
  }
  // The helpers stayed calls only to be seen here; the rest of the pipeline
  // optimises their atomic instructions in place.
  for (llvm::Function* helper : helpers) {
    helper->removeFnAttr(llvm::Attribute::NoInline);
    llvm::SmallVector<llvm::CallBase*, 32> calls;
    for (llvm::User* user : helper->users())
      if (auto* call = llvm::dyn_cast<llvm::CallBase>(user)) calls.push_back(call);
    for (llvm::CallBase* call : calls) {
      llvm::InlineFunctionInfo info;
      changed |= llvm::InlineFunction(*call, info).isSuccess();
    }
    if (helper->use_empty()) {
      helper->eraseFromParent();
      changed = true;
    }
  }
  return changed ? llvm::PreservedAnalyses::none() : llvm::PreservedAnalyses::all();
}

}  // namespace numjit::codegen
