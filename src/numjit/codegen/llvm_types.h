// codegen/: the LLVM building blocks both the library rows and lowering use.
// This file: how numjit types look in LLVM IR. Arrays follow runtime/abi.h's
// ArrayHeader: {ptr meminfo, ptr parent, ptr data, [nd x i64] shape, [nd x i64] strides}.
#pragma once

#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/LLVMContext.h>

#include "numjit/types/type.h"

namespace numjit::codegen {

// The type of an SSA value of `t` (bool is i1).
llvm::Type* value_type(llvm::LLVMContext& ctx, const types::Type* t);
// The type of `t` stored in memory (bool is i8, as in NumPy arrays).
llvm::Type* memory_type(llvm::LLVMContext& ctx, const types::Type* t);
llvm::StructType* array_struct(llvm::LLVMContext& ctx, int ndim);
// Bytes per element of a dtype (bool: 1).
inline int64_t itemsize(const types::Type* dtype) { return dtype->is_bool() ? 1 : dtype->bits() / 8; }

// Array struct field indices.
constexpr unsigned kArrayMeminfo = 0, kArrayParent = 1, kArrayData = 2, kArrayShape = 3, kArrayStrides = 4;

}  // namespace numjit::codegen
