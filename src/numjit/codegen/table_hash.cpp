#include "numjit/codegen/table_hash.h"

namespace numjit::codegen {

llvm::Value* emit_table_hash(llvm::IRBuilderBase& b, llvm::Value* word) {
  // The low half mixed with murmur3's 32-bit finalizer of the high half.
  llvm::Value* high = b.CreateTrunc(b.CreateLShr(word, 32), b.getInt32Ty());
  high = b.CreateMul(b.CreateXor(high, b.CreateLShr(high, 16)), b.getInt32(0x85ebca6bu));
  high = b.CreateMul(b.CreateXor(high, b.CreateLShr(high, 13)), b.getInt32(0xc2b2ae35u));
  high = b.CreateXor(high, b.CreateLShr(high, 16));
  return b.CreateXor(word, b.CreateZExt(high, b.getInt64Ty()));
}

}  // namespace numjit::codegen
