// try/except/else/finally. Compiled code has no unwinding: an error is a
// status returned up the call chain with the exception pending in the
// runtime (runtime/errors.cpp). Inside a try body every error exit
// (FunctionLowering::exit_function) branches to the try's handlers instead of
// the function's cleanup; there the pending error is taken into a record of
// its own (numjit_rt_catch_error), so that the handler may itself raise and
// catch, and is matched against each except clause's classes in order.
//
// A finally block is lowered once for each way out of the statement, as
// CPython's compiler does: after the normal end, after an exception that
// escaped the handlers (which is kept aside while it runs, then raised
// again), and before each return, break or continue that leaves it.
#include <llvm/IR/CFG.h>

#include "numjit/lower/function_lowering.h"
#include "numjit/lower/module_lowering.h"

namespace numjit::lower {

using hir::ExprKind;

namespace {
bool is_ok_status(llvm::Value* status) {
  auto* constant = llvm::dyn_cast<llvm::ConstantInt>(status);
  return constant && constant->isZero();
}
}  // namespace

bool FunctionLowering::routes_error(llvm::Value* status) {
  if (try_scopes_.empty() || is_ok_status(status)) return false;
  auto& b = builder_;
  for (size_t i = try_scopes_.size(); i-- > 0;) {
    const TryScope& scope = try_scopes_[i];
    if (scope.record) discard_record(scope.record);  // a new error replaces the one being handled
    if (scope.on_error) {
      b.CreateBr(scope.on_error);
      return true;
    }
  }
  return false;  // no scope catches it: it leaves the function
}

void FunctionLowering::discard_record(llvm::AllocaInst* record) {
  auto& b = builder_;
  b.CreateCall(runtime_function(module(), RuntimeFunction::discard_error), {b.CreateLoad(b.getPtrTy(), record)});
  b.CreateStore(llvm::Constant::getNullValue(b.getPtrTy()), record);
}

llvm::AllocaInst* FunctionLowering::record_slot(const std::string& name) {
  llvm::AllocaInst* slot = entry_alloca(builder_.getPtrTy(), name);
  llvm::IRBuilder<>::InsertPointGuard guard(builder_);
  builder_.SetInsertPoint(slot->getNextNode());
  builder_.CreateStore(llvm::Constant::getNullValue(builder_.getPtrTy()), slot);
  return slot;
}

// The temporaries made since `mark`: those a statement of the region still
// held when it failed hold a reference (the others are null).
void FunctionLowering::release_temporaries_since(size_t mark) {
  for (size_t i = mark; i < all_temporaries_.size(); ++i) {
    auto [slot, t] = all_temporaries_[i];
    llvm::Type* ty = value_type(context(), t);
    decref(builder_.CreateLoad(ty, slot), t);
    builder_.CreateStore(llvm::Constant::getNullValue(ty), slot);
  }
}

void FunctionLowering::leave_try_scopes(size_t first) {
  std::vector<TryScope> saved = try_scopes_;
  std::vector<LoopTargets> loops = loops_;
  // The bounds in force where the jump is need not hold in a finally block
  // that assigns their locals (the statements that bounded them never saw it).
  std::map<int, std::vector<int64_t>> bounds = std::move(local_lower_bounds_);
  local_lower_bounds_.clear();
  for (size_t i = saved.size(); i-- > first;) {
    if (saved[i].record) discard_record(saved[i].record);
    if (!saved[i].finally_body) continue;
    // It runs outside its own try, and outside the loops the try holds: its
    // own break or continue leaves the loop around the try.
    try_scopes_.assign(saved.begin(), saved.begin() + static_cast<long>(i));
    loops_.assign(loops.begin(), loops.begin() + static_cast<long>(saved[i].loop_depth));
    block(*saved[i].finally_body);
    if (block_terminated()) break;  // the finally block left by itself (a return, a raise, a jump)
  }
  try_scopes_ = std::move(saved);
  loops_ = std::move(loops);
  local_lower_bounds_ = std::move(bounds);
}

size_t FunctionLowering::scopes_inside_loop() const {
  size_t first = try_scopes_.size();
  while (first > 0 && try_scopes_[first - 1].loop_depth >= loops_.size()) --first;
  return first;
}

void FunctionLowering::jump_out_of_loop(bool to_break, const hir::Expr* flag) {
  leave_try_scopes(scopes_inside_loop());
  if (block_terminated()) return;
  if (flag) store_local(flag->local, builder_.getTrue());  // the break happens: the loop's else is skipped
  // What statements the jump abandons still hold (a return's value, when a
  // finally block's break or continue cancels the return) is released here:
  // the slots are used again by the next pass.
  for (size_t i = loops_.back().live_temporaries; i < live_temporaries_.size(); ++i) {
    auto [slot, t] = live_temporaries_[i];
    llvm::Type* ty = value_type(context(), t);
    decref(builder_.CreateLoad(ty, slot), t);
    builder_.CreateStore(llvm::Constant::getNullValue(ty), slot);
  }
  builder_.CreateBr(to_break ? loops_.back().break_block : loops_.back().continue_block);
}

void FunctionLowering::raise_again() {
  auto& b = builder_;
  for (size_t i = try_scopes_.size(); i-- > 0;) {
    if (!try_scopes_[i].handler) continue;
    // A copy: the handler keeps its record, which a later bare raise (after
    // this one is caught inside the handler) raises again.
    b.CreateCall(runtime_function(module(), RuntimeFunction::raise_caught),
                 {b.CreateLoad(b.getPtrTy(), try_scopes_[i].record)});
    exit_function(b.getInt32(abi::kStatusError));
    return;
  }
  internal_error("a bare raise outside an except block", fn_.span);
}

namespace {
// Whether a bare raise in `b` (nested blocks included) may need the caught error's record.
bool raises_again(const hir::Block& b) {
  for (const auto& s : b) {
    if (s->kind == hir::StmtKind::Raise && !s->value) return true;
    for (const hir::Block* inner : s->blocks())
      if (raises_again(*inner)) return true;
  }
  return false;
}
}  // namespace

bool FunctionLowering::enter_clause_directly(ExceptionKind kind) {
  uint32_t bit = uint32_t{1} << static_cast<int>(kind);
  for (size_t i = try_scopes_.size(); i-- > 0;) {
    const TryScope& scope = try_scopes_[i];
    if (!scope.try_stmt) {
      if (scope.on_error) return false;  // an else or a handler with a finally to run: the general path
      continue;                          // a handler without one: passed, its record freed below
    }
    const hir::Block& clauses = scope.try_stmt->handlers;
    for (size_t h = 0; h < clauses.size(); ++h) {
      uint32_t caught = clauses[h]->caught_kinds;
      if (caught & hir::Stmt::kClassesUnknownWhenRead) return false;
      if (!(caught & bit)) continue;
      if (raises_again(clauses[h]->body)) return false;
      for (size_t j = try_scopes_.size(); j-- > i + 1;)
        if (try_scopes_[j].record) discard_record(try_scopes_[j].record);
      release_temporaries_since(scope.temporaries_mark);
      builder_.CreateBr(scope.clause_entries[h]);
      return true;
    }
    return false;  // no clause of this try catches it
  }
  return false;
}

llvm::Value* FunctionLowering::caught_by(const hir::Expr& classes, llvm::Value* record) {
  auto& b = builder_;
  if (classes.kind == ExprKind::Tuple) {
    llvm::Value* any = b.getFalse();
    for (const hir::Expr& c : classes.elements()) any = b.CreateOr(any, caught_by(c, record));
    return any;
  }
  llvm::Value* cls = module_.object_address(b, classes.global.py_object, ModuleLowering::ImportKind::ExceptionClass,
                                            "exception class " + classes.global.name);
  llvm::Value* matches = b.CreateCall(runtime_function(module(), RuntimeFunction::caught_error_matches), {record, cls});
  return b.CreateICmpNE(matches, b.getInt32(0));
}

void FunctionLowering::try_stmt(const hir::Stmt& s) {
  auto& b = builder_;
  size_t mark = all_temporaries_.size();
  size_t depth = loops_.size();
  const hir::Block* finally_body = s.finalbody.empty() ? nullptr : &s.finalbody;
  llvm::BasicBlock* caught = s.handlers.empty() ? nullptr : new_block("try.except");
  llvm::BasicBlock* escaped = finally_body ? new_block("try.finally.raised") : nullptr;
  llvm::BasicBlock* end = new_block("try.end");
  // Where a raise the lowering knows enters each clause (enter_clause_directly):
  // a copy of the clause that holds no record, so it makes no runtime calls.
  std::vector<llvm::BasicBlock*> clause_entries;
  for (size_t h = 0; h < s.handlers.size(); ++h) clause_entries.push_back(new_block("except.direct"));

  try_scopes_.push_back({caught ? caught : escaped, depth, finally_body, nullptr, false, &s, clause_entries, mark});
  block(s.body);
  try_scopes_.back().try_stmt = nullptr;  // the else block's errors pass the clauses by
  try_scopes_.back().on_error = escaped;
  ensure_open_block();
  block(s.orelse);
  try_scopes_.pop_back();
  if (!block_terminated()) b.CreateBr(end);

  if (caught) {
    b.SetInsertPoint(caught);
    release_temporaries_since(mark);
    llvm::AllocaInst* record = record_slot("caught");
    llvm::Value* taken = b.CreateCall(runtime_function(module(), RuntimeFunction::catch_error), {});
    b.CreateStore(taken, record);
    for (const auto& handler : s.handlers) {
      llvm::BasicBlock* body = new_block("except.body");
      if (!handler->value) {
        b.CreateBr(body);  // a bare except is the last
      } else {
        llvm::BasicBlock* next = new_block("except.next");
        b.CreateCondBr(caught_by(*handler->value, taken), body, next);
        b.SetInsertPoint(next);
      }
      {
        llvm::IRBuilder<>::InsertPointGuard guard(b);
        b.SetInsertPoint(body);
        try_scopes_.push_back({escaped, depth, finally_body, record, /*handler=*/true});
        block(handler->body);
        try_scopes_.pop_back();
        if (!block_terminated()) {
          discard_record(record);
          b.CreateBr(end);
        }
      }
      if (!handler->value) break;
    }
    if (!block_terminated()) {  // no clause matched: the error goes on
      b.CreateCall(runtime_function(module(), RuntimeFunction::restore_error), {taken});
      b.CreateStore(llvm::Constant::getNullValue(b.getPtrTy()), record);
      if (escaped) b.CreateBr(escaped);
      else exit_function(b.getInt32(abi::kStatusError));
    }
  }

  for (size_t h = 0; h < s.handlers.size(); ++h) {
    llvm::BasicBlock* entry = clause_entries[h];
    if (llvm::pred_empty(entry)) {
      entry->eraseFromParent();
      continue;
    }
    b.SetInsertPoint(entry);
    try_scopes_.push_back({escaped, depth, finally_body});
    block(s.handlers[h]->body);
    try_scopes_.pop_back();
    if (!block_terminated()) b.CreateBr(end);
  }

  if (escaped) {
    b.SetInsertPoint(escaped);
    release_temporaries_since(mark);
    llvm::AllocaInst* record = record_slot("escaped");
    b.CreateStore(b.CreateCall(runtime_function(module(), RuntimeFunction::catch_error), {}), record);
    // A bare raise in the block raises the escaping exception again, as in Python.
    try_scopes_.push_back({nullptr, depth, nullptr, record, /*handler=*/true});
    block(*finally_body);
    try_scopes_.pop_back();
    if (!block_terminated()) {
      b.CreateCall(runtime_function(module(), RuntimeFunction::restore_error), {b.CreateLoad(b.getPtrTy(), record)});
      b.CreateStore(llvm::Constant::getNullValue(b.getPtrTy()), record);
      exit_function(b.getInt32(abi::kStatusError));
    }
  }

  b.SetInsertPoint(end);
  if (finally_body) block(*finally_body);
}

}  // namespace numjit::lower
