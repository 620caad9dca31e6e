// Diagnostic rendering: header, location, source line, caret under the span, notes.
#include "ast/diagnostics.h"

#include <gtest/gtest.h>

using namespace nogil::ast;

TEST(Diagnostics, RendersCaretUnderTheExactSpan) {
  SourceFile file("kernels.py", "def step(xs):\n    ys = [v * 2 for v in xs]\n", 13);
  uint32_t begin = file.offsetOf(14, 9);
  Diagnostic d = Diagnostic::at(DiagKind::UnsupportedConstruct, file, Span{begin, begin + 19},
                                {"list comprehensions are"});
  d.notes.push_back("while compiling step(xs: int64)");
  EXPECT_EQ(render(d), "error[N0101]: list comprehensions are not supported\n"
                       "  --> kernels.py:14:10\n"
                       "   |\n"
                       "14 |     ys = [v * 2 for v in xs]\n"
                       "   |          ^^^^^^^^^^^^^^^^^^^\n"
                       "   = note: while compiling step(xs: int64)\n");
}

TEST(Diagnostics, KeepsTabsSoTheCaretLinesUp) {
  SourceFile file("t.py", "def f():\n\treturn y\n", 1);
  uint32_t begin = file.offsetOf(2, 8);
  Diagnostic d = Diagnostic::at(DiagKind::UndefinedName, file, Span{begin, begin + 1}, {"y"});
  std::string text = render(d);
  EXPECT_NE(text.find("2 | \treturn y\n  | \t       ^\n"), std::string::npos) << text;
}

TEST(Diagnostics, UnderlinesAMultiLineSpanToTheEndOfItsFirstLine) {
  SourceFile file("m.py", "x = f(1,\n      2)\n", 1);
  Diagnostic d = Diagnostic::at(DiagKind::NotCallable, file, Span{4, 17}, {"f"});
  EXPECT_NE(render(d).find("1 | x = f(1,\n  |     ^^^^\n"), std::string::npos) << render(d);
}

TEST(Diagnostics, FormatsPlaceholdersInOrderAndHasStableCodes) {
  EXPECT_EQ(formatDiag(DiagKind::UnsupportedOperands, {"+", "int64", "None"}),
            "unsupported operand types for +: int64 and None");
  EXPECT_EQ(diagCode(DiagKind::UndefinedName), "N0201");
}

TEST(Diagnostics, ShowsSecondaryLabelsWithTheirOwnLinesInFileOrder) {
  SourceFile file("r.py", "def f(n):\n    if n:\n        return 1\n    return\n", 1);
  Diagnostic d = Diagnostic::at(DiagKind::ReturnTypeConflict, file,
                                Span{file.offsetOf(4, 4), file.offsetOf(4, 10)}, {"None", "int64"});
  d.secondary.push_back(
      Label{&file, Span{file.offsetOf(3, 15), file.offsetOf(3, 16)}, "returns int64 here"});
  std::string text = render(d);
  EXPECT_NE(text.find("3 |         return 1\n  |                - returns int64 here\n"
                      "4 |     return\n  |     ^^^^^^\n"),
            std::string::npos)
      << text;
}
