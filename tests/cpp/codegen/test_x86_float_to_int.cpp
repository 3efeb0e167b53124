// Which conversions codegen/x86_float_to_int.cpp rewrites: the lowering's
// guarded scalar float-to-integer pattern, and nothing that differs from it.
#include <gtest/gtest.h>

#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include "numjit/codegen/x86_float_to_int.h"

namespace {

// @f(x) = select(|x| < limit, fptosi(select(|x| < limit, x, 0)), minimum).
std::string guarded(const std::string& ft, const std::string& it, const std::string& limit,
                    const std::string& minimum, const std::string& predicate = "olt") {
  return "declare " + ft + " @llvm.fabs." + (ft == "double" ? "f64" : "f32") + "(" + ft + ")\n" +
         "define " + it + " @f(" + ft + " %x) {\n" +
         "  %m = call " + ft + " @llvm.fabs." + (ft == "double" ? "f64" : "f32") + "(" + ft + " %x)\n" +
         "  %fits = fcmp " + predicate + " " + ft + " %m, " + limit + "\n" +
         "  %safe = select i1 %fits, " + ft + " %x, " + ft + " 0.0\n" +
         "  %c = fptosi " + ft + " %safe to " + it + "\n" +
         "  %r = select i1 %fits, " + it + " %c, " + it + " " + minimum + "\n" +
         "  ret " + it + " %r\n}\n";
}

// How many conversions the pass rewrites, and the function's text after it.
std::pair<int, std::string> rewrite(const std::string& ir) {
  llvm::LLVMContext context;
  llvm::SMDiagnostic error;
  auto module = llvm::parseAssemblyString(ir, error, context);
  if (!module) {
    ADD_FAILURE() << error.getMessage().str();
    return {-1, ""};
  }
  int count = numjit::codegen::rewrite_guarded_float_to_int(*module->getFunction("f"));
  std::string text;
  llvm::raw_string_ostream os(text);
  module->getFunction("f")->print(os);
  return {count, text};
}

constexpr const char* kTwo63 = "0x43E0000000000000";  // 2**63 as a double
constexpr const char* kTwo31 = "0x41E0000000000000";  // 2**31 as a double (float constants print as doubles)

TEST(X86FloatToInt, GuardedConversionsBecomeOneInstruction) {
  auto [count, text] = rewrite(guarded("double", "i64", kTwo63, "-9223372036854775808"));
  EXPECT_EQ(count, 1);
  EXPECT_NE(text.find("llvm.x86.sse2.cvttsd2si64"), std::string::npos) << text;
  EXPECT_EQ(text.find("fptosi"), std::string::npos) << text;
  EXPECT_EQ(rewrite(guarded("double", "i32", kTwo31, "-2147483648")).first, 1);
  EXPECT_EQ(rewrite(guarded("float", "i64", "0x43E0000000000000", "-9223372036854775808")).first, 1);
  auto [fcount, ftext] = rewrite(guarded("float", "i32", kTwo31, "-2147483648"));
  EXPECT_EQ(fcount, 1);
  EXPECT_NE(ftext.find("llvm.x86.sse.cvttss2si("), std::string::npos) << ftext;
}

TEST(X86FloatToInt, OtherConversionsAreLeftAlone) {
  // Another limit, another fallback value or comparison: not x86's answer.
  EXPECT_EQ(rewrite(guarded("double", "i64", "0x43D0000000000000", "-9223372036854775808")).first, 0);
  EXPECT_EQ(rewrite(guarded("double", "i64", kTwo63, "0")).first, 0);
  EXPECT_EQ(rewrite(guarded("double", "i64", kTwo63, "-9223372036854775808", "ole")).first, 0);
  EXPECT_EQ(rewrite(guarded("double", "i32", kTwo63, "-2147483648")).first, 0);
  // 16-bit results have no such instruction.
  EXPECT_EQ(rewrite(guarded("double", "i16", "0x40E0000000000000", "-32768")).first, 0);
}

}  // namespace
