"""Tuples: built, indexed, unpacked, passed in and returned (boxed to Python tuples), with
divmod and len, compared with CPython."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit

from .oracle import assert_same, bools, compiled, floats, small_ints, wide_ints


def build_and_index(a, b):
    t = (a, b, a + b)
    return t[0] * 100 + t[1] * 10 + t[-1]


def unpack_value(a, b):
    t = (a, b)
    x, y = t
    return y - x


def return_pair(a, b):
    return a + b, a - b


def return_nested(a, x):
    return (a, (x, a > 0)), len((a, x))


def take_tuple(t):
    first, second = t
    return first * 2 + second


def index_at_run_time(t, i):
    return t[i]


def divmod_pair(a, b):
    return divmod(a, b)


def tuple_truth(a):
    t = (a,)
    if t:
        return 1
    return 0


def swap(t):
    a, b = t
    return b, a


def make_swapper(decorate):
    inner = decorate(swap)

    @decorate
    def outer(x, y):
        return inner((x, y))

    return outer


@given(a=wide_ints, b=small_ints)
def test_build_and_index(a, b):
    assert_same(build_and_index, compiled(build_and_index), a % 1000, b)


@given(a=wide_ints | floats, b=wide_ints | floats)
def test_unpack_a_tuple_value(a, b):
    if isinstance(a, int) and isinstance(b, int):
        a, b = a // 4, b // 4
    assert_same(unpack_value, compiled(unpack_value), a, b)


@given(a=small_ints, b=small_ints | floats)
def test_return_a_pair(a, b):
    assert_same(return_pair, compiled(return_pair), a, b)


@given(a=small_ints, x=floats)
def test_return_nested_tuples_and_len(a, x):
    assert_same(return_nested, compiled(return_nested), a, x)


@given(t=st.tuples(small_ints, small_ints | bools))
def test_tuple_argument(t):
    assert_same(take_tuple, compiled(take_tuple), t)


@given(t=st.tuples(small_ints, small_ints, small_ints), i=st.integers(-4, 4))
def test_index_a_homogeneous_tuple_at_run_time(t, i):
    assert_same(index_at_run_time, compiled(index_at_run_time), t, i)


@given(a=wide_ints | floats, b=wide_ints | floats | st.sampled_from([0, 0.0, -1]))
def test_divmod(a, b):
    assert_same(divmod_pair, compiled(divmod_pair), a, b)


@pytest.mark.parametrize("a", [0, 1])
def test_a_non_empty_tuple_is_true(a):
    assert_same(tuple_truth, compiled(tuple_truth), a)


@given(x=small_ints, y=floats)
def test_tuples_between_compiled_functions(x, y):
    plain, fast = make_swapper(lambda f: f), make_swapper(njit)
    assert_same(plain, fast, x, y)


def test_each_tuple_shape_is_its_own_specialization():
    cfunc = njit(take_tuple)
    assert cfunc((1, 2)) == 4
    assert cfunc((1.5, True)) == 4.0
    assert cfunc.signatures == [("tuple[int64, int64]",), ("tuple[float64, bool]",)]
