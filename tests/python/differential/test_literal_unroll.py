"""``nogil.literal_unroll`` (Numba's name), compared with CPython: ``for x in
literal_unroll(t)`` over a homogeneous tuple loops over ``t``, with ``break``, ``continue``
and ``else``; ``numba.literal_unroll`` (imported by name) is recognised too, so ported
code compiles unchanged.
A heterogeneous tuple is still refused (N0330, tests/python/errors/cases.py)."""

import numba
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numba import literal_unroll as numba_literal_unroll

import nogil
from nogil import literal_unroll

from .oracle import assert_same, compiled

int_tuples = st.lists(st.integers(-50, 50), max_size=6).map(tuple)


def sum_unrolled(t):
    total = 0
    for x in literal_unroll(t):
        total += x
    return total


def with_loop_control(t):
    total = 0
    for x in literal_unroll(t):
        if x < 0:
            continue
        if x > 40:
            break
        total = total * 3 + x
    else:
        total -= 1000
    return total


def nested_unrolls(t, u):
    pairs = 0
    for x in literal_unroll(t):
        for y in literal_unroll(u):
            if x == y:
                pairs += 1
    return pairs


def over_arrays(a, b):
    total = 0.0
    for v in literal_unroll((a, b)):
        total += v.sum()
    return float(total)


def unroll_attributes(t):
    total = 0
    for x in nogil.literal_unroll(t):
        total += x
    for x in numba.literal_unroll(t):
        total *= x
    return total


def unroll_numba_spelling(t):
    total = 0.0
    for x in numba_literal_unroll(t):
        total += x
    return total


@given(int_tuples)
def test_sum(t):
    assert_same(sum_unrolled, compiled(sum_unrolled), t)


@given(int_tuples)
def test_break_continue_else(t):
    assert_same(with_loop_control, compiled(with_loop_control), t)


@given(int_tuples, int_tuples)
def test_nested(t, u):
    assert_same(nested_unrolls, compiled(nested_unrolls), t, u)


def test_tuple_of_arrays():
    a, b = np.arange(4.0), np.ones(3)
    assert_same(over_arrays, compiled(over_arrays), a, b)


@given(int_tuples)
def test_module_attributes(t):
    assert_same(unroll_attributes, compiled(unroll_attributes), t)


@pytest.mark.parametrize("t", [(), (1.5,), (0.5, -2.0, 3.25)])
def test_numba_spelling(t):
    assert_same(unroll_numba_spelling, compiled(unroll_numba_spelling), t)


def test_exported_and_identity_in_cpython():
    t = (1, 2.5, "a")
    assert nogil.literal_unroll is literal_unroll
    assert "literal_unroll" in nogil.__all__
    assert literal_unroll(t) is t


def test_heterogeneous_tuple_is_refused():
    @nogil.njit
    def mixed(n):
        total = 0.0
        for v in literal_unroll((n, 1.5)):
            total += v
        return total

    with pytest.raises(nogil.TypingError, match="N0330"):
        mixed(1)
