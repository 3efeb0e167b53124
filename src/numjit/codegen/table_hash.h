// The hash compiled code gives an 8-byte key of a dict or set before it
// probes the table's first index slot (lower/lower_dict.cpp). It must equal
// the runtime's numjit::runtime::hash_word (runtime/dict.h), which is what
// the table was filled with: a differing hash never finds a key inline and
// every lookup falls to the runtime call (tests/cpp/codegen/test_table_hash.cpp
// runs both on the same keys).
#pragma once

#include <llvm/IR/IRBuilder.h>

namespace numjit::codegen {

// `word` is an i64: the key's bytes.
llvm::Value* emit_table_hash(llvm::IRBuilderBase& b, llvm::Value* word);

}  // namespace numjit::codegen
