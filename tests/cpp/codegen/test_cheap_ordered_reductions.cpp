// Which loops codegen/cheap_ordered_reductions.cpp keeps scalar: in-order
// float sums with nothing else worth vectorizing.
#include <gtest/gtest.h>

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/Utils/LoopUtils.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SourceMgr.h>

#include "numjit/codegen/cheap_ordered_reductions.h"

namespace {

// One loop over x[0..n): acc = acc <op> f(x[i]), where `body` computes %v
// from %x (a double) and `update` makes %next from %acc and %v.
std::string loop_ir(const std::string& type, const std::string& body, const std::string& update) {
  return R"(
declare double @atan(double)
declare double @llvm.sqrt.f64(double)
declare double @llvm.fabs.f64(double)
define )" + type + R"( @f(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %acc = phi )" + type + R"( [ 0)" + (type == "double" ? ".0" : "") + R"(, %entry ], [ %next, %loop ]
  %addr = getelementptr double, ptr %p, i64 %i
  %x = load double, ptr %addr
)" + body + "\n" + update + R"(
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret )" + type + R"( %next
}
)";
}

bool cheap(const std::string& ir) {
  llvm::LLVMContext context;
  llvm::SMDiagnostic error;
  auto module = llvm::parseAssemblyString(ir, error, context);
  if (!module) {
    ADD_FAILURE() << error.getMessage().str();
    return false;
  }
  llvm::Function& f = *module->getFunction("f");
  llvm::DominatorTree dominators(f);
  llvm::LoopInfo loops(dominators);
  EXPECT_EQ(loops.getTopLevelLoops().size(), 1u);
  return numjit::codegen::is_cheap_ordered_reduction(*loops.getTopLevelLoops().front());
}

TEST(CheapOrderedReductions, SumOfSquaresStaysScalar) {
  EXPECT_TRUE(cheap(loop_ir("double", "%v = fmul double %x, %x", "%next = fadd double %acc, %v")));
  EXPECT_TRUE(cheap(loop_ir("double", "%v = fmul double %x, %x", "%next = fsub double %acc, %v")));
  EXPECT_TRUE(cheap(loop_ir("double", "%v = call double @llvm.fabs.f64(double %x)", "%next = fadd double %v, %acc")));
}

TEST(CheapOrderedReductions, MathCallsAndDivisionsKeepTheVectorizer) {
  EXPECT_FALSE(cheap(loop_ir("double", "%v = call double @atan(double %x)", "%next = fadd double %acc, %v")));
  EXPECT_FALSE(cheap(loop_ir("double", "%v = call double @llvm.sqrt.f64(double %x)", "%next = fadd double %acc, %v")));
  EXPECT_FALSE(cheap(loop_ir("double", "%v = fdiv double 1.0, %x", "%next = fadd double %acc, %v")));
}

TEST(CheapOrderedReductions, OtherSumsAreLeftAlone) {
  // Reassociation allowed (fastmath): the vectorizer splits the sum into lanes.
  EXPECT_FALSE(cheap(loop_ir("double", "%v = fmul double %x, %x", "%next = fadd reassoc double %acc, %v")));
  // Integers and products are not in-order float sums.
  EXPECT_FALSE(cheap(loop_ir("i64", "%v = fptosi double %x to i64", "%next = add i64 %acc, %v")));
  EXPECT_FALSE(cheap(loop_ir("double", "%v = fadd double %x, 1.0", "%next = fmul double %acc, %v")));
}

// The pass's marks on the loop after it runs: (vectorize.width, unroll.count).
std::pair<std::optional<int>, std::optional<int>> marks_after_pass(const std::string& ir) {
  llvm::LLVMContext context;
  llvm::SMDiagnostic error;
  auto module = llvm::parseAssemblyString(ir, error, context);
  if (!module) {
    ADD_FAILURE() << error.getMessage().str();
    return {};
  }
  llvm::Function& f = *module->getFunction("f");
  llvm::FunctionAnalysisManager analyses;
  llvm::PassBuilder().registerFunctionAnalyses(analyses);
  numjit::codegen::CheapOrderedReductionsPass().run(f, analyses);
  llvm::DominatorTree dominators(f);
  llvm::LoopInfo loops(dominators);
  const llvm::Loop* loop = loops.getTopLevelLoops().front();
  return {llvm::getOptionalIntLoopAttribute(loop, "llvm.loop.vectorize.width"),
          llvm::getOptionalIntLoopAttribute(loop, "llvm.loop.unroll.count")};
}

TEST(CheapOrderedReductions, MarkedScalarAndUnrolledByTwo) {
  auto [width, unroll] = marks_after_pass(loop_ir("double", "%v = fmul double %x, %x", "%next = fadd double %acc, %v"));
  EXPECT_EQ(width, std::optional<int>(1));
  // Eight steps per pass would leave short trips (3-7) to the remainder loop.
  EXPECT_EQ(unroll, std::optional<int>(2));
}

TEST(CheapOrderedReductions, VectorizedLoopsKeepTheirMarks) {
  auto [width, unroll] = marks_after_pass(loop_ir("double", "%v = call double @atan(double %x)", "%next = fadd double %acc, %v"));
  EXPECT_FALSE(width.has_value());
  EXPECT_FALSE(unroll.has_value());
}

}  // namespace
