"""'break' and 'continue' outside a loop. CPython refuses such a function before it exists,
so a function whose shown source has one can only come from text that is not its code (a
file edited after import, exec of other text): nogil says so instead of compiling that
text. The typer's own check (N0105) is tested on hand-built trees in tests/cpp/sema."""

import linecache

import pytest

from nogil import TypingError, njit

FILENAME = "<nogil tests: loop control>"
VALID = "def stray(n):\n    if n > 0:\n        return n\n    return 0\n"


@pytest.fixture
def edited_function():
    def load(shown: str):
        namespace = {}
        exec(compile(VALID, FILENAME, "exec"), namespace)
        linecache.cache[FILENAME] = (len(shown), None, shown.splitlines(True), FILENAME)
        return namespace["stray"]

    yield load
    linecache.cache.pop(FILENAME, None)


@pytest.mark.parametrize("keyword", ["break", "continue"])
def test_shown_loop_control_outside_loop_is_not_the_running_code(edited_function, keyword):
    shown = f"def stray(n):\n    if n > 0:\n        {keyword}\n    return 0\n"
    with pytest.raises(TypingError, match="does not match the code Python runs"):
        njit(edited_function(shown))(1)


def test_shown_source_that_differs_is_not_compiled(edited_function):
    shown = "def stray(n):\n    for i in range(n):\n        break\n    return n * 2\n"
    with pytest.raises(TypingError, match="does not match the code Python runs"):
        njit(edited_function(shown))(21)


def test_shown_source_that_is_the_code_compiles(edited_function):
    assert njit(edited_function(VALID))(21) == 21
