// parallel=True also shares whole-array expressions among the threads, as
// Numba's parfors do: `np.exp(-0.5 * a * a) * np.cos(b)` assigned or returned
// in a parallel function, or stored into a slice (`out[1:-1, 1:-1] = ...`),
// runs as chunks on the runtime's pool (numjit_rt_parallel_for, as prange
// does), and so do the whole-array reductions of such expressions
// (`np.sum(a * b)`, `x.max()`), each chunk folding a partial of its own.
// When every array is C-contiguous (by type) with the expression's shape,
// checked at run time, the chunks are blocks of flat positions; otherwise
// (strided or broadcast operands, rank 2 and up) they are rows of the first
// axis, each operand that spans it viewed at the chunk's rows. Enough
// elements must repay the pool's start (Options::parallel_array_min), and an
// expression inside a prange body stays in its thread (already parallel).
#include <algorithm>
#include <set>

#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/MDBuilder.h>

#include "numjit/codegen/llvm_types.h"
#include "numjit/lower/function_lowering.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/passes/loop_facts.h"

namespace numjit::lower {

using types::Layout;

namespace {

// The pool hands out blocks of this many elements, never fewer (but the
// last). A vectorized loop computes its tail with scalar code, and scalar
// libm may differ from the vector math library in the last bit: with chunk
// edges on multiples of every vector loop's step, each element takes the
// path it takes in the serial loop, so the result is the serial result,
// whatever the partition.
constexpr int64_t kBlock = 512;

}  // namespace

// parallel=True, and not inside a chunk already (a prange body, another
// shared expression) or inside an element of one.
bool FunctionLowering::may_share_here() const {
  return fn_.options.parallel && !in_parallel_body_ && elementwise_depth_ == 0;
}

bool FunctionLowering::may_share_flat(const std::vector<Operand>& ops, int ndim) const {
  if (!may_share_here() || ndim < 1) return false;
  return std::all_of(ops.begin(), ops.end(), [&](const Operand& op) {
    return !op.type->is_array() || (op.type->layout == Layout::C && op.type->ndim == ndim);
  });
}

// Rows keep each row's inner loop as the serial loop nest runs it (so the
// same bits), which a 1-D split would not: its serial loop may be one
// vectorized run whose tail the split would move.
bool FunctionLowering::may_share_rows(const std::vector<Operand>& ops, int ndim) const {
  if (!may_share_here() || ndim < 2) return false;
  return std::all_of(ops.begin(), ops.end(), [&](const Operand& op) { return op.type->ndim <= ndim; });
}

std::vector<llvm::BasicBlock*> FunctionLowering::shared_or_serial(
    const hir::Expr* root, const std::vector<Operand>& ops, int ndim, llvm::Value* shape,
    const std::function<void(const Sharing&)>& shared, const std::function<void()>& serial) {
  auto& b = builder_;
  const bool flat = root && may_share_flat(ops, ndim);
  const bool rows = root && may_share_rows(ops, ndim);
  if (!flat && !rows) {
    serial();
    return {b.GetInsertBlock()};
  }
  llvm::Type* shape_ty = llvm::ArrayType::get(b.getInt64Ty(), std::max(ndim, 1));
  std::vector<llvm::Value*> extents;
  llvm::Value* total = b.getInt64(1);
  for (int d = 0; d < ndim; ++d) {
    extents.push_back(b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP2_32(shape_ty, shape, 0, d)));
    total = b.CreateMul(total, extents.back());
  }
  // (Below 2**14 elements by default the serial loop wins: a chunk costs a few
  // microseconds to hand out, and 2**14 doubles take about as long to compute.)
  llvm::Value* enough = b.CreateICmpSGE(total, b.getInt64(std::max<int64_t>(fn_.options.parallel_array_min, 1)));
  std::vector<llvm::BasicBlock*> ends;
  llvm::BasicBlock* done = new_block("elementwise.joined");
  // Each way the types allow, tried in turn: flat blocks when the shapes turn
  // out equal, else rows (an operand C-contiguous by type may still broadcast:
  // x[:, None] * y[None, :]), else the serial loop.
  auto try_way = [&](bool by_rows, llvm::Value* now) {
    llvm::BasicBlock* shared_block = new_block(by_rows ? "elementwise.rows" : "elementwise.shared");
    llvm::BasicBlock* next = new_block("elementwise.not_shared");
    b.CreateCondBr(now, shared_block, next);
    b.SetInsertPoint(shared_block);
    shared(Sharing{by_rows, ndim, shape, total, extents[0]});
    ends.push_back(b.GetInsertBlock());
    b.CreateBr(done);
    b.SetInsertPoint(next);
  };
  if (flat) {
    llvm::Value* same_shapes = enough;
    for (const Operand& op : ops)
      if (op.type->is_array())
        for (size_t d = 0; d < extents.size(); ++d)
          same_shapes = b.CreateAnd(
              same_shapes, b.CreateICmpEQ(array_dim(op.value, kArrayShape, static_cast<unsigned>(d)), extents[d]));
    try_way(false, same_shapes);
  }
  if (rows) try_way(true, b.CreateAnd(enough, b.CreateICmpSGE(extents[0], b.getInt64(2))));
  serial();
  ends.push_back(b.GetInsertBlock());
  b.CreateBr(done);
  b.SetInsertPoint(done);
  return ends;
}

llvm::Value* FunctionLowering::shared_units(const Sharing& sharing) {
  if (sharing.rows) return sharing.rows_count;
  return builder_.CreateSDiv(builder_.CreateAdd(sharing.total, builder_.getInt64(kBlock - 1)), builder_.getInt64(kBlock));
}

llvm::Value* FunctionLowering::elementwise_context(const std::vector<Operand>& ops, const Sharing& sharing,
                                                   const std::vector<llvm::Type*>& extra, llvm::StructType*& type) {
  auto& b = builder_;
  llvm::Type* shape_ty = llvm::ArrayType::get(b.getInt64Ty(), std::max(sharing.ndim, 1));
  std::vector<llvm::Type*> fields;
  for (const Operand& op : ops)
    fields.push_back(!op.type->is_array() ? value_type(context(), op.type)
                     : sharing.rows       ? op.value->getType()
                                          : b.getPtrTy());
  fields.push_back(sharing.rows ? shape_ty : b.getInt64Ty());
  fields.insert(fields.end(), extra.begin(), extra.end());
  type = llvm::StructType::get(context(), fields);
  llvm::AllocaInst* env = entry_alloca(type, "elementwise.ctx");
  llvm::Value* count_field = b.CreateStructGEP(type, env, static_cast<unsigned>(ops.size()));
  b.CreateStore(sharing.rows ? b.CreateLoad(shape_ty, sharing.shape) : sharing.total, count_field);
  for (size_t i = 0; i < ops.size(); ++i) {
    const Operand& op = ops[i];
    llvm::Value* v = op.type->is_array() && !sharing.rows ? b.CreateExtractValue(op.value, kArrayData) : op.value;
    b.CreateStore(v, b.CreateStructGEP(type, env, static_cast<unsigned>(i)));
  }
  return env;
}

// ops: the expression's leaves, then the output last (materialize_elementwise's order).
void FunctionLowering::share_elementwise(const hir::Expr& root, const std::vector<Operand>& ops,
                                         const Sharing& sharing, const ElementStore& store) {
  auto& b = builder_;
  llvm::StructType* ctx_type = nullptr;
  llvm::Value* env = elementwise_context(ops, sharing, {}, ctx_type);
  module_.note_parallel_loop(fn_.name, "line " + std::to_string(root.span.line) + ": array expression runs in parallel" +
                                           (sharing.rows ? " by rows" : "") + " from " +
                                           std::to_string(fn_.options.parallel_array_min) + " elements");
  llvm::Function* chunk = new_chunk_function(".elementwise");
  {
    FunctionLowering body(module_, fn_, chunk);
    body.lower_elementwise_chunk(root, ops, sharing, ctx_type, store);
  }
  llvm::Value* nthreads = b.CreateCall(runtime_function(module(), RuntimeFunction::num_threads));
  llvm::FunctionCallee parallel_for = runtime_function(module(), RuntimeFunction::parallel_for);
  exit_if_failed(b.CreateCall(parallel_for, {chunk, env, shared_units(sharing), nthreads, b.getInt64(0)}));  // no partials
}

std::vector<llvm::Value*> FunctionLowering::each_chunk_element(const hir::Expr& root,
                                                               const std::vector<Operand>& parent_ops,
                                                               const Sharing& sharing, llvm::StructType* ctx_type,
                                                               llvm::Value* env,
                                                               const std::function<void(std::vector<Operand>&)>& body) {
  auto& b = builder_;
  auto field = [&](size_t i) { return b.CreateStructGEP(ctx_type, env, static_cast<unsigned>(i)); };
  std::vector<Operand> ops = parent_ops;
  std::vector<llvm::Value*> data(ops.size(), nullptr);
  if (sharing.rows) {
    // Rows [begin, end) of the first axis: every operand that spans it is
    // viewed at those rows (one whose extent is 1 broadcasts, as do operands
    // of lower rank), and the serial loop nest runs over the view.
    llvm::Value* begin = llvm_fn_->getArg(1);
    llvm::Value* rows = b.CreateSub(llvm_fn_->getArg(2), begin);
    llvm::Type* shape_ty = ctx_type->getElementType(static_cast<unsigned>(ops.size()));
    llvm::Value* shape = entry_alloca(shape_ty, "chunk.shape");
    b.CreateStore(b.CreateLoad(shape_ty, field(ops.size())), shape);
    b.CreateStore(rows, b.CreateConstGEP2_32(shape_ty, shape, 0, 0));
    for (size_t i = 0; i < ops.size(); ++i) {
      if (!ops[i].type->is_array() && llvm::isa<llvm::Constant>(ops[i].value)) continue;  // as below
      llvm::Value* v = b.CreateLoad(ctx_type->getElementType(static_cast<unsigned>(i)), field(i));
      if (ops[i].type->is_array() && ops[i].type->ndim == sharing.ndim) {
        llvm::Value* spans = b.CreateICmpNE(array_dim(v, kArrayShape, 0), b.getInt64(1));
        llvm::Value* offset = b.CreateMul(begin, array_dim(v, kArrayStrides, 0));
        llvm::Value* start = b.CreateExtractValue(v, kArrayData);
        v = b.CreateInsertValue(v, b.CreateSelect(spans, b.CreateGEP(b.getInt8Ty(), start, offset), start), kArrayData);
        v = b.CreateInsertValue(v, b.CreateSelect(spans, rows, b.getInt64(1)), {kArrayShape, 0u});
      }
      ops[i].value = v;
    }
    ++elementwise_depth_;
    elementwise_loop(ops, sharing.ndim, shape, [&] { body(ops); });
    --elementwise_depth_;
    return data;
  }
  // Blocks [begin, end) are elements [begin * kBlock, min(end * kBlock, total)).
  llvm::Value* total = b.CreateLoad(b.getInt64Ty(), field(ops.size()));
  llvm::Value* begin = b.CreateMul(llvm_fn_->getArg(1), b.getInt64(kBlock));
  llvm::Value* end = b.CreateMul(llvm_fn_->getArg(2), b.getInt64(kBlock));
  end = b.CreateSelect(b.CreateICmpSLT(end, total), end, total);
  // One array named twice (`np.where(a, np.log(a), a)`) is one pointer, so
  // LLVM sees one stream, as in the serial loop (unless a walrus reassigns it).
  std::set<int> reassigned;
  passes::walrus_targets(&root, reassigned);
  auto same_array = [&](size_t i) -> llvm::Value* {
    const hir::Expr* e = ops[i].expr;
    if (!e || e->kind != hir::ExprKind::Local || reassigned.count(e->local)) return nullptr;
    for (size_t j = 0; j < i; ++j)
      if (data[j] && ops[j].expr && ops[j].expr->kind == hir::ExprKind::Local && ops[j].expr->local == e->local)
        return data[j];
    return nullptr;
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].type->is_array())
      if (llvm::Value* earlier = same_array(i)) {
        data[i] = earlier;
        ops[i].value = nullptr;
        continue;
      }
    // A constant scalar stays a constant: the lowering recognizes some (x **
    // 0.5 is a square root), and must choose here as it chose in the serial
    // loop. (A global array is a constant too, but its elements are not.)
    if (!ops[i].type->is_array() && llvm::isa<llvm::Constant>(ops[i].value)) continue;
    llvm::Value* v = b.CreateLoad(ctx_type->getElementType(static_cast<unsigned>(i)), field(i));
    if (ops[i].type->is_array()) {
      data[i] = v;
      ops[i].value = nullptr;  // the chunk sees the data pointer only
    } else {
      ops[i].value = v;
    }
  }
  ++elementwise_depth_;
  counted_loop(b.CreateSub(end, begin), "chunk", [&](llvm::Value* k) {
    llvm::Value* at = b.CreateAdd(begin, k);
    for (size_t i = 0; i < ops.size(); ++i)
      if (data[i]) ops[i].element = b.CreateInBoundsGEP(memory_type(context(), ops[i].type->dtype()), data[i], at);
    body(ops);
  });
  --elementwise_depth_;
  return data;
}

void FunctionLowering::lower_elementwise_chunk(const hir::Expr& root, const std::vector<Operand>& parent_ops,
                                               const Sharing& sharing, llvm::StructType* ctx_type,
                                               const ElementStore& store) {
  auto& b = builder_;
  llvm::Value* env = begin_chunk_body();
  std::vector<llvm::Value*> data = each_chunk_element(root, parent_ops, sharing, ctx_type, env,
                                                      [&](std::vector<Operand>& ops) { store(*this, ops); });
  exit_function(b.getInt32(0));
  finish_cleanup();
  if (sharing.rows) return;  // (the rows' operands are views: nothing below applies)
  // The output is fresh memory, or a target the run-time overlap check found
  // apart from every operand, so its stores alias none of the operands'
  // loads. Said with scopes (the serial loop's allocation tells LLVM as much),
  // the loop needs no run-time overlap checks and vectorizes as the serial one.
  // Only accesses based on those data pointers are tagged: an element's
  // lowering may also store to and load from its own stack slots.
  std::set<const llvm::Value*> inputs(data.begin(), data.end() - 1);
  const llvm::Value* output_data = data.back();
  llvm::MDBuilder scopes(context());
  llvm::MDNode* domain = scopes.createAnonymousAliasScopeDomain("elementwise.chunk");
  llvm::MDNode* output = scopes.createAnonymousAliasScope(domain, "output");
  llvm::MDNode* output_list = llvm::MDNode::get(context(), {output});
  for (llvm::BasicBlock& block : *llvm_fn_)
    for (llvm::Instruction& inst : block) {
      if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&inst)) {
        if (llvm::getUnderlyingObject(store->getPointerOperand()) == output_data)
          store->setMetadata(llvm::LLVMContext::MD_alias_scope, output_list);
      } else if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&inst)) {
        if (inputs.count(llvm::getUnderlyingObject(load->getPointerOperand())))
          load->setMetadata(llvm::LLVMContext::MD_noalias, output_list);
      }
    }
}

// A reduction shared among threads: one partial per chunk of the region, on
// this frame, identity first; the chunks fold into theirs, and the partials
// merge here in chunk order (as prange's reductions do, lower_parallel.cpp).
// Context: the operands and count, the partials' address, then the inputs.
FunctionLowering::Partial FunctionLowering::share_fold(const hir::Expr& root, const std::vector<Operand>& ops,
                                                       const Sharing& sharing, const ElementFold& fold,
                                                       const FoldInputs& inputs) {
  auto& b = builder_;
  llvm::StructType* partial_type = llvm::StructType::get(context(), fold.partial_types);
  std::vector<llvm::Type*> extra{b.getPtrTy()};
  for (llvm::Value* v : inputs) extra.push_back(v->getType());
  llvm::StructType* ctx_type = nullptr;
  llvm::Value* env = elementwise_context(ops, sharing, extra, ctx_type);
  const unsigned partials_field = static_cast<unsigned>(ops.size() + 1);
  for (size_t i = 0; i < inputs.size(); ++i)
    b.CreateStore(inputs[i], b.CreateStructGEP(ctx_type, env, partials_field + 1 + static_cast<unsigned>(i)));
  module_.note_parallel_loop(fn_.name, "line " + std::to_string(root.span.line) + ": reduction runs in parallel" +
                                           (sharing.rows ? " by rows" : "") + " from " +
                                           std::to_string(fn_.options.parallel_array_min) + " elements");
  llvm::Function* chunk = new_chunk_function(".fold");
  {
    FunctionLowering body(module_, fn_, chunk);
    body.lower_fold_chunk(root, ops, sharing, ctx_type, fold, inputs.size());
  }
  llvm::Value* nthreads = b.CreateCall(runtime_function(module(), RuntimeFunction::num_threads));
  llvm::Value* blocks = shared_units(sharing);
  llvm::Value* slots = b.CreateCall(runtime_function(module(), RuntimeFunction::parallel_slots), {blocks, nthreads});
  llvm::Value* slots32 = b.CreateTrunc(slots, b.getInt32Ty());  // at most the runtime's chunk limit
  llvm::Value* stack = b.CreateStackSave("partials.stack");
  llvm::Value* partials = b.CreateAlloca(partial_type, slots, "partials");
  auto component = [&](llvm::Value* w, size_t i) {
    return b.CreateStructGEP(partial_type, b.CreateGEP(partial_type, partials, w), static_cast<unsigned>(i));
  };
  Partial start = fold.identity(*this);
  for_each_index(slots32, "partials.init", [&](llvm::Value* w) {
    for (size_t i = 0; i < start.size(); ++i) b.CreateStore(start[i], component(w, i));
  });
  b.CreateStore(partials, b.CreateStructGEP(ctx_type, env, partials_field));
  llvm::FunctionCallee parallel_for = runtime_function(module(), RuntimeFunction::parallel_for);
  exit_if_failed_restoring(b.CreateCall(parallel_for, {chunk, env, blocks, nthreads, slots}), stack);
  std::vector<llvm::AllocaInst*> merged = partial_slots(fold, start);
  for_each_index(slots32, "partials.merge", [&](llvm::Value* w) {
    Partial right;
    for (size_t i = 0; i < merged.size(); ++i) right.push_back(b.CreateLoad(fold.partial_types[i], component(w, i)));
    store_partial(fold.merge(*this, load_partial(fold, merged), right), merged);
  });
  Partial result = load_partial(fold, merged);
  b.CreateStackRestore(stack);
  return result;
}

void FunctionLowering::lower_fold_chunk(const hir::Expr& root, const std::vector<Operand>& parent_ops,
                                        const Sharing& sharing, llvm::StructType* ctx_type, const ElementFold& fold,
                                        size_t input_count) {
  auto& b = builder_;
  llvm::Value* env = begin_chunk_body();
  const unsigned partials_field = static_cast<unsigned>(parent_ops.size() + 1);
  FoldInputs inputs;
  for (size_t i = 0; i < input_count; ++i) {
    unsigned f = partials_field + 1 + static_cast<unsigned>(i);
    inputs.push_back(b.CreateLoad(ctx_type->getElementType(f), b.CreateStructGEP(ctx_type, env, f)));
  }
  std::vector<llvm::AllocaInst*> slots = partial_slots(fold, fold.identity(*this));
  each_chunk_element(root, parent_ops, sharing, ctx_type, env, [&](std::vector<Operand>& ops) {
    const Type* vt = nullptr;
    llvm::Value* v = element_value(root, ops, vt);
    store_partial(fold.step(*this, load_partial(fold, slots), v, vt, inputs), slots);
  });
  llvm::StructType* partial_type = llvm::StructType::get(context(), fold.partial_types);
  llvm::Value* mine = b.CreateGEP(partial_type, b.CreateLoad(b.getPtrTy(), b.CreateStructGEP(ctx_type, env, partials_field)),
                                  llvm_fn_->getArg(3));
  Partial before;
  for (size_t i = 0; i < slots.size(); ++i)
    before.push_back(b.CreateLoad(fold.partial_types[i], b.CreateStructGEP(partial_type, mine, static_cast<unsigned>(i))));
  Partial after = fold.merge(*this, before, load_partial(fold, slots));
  for (size_t i = 0; i < slots.size(); ++i)
    b.CreateStore(after[i], b.CreateStructGEP(partial_type, mine, static_cast<unsigned>(i)));
  exit_function(b.getInt32(0));
  finish_cleanup();
}

}  // namespace numjit::lower
