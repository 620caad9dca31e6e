"""Writing into arrays against NumPy: slice assignment from arrays (broadcast), scalars and
fused expressions, rows and columns of 2-D arrays, in-place operators on arrays and views,
NumPy's casting on store, overlapping source and destination, and NumPy's errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import TypingError, njit


def set_inner(u):
    u[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return u


def set_tail(a, x):
    a[1:] = x
    return a


def set_row(u, v):
    u[0] = v
    return u


def set_column(a, j, v):
    a[:, j] = v
    return a


def set_all(a, v):
    a[:] = v
    return a


def shift_right(a):
    a[1:] = a[:-1]
    return a


def shift_left(a):
    a[:-1] = a[1:]
    return a


def accumulate_shifted(a):
    a[1:] += a[:-1]
    return a


def add_first_row(a):
    a += a[0]
    return a


def reverse_in_place(a):
    a[:] = a[::-1]
    return a


def scale(c, beta):
    c *= beta
    return c


def update_row(a, i, v):
    a[i, 1:-1] += v
    return a


def in_place_ops(a, b):
    a += b
    a -= 1
    a *= 2
    return a


def in_place_name_is_same_buffer(a):
    b = a
    b += 1
    return a


def two_targets(a, b, v):
    a[1:] = b[:2] = v
    return a, b


COMPILED = {
    f: njit(f)
    for f in [
        set_inner,
        set_tail,
        set_row,
        set_column,
        set_all,
        shift_right,
        shift_left,
        accumulate_shifted,
        add_first_row,
        reverse_in_place,
        scale,
        update_row,
        in_place_ops,
        in_place_name_is_same_buffer,
        two_targets,
    ]
}


def check(f, *args):
    """f on copies under NumPy and compiled: same result (or the same exception)."""
    expected_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    got_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        with np.errstate(all="ignore"):
            expected = f(*expected_args)
    except (ValueError, TypeError) as err:
        with pytest.raises(type(err)) as info:
            COMPILED[f](*got_args)
        assert str(info.value) == str(err)
        return
    got = COMPILED[f](*got_args)
    for e, g in zip(expected_args, got_args, strict=False):
        if isinstance(e, np.ndarray):
            assert g.dtype == e.dtype and np.array_equal(g, e, equal_nan=True), (e, g)
    if isinstance(expected, np.ndarray):
        assert np.array_equal(got, expected, equal_nan=True)


LAYOUTS = {
    "C": lambda a: a,
    "F": lambda a: np.asfortranarray(a),
    "strided": lambda a: np.repeat(np.repeat(a, 2, 0), 2, 1)[::2, ::2],
    "negative": lambda a: a[::-1, ::-1].copy()[::-1, ::-1],
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_stencil_slice_assignment(layout, dtype):
    u = LAYOUTS[layout](np.arange(30, dtype=dtype).reshape(5, 6) ** 2 % 7)
    expected = set_inner(u.copy())
    got = COMPILED[set_inner](u.copy())
    assert np.array_equal(got, expected)


@given(n=st.integers(0, 6), value=st.sampled_from([0.0, -1.5, 7, True, np.nan]))
@settings(max_examples=25)
def test_scalar_into_tail(n, value):
    for dtype in (np.float64, np.int64, np.int8, np.bool_, np.complex128):
        check(set_tail, np.arange(n).astype(dtype), value)


@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.uint8, np.bool_, np.complex128])
def test_array_into_tail_casts_and_broadcasts(dtype):
    a = np.arange(5).astype(dtype)
    for source in (np.linspace(-3, 300, 4), np.arange(4, dtype=np.int64) * 100, np.ones(1),
                   np.ones(3), np.ones((1, 4)), np.ones((2, 4))):  # fmt: skip
        if np.dtype(dtype).kind != "c" or source.dtype.kind != "c":
            check(set_tail, a, source.astype(np.float64) if dtype == np.complex128 else source)


def test_rows_and_columns():
    u = np.zeros((3, 4))
    check(set_row, u, 1)
    check(set_row, u, np.arange(4.0))
    check(set_row, u, np.arange(3.0))  # the error
    check(set_column, u, 2, np.arange(3.0))
    check(set_column, u, -1, 5)
    check(set_column, np.zeros((3, 4), np.int32), 0, np.array([1.9, -2.9, 3.5]))
    check(set_all, np.zeros((2, 3)), np.arange(3))
    check(set_all, np.zeros((2, 3)), np.arange(4.0))
    check(set_all, np.zeros(0), np.zeros(0))


def test_nan_into_integer_array_raises_as_numpy():
    check(set_all, np.zeros(3, np.int64), np.nan)


@pytest.mark.parametrize(
    "f", [shift_right, shift_left, accumulate_shifted, reverse_in_place], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("dtype", [np.float64, np.int8, np.complex128])
def test_overlapping_source_and_destination(f, dtype):
    a = (np.arange(9) * 3).astype(dtype)
    check(f, a)
    check(f, a[::-1].copy()[::-2])


def test_broadcast_row_overlapping_destination():
    check(add_first_row, np.arange(12.0).reshape(3, 4))


def test_in_place_operators():
    check(scale, np.arange(12.0).reshape(3, 4), 0.5)
    check(scale, np.arange(12.0).reshape(3, 4).T, 2)
    check(scale, np.arange(6, dtype=np.float32), 3.0)  # stays float32
    check(update_row, np.zeros((3, 5)), 1, np.arange(3.0))
    check(update_row, np.zeros((3, 5)), -1, 2.0)
    check(update_row, np.zeros((3, 5)), 0, np.arange(4.0))  # the error
    check(in_place_ops, np.arange(6, dtype=np.int8) * 40, np.int8(100))  # wraps as int8
    check(in_place_ops, np.arange(6.0).reshape(2, 3), np.arange(3.0))
    check(in_place_ops, np.arange(6.0).reshape(2, 3), np.arange(2.0).reshape(2, 1))
    check(in_place_name_is_same_buffer, np.arange(4))


def test_multiple_targets():
    check(two_targets, np.zeros(3), np.zeros(4), 2.0)


def test_in_place_casting_refused_as_numpy():
    with pytest.raises(TypingError):
        COMPILED[scale](np.arange(4), 0.5)  # float64 into int64: 'same_kind' refuses


def test_store_into_readonly_array_refused():
    a = np.zeros(3)
    a.flags.writeable = False
    with pytest.raises(TypingError):
        COMPILED[set_tail](a, 1.0)
    with pytest.raises(TypingError):
        COMPILED[scale](a, 2.0)
