"""A compiled function calling one that does not compile: the callee's own error is
reported first, and its unknown result causes no second error at the call site."""

import numpy as np
import pytest

from nogil import TypingError, njit


@njit
def generator(n):
    yield n


@njit
def keep_a_generator(n):
    generator(n)
    return n


@njit
def missing_attribute(a):
    return a.foo


@njit
def use_a_failed_result(a):
    x = missing_attribute(a)
    return x + 1.0


@pytest.mark.parametrize(
    ("function", "arg", "code", "message"),
    [
        (keep_a_generator, 3, "N0101", "'yield', except in a generator that a for loop"),
        (use_a_failed_result, np.zeros(2), "N0237", "arrays have no attribute 'foo'"),
    ],
)
def test_callee_error_comes_alone(function, arg, code, message):
    with pytest.raises(TypingError) as info:
        function(arg)
    err = info.value
    assert [d.code for d in err.diagnostics] == [code], str(err)
    assert err.message.startswith(message), str(err)
    assert "None" not in str(err)


@njit
def two_levels_up(a):
    return use_a_failed_result(a) * 2.0


def test_callee_error_names_the_call_site_in_its_caller():
    with pytest.raises(TypingError) as info:
        two_levels_up(np.zeros(2))
    text = str(info.value)
    # The callee's own error and caret come first, then where its caller called it.
    assert text.index("return a.foo") < text.index("called from use_a_failed_result(")
    call_line = use_a_failed_result.py_func.__code__.co_firstlineno + 2
    assert f"test_callee_errors.py:{call_line}:9" in text
