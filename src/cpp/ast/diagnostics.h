// Diagnostics: a stable code, a message, a primary span with a caret underline, secondary
// labels and notes; rendered as text the way a person reads compiler errors.
#pragma once

#include "ast/source.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace nogil::ast {

enum class DiagKind : uint16_t {
#define NOGIL_DIAG(Code, Kind, Format) Kind,
#include "ast/diagnostic_kinds.def"
#undef NOGIL_DIAG
};

/// The stable code of a kind, e.g. "N0101".
std::string_view diagCode(DiagKind kind);
/// The message of a kind with its `{}` placeholders filled in order.
std::string formatDiag(DiagKind kind, std::initializer_list<std::string_view> args);

/// A span of a source file with a short text shown under it.
struct Label {
  const SourceFile *file = nullptr;
  Span span;
  std::string text;
};

struct Diagnostic {
  DiagKind kind;
  std::string message;
  Label primary;
  std::vector<Label> secondary;
  std::vector<std::string> notes;

  /// The diagnostic of `kind` at `span`, its message formatted from `args`.
  static Diagnostic at(DiagKind kind, const SourceFile &file, Span span,
                       std::initializer_list<std::string_view> args);
};

/// Renders one diagnostic:
///
///   error[N0201]: name 'x' is not defined
///     --> file.py:3:12
///      |
///    3 |     return x + 1
///      |            ^
///      = note: while compiling f(n: int64)
std::string render(const Diagnostic &diagnostic);

} // namespace nogil::ast
