"""The exceptions nogil raises for code it cannot compile."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Diagnostic:
    """One compile-time error: a stable code, a message and where it points (1-based)."""

    code: str
    message: str
    filename: str
    line: int
    col: int
    end_line: int
    end_col: int
    report: str = field(default="", repr=False)
    """The rendered diagnostic: the message, the source line and a caret under the span."""

    def __str__(self) -> str:
        return self.report or f"error[{self.code}]: {self.message}"


class TypingError(TypeError):
    """Raised when a function cannot be compiled: an unsupported construct or a type conflict.

    ``str(err)`` is the full report with a caret under each offending span; the attributes
    describe the first error, and ``diagnostics`` holds all of them.
    """

    def __init__(self, report: str, diagnostics: list[Diagnostic] | None = None):
        super().__init__(report)
        self.diagnostics = list(diagnostics or [])
        first = self.diagnostics[0] if self.diagnostics else None
        self.code = first.code if first else None
        self.message = first.message if first else report
        self.filename = first.filename if first else None
        self.line = first.line if first else None
        self.col = first.col if first else None


def _typing_error(report: str, raw_diagnostics: list[tuple]) -> TypingError:
    """Called by the extension: builds the exception from its diagnostic tuples."""
    return TypingError(report, [Diagnostic(*d) for d in raw_diagnostics])
