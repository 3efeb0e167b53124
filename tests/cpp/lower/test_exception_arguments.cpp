// lower/exception_arguments.cpp: the message compiled code records for
// `raise E(args)`; a literal of the argument tuple where one string is not
// the whole of them (pytest checks the exceptions Python then sees).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "numjit/lower/exception_arguments.h"

using numjit::hir::Constant;
using numjit::lower::exception_message;
using numjit::lower::python_literal;

namespace {

Constant integer(int64_t v) { return Constant{.kind = Constant::Kind::Int, .int_value = v}; }
Constant real(double v) { return Constant{.kind = Constant::Kind::Float, .float_value = v}; }
Constant text(std::string s) { return Constant{.kind = Constant::Kind::Str, .str_value = std::move(s)}; }

std::string marked(const std::string& literal) { return std::string(1, numjit::abi::kExceptionArgumentsMarker) + literal; }

TEST(ExceptionArguments, OneStringIsTheMessage) {
  Constant message = text("bad row");
  EXPECT_EQ(exception_message({&message}), "bad row");
  EXPECT_EQ(exception_message({}), "");
  // A message that starts with the marker byte itself is written as a literal, so it is not misread.
  Constant marked_text = text(marked("x"));
  EXPECT_EQ(exception_message({&marked_text}), marked("('\\x01x',)"));
}

TEST(ExceptionArguments, OtherArgumentsAreATupleLiteral) {
  Constant message = text("bad row"), row = integer(-3), scale = real(2.5);
  EXPECT_EQ(exception_message({&message, &row}), marked("('bad row', -3)"));
  EXPECT_EQ(exception_message({&row}), marked("(-3,)"));  // the one-element tuple keeps its comma
  EXPECT_EQ(exception_message({&scale, &message}), marked("(2.5, 'bad row')"));
}

TEST(ExceptionArguments, LiteralsReadBackAsTheSameValues) {
  EXPECT_EQ(*python_literal(real(3.0)), "3.0");  // a float, not the int 3
  EXPECT_EQ(*python_literal(real(0.1)), "0.10000000000000001");  // every bit of the double
  EXPECT_EQ(*python_literal(real(std::numeric_limits<double>::infinity())), "1e999");
  EXPECT_EQ(*python_literal(real(-1e300)), "-1.0000000000000001e+300");
  EXPECT_EQ(*python_literal(Constant{.kind = Constant::Kind::Bool, .int_value = 1}), "True");
  EXPECT_EQ(*python_literal(Constant{.kind = Constant::Kind::None}), "None");
  EXPECT_EQ(*python_literal(Constant{.kind = Constant::Kind::Complex, .complex_value = {1.5, -2.0}}), "(1.5-2.0j)");
}

TEST(ExceptionArguments, StringsAreEscaped) {
  EXPECT_EQ(*python_literal(text("it's a \\ path\n")), "'it\\'s a \\\\ path\\x0a'");
  EXPECT_EQ(*python_literal(text("\xc3\xa9t\xc3\xa9")), "'\xc3\xa9t\xc3\xa9'");  // UTF-8 passes through
}

TEST(ExceptionArguments, WithoutALiteralTheFirstArgumentIsTheMessage) {
  Constant message = text("bad"), nan = real(std::nan(""));
  EXPECT_FALSE(python_literal(nan).has_value());
  EXPECT_EQ(exception_message({&message, &nan}), "bad");
  EXPECT_EQ(exception_message({&nan}), "nan");
}

}  // namespace
