// Statement lowering: assignments, control flow, loops, return, raise.
#include <llvm/IR/MDBuilder.h>

#include <optional>

#include "numjit/hir/build.h"
#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/exception_arguments.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/passes/loop_facts.h"
#include "numjit/passes/parallel_loops.h"

namespace numjit::lower {

using hir::ExprKind;
using hir::StmtKind;
using types::TypeKind;

namespace {
// A subscript of an array (not of a list or tuple).
bool indexes_array(const hir::Expr& e) { return e.kind == ExprKind::Subscript && e.value().type->is_array(); }
}  // namespace

void FunctionLowering::block(const hir::Block& b) {
  for (const auto& s : b) {
    ensure_open_block();
    statement(*s);
  }
}

void FunctionLowering::block_under(const hir::Block& b, const std::vector<std::pair<int, int64_t>>& bounds) {
  std::vector<std::pair<int, int64_t>> active = bounds;
  for (auto [local, bound] : active) local_lower_bounds_[local].push_back(std::max(bound, invariant_lower_bound(local)));
  for (const auto& s : b) {
    // A statement that may assign the local ends its bound, leaving the one
    // that holds everywhere (INT64_MIN says nothing).
    for (auto& [local, bound] : active)
      if (bound != INT64_MIN && passes::statement_assigns_local(*s, local)) {
        bound = INT64_MIN;
        local_lower_bounds_[local].back() = invariant_lower_bound(local);
      }
    ensure_open_block();
    statement(*s);
  }
  for (auto [local, bound] : active) local_lower_bounds_[local].pop_back();
}

void FunctionLowering::statement(const hir::Stmt& s) {
  size_t mark = live_temporaries_.size();
  statement_kinds(s);
  release_temporaries(mark);
}

void FunctionLowering::statement_kinds(const hir::Stmt& s) {
  switch (s.kind) {
    case StmtKind::Assign: {
      if (indexes_array(*s.target) && is_fancy_index(*s.target)) return fancy_set(*s.target, *s.value, std::nullopt);
      if (indexes_array(*s.target) && s.target->type->is_array()) return slice_assign(*s.target, *s.value, std::nullopt);
      llvm::Value* v = expr(*s.value);
      assign(*s.target, v, s.value->type, s.span);
      return;
    }
    case StmtKind::AugAssign: return aug_assign(s);
    case StmtKind::ExprStmt: expr(*s.value); return;
    case StmtKind::If: return if_stmt(s);
    case StmtKind::While: return while_stmt(s);
    case StmtKind::For: return for_stmt(s);
    case StmtKind::Break: return jump_out_of_loop(true, s.target.get());
    case StmtKind::Continue: return jump_out_of_loop(false, nullptr);
    case StmtKind::Return: return return_stmt(s);
    case StmtKind::Raise: return raise_stmt(s);
    case StmtKind::Assert: return assert_stmt(s);
    case StmtKind::Pass: return;
    case StmtKind::Try: return try_stmt(s);
    case StmtKind::Handler: internal_error("an except clause outside its try statement", s.span);
  }
}

void FunctionLowering::assign(const hir::Expr& target, llvm::Value* value, const Type* value_type,
                              const SourceSpan& span) {
  switch (target.kind) {
    case ExprKind::Local: {
      const Type* local_type = fn_.locals[target.local].type;
      store_local(target.local, cast(value, value_type, local_type));
      return;
    }
    case ExprKind::Subscript: {
      const hir::Expr& base = target.value();
      if (base.kind == ExprKind::Subscript && base.attribute == hir::kJitclassItem) {
        // self.x = v: the field alone is written, as a list item is (types/infer_statements.cpp).
        const hir::Expr& instance = base.value();
        llvm::Value* item = list_item_pointer(expr(instance), instance.type, builder_.getInt64(0), types::int64());
        auto k = static_cast<unsigned>(target.indices().front().constant.int_value);
        const Type* field = base.type->elements[k];
        llvm::Value* slot = builder_.CreateStructGEP(memory_type(context(), base.type), item, k);
        llvm::Value* v = own_stored(cast(value, value_type, field), field, instance.type);
        llvm::Value* old = holds_memory(field) ? load_element(slot, field) : nullptr;
        store_element(slot, v, field);
        if (old) decref(old, field);
        return;
      }
      llvm::Value* array = expr(base);
      if (base.type->kind == TypeKind::Dict) {
        const Type* key_type = nullptr;
        llvm::Value* key = dict_subscript_key(target, key_type);
        dict_store(array, base.type, key, key_type, value, value_type);
        return;
      }
      if (base.type->kind == TypeKind::Pointer) {
        const hir::Expr& ix = target.indices().front();
        const Type* element = base.type->elements[0];
        store_element(pointer_element(array, base.type, expr(ix), ix.type), cast(value, value_type, element), element);
        return;
      }
      if (base.type->kind == TypeKind::List) {
        const hir::Expr& ix = target.indices().front();
        const Type* item = list_item(base.type);
        llvm::Value* slot = list_item_pointer(array, base.type, expr(ix), ix.type);
        llvm::Value* v = cast(value, value_type, item);
        v = own_stored(v, item, base.type);  // the list owns its array items: the new one in, the old one out
        llvm::Value* old = holds_memory(item) ? load_list_item(slot, item) : nullptr;
        store_list_item(slot, v, item);
        if (old) decref(old, item);
        return;
      }
      std::vector<IndexValue> indices = lower_indices(target);
      llvm::Value* ptr = element_pointer(array, base.type, indices, target.span);
      const Type* dtype = base.type->dtype();
      store_element(ptr, cast(value, value_type, dtype), dtype);
      return;
    }
    case ExprKind::Tuple: {
      if (value_type->is_array()) return unpack_array(target, value, value_type, span);
      // `a[i], a[j] = a[j], a[i]`: the values are borrowed from what the
      // first stores replace, so a reference to each is held across the stores.
      bool hold = holds_memory(value_type);
      if (hold) incref(value, value_type);
      auto targets = target.elements();
      for (unsigned i = 0; i < targets.size(); ++i)
        assign(targets[i], builder_.CreateExtractValue(value, i), value_type->elements[i], span);
      if (hold) decref(value, value_type);
      return;
    }
    default: internal_error("bad assignment target", target.span);
  }
}

// a[i:j] = value and its augmented forms: fused into the view, in place.
void FunctionLowering::slice_assign(const hir::Expr& target, const hir::Expr& value, std::optional<hir::BinaryOp> op) {
  const hir::Expr& base = target.value();
  llvm::Value* array = expr(base);
  std::vector<IndexValue> indices = lower_indices(target);
  llvm::Value* view = array_view(array, base.type, indices, target.type, target.span);
  if (value.type->kind == TypeKind::Tuple) return store_tuple_row(view, target.type, value);
  assign_elementwise(view, target.type, value, op);
}

// out[i] = (x, y): a tuple of numbers stores into a 1-D view as NumPy
// broadcasts a sequence: its length must be the view's, or 1.
void FunctionLowering::store_tuple_row(llvm::Value* view, const Type* view_type, const hir::Expr& value) {
  auto& b = builder_;
  llvm::Value* tuple = expr(value);
  const std::vector<const Type*>& items = value.type->elements;
  const Type* dtype = view_type->dtype();
  llvm::Value* length = array_dim(view, kArrayShape, 0);
  llvm::Value* n = b.getInt64(static_cast<int64_t>(items.size()));
  raise_if(b.CreateAnd(b.CreateICmpNE(length, n), b.CreateICmpNE(n, b.getInt64(1))), ExceptionKind::ValueError,
           "could not broadcast a tuple of " + std::to_string(items.size()) + " into the row: the lengths differ");
  llvm::Value* data = b.CreateExtractValue(view, kArrayData);
  llvm::Value* stride = array_dim(view, kArrayStrides, 0);
  auto store_at = [&](llvm::Value* k, llvm::Value* item, const Type* item_type) {
    store_element(b.CreateGEP(b.getInt8Ty(), data, b.CreateMul(k, stride)), cast(item, item_type, dtype), dtype);
  };
  if (items.size() == 1) {
    llvm::Value* item = b.CreateExtractValue(tuple, 0);
    counted_loop(length, "row.fill", [&](llvm::Value* k) { store_at(k, item, items[0]); });
    return;
  }
  for (size_t k = 0; k < items.size(); ++k)
    store_at(b.getInt64(static_cast<int64_t>(k)), b.CreateExtractValue(tuple, static_cast<unsigned>(k)), items[k]);
}

void FunctionLowering::aug_assign(const hir::Stmt& s) {
  const hir::Expr& target = *s.target;
  if (target.type->is_array()) {  // NumPy's in-place operators
    if (indexes_array(target) && is_fancy_index(target)) return fancy_set(target, *s.value, s.op);
    if (indexes_array(target)) return slice_assign(target, *s.value, s.op);
    assign_elementwise(expr(target), target.type, *s.value, s.op);
    return;
  }
  llvm::Value* rhs = expr(*s.value);
  const Type* rt = s.value->type;
  if (target.kind == ExprKind::Local) {
    const Type* lt = fn_.locals[target.local].type;
    // The local may have been widened (s = 0; s += 0.5): compute in the result type.
    const Type* op_type = types::binary_result(s.op, types::strip_optional(lt), types::strip_optional(rt),
                                               s.value->is_negative_int_constant());
    llvm::Value* current = read_local(target.local);
    const Type* common = s.op == hir::BinaryOp::Pow
                             ? op_type
                             : types::operand_type(s.op, types::strip_optional(lt), types::strip_optional(rt));
    llvm::Value* result;
    if (s.op == hir::BinaryOp::Pow) {
      result = power(current, lt, rhs, rt, op_type, s.value.get());
    } else {
      result = binary_scalar(s.op, cast(current, lt, common), cast(rhs, rt, common), common, s.span);
    }
    builder_.CreateStore(cast(result, op_type, lt), locals_[target.local]);
    return;
  }
  // a[i] op= v: one address computation for the load and the store.
  const hir::Expr& base = target.value();
  llvm::Value* array = expr(base);
  llvm::Value* ptr;
  const Type* dtype;
  if (base.type->kind == TypeKind::List) {
    const hir::Expr& ix = target.indices().front();
    ptr = list_item_pointer(array, base.type, expr(ix), ix.type);
    dtype = list_item(base.type);
  } else if (base.type->kind == TypeKind::Dict) {
    const Type* key_type = nullptr;
    llvm::Value* key = dict_subscript_key(target, key_type);
    ptr = dict_lookup(array, base.type, key, key_type);
    dtype = base.type->elements[1];
  } else {
    ptr = element_pointer(array, base.type, lower_indices(target), target.span);
    dtype = base.type->dtype();
  }
  bool in_list = base.type->kind == TypeKind::List;
  llvm::Value* current = in_list ? load_list_item(ptr, dtype) : load_element(ptr, dtype);
  const Type* op_type = types::binary_result(s.op, dtype, types::strip_optional(rt), s.value->is_negative_int_constant());
  llvm::Value* result;
  if (s.op == hir::BinaryOp::Pow) {
    result = power(current, dtype, rhs, rt, op_type, s.value.get());
  } else {
    const Type* common = types::operand_type(s.op, dtype, types::strip_optional(rt));
    result = binary_scalar(s.op, cast(current, dtype, common), cast(rhs, rt, common), common, s.span);
  }
  if (in_list)
    store_list_item(ptr, cast(result, op_type, dtype), dtype);
  else
    store_element(ptr, cast(result, op_type, dtype), dtype);
}

void FunctionLowering::if_stmt(const hir::Stmt& s) {
  size_t mark = live_temporaries_.size();
  llvm::Value* cond = truth(expr(*s.value), s.value->type);
  release_temporaries(mark);
  llvm::BasicBlock* then_bb = new_block("if.then");
  llvm::BasicBlock* else_bb = new_block("if.else");
  llvm::BasicBlock* end_bb = new_block("if.end");
  builder_.CreateCondBr(cond, then_bb, else_bb);
  builder_.SetInsertPoint(then_bb);
  block_under(s.body, passes::condition_lower_bounds(*s.value));
  if (!block_terminated()) builder_.CreateBr(end_bb);
  builder_.SetInsertPoint(else_bb);
  block(s.orelse);
  if (!block_terminated()) builder_.CreateBr(end_bb);
  builder_.SetInsertPoint(end_bb);
}

void FunctionLowering::while_stmt(const hir::Stmt& s) {
  llvm::BasicBlock* cond_bb = new_block("while.cond");
  llvm::BasicBlock* body_bb = new_block("while.body");
  llvm::BasicBlock* end_bb = new_block("while.end");
  builder_.CreateBr(cond_bb);
  builder_.SetInsertPoint(cond_bb);
  size_t mark = live_temporaries_.size();
  llvm::Value* cond = truth(expr(*s.value), s.value->type);
  release_temporaries(mark);
  builder_.CreateCondBr(cond, body_bb, end_bb);
  builder_.SetInsertPoint(body_bb);
  loops_.push_back({cond_bb, end_bb, live_temporaries_.size()});
  block_under(s.body, passes::condition_lower_bounds(*s.value));
  loops_.pop_back();
  if (!block_terminated()) builder_.CreateBr(cond_bb);
  builder_.SetInsertPoint(end_bb);
}

void FunctionLowering::for_stmt(const hir::Stmt& s) {
  if (s.value->type->kind == TypeKind::Range) return for_range(s);
  if (s.value->type->kind == TypeKind::Opaque) return for_enumerate_zip(s);
  for_sequence(s);
}

// Item `i` of an array (an element, or a row view) or a homogeneous tuple.
llvm::Value* FunctionLowering::sequence_item(llvm::Value* seq, const Type* st, llvm::Value* i, const Type*& item_type) {
  if (st->kind == TypeKind::List) {
    item_type = list_item(st);
    return load_list_item(list_item_pointer(seq, st, i, types::int64()), item_type);
  }
  if (st->is_array()) {
    item_type = st->ndim == 1 ? st->dtype()
                              : types::array(st->scalar, st->ndim - 1,
                                             st->layout == types::Layout::C ? types::Layout::C : types::Layout::Any,
                                             st->readonly);
    return array_row(seq, st, i, item_type);
  }
  item_type = st->elements[0];
  for (const Type* e : st->elements) item_type = types::unify(item_type, e);  // arrays may differ in layout
  llvm::Value* slot = spill(seq);
  llvm::Type* elem_ty = value_type(context(), item_type);
  llvm::Value* p = builder_.CreateInBoundsGEP(seq->getType(), slot, {builder_.getInt32(0), builder_.getInt32(0)});
  return builder_.CreateLoad(elem_ty, builder_.CreateInBoundsGEP(elem_ty, p, i));
}

llvm::Value* FunctionLowering::sequence_length(llvm::Value* seq, const Type* st) {
  if (st->kind == TypeKind::List) return list_length(seq);
  return st->is_array() ? array_dim(seq, kArrayShape, 0) : builder_.getInt64(static_cast<int64_t>(st->elements.size()));
}

// A counted loop whose body may `break` and `continue` (loops_ targets). The
// count is read before each step: a list the body appends to or pops from is
// walked to its current end, as Python's list iterator does.
void FunctionLowering::counted_loop_with_exits(const std::function<llvm::Value*()>& count, const std::string& name,
                                               const std::function<void(llvm::Value*)>& body) {
  llvm::AllocaInst* iv = entry_alloca(builder_.getInt64Ty(), name + ".iv");
  builder_.CreateStore(builder_.getInt64(0), iv);
  auto [cond_bb, body_bb, latch_bb, end_bb] = open_loop(name);
  llvm::Value* i = builder_.CreateLoad(builder_.getInt64Ty(), iv);
  builder_.CreateCondBr(builder_.CreateICmpSLT(i, count()), body_bb, end_bb);
  builder_.SetInsertPoint(body_bb);
  loops_.push_back({latch_bb, end_bb, live_temporaries_.size()});
  body(i);
  loops_.pop_back();
  if (!block_terminated()) builder_.CreateBr(latch_bb);
  builder_.SetInsertPoint(latch_bb);
  builder_.CreateStore(builder_.CreateAdd(builder_.CreateLoad(builder_.getInt64Ty(), iv), builder_.getInt64(1), "", false,
                                          true),
                       iv);
  builder_.CreateBr(cond_bb);
  builder_.SetInsertPoint(end_bb);
}

// for i in range(start, stop, step): a hidden induction variable, so the
// body may reassign `i` without changing the iteration (Python semantics).
void FunctionLowering::for_range(const hir::Stmt& s) {
  if (!in_parallel_body_ && plan_.parallel_loop(s)) return parallel_loop(s);
  std::optional<RangeBounds> r = range_bounds(*s.value);
  if (r) lower_range_loop(s, *r);
}

std::optional<FunctionLowering::RangeBounds> FunctionLowering::range_bounds(const hir::Expr& call) {
  auto args = call.args();
  size_t nargs = args.size();
  const Type* it = types::int64();  // range() counts in int64, as in Numba
  auto arg = [&](size_t i) { return expr_as(args[i], it); };
  llvm::Value* start = nargs >= 2 ? arg(0) : builder_.getInt64(0);
  llvm::Value* stop = nargs >= 2 ? arg(1) : arg(0);
  llvm::Value* step = nargs == 3 ? arg(2) : builder_.getInt64(1);
  auto* step_const = llvm::dyn_cast<llvm::ConstantInt>(step);
  if (step_const && step_const->isZero()) {
    emit_raise(ExceptionKind::ValueError, "range() arg 3 must not be zero");
    return std::nullopt;
  }
  if (!step_const) raise_if(builder_.CreateICmpEQ(step, builder_.getInt64(0)), ExceptionKind::ValueError,
                            "range() arg 3 must not be zero");
  return RangeBounds{start, step, builder_.getInt64(0), range_count(start, stop, step)};
}

// The number of iterations of range(start, stop, step), step != 0, computed in
// unsigned arithmetic so ranges spanning most of int64 do not overflow.
llvm::Value* FunctionLowering::range_count(llvm::Value* start, llvm::Value* stop, llvm::Value* step) {
  auto& b = builder_;
  llvm::Value* one = b.getInt64(1);
  llvm::Value* positive = b.CreateICmpSGT(step, b.getInt64(0));
  llvm::Value* nonempty = b.CreateSelect(positive, b.CreateICmpSLT(start, stop), b.CreateICmpSGT(start, stop));
  llvm::Value* distance = b.CreateSelect(positive, b.CreateSub(stop, start), b.CreateSub(start, stop));
  llvm::Value* magnitude = b.CreateSelect(positive, step, b.CreateNeg(step));
  llvm::Value* count = b.CreateAdd(b.CreateUDiv(b.CreateSub(distance, one), magnitude), one);
  return b.CreateSelect(nonempty, count, b.getInt64(0));
}

void FunctionLowering::lower_range_loop(const hir::Stmt& s, const RangeBounds& r) {
  auto* step_const = llvm::dyn_cast<llvm::ConstantInt>(r.step);
  // Deferred division checks: only the outermost eligible loop owns the flag.
  llvm::AllocaInst* deferred = nullptr;
  const passes::RangeLoopPlan& plan = plan_.range_loop(s);
  if (!deferred_zero_division_ && plan.defers_division_checks) {
    deferred = entry_alloca(builder_.getInt1Ty(), "zero.divisor.seen");
    builder_.CreateStore(builder_.getFalse(), deferred);
    deferred_zero_division_ = deferred;
  }
  // With a positive step and start >= 0 the loop variable never goes
  // negative, so indexing with it needs no wraparound and the vectorizer sees
  // consecutive loads. A constant start decides at compile time; otherwise,
  // when the body indexes with the variable, the loop is versioned on start >= 0.
  // With a negative step the least value is the last one, start + (count -
  // 1) * step (exact in int64 arithmetic: it lies above stop), so
  // `range(n - 1, -1, -1)` is versioned on that being >= 0.
  bool positive_step = step_const && !step_const->isNegative();
  bool negative_step = step_const && step_const->isNegative();
  int target = s.target->kind == ExprKind::Local ? s.target->local : -1;
  bool var_stable = target >= 0 && (positive_step || negative_step) && !plan.assigns_loop_variable;
  auto* start_const = llvm::dyn_cast<llvm::ConstantInt>(r.start);
  if (var_stable && positive_step && start_const) {
    emit_range_loop(s, r, start_const->getSExtValue());
  } else if (var_stable && plan.indexes_with_loop_variable) {
    llvm::BasicBlock* fast = new_block("range.nonneg");
    llvm::BasicBlock* general = new_block("range.general");
    llvm::BasicBlock* done = new_block("range.done");
    llvm::Value* least = r.start;
    if (negative_step)
      least = builder_.CreateAdd(r.start, builder_.CreateMul(builder_.CreateSub(r.count, builder_.getInt64(1)), r.step),
                                 "range.last");
    builder_.CreateCondBr(builder_.CreateICmpSGE(least, builder_.getInt64(0)), fast, general);
    builder_.SetInsertPoint(fast);
    emit_range_loop(s, r, 0);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(general);
    emit_range_loop(s, r, std::nullopt, /*rare_copy=*/true);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
  } else {
    emit_range_loop(s, r, std::nullopt);
  }
  if (deferred) {
    deferred_zero_division_ = nullptr;
    raise_if(builder_.CreateLoad(builder_.getInt1Ty(), deferred), ExceptionKind::ZeroDivisionError,
             "division by zero");
  }
}

// The blocks of a loop, entered at `cond` (where the builder is left).
FunctionLowering::LoopBlocks FunctionLowering::open_loop(const std::string& prefix) {
  LoopBlocks blocks{new_block(prefix + ".cond"), new_block(prefix + ".body"), new_block(prefix + ".latch"),
                    new_block(prefix + ".end")};
  builder_.CreateBr(blocks.cond);
  builder_.SetInsertPoint(blocks.cond);
  return blocks;
}

llvm::AllocaInst* FunctionLowering::entry_alloca(llvm::Type* type, const std::string& name) {
  llvm::IRBuilder<>::InsertPointGuard guard(builder_);
  builder_.SetInsertPoint(&llvm_fn_->getEntryBlock(), llvm_fn_->getEntryBlock().begin());
  return builder_.CreateAlloca(type, nullptr, name);
}

namespace {

// Loop metadata on `latch`'s branch: neither vectorize nor unroll the loop.
void keep_loop_scalar(llvm::BranchInst& latch) {
  llvm::LLVMContext& c = latch.getContext();
  llvm::Metadata* no_vectors[] = {llvm::MDString::get(c, "llvm.loop.vectorize.enable"),
                                  llvm::ConstantAsMetadata::get(llvm::ConstantInt::getFalse(c))};
  llvm::Metadata* no_unrolling[] = {llvm::MDString::get(c, "llvm.loop.unroll.disable")};
  llvm::Metadata* parts[] = {nullptr, llvm::MDNode::get(c, no_vectors), llvm::MDNode::get(c, no_unrolling)};
  llvm::MDNode* loop_id = llvm::MDNode::getDistinct(c, parts);
  loop_id->replaceOperandWith(0, loop_id);  // a loop's ID names itself first
  latch.setMetadata(llvm::LLVMContext::MD_loop, loop_id);
}

}  // namespace

// One copy of a range loop; `variable_lower_bound`, when known, is the least
// value the loop variable takes in this copy. A `rare_copy` (the general one
// of a versioned loop, run only where a start is negative) stays scalar: its
// wraparound indices vectorize as gathers, which doubled the optimizer's and
// the code generator's work on every first call for a loop rarely run.
void FunctionLowering::emit_range_loop(const hir::Stmt& s, const RangeBounds& r,
                                       std::optional<int64_t> variable_lower_bound, bool rare_copy) {
  int bounded = variable_lower_bound && s.target->kind == ExprKind::Local ? s.target->local : -1;
  // The loop counts iterations k in [first, count) and derives the variable
  // as start + k * step: no comparison against `stop` can overflow, and the
  // variable is an affine function of k that LLVM's vectorizer understands.
  llvm::AllocaInst* iv = entry_alloca(builder_.getInt64Ty(), "range.k");
  builder_.CreateStore(r.first, iv);
  auto [cond_bb, body_bb, latch_bb, end_bb] = open_loop("for");
  llvm::Value* k = builder_.CreateLoad(builder_.getInt64Ty(), iv);
  builder_.CreateCondBr(builder_.CreateICmpULT(k, r.count), body_bb, end_bb);
  builder_.SetInsertPoint(body_bb);
  llvm::Value* i = builder_.CreateAdd(r.start, builder_.CreateMul(k, r.step));
  assign(*s.target, i, types::int64(), s.span);
  if (bounded >= 0) local_lower_bounds_[bounded].push_back(*variable_lower_bound);
  loops_.push_back({latch_bb, end_bb, live_temporaries_.size()});
  block(s.body);
  loops_.pop_back();
  if (bounded >= 0) local_lower_bounds_[bounded].pop_back();
  if (!block_terminated()) builder_.CreateBr(latch_bb);
  builder_.SetInsertPoint(latch_bb);
  llvm::Value* reload = builder_.CreateLoad(builder_.getInt64Ty(), iv);
  builder_.CreateStore(builder_.CreateAdd(reload, builder_.getInt64(1), "", /*HasNUW=*/true), iv);
  llvm::BranchInst* back = builder_.CreateBr(cond_bb);
  if (rare_copy) keep_loop_scalar(*back);
  builder_.SetInsertPoint(end_bb);
}

// for x in array (elements of a 1-D array, rows of an N-D one) or a homogeneous tuple.
// A list a loop walks re-reads its length each step, so the loop keeps its
// own reference: the body may rebind the variable that held it (`lst = [...]`).
llvm::Value* FunctionLowering::held_for_the_loop(llvm::Value* seq, const Type* st) {
  if (st->kind != TypeKind::List) return seq;
  incref(seq, st);
  return own_temporary(seq, st);
}

void FunctionLowering::for_sequence(const hir::Stmt& s) {
  llvm::Value* seq = held_for_the_loop(expr(*s.value), s.value->type);
  const Type* st = s.value->type;
  counted_loop_with_exits([&] { return sequence_length(seq, st); }, "iter", [&](llvm::Value* i) {
    const Type* item_type = nullptr;
    llvm::Value* item = sequence_item(seq, st, i, item_type);
    assign(*s.target, item, item_type, s.span);
    block(s.body);
  });
}

void FunctionLowering::emit_return(llvm::Value* value, const Type* type) {
  llvm::Value* result = cast(value, type, fn_.return_type);
  incref(result, fn_.return_type);  // the caller's reference; the cleanup drops the locals'
  builder_.CreateStore(result, result_ptr_);
  llvm::Value* status = builder_.getInt32(abi::kStatusOk);
  if (deferred_variant_)
    status = builder_.CreateSelect(builder_.CreateLoad(builder_.getInt1Ty(), deferred_zero_division_),
                                   builder_.getInt32(abi::kStatusZeroDivisor), status);
  leave_function(status);
}

void FunctionLowering::return_stmt(const hir::Stmt& s) {
  const Type* type = s.value ? s.value->type : types::none();
  llvm::Value* v = s.value ? expr(*s.value) : constant_of({.kind = hir::Constant::Kind::None}, types::none());
  if (!try_scopes_.empty()) {
    // The value is Python's before the finally blocks run, which may rebind
    // the variable it came from: it holds a reference of its own meanwhile.
    incref(v, type);
    own_temporary(v, type);
    leave_try_scopes(0);
    if (block_terminated()) return;  // a finally block returned or raised instead
  }
  emit_return(v, type);
}

void FunctionLowering::raise_stmt(const hir::Stmt& s) {
  if (!s.value) return raise_again();
  const hir::Expr& e = *s.value;
  const hir::Expr& cls = e.kind == ExprKind::Call ? e.callee() : e;
  if (e.kind == ExprKind::Call && e.args().size() == 1 && e.args()[0].kind != ExprKind::Const) {
    // A message made at run time (Inferrer::message_at_run_time): a string;
    // or one integer, the exception's argument.
    const hir::Expr& argument = e.args()[0];
    llvm::Value* value = expr(argument);
    llvm::Value* cls_address = module_.object_address(builder_, cls.global.py_object,
                                                      ModuleLowering::ImportKind::ExceptionClass,
                                                      "exception class " + cls.global.name);
    if (hir::is_builtin_call(argument, "numjit.exception_arguments")) {
      builder_.CreateCall(runtime_function(module(), RuntimeFunction::set_error_arguments), {cls_address, value});
    } else if (argument.type->is_integer()) {
      bool is_unsigned = !argument.type->is_signed();
      builder_.CreateCall(runtime_function(module(), RuntimeFunction::set_error_integer),
                          {cls_address, cast(value, argument.type, is_unsigned ? types::uint64() : types::int64()),
                           builder_.getInt32(is_unsigned)});
    } else {
      builder_.CreateCall(runtime_function(module(), RuntimeFunction::set_error_text), {cls_address, value});
    }
    exit_function(builder_.getInt32(1));
    return;
  }
  std::vector<const hir::Constant*> args;  // all constants here (Inferrer::raise)
  if (e.kind == ExprKind::Call)
    for (const hir::Expr& a : e.args()) args.push_back(&a.constant);
  emit_raise_class(cls.global, exception_message(args));
}

void FunctionLowering::assert_stmt(const hir::Stmt& s) {
  size_t mark = live_temporaries_.size();
  llvm::Value* ok = truth(expr(*s.value), s.value->type);
  release_temporaries(mark);
  if (!s.message || s.message->kind == ExprKind::Const)
    return raise_if(builder_.CreateNot(ok), ExceptionKind::AssertionError, s.message ? s.message->constant.str_value : "");
  // A message made at run time: made only where the assertion fails.
  raise_where(builder_.CreateNot(ok), ExceptionKind::AssertionError, [&] {
    llvm::Value* text = cast(expr(*s.message), s.message->type, types::string());
    builder_.CreateCall(runtime_function(module(), RuntimeFunction::raise_text),
                        {builder_.getInt32(static_cast<int32_t>(ExceptionKind::AssertionError)), text});
  });
}

}  // namespace numjit::lower
