// Source text of one compiled function and spans into it. Spans are byte offsets; lines and
// columns are computed only when a diagnostic is printed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nogil::ast {

/// A half-open range of bytes [begin, end) in a SourceFile's text.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// A position as a person reads it: file line (1-based) and display column (1-based).
struct LineColumn {
  uint32_t line = 0;
  uint32_t column = 0;
};

/// The source of one function as it stands in its file: `text` starts at file line
/// `firstLine`, unindented lines and all.
class SourceFile {
public:
  SourceFile(std::string filename, std::string text, uint32_t firstLine);

  const std::string &filename() const { return filename_; }
  const std::string &text() const { return text_; }
  uint32_t firstLine() const { return firstLine_; }

  /// The byte offset of (file line, byte column); positions past the text are clamped.
  uint32_t offsetOf(uint32_t line, uint32_t byteColumn) const;
  /// The file line and display column (counted in characters) of a byte offset.
  LineColumn lineColumnOf(uint32_t offset) const;
  /// The text of a file line, without its line break.
  std::string_view lineText(uint32_t line) const;
  /// The byte offset where a file line starts.
  uint32_t lineStart(uint32_t line) const;

private:
  std::string filename_;
  std::string text_;
  uint32_t firstLine_;
  std::vector<uint32_t> lineStarts_;
};

/// Counts the characters (not bytes) of UTF-8 text.
uint32_t displayWidth(std::string_view utf8);

} // namespace nogil::ast
