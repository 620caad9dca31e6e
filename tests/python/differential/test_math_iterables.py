"""math.prod, fsum, dist, hypot (any number of coordinates), isclose with its tolerance
keywords and lcm against CPython 3.11: bit for bit (fsum's exact rounding, dist's and
hypot's own vector_norm), with CPython's exceptions (fsum's overflow and inf - inf,
negative tolerances, points of different lengths)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import njit

from .oracle import assert_same, compiled, floats, small_ints

finite = st.floats(allow_nan=False, allow_infinity=False)
spread = st.builds(lambda m, e: math.ldexp(m, e), st.floats(-1, 1), st.integers(-1074, 1023))
values = floats | spread


def prod_of_tuple(a, b, c):
    return math.prod((a, b, c))


def prod_of_array(a):
    return math.prod(a)


def prod_with_start(a, start):
    return math.prod(a, start=start)


def fsum_of_array(a):
    return math.fsum(a)


def fsum_of_tuple(a, b, c, d):
    return math.fsum((a, b, c, d))


def dist(p, q):
    return math.dist(p, q)


def hypot(which, x, y, z):
    if which == 0:
        return math.hypot(x, y, z)
    if which == 1:
        return math.hypot(x, y)
    if which == 2:
        return math.hypot(x)
    return math.hypot()


def isclose(a, b, rel_tol, abs_tol):
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)


def isclose_abs_only(a, b, abs_tol):
    return math.isclose(a, b, abs_tol=abs_tol)


def lcm(which, a, b, c):
    if which == 0:
        return math.lcm(a, b, c)
    if which == 1:
        return math.lcm(a, b)
    if which == 2:
        return math.lcm(a)
    return math.lcm()


@given(a=values, b=values, c=values)
def test_prod_of_floats(a, b, c):
    assert_same(prod_of_tuple, compiled(prod_of_tuple), a, b, c)


@given(a=small_ints, b=small_ints, c=small_ints)
def test_prod_of_ints(a, b, c):
    assert_same(prod_of_tuple, compiled(prod_of_tuple), a, b, c)


@pytest.mark.parametrize(
    "array",
    [np.arange(1.0, 8.0), np.arange(1.0, 13.0)[::-3], np.zeros(0), np.array([2.5, -1.0, 3.0])],
)
def test_prod_of_arrays(array):
    assert compiled(prod_of_array)(array) == math.prod(array)
    got = compiled(prod_with_start)(array, 2.5)
    assert got == math.prod(array, start=2.5)


def test_prod_of_an_int_array_and_mixed_tuples():
    array = np.arange(1, 10, dtype=np.int64)
    assert compiled(prod_of_array)(array) == math.prod(array)
    assert_same(prod_of_tuple, compiled(prod_of_tuple), 2, 3.5, True)
    assert_same(prod_with_start, compiled(prod_with_start), (2, 3), 4)
    assert_same(prod_with_start, compiled(prod_with_start), (), 4.5)


@settings(max_examples=200)
@given(items=st.lists(values, max_size=40))
def test_fsum(items):
    array = np.array(items, dtype=np.float64)
    assert_same(fsum_of_array, compiled(fsum_of_array), array)


@settings(max_examples=200)
@given(items=st.lists(spread, min_size=1, max_size=200))
def test_fsum_many_partials(items):
    array = np.array(items, dtype=np.float64)
    assert_same(fsum_of_array, compiled(fsum_of_array), array)


@pytest.mark.parametrize(
    "items",
    [
        (1e308, 1e308, -1e308, 0.0),
        (math.inf, -math.inf, 1.0, 2.0),
        (math.inf, math.nan, 1.0, 0.0),
        (math.inf, 1e308, 1e308, 0.0),
        (1e-16, 1.0, 1e16, 0.0),
        (0.1, 0.2, 0.3, -0.6),
        (-0.0, -0.0, -0.0, -0.0),
        (1, 2, True, 0.5),
    ],
)
def test_fsum_edges(items):
    assert_same(fsum_of_tuple, compiled(fsum_of_tuple), *items)


def test_fsum_of_an_int_array():
    array = np.arange(10, dtype=np.int32)
    assert compiled(fsum_of_array)(array) == math.fsum(array)


@settings(max_examples=200)
@given(p=st.lists(values, min_size=3, max_size=3), q=st.lists(values, min_size=3, max_size=3))
def test_dist(p, q):
    assert_same(dist, compiled(dist), tuple(p), tuple(q))
    assert_same(dist, compiled(dist), np.array(p), np.array(q))


def test_dist_of_different_lengths():
    assert_same(dist, compiled(dist), np.ones(2), np.ones(3))


@settings(max_examples=300)
@given(which=st.integers(0, 3), x=values, y=values, z=values)
def test_hypot(which, x, y, z):
    assert_same(hypot, compiled(hypot), which, x, y, z)


def test_hypot_of_ints():
    assert_same(hypot, compiled(hypot), 0, 3, 4, 12)


@given(
    a=floats,
    b=floats,
    rel_tol=st.sampled_from([0.0, 1e-9, 1e-3, 0.5, -1e-9, math.inf, math.nan]),
    abs_tol=st.sampled_from([0.0, 1e-12, 1.0, -1.0, math.inf]),
)
def test_isclose_tolerances(a, b, rel_tol, abs_tol):
    assert_same(isclose, compiled(isclose), a, b, rel_tol, abs_tol)
    assert_same(isclose_abs_only, compiled(isclose_abs_only), a, b, abs_tol)


def test_isclose_of_ints():
    assert_same(isclose, compiled(isclose), 1, 2, 0, 1)


def test_isclose_tolerances_are_keyword_only():
    def positional_tolerance(a, b):
        return math.isclose(a, b, 0.1)

    with pytest.raises(Exception, match=r"positional|argument"):
        njit(positional_tolerance)(1.0, 1.05)


@given(which=st.integers(0, 3), a=small_ints, b=small_ints, c=small_ints)
def test_lcm(which, a, b, c):
    assert_same(lcm, compiled(lcm), which, a, b, c)


def test_lcm_refuses_floats():
    with pytest.raises(Exception, match="integer"):
        njit(lcm)(1, 2.0, 3, 4)
