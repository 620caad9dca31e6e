"""Slices, np.arange and index types at the edges of int64 and float64, against NumPy: slice
lengths for bounds and steps near +-2**63, arange lengths for NaN, infinite and huge
arguments, and indices of every integer type (bool scalars are refused by name)."""

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from nogil import TypingError, njit

from .oracle import INT64_MAX, INT64_MIN

EXTREMES = [INT64_MIN, INT64_MIN + 1, -(2**62), -7, -1, 0, 1, 2, 7, 2**62, INT64_MAX - 1, INT64_MAX]
bounds = st.sampled_from(EXTREMES) | st.integers(-10, 10) | st.integers(INT64_MIN, INT64_MAX)
steps = bounds.filter(bool)


def slice_full(a, lo, hi, step):
    return a[lo:hi:step]


def slice_step(a, step):
    return a[::step]


def slice_start(a, lo, step):
    return a[lo::step]


def slice_stop(a, hi, step):
    return a[:hi:step]


def slice_2d(a, lo, hi, step):
    return a[lo:hi:step, ::step]


SLICES = {f: njit(f) for f in (slice_full, slice_step, slice_start, slice_stop, slice_2d)}


def assert_same_view(expected, got):
    assert isinstance(got, np.ndarray)
    assert got.shape == expected.shape and got.tolist() == expected.tolist(), (expected, got)


@given(n=st.integers(0, 9), lo=bounds, hi=bounds, step=steps)
@example(n=5, lo=0, hi=5, step=INT64_MAX)
@example(n=5, lo=INT64_MIN, hi=INT64_MAX, step=INT64_MIN)
@example(n=5, lo=INT64_MAX, hi=INT64_MIN, step=-1)
@example(n=5, lo=-1, hi=INT64_MIN, step=INT64_MIN)
def test_slices_near_int64_limits_match_numpy(n, lo, hi, step):
    a = np.arange(n)
    grid = np.arange(n * n).reshape(n, n)
    assert_same_view(a[lo:hi:step], SLICES[slice_full](a, lo, hi, step))
    assert_same_view(a[::step], SLICES[slice_step](a, step))
    assert_same_view(a[lo::step], SLICES[slice_start](a, lo, step))
    assert_same_view(a[:hi:step], SLICES[slice_stop](a, hi, step))
    assert_same_view(grid[lo:hi:step, ::step], SLICES[slice_2d](grid, lo, hi, step))


def from_bound(a, i):
    return a[i:]


def to_bound(a, i):
    return a[:i]


@pytest.mark.parametrize("bound", [np.uint64(2**64 - 1), np.uint64(2**63), np.uint64(3), True])
def test_uint64_and_bool_slice_bounds_are_python_ints(bound):
    a = np.arange(5)
    assert_same_view(a[bound:], njit(from_bound)(a, bound))
    assert_same_view(a[:bound], njit(to_bound)(a, bound))
    assert_same_view(a[::bound], SLICES[slice_step](a, bound))


def arange3(start, stop, step):
    return np.arange(start, stop, step)


def arange1(stop):
    return np.arange(stop)


ARANGE3 = njit(arange3)
ARANGE1 = njit(arange1)
NAN = float("nan")
INF = float("inf")
FLOAT_EDGES = [
    NAN,
    INF,
    -INF,
    0.0,
    -0.0,
    1.0,
    -1.0,
    2.5,
    1e-300,
    1e300,
    2.0**63,
    -(2.0**63),
    5e-324,
]


def outcome(function, *args):
    try:
        return "value", function(*args)
    except Exception as err:
        return type(err).__name__, str(err)


def fills_memory(start, stop, step):
    """Whether np.arange would allocate and fill more than a test should (gigabytes), yet
    not so much that both refuse at once."""
    try:
        count = abs((stop - start) / step)
    except (ZeroDivisionError, OverflowError):
        return False
    return 1e6 < count < 1e13


def assert_same_arange(*args):
    expected = outcome(np.arange, *args)
    got = outcome(ARANGE3 if len(args) == 3 else ARANGE1, *args)
    if expected[0] == "value" and got[0] == "value":
        assert got[1].dtype == expected[1].dtype
        assert np.array_equal(got[1], expected[1], equal_nan=True), (args, expected, got)
    elif expected[0] == "MemoryError":
        # The message quotes the length, which NumPy 2.5 computes exactly for int64 bounds
        # past 2**53 where 2.4 (and nogil) round through float64; nothing is allocated.
        assert got[0] == expected[0], (args, expected, got)
    else:
        assert got == expected, args


@given(
    start=st.sampled_from(FLOAT_EDGES) | st.floats(),
    stop=st.sampled_from(FLOAT_EDGES) | st.floats(),
    step=st.sampled_from(FLOAT_EDGES) | st.floats(),
)
def test_float_arange_lengths_and_errors_match_numpy(start, stop, step):
    assume(not fills_memory(start, stop, step))
    assert_same_arange(start, stop, step)


@given(start=bounds, stop=bounds, step=bounds)
@example(start=INT64_MIN, stop=INT64_MAX, step=2**62)
@example(start=INT64_MAX, stop=INT64_MIN, step=-(2**62))
@example(start=INT64_MIN, stop=INT64_MAX, step=1)
@example(start=0, stop=5, step=0)
def test_int_arange_lengths_and_errors_match_numpy(start, stop, step):
    assume(not fills_memory(start, stop, step))
    assert_same_arange(start, stop, step)


@pytest.mark.parametrize("stop", [NAN, INF, -INF, 2.0**63, 2.0**62, 1e19, 5.0])
def test_arange_of_one_bound_matches_numpy(stop):
    assert_same_arange(stop)


def element(a, i):
    return a[i]


ELEMENT = njit(element)


INDICES = [np.int8(-1), np.uint8(200), np.uint8(2), np.int16(-3), np.uint16(1), np.int32(-4)]
INDICES += [
    np.uint32(2**32 - 1),
    np.uint64(2),
    np.uint64(3),
    np.uint64(2**63),
    np.uint64(2**64 - 1),
]


@pytest.mark.parametrize("index", INDICES, ids=repr)
def test_indices_of_every_integer_type_match_numpy(index):
    a = np.arange(3.0)
    assert outcome(ELEMENT, a, index) == outcome(element, a, index)


@pytest.mark.parametrize("flag", [True, False])
def test_a_bool_scalar_index_is_refused_by_name(flag):
    with pytest.raises(TypingError, match="indexing an array with a bool"):
        ELEMENT(np.arange(3.0), flag)
