// numjit's checks in GPU kernels (codegen/gpu_raise.cpp): each call of
// numjit_rt_raise left after optimization becomes a store of its own
// negative code into the module's flag and an exit, described by a PTX
// comment line the launch reads (cuda/gpu_exceptions.py).
#include <gtest/gtest.h>

#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>

#include "ir_text.h"
#include "numjit/codegen/gpu_raise.h"

namespace {

using numjit::testing::parse_function;
using numjit::testing::verified;

const char* kTwoChecks = R"(
@msg.view = private unnamed_addr constant [16 x i8] c"bad view\0Aline 2\00"
@msg.index = private unnamed_addr constant [12 x i8] c"index \5C out\00"
declare void @numjit_rt_raise(i32, ptr)
define i32 @f(i64 %n) {
entry:
  %odd = icmp ne i64 %n, 8
  br i1 %odd, label %raise, label %next
raise:
  call void @numjit_rt_raise(i32 2, ptr @msg.view)
  ret i32 1
next:
  %big = icmp sgt i64 %n, 100
  br i1 %big, label %raise2, label %ok
raise2:
  call void @numjit_rt_raise(i32 1, ptr @msg.index)
  ret i32 1
ok:
  ret i32 0
}
)";

// The codes the function stores into the flag, in order.
std::vector<int64_t> stored_codes(llvm::Function& f) {
  std::vector<int64_t> codes;
  for (llvm::BasicBlock& block : f)
    for (llvm::Instruction& i : block)
      if (auto* exchange = llvm::dyn_cast<llvm::AtomicCmpXchgInst>(&i)) {
        EXPECT_EQ(exchange->getPointerOperand()->getName(), numjit::codegen::kGpuErrorFlag);
        codes.push_back(llvm::cast<llvm::ConstantInt>(exchange->getNewValOperand())->getSExtValue());
        auto* exit = llvm::dyn_cast<llvm::CallInst>(exchange->getNextNode());
        EXPECT_TRUE(exit && llvm::isa<llvm::InlineAsm>(exit->getCalledOperand()) && exit->doesNotReturn());
      }
  return codes;
}

TEST(GpuRaise, EachCheckStoresItsOwnCodeAndIsDescribed) {
  auto parsed = parse_function(kTwoChecks);
  ASSERT_TRUE(parsed.f);
  std::string comments = numjit::codegen::checks_as_gpu_error_codes(*parsed.module);
  EXPECT_EQ(comments,
            "// numjit.check -1 ValueError bad view\\nline 2\n"
            "// numjit.check -2 IndexError index \\\\ out\n");
  EXPECT_EQ(stored_codes(*parsed.f), (std::vector<int64_t>{-1, -2}));
  EXPECT_EQ(parsed.module->getFunction("numjit_rt_raise"), nullptr);  // no call of the runtime is left
  EXPECT_EQ(parsed.module->getNamedGlobal("msg.view"), nullptr);     // nor the messages, now in the comments
  verified(*parsed.f);
}

TEST(GpuRaise, AModuleWithoutChecksIsLeftAlone) {
  auto parsed = parse_function("define i32 @f(i64 %n) {\n  ret i32 0\n}\n");
  ASSERT_TRUE(parsed.f);
  EXPECT_EQ(numjit::codegen::checks_as_gpu_error_codes(*parsed.module), "");
  EXPECT_EQ(parsed.module->getNamedGlobal(numjit::codegen::kGpuErrorFlag), nullptr);
}

TEST(GpuRaise, AKernelsOwnRaiseUsesTheSameFlag) {
  auto parsed = parse_function("define void @f() {\n  ret void\n}\n");
  ASSERT_TRUE(parsed.f);
  llvm::BasicBlock& entry = parsed.f->getEntryBlock();
  llvm::IRBuilder<> b(&entry, entry.begin());
  numjit::codegen::emit_gpu_raise(b, *parsed.module, 7);
  EXPECT_EQ(stored_codes(*parsed.f), (std::vector<int64_t>{7}));
  llvm::GlobalVariable* flag = parsed.module->getNamedGlobal(numjit::codegen::kGpuErrorFlag);
  ASSERT_TRUE(flag);
  EXPECT_EQ(flag->getAddressSpace(), 1u);  // global memory, where the launch reads it
  verified(*parsed.f);
}

}  // namespace
