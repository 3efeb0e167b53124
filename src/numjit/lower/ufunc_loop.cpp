// The NumPy inner loop of a @vectorize kernel:
//   void loop(char** args, const npy_intp* dims, const npy_intp* steps, void* data)
// calls the kernel once per element. Copies of the loop specialised for
// contiguous and broadcast (step 0) operands use typed, unit-stride accesses
// and loop-invariant scalars, so LLVM's loop vectorizer widens kernels
// without loops of their own (log_normal_pdf runs 8 lanes with libmvec's log).
// Kernels that hold a loop (the seed's f_numba) stay scalar per element:
// LLVM 19's outer-loop vectorizer (VPlan native path) only emits gathers and
// scatters here, measured slower than the scalar loop.
#include "numjit/lower/ufunc_loop.h"

#include <llvm/IR/MDBuilder.h>

#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"
#include "numjit/passes/plans.h"

namespace numjit::lower {
namespace {

int64_t item_size(const types::Type* t) { return t->is_bool() ? 1 : t->bits() / 8; }

}  // namespace

std::string emit_ufunc_loop(ModuleLowering& module, hir::Function& kernel, const types::Type* output) {
  llvm::Module& m = module.module();
  llvm::LLVMContext& ctx = m.getContext();
  llvm::Function* callee = module.function_for(kernel);
  callee->addFnAttr(llvm::Attribute::AlwaysInline);
  auto* ptr = llvm::PointerType::get(ctx, 0);
  auto* fty = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr, ptr, ptr}, false);
  std::string name = kernel.symbol + ".ufunc";
  auto* loop_fn = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, m);
  module.set_function_attributes(loop_fn);
  FunctionLowering glue(module, kernel, loop_fn);
  llvm::IRBuilder<>& b = glue.builder();
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", loop_fn));

  size_t nin = kernel.param_count;
  std::vector<const types::Type*> operand_types;
  for (size_t i = 0; i < nin; ++i) operand_types.push_back(kernel.param_types[i]);
  operand_types.push_back(output);
  llvm::Value* args = loop_fn->getArg(0);
  llvm::Value* n = b.CreateLoad(b.getInt64Ty(), loop_fn->getArg(1));
  llvm::Value* steps = loop_fn->getArg(2);
  std::vector<llvm::Value*> bases, step_values;
  for (size_t i = 0; i < operand_types.size(); ++i) {
    bases.push_back(b.CreateLoad(ptr, b.CreateConstGEP1_64(ptr, args, i)));
    step_values.push_back(b.CreateLoad(b.getInt64Ty(), b.CreateConstGEP1_64(b.getInt64Ty(), steps, i)));
  }
  llvm::AllocaInst* result = b.CreateAlloca(value_type(ctx, kernel.return_type));
  llvm::BasicBlock* done = llvm::BasicBlock::Create(ctx, "done", loop_fn);
  // An exception in the kernel (recorded in the runtime) ends the loop and goes to NumPy.
  llvm::BasicBlock* failed = llvm::BasicBlock::Create(ctx, "failed", loop_fn);
  auto load_operand = [&](size_t i, llvm::Value* address) -> llvm::Value* {
    llvm::Value* v = b.CreateLoad(memory_type(ctx, operand_types[i]), address);
    return operand_types[i]->is_bool() ? b.CreateICmpNE(v, b.getInt8(0)) : v;
  };

  // Blocks of kLanes elements through the lane kernel, when the kernel has
  // that shape for this layout; returns the index where single elements take
  // over (0 when there is no lane kernel).
  constexpr int64_t kLanes = 8;
  const passes::UfuncLoopPlan& plan = *module.plan(kernel).ufunc_loop;
  auto emit_lane_blocks = [&](const std::string& layout, const std::vector<llvm::Value*>& hoisted) -> llvm::Value* {
    auto lanes = plan.lanes.find(layout);
    if (lanes == plan.lanes.end()) return b.getInt64(0);
    const passes::LaneKernel* shape = &lanes->second;
    llvm::Value* blocks_end = b.CreateMul(b.CreateSDiv(n, b.getInt64(kLanes)), b.getInt64(kLanes));
    llvm::BasicBlock* pre = b.GetInsertBlock();
    llvm::BasicBlock* body = llvm::BasicBlock::Create(ctx, "lanes." + layout, loop_fn);
    llvm::BasicBlock* after = llvm::BasicBlock::Create(ctx, "lanes.done", loop_fn);
    b.CreateCondBr(b.CreateICmpSGT(blocks_end, b.getInt64(0)), body, after);
    b.SetInsertPoint(body);
    llvm::PHINode* k = b.CreatePHI(b.getInt64Ty(), 2);
    k->addIncoming(b.getInt64(0), pre);
    auto element = [&](size_t i, int64_t lane) {
      return b.CreateGEP(memory_type(ctx, operand_types[i]), bases[i], b.CreateAdd(k, b.getInt64(lane)));
    };
    std::vector<std::vector<llvm::Value*>> lane_args(kLanes);
    for (int64_t l = 0; l < kLanes; ++l)
      for (size_t i = 0; i < nin; ++i) lane_args[l].push_back(hoisted[i] ? hoisted[i] : load_operand(i, element(i, l)));
    glue.emit_lanes(*shape, lane_args, [&](size_t lane, llvm::Value* value) {
      value = glue.cast(value, kernel.return_type, output);
      if (output->is_bool()) value = b.CreateZExt(value, b.getInt8Ty());
      b.CreateStore(value, element(nin, static_cast<int64_t>(lane)));
    });
    llvm::Value* next = b.CreateAdd(k, b.getInt64(kLanes), "", true, true);
    llvm::BasicBlock* latch = b.GetInsertBlock();  // the lanes' loop added blocks of its own
    k->addIncoming(next, latch);
    b.CreateCondBr(b.CreateICmpSLT(next, blocks_end), body, after);
    b.SetInsertPoint(after);
    llvm::PHINode* resume = b.CreatePHI(b.getInt64Ty(), 2);
    resume->addIncoming(b.getInt64(0), pre);
    resume->addIncoming(blocks_end, latch);
    return resume;
  };

  // One copy of the element loop. `layout` has one entry per input: 'c' a
  // contiguous operand (typed unit-stride access), 's' a broadcast scalar
  // (step 0: loaded once, before the loop), 'g' any stride. The output is
  // contiguous unless every entry is 'g'.
  auto emit_loop = [&](const std::string& layout) {
    bool unit_stride = layout.find('g') == std::string::npos;
    std::vector<llvm::Value*> hoisted(nin, nullptr);
    for (size_t i = 0; i < nin; ++i)
      if (layout[i] == 's') hoisted[i] = load_operand(i, bases[i]);
    llvm::Value* first = b.getInt64(0);
    if (unit_stride) first = emit_lane_blocks(layout, hoisted);
    llvm::BasicBlock* pre = b.GetInsertBlock();
    llvm::BasicBlock* body = llvm::BasicBlock::Create(ctx, "elements." + layout, loop_fn);
    llvm::BasicBlock* check = llvm::BasicBlock::Create(ctx, "next", loop_fn);
    b.CreateCondBr(b.CreateICmpSLT(first, n), body, done);
    b.SetInsertPoint(body);
    llvm::PHINode* k = b.CreatePHI(b.getInt64Ty(), 2);
    k->addIncoming(first, pre);
    auto address = [&](size_t i) -> llvm::Value* {
      if (unit_stride) return b.CreateGEP(memory_type(ctx, operand_types[i]), bases[i], k);
      return b.CreateGEP(b.getInt8Ty(), bases[i], b.CreateMul(k, step_values[i]));
    };
    std::vector<llvm::Value*> call_args{result};
    for (size_t i = 0; i < nin; ++i) call_args.push_back(hoisted[i] ? hoisted[i] : load_operand(i, address(i)));
    llvm::Value* status = b.CreateCall(callee, call_args);
    llvm::Value* value = glue.cast(b.CreateLoad(value_type(ctx, kernel.return_type), result), kernel.return_type,
                                   output);
    if (output->is_bool()) value = b.CreateZExt(value, b.getInt8Ty());
    b.CreateStore(value, address(nin));
    llvm::Value* next = b.CreateAdd(k, b.getInt64(1), "", true, true);
    b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(0)), check, failed, llvm::MDBuilder(ctx).createBranchWeights(1 << 20, 1));
    b.SetInsertPoint(check);
    k->addIncoming(next, check);
    b.CreateCondBr(b.CreateICmpSLT(next, n), body, done);
  };

  // Dispatch on the operands' steps, in the plan's order; the last copy
  // (all 'g') takes any strides.
  auto is_step = [&](size_t i, int64_t bytes) { return b.CreateICmpEQ(step_values[i], b.getInt64(bytes)); };
  for (size_t v = 0; v + 1 < plan.step_layouts.size(); ++v) {
    const std::string& layout = plan.step_layouts[v];
    llvm::Value* matches = is_step(nin, item_size(output));
    for (size_t i = 0; i < nin; ++i)
      matches = b.CreateAnd(matches, is_step(i, layout[i] == 's' ? 0 : item_size(operand_types[i])));
    llvm::BasicBlock* take = llvm::BasicBlock::Create(ctx, "take." + layout, loop_fn);
    llvm::BasicBlock* other = llvm::BasicBlock::Create(ctx, "other", loop_fn);
    b.CreateCondBr(matches, take, other);
    b.SetInsertPoint(take);
    emit_loop(layout);
    b.SetInsertPoint(other);
  }
  emit_loop(plan.step_layouts.back());
  b.SetInsertPoint(done);
  b.CreateRetVoid();
  b.SetInsertPoint(failed);
  b.CreateCall(runtime_function(m, RuntimeFunction::ufunc_failed), {loop_fn->getArg(3)});
  b.CreateRetVoid();
  return name;
}

}  // namespace numjit::lower
