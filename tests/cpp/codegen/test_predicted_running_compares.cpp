// Which selects codegen/predicted_running_compares.cpp turns into a branch:
// an integer running extreme and the position set beside it (the argmax
// loop), as a select pair or as the min/max InstCombine makes of the extreme,
// and each step of an unrolled loop. Python's answers for these loops are
// checked in tests/python/test_running_compares.py and test_argmax_first_position.py.
#include <gtest/gtest.h>

#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>

#include "ir_text.h"
#include "numjit/codegen/predicted_running_compares.h"

namespace {

// A loop over p[0..n) whose body is `step` (reading %x at %i, keeping %best
// and %k as %best.next and %k.next), returning %k.next.
std::string loop_ir(const std::string& step, const std::string& type = "i64", const std::string& start = "0") {
  return R"(
define i64 @f(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %best = phi )" + type + " [ " + start + R"(, %entry ], [ %best.next, %loop ]
  %k = phi i64 [ -1, %entry ], [ %k.next, %loop ]
  %addr = getelementptr )" + type + R"(, ptr %p, i64 %i
  %x = load )" + type + R"(, ptr %addr
)" + step + R"(
  %i.next = add nuw nsw i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %k.next
}
)";
}

struct Result {
  int selects = 0;
  int branches = 0;  // conditional branches
  int weighted = 0;  // of them, with branch weights
  bool valid = false;
};

Result run(const std::string& ir) {
  Result result;
  numjit::testing::ParsedFunction parsed = numjit::testing::parse_function(ir);
  if (!parsed.f) return result;
  llvm::Function& f = *parsed.f;
  llvm::FunctionAnalysisManager analyses;
  llvm::PassBuilder builder;
  builder.registerFunctionAnalyses(analyses);
  numjit::codegen::PredictedRunningComparesPass().run(f, analyses);
  result.valid = numjit::testing::verified(f);
  for (llvm::Instruction& inst : llvm::instructions(f)) {
    if (llvm::isa<llvm::SelectInst>(inst)) ++result.selects;
    if (auto* branch = llvm::dyn_cast<llvm::BranchInst>(&inst); branch && branch->isConditional()) {
      ++result.branches;
      result.weighted += branch->getMetadata(llvm::LLVMContext::MD_prof) != nullptr;
    }
  }
  return result;
}

const std::string kPosition = "  %k.next = select i1 %c, i64 %i, i64 %k\n";

TEST(PredictedRunningCompares, AnArgmaxStepBecomesABranch) {
  const char* extremes[] = {
      "  %c = icmp sgt i64 %x, %best\n  %best.next = select i1 %c, i64 %x, i64 %best\n",
      "  %c = icmp sgt i64 %x, %best\n  %best.next = call i64 @llvm.smax.i64(i64 %x, i64 %best)\n",
      "  %c = icmp slt i64 %best, %x\n  %best.next = call i64 @llvm.smax.i64(i64 %best, i64 %x)\n",
      "  %c = icmp ult i64 %x, %best\n  %best.next = call i64 @llvm.umin.i64(i64 %x, i64 %best)\n",
  };
  for (const char* extreme : extremes) {
    Result r = run(loop_ir(extreme + kPosition));
    EXPECT_TRUE(r.valid) << extreme;
    EXPECT_EQ(r.selects, 0) << extreme;
    EXPECT_EQ(r.branches, 2) << extreme;  // the loop's own and the taking one
    EXPECT_EQ(r.weighted, 1) << extreme;
  }
}

TEST(PredictedRunningCompares, EachUnrolledStepBecomesABranch) {
  Result r = run(loop_ir(R"(
  %c = icmp sgt i64 %x, %best
  %best.1 = call i64 @llvm.smax.i64(i64 %x, i64 %best)
  %k.1 = select i1 %c, i64 %i, i64 %k
  %i.1 = add i64 %i, 1
  %addr.1 = getelementptr i64, ptr %p, i64 %i.1
  %x.1 = load i64, ptr %addr.1
  %c.1 = icmp sgt i64 %x.1, %best.1
  %best.next = call i64 @llvm.smax.i64(i64 %x.1, i64 %best.1)
  %k.next = select i1 %c.1, i64 %i.1, i64 %k.1
)"));
  EXPECT_EQ(r.selects, 0);
  EXPECT_EQ(r.branches, 3);
}

TEST(PredictedRunningCompares, OtherSelectsStay) {
  // No position: LLVM vectorizes a plain running maximum.
  EXPECT_EQ(run(loop_ir("  %c = icmp sgt i64 %x, %best\n  %best.next = select i1 %c, i64 %x, i64 %best\n"
                        "  %k.next = add i64 %k, 1\n")).selects, 1);
  // A maximum that is not the compare's choice: of x and a constant.
  EXPECT_EQ(run(loop_ir("  %c = icmp sgt i64 %x, %best\n  %best.next = call i64 @llvm.smax.i64(i64 %x, i64 7)\n" +
                        kPosition)).selects, 1);
  // The compare read by something else.
  EXPECT_EQ(run(loop_ir("  %c = icmp sgt i64 %x, %best\n  %best.next = select i1 %c, i64 %x, i64 %best\n" + kPosition +
                        "  %seen = zext i1 %c to i64\n  store i64 %seen, ptr %p\n")).selects, 2);
  // Floats: k-means' argmin over centres mispredicts as a branch.
  EXPECT_EQ(run(loop_ir("  %c = fcmp ogt double %x, %best\n  %best.next = select i1 %c, double %x, double %best\n" +
                        kPosition, "double", "0.0")).selects, 2);
}

}  // namespace
