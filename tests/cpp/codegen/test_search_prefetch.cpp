// Which loops codegen/search_prefetch.cpp gives prefetches of both next
// addresses: a branchless binary search (with and without the wraparound
// of Python's negative indices), a tree descent through child arrays; and
// which it leaves alone: a running argmin (its selects never reach an
// address), an address through a division, a load not compared. The answers
// of such loops are checked in tests/python/test_search_loops.py.
#include <gtest/gtest.h>

#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/Passes/PassBuilder.h>

#include <vector>

#include "ir_text.h"
#include "numjit/codegen/search_prefetch.h"

namespace {

// while lo < hi: mid = (lo + hi) >> 1; `index` from mid; lo, hi by a[index] < v.
std::string search_ir(const std::string& index) {
  return R"(
define i64 @f(ptr %a, i64 %n, double %v) {
entry:
  br label %loop
loop:
  %lo = phi i64 [ 0, %entry ], [ %lo.next, %loop ]
  %hi = phi i64 [ %n, %entry ], [ %hi.next, %loop ]
  %sum = add i64 %lo, %hi
  %mid = ashr i64 %sum, 1
)" + index + R"(
  %addr = getelementptr double, ptr %a, i64 %index
  %x = load double, ptr %addr
  %less = fcmp olt double %x, %v
  %mid.1 = add nsw i64 %mid, 1
  %lo.next = select i1 %less, i64 %mid.1, i64 %lo
  %hi.next = select i1 %less, i64 %hi, i64 %mid
  %more = icmp slt i64 %lo.next, %hi.next
  br i1 %more, label %loop, label %exit
exit:
  ret i64 %lo.next
}
)";
}

struct Result {
  std::vector<llvm::IntrinsicInst*> prefetches;
  int selects = 0;
  bool valid = false;
};

Result run(numjit::testing::ParsedFunction& parsed) {
  Result result;
  if (!parsed.f) return result;
  llvm::FunctionAnalysisManager analyses;
  llvm::PassBuilder builder;
  builder.registerFunctionAnalyses(analyses);
  numjit::codegen::SearchPrefetchPass().run(*parsed.f, analyses);
  result.valid = numjit::testing::verified(*parsed.f);
  for (llvm::Instruction& inst : llvm::instructions(*parsed.f)) {
    if (auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst); call && call->getIntrinsicID() == llvm::Intrinsic::prefetch)
      result.prefetches.push_back(call);
    if (llvm::isa<llvm::SelectInst>(inst)) ++result.selects;
  }
  return result;
}

// The index operand of the GEP a prefetch reads (its address is a GEP of %a).
const llvm::Value* prefetched_index(llvm::IntrinsicInst* prefetch) {
  auto* gep = llvm::dyn_cast<llvm::GetElementPtrInst>(prefetch->getArgOperand(0));
  return gep && gep->getNumIndices() == 1 ? gep->getOperand(1) : nullptr;
}

TEST(SearchPrefetch, ABinarySearchPrefetchesBothHalvesNextMidpoints) {
  numjit::testing::ParsedFunction parsed = numjit::testing::parse_function(search_ir("  %index = add i64 %mid, 0"));
  Result r = run(parsed);
  ASSERT_TRUE(r.valid);
  ASSERT_EQ(r.prefetches.size(), 2u);
  // Taken: (mid + 1 + hi) >> 1; not taken: (lo + mid) >> 1; each without the
  // original's flags (the outcome not taken may wrap).
  std::vector<std::pair<std::string, std::string>> sums;
  for (llvm::IntrinsicInst* prefetch : r.prefetches) {
    const auto* index = llvm::dyn_cast_or_null<llvm::BinaryOperator>(prefetched_index(prefetch));
    ASSERT_NE(index, nullptr);
    const llvm::Value* shifted = index->getOpcode() == llvm::Instruction::Add ? index->getOperand(0) : index;
    const auto* shift = llvm::dyn_cast<llvm::BinaryOperator>(shifted);
    ASSERT_NE(shift, nullptr);
    const auto* sum = llvm::dyn_cast<llvm::BinaryOperator>(shift->getOperand(0));
    ASSERT_NE(sum, nullptr);
    sums.push_back({sum->getOperand(0)->getName().str(), sum->getOperand(1)->getName().str()});
  }
  EXPECT_EQ(sums[0], (std::pair<std::string, std::string>{"mid.1", "hi"}));
  EXPECT_EQ(sums[1], (std::pair<std::string, std::string>{"lo", "mid"}));
  // The prefetches are read-only, all cache levels, data.
  for (llvm::IntrinsicInst* prefetch : r.prefetches) {
    EXPECT_EQ(llvm::cast<llvm::ConstantInt>(prefetch->getArgOperand(1))->getZExtValue(), 0u);
    EXPECT_EQ(llvm::cast<llvm::ConstantInt>(prefetch->getArgOperand(3))->getZExtValue(), 1u);
  }
}

TEST(SearchPrefetch, ThePrefetchesSkipTheNegativeIndexWraparound) {
  numjit::testing::ParsedFunction parsed = numjit::testing::parse_function(search_ir(
      "  %negative = icmp slt i64 %mid, 0\n  %wrap = select i1 %negative, i64 %n, i64 0\n"
      "  %index = add i64 %mid, %wrap"));
  Result r = run(parsed);
  ASSERT_TRUE(r.valid);
  ASSERT_EQ(r.prefetches.size(), 2u);
  EXPECT_EQ(r.selects, 3);  // the original wraparound and the two choices, no copies
  for (llvm::IntrinsicInst* prefetch : r.prefetches) {
    const auto* shift = llvm::dyn_cast_or_null<llvm::BinaryOperator>(prefetched_index(prefetch));
    ASSERT_NE(shift, nullptr);
    EXPECT_EQ(shift->getOpcode(), llvm::Instruction::AShr);  // the clone's `+ 0` simplified away
  }
}

TEST(SearchPrefetch, ATreeDescentPrefetchesBothChildrensKeys) {
  numjit::testing::ParsedFunction parsed = numjit::testing::parse_function(R"(
define i64 @f(ptr %key, ptr %left, ptr %right, double %v) {
entry:
  br label %loop
loop:
  %node = phi i64 [ 0, %entry ], [ %next, %loop ]
  %key.addr = getelementptr double, ptr %key, i64 %node
  %k = load double, ptr %key.addr
  %left.addr = getelementptr i64, ptr %left, i64 %node
  %l = load i64, ptr %left.addr
  %right.addr = getelementptr i64, ptr %right, i64 %node
  %r = load i64, ptr %right.addr
  %go.left = fcmp olt double %v, %k
  %next = select i1 %go.left, i64 %l, i64 %r
  %leaf = icmp slt i64 %next, 0
  br i1 %leaf, label %exit, label %loop
exit:
  ret i64 %node
}
)");
  Result r = run(parsed);
  ASSERT_TRUE(r.valid);
  ASSERT_EQ(r.prefetches.size(), 2u);
  EXPECT_EQ(prefetched_index(r.prefetches[0])->getName(), "l");
  EXPECT_EQ(prefetched_index(r.prefetches[1])->getName(), "r");
}

TEST(SearchPrefetch, LoopsOfOtherShapesAreLeftAlone) {
  // A running argmin: the compare's selects keep values no address is made from.
  numjit::testing::ParsedFunction argmin = numjit::testing::parse_function(R"(
define i64 @f(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %best = phi double [ 1.0, %entry ], [ %best.next, %loop ]
  %k = phi i64 [ -1, %entry ], [ %k.next, %loop ]
  %addr = getelementptr double, ptr %p, i64 %i
  %x = load double, ptr %addr
  %c = fcmp olt double %x, %best
  %best.next = select i1 %c, double %x, double %best
  %k.next = select i1 %c, i64 %i, i64 %k
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %k.next
}
)");
  Result r = run(argmin);
  EXPECT_TRUE(r.valid);
  EXPECT_TRUE(r.prefetches.empty());
  // The midpoint by a division, which the clones must not repeat (it may trap).
  numjit::testing::ParsedFunction divided = numjit::testing::parse_function(
      search_ir("  %index = sdiv i64 %sum, 2"));
  r = run(divided);
  EXPECT_TRUE(r.valid);
  EXPECT_TRUE(r.prefetches.empty());
}

}  // namespace
