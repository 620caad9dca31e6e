"""map, filter, min/max with key= and functools.reduce (issue 15) with compiled functions,
builtins, lambdas and closures, consumed by for loops and the iterable reductions. Each
compiled function is checked against its plain twin run by CPython."""

import functools
import math
from functools import reduce

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import njit

from .oracle import run, same_value


def square(x):
    return x * x


c_square = njit(square)


def loops_over_map_and_filter(a, k):
    total = 0.0
    for v in map(lambda x: x * k, a):
        total += v
    for v in filter(lambda x: x > k, a):
        total += 10 * v
    for i, v in enumerate(map(abs, a)):
        total += i * v
    for i, v in enumerate(filter(None, a), 1):
        total -= i * v
    for v, w in zip(map(lambda x: x - 1, a), a):  # noqa: B905
        total += v * w
    for v in map(lambda x, y: x * y, a, a[::-1]):
        total += v
    for v in map(c_square, filter(lambda x: x < k, a)):
        total += v
    return total


def loop_with_break_and_else(a, k):
    found = -1.0
    for v in filter(lambda x: x > k, a):
        if v > 2 * k:
            found = v
            break
    else:
        found = -2.0
    return found


def reductions_of_map_and_filter(a, k):
    return (
        sum(map(lambda x: x * k, a), 0.0),
        max(map(abs, a), default=-1.0),
        min(filter(lambda x: x > k, a), default=0.0),
        any(map(lambda x: x > k, a)),
        all(filter(None, a)),
        sum(map(c_square, range(5))),
    )


def keyed_extrema(a, k):
    return (
        min(a, key=lambda x: abs(x - k), default=0.0),
        max(a, key=abs, default=0.0),
        min(range(-3, 4), key=lambda i: (i - 1) * (i - 1)),
        max(2.5, k, -1.0, key=lambda x: -x),
        min(3, 1, 2, key=None),
    )


def folds(a, k):
    def add(x, y):
        return x + y

    return (
        reduce(add, a, 0.0),
        functools.reduce(lambda acc, x: acc * k + x, a, 1.0),
        reduce(lambda x, y: x if x > y else y, range(7)),
        reduce(lambda acc, v: acc + v * v, (1, 2, 3)),
        reduce(add, (v * 2 for v in range(4)), 0),
    )


def fold_of_empty(a):
    return reduce(lambda x, y: x + y, a)


def plain(value):
    """CPython's result with NumPy scalars (items of the arrays) as the Python numbers
    compiled code returns."""
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return value.item() if isinstance(value, np.generic) else value


values = st.lists(st.floats(-100, 100, allow_nan=False), max_size=12).map(np.array)
ks = st.floats(-50, 50, allow_nan=False)

COMPILED = {
    f: njit(f)
    for f in [
        loops_over_map_and_filter,
        loop_with_break_and_else,
        reductions_of_map_and_filter,
        keyed_extrema,
        folds,
    ]
}


@given(a=values, k=ks)
@settings(max_examples=30, deadline=None)
def test_against_cpython(a, k):
    a = a.astype(np.float64)
    for function, compiled in COMPILED.items():
        expected = plain(function(a, k))
        got = compiled(a, k)
        assert same_value(got, expected), (function.__name__, got, expected)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.bool_])
def test_dtypes(dtype):
    a = np.array([3, 0, 1, 5, 2], dtype=dtype)
    for function in (reductions_of_map_and_filter, keyed_extrema):
        compiled = njit(function)
        # Equal values; the types may differ where compiled code unifies an item with a
        # default of another kind (an int item and default=-1.0 give a float).
        expected = plain(function(a, 1))
        assert compiled(a, 1) == expected, (function.__name__, expected)


def test_fold_of_empty_raises_as_cpython():
    compiled = njit(fold_of_empty)
    empty = np.zeros(0)
    outcome, error = run(compiled, empty)
    _, expected = run(fold_of_empty, empty)
    assert outcome == "raise" and type(error) is type(expected)
    assert str(error) == str(expected)
    assert same_value(compiled(np.arange(4.0)), plain(fold_of_empty(np.arange(4.0))))


def test_quadrature_with_map():
    @njit
    def mean_of_sines(n, k):
        return sum(map(lambda i: math.sin(k * i), range(n))) / n

    assert math.isclose(mean_of_sines(100, 0.3), mean_of_sines.py_func(100, 0.3), rel_tol=1e-12)
