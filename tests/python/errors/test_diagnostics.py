"""Every function in cases.py fails to compile with the errors its comments announce: code,
message, line, column, and the caret excerpt of the report."""

import inspect
import re
from dataclasses import dataclass

import pytest

from nogil import TypingError

from . import cases

MARKER = re.compile(r"^\s*# error\[(?P<code>N\d{4})\] `(?P<text>.+?)`: (?P<message>.+)$")
CASES = sorted(
    name
    for name, value in vars(cases).items()
    if hasattr(value, "py_func") and "# error[" in inspect.getsource(value.py_func)
)


@dataclass
class Expected:
    code: str
    message: str
    line: int
    col: int
    length: int | None  # None: the span continues past the end of the line
    source_line: str


def expected_errors(py_func) -> list[Expected]:
    lines, first = inspect.getsourcelines(py_func)
    found, code_line = [], None
    for offset, text in enumerate(lines):
        marker = MARKER.match(text)
        if marker is None:
            code_line = (first + offset, text.rstrip("\n"))
            continue
        assert code_line is not None, text
        snippet = marker["text"]
        open_ended = snippet.endswith("...")
        snippet = snippet.removesuffix("...")
        pattern = re.escape(snippet)
        if snippet[0].isalnum() or snippet[0] == "_":
            pattern = r"\b" + pattern
        if snippet[-1].isalnum() or snippet[-1] == "_":
            pattern += r"\b"
        at = re.search(pattern, code_line[1])
        assert at is not None, f"`{snippet}` is not in line {code_line[0]}"
        found.append(
            Expected(
                code=marker["code"],
                message=marker["message"],
                line=code_line[0],
                col=at.start() + 1,
                length=None if open_ended else len(snippet),
                source_line=code_line[1],
            )
        )
    return found


def names(message: str, announced: str) -> bool:
    """The message starts with the announced text; a construct may be quoted ('global')."""
    return message.startswith(announced) or message.lstrip("'").startswith(announced)


def compile_error(name: str) -> TypingError:
    function = getattr(cases, name)
    args = cases.ARGS.get(name, (1,) * function.py_func.__code__.co_argcount)
    with pytest.raises(TypingError) as info:
        function(*args)
    return info.value


def caret_line(report: str, expected: Expected) -> str:
    """The caret line under ``expected``'s source line in the report, gutter removed."""
    lines = report.splitlines()
    source = re.compile(rf"^(\s*{expected.line} \| )(.*)$")
    for i, text in enumerate(lines):
        match = source.match(text)
        if match and match[2].rstrip() == expected.source_line.rstrip():
            gutter = len(match[1])
            assert lines[i + 1][:gutter].strip() == "|", lines[i + 1]
            return lines[i + 1][gutter:]
    raise AssertionError(f"line {expected.line} is not quoted in the report:\n{report}")


@pytest.mark.parametrize("name", CASES)
def test_error_code_and_position(name):
    expected = expected_errors(getattr(cases, name).py_func)[0]
    err = compile_error(name)
    assert (err.code, err.line, err.col) == (expected.code, expected.line, expected.col), str(err)
    assert names(err.message, expected.message), str(err)
    assert err.filename == cases.__file__


@pytest.mark.parametrize("name", CASES)
def test_error_report_underlines_the_span(name):
    err = compile_error(name)
    for expected in expected_errors(getattr(cases, name).py_func):
        carets = caret_line(str(err), expected)
        match = re.match(r"^( *)(\^+)", carets)
        assert match is not None, str(err)
        assert len(match[1]) + 1 == expected.col, str(err)
        if expected.length is not None:
            assert len(match[2]) == expected.length, str(err)


@pytest.mark.parametrize("name", CASES)
def test_error_report_header_and_location(name):
    err = compile_error(name)
    expected = expected_errors(getattr(cases, name).py_func)[0]
    report = str(err).splitlines()
    assert report[0] == f"error[{expected.code}]: {err.message}"
    assert report[1].strip() == f"--> {cases.__file__}:{expected.line}:{expected.col}"


@pytest.mark.parametrize("name", CASES)
def test_every_announced_error_is_reported(name):
    err = compile_error(name)
    expected = expected_errors(getattr(cases, name).py_func)
    got = [(d.code, d.line, d.col) for d in err.diagnostics]
    assert got == [(e.code, e.line, e.col) for e in expected], str(err)
    for diagnostic, announced in zip(err.diagnostics, expected, strict=True):
        assert names(diagnostic.message, announced.message), str(err)
        assert diagnostic.filename == cases.__file__
        if announced.length is not None:
            assert diagnostic.end_line == diagnostic.line
            assert diagnostic.end_col - diagnostic.col in (announced.length, announced.length - 1)


def test_typing_error_is_a_type_error():
    assert issubclass(TypingError, TypeError)
    with pytest.raises(TypeError):
        cases.undefined_name(1)


@pytest.mark.parametrize(
    ("name", "args", "signature"),
    [
        ("undefined_name", (3,), "undefined_name(n: int64)"),
        ("undefined_name", (2.5,), "undefined_name(n: float64)"),
        ("undefined_name", (True,), "undefined_name(n: bool)"),
        ("range_with_float_parameter", (4.5,), "range_with_float_parameter(x: float64)"),
    ],
)
def test_error_report_notes_the_signature_being_compiled(name, args, signature):
    with pytest.raises(TypingError) as info:
        getattr(cases, name)(*args)
    assert f"= note: while compiling {signature}" in str(info.value)


def test_star_args_function_called_with_arguments_reports_the_parameter():
    with pytest.raises(TypingError) as info:
        cases.star_args(1, 2)
    assert info.value.code == "N0102", str(info.value)


def test_compile_error_is_raised_again_on_every_call():
    first = compile_error("string_literal")
    second = compile_error("string_literal")
    assert (first.code, first.line, first.col) == (second.code, second.line, second.col)


def test_unsupported_construct_message_names_the_construct():
    for name, construct in [
        ("list_comprehension", "list comprehension"),
        ("inner_generator", "generator"),
        ("string_literal", "string"),
        ("dict_literal", "dict"),
        ("with_statement", "with"),
        ("try_star_statement", "'try ... except*'"),
        ("yield_expression", "yield"),
    ]:
        message = compile_error(name).message
        assert construct in message and message.endswith("not supported"), message
