"""Index checks of range loops decided before the loop (codegen/lower_range_checks.cpp),
against CPython running the same function on NumPy arrays: an out-of-bounds index still
raises NumPy's IndexError at the iteration that reaches it, after the earlier iterations'
stores; negative indices still count from the end; an index whose local or array the body
reassigns, or that is unbound, stays checked as written."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import njit


def shifted(a, out, start, stop, step):
    for i in range(start, stop, step):
        out[i] = a[i - 1] + a[2 + i]


def masked_zero(m, a, n):
    for i in range(n):
        if m[i]:
            a[i] = 0.0


def select_and_count(m, a, b, t):
    count = 0
    for i in range(len(a)):
        a[i] = b[i] if m[i] else 0.0
        if a[i] > t:
            count += 1
    return count


def row_update(u, k, start, stop):
    for j in range(start, stop):
        u[k, j] = u[k - 1, j] * 2.0 + u[0, -1]


def target_rebound(a, n):
    for i in range(n):
        i = i * 2
        a[i] = 1.0


def array_rebound(a, b, n):
    for i in range(n):
        a[i] = 1.0
        a = b


def maybe_unbound(b, n, bind):
    if bind:
        a = b
    for i in range(n):
        a[i] = 1.0


def caught(a, n):
    misses = 0
    for i in range(n):
        try:
            a[i] += 1.0
        except IndexError:
            misses += 1
    return misses


COMPILED = {
    f: njit(f)
    for f in (
        shifted,
        masked_zero,
        select_and_count,
        row_update,
        target_rebound,
        array_rebound,
        maybe_unbound,
        caught,
    )
}


def outcome(function, args):
    """The result or exception of `function` and the arrays after it ran on copies."""
    copies = [arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args]
    try:
        result = ("value", function(*copies))
    except (IndexError, UnboundLocalError) as error:
        result = (type(error).__name__, str(error))
    return result, [c.tolist() for c in copies if isinstance(c, np.ndarray)]


def assert_agrees(function, *args):
    expected = outcome(function, args)
    assert outcome(COMPILED[function], args) == expected


small = st.integers(-12, 12)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(0, 8), start=small, stop=small, step=small.filter(bool))
def test_shifted_indices_raise_where_python_does(n, start, stop, step):
    a = np.arange(n, dtype=np.float64) + 0.5
    assert_agrees(shifted, a, np.zeros(n), start, stop, step)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(0, 9), extra=st.integers(-3, 3), data=st.data())
def test_conditional_store_and_count(size, extra, data):
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=size, max_size=size)), bool)
    a = np.linspace(-1.0, 1.0, size)
    # A mask shorter than the loop raises at its end, after the stores before it.
    assert_agrees(masked_zero, mask, a, max(size + extra, 0))
    assert_agrees(masked_zero, mask[: max(size + extra, 0)], a, size)
    assert_agrees(select_and_count, mask, a, a[::-1].copy(), 0.25)
    assert_agrees(select_and_count, mask[: max(size + extra, 0)], a, a + 1.0, 0.25)


@settings(max_examples=80, deadline=None)
@given(rows=st.integers(0, 4), cols=st.integers(0, 5), k=small, start=small, stop=small)
def test_invariant_row_index(rows, cols, k, start, stop):
    u = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols)
    assert_agrees(row_update, u, k, start, stop)
    assert_agrees(row_update, np.asfortranarray(u), k, start, stop)
    strided = np.arange(rows * cols * 2.0).reshape(rows, 2 * cols)[:, ::2]
    assert_agrees(row_update, strided, k, 0, cols)


@pytest.mark.parametrize("n", [0, 2, 3, 6])
def test_reassigned_locals_stay_checked(n):
    assert_agrees(target_rebound, np.zeros(5), n)
    assert_agrees(array_rebound, np.zeros(4), np.zeros(2), n)
    assert_agrees(maybe_unbound, np.zeros(3), n, True)
    assert_agrees(maybe_unbound, np.zeros(3), n, False)
    assert_agrees(caught, np.zeros(3), n)


def test_checks_off_trust_the_indices():
    # boundscheck=False is unchanged: the loop's indices are not checked at all.
    unchecked = njit(boundscheck=False)(masked_zero)
    a = np.ones(4)
    unchecked(np.array([True, False, True, False]), a, 4)
    assert a.tolist() == [0.0, 1.0, 0.0, 1.0]
