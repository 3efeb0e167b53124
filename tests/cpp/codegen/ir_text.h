// Reading a test's IR text and checking a function after a pass, for the
// codegen pass tests.
#pragma once

#include <gtest/gtest.h>

#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include <memory>
#include <string>

namespace numjit::testing {

// The module `ir` holds, or null after reporting the parser's message as a failure.
inline std::unique_ptr<llvm::Module> parse_ir(const std::string& ir, llvm::LLVMContext& context) {
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(ir, error, context);
  if (!module) ADD_FAILURE() << error.getMessage().str();
  return module;
}

// A test's module and its function @f (null when the text did not parse).
struct ParsedFunction {
  std::unique_ptr<llvm::LLVMContext> context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module;
  llvm::Function* f = nullptr;
};

inline ParsedFunction parse_function(const std::string& ir) {
  ParsedFunction parsed;
  parsed.module = parse_ir(ir, *parsed.context);
  if (parsed.module) parsed.f = parsed.module->getFunction("f");
  return parsed;
}

// The verifier's verdict on `f`, its problems reported as a failure.
inline bool verified(llvm::Function& f) {
  std::string problems;
  llvm::raw_string_ostream problem_stream(problems);
  const bool valid = !llvm::verifyFunction(f, &problem_stream);
  EXPECT_TRUE(valid) << problems;
  return valid;
}

}  // namespace numjit::testing
