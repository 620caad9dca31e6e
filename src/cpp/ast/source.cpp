// Line tables for SourceFile.
#include "ast/source.h"

#include <algorithm>

namespace nogil::ast {

SourceFile::SourceFile(std::string filename, std::string text, uint32_t firstLine)
    : filename_(std::move(filename)), text_(std::move(text)), firstLine_(firstLine) {
  lineStarts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n')
      lineStarts_.push_back(i + 1);
}

uint32_t SourceFile::lineStart(uint32_t line) const {
  if (line < firstLine_)
    return 0;
  size_t index = line - firstLine_;
  if (index >= lineStarts_.size())
    return static_cast<uint32_t>(text_.size());
  return lineStarts_[index];
}

uint32_t SourceFile::offsetOf(uint32_t line, uint32_t byteColumn) const {
  uint32_t start = lineStart(line);
  return std::min<uint32_t>(start + byteColumn, static_cast<uint32_t>(text_.size()));
}

LineColumn SourceFile::lineColumnOf(uint32_t offset) const {
  auto next = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  size_t index = static_cast<size_t>(next - lineStarts_.begin()) - 1;
  uint32_t start = lineStarts_[index];
  std::string_view before(text_.data() + start, offset - start);
  return {firstLine_ + static_cast<uint32_t>(index), displayWidth(before) + 1};
}

std::string_view SourceFile::lineText(uint32_t line) const {
  uint32_t start = lineStart(line);
  size_t end = text_.find('\n', start);
  if (end == std::string::npos)
    end = text_.size();
  std::string_view text(text_.data() + start, end - start);
  if (!text.empty() && text.back() == '\r')
    text.remove_suffix(1);
  return text;
}

uint32_t displayWidth(std::string_view utf8) {
  // Continuation bytes (10xxxxxx) do not start a character.
  return static_cast<uint32_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

} // namespace nogil::ast
