// The hash compiled code computes inline for a dict or set key
// (codegen/table_hash.h) against the runtime's (runtime/dict.h), on the same
// keys: small integers, strides, negative numbers, floats' bit patterns and
// random words. A difference would send every inline lookup to the runtime.
#include <gtest/gtest.h>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <cstring>
#include <random>
#include <vector>

#include "numjit/codegen/table_hash.h"
#include "numjit/jit/engine.h"
#include "numjit/runtime/dict.h"

namespace {

using HashFn = uint64_t (*)(uint64_t);

HashFn compiled_hash() {
  auto& engine = numjit::jit::Engine::instance();
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>("table_hash", *context);
  module->setDataLayout(engine.host().data_layout);
  auto* i64 = llvm::Type::getInt64Ty(*context);
  auto* f = llvm::Function::Create(llvm::FunctionType::get(i64, {i64}, false), llvm::Function::ExternalLinkage,
                                   "table_hash_of", module.get());
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(*context, "entry", f));
  b.CreateRet(numjit::codegen::emit_table_hash(b, f->getArg(0)));
  engine.optimize(*module);
  return reinterpret_cast<HashFn>(engine.add_and_lookup(std::move(module), std::move(context), {"table_hash_of"})[0]);
}

uint64_t bits_of(double v) {
  uint64_t w;
  std::memcpy(&w, &v, 8);
  return w;
}

TEST(TableHash, CompiledCodeHashesAsTheRuntime) {
  static const HashFn hash = compiled_hash();
  std::vector<uint64_t> keys;
  for (uint64_t k = 0; k < 5000; ++k) {
    keys.push_back(k);
    keys.push_back(k * 1024);
    keys.push_back(k << 32);
    keys.push_back(k << 40);
    keys.push_back(static_cast<uint64_t>(-static_cast<int64_t>(k)));
    keys.push_back(bits_of(static_cast<double>(k)));
    keys.push_back(bits_of(static_cast<double>(k) * 0.1));
  }
  std::mt19937_64 random(7);
  for (int i = 0; i < 20000; ++i) keys.push_back(random());
  for (uint64_t k : keys) ASSERT_EQ(hash(k), numjit::runtime::hash_word(k)) << "key " << k;
}

TEST(TableHash, SmallIntegersHashAsThemselvesAndTheHighHalfIsKept) {
  for (uint64_t k : {uint64_t(0), uint64_t(1), uint64_t(99999), uint64_t(0xffffffff)})
    EXPECT_EQ(numjit::runtime::hash_word(k), k);
  // Kept high halves make it a bijection: equal hashes mean equal keys, which the
  // table relies on to find 8-byte keys without reading their entries.
  std::mt19937_64 random(11);
  for (int i = 0; i < 20000; ++i) {
    uint64_t k = random();
    EXPECT_EQ(numjit::runtime::hash_word(k) >> 32, k >> 32);
  }
  // Floats whose low bits are all zero still spread over the low bits.
  EXPECT_NE(numjit::runtime::hash_word(bits_of(1.0)) & 0xfffff, numjit::runtime::hash_word(bits_of(2.0)) & 0xfffff);
}

}  // namespace
