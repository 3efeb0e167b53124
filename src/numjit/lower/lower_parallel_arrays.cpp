// parallel=True also shares whole-array expressions among the threads, as
// Numba's parfors do: `np.exp(-0.5 * a * a) * np.cos(b)` assigned or returned
// in a parallel function runs as chunks of flat output positions on the
// runtime's pool (numjit_rt_parallel_for, as prange does). Only where the
// flat position addresses every operand directly: each array C-contiguous
// (by type) with the output's shape, checked at run time, and enough
// elements to repay the pool's start (Options::parallel_array_min). Broadcasting, strided operands and
// small arrays take the serial loop, and so does an expression inside a
// prange body (already parallel).
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

bool FunctionLowering::may_share_elementwise(const std::vector<Operand>& ops, const Type* result) const {
  if (!fn_.options.parallel || in_parallel_body_ || elementwise_depth_ != 0 || result->ndim < 1) return false;
  return std::all_of(ops.begin(), ops.end(), [&](const Operand& op) {
    return !op.type->is_array() || (op.type->layout == Layout::C && op.type->ndim == result->ndim);
  });
}

llvm::Value* FunctionLowering::shares_elementwise_now(const std::vector<Operand>& ops, llvm::Value* total,
                                                      const std::vector<llvm::Value*>& extents) {
  auto& b = builder_;
  // (Below 2**14 elements by default the serial loop wins: a chunk costs a few
  // microseconds to hand out, and 2**14 doubles take about as long to compute.)
  llvm::Value* yes = b.CreateICmpSGE(total, b.getInt64(std::max<int64_t>(fn_.options.parallel_array_min, 1)));
  for (const Operand& op : ops)
    if (op.type->is_array())
      for (size_t d = 0; d < extents.size(); ++d)
        yes = b.CreateAnd(yes, b.CreateICmpEQ(array_dim(op.value, kArrayShape, static_cast<unsigned>(d)), extents[d]));
  return yes;
}

// ops: the expression's leaves, then the output last (materialize_elementwise's order).
void FunctionLowering::share_elementwise(const hir::Expr& root, const std::vector<Operand>& ops, llvm::Value* total) {
  auto& b = builder_;
  // The context: each array's data pointer, each scalar's value, then the element count.
  std::vector<llvm::Type*> fields;
  for (const Operand& op : ops) fields.push_back(op.type->is_array() ? b.getPtrTy() : value_type(context(), op.type));
  fields.push_back(b.getInt64Ty());
  llvm::StructType* ctx_type = llvm::StructType::get(context(), fields);
  llvm::AllocaInst* env = entry_alloca(ctx_type, "elementwise.ctx");
  b.CreateStore(total, b.CreateStructGEP(ctx_type, env, static_cast<unsigned>(ops.size())));
  for (size_t i = 0; i < ops.size(); ++i) {
    const Operand& op = ops[i];
    llvm::Value* v = op.type->is_array() ? b.CreateExtractValue(op.value, kArrayData) : op.value;
    b.CreateStore(v, b.CreateStructGEP(ctx_type, env, static_cast<unsigned>(i)));
  }
  module_.note_parallel_loop(fn_.name, "line " + std::to_string(root.span.line) +
                                           ": array expression runs in parallel when its C-contiguous operands share "
                                           "one shape of at least " + std::to_string(fn_.options.parallel_array_min) +
                                           " elements");

  llvm::Function* chunk = new_chunk_function(".elementwise");
  {
    FunctionLowering body(module_, fn_, chunk);
    body.lower_elementwise_chunk(root, ops, ctx_type);
  }
  llvm::Value* nthreads = b.CreateCall(runtime_function(module(), RuntimeFunction::num_threads));
  llvm::FunctionCallee parallel_for = runtime_function(module(), RuntimeFunction::parallel_for);
  llvm::Value* blocks = b.CreateSDiv(b.CreateAdd(total, b.getInt64(kBlock - 1)), b.getInt64(kBlock));
  exit_if_failed(b.CreateCall(parallel_for, {chunk, env, blocks, nthreads, b.getInt64(0)}));  // no partials
}

void FunctionLowering::lower_elementwise_chunk(const hir::Expr& root, const std::vector<Operand>& parent_ops,
                                               llvm::StructType* ctx_type) {
  auto& b = builder_;
  llvm::Value* env = begin_chunk_body();
  // Blocks [begin, end) are elements [begin * kBlock, min(end * kBlock, total)).
  llvm::Value* total = b.CreateLoad(b.getInt64Ty(), b.CreateStructGEP(ctx_type, env, static_cast<unsigned>(parent_ops.size())));
  llvm::Value* begin = b.CreateMul(llvm_fn_->getArg(1), b.getInt64(kBlock));
  llvm::Value* end = b.CreateMul(llvm_fn_->getArg(2), b.getInt64(kBlock));
  end = b.CreateSelect(b.CreateICmpSLT(end, total), end, total);
  std::vector<Operand> ops = parent_ops;
  std::vector<llvm::Value*> data(ops.size(), nullptr);
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
    // A constant stays a constant: the lowering recognizes some (x ** 0.5 is a
    // square root), and must choose here as it chose in the serial loop.
    if (llvm::isa<llvm::Constant>(ops[i].value)) continue;
    llvm::Value* v = b.CreateLoad(ctx_type->getElementType(static_cast<unsigned>(i)),
                                  b.CreateStructGEP(ctx_type, env, static_cast<unsigned>(i)));
    if (ops[i].type->is_array()) {
      data[i] = v;
      ops[i].value = nullptr;  // the chunk sees the data pointer only
    } else {
      ops[i].value = v;
    }
  }
  const Type* out_dtype = ops.back().type->dtype();
  ++elementwise_depth_;
  counted_loop(b.CreateSub(end, begin), "chunk", [&](llvm::Value* k) {
    llvm::Value* at = b.CreateAdd(begin, k);
    for (size_t i = 0; i < ops.size(); ++i)
      if (data[i]) ops[i].element = b.CreateInBoundsGEP(memory_type(context(), ops[i].type->dtype()), data[i], at);
    const Type* vt = nullptr;
    llvm::Value* v = element_value(root, ops, vt);
    store_element(ops.back().element, cast(v, vt, out_dtype), out_dtype);
  });
  --elementwise_depth_;
  exit_function(b.getInt32(0));
  finish_cleanup();
  // The output is fresh memory, so its stores alias none of the operands'
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

}  // namespace numjit::lower
