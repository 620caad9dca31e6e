"""Boolean-mask and integer-array indexing against NumPy: `a[mask]`, `a[a > x]`, `a[m] = v`,
`a[idx]`, `a[idx, :]`, `a[:, idx]`, `a[i, idx]`, `a[idx, j]`, their stores, and `x in a`,
over dtypes and memory layouts, with empty arrays, all-False masks, repeated and negative
indices, and NumPy's IndexError and ValueError."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import TypingError, njit

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_]


def get_at(a, index):
    return a[index]


def get_greater(a, x):
    return a[a > x]


def get_rows(a, index):
    return a[index, :]


def get_columns(a, index):
    return a[:, index]


def get_in_row(a, i, index):
    return a[i, index]


def get_in_column(a, index, j):
    return a[index, j]


def set_at(a, index, value):
    a[index] = value
    return a


def clamp_negative(a):
    a[a < 0] = 0
    return a


def set_rows(a, index, value):
    a[index, :] = value
    return a


def set_columns(a, index, value):
    a[:, index] = value
    return a


def set_in_row(a, i, index, value):
    a[i, index] = value
    return a


def permute_in_place(a, index):
    a[index] = a  # the values are the array written: read before any write, as NumPy
    return a


def own_mask(a, values):
    a[a[::-1]] = values  # a bool array masked by itself reversed: positions before stores
    return a


def own_mask_2d(a, values):
    a[a] = values
    return a


def contains(a, x):
    return x in a, x not in a


COMPILED = {
    f: njit(f)
    for f in (
        get_at,
        get_greater,
        get_rows,
        get_columns,
        get_in_row,
        get_in_column,
        set_at,
        clamp_negative,
        set_rows,
        set_columns,
        set_in_row,
        contains,
        permute_in_place,
        own_mask,
        own_mask_2d,
    )
}


def outcome(function, *args):
    """The result (arrays copied) or the exception's type and message."""
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        return "value", function(*args)
    except Exception as error:
        return "raise", (type(error), str(error))


def agree(function, *args, layouts_of=None):
    expected = outcome(function, *args)
    got = outcome(COMPILED[function], *args)
    assert got[0] == expected[0], (got, expected)
    if expected[0] == "raise":
        assert got[1] == expected[1]
        return
    want, have = expected[1], got[1]
    if isinstance(want, tuple):
        assert want == have
        return
    assert isinstance(have, np.ndarray)
    assert have.dtype == want.dtype and have.shape == want.shape
    np.testing.assert_array_equal(have, want)


def values_of(dtype, shape, rng):
    return (
        rng.integers(-5, 6, size=shape) if dtype != np.uint8 else rng.integers(0, 9, size=shape)
    ).astype(dtype)


def layouts(a):
    """The same values as C-order, Fortran-order, strided and reversed (negative stride)."""
    wide = np.repeat(a, 2, axis=-1)[..., ::2] if a.size else a.copy()
    return {
        "C": np.ascontiguousarray(a),
        "F": np.asfortranarray(a),
        "strided": wide,
        "reversed": np.ascontiguousarray(a[::-1])[::-1],
    }


@pytest.mark.parametrize("dtype", DTYPES)
def test_masks_over_dtypes(dtype):
    rng = np.random.default_rng(1)
    for shape in [(7,), (0,), (3, 4), (0, 3)]:
        a = values_of(dtype, shape, rng)
        for mask in [
            a > a.flat[0] if a.size else np.zeros(shape, bool),
            np.zeros(shape, bool),
            np.ones(shape, bool),
        ]:
            agree(get_at, a, mask)
            agree(set_at, a, mask, dtype(1))
            agree(set_at, a, mask, 3)
            count = int(mask.sum())
            agree(set_at, a, mask, np.arange(count).astype(dtype))
            agree(set_at, a, mask, np.ones(1, dtype))
        if dtype not in (np.uint8, np.bool_):
            agree(clamp_negative, a)
        agree(get_greater, a, 2)


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
def test_masks_and_indices_over_layouts(layout):
    rng = np.random.default_rng(2)
    for dtype in (np.float64, np.int32):
        matrix = layouts(values_of(dtype, (4, 5), rng))[layout]
        vector = layouts(values_of(dtype, (6,), rng))[layout]
        agree(get_at, matrix, matrix > 0)
        agree(get_at, matrix, layouts(matrix > 0)[layout])
        agree(set_at, matrix, matrix > 0, 7)
        agree(clamp_negative, matrix)
        agree(get_greater, vector, 0)
        rows = np.array([3, 0, -1, 3])
        agree(get_at, matrix, rows)
        agree(get_rows, matrix, rows)
        agree(get_columns, matrix, rows)
        agree(get_in_row, matrix, 1, rows)
        agree(get_in_row, matrix, -2, rows)
        agree(get_in_column, matrix, rows, 4)
        agree(get_at, vector, layouts(np.array([5, -6, 0, 0]))[layout])
        agree(set_at, vector, np.array([1, 1, -1]), np.array([4, 5, 6], dtype))
        agree(set_rows, matrix, rows, np.arange(5, dtype=dtype))
        agree(set_rows, matrix, rows, np.arange(20, dtype=dtype).reshape(4, 5))
        agree(set_columns, matrix, rows, -3)
        agree(set_columns, matrix, rows, np.arange(16, dtype=dtype).reshape(4, 4))
        agree(set_in_row, matrix, 2, rows, np.arange(4, dtype=dtype))
        agree(set_at, matrix, rows, 9)
        agree(get_at, matrix, layouts(np.array([True, False, True, True]))[layout])
        agree(get_columns, matrix, np.array([True, False, True, True, False]))
        agree(set_columns, matrix, np.array([False, False, True, True, False]), 1.5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_integer_index_over_dtypes(dtype):
    rng = np.random.default_rng(3)
    a = values_of(dtype, (5,), rng)
    for index in [
        np.array([0, 4, -1, -5, 2]),
        np.array([], np.int64),
        np.array([2, 2, 2]),
        np.array([1, 3], np.int32),
        np.array([4, 0], np.uint8),
    ]:
        agree(get_at, a, index)
        agree(set_at, a, index, dtype(1))
        agree(set_at, a, index, np.arange(len(index)).astype(dtype))
        agree(set_at, a, index, np.full(1, 7, dtype))
    agree(permute_in_place, a, np.array([1, 2, 0, 4, 3]))
    flags = np.array([True, False, False, True, True, False])
    agree(own_mask, flags, np.array([False, False, True]))
    agree(own_mask, flags, np.array([False]))
    agree(own_mask_2d, flags.reshape(2, 3), np.array([False, True, False]))
    # repeated indices: the last write wins, as NumPy
    agree(set_at, a, np.array([1, 1, 1]), np.array([3, 4, 5], dtype))
    for x in (0, 3, 100):
        agree(contains, a, dtype(x))
    agree(contains, values_of(dtype, (3, 4), rng), dtype(2))
    agree(contains, np.zeros(0, dtype), dtype(0))


def test_numpy_errors():
    a = np.arange(3.0)
    m = np.arange(12.0).reshape(3, 4)
    agree(get_at, a, np.ones(4, bool))  # boolean index did not match ... axis 0
    agree(get_at, m, np.ones((3, 3), bool))  # ... along axis 1
    agree(get_at, m, np.ones(2, bool))
    agree(get_columns, m, np.ones(5, bool))
    agree(set_at, a, np.ones(2, bool), 1.0)
    agree(get_at, a, np.array([5]))  # index 5 is out of bounds for axis 0 with size 3
    agree(get_at, a, np.array([-4]))
    agree(get_at, np.zeros(0), np.array([0]))
    agree(get_columns, m, np.array([4]))
    agree(get_in_row, m, 3, np.array([0]))
    agree(get_in_column, m, np.array([0]), -5)
    agree(set_at, a, np.array([0, 3]), 1.0)
    ints = np.arange(3)
    agree(set_at, ints, np.zeros(3, bool), np.nan)  # converted first: raises, as NumPy
    agree(set_at, ints, np.array([], np.int64), np.nan)
    agree(set_at, ints, np.ones(4, bool), np.nan)  # the index is checked before the value
    agree(get_at, a, np.array([2, 2**64 - 1], np.uint64))
    agree(get_at, a, np.array([2, 1], np.uint64))
    agree(set_at, a, np.array([True, False, True]), np.ones(3))  # cannot assign 3 ... to 2
    agree(set_at, a, np.array([0, 1]), np.ones(3))  # shape mismatch
    agree(set_rows, m, np.array([0, 1]), np.ones(3))
    agree(set_columns, m, np.array([0, 1]), np.ones((2, 2)))


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.integers(-3, 3), max_size=12),
    picks=st.lists(st.integers(-14, 14), max_size=6),
    threshold=st.integers(-3, 3),
)
def test_generated(values, picks, threshold):
    a = np.array(values, np.int64)
    agree(get_greater, a, threshold)
    agree(get_at, a, np.array(picks, np.int64))
    agree(set_at, a, np.array(picks, np.int64), -1)
    agree(set_at, a, a > threshold, np.arange(int((a > threshold).sum()), dtype=np.int64))
    agree(contains, a, threshold)


def test_store_into_readonly_array_is_a_typing_error():
    a = np.zeros(3)
    a.flags.writeable = False
    with pytest.raises(TypingError, match="N0233"):
        njit(set_at)(a, np.array([0]), 1.0)


def test_unsupported_indices_are_typing_errors():
    def strided_slice_next_to_index(a, i):
        return a[::2, i]

    def new_axis_next_to_index(a, i):
        return a[None, i]

    index = np.array([0, 1])
    for function, args in [
        (strided_slice_next_to_index, (np.zeros((2, 2)), index)),
        (new_axis_next_to_index, (np.zeros((2, 2)), index)),
    ]:
        with pytest.raises(TypingError):
            njit(function)(*args)


def test_an_error_in_an_index_is_reported_once():
    def get_undefined(a):
        return a[undefined_name > 0]  # noqa: F821

    def set_undefined(a):
        a[undefined_name] = 1  # noqa: F821

    for function in (get_undefined, set_undefined):
        with pytest.raises(TypingError) as caught:
            njit(function)(np.zeros(3))
        assert str(caught.value).count("error[") == 1
