"""Arrays created in compiled code: np.empty/zeros/ones/full and their *_like forms,
np.arange and copy, against NumPy; arrays returned to Python (new ones and views of
arguments) are NumPy arrays over the same memory; memory is freed on every way out."""

import gc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit

from .test_arrays import arrays


def constructors(n, m, value):
    return (
        np.zeros(n),
        np.ones((n, m), dtype=np.int32),
        np.full(n, value),
        np.full((m, n), value, dtype=np.float32),
        np.zeros((n, m, 2), dtype=np.uint8),
    )


def like(a, value):
    return np.zeros_like(a), np.ones_like(a), np.full_like(a, value), a.copy(), np.copy(a)


def arange(start, stop, step):
    return np.arange(start, stop, step)


def arange_stop(stop):
    return np.arange(stop)


def first_and_rest(a):
    return a[0], a[1:]


def fill_squares(n):
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        out[i] = i * i
    return out


def allocate_then_fail(n):
    scratch = np.zeros(n)
    scratch[0] = 1.0
    return scratch[n]


CONSTRUCTORS = njit(constructors)
LIKE = njit(like)
ARANGE = njit(arange)
ARANGE_STOP = njit(arange_stop)
FIRST_AND_REST = njit(first_and_rest)
FILL_SQUARES = njit(fill_squares)
ALLOCATE_THEN_FAIL = njit(allocate_then_fail)


def assert_same_array(expected, got):
    assert isinstance(got, np.ndarray), got
    assert got.dtype == expected.dtype and got.shape == expected.shape, (expected, got)
    assert np.array_equal(got, expected, equal_nan=True), (expected, got)


@given(n=st.integers(0, 6), m=st.integers(0, 4), value=st.integers(-5, 5) | st.floats(-1, 1))
def test_constructors_match_numpy(n, m, value):
    for expected, got in zip(constructors(n, m, value), CONSTRUCTORS(n, m, value), strict=True):
        assert_same_array(expected, got)


@given(a=arrays(), value=st.integers(0, 1))
def test_like_constructors_and_copies_keep_numpys_order(a, value):
    with np.errstate(all="ignore"):
        expected = like(a, value)
    for e, g in zip(expected, LIKE(a, value), strict=True):
        assert_same_array(e, g)
        assert g.flags.c_contiguous == e.flags.c_contiguous
        assert g.flags.f_contiguous == e.flags.f_contiguous


@given(start=st.integers(-20, 20), stop=st.integers(-20, 20), step=st.integers(-5, 5).filter(bool))
def test_integer_arange(start, stop, step):
    assert_same_array(np.arange(start, stop, step), ARANGE(start, stop, step))


@given(
    start=st.floats(-10, 10),
    stop=st.floats(-10, 10),
    step=st.floats(0.1, 3) | st.floats(-3, -0.1),
)
def test_float_arange_has_numpys_values(start, stop, step):
    assert_same_array(np.arange(start, stop, step), ARANGE(start, stop, step))


def test_arange_edge_cases():
    assert_same_array(np.arange(5), ARANGE_STOP(5))
    assert_same_array(np.arange(0), ARANGE_STOP(0))
    with pytest.raises(ZeroDivisionError):
        ARANGE(0, 5, 0)


def test_negative_dimensions_are_a_value_error():
    with pytest.raises(ValueError, match="negative dimensions are not allowed"):
        CONSTRUCTORS(-1, 2, 0.5)


def test_a_returned_view_keeps_its_argument_alive():
    a = np.arange(5.0)
    first, rest = FIRST_AND_REST(a)
    rest[0] = 100.0  # a view: writes through to the argument
    assert a[1] == 100.0 and first == 0.0
    del a
    gc.collect()
    assert rest.tolist() == [100.0, 2.0, 3.0, 4.0]


def test_new_arrays_own_their_memory_and_are_writable():
    out = FILL_SQUARES(5)
    assert out.tolist() == [0, 1, 4, 9, 16] and out.flags.writeable
    out[0] = -1
    assert out.base is not None


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def test_allocating_and_returning_many_times_does_not_grow_the_process():
    FILL_SQUARES(10_000)
    before = resident_bytes()
    for _ in range(100_000):
        FILL_SQUARES(1000)
    # 10^5 arrays of 8 kB would be 800 MB if any leaked.
    assert resident_bytes() - before < 50_000_000


def test_memory_allocated_before_an_exception_is_freed():
    with pytest.raises(IndexError):
        ALLOCATE_THEN_FAIL(100)
    before = resident_bytes()
    for _ in range(20_000):
        with pytest.raises(IndexError):
            ALLOCATE_THEN_FAIL(10_000)
    # 20,000 leaked arrays of 80 kB would be 1.6 GB.
    assert resident_bytes() - before < 50_000_000


def same_array_twice(n):
    a = np.arange(n)
    return a, a, a[1:]


def test_one_new_array_returned_several_times_is_shared_and_freed_once():
    cfunc = njit(same_array_twice)
    for _ in range(1000):
        first, second, tail = cfunc(5)
    first[1] = 100
    assert second[1] == 100 and tail[0] == 100
    del first, second
    gc.collect()
    assert tail.tolist() == [100, 2, 3, 4]


def positional_dtypes(n, value, a):
    return (
        np.zeros(n, np.int32),
        np.empty(n, np.float32).shape,
        np.ones((n, 2), np.uint8),
        np.full(n, value, np.float32),
        np.zeros_like(a, np.int16),
        np.full_like(a, value, np.int64),
        np.arange(1, n, 2, np.int8),
    )


def test_dtype_given_by_position_is_the_dtype_keyword():
    a = np.arange(6.0).reshape(2, 3)
    got = njit(positional_dtypes)(5, 3.0, a)
    expected = positional_dtypes(5, 3.0, a)
    for g, e in zip(got, expected, strict=True):
        if isinstance(e, np.ndarray):
            assert g.dtype == e.dtype and g.shape == e.shape
            np.testing.assert_array_equal(g, e)
        else:
            assert g == e
