#include "numjit/lower/ptx_kernel.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/IntrinsicsNVPTX.h>

#include "numjit/codegen/llvm_types.h"
#include "numjit/hir/hir.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/support/diagnostics.h"

namespace numjit::lower {
namespace {

// The context's 12 integer slots, in rewrite.py's order: threadIdx, blockIdx, blockDim, gridDim (x, y, z each).
const llvm::Intrinsic::ID kContextRegisters[12] = {
    llvm::Intrinsic::nvvm_read_ptx_sreg_tid_x,    llvm::Intrinsic::nvvm_read_ptx_sreg_tid_y,
    llvm::Intrinsic::nvvm_read_ptx_sreg_tid_z,    llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_x,
    llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_y,  llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_z,
    llvm::Intrinsic::nvvm_read_ptx_sreg_ntid_x,   llvm::Intrinsic::nvvm_read_ptx_sreg_ntid_y,
    llvm::Intrinsic::nvvm_read_ptx_sreg_ntid_z,   llvm::Intrinsic::nvvm_read_ptx_sreg_nctaid_x,
    llvm::Intrinsic::nvvm_read_ptx_sreg_nctaid_y, llvm::Intrinsic::nvvm_read_ptx_sreg_nctaid_z};
constexpr unsigned kSharedSlot = 12, kDynamicSlot = 13;

}  // namespace

std::string emit_ptx_kernel(ModuleLowering& module, hir::Function& thread_function, int64_t shared_bytes) {
  llvm::Function* thread = module.lower_all(thread_function);
  llvm::LLVMContext& ctx = module.module().getContext();
  // A kernel only borrows the launch's arrays: on the GPU, reference counts have nothing to count
  // (and the runtime that frees at zero is not there).
  for (const char* name : {"numjit.incref", "numjit.decref"}) {
    llvm::Function* count = module.module().getFunction(name);
    if (!count || count->isDeclaration()) continue;
    count->deleteBody();
    llvm::ReturnInst::Create(ctx, llvm::BasicBlock::Create(ctx, "entry", count));
    count->setLinkage(llvm::GlobalValue::InternalLinkage);
  }
  llvm::FunctionType* thread_type = thread->getFunctionType();
  unsigned params = thread_type->getNumParams();  // the status pointer, the kernel's arguments, the context
  if (params < 2) internal_error("a CUDA thread function without its context parameter");
  auto* context_type = llvm::dyn_cast<llvm::StructType>(thread_type->getParamType(params - 1));
  if (!context_type || context_type->getNumElements() != 14)
    internal_error("a CUDA thread function's last parameter is not its context");
  std::vector<llvm::Type*> kernel_params(thread_type->param_begin() + 1, thread_type->param_end() - 1);
  auto* kernel_type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), kernel_params, false);
  std::string name = thread_function.name;
  auto* kernel = llvm::Function::Create(kernel_type, llvm::Function::ExternalLinkage, name, module.module());
  kernel->setCallingConv(llvm::CallingConv::PTX_Kernel);
  kernel->addFnAttr(llvm::Attribute::NoUnwind);

  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", kernel));
  llvm::Value* context = llvm::PoisonValue::get(context_type);
  for (unsigned slot = 0; slot < 12; ++slot) {
    llvm::Value* reg = b.CreateIntrinsic(kContextRegisters[slot], {}, {});
    context = b.CreateInsertValue(context, b.CreateZExt(reg, context_type->getElementType(slot)), slot);
  }
  // The block's shared memory: an array over the external shared symbol the launch sizes. All of
  // it is CUDA's dynamic shared memory (the kernel's own arrays, `shared_bytes`, then what the
  // launch asked for beyond them), so its size is read from %dynamic_smem_size.
  auto* shared = new llvm::GlobalVariable(module.module(), llvm::ArrayType::get(b.getInt8Ty(), 0), false,
                                          llvm::GlobalValue::ExternalLinkage, nullptr, "__numjit_cuda_shared",
                                          nullptr, llvm::GlobalValue::NotThreadLocal, 3);
  shared->setAlignment(llvm::Align(16));
  auto* read_size = llvm::InlineAsm::get(llvm::FunctionType::get(b.getInt32Ty(), false),
                                         "mov.u32 $0, %dynamic_smem_size;", "=r", false);
  llvm::Value* total = b.CreateZExt(b.CreateCall(read_size), b.getInt64Ty(), "shared.bytes");
  // A launch gives at least the kernel's own arrays (gpu_launch.py): their slices of the memory
  // then fold to constant bounds, and no check of them stays in the kernel.
  b.CreateAssumption(b.CreateICmpUGE(total, b.getInt64(shared_bytes)));
  llvm::Type* array_type = context_type->getElementType(kSharedSlot);
  llvm::Value* array = llvm::Constant::getNullValue(array_type);
  array = b.CreateInsertValue(array, b.CreateAddrSpaceCast(shared, b.getPtrTy()), codegen::kArrayData);
  array = b.CreateInsertValue(array, total, {codegen::kArrayShape, 0});
  array = b.CreateInsertValue(array, b.getInt64(1), {codegen::kArrayStrides, 0});
  context = b.CreateInsertValue(context, array, kSharedSlot);
  context = b.CreateInsertValue(context, b.CreateSub(total, b.getInt64(shared_bytes), "dynamic.bytes"), kDynamicSlot);

  std::vector<llvm::Value*> args{b.CreateAlloca(b.getInt8Ty())};
  for (llvm::Argument& a : kernel->args()) args.push_back(&a);
  args.push_back(context);
  b.CreateCall(thread, args);
  b.CreateRetVoid();
  thread->addFnAttr(llvm::Attribute::AlwaysInline);
  return name;
}

}  // namespace numjit::lower
