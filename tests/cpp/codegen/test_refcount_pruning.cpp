// Which increment/decrement pairs codegen/refcount_pruning.cpp removes: only
// those that cancel out with nothing between them that could release.
#include <gtest/gtest.h>

#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/SourceMgr.h>

#include "numjit/codegen/refcount_pruning.h"

using namespace numjit;

namespace {

// The helpers as lower/ownership.cpp marks them, a runtime function that keeps
// references, and one that is unknown.
const char* kPrelude = R"(
define internal void @inc(ptr %p) #0 { ret void }
define internal void @dec(ptr %p) #1 { ret void }
declare void @keeps(ptr) #2
declare void @unknown(ptr)
declare double @pure(double) #3
attributes #0 = { noinline "numjit-refcount"="increment" }
attributes #1 = { noinline "numjit-refcount"="decrement" }
attributes #2 = { "numjit-keeps-references" }
attributes #3 = { nofree memory(none) }
)";

struct Parsed {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
};

std::unique_ptr<Parsed> parse(const std::string& body) {
  auto parsed = std::make_unique<Parsed>();
  llvm::SMDiagnostic error;
  parsed->module = llvm::parseAssemblyString(std::string(kPrelude) + body, error, parsed->context);
  if (!parsed->module) ADD_FAILURE() << error.getMessage().str();
  return parsed;
}

int count_calls(llvm::Function& f, const char* callee) {
  int n = 0;
  for (llvm::BasicBlock& b : f)
    for (llvm::Instruction& i : b)
      if (auto* call = llvm::dyn_cast<llvm::CallInst>(&i))
        if (call->getCalledFunction() && call->getCalledFunction()->getName() == callee) ++n;
  return n;
}

// Pairs pruned in @f, checking the function is still valid IR after.
int pruned(const std::string& body, int* increments_left = nullptr) {
  auto parsed = parse(body);
  if (!parsed->module) return -1;
  llvm::Function& f = *parsed->module->getFunction("f");
  int n = codegen::prune_refcount_pairs(f);
  EXPECT_FALSE(llvm::verifyFunction(f, &llvm::errs()));
  if (increments_left) *increments_left = count_calls(f, "inc");
  return n;
}

}  // namespace

TEST(RefcountPruning, PairInOneBlockAroundAKeepingCall) {
  int left = -1;
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p, ptr %q) {
  call void @inc(ptr %p)
  call void @inc(ptr %p)
  call void @keeps(ptr %q)
  %x = call double @pure(double 1.0)
  call void @dec(ptr %p)
  call void @dec(ptr %p)
  ret void
})", &left), 2);
  EXPECT_EQ(left, 0);
}

TEST(RefcountPruning, UnknownCallBetweenKeepsThePair) {
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p, ptr %q) {
  call void @inc(ptr %p)
  call void @unknown(ptr %q)
  call void @dec(ptr %p)
  ret void
})"), 0);
}

TEST(RefcountPruning, AnotherOwnersDecrementBetweenKeepsThePair) {
  // %q may be the same block as %p: its decrement could then be the last.
  int left = -1;
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p, ptr %q) {
  call void @inc(ptr %p)
  call void @dec(ptr %q)
  call void @dec(ptr %p)
  ret void
})", &left), 0);
  EXPECT_EQ(left, 1);
}

TEST(RefcountPruning, NestedPairsGoInsideOut) {
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p, ptr %q) {
  call void @inc(ptr %p)
  call void @inc(ptr %q)
  call void @dec(ptr %q)
  call void @dec(ptr %p)
  ret void
})"), 2);
}

TEST(RefcountPruning, DecrementBeforeIncrementIsNotAPair) {
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p) {
  call void @dec(ptr %p)
  call void @inc(ptr %p)
  ret void
})"), 0);
}

TEST(RefcountPruning, PairAroundALoopThatReleasesNothing) {
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p, i64 %n) {
entry:
  call void @inc(ptr %p)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %next = add i64 %i, 1
  call void @keeps(ptr %p)
  %more = icmp slt i64 %next, %n
  br i1 %more, label %loop, label %exit
exit:
  call void @dec(ptr %p)
  ret void
})"), 1);
}

TEST(RefcountPruning, ReleaseInsideTheLoopKeepsThePair) {
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p, ptr %q, i64 %n) {
entry:
  call void @inc(ptr %p)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %next = add i64 %i, 1
  call void @unknown(ptr %q)
  %more = icmp slt i64 %next, %n
  br i1 %more, label %loop, label %exit
exit:
  call void @dec(ptr %p)
  ret void
})"), 0);
}

TEST(RefcountPruning, IncrementInALoopWithTheDecrementAfterIsNotAPair) {
  // The increment runs n times, the decrement once.
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  call void @inc(ptr %p)
  %next = add i64 %i, 1
  %more = icmp slt i64 %next, %n
  br i1 %more, label %loop, label %exit
exit:
  call void @dec(ptr %p)
  ret void
})"), 0);
}

TEST(RefcountPruning, DecrementOnOnlyOneBranchIsNotAPair) {
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p, i1 %c) {
entry:
  call void @inc(ptr %p)
  br i1 %c, label %then, label %exit
then:
  call void @dec(ptr %p)
  ret void
exit:
  ret void
})"), 0);
}

TEST(RefcountPruning, PairAcrossADiamond) {
  EXPECT_EQ(pruned(R"(
define void @f(ptr %p, i1 %c) {
entry:
  call void @inc(ptr %p)
  br i1 %c, label %then, label %else
then:
  br label %join
else:
  br label %join
join:
  call void @dec(ptr %p)
  ret void
})"), 1);
}

TEST(RefcountPruning, NullOwnersAreDropped) {
  int left = -1;
  EXPECT_EQ(pruned(R"(
define void @f() {
  call void @inc(ptr null)
  call void @dec(ptr null)
  ret void
})", &left), 0);
  EXPECT_EQ(left, 0);
}

TEST(RefcountPruning, PassInlinesTheHelpersLeft) {
  auto parsed = parse(R"(
define void @f(ptr %p, ptr %q) {
  call void @inc(ptr %p)
  call void @unknown(ptr %q)
  call void @dec(ptr %p)
  ret void
})");
  llvm::ModuleAnalysisManager analyses;
  codegen::RefcountPruningPass().run(*parsed->module, analyses);
  EXPECT_EQ(parsed->module->getFunction("inc"), nullptr);
  EXPECT_EQ(parsed->module->getFunction("dec"), nullptr);
  EXPECT_FALSE(llvm::verifyModule(*parsed->module, &llvm::errs()));
}
