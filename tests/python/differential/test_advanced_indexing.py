"""NumPy's advanced indexing in general against NumPy: several index arrays broadcast together
(`a[i, j]`), n-d index arrays (`v[idx2d]`), adjacent and separated index arrays on 3-d and
4-d arrays (`x[:, i, j, :]`, `x[:, i, :, j]`), ints and `...` next to them, k-d masks, get,
set and augmented set (`a[idx] += v`, repeated indices added once); `a.flat` (iteration,
get and set on any layout); `np.lib.stride_tricks.as_strided` and `sliding_window_view`.
Every dtype of index, C/F/strided/reversed arrays, empty shapes, and NumPy's IndexError and
ValueError with their messages."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from nogil import TypingError, njit

INDEX_DTYPES = [np.int64, np.int32, np.int16, np.int8, np.uint8, np.uint16, np.uint32, np.uint64]
# complex128 waits for element stores of complex numbers in the core (N0236 today).
VALUE_DTYPES = [np.float64, np.float32, np.int32, np.int64, np.uint8, np.bool_]


def pair(a, i, j):
    return a[i, j]


def adjacent(x, i, j):
    return x[:, i, j, :]


def separated(x, i, j):
    return x[:, i, :, j]


def int_then_array(x, i):
    return x[0, :, i]  # the int and the array are separated: broadcast dimension first


def ellipsis_last(x, i):
    return x[..., i]


def on_axis(x, i):
    return x[:, :, i]


def one(v, i):
    return v[i]


def set_pair(a, i, j, value):
    a[i, j] = value
    return a


def set_separated(x, i, j, value):
    x[:, i, :, j] = value
    return x


def set_one(v, i, value):
    v[i] = value
    return v


def add_at(a, i, value):
    a[i] += value
    return a


def sub_pair(a, i, j):
    a[i, j] -= 1
    return a


def mul_mask(a, m, value):
    a[m] *= value
    return a


def add_columns(a, i, value):
    a[:, i] += value
    return a


def flat_sum(a):
    out = np.empty(a.size, a.dtype)
    for k, e in enumerate(a.flat):
        out[k] = e
    return out


def flat_get(a, k):
    return a.flat[k]


def flat_set(a, k, value):
    a.flat[k] = value
    return a


def flat_add(a, k, value):
    a.flat[k] += value
    return a


def flat_len(a):
    return len(a.flat)


def strided(x, shape, strides):
    return as_strided(x, shape, strides)


def strided_keywords(x, shape, strides):
    return np.lib.stride_tricks.as_strided(x, shape=shape, strides=strides)


def strided_shape_only(x, shape):
    return as_strided(x, shape=shape)


def windows(x, w):
    return sliding_window_view(x, w)


def window_sums(x, w):
    v = sliding_window_view(x, w)
    out = np.empty(v.shape[0])
    for k in range(v.shape[0]):
        out[k] = v[k].sum()
    return out


FUNCTIONS = (
    pair,
    adjacent,
    separated,
    int_then_array,
    ellipsis_last,
    on_axis,
    one,
    set_pair,
    set_separated,
    set_one,
    add_at,
    sub_pair,
    mul_mask,
    add_columns,
    flat_sum,
    flat_get,
    flat_set,
    flat_add,
    flat_len,
    strided,
    strided_keywords,
    strided_shape_only,
    windows,
    window_sums,
)
COMPILED = {f: njit(f) for f in FUNCTIONS}


def outcome(function, *args):
    """The result or the exception's type and message."""
    try:
        return "value", function(*args)
    except Exception as error:
        return "raise", (type(error), str(error))


def agree(function, *args):
    """NumPy runs on copies (its results do not depend on the layout); the compiled function
    on the arrays given, in their layouts, which it may change as NumPy changed the copies."""
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    expected = outcome(function, *copies)
    got = outcome(COMPILED[function], *args)
    assert got[0] == expected[0], (got, expected)
    if expected[0] == "raise":
        assert got[1][0] is expected[1][0] or issubclass(got[1][0], expected[1][0]), got
        assert got[1][1] == expected[1][1]
        return
    want, have = np.asarray(expected[1]), np.asarray(got[1])
    assert have.dtype == want.dtype and have.shape == want.shape, (have, want)
    np.testing.assert_array_equal(have, want)


def layouts(a):
    """The same values C-ordered, Fortran-ordered, strided and reversed on every axis."""
    wide = np.repeat(a, 2, axis=-1)[..., ::2] if a.size else a.copy()
    reversed_ = np.ascontiguousarray(a[(slice(None, None, -1),) * a.ndim])
    return {
        "C": np.ascontiguousarray(a),
        "F": np.asfortranarray(a),
        "strided": wide,
        "reversed": reversed_[(slice(None, None, -1),) * a.ndim],
    }


def values(dtype, shape, rng):
    data = rng.integers(0, 9, size=shape)
    if dtype == np.complex128:
        return (data + 1j * rng.integers(-3, 4, size=shape)).astype(dtype)
    return data.astype(dtype)


@settings(max_examples=10, deadline=None)
@given(
    st.integers(0, 2**31),
    st.sampled_from(INDEX_DTYPES),
    st.sampled_from(VALUE_DTYPES),
    st.sampled_from(["C", "F", "strided", "reversed"]),
)
def test_index_arrays_broadcast_and_place_as_numpy(seed, index_dtype, dtype, layout):
    rng = np.random.default_rng(seed)
    shape = tuple(int(n) for n in rng.integers(0, 4, size=4))
    x = layouts(values(dtype, shape, rng))[layout]
    signed = np.issubdtype(index_dtype, np.signedinteger)

    def index(size, dims):
        low = -size if signed else 0
        high = max(size, 1) + (1 if rng.random() < 0.1 else 0)  # now and then out of range
        return rng.integers(low, high, size=dims).astype(index_dtype)

    i = index(shape[1], rng.integers(0, 3, size=int(rng.integers(1, 3))))
    j = index(shape[2], i.shape[-1:] if rng.random() < 0.8 else (1,))
    agree(adjacent, x, i, j)
    j3 = index(shape[3], i.shape if rng.random() < 0.8 else (2, 5))
    agree(separated, x, i, j3)
    agree(int_then_array, x, index(shape[2], i.shape))
    agree(ellipsis_last, x, index(shape[3], i.shape))
    three = x[..., 0] if shape[3] else np.zeros(shape[:3], dtype)
    agree(on_axis, three, index(shape[2], i.shape))
    agree(pair, x[:, :, 0, 0] if shape[2] and shape[3] else x.reshape(-1)[:0].reshape(0, 0), i, i)
    v = x.reshape(-1) if x.flags.c_contiguous else x.ravel()
    agree(one, v, index(v.shape[0], (2, 3)))
    agree(one, x, index(shape[0], (2, 2)))


def test_index_arrays_get_and_set_the_values_numpy_does():
    a = np.arange(20.0).reshape(4, 5)
    x = np.arange(120).reshape(2, 3, 4, 5)
    i = np.array([0, 2, -1])
    j = np.array([[1], [3]])
    agree(pair, a, i, np.array([4, 0, 2]))
    agree(pair, a, j, i)  # (2, 1) and (3,) broadcast to (2, 3)
    agree(pair, a, i, 1)
    agree(pair, a, np.array([True, False, True, False]), np.array([0, 4]))
    agree(adjacent, x, i, np.array([0, 3, 1]))
    agree(separated, x, j, np.array([0, 4, 1]))
    agree(one, np.arange(7.0), np.array([[0, 1], [2, 3]]))
    agree(one, x, np.array([[1, 0]]))
    agree(one, a, a > 7)  # a 2-d mask of the whole array
    agree(one, x, x % 7 == 0)
    agree(on_axis, x[0], np.array([[3, 0], [1, 1]]))
    agree(set_pair, a, i, np.array([4, 0, 2]), 9.5)
    agree(set_pair, a, j, i, np.arange(6.0).reshape(2, 3))
    agree(set_pair, a, j, i, np.arange(3))  # broadcast along the rows, cast to float
    agree(set_pair, a, i, np.array([1, 1, 1]), np.ones((1, 3)))
    agree(set_pair, a, np.array([0, 0]), np.array([1, 1]), np.array([5.0, 6.0]))  # last wins
    agree(set_separated, x, j, np.array([0, 4, 1]), -1)
    agree(set_separated, x, j, np.array([0, 4, 1]), np.arange(2 * 3 * 2 * 4).reshape(2, 3, 2, 4))
    agree(set_one, np.arange(7.0), np.array([[0, 1], [2, 3]]), np.array([[1.5], [2.5]]))
    agree(set_one, np.zeros((3, 3)), np.array([[0], [2]]), np.arange(3.0))
    agree(set_one, np.arange(5), np.array([0, 1]), np.arange(5)[3:])


def test_augmented_stores_read_then_write_once_per_index():
    agree(add_at, np.zeros(5), np.array([0, 0, 2, -1]), 1.0)  # the repeated 0 adds once
    agree(add_at, np.arange(6), np.array([[1, 2], [3, 1]]), np.array([10, 20]))
    agree(add_at, np.arange(6.0).reshape(2, 3), np.array([1, 1]), np.arange(3.0))
    agree(sub_pair, np.arange(12).reshape(3, 4), np.array([0, 2]), np.array([3, 3]))
    agree(mul_mask, np.arange(6.0), np.arange(6) % 2 == 0, 2.5)
    agree(mul_mask, np.arange(6.0).reshape(2, 3), np.arange(6).reshape(2, 3) > 2, -1.0)
    agree(add_columns, np.ones((3, 4), np.float32), np.array([3, 0, 3]), np.float32(2))
    agree(add_at, np.zeros(3), np.array([3]), 1.0)
    agree(add_at, np.zeros(3), np.array([0, 1]), np.ones(3))


def test_index_errors_are_numpys():
    a = np.arange(12.0).reshape(3, 4)
    x = np.zeros((2, 3, 4, 5))
    agree(pair, a, np.array([0, 1]), np.array([0, 1, 2]))  # shapes do not broadcast
    agree(pair, a, np.array([[0], [1]]), np.array([0, 1, 2]))
    agree(pair, a, np.array([3]), np.array([0]))
    agree(pair, a, np.array([0]), np.array([-5]))
    agree(pair, a, np.array([5]), np.array([], np.int64))  # empty: nothing is checked
    agree(on_axis, np.zeros((0, 3, 2)), np.array([7]))  # checked though the rows are empty
    agree(separated, x, np.array([0, 3]), np.array([0, 1]))
    agree(one, a, np.array([[0, 3]]))
    agree(one, a, np.ones((3, 5), bool))
    agree(set_pair, a, np.array([0, 1]), np.array([0, 1]), np.ones(3))
    agree(set_pair, a, np.array([0, 1]), np.array([0, 1]), np.ones((2, 2)))
    agree(set_pair, a, np.array([0, 9]), np.array([0, 1]), 1.0)
    agree(set_separated, x, np.array([0, 1]), np.array([0, 1]), np.ones((3, 2)))


@pytest.mark.parametrize(
    ("layout", "dtype"),
    [("C", np.float64), ("F", np.int32), ("strided", np.float32), ("reversed", np.bool_)],
)
def test_flat_iterates_gets_and_sets_in_c_order(layout, dtype):
    rng = np.random.default_rng(7)
    for shape in [(3, 4), (2, 3, 2), (5,), (0, 3)]:
        a = layouts(values(dtype, shape, rng))[layout]
        agree(flat_sum, a)
        agree(flat_len, a)
        size = a.size
        for k in (0, size - 1, -1, -size, size, -size - 1, 5):
            agree(flat_get, a, k)
            agree(flat_set, a, k, 1)
        agree(flat_add, a, k, 2)
        agree(flat_get, a, np.array([0, size - 1, 2]) % max(size, 1))
        if dtype != np.bool_:  # bool += int: NumPy's same_kind refusal, a TypingError here
            agree(flat_add, a, np.array([0, 0, size - 1]) % max(size, 1), 1)
        agree(flat_set, a, np.array([0, size - 1]) % max(size, 1), 3)
        if size:
            agree(flat_set, a, np.array([size - 1, 0], np.int32), values(dtype, (2,), rng))


def test_flat_of_a_view_writes_through_to_the_base():
    @njit
    def through_flat(a):
        b = a[::2, ::-1]
        b.flat[1] = -1
        c = a[1:]
        c.flat[0] = -2
        for k in range(a.shape[1]):
            a.T.flat[k] = 7  # the first column in C order of the transpose
        return a

    def expected():
        a = np.arange(12).reshape(3, 4)
        b = a[::2, ::-1]
        b.flat[1] = -1
        c = a[1:]
        c.flat[0] = -2
        for k in range(a.shape[1]):
            a.T.flat[k] = 7
        return a

    np.testing.assert_array_equal(through_flat(np.arange(12).reshape(3, 4)), expected())


def test_store_into_the_flat_copy_of_a_strided_array_is_refused():
    def store_via_name(a):
        f = a.flat
        f[0] = 1.0

    with pytest.raises(TypingError, match="N0233"):
        njit(store_via_name)(np.zeros((3, 4))[:, ::2])


def agree_on_views(function, *args):
    """As agree, on the arrays themselves (no copies: the views read their memory)."""
    expected = outcome(function, *args)
    got = outcome(COMPILED[function], *args)
    assert got[0] == expected[0], (got, expected)
    if expected[0] == "raise":
        assert got[1] == expected[1]
        return
    assert got[1].shape == expected[1].shape and got[1].strides == expected[1].strides
    np.testing.assert_array_equal(got[1], expected[1])


def test_as_strided_and_sliding_windows_are_numpys_views():
    agree = agree_on_views
    x = np.arange(10.0)
    agree(strided, x, (4, 3), (8, 8))
    agree(strided, x[::-1], (3, 2), (-16, -8))
    agree(strided, np.arange(12, dtype=np.int32).reshape(3, 4), (2, 2, 2), (16, 4, 4))
    agree(strided_keywords, x, (5,), (16,))
    agree(strided_keywords, x, (0, 3), (8, 8))
    agree(strided_shape_only, x, (4,))
    agree(strided, x, (-1, 2), (8, 8))  # negative dimensions: NumPy's ValueError
    agree(windows, x, 3)
    agree(windows, x[::2], (2,))
    agree(windows, np.arange(20).reshape(4, 5), (2, 3))
    agree(windows, np.arange(20).reshape(4, 5).T, (4, 1))
    agree(windows, x, 11)
    agree(windows, x, -1)
    agree(windows, x, 10)
    agree(window_sums, np.arange(8.0), 3)

    @njit
    def write_through(x):
        v = np.lib.stride_tricks.as_strided(x, (2, 2), (8, 8))
        v[1, 1] = -1.0
        return x

    np.testing.assert_array_equal(write_through(np.zeros(4)), [0.0, 0.0, -1.0, 0.0])


def test_unsupported_forms_are_typing_errors():
    def window_store(x):
        v = sliding_window_view(x, 2)
        v[0, 0] = 1.0

    def strided_lengths_differ(x):
        return as_strided(x, (2, 2), (8,))

    def strided_slice_next_to_index(a, i):
        return a[::2, i]

    def float_index(a, i):
        return a[i, i]

    for function, args in [
        (window_store, (np.zeros(3),)),
        (strided_lengths_differ, (np.zeros(4),)),
        (strided_slice_next_to_index, (np.zeros((2, 2)), np.array([0]))),
        (float_index, (np.zeros((2, 2)), np.array([0.0]))),
    ]:
        with pytest.raises(TypingError):
            njit(function)(*args)
