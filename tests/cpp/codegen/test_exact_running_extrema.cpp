// Which loops codegen/exact_running_extrema.cpp versions (a running float
// maximum or minimum kept by a Python compare), what the versioned function
// holds, and the scalar restore after the vectorizer. The answers themselves
// (NaNs, signed zeros) are checked against Python in
// tests/python/test_running_compares.py.
#include <gtest/gtest.h>

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>

#include "ir_text.h"
#include "numjit/codegen/exact_running_extrema.h"

namespace {

// One loop over p[0..n) whose element is %x at `stride` elements a step;
// `update` sets %next from %best and %x, and `extra` goes before it.
std::string loop_ir(const std::string& update, const std::string& extra = "", int stride = 1) {
  return R"(
define double @f(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %best = phi double [ 0xFFF0000000000000, %entry ], [ %next, %loop ]
  %k = mul i64 %i, )" + std::to_string(stride) + R"(
  %addr = getelementptr double, ptr %p, i64 %k
  %x = load double, ptr %addr
)" + extra + update + R"(
  %i.next = add nuw nsw i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret double %next
}
)";
}

const std::string kMax = "  %c = fcmp ogt double %x, %best\n  %next = select i1 %c, double %x, double %best\n";

struct Result {
  int loops = 0;      // after the pass
  int maxima = 0;     // llvm.maximum calls
  int minima = 0;
  int selects = 0;
  int position_searches = 0;  // llvm.umin calls
  bool valid = false;  // the verifier's verdict
};

// The pass; with `restore`, the scalar restore after it, first through
// InstCombine when `combine` (which rewrites the NaN test `v uno v` as `v uno 0.0`).
Result run(const std::string& ir, bool restore = false, bool combine = false) {
  Result result;
  numjit::testing::ParsedFunction parsed = numjit::testing::parse_function(ir);
  if (!parsed.f) return result;
  llvm::Function& f = *parsed.f;
  llvm::LoopAnalysisManager loop_analyses;
  llvm::FunctionAnalysisManager analyses;
  llvm::CGSCCAnalysisManager call_graph_analyses;
  llvm::ModuleAnalysisManager module_analyses;
  llvm::PassBuilder builder;
  builder.registerModuleAnalyses(module_analyses);
  builder.registerCGSCCAnalyses(call_graph_analyses);
  builder.registerFunctionAnalyses(analyses);
  builder.registerLoopAnalyses(loop_analyses);
  builder.crossRegisterProxies(loop_analyses, analyses, call_graph_analyses, module_analyses);  // InstCombine asks
  numjit::codegen::ExactRunningExtremaPass().run(f, analyses);
  analyses.clear();
  if (combine) llvm::InstCombinePass().run(f, analyses);
  if (restore) numjit::codegen::RestoreScalarRunningComparesPass().run(f, analyses);
  result.valid = numjit::testing::verified(f);
  llvm::DominatorTree dominators(f);
  llvm::LoopInfo loops(dominators);
  result.loops = static_cast<int>(loops.getTopLevelLoops().size());
  for (llvm::Instruction& inst : llvm::instructions(f)) {
    if (llvm::isa<llvm::SelectInst>(inst)) ++result.selects;
    if (auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst)) {
      result.maxima += call->getIntrinsicID() == llvm::Intrinsic::maximum;
      result.minima += call->getIntrinsicID() == llvm::Intrinsic::minimum;
      result.position_searches +=
          call->getIntrinsicID() == llvm::Intrinsic::umin;
    }
  }
  return result;
}

TEST(ExactRunningExtrema, EverySpellingOfAPythonCompareIsVersioned) {
  const char* maxima[] = {
      "  %c = fcmp ogt double %x, %best\n  %next = select i1 %c, double %x, double %best\n",
      "  %c = fcmp olt double %best, %x\n  %next = select i1 %c, double %x, double %best\n",
      "  %c = fcmp ule double %x, %best\n  %next = select i1 %c, double %best, double %x\n",
  };
  for (const char* update : maxima) {
    Result r = run(loop_ir(update));
    EXPECT_EQ(r.loops, 2) << update;  // the first copy and the one that runs again
    EXPECT_EQ(r.maxima, 1) << update;
    EXPECT_EQ(r.minima, 0) << update;
  }
  Result min = run(loop_ir("  %c = fcmp olt double %x, %best\n  %next = select i1 %c, double %x, double %best\n"));
  EXPECT_EQ(min.loops, 2);
  EXPECT_EQ(min.minima, 1);
}

TEST(ExactRunningExtrema, OtherLoopsAreLeftAlone) {
  // `v >= best` keeps the last of equal values; `v > best or unordered` takes a NaN element.
  EXPECT_EQ(run(loop_ir("  %c = fcmp oge double %x, %best\n  %next = select i1 %c, double %x, double %best\n")).loops, 1);
  EXPECT_EQ(run(loop_ir("  %c = fcmp ugt double %x, %best\n  %next = select i1 %c, double %x, double %best\n")).loops, 1);
  // A store: running the loop twice would be seen.
  EXPECT_EQ(run(loop_ir(kMax, "  store double %x, ptr %p\n")).loops, 1);
  // Every other element: the vectorizer would gather.
  EXPECT_EQ(run(loop_ir(kMax, "", 2)).loops, 1);
  // The running value read by something else in the loop.
  Result read = run(loop_ir(kMax, "  %seen = fadd double %best, 1.0\n"));
  EXPECT_EQ(read.loops, 1);
  EXPECT_EQ(read.maxima, 0);
}

TEST(ExactRunningExtrema, AMaximumAndAMinimumShareOneVersion) {
  std::string ir = R"(
define double @f(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %hi = phi double [ 0xFFF0000000000000, %entry ], [ %hi.next, %loop ]
  %lo = phi double [ 0x7FF0000000000000, %entry ], [ %lo.next, %loop ]
  %addr = getelementptr double, ptr %p, i64 %i
  %x = load double, ptr %addr
  %above = fcmp ogt double %x, %hi
  %hi.next = select i1 %above, double %x, double %hi
  %below = fcmp olt double %x, %lo
  %lo.next = select i1 %below, double %x, double %lo
  %i.next = add nuw nsw i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  %span = fsub double %hi.next, %lo.next
  ret double %span
}
)";
  Result r = run(ir);
  EXPECT_EQ(r.loops, 2);
  EXPECT_EQ(r.maxima, 1);
  EXPECT_EQ(r.minima, 1);
}

TEST(ExactRunningExtrema, AScalarFirstCopyGetsItsSelectBack) {
  for (bool combine : {false, true}) {
    Result r = run(loop_ir(kMax), /*restore=*/true, combine);
    EXPECT_EQ(r.loops, 2);
    EXPECT_EQ(r.maxima, 0) << combine;
    EXPECT_EQ(r.selects, 2) << combine;  // one in each copy
  }
}

// `if x < best: best = x; k = <position>` over p[0..n), returning k (or, with
// `both`, k plus the bits of best), the loop exiting at its latch.
std::string argmin_ir(const std::string& position, bool both = false) {
  return R"(
define i64 @f(ptr %p, ptr %q, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %j = phi i64 [ %n, %entry ], [ %j.next, %loop ]
  %best = phi double [ 0x7FF0000000000000, %entry ], [ %next, %loop ]
  %k = phi i64 [ -1, %entry ], [ %k.next, %loop ]
  %sum = phi double [ 0.0, %entry ], [ %sum.next, %loop ]
  %addr = getelementptr double, ptr %p, i64 %i
  %x = load double, ptr %addr
  %sum.next = fadd double %sum, %x
  %c = fcmp olt double %x, %best
  %next = select i1 %c, double %x, double %best
)" + position + R"(
  %k.next = select i1 %c, i64 %position, i64 %k
  %i.next = add nuw nsw i64 %i, 1
  %j.next = add nsw i64 %j, -1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
)" + (both ? "  %bits = bitcast double %next to i64\n  %r = add i64 %k.next, %bits\n  ret i64 %r\n"
           : "  ret i64 %k.next\n") + "}\n";
}

TEST(ExactRunningExtrema, APositionSetBesideTheExtremeIsFoundByASecondCopy) {
  const char* positions[] = {
      "  %position = add i64 %i, 0\n",                    // k = i
      "  %position = add i64 %j, 0\n",                    // a falling count
      "  %position = add i64 %i, 7\n",                    // k = i + 7
      "  %position = mul i64 %i, 4611686018427387904\n",  // wraps, as the loop's own value does
      "  %position = mul i64 %i, %n\n",                   // a step the loop does not change
  };
  for (const char* position : positions)
    for (bool both : {false, true}) {
      Result r = run(argmin_ir(position, both));
      EXPECT_TRUE(r.valid) << position;
      EXPECT_EQ(r.loops, 3) << position;  // the first copy, the search, the rerun
      EXPECT_EQ(r.minima, 1) << position;
      EXPECT_EQ(r.position_searches, 1) << position;  // llvm.umin
    }
}

TEST(ExactRunningExtrema, APositionThatIsNotAStepIsLeftAlone) {
  // A value read from memory: its last setting is not the lowest one.
  Result loaded = run(argmin_ir("  %qaddr = getelementptr i64, ptr %q, i64 %i\n  %position = load i64, ptr %qaddr\n"));
  EXPECT_EQ(loaded.loops, 1);
  EXPECT_EQ(loaded.minima, 0);
  // i * i: not a step.
  EXPECT_EQ(run(argmin_ir("  %position = mul i64 %i, %i\n")).loops, 1);
}

TEST(ExactRunningExtrema, APositionBesideAMathCallIsLeftAlone) {
  // sin may round an element one way in the copy that finds the extreme and
  // another in the one that finds its position.
  std::string ir = argmin_ir("  %position = add i64 %i, 0\n");
  ir.replace(ir.find("  %sum.next"), 0, "  %s = call double @sin(double %x) nounwind willreturn memory(none)\n");
  ir.replace(ir.find("%c = fcmp olt double %x"), std::string("%c = fcmp olt double %x").size(), "%c = fcmp olt double %s");
  ir.replace(ir.find("%next = select i1 %c, double %x"), std::string("%next = select i1 %c, double %x").size(),
             "%next = select i1 %c, double %s");
  ir += "declare double @sin(double)\n";
  Result r = run(ir);
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.loops, 1);
  // Without a position, the extreme alone is versioned as before.
  std::string alone = loop_ir("  %s = call double @sin(double %x) nounwind willreturn memory(none)\n"
                              "  %c = fcmp ogt double %s, %best\n  %next = select i1 %c, double %s, double %best\n") +
                      "declare double @sin(double)\n";
  EXPECT_EQ(run(alone).loops, 2);
}

}  // namespace
