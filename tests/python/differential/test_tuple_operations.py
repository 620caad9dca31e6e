"""Tuple operations of issue 15, compared with CPython: comparisons (lexicographic, mixed
int/float/bool elements, different lengths, nested tuples), `x in t`, `t + u`, `t * n`,
constant slices and loops over homogeneous tuples.

NaN is kept out of comparisons: CPython compares tuple elements by identity first, so
`(x,) == (x,)` is True for one NaN object, which compiled code, holding values, cannot see."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from .oracle import assert_same, compiled

elements = st.sampled_from([-2, -1, 0, 1, 2]) | st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0])
elements = elements | st.booleans()
short_tuples = st.lists(elements, max_size=3).map(tuple)
homogeneous_tuples = st.lists(st.integers(-50, 50), max_size=7).map(tuple)


def all_comparisons(a, b):
    return a < b, a <= b, a == b, a != b, a > b, a >= b


def nested_comparisons(a, x):
    p = ((a, x), a)
    q = ((a, a), x)
    return p < q, p == q, p >= q, (p, 1) > (p,)


def chained_comparison(a, b, c):
    return a <= b < c


def membership(x, t):
    return x in t, x not in t


def concatenate_and_repeat(t, u):
    return t + u, t * 2, 3 * u, t * 0, u * -1, (t + u) * 1


def augmented_concatenation(t):
    # A variable keeps one type, and a tuple's length is part of it (as in Numba).
    u = t
    u += ()
    u *= 1
    return u


def slices(t):
    return (
        t[1:3],
        t[::2],
        t[::-1],
        t[-2:],
        t[:-1],
        t[5:],
        t[-10:2],
        t[3:0:-1],
        t[::-2],
        t[1:-1:3],
        t[None:2],
        t[100:-100:-1],
    )


def loop_sum(t):
    total = 0
    for v in t:
        if v == 3:
            continue
        if v > 40:
            break
        total += v
    else:
        total -= 1
    return total


def loop_with_enumerate_and_zip(t):
    total = 0
    for i, v in enumerate(t):
        total += i * v
    for v, w in zip(t, t[::-1]):  # noqa: B905
        total += v * w
    return total


def loop_over_arrays(a, b):
    total = 0.0
    for x in (a, b, a):
        total += x.sum()
    return total


def loop_over_new_arrays(n):
    total = 0.0
    for x in (np.ones(n), np.arange(float(n))):
        total += x[-1]
    return total


def loop_over_tuples(t):
    total = 0
    for a, b in t:
        total += a * b
    return total


def loop_over_an_empty_tuple(n):
    for v in ():
        n += v
    return n


@settings(max_examples=60)
@given(a=short_tuples, b=short_tuples)
def test_comparisons_are_lexicographic(a, b):
    assert_same(all_comparisons, compiled(all_comparisons), a, b)


@given(a=st.integers(-3, 3), x=st.sampled_from([-1.0, 0.0, 2.0, 3.0]))
def test_nested_tuple_comparisons(a, x):
    assert_same(nested_comparisons, compiled(nested_comparisons), a, x)


@settings(max_examples=30)
@given(a=st.tuples(elements, elements), b=st.tuples(elements, elements))
def test_chained_tuple_comparison(a, b):
    c = (1, 0)
    assert_same(chained_comparison, compiled(chained_comparison), a, b, c)


@settings(max_examples=60)
@given(x=elements, t=short_tuples)
def test_membership_uses_equality(x, t):
    assert_same(membership, compiled(membership), x, t)


@settings(max_examples=40)
@given(t=short_tuples, u=short_tuples)
def test_concatenate_and_repeat(t, u):
    assert_same(concatenate_and_repeat, compiled(concatenate_and_repeat), t, u)


def test_augmented_concatenation():
    assert_same(augmented_concatenation, compiled(augmented_concatenation), (1, 2))


@settings(max_examples=30)
@given(t=homogeneous_tuples)
def test_constant_slices(t):
    assert_same(slices, compiled(slices), t)


def test_slices_of_a_heterogeneous_tuple():
    assert_same(slices, compiled(slices), (1, 2.5, True, 3, -1.0))


@given(t=homogeneous_tuples)
def test_loop_over_a_homogeneous_tuple(t):
    assert_same(loop_sum, compiled(loop_sum), t)
    assert_same(loop_with_enumerate_and_zip, compiled(loop_with_enumerate_and_zip), t)


def test_loop_over_a_tuple_of_arrays():
    a, b = np.arange(5.0), np.ones(3)
    assert compiled(loop_over_arrays)(a, b) == loop_over_arrays(a, b)
    assert compiled(loop_over_new_arrays)(4) == loop_over_new_arrays(4)


def test_loop_over_a_tuple_of_pairs():
    t = ((1, 2), (3, 4), (5, 6))
    assert_same(loop_over_tuples, compiled(loop_over_tuples), t)


def test_loop_over_an_empty_tuple():
    assert_same(loop_over_an_empty_tuple, compiled(loop_over_an_empty_tuple), 5)


def search(t, x):
    return t.count(x), t.index(x)


@settings(max_examples=60)
@given(t=short_tuples, x=elements)
def test_index_and_count_use_equality(t, x):
    assert_same(search, compiled(search), t, x)
