// Memory ownership in compiled code (runtime/memory.h). The rule is simple
// enough to check by reading the IR:
//  - a local that holds array memory owns one reference: the entry block
//    zeroes it, assigning increfs the new value before decref'ing the old,
//    parameters are incref'd on entry;
//  - an expression that creates memory (a library call returning an array, a
//    jitted call, a whole-array expression) yields a new reference, parked in
//    a temporary slot that is released when its statement ends; every other
//    expression value is borrowed from a local or a temporary;
//  - every way out of the function (return, raise, a failed call) goes through
//    one cleanup block that releases all locals and temporary slots, so early
//    returns and exceptions leak nothing; a returned value is incref'd first,
//    the caller (or the boxing of the result) takes that reference.
// Arrays that compiled code did not allocate have a null meminfo; the
// increments and decrements skip them.
#include <llvm/IR/MDBuilder.h>

#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/codegen/refcount_pruning.h"
#include "numjit/lower/module_lowering.h"

namespace numjit::lower {

using types::TypeKind;

bool holds_memory(const Type* t) {
  switch (t->kind) {
    case TypeKind::Array:
    case TypeKind::List:
    case TypeKind::Set:
    case TypeKind::String:
    case TypeKind::Generator:
    case TypeKind::Dict: return true;
    case TypeKind::Optional: return holds_memory(t->elements[0]);
    case TypeKind::Tuple:
      for (const Type* e : t->elements)
        if (holds_memory(e)) return true;
      return false;
    default: return false;
  }
}

uint64_t owned_word_mask(const Type* t, llvm::LLVMContext& ctx, const llvm::DataLayout& layout, uint64_t offset) {
  switch (t->kind) {
    case TypeKind::Array:  // its header starts with its MemInfo
    case TypeKind::List:
    case TypeKind::Set:
    case TypeKind::String:
    case TypeKind::Generator:
    case TypeKind::Dict: return offset % 8 == 0 && offset < 8 * 64 ? uint64_t(1) << (offset / 8) : 0;
    case TypeKind::Tuple: {
      auto* st = llvm::cast<llvm::StructType>(memory_type(ctx, t));
      const llvm::StructLayout* fields = layout.getStructLayout(st);
      uint64_t mask = 0;
      for (unsigned i = 0; i < t->elements.size(); ++i)
        mask |= owned_word_mask(t->elements[i], ctx, layout, offset + fields->getElementOffset(i));
      return mask;
    }
    default: return 0;
  }
}

namespace {

// Helpers shared by every function of a module: `void f(ptr meminfo)`. They
// stay calls until codegen/refcount_pruning.h has removed the pairs that
// cancel out, which inlines the rest.
llvm::Function* refcount_helper(llvm::Module& m, bool increment) {
  const char* name = increment ? "numjit.incref" : "numjit.decref";
  if (llvm::Function* f = m.getFunction(name)) return f;
  llvm::LLVMContext& ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  auto* fty = llvm::FunctionType::get(b.getVoidTy(), {b.getPtrTy()}, false);
  auto* f = llvm::Function::Create(fty, llvm::Function::InternalLinkage, name, m);
  f->addFnAttr(codegen::kRefcountHelper, increment ? "increment" : "decrement");
  f->addFnAttr(llvm::Attribute::NoInline);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  f->addFnAttr(llvm::Attribute::WillReturn);
  f->addParamAttr(0, llvm::Attribute::NoCapture);
  if (increment) {
    // Only the count it points to: loads and stores elsewhere move past it.
    f->setMemoryEffects(llvm::MemoryEffects::argMemOnly());
    f->addFnAttr(llvm::Attribute::NoFree);
  }
  llvm::Value* mi = f->getArg(0);
  auto* entry = llvm::BasicBlock::Create(ctx, "entry", f);
  auto* owned = llvm::BasicBlock::Create(ctx, "owned", f);
  auto* done = llvm::BasicBlock::Create(ctx, "done", f);
  b.SetInsertPoint(entry);
  b.CreateCondBr(b.CreateIsNull(mi), done, owned);
  b.SetInsertPoint(owned);
  if (increment) {
    b.CreateAtomicRMW(llvm::AtomicRMWInst::Add, mi, b.getInt64(1), llvm::MaybeAlign(8),
                      llvm::AtomicOrdering::Monotonic);
    b.CreateBr(done);
  } else {
    llvm::Value* old = b.CreateAtomicRMW(llvm::AtomicRMWInst::Sub, mi, b.getInt64(1), llvm::MaybeAlign(8),
                                         llvm::AtomicOrdering::AcquireRelease);
    auto* last = llvm::BasicBlock::Create(ctx, "last", f);
    b.CreateCondBr(b.CreateICmpEQ(old, b.getInt64(1)), last, done);
    b.SetInsertPoint(last);
    llvm::FunctionCallee release =
        runtime_function(m, RuntimeFunction::meminfo_release);
    b.CreateCall(release, {mi});
    b.CreateBr(done);
  }
  b.SetInsertPoint(done);
  b.CreateRetVoid();
  return f;
}

}  // namespace

void FunctionLowering::for_each_meminfo(llvm::Value* v, const Type* t, const std::function<void(llvm::Value*)>& fn) {
  auto& b = builder_;
  switch (t->kind) {
    case TypeKind::Array: fn(b.CreateExtractValue(v, kArrayMeminfo)); return;
    case TypeKind::List:
    case TypeKind::Set:
    case TypeKind::String:
    case TypeKind::Generator:
    case TypeKind::Dict: fn(v); return;
    case TypeKind::Tuple:
      for (unsigned i = 0; i < t->elements.size(); ++i)
        if (holds_memory(t->elements[i])) for_each_meminfo(b.CreateExtractValue(v, i), t->elements[i], fn);
      return;
    case TypeKind::Optional: {
      // An absent payload is undefined: select a null owner for it.
      llvm::Value* present = b.CreateExtractValue(v, 0);
      for_each_meminfo(b.CreateExtractValue(v, 1), t->elements[0], [&](llvm::Value* mi) {
        fn(b.CreateSelect(present, mi, llvm::ConstantPointerNull::get(b.getPtrTy())));
      });
      return;
    }
    default: return;
  }
}

void FunctionLowering::incref(llvm::Value* v, const Type* t) {
  if (!holds_memory(t)) return;
  llvm::Function* helper = refcount_helper(module(), true);
  for_each_meminfo(v, t, [&](llvm::Value* mi) { builder_.CreateCall(helper, {mi}); });
}

void FunctionLowering::decref(llvm::Value* v, const Type* t) {
  if (!holds_memory(t)) return;
  llvm::Function* helper = refcount_helper(module(), false);
  for_each_meminfo(v, t, [&](llvm::Value* mi) { builder_.CreateCall(helper, {mi}); });
}

namespace {
bool holds_array(const Type* t) {
  if (t->is_array()) return true;
  if (t->kind != TypeKind::Tuple) return false;
  for (const Type* e : t->elements)
    if (holds_array(e)) return true;
  return false;
}
}  // namespace

// An array Python owns has no MemInfo: its header borrows the ndarray for the
// call. A numjit.typed container outlives the call, so such an array stored
// into one gets a MemInfo that holds the ndarray (numjit_rt_array_keep).
llvm::Value* FunctionLowering::own_stored(llvm::Value* v, const Type* item, const Type* container) {
  if (!container->typed_container || !holds_array(item)) {
    incref(v, item);
    return v;
  }
  auto& b = builder_;
  if (item->is_array()) {
    llvm::FunctionCallee keep = runtime_function(module(), RuntimeFunction::array_keep);
    llvm::Value* kept = b.CreateCall(keep, {b.CreateExtractValue(v, kArrayMeminfo), b.CreateExtractValue(v, kArrayParent)});
    return b.CreateInsertValue(v, kept, kArrayMeminfo);
  }
  for (unsigned i = 0; i < item->elements.size(); ++i)
    v = b.CreateInsertValue(v, own_stored(b.CreateExtractValue(v, i), item->elements[i], container), i);
  return v;
}

void FunctionLowering::store_local(int local, llvm::Value* value) {
  const Type* t = fn_.locals[local].type;
  if (static_cast<size_t>(local) < assigned_flags_.size() && assigned_flags_[local])
    builder_.CreateStore(builder_.getTrue(), assigned_flags_[local]);
  if (!holds_memory(t)) {
    builder_.CreateStore(value, locals_[local]);
    return;
  }
  // Increment first: `a = a` must not free a.
  incref(value, t);
  llvm::Value* old = builder_.CreateLoad(value_type(context(), t), locals_[local]);
  builder_.CreateStore(value, locals_[local]);
  decref(old, t);
}

llvm::Value* FunctionLowering::own_temporary(llvm::Value* value, const Type* t) {
  if (!holds_memory(t)) return value;
  llvm::Type* ty = value_type(context(), t);
  llvm::AllocaInst* slot = entry_alloca(ty, "temporary");
  {
    llvm::IRBuilder<>::InsertPointGuard guard(builder_);
    builder_.SetInsertPoint(slot->getNextNode());
    builder_.CreateStore(llvm::Constant::getNullValue(ty), slot);
  }
  builder_.CreateStore(value, slot);
  live_temporaries_.push_back({slot, t});
  all_temporaries_.push_back({slot, t});
  return value;
}

void FunctionLowering::hand_over_last_temporary() {
  auto [slot, t] = live_temporaries_.back();
  live_temporaries_.pop_back();
  // The cleanup block still reads the slot: null releases nothing there.
  builder_.CreateStore(llvm::Constant::getNullValue(value_type(context(), t)), slot);
}

void FunctionLowering::release_temporaries(size_t mark) {
  while (live_temporaries_.size() > mark) {
    auto [slot, t] = live_temporaries_.back();
    live_temporaries_.pop_back();
    if (block_terminated()) continue;  // the cleanup block releases it
    llvm::Type* ty = value_type(context(), t);
    decref(builder_.CreateLoad(ty, slot), t);
    builder_.CreateStore(llvm::Constant::getNullValue(ty), slot);
  }
}

void FunctionLowering::exit_function(llvm::Value* status) {
  if (!routes_error(status)) leave_function(status);
}

void FunctionLowering::leave_function(llvm::Value* status) {
  if (!cleanup_block_) {
    cleanup_block_ = new_block("cleanup");
    status_slot_ = entry_alloca(builder_.getInt32Ty(), "status");
  }
  builder_.CreateStore(status, status_slot_);
  builder_.CreateBr(cleanup_block_);
}

void FunctionLowering::exit_if_failed(llvm::Value* status) { exit_if_failed_restoring(status, nullptr); }

void FunctionLowering::exit_if_failed_restoring(llvm::Value* status, llvm::Value* stack) {
  llvm::BasicBlock* failed = new_block("call.failed");
  llvm::BasicBlock* ok = new_block("call.ok");
  llvm::MDBuilder md(context());
  builder_.CreateCondBr(builder_.CreateICmpNE(status, builder_.getInt32(0)), failed, ok,
                        md.createBranchWeights(1, 1 << 20));
  builder_.SetInsertPoint(failed);
  if (stack) builder_.CreateStackRestore(stack);
  exit_function(status);
  builder_.SetInsertPoint(ok);
}

void FunctionLowering::finish_cleanup() {
  if (!cleanup_block_) return;
  builder_.SetInsertPoint(cleanup_block_);
  for (size_t i = 0; i < fn_.locals.size(); ++i) {
    const Type* t = fn_.locals[i].type;
    if (locals_[i] && holds_memory(t)) decref(builder_.CreateLoad(value_type(context(), t), locals_[i]), t);
  }
  for (auto [slot, t] : all_temporaries_) decref(builder_.CreateLoad(value_type(context(), t), slot), t);
  builder_.CreateRet(builder_.CreateLoad(builder_.getInt32Ty(), status_slot_));
}

}  // namespace numjit::lower
