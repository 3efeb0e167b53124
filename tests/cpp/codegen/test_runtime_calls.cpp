// Runtime function declarations come from runtime/functions.def and the C
// prototypes (src/numjit/codegen/runtime_calls.cpp).
#include <gtest/gtest.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "numjit/codegen/runtime_calls.h"

using namespace numjit;

namespace {

std::string type_text(llvm::FunctionCallee f) {
  std::string text;
  llvm::raw_string_ostream os(text);
  f.getFunctionType()->print(os);
  return text;
}

}  // namespace

TEST(RuntimeCalls, TypesFollowTheCPrototypes) {
  llvm::LLVMContext ctx;
  llvm::Module m("t", ctx);
  EXPECT_EQ(type_text(codegen::runtime_function(m, codegen::RuntimeFunction::raise)), "void (i32, ptr)");
  EXPECT_EQ(type_text(codegen::runtime_function(m, codegen::RuntimeFunction::dict_find)), "i64 (ptr, ptr)");
  EXPECT_EQ(type_text(codegen::runtime_function(m, codegen::RuntimeFunction::round_digits)), "double (double, i64)");
  EXPECT_EQ(type_text(codegen::runtime_function(m, codegen::RuntimeFunction::complex64_pow_numpy)),
            "void (ptr, float, float, float, float)");
  EXPECT_EQ(type_text(codegen::runtime_function(m, codegen::RuntimeFunction::random_interval)), "i64 (i64)");
  EXPECT_EQ(type_text(codegen::runtime_function(m, codegen::RuntimeFunction::num_threads)), "i32 ()");
}

TEST(RuntimeCalls, DeclaredOnceByName) {
  llvm::LLVMContext ctx;
  llvm::Module m("t", ctx);
  llvm::FunctionCallee a = codegen::runtime_function(m, codegen::RuntimeFunction::list_append);
  llvm::FunctionCallee b = codegen::runtime_function(m, codegen::RuntimeFunction::list_append);
  EXPECT_EQ(a.getCallee(), b.getCallee());
  EXPECT_NE(m.getFunction("numjit_rt_list_append"), nullptr);
}
