// Rendering of located compile errors (src/numjit/support/diagnostics.cpp).
#include <gtest/gtest.h>

#include "numjit/support/diagnostics.h"

using namespace numjit;

TEST(Diagnostics, RendersCaretUnderSpan) {
  auto src = std::make_shared<SourceFile>();
  src->filename = "model.py";
  src->first_line = 11;
  src->lines = {"def f(X):\n", "    s += X[j] + \"a\"\n"};
  CompileError e(ErrorKind::Typing, "cannot add float64 and str", SourceSpan{12, 9, 12, 19});
  e.locate("sum_bad", src);
  EXPECT_EQ(e.render(),
            "in sum_bad (model.py:12:10)\n"
            " 12 |     s += X[j] + \"a\"\n"
            "    |          ^^^^^^^^^^ cannot add float64 and str");
}

TEST(Diagnostics, FirstLocationWins) {
  auto a = std::make_shared<SourceFile>();
  a->filename = "a.py";
  auto b = std::make_shared<SourceFile>();
  b->filename = "b.py";
  CompileError e(ErrorKind::Unsupported, "nope");
  e.locate("inner", a);
  e.locate("outer", b);
  EXPECT_EQ(e.render(), "in inner (a.py)\nnope");
}

TEST(Diagnostics, MultiLineSpanUnderlinesToEndOfLine) {
  auto src = std::make_shared<SourceFile>();
  src->filename = "m.py";
  src->first_line = 1;
  src->lines = {"x = (1 +\n", "     2)\n"};
  CompileError e(ErrorKind::Typing, "bad", SourceSpan{1, 4, 2, 7});
  e.locate("g", src);
  EXPECT_EQ(e.render(), "in g (m.py:1:5)\n 1 | x = (1 +\n   |     ^^^^ bad");
}
