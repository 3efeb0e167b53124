// Several elements of a @vectorize kernel at once (see passes/lane_kernels.h):
// every lane gets its own copy of the kernel's variables; straight-line code
// runs lane after lane, and the kernel's loop runs once with all lanes' bodies
// inside it, so their independent chains vectorize.
#include "numjit/lower/function_lowering.h"
#include "numjit/codegen/llvm_types.h"

namespace numjit::lower {

void FunctionLowering::emit_lanes(const passes::LaneKernel& shape, const std::vector<std::vector<llvm::Value*>>& args,
                                  const std::function<void(size_t lane, llvm::Value* value)>& store_result) {
  apply_fastmath();
  size_t lanes = args.size();
  std::vector<std::vector<llvm::AllocaInst*>> lane_locals(lanes);
  for (size_t l = 0; l < lanes; ++l) {
    for (const hir::Variable& v : fn_.locals)
      lane_locals[l].push_back(v.type->kind == types::TypeKind::Unknown
                                   ? nullptr
                                   : entry_alloca(value_type(context(), v.type), v.name + ".lane"));
  }
  auto each_lane = [&](const std::function<void(size_t)>& body) {
    for (size_t l = 0; l < lanes; ++l) {
      locals_ = lane_locals[l];
      body(l);
    }
  };
  each_lane([&](size_t l) {
    for (size_t p = 0; p < fn_.param_count; ++p)
      builder_.CreateStore(cast(args[l][p], fn_.param_types[p], fn_.locals[p].type), locals_[p]);
    for (const hir::Stmt* s : shape.prologue) statement(*s);
  });
  if (shape.loop) {
    // The bounds are uniform, so lane 0's variables give every lane's.
    locals_ = lane_locals[0];
    std::optional<RangeBounds> r = range_bounds(*shape.loop->value);
    llvm::AllocaInst* iv = entry_alloca(builder_.getInt64Ty(), "lanes.k");
    builder_.CreateStore(r->first, iv);
    auto [cond_bb, body_bb, latch_bb, end_bb] = open_loop("lanes");
    llvm::Value* k = builder_.CreateLoad(builder_.getInt64Ty(), iv);
    builder_.CreateCondBr(builder_.CreateICmpULT(k, r->count), body_bb, end_bb);
    builder_.SetInsertPoint(body_bb);
    llvm::Value* i = builder_.CreateAdd(r->start, builder_.CreateMul(k, r->step));
    each_lane([&](size_t) {
      assign(*shape.loop->target, i, types::int64(), shape.loop->span);
      for (const auto& s : shape.loop->body) statement(*s);
    });
    builder_.CreateBr(latch_bb);
    builder_.SetInsertPoint(latch_bb);
    builder_.CreateStore(builder_.CreateAdd(builder_.CreateLoad(builder_.getInt64Ty(), iv), builder_.getInt64(1), "",
                                            /*HasNUW=*/true),
                         iv);
    builder_.CreateBr(cond_bb);
    builder_.SetInsertPoint(end_bb);
  }
  each_lane([&](size_t l) {
    for (const hir::Stmt* s : shape.epilogue) statement(*s);
    store_result(l, expr_as(*shape.result, fn_.return_type));
  });
}

}  // namespace numjit::lower
