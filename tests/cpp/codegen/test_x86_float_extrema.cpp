// codegen/x86_float_extrema.cpp: which float maxima and minima become
// x86's select form, and that the select form gives the intrinsic's value
// for every pair of special and ordinary operands (evaluated here on the
// rewritten IR). Whole reductions are checked against NumPy in
// tests/python/test_extreme_reductions.py and test_running_compares.py.
#include <gtest/gtest.h>

#include <llvm/IR/Constants.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "ir_text.h"
#include "numjit/codegen/x86_float_extrema.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const double kValues[] = {kNaN, -kInf, -2.5, -0.0, 0.0, 1.0, 3.0, kInf};

// @f(%a, %b) returning `body`'s %r, for the x86-64 target unless told otherwise.
std::string function_ir(const std::string& body, const std::string& type = "double",
                        const std::string& triple = "x86_64-unknown-linux-gnu") {
  return "target triple = \"" + triple + "\"\ndefine " + type + " @f(" + type + " %a, " + type + " %b) {\n" + body +
         "  ret " + type + " %r\n}\n";
}

struct Rewritten {
  numjit::testing::ParsedFunction parsed;
  int rewrites = 0;
  int intrinsics_left = 0;
};

Rewritten rewrite(const std::string& ir) {
  Rewritten result{numjit::testing::parse_function(ir)};
  if (!result.parsed.f) return result;
  llvm::Function& f = *result.parsed.f;
  llvm::FunctionAnalysisManager analyses;
  numjit::codegen::X86FloatExtremaPass().run(f, analyses);
  result.rewrites = numjit::codegen::rewrite_float_extrema_for_x86(f);  // a second run finds nothing
  numjit::testing::verified(f);
  for (llvm::Instruction& inst : llvm::instructions(f)) result.intrinsics_left += llvm::isa<llvm::IntrinsicInst>(inst);
  return result;
}

// The value of a scalar double function of %a and %b made of fcmp, select and constants.
double evaluate(llvm::Value* v, const std::map<llvm::Value*, double>& arguments) {
  if (auto found = arguments.find(v); found != arguments.end()) return found->second;
  if (auto* constant = llvm::dyn_cast<llvm::ConstantFP>(v)) return constant->getValueAPF().convertToDouble();
  if (auto* select = llvm::dyn_cast<llvm::SelectInst>(v)) {
    auto* compare = llvm::cast<llvm::FCmpInst>(select->getCondition());
    bool holds = llvm::FCmpInst::compare(llvm::APFloat(evaluate(compare->getOperand(0), arguments)),
                                         llvm::APFloat(evaluate(compare->getOperand(1), arguments)),
                                         compare->getPredicate());
    return evaluate(holds ? select->getTrueValue() : select->getFalseValue(), arguments);
  }
  ADD_FAILURE() << "cannot evaluate an instruction of the rewritten function";
  return kNaN;
}

double returned(llvm::Function& f, double a, double b) {
  auto* ret = llvm::cast<llvm::ReturnInst>(f.back().getTerminator());
  return evaluate(ret->getReturnValue(), {{f.getArg(0), a}, {f.getArg(1), b}});
}

// Equal, or both NaN, or zeros of either sign (nsz leaves the sign open).
bool same_up_to_zero_sign(double x, double y) {
  return (std::isnan(x) && std::isnan(y)) || x == y;
}

TEST(X86FloatExtrema, NanKeepingExtremaGiveTheIntrinsicsValue) {
  for (bool is_max : {true, false}) {
    Rewritten r = rewrite(function_ir(std::string("  %r = call nsz double @llvm.") + (is_max ? "maximum" : "minimum") +
                                      ".f64(double %a, double %b)\n"));
    ASSERT_TRUE(r.parsed.f);
    EXPECT_EQ(r.intrinsics_left, 0);
    EXPECT_EQ(r.rewrites, 0);
    for (double a : kValues)
      for (double b : kValues) {
        double expected = std::isnan(a) || std::isnan(b) ? kNaN : (is_max ? std::fmax(a, b) : std::fmin(a, b));
        EXPECT_TRUE(same_up_to_zero_sign(returned(*r.parsed.f, a, b), expected)) << is_max << " " << a << " " << b;
      }
  }
}

TEST(X86FloatExtrema, AnElementWhoseNanBecameTheIdentityIsSkipped) {
  // np.nanmax's step (maxnum nnan: the running value %a is never NaN) and a
  // running compare's first copy (maximum nsz: it may be), both spellings of the NaN test.
  const std::string steps[] = {
      "  %nan = fcmp uno double %b, 0.0\n  %x = select i1 %nan, double 0xFFF0000000000000, double %b\n"
      "  %r = call nnan nsz double @llvm.maxnum.f64(double %a, double %x)\n",
      "  %num = fcmp ord double %b, %b\n  %x = select i1 %num, double %b, double 0xFFF0000000000000\n"
      "  %r = call nnan double @llvm.maxnum.f64(double %x, double %a)\n",
      "  %nan = fcmp uno double %b, 0.0\n  %x = select i1 %nan, double 0xFFF0000000000000, double %b\n"
      "  %r = call nsz double @llvm.maximum.f64(double %a, double %x)\n",
  };
  for (const std::string& step : steps) {
    Rewritten r = rewrite(function_ir(step));
    ASSERT_TRUE(r.parsed.f);
    EXPECT_EQ(r.intrinsics_left, 0) << step;
    int compares = 0;
    for (llvm::Instruction& inst : llvm::instructions(*r.parsed.f))
      if (auto* compare = llvm::dyn_cast<llvm::FCmpInst>(&inst)) {
        ++compares;
        const bool nan_test = compare->getPredicate() == llvm::FCmpInst::FCMP_UNO ||
                              compare->getPredicate() == llvm::FCmpInst::FCMP_ORD;
        EXPECT_FALSE(nan_test && compare->getOperand(0) == r.parsed.f->getArg(1)) << step;  // b's own test is gone
      }
    EXPECT_EQ(compares, step.find("maximum") != std::string::npos ? 2 : 1) << step;
    const bool keeps_running_nan = step.find("maximum") != std::string::npos;
    for (double a : kValues) {
      if (std::isnan(a) && !keeps_running_nan) continue;  // nnan: a NaN running value is not an input
      for (double b : kValues) {
        double expected = std::isnan(a) ? kNaN : std::isnan(b) ? a : std::fmax(a, b);
        EXPECT_TRUE(same_up_to_zero_sign(returned(*r.parsed.f, a, b), expected)) << step << a << " " << b;
      }
    }
  }
}

TEST(X86FloatExtrema, AMinimumSkipsThroughPlusInfinity) {
  Rewritten r = rewrite(function_ir(
      "  %nan = fcmp uno double %b, 0.0\n  %x = select i1 %nan, double 0x7FF0000000000000, double %b\n"
      "  %r = call nnan double @llvm.minnum.f64(double %a, double %x)\n"));
  ASSERT_TRUE(r.parsed.f);
  EXPECT_EQ(r.intrinsics_left, 0);
  for (double a : kValues)
    for (double b : kValues)
      if (!std::isnan(a))
        EXPECT_TRUE(same_up_to_zero_sign(returned(*r.parsed.f, a, b), std::isnan(b) ? a : std::fmin(a, b)));
}

TEST(X86FloatExtrema, VectorsBecomeSelectsToo) {
  Rewritten r = rewrite(function_ir("  %r = call nsz <8 x double> @llvm.maximum.v8f64(<8 x double> %a, <8 x double> %b)\n",
                                    "<8 x double>"));
  ASSERT_TRUE(r.parsed.f);
  EXPECT_EQ(r.intrinsics_left, 0);
}

TEST(X86FloatExtrema, OtherExtremaStay) {
  const std::string kept[] = {
      // -0.0 must lose to +0.0 (np.maximum's exact rule), which maxpd does not promise.
      "  %r = call double @llvm.maximum.f64(double %a, double %b)\n",
      // maxnum may meet a NaN running value.
      "  %nan = fcmp uno double %b, 0.0\n  %x = select i1 %nan, double 0xFFF0000000000000, double %b\n"
      "  %r = call nsz double @llvm.maxnum.f64(double %a, double %x)\n",
      // An identity that a value can lose to: maxnum(a, 0.0) is not a.
      "  %nan = fcmp uno double %b, 0.0\n  %x = select i1 %nan, double 0.0, double %b\n"
      "  %r = call nnan double @llvm.maxnum.f64(double %a, double %x)\n",
      // The wrong infinity for a maximum.
      "  %nan = fcmp uno double %b, 0.0\n  %x = select i1 %nan, double 0x7FF0000000000000, double %b\n"
      "  %r = call nnan double @llvm.maxnum.f64(double %a, double %x)\n",
      // A select that is not a NaN test.
      "  %neg = fcmp olt double %b, 0.0\n  %x = select i1 %neg, double 0xFFF0000000000000, double %b\n"
      "  %r = call nnan double @llvm.maxnum.f64(double %a, double %x)\n",
  };
  for (const std::string& body : kept) {
    Rewritten r = rewrite(function_ir(body));
    ASSERT_TRUE(r.parsed.f);
    EXPECT_EQ(r.intrinsics_left, 1) << body;
  }
  // Other targets keep the intrinsic: AArch64's fmax is llvm.maximum.
  numjit::testing::ParsedFunction other = numjit::testing::parse_function(
      function_ir("  %r = call nsz double @llvm.maximum.f64(double %a, double %b)\n", "double", "aarch64-unknown-linux-gnu"));
  ASSERT_TRUE(other.f);
  llvm::FunctionAnalysisManager analyses;
  EXPECT_TRUE(numjit::codegen::X86FloatExtremaPass().run(*other.f, analyses).areAllPreserved());
}

}  // namespace
