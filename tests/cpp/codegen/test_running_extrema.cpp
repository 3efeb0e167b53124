// Which loops codegen/running_extrema.cpp interleaves eight ways: running
// float maxima and minima (maxnum/minnum/maximum/minimum of the loop's own value).
#include <gtest/gtest.h>

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Transforms/Utils/LoopUtils.h>

#include "numjit/codegen/running_extrema.h"

namespace {

// One loop over x[0..n): %next from %acc and the element %x, with
// `loop_metadata` appended to the latch branch.
std::string loop_ir(const std::string& type, const std::string& update, const std::string& loop_metadata = "") {
  std::string zero = type == "i64" ? "0" : "0.0";
  return R"(
declare double @llvm.maxnum.f64(double, double)
declare double @llvm.minnum.f64(double, double)
declare double @llvm.maximum.f64(double, double)
declare double @llvm.minimum.f64(double, double)
declare i64 @llvm.smax.i64(i64, i64)
define )" + type + R"( @f(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %acc = phi )" + type + " [ " + zero + R"(, %entry ], [ %next, %loop ]
  %addr = getelementptr )" + type + ", ptr %p, i64 %i\n  %x = load " + type + R"(, ptr %addr
)" + update + R"(
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop)" + loop_metadata + R"(
exit:
  ret )" + type + R"( %next
}
!0 = distinct !{!0, !1}
!1 = !{!"llvm.loop.interleave.count", i32 2}
)";
}

struct Parsed {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  std::unique_ptr<llvm::DominatorTree> dominators;
  std::unique_ptr<llvm::LoopInfo> loops;
  llvm::Loop* loop = nullptr;
};

std::unique_ptr<Parsed> parse(const std::string& ir) {
  auto parsed = std::make_unique<Parsed>();
  llvm::SMDiagnostic error;
  parsed->module = llvm::parseAssemblyString(ir, error, parsed->context);
  if (!parsed->module) {
    ADD_FAILURE() << error.getMessage().str();
    return nullptr;
  }
  llvm::Function& f = *parsed->module->getFunction("f");
  parsed->dominators = std::make_unique<llvm::DominatorTree>(f);
  parsed->loops = std::make_unique<llvm::LoopInfo>(*parsed->dominators);
  EXPECT_EQ(parsed->loops->getTopLevelLoops().size(), 1u);
  parsed->loop = parsed->loops->getTopLevelLoops().front();
  return parsed;
}

bool running_extreme(const std::string& ir) {
  auto parsed = parse(ir);
  return parsed && numjit::codegen::keeps_running_float_extreme(*parsed->loop);
}

// The interleave count the pass leaves on the loop (0: none).
int interleave_after_pass(const std::string& ir) {
  auto parsed = parse(ir);
  if (!parsed) return -1;
  llvm::FunctionAnalysisManager analyses;
  llvm::PassBuilder().registerFunctionAnalyses(analyses);
  llvm::Function& f = *parsed->module->getFunction("f");
  numjit::codegen::RunningExtremaPass().run(f, analyses);
  llvm::Loop* loop = analyses.getResult<llvm::LoopAnalysis>(f).getTopLevelLoops().front();
  std::optional<const llvm::MDOperand*> count = llvm::findStringMetadataForLoop(loop, "llvm.loop.interleave.count");
  if (!count || !*count) return 0;
  return static_cast<int>(llvm::mdconst::extract<llvm::ConstantInt>(**count)->getZExtValue());
}

TEST(RunningExtrema, FloatMaximaAndMinimaAreFound) {
  EXPECT_TRUE(running_extreme(loop_ir("double", "%next = call double @llvm.maxnum.f64(double %acc, double %x)")));
  EXPECT_TRUE(running_extreme(loop_ir("double", "%next = call nnan nsz double @llvm.minnum.f64(double %x, double %acc)")));
  // np.max/np.min keep a NaN with llvm.maximum/minimum (library/numpy_reductions.cpp).
  EXPECT_TRUE(running_extreme(loop_ir("double", "%next = call nsz double @llvm.maximum.f64(double %acc, double %x)")));
  EXPECT_TRUE(running_extreme(loop_ir("double", "%next = call double @llvm.minimum.f64(double %x, double %acc)")));
}

TEST(RunningExtrema, OtherReductionsAreLeftAlone) {
  EXPECT_FALSE(running_extreme(loop_ir("double", "%next = fadd double %acc, %x")));
  EXPECT_FALSE(running_extreme(loop_ir("i64", "%next = call i64 @llvm.smax.i64(i64 %acc, i64 %x)")));
  // The maximum of the element with something else, not with the running value.
  EXPECT_FALSE(running_extreme(loop_ir("double", "%m = call double @llvm.maxnum.f64(double %x, double 1.0)\n  %next = fadd double %acc, %m")));
}

TEST(RunningExtrema, ThePassMarksEightWaysAndKeepsACountAlreadyNamed) {
  EXPECT_EQ(interleave_after_pass(loop_ir("double", "%next = call double @llvm.maxnum.f64(double %acc, double %x)")), 8);
  EXPECT_EQ(interleave_after_pass(loop_ir("double", "%next = call double @llvm.maxnum.f64(double %acc, double %x)", ", !llvm.loop !0")), 2);
  EXPECT_EQ(interleave_after_pass(loop_ir("double", "%next = fadd double %acc, %x")), 0);
}

}  // namespace
