"""Compiling ahead of the first call, checking without compiling, and looking at what was
compiled: the Dispatcher methods written in Python (signature parsing and formatting live
here), attached to the extension's type when nogil is imported."""

import inspect as _inspect
import sys
from typing import Any, TextIO

from nogil import _core, _signatures, _source
from nogil.errors import Diagnostic


def compile_signature(dispatcher: Any, signature: Any) -> None:
    """Compiles one explicit signature now; raises TypingError if the function cannot."""
    for parsed in _signatures.expand(_signatures.parse(signature)):  # optional(t): t and None
        dispatcher._compile(parsed.args, parsed.return_type)


def check(function: Any, *arg_types: Any) -> list[Diagnostic]:
    """Type-checks ``function`` (an @njit function) for these argument types without
    generating code, and returns every diagnostic (an empty list when it compiles).

    ``nogil.check(f, nogil.int64, "float64")`` or ``nogil.check(f, "(int64, float64)")``.
    """
    if not isinstance(function, _core.Dispatcher):
        raise TypeError(f"check() expects an @njit function, not {type(function).__name__}")
    signature = _single_signature(arg_types)
    return [Diagnostic(*raw) for raw in function._check(signature.args)]


def _single_signature(arg_types: tuple) -> _signatures.Signature:
    """check()'s argument types: one whole signature, or the types one by one."""
    if len(arg_types) == 1:
        only = arg_types[0]
        if (isinstance(only, str) and "(" in only) or isinstance(
            only, _signatures.Signature | tuple | list
        ):
            return _signatures.parse(only)
    return _signatures.parse(arg_types)


def _signatures_to_show(dispatcher: Any, signature: Any) -> list[tuple[str, ...]]:
    if signature is not None:
        return [_signatures.parse(signature).args]
    return list(dispatcher.signatures)


def _compile(self: Any, signature: Any) -> None:
    """Compiles ``signature`` ("int64(int64)", a type call, or a tuple of types) now."""
    compile_signature(self, signature)


def _inspect_types(self: Any, signature: Any = None, file: TextIO | None = None) -> None:
    """Prints the function's source with the type of each local at each line that assigns
    it, and of each return, for one signature or for every compiled one."""
    out = file if file is not None else sys.stdout
    # The text compiled, captured at decoration: the file may have changed since.
    found = _source.find(self._captured_source, self.py_func)
    lines, first = found.text.splitlines(True), found.first_line
    for args in _signatures_to_show(self, signature):
        return_type, annotations = self._inspect_types(tuple(args))
        params = _inspect.signature(self.py_func).parameters
        shown = ", ".join(f"{name}: {t}" for name, t in zip(params, args, strict=False))
        out.write(f"{self.__qualname__}({shown}) -> {return_type}\n")
        notes: dict[int, list[str]] = {}
        for line, text in annotations:
            notes.setdefault(line, []).append(text)
        width = max(len(line.rstrip()) for line in lines)
        for offset, line in enumerate(lines):
            number = first + offset
            text = line.rstrip()
            note = ", ".join(notes.get(number, []))
            shown = f"{text.ljust(width)}  # {note}" if note else text
            out.write(f"{number:4} | {shown}".rstrip() + "\n")
        out.write("\n")


def _inspect_text(method: str):
    def inspect_text(self: Any, signature: Any = None) -> Any:
        if signature is not None:
            return getattr(self, method)(_signatures.parse(signature).args)
        return {args: getattr(self, method)(tuple(args)) for args in self.signatures}

    return inspect_text


_core.Dispatcher.compile = _compile
_core.Dispatcher.inspect_types = _inspect_types
_core.Dispatcher.inspect_llvm = _inspect_text("_inspect_llvm")
_core.Dispatcher.inspect_llvm.__doc__ = (
    "The optimised LLVM IR for a signature, or {signature: IR} for every compiled one."
)
_core.Dispatcher.inspect_asm = _inspect_text("_inspect_asm")
_core.Dispatcher.inspect_asm.__doc__ = (
    "The assembly for this CPU for a signature, or {signature: assembly} for every one."
)
