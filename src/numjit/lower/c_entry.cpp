#include "numjit/lower/c_entry.h"

#include "numjit/codegen/llvm_types.h"
#include "numjit/codegen/runtime_calls.h"
#include "numjit/lower/function_lowering.h"
#include "numjit/support/diagnostics.h"

namespace numjit::lower {
namespace {

// The C type of a parameter or result: numbers as themselves, bool as a byte.
llvm::Type* c_type(llvm::LLVMContext& ctx, const types::Type* t, const SourceSpan& span, const char* what) {
  if (t->kind == types::TypeKind::NoneType) return llvm::Type::getVoidTy(ctx);
  if (t->kind == types::TypeKind::Pointer) return llvm::PointerType::get(ctx, 0);
  if (!t->is_scalar() || t->is_complex())
    unsupported(span, std::string("a @cfunc ") + what + " must be a number, a bool or a pointer, not " + t->name);
  return memory_type(ctx, t);
}

}  // namespace

std::string emit_c_entry(ModuleLowering& module, hir::Function& fn, const types::Type* declared_return) {
  llvm::Module& m = module.module();
  llvm::LLVMContext& ctx = m.getContext();
  llvm::Function* callee = module.function_for(fn);  // names fn.symbol
  std::vector<llvm::Type*> params;
  for (size_t i = 0; i < fn.param_count; ++i) {
    params.push_back(c_type(ctx, fn.param_types[i], fn.span, "argument"));
    if (params.back()->isVoidTy()) unsupported(fn.span, "a @cfunc argument cannot be none");
  }
  llvm::Type* result_c_type = c_type(ctx, declared_return, fn.span, "result");
  std::string name = fn.symbol + ".cfunc";
  auto* entry = llvm::Function::Create(llvm::FunctionType::get(result_c_type, params, false),
                                       llvm::Function::ExternalLinkage, name, m);
  module.set_function_attributes(entry);
  FunctionLowering glue(module, fn, entry);
  llvm::IRBuilder<>& b = glue.builder();
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", entry));
  llvm::Value* result = b.CreateAlloca(value_type(ctx, fn.return_type));
  std::vector<llvm::Value*> call_args{result};
  for (size_t i = 0; i < fn.param_count; ++i) {
    llvm::Value* v = entry->getArg(static_cast<unsigned>(i));
    call_args.push_back(fn.param_types[i]->is_bool() ? b.CreateICmpNE(v, b.getInt8(0)) : v);
  }
  llvm::Value* status = b.CreateCall(callee, call_args);
  auto* ok = llvm::BasicBlock::Create(ctx, "ok", entry);
  auto* failed = llvm::BasicBlock::Create(ctx, "failed", entry);
  b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(abi::kStatusOk)), ok, failed);
  b.SetInsertPoint(failed);
  b.CreateCall(runtime_function(m, RuntimeFunction::cfunc_failed), {b.CreateGlobalString(fn.name)});
  if (result_c_type->isVoidTy()) b.CreateRetVoid();
  else b.CreateRet(llvm::Constant::getNullValue(result_c_type));
  b.SetInsertPoint(ok);
  if (result_c_type->isVoidTy()) {
    b.CreateRetVoid();
    return name;
  }
  if (fn.return_type->kind == types::TypeKind::NoneType)
    typing_error(fn.span, "this @cfunc returns nothing, but its signature declares " + declared_return->name);
  llvm::Value* value = glue.cast(b.CreateLoad(value_type(ctx, fn.return_type), result), fn.return_type,
                                 declared_return);
  if (declared_return->is_bool()) value = b.CreateZExt(value, b.getInt8Ty());
  b.CreateRet(value);
  return name;
}

}  // namespace numjit::lower
