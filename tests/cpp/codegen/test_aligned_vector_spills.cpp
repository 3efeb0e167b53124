// Which functions codegen/aligned_vector_spills.cpp marks for stack
// realignment: those calling functions with vectors wider than 16 bytes, and
// no others.
#include <gtest/gtest.h>

#include <llvm/IR/PassManager.h>

#include "ir_text.h"
#include "numjit/codegen/aligned_vector_spills.h"

namespace {

// Runs the pass over `ir` and says whether @f was marked.
bool marked(const std::string& ir) {
  auto parsed = numjit::testing::parse_function(ir);
  if (!parsed.f) return false;
  llvm::ModuleAnalysisManager analyses;
  numjit::codegen::AlignedVectorSpillsPass().run(*parsed.module, analyses);
  return parsed.f->hasFnAttribute("stackrealign");
}

TEST(AlignedVectorSpills, CallsWithWideVectorsMarkTheCaller) {
  EXPECT_TRUE(marked("declare <8 x double> @_ZGVeN8v_atan(<8 x double>)\n"
                     "define void @f(ptr %p) {\n"
                     "  %v = load <8 x double>, ptr %p\n"
                     "  %r = call <8 x double> @_ZGVeN8v_atan(<8 x double> %v)\n"
                     "  store <8 x double> %r, ptr %p\n"
                     "  ret void\n}\n"));
  EXPECT_TRUE(marked("declare void @g(<4 x double>)\n"
                     "define void @f(ptr %p) {\n"
                     "  %v = load <4 x double>, ptr %p\n"
                     "  call void @g(<4 x double> %v)\n"
                     "  ret void\n}\n"));
  // A vector frem is expanded into fmod calls, one per lane.
  EXPECT_TRUE(marked("define <8 x double> @f(<8 x double> %x, <8 x double> %y) {\n"
                     "  %r = frem <8 x double> %x, %y\n"
                     "  ret <8 x double> %r\n}\n"));
  EXPECT_TRUE(marked("declare <16 x float> @g()\n"
                     "define void @f(ptr %p) {\n"
                     "  %v = call <16 x float> @g()\n"
                     "  store <16 x float> %v, ptr %p\n"
                     "  ret void\n}\n"));
}

TEST(AlignedVectorSpills, WideVectorsWithoutSuchCallsAreLeftAlone) {
  // Vector code that calls nothing, or only intrinsics, keeps its values in
  // registers and its frame pointer free.
  EXPECT_FALSE(marked("define double @f(ptr %p) {\n"
                      "  %v = load <8 x double>, ptr %p\n"
                      "  %s = call double @llvm.vector.reduce.fadd.v8f64(double 0.0, <8 x double> %v)\n"
                      "  ret double %s\n}\n"
                      "declare double @llvm.vector.reduce.fadd.v8f64(double, <8 x double>)\n"));
  EXPECT_FALSE(marked("declare void @g(double)\n"
                      "define void @f(ptr %p, double %x) {\n"
                      "  %v = load <4 x double>, ptr %p\n"
                      "  store <4 x double> %v, ptr %p\n"
                      "  call void @g(double %x)\n"
                      "  ret void\n}\n"));
  EXPECT_FALSE(marked("declare <2 x double> @_ZGVbN2v_atan(<2 x double>)\n"
                      "define void @f(ptr %p) {\n"
                      "  %v = load <2 x double>, ptr %p\n"
                      "  %r = call <2 x double> @_ZGVbN2v_atan(<2 x double> %v)\n"
                      "  store <2 x double> %r, ptr %p\n"
                      "  ret void\n}\n"));
  EXPECT_FALSE(marked("define double @f(double %x) {\n"
                      "  %y = fmul double %x, %x\n"
                      "  ret double %y\n}\n"));
}

TEST(AlignedVectorSpills, DeclarationsAreNotMarked) {
  auto parsed = numjit::testing::parse_function("declare <8 x double> @g(<8 x double>)\n"
                                                "define void @f() {\n  ret void\n}\n");
  ASSERT_TRUE(parsed.module);
  llvm::ModuleAnalysisManager analyses;
  numjit::codegen::AlignedVectorSpillsPass().run(*parsed.module, analyses);
  EXPECT_FALSE(parsed.module->getFunction("g")->hasFnAttribute("stackrealign"));
  EXPECT_FALSE(parsed.f->hasFnAttribute("stackrealign"));
}

}  // namespace
