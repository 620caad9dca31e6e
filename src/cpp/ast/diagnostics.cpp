// Diagnostic formatting and rendering.
#include "ast/diagnostics.h"

#include <algorithm>

namespace nogil::ast {

namespace {

struct KindInfo {
  std::string_view code;
  std::string_view format;
};

constexpr KindInfo kKinds[] = {
#define NOGIL_DIAG(Code, Kind, Format) {#Code, Format},
#include "ast/diagnostic_kinds.def"
#undef NOGIL_DIAG
};

/// The underline prefix: the line's own tabs kept, so the caret lines up in any tab width.
std::string padding(std::string_view lineText, uint32_t byteCount) {
  std::string pad;
  std::string_view before = lineText.substr(0, std::min<size_t>(byteCount, lineText.size()));
  for (size_t i = 0; i < before.size(); ++i) {
    if ((before[i] & 0xC0) == 0x80)
      continue;
    pad += before[i] == '\t' ? '\t' : ' ';
  }
  return pad;
}

void renderSnippet(std::string &out, const Label &label, char marker, size_t gutter) {
  const SourceFile &file = *label.file;
  LineColumn begin = file.lineColumnOf(label.span.begin);
  std::string_view text = file.lineText(begin.line);
  uint32_t startByte = label.span.begin - file.lineStart(begin.line);
  // A span over several lines is underlined to the end of its first line.
  uint32_t endByte = std::min<uint32_t>(label.span.end - file.lineStart(begin.line),
                                        static_cast<uint32_t>(text.size()));
  uint32_t width =
      endByte > startByte ? displayWidth(text.substr(startByte, endByte - startByte)) : 1;
  std::string number = std::to_string(begin.line);
  out += std::string(gutter - number.size(), ' ') + number + " | " + std::string(text) + "\n";
  out += std::string(gutter, ' ') + " | " + padding(text, startByte) + std::string(width, marker);
  if (!label.text.empty())
    out += " " + label.text;
  out += "\n";
}

} // namespace

std::string_view diagCode(DiagKind kind) { return kKinds[static_cast<size_t>(kind)].code; }

std::string formatDiag(DiagKind kind, std::initializer_list<std::string_view> args) {
  std::string_view format = kKinds[static_cast<size_t>(kind)].format;
  std::string out;
  auto next = args.begin();
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '{' && i + 1 < format.size() && format[i + 1] == '}') {
      if (next != args.end())
        out += *next++;
      ++i;
    } else {
      out += format[i];
    }
  }
  return out;
}

Diagnostic Diagnostic::at(DiagKind kind, const SourceFile &file, Span span,
                          std::initializer_list<std::string_view> args) {
  return Diagnostic{kind, formatDiag(kind, args), Label{&file, span, ""}, {}, {}};
}

std::string render(const Diagnostic &diagnostic) {
  const Label &primary = diagnostic.primary;
  LineColumn where = primary.file->lineColumnOf(primary.span.begin);
  size_t gutter = std::to_string(where.line).size();
  for (const Label &label : diagnostic.secondary)
    gutter =
        std::max(gutter, std::to_string(label.file->lineColumnOf(label.span.begin).line).size());

  std::string out =
      "error[" + std::string(diagCode(diagnostic.kind)) + "]: " + diagnostic.message + "\n";
  out += std::string(gutter, ' ') + "--> " + primary.file->filename() + ":" +
         std::to_string(where.line) + ":" + std::to_string(where.column) + "\n";
  out += std::string(gutter, ' ') + " |\n";
  // Every labelled line in file order, as a reader scans the source: the primary one with
  // carets, the others (where a conflicting type came from) with dashes.
  std::vector<std::pair<const Label *, char>> labels{{&primary, '^'}};
  for (const Label &label : diagnostic.secondary)
    labels.emplace_back(&label, '-');
  std::stable_sort(labels.begin(), labels.end(), [](const auto &a, const auto &b) {
    return a.first->file == b.first->file && a.first->span.begin < b.first->span.begin;
  });
  for (const auto &[label, underline] : labels)
    renderSnippet(out, *label, underline, gutter);
  for (const std::string &note : diagnostic.notes)
    out += std::string(gutter, ' ') + " = note: " + note + "\n";
  return out;
}

} // namespace nogil::ast
