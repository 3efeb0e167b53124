#include "numjit/codegen/llvm_types.h"

#include "numjit/support/diagnostics.h"

namespace numjit::codegen {

using types::ScalarKind;
using types::TypeKind;

llvm::StructType* array_struct(llvm::LLVMContext& ctx, int ndim) {
  auto* i64 = llvm::Type::getInt64Ty(ctx);
  auto* ptr = llvm::PointerType::get(ctx, 0);
  auto* dims = llvm::ArrayType::get(i64, ndim);
  return llvm::StructType::get(ctx, {ptr, ptr, ptr, dims, dims});
}

static llvm::Type* scalar_type(llvm::LLVMContext& ctx, ScalarKind k, bool in_memory) {
  switch (k) {
    case ScalarKind::Bool: return in_memory ? llvm::Type::getInt8Ty(ctx) : llvm::Type::getInt1Ty(ctx);
    case ScalarKind::Int8: case ScalarKind::UInt8: return llvm::Type::getInt8Ty(ctx);
    case ScalarKind::Int16: case ScalarKind::UInt16: return llvm::Type::getInt16Ty(ctx);
    case ScalarKind::Int32: case ScalarKind::UInt32: return llvm::Type::getInt32Ty(ctx);
    case ScalarKind::Int64: case ScalarKind::UInt64: return llvm::Type::getInt64Ty(ctx);
    case ScalarKind::Float32: return llvm::Type::getFloatTy(ctx);
    case ScalarKind::Float64: return llvm::Type::getDoubleTy(ctx);
    case ScalarKind::Complex64: {
      auto* f = llvm::Type::getFloatTy(ctx);
      return llvm::StructType::get(ctx, {f, f});
    }
    case ScalarKind::Complex128: {
      auto* d = llvm::Type::getDoubleTy(ctx);
      return llvm::StructType::get(ctx, {d, d});
    }
    default:
      if (abi::is_time_kind(k)) return llvm::Type::getInt64Ty(ctx);  // a count of time units
      internal_error("no LLVM type for scalar kind");
  }
}

static llvm::Type* lower_type(llvm::LLVMContext& ctx, const types::Type* t, bool in_memory) {
  switch (t->kind) {
    case TypeKind::Scalar: return scalar_type(ctx, t->scalar, in_memory);
    case TypeKind::NoneType:
    case TypeKind::StringLiteral:  // its value is its type
      return llvm::Type::getInt8Ty(ctx);
    case TypeKind::Opaque:
      if (types::is_dtype_value(t) || types::is_limits_value(t)) return llvm::Type::getInt8Ty(ctx);  // so is a dtype's
      break;
    case TypeKind::Array: return array_struct(ctx, t->ndim);
    case TypeKind::List:
    case TypeKind::Set:
    case TypeKind::String:
    case TypeKind::Generator:
    case TypeKind::Dict: return llvm::PointerType::get(ctx, 0);  // its MemInfo
    case TypeKind::Pointer: return llvm::PointerType::get(ctx, 0);
    case TypeKind::Tuple: {
      std::vector<llvm::Type*> elems;
      for (const types::Type* e : t->elements) elems.push_back(lower_type(ctx, e, in_memory));
      return llvm::StructType::get(ctx, elems);
    }
    case TypeKind::Optional:
      return llvm::StructType::get(ctx, {llvm::Type::getInt1Ty(ctx), lower_type(ctx, t->elements[0], in_memory)});
    default: internal_error("type " + t->name + " has no runtime representation");
  }
}

llvm::Type* value_type(llvm::LLVMContext& ctx, const types::Type* t) { return lower_type(ctx, t, false); }
llvm::Type* memory_type(llvm::LLVMContext& ctx, const types::Type* t) { return lower_type(ctx, t, true); }

}  // namespace numjit::codegen
