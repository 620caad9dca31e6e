"""sum, min, max, any and all of generator expressions, arrays and ranges, against CPython."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nogil import njit, prange

from .oracle import assert_outcomes, compiled, run, same_value, small_ints


def plain(value):
    """A NumPy scalar as the Python number it holds (compiled code returns Python numbers)."""
    return value.item() if isinstance(value, np.generic) else value


def same_plain(expected, got):
    expected, got = plain(expected), plain(got)
    if isinstance(expected, tuple) and isinstance(got, tuple):
        return len(expected) == len(got) and all(map(same_plain, expected, got))
    if isinstance(got, float) and isinstance(expected, int) and not isinstance(expected, bool):
        return same_value(float(expected), got)  # int then float unify to float
    return same_value(expected, got)


def assert_same(pyfunc, *args):
    where = f"{pyfunc.__name__}{args!r}"
    assert_outcomes(run(pyfunc, *args), run(compiled(pyfunc), *args), where, same_plain)


# Generator expressions over ranges.


def sum_squares(n):
    return sum(x * x for x in range(n))


def sum_filtered_start(n, k):
    return sum((x for x in range(n, -n, -1) if x % 3 != 0), k)


def sum_start_keyword(n):
    return sum((x / 2 for x in range(n)), start=1.5)


def sum_nested(n, m):
    return sum(i * j for i in range(n) if i % 2 for j in range(i, m) if j != i + 1)


def sum_of_sums(n):
    return sum(sum(x for x in range(x)) for x in range(n))


def max_filtered(n, k):
    return max(v - k for v in range(n) if v % 4 == 1)


def min_default(n, k):
    return min((v * k for v in range(n) if v > 2), default=-7)


def any_positive(n, k):
    return any(i * k > 50 for i in range(n))


def all_nested(n, m):
    return all(i + j < 12 for i in range(n) for j in range(m))


def reductions_in_statements(n):
    total = 0
    if any(i > 3 for i in range(n)):
        total += 100
    while all(i < 5 for i in range(n)):
        n += 1
        if sum(1 for _ in range(n)) == 3:
            continue
    for i in range(max(x for x in range(n + 1))):
        total += i
    return total + min(range(n + 1)) + sum(i for i in range(3))


def reductions_where_cpython_may_skip_them(n, k):
    # min() of an empty range raises: only where CPython evaluates it.
    first = (k > 3 and sum(x for x in range(n))) or max(range(n), default=k)
    second = min(range(n)) if n > 0 else -1
    third = n < 2 or (all(x < k for x in range(n)) and min(range(n)) > -1)
    fourth = k < n < min(range(n)) + 5 <= max(x * k for x in range(n))
    return first, second, third, fourth


def reduction_in_while_test_with_else(n, k):
    steps = 0
    while any(x * x > k + steps for x in range(n)):
        steps += 1
        if steps == 7:
            break
    else:
        steps = -steps
    return steps


@settings(max_examples=60, deadline=None)
@given(small_ints, small_ints)
def test_generator_expressions_over_ranges(n, k):
    n = n % 40 - 5
    for function, args in (
        (sum_squares, (n,)),
        (sum_filtered_start, (n, k)),
        (sum_start_keyword, (n,)),
        (sum_nested, (n, k % 30)),
        (sum_of_sums, (n,)),
        (max_filtered, (n, k)),
        (min_default, (n, k)),
        (any_positive, (n, k)),
        (all_nested, (n, k % 15)),
        (reductions_in_statements, (n,)),
        (reductions_where_cpython_may_skip_them, (n, k % 9)),
        (reduction_in_while_test_with_else, (n, k % 20)),
    ):
        assert_same(function, *args)


def test_empty_extremum_raises_cpython_value_error():
    with pytest.raises(ValueError, match=r"max\(\)"):
        compiled(max_filtered)(0, 1)
    with pytest.raises(ValueError, match=r"min\(\)"):
        compiled(min_of_range)(0)


def min_of_range(n):
    return min(range(n))


# Arrays: a 1-d array iterates its elements.


def reduce_array(a):
    return sum(a), min(a), max(a), any(a), all(a)


def reduce_array_expression(a):
    return (
        sum(v * 2 for v in a if v > 0),
        max((v for v in a if v < 0), default=0),
        any(a[i] > 0 for i in range(len(a))),
        all(v == v for v in a),
    )


def reduce_enumerate_zip(a, b):
    weighted = sum(i * v for i, v in enumerate(a))
    return weighted, max((x - y for x, y in zip(a, b)), default=-1.0)  # noqa: B905


array_dtypes = st.sampled_from([np.int64, np.int32, np.float64, np.bool_])


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        array_dtypes,
        st.integers(1, 12),
        elements={"allow_nan": False, "min_value": -100, "max_value": 100},
    ),
    st.sampled_from([slice(None), slice(None, None, -1), slice(None, None, 2)]),
)
def test_array_reductions(a, view):
    a = a[view]
    result = run(reduce_array, a)
    got = run(compiled(reduce_array), a)
    assert result[0] == got[0]
    for expected, value in zip(result[1], got[1], strict=True):
        assert same_plain(expected, value) or plain(expected) == plain(value), (a, result, got)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.integers(0, 12), elements={"min_value": -5, "max_value": 5}))
def test_array_generator_expressions(a):
    assert_same(reduce_array_expression, a)
    assert_same(reduce_enumerate_zip, a, a[::-1] * 2.0)


def test_empty_array_extremum_raises():
    with pytest.raises(ValueError, match="empty"):
        compiled(reduce_array)(np.zeros(0))


def test_nan_order_follows_cpython():
    # CPython keeps the first element and replaces it only when a later one compares greater.
    for values in ([np.nan, 1.0, 2.0], [1.0, np.nan, 0.5], [2.0, 1.0, np.nan]):
        a = np.array(values)
        assert_same(reduce_array_expression, a)
        expected = run(reduce_array, a)[1]
        got = run(compiled(reduce_array), a)[1]
        for e, g in zip(expected, got, strict=True):
            assert same_plain(e, g), (values, expected, got)


# A name bound to something else than the builtin keeps its own meaning.


def test_shadowed_builtin_is_not_rewritten():
    sum = njit(lambda n, start: n * 10 + start)  # a closure cell named sum

    def calls_cell_sum(n):
        return sum(n, 2)

    assert njit(calls_cell_sum)(3) == 32


# In a prange body: the loop's temporaries are private to each iteration.


@njit(parallel=True)
def row_reductions(a):
    out = np.empty(a.shape[0])
    total = 0.0
    for i in prange(a.shape[0]):
        out[i] = max(a[i, j] for j in range(a.shape[1])) + sum(v for v in a[i] if v > 0)
        total += min(a[i, j] for j in range(a.shape[1]))
    return out, total


def test_reductions_in_prange_bodies():
    a = np.random.default_rng(3).normal(size=(40, 5))
    out, total = row_reductions(a)
    np.testing.assert_allclose(out, [max(r) + sum(v for v in r if v > 0) for r in a])
    assert np.isclose(total, sum(min(r) for r in a))


# reversed() of ranges and arrays in for loops, enumerate, zip and generator expressions.


def reversed_loops(a, b, c, values):
    out = 0
    for i in reversed(range(a, b, c)):
        out = out * 3 + i
    for i in reversed(range(b)):
        out = out * 2 + i
    weighted = sum(k * v for k, v in enumerate(reversed(values)))
    paired = sum(i * v for i, v in zip(reversed(range(a, b, 2)), values))  # noqa: B905
    return out + weighted + paired + max(reversed(values), default=-1.0)


@settings(max_examples=80, deadline=None)
@given(
    st.integers(-6, 6),
    st.integers(-6, 6),
    st.sampled_from([-3, -2, -1, 0, 1, 2, 3]),
    hnp.arrays(np.float64, st.integers(0, 6), elements={"min_value": -4, "max_value": 4}),
    st.sampled_from([slice(None), slice(None, None, -2)]),
)
def test_reversed_ranges_and_arrays(a, b, c, values, view):
    assert_same(reversed_loops, a, b, c, values[view])


# A range bound to a name: len, indexing, iteration and reductions, CPython's formula.


def range_value(a, b, c, i):
    r = range(a, b, c)
    total = len(r) * 1000
    for x in r:
        total += x
    for k, x in enumerate(r):
        total += k * x
    if len(r) > 0:
        total += r[0] + r[-1] * 7
    total += r[i] * 3
    total += len(range(b, a, -1)) * 10
    for j in range(3):
        total += len(range(j, b))
    return total + sum(r) + max(r, default=-5)


@settings(max_examples=80, deadline=None)
@given(
    st.integers(-6, 6),
    st.integers(-6, 6),
    st.sampled_from([-3, -2, -1, 0, 1, 2, 3]),
    st.integers(-7, 7),
)
def test_range_values(a, b, c, i):
    assert_same(range_value, a, b, c, i)


def test_a_local_named_like_a_builtin_does_not_change_the_rewritten_loops():
    def shadows(n, len, ValueError):
        return max(range(n), default=len) + sum(x for x in reversed(range(n))) + ValueError

    for n in (0, 3):
        assert njit(shadows)(n, 7, 100) == shadows(n, 7, 100)
