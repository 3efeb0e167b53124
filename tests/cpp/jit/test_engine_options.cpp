// The LLVM options jit::Engine sets for the whole process (engine.cpp,
// configure_llvm_options): each one changes answers or speed that tests in
// Python check only indirectly.
#include <gtest/gtest.h>

#include <llvm/Analysis/LoopAccessAnalysis.h>

#include "numjit/jit/engine.h"

namespace {

TEST(EngineOptions, AliasChecksStayWithTheirInnerLoop) {
  numjit::jit::Engine::instance();
  // Hoisted to the outer loop, one check covers every row of a nest such as
  // Floyd-Warshall's, conflicts, and leaves every row scalar
  // (tests/python/test_row_updates.py checks the answers of such nests).
  EXPECT_FALSE(llvm::VectorizerParams::HoistRuntimeChecks);
}

}  // namespace
