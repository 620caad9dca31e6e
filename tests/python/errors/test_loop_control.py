"""'break' and 'continue' outside a loop. CPython refuses such a function before it exists, so
the source nogil reads is served from linecache while the code object comes from valid
source: the situation of a module edited after it was imported."""

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
def test_loop_control_outside_loop(edited_function, keyword):
    shown = f"def stray(n):\n    if n > 0:\n        {keyword}\n    return 0\n"
    with pytest.raises(TypingError) as info:
        njit(edited_function(shown))(1)
    err = info.value
    assert (err.code, err.line, err.col) == ("N0105", 3, 9), str(err)
    assert err.message == f"'{keyword}' outside loop"
    assert f"3 |         {keyword}" in str(err)


@pytest.mark.parametrize("keyword", ["break", "continue"])
def test_loop_control_in_loop_else_is_outside_the_loop(edited_function, keyword):
    shown = f"def stray(n):\n    while n:\n        n -= 1\n    else:\n        {keyword}\n"
    with pytest.raises(TypingError) as info:
        njit(edited_function(shown))(1)
    assert (info.value.code, info.value.line, info.value.col) == ("N0105", 5, 9), str(info.value)


def test_served_source_compiles_when_valid(edited_function):
    shown = "def stray(n):\n    for i in range(n):\n        break\n    return n * 2\n"
    assert njit(edited_function(shown))(21) == 42
