"""`raise` and `assert` in compiled code: the same exception class, arguments and message as
CPython, with the traceback at the line of the raise.

PYTEST_DONT_REWRITE: pytest would rewrite the asserts of the plain functions below, which are
the oracle, and change their messages.
"""

import traceback

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit

from .oracle import compiled, run, small_ints


class DomainError(ValueError):
    """A user's exception class, defined at module level."""


def classify(x):
    if x < -100:
        raise ValueError("far too small")
    if x < 0:
        raise ValueError
    if x == 0:
        raise ZeroDivisionError("zero is not allowed")
    if x == 13:
        raise DomainError("unlucky")
    if x == 42:
        raise KeyError("forty-two")
    if x > 1000:
        raise OverflowError
    return 1000 // x


def checked(x, limit):
    assert x < limit, "x must stay below the limit"
    assert x != 7
    return x * 2


def raises_in_loop(n):
    total = 0
    for i in range(n):
        if i == 50:
            raise RuntimeError("stopped at fifty")
        total += i
    return total


def only_raises(x):
    raise NotImplementedError("not yet")


def assert_same_exception(pyfunc, *args):
    expected, got = run(pyfunc, *args), run(compiled(pyfunc), *args)
    assert expected[0] == got[0], (args, expected, got)
    if expected[0] == "raise":
        assert type(got[1]) is type(expected[1]), (args, expected, got)
        assert got[1].args == expected[1].args, (args, expected, got)
    else:
        assert got[1] == expected[1]


@given(x=st.integers(-200, 2000) | st.sampled_from([0, 13, 42, -1, -101, 1001]))
def test_raise_class_and_message(x):
    assert_same_exception(classify, x)


@given(x=small_ints, limit=small_ints)
def test_assert_with_and_without_message(x, limit):
    assert_same_exception(checked, x, limit)


@pytest.mark.parametrize("n", [0, 10, 50, 51, 100])
def test_raise_inside_a_loop(n):
    assert_same_exception(raises_in_loop, n)


def test_function_that_only_raises():
    assert_same_exception(only_raises, 1)


def test_user_exception_class_is_caught_by_its_base():
    with pytest.raises(ValueError, match="unlucky") as info:
        compiled(classify)(13)
    assert isinstance(info.value, DomainError)


def test_traceback_points_at_the_raise():
    with pytest.raises(RuntimeError) as info:
        njit(raises_in_loop)(60)
    frames = traceback.extract_tb(info.value.__traceback__)
    assert frames[-1].line == 'raise RuntimeError("stopped at fifty")'
