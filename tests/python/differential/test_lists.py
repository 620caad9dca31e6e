"""Lists in compiled code: not supported yet. Every list construct is refused at compile
time with a `nogil.TypingError`, and a Python list argument with a TypeError at the call
(never a crash or a wrong answer); these tests pin that
boundary so the list type, when it lands, replaces them with differential tests."""

import pytest

import nogil
from nogil import njit


def literal(n):
    xs = [1, 2, 3]
    return xs[0] + n


def appended(n):
    xs = []
    for i in range(n):
        xs.append(i)
    return len(xs)


def comprehension(n):
    return sum([i * i for i in range(n) if i % 2])


def list_argument(xs):
    return xs[0]


@pytest.mark.parametrize("function", [literal, appended, comprehension])
def test_list_constructs_are_refused(function):
    function(4)  # CPython runs it
    with pytest.raises(nogil.TypingError):
        njit(function)(4)


def test_list_argument_is_refused():
    assert list_argument([5, 6]) == 5
    with pytest.raises(TypeError, match="unsupported type 'list'"):
        njit(list_argument)([5, 6])
