// SourceFile line tables: offsets <-> file lines and display columns.
#include "ast/source.h"

#include <gtest/gtest.h>

using nogil::ast::SourceFile;

TEST(SourceFile, MapsLinesFromTheFunctionsFirstLine) {
  SourceFile file("k.py", "def f(x):\n    return x\n", 10);
  EXPECT_EQ(file.offsetOf(11, 4), 14u);
  auto where = file.lineColumnOf(14);
  EXPECT_EQ(where.line, 11u);
  EXPECT_EQ(where.column, 5u);
  EXPECT_EQ(file.lineText(11), "    return x");
}

TEST(SourceFile, CountsColumnsInCharactersNotBytes) {
  SourceFile file("k.py", "s = \"\xc3\xa9\xc3\xa9\" + x\n", 1);
  // "x" is at byte 13 but character 11.
  EXPECT_EQ(file.lineColumnOf(13).column, 12u);
}

TEST(SourceFile, ClampsPositionsPastTheEnd) {
  SourceFile file("k.py", "x = 1\n", 1);
  EXPECT_EQ(file.offsetOf(5, 0), 6u);
  EXPECT_EQ(file.offsetOf(1, 99), 6u);
}
