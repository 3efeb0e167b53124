// prange under parallel=True: the loop body is outlined into a chunk function
// `i32 chunk(ptr ctx, i64 begin, i64 end, i32 number)` that runs iterations
// [begin, end); the runtime's numjit_rt_parallel_for calls it from its thread
// pool. The context holds the range, the captured read-only locals and the
// private ones (by value), and one array of per-chunk partials per reduction
// variable. After the loop the partials are combined into the variables in
// chunk order, and the privates take the values the chunk that ran the last
// iteration left in the context.
#include <algorithm>

#include <llvm/IR/MDBuilder.h>

#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/lower/parallel_context.h"
#include "numjit/passes/parallel_loops.h"

namespace numjit::lower {

using passes::ReductionKind;


// The neutral element a thread's partial starts from.
llvm::Value* reduction_identity(FunctionLowering& f, ReductionKind kind, const Type* t) {
  llvm::Type* ty = value_type(f.context(), t);
  auto scalar_one = [&](double v) -> llvm::Value* {
    if (t->is_float()) return llvm::ConstantFP::get(ty, v);
    if (t->is_complex()) {
      llvm::Type* part = ty->getStructElementType(0);
      return llvm::ConstantStruct::get(llvm::cast<llvm::StructType>(ty),
                                       {llvm::ConstantFP::get(part, v), llvm::ConstantFP::get(part, 0.0)});
    }
    return llvm::ConstantInt::get(ty, static_cast<uint64_t>(v));
  };
  switch (kind) {
    case ReductionKind::Sum: return scalar_one(0.0);
    case ReductionKind::Product:
    case ReductionKind::Quotient: return scalar_one(1.0);
    case ReductionKind::Min:
    case ReductionKind::Max: {
      bool is_min = kind == ReductionKind::Min;
      if (t->is_float()) return llvm::ConstantFP::getInfinity(ty, !is_min);
      unsigned bits = ty->getIntegerBitWidth();
      if (t->is_signed())
        return llvm::ConstantInt::get(ty, is_min ? llvm::APInt::getSignedMaxValue(bits)
                                                 : llvm::APInt::getSignedMinValue(bits));
      return llvm::ConstantInt::get(ty, is_min ? llvm::APInt::getMaxValue(bits) : llvm::APInt::getMinValue(bits));
    }
    case ReductionKind::BitAnd: return llvm::Constant::getAllOnesValue(ty);  // True for a bool
    case ReductionKind::BitOr:
    case ReductionKind::BitXor: return llvm::Constant::getNullValue(ty);
  }
  return nullptr;
}

// Folds a partial into an accumulator. Quotient partials hold 1/prod(divisors),
// so they combine by multiplication too.
llvm::Value* reduction_combine(FunctionLowering& f, ReductionKind kind, const Type* t, llvm::Value* acc,
                               llvm::Value* part) {
  auto& b = f.builder();
  switch (kind) {
    // A bool array's `+=` is NumPy's logical or.
    case ReductionKind::Sum:
      return f.binary_scalar(t->is_bool() ? hir::BinaryOp::BitOr : hir::BinaryOp::Add, acc, part, t, {});
    case ReductionKind::Product:
    case ReductionKind::Quotient: return f.binary_scalar(hir::BinaryOp::Mul, acc, part, t, {});
    case ReductionKind::Min:
    case ReductionKind::Max: {
      bool is_min = kind == ReductionKind::Min;
      llvm::Value* better = t->is_float() ? (is_min ? b.CreateFCmpOLT(part, acc) : b.CreateFCmpOGT(part, acc))
                            : t->is_signed() ? (is_min ? b.CreateICmpSLT(part, acc) : b.CreateICmpSGT(part, acc))
                                             : (is_min ? b.CreateICmpULT(part, acc) : b.CreateICmpUGT(part, acc));
      return b.CreateSelect(better, part, acc);
    }
    case ReductionKind::BitAnd: return f.binary_scalar(hir::BinaryOp::BitAnd, acc, part, t, {});
    case ReductionKind::BitOr: return f.binary_scalar(hir::BinaryOp::BitOr, acc, part, t, {});
    case ReductionKind::BitXor: return f.binary_scalar(hir::BinaryOp::BitXor, acc, part, t, {});
  }
  return acc;
}

namespace {

const char* kind_name(ReductionKind k) {
  switch (k) {
    case ReductionKind::Sum: return "+";
    case ReductionKind::Product: return "*";
    case ReductionKind::Quotient: return "/";
    case ReductionKind::Min: return "min";
    case ReductionKind::Max: return "max";
    case ReductionKind::BitAnd: return "&";
    case ReductionKind::BitOr: return "|";
    case ReductionKind::BitXor: return "^";
  }
  return "?";
}

}  // namespace

void FunctionLowering::parallel_loop(const hir::Stmt& s) {
  auto& b = builder_;
  ParallelContext ctx{*plan_.parallel_loop(s), nullptr};
  std::optional<RangeBounds> r = range_bounds(*s.value);
  if (!r) return;
  if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(r->step)) ctx.constant_step = c->getSExtValue();
  if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(r->start)) ctx.constant_start = c->getSExtValue();
  // Report what was found (parallel_diagnostics) and warn about visible races.
  std::string report = "line " + std::to_string(s.span.line) + ": prange loop runs in parallel";
  for (const passes::Reduction& red : ctx.plan.reductions)
    report += std::string("; reduction ") + kind_name(red.kind) + " on '" + fn_.locals[red.local].name + "'";
  module_.note_parallel_loop(fn_.name, report);
  for (const std::string& w : ctx.plan.race_warnings) module_.warn(fn_.name + ": " + w);

  std::vector<llvm::Type*> fields{b.getInt64Ty(), b.getInt64Ty(), b.getInt64Ty()};
  ctx.copied = ctx.plan.captured;
  ctx.first_private = ctx.copied.size();
  for (int local : ctx.plan.privates)
    if (locals_[local]) ctx.copied.push_back(local);  // untyped locals are never assigned
  for (int local : ctx.copied) fields.push_back(value_type(context(), fn_.locals[local].type));
  for (size_t i = 0; i < ctx.first_private; ++i) {
    const Type* type = fn_.locals[ctx.copied[i]].type;
    if (!type->is_integer() || !type->is_signed() || type->bits() != 64) {
      ctx.captured_lower_bounds.push_back(INT64_MIN);
      continue;
    }
    ctx.captured_lower_bounds.push_back(local_lower_bound(ctx.copied[i]).value_or(INT64_MIN));
  }
  ctx.first_partial = static_cast<unsigned>(fields.size());
  for (size_t i = 0; i < ctx.plan.reductions.size(); ++i) fields.push_back(b.getPtrTy());
  for (size_t i = 0; i < ctx.copied.size(); ++i) {
    if (!assigned_flags_[ctx.copied[i]]) continue;
    ctx.flags.emplace_back(i, static_cast<unsigned>(fields.size()));
    fields.push_back(b.getInt1Ty());
  }
  add_array_reduction_fields(ctx, fields);
  ctx.type = llvm::StructType::get(context(), fields);

  llvm::Value* nthreads = b.CreateCall(runtime_function(module(), RuntimeFunction::num_threads));
  llvm::AllocaInst* env = entry_alloca(ctx.type, "prange.ctx");
  auto field = [&](unsigned i) { return b.CreateStructGEP(ctx.type, env, i); };
  b.CreateStore(r->start, field(0));
  b.CreateStore(r->step, field(1));
  b.CreateStore(r->count, field(2));
  for (size_t i = 0; i < ctx.copied.size(); ++i) {
    int local = ctx.copied[i];
    const Type* type = fn_.locals[local].type;
    llvm::Value* v = b.CreateLoad(value_type(context(), type), locals_[local]);
    if (i >= ctx.first_private) incref(v, type);  // the context's own reference, handed back after the loop
    b.CreateStore(v, field(ctx.first_captured + i));
  }
  for (auto [i, f] : ctx.flags)
    b.CreateStore(b.CreateLoad(b.getInt1Ty(), assigned_flags_[ctx.copied[i]]), field(f));
  llvm::Value* unit = store_array_reduction_fields(ctx, env, r->count, nthreads);
  // Partials live on this frame, one per chunk of the region, identity first:
  // combined in chunk order after the loop, they give the same bits whichever
  // thread ran which chunk (runtime/parallel.cpp). The stack they take is
  // given back after the combine, so a prange inside a loop does not grow it.
  std::vector<llvm::Value*> partials;
  llvm::Value* slots = b.getInt64(0);
  llvm::Value* slots32 = nullptr;
  llvm::Value* stack = nullptr;
  if (!ctx.plan.reductions.empty()) {
    llvm::Value* units = r->count;
    if (unit) units = b.CreateSDiv(b.CreateAdd(r->count, b.CreateSub(unit, b.getInt64(1))), unit);
    slots = b.CreateCall(runtime_function(module(), RuntimeFunction::parallel_slots), {units, nthreads});
    slots32 = b.CreateTrunc(slots, b.getInt32Ty());  // at most kMaxChunks
    stack = b.CreateStackSave("partials.stack");
  }
  for (size_t k = 0; k < ctx.plan.reductions.size(); ++k) {
    const passes::Reduction& red = ctx.plan.reductions[k];
    const Type* t = fn_.locals[red.local].type;
    llvm::Type* ty = value_type(context(), t);
    llvm::Value* array = b.CreateAlloca(ty, slots, "partials");
    // An array reduction's slots start empty: each chunk hands over its own array.
    llvm::Value* id = t->is_array() ? llvm::Constant::getNullValue(ty) : reduction_identity(*this, red.kind, t);
    for_each_index(slots32, "partials.init", [&](llvm::Value* w) { b.CreateStore(id, b.CreateGEP(ty, array, w)); });
    b.CreateStore(array, field(ctx.first_partial + k));
    partials.push_back(array);
  }

  llvm::Function* chunk = outline_chunk(s, ctx);
  llvm::Value* status =
      unit ? b.CreateCall(runtime_function(module(), RuntimeFunction::parallel_for_units),
                          {chunk, env, r->count, unit, nthreads, slots})
           : b.CreateCall(runtime_function(module(), RuntimeFunction::parallel_for), {chunk, env, r->count, nthreads, slots});
  finish_array_reductions(ctx, partials, slots32, status, r->count);
  {
    // A failed region leaves by an error exit, which may be a handler of this
    // very frame (a try around the loop): the context's references to the
    // privates and the partials' stack go first.
    llvm::BasicBlock* failed = new_block("prange.failed");
    llvm::BasicBlock* ok = new_block("prange.ok");
    b.CreateCondBr(b.CreateICmpNE(status, b.getInt32(0)), failed, ok);
    b.SetInsertPoint(failed);
    for (size_t i = ctx.first_private; i < ctx.copied.size(); ++i) {
      const Type* type = fn_.locals[ctx.copied[i]].type;
      decref(b.CreateLoad(value_type(context(), type), field(ctx.first_captured + i)), type);
    }
    if (stack) b.CreateStackRestore(stack);
    exit_function(status);
    b.SetInsertPoint(ok);
  }
  // The context holds a reference to each private's value (see below): it
  // moves into the local.
  for (size_t i = ctx.first_private; i < ctx.copied.size(); ++i) {
    int local = ctx.copied[i];
    const Type* type = fn_.locals[local].type;
    llvm::Type* t = value_type(context(), type);
    llvm::Value* old = b.CreateLoad(t, locals_[local]);
    b.CreateStore(b.CreateLoad(t, field(ctx.first_captured + i)), locals_[local]);
    decref(old, type);
  }
  for (auto [i, f] : ctx.flags)
    if (i >= ctx.first_private)
      b.CreateStore(b.CreateLoad(b.getInt1Ty(), field(f)), assigned_flags_[ctx.copied[i]]);

  // Combine the partials into each variable, in chunk order.
  for (size_t k = 0; k < ctx.plan.reductions.size(); ++k) {
    const passes::Reduction& red = ctx.plan.reductions[k];
    const Type* t = fn_.locals[red.local].type;
    if (t->is_array()) continue;  // folded by finish_array_reductions
    llvm::Type* ty = value_type(context(), t);
    llvm::Value* variable = locals_[red.local];
    for_each_index(slots32, "combine", [&](llvm::Value* w) {
      llvm::Value* part = b.CreateLoad(ty, b.CreateGEP(ty, partials[k], w));
      b.CreateStore(reduction_combine(*this, red.kind, t, b.CreateLoad(ty, variable), part), variable);
    });
  }
  if (stack) b.CreateStackRestore(stack);
}

void FunctionLowering::for_each_index(llvm::Value* count, const std::string& name,
                                      const std::function<void(llvm::Value*)>& body) {
  auto& b = builder_;
  llvm::BasicBlock* pre = b.GetInsertBlock();
  llvm::BasicBlock* loop = new_block(name);
  llvm::BasicBlock* done = new_block(name + ".done");
  b.CreateBr(loop);
  b.SetInsertPoint(loop);
  llvm::PHINode* index = b.CreatePHI(b.getInt32Ty(), 2);
  index->addIncoming(b.getInt32(0), pre);
  body(index);
  llvm::Value* next = b.CreateAdd(index, b.getInt32(1));
  index->addIncoming(next, b.GetInsertBlock());
  b.CreateCondBr(b.CreateICmpSLT(next, count), loop, done);
  b.SetInsertPoint(done);
}

llvm::Function* FunctionLowering::new_chunk_function(const std::string& suffix) {
  auto& b = builder_;
  auto* fty = llvm::FunctionType::get(b.getInt32Ty(), {b.getPtrTy(), b.getInt64Ty(), b.getInt64Ty(), b.getInt32Ty()},
                                      false);
  auto* chunk = llvm::Function::Create(fty, llvm::Function::InternalLinkage, fn_.symbol + suffix, &module());
  module_.set_function_attributes(chunk);
  return chunk;
}

llvm::Value* FunctionLowering::begin_chunk_body() {
  builder_.SetInsertPoint(new_block("entry"));
  in_parallel_body_ = true;
  apply_fastmath();
  declare_locals();
  return llvm_fn_->getArg(0);
}

llvm::Function* FunctionLowering::outline_chunk(const hir::Stmt& s, const ParallelContext& ctx) {
  llvm::Function* chunk = new_chunk_function(".prange");
  FunctionLowering body(module_, fn_, chunk);
  body.lower_chunk_body(s, ctx);
  return chunk;
}

void FunctionLowering::lower_chunk_body(const hir::Stmt& s, const ParallelContext& ctx) {
  auto& b = builder_;
  llvm::Value* env = begin_chunk_body();
  llvm::Value* begin = llvm_fn_->getArg(1);
  llvm::Value* end = llvm_fn_->getArg(2);
  llvm::Value* chunk_number = llvm_fn_->getArg(3);
  // A chunk's bounds count iterations (the runtime's plan: 0 <= begin <=
  // end <= count), so with a start >= 0 and a positive step its variable is
  // >= 0 too, as LLVM knows of a serial range loop.
  b.CreateAssumption(b.CreateICmpSGE(begin, b.getInt64(0)));
  b.CreateAssumption(b.CreateICmpSLE(begin, end));
  auto field = [&](unsigned i) { return b.CreateStructGEP(ctx.type, env, i); };
  for (size_t i = 0; i < ctx.copied.size(); ++i) {
    int local = ctx.copied[i];
    llvm::Value* value = b.CreateLoad(value_type(context(), fn_.locals[local].type), field(ctx.first_captured + i));
    // What the function knows of a captured local's value, neither LLVM nor
    // the indexing sees through the context: `m` of `n, m = a.shape` read
    // as any integer kept `(j + 1) % m` a signed division with its fix-ups
    // and indexing with it the negative-index wraparound (a prange Game of
    // Life: 1.6x its serial loop's time on one thread), and so did an
    // enclosing loop's `k` in `for j in range(k, n)`. A local that may be
    // unassigned has a flag and may hold anything.
    int64_t least = i < ctx.first_private ? ctx.captured_lower_bounds[i] : INT64_MIN;
    if (least != INT64_MIN && !assigned_flags_[local]) {
      b.CreateAssumption(b.CreateICmpSGE(value, llvm::ConstantInt::get(value->getType(), least)));
      local_lower_bounds_[local].push_back(std::max(least, invariant_lower_bound(local)));
    }
    store_local(local, value);
  }
  for (auto [i, f] : ctx.flags)
    b.CreateStore(b.CreateLoad(b.getInt1Ty(), field(f)), assigned_flags_[ctx.copied[i]]);
  for (size_t k = 0; k < ctx.plan.reductions.size(); ++k) {
    const passes::Reduction& red = ctx.plan.reductions[k];
    if (fn_.locals[red.local].type->is_array())
      start_array_reduction(ctx, env, k);
    else
      b.CreateStore(reduction_identity(*this, red.kind, fn_.locals[red.local].type), locals_[red.local]);
  }
  llvm::Value* start = ctx.constant_start ? static_cast<llvm::Value*>(b.getInt64(*ctx.constant_start))
                                          : b.CreateLoad(b.getInt64Ty(), field(0));
  llvm::Value* step = ctx.constant_step ? static_cast<llvm::Value*>(b.getInt64(*ctx.constant_step))
                                        : b.CreateLoad(b.getInt64Ty(), field(1));
  RangeBounds r{start, step, begin, end};
  // prange(n) with n a captured local: every iteration this chunk runs is
  // below n, so n > 0 inside the loop, as LLVM knows of range(n) in serial
  // code. Said with an assume behind the chunk's own non-empty check, it lets
  // `x % n` and `x // n` drop their zero-divisor branches and hoist.
  const hir::Expr& range_call = *s.value;
  auto range_args = range_call.args();
  bool range_lowered = false;
  std::optional<int64_t> start_value = ctx.constant_start;
  if (range_args.size() <= 2 && range_args.size() >= 1 && ctx.constant_step == 1 && start_value &&
      range_args[range_args.size() - 1].kind == hir::ExprKind::Local &&
      std::find(ctx.copied.begin(), ctx.copied.end(), range_args[range_args.size() - 1].local) != ctx.copied.end()) {
    int stop_local = range_args[range_args.size() - 1].local;
    const Type* stop_type = fn_.locals[stop_local].type;
    if (stop_type->is_integer() && stop_type->is_signed()) {
      llvm::BasicBlock* nonempty = new_block("chunk.nonempty");
      llvm::BasicBlock* done = new_block("chunk.done");
      b.CreateCondBr(b.CreateICmpSLT(begin, end), nonempty, done);
      b.SetInsertPoint(nonempty);
      llvm::Value* stop = cast(b.CreateLoad(value_type(context(), stop_type), locals_[stop_local]), stop_type,
                               types::int64());
      llvm::Value* last = b.CreateAdd(b.getInt64(*start_value), b.CreateSub(end, b.getInt64(1)));
      b.CreateAssumption(b.CreateICmpSLT(last, stop));
      b.CreateAssumption(b.CreateICmpSGT(stop, b.getInt64(*start_value)));  // what it and begin >= 0 give, said outright
      lower_range_loop(s, r);  // inside the block the assumptions hold in
      ensure_open_block();
      b.CreateBr(done);
      b.SetInsertPoint(done);
      range_lowered = true;
    }
  }
  if (!range_lowered) {
    lower_range_loop(s, r);
    ensure_open_block();
  }
  // The chunk holding the last iteration hands its privates back.
  if (ctx.first_private < ctx.copied.size()) {
    llvm::BasicBlock* last = new_block("last.chunk");
    llvm::BasicBlock* rest = new_block("partials");
    b.CreateCondBr(b.CreateICmpEQ(end, b.CreateLoad(b.getInt64Ty(), field(2))), last, rest);
    b.SetInsertPoint(last);
    for (size_t i = ctx.first_private; i < ctx.copied.size(); ++i) {
      int local = ctx.copied[i];
      const Type* type = fn_.locals[local].type;
      llvm::Type* t = value_type(context(), type);
      llvm::Value* v = b.CreateLoad(t, locals_[local]);
      incref(v, type);
      decref(b.CreateLoad(t, field(ctx.first_captured + i)), type);
      b.CreateStore(v, field(ctx.first_captured + i));
    }
    for (auto [i, f] : ctx.flags)
      if (i >= ctx.first_private) b.CreateStore(b.CreateLoad(b.getInt1Ty(), assigned_flags_[ctx.copied[i]]), field(f));
    b.CreateBr(rest);
    b.SetInsertPoint(rest);
  }
  for (size_t k = 0; k < ctx.plan.reductions.size(); ++k) {
    const passes::Reduction& red = ctx.plan.reductions[k];
    const Type* t = fn_.locals[red.local].type;
    llvm::Type* ty = value_type(context(), t);
    llvm::Value* slot = b.CreateGEP(ty, b.CreateLoad(b.getPtrTy(), field(ctx.first_partial + k)), chunk_number);
    if (t->is_array()) {
      hand_over_array_partial(ctx, env, k, slot);
      continue;
    }
    b.CreateStore(reduction_combine(*this, red.kind, t, b.CreateLoad(ty, slot), b.CreateLoad(ty, locals_[red.local])), slot);
  }
  exit_function(b.getInt32(0));
  finish_cleanup();
}

}  // namespace numjit::lower
