"""What keeps nogil working on every supported CPython (3.11 to 3.13): the extension uses only
the public C API, and what compiled code shows to Python (traceback entries, messages) is what
the running interpreter would show."""

import re
import traceback
from pathlib import Path

import pytest

from nogil import njit

SOURCES = Path(__file__).resolve().parents[3] / "src" / "cpp"

# A private CPython name (_PyTraceback_Add, _Py_Dealloc...) or an internal header, in code:
# these change or vanish between versions (3.13 removed _PyTraceback_Add from its headers).
PRIVATE_API = re.compile(r"\b_Py[A-Za-z]\w*|#\s*include\s*[<\"]internal/")


def code_lines(path: Path):
    """(number, text) of each line of `path`, comments removed."""
    text = re.sub(
        r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), path.read_text(), flags=re.S
    )
    for number, line in enumerate(text.splitlines(), 1):
        yield number, line.split("//", 1)[0]


def test_the_extension_uses_no_private_c_api():
    assert SOURCES.is_dir(), SOURCES
    found = [
        f"{path.relative_to(SOURCES)}:{number}: {line.strip()}"
        for path in sorted(SOURCES.rglob("*"))
        if path.suffix in {".cpp", ".h"}
        for number, line in code_lines(path)
        if PRIVATE_API.search(line)
    ]
    assert found == []


def divide(a, b):
    return a // b


def call_divide(a, b):
    return compiled_divide(a, b) + 1


compiled_divide = njit(divide)


def test_each_compiled_frame_is_a_traceback_entry_with_its_name_line_and_source():
    with pytest.raises(ZeroDivisionError) as info:
        njit(call_divide)(1, 0)
    frames = traceback.extract_tb(info.value.__traceback__)
    divide_line = divide.__code__.co_firstlineno + 1
    call_line = call_divide.__code__.co_firstlineno + 1
    # What CPython shows for the same two frames, innermost last.
    assert [(f.filename, f.name, f.lineno, f.line) for f in frames[-2:]] == [
        (__file__, "call_divide", call_line, "return compiled_divide(a, b) + 1"),
        (__file__, "divide", divide_line, "return a // b"),
    ]
    rendered = "".join(traceback.format_exception(info.value))
    assert f"line {divide_line}, in divide\n    return a // b\n" in rendered


def test_the_runtime_speaks_the_running_interpreters_words():
    def modulo(a, b):
        return a % b

    with pytest.raises(ZeroDivisionError) as expected:
        modulo(1.5, 0.0)
    with pytest.raises(ZeroDivisionError) as info:
        njit(modulo)(1.5, 0.0)
    assert str(info.value) == str(expected.value)  # "float modulo by zero" from 3.13 on


def test_a_users_message_is_never_reworded():
    def fail(x):
        raise ZeroDivisionError("float modulo")

    with pytest.raises(ZeroDivisionError, match=r"^float modulo$"):
        njit(fail)(1)
