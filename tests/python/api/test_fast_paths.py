"""The dispatcher's fast paths (the last call's exact argument types: ints, floats, bools and
numpy.ndarray read from its fields) against CPython, on random sequences of calls that mix
every argument kind, so that each call may or may not match the cached fast path."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit


def describe(x, y):
    # The result depends on the types as well as the values: a call dispatched to the wrong
    # specialization (or with misread arguments) cannot give CPython's answer.
    return x * 2 + y, x - y


def first_and_shape(a, scale=2):
    # a[1, 2] and a[-1, -1] sit at offsets that depend on the layout compiled for.
    return a[1, 2] * scale + a[-1, -1], a.shape[0], a.shape[1], a.ndim


def first_element(a):
    if a.shape[0] == 0 or a.shape[1] == 0:
        return -1.0
    return a[-1, -1] + a.shape[0] * 100.0


def make_array(kind, readonly):
    base = np.arange(24, dtype=np.float64).reshape(4, 6) - 7.5
    array = {
        "C": base.copy(),
        "F": np.asfortranarray(base),
        "strided": base[:, ::2],
        "transposed": base.T,
        "int32": base.astype(np.int32),
        "bool": base > 0,
        "float32": base.astype(np.float32),
        "big-endian": base.astype(">f8"),
        "one-row": base[:1],
        "one-column": base[:, :1],
        "empty": base[:0],
    }[kind]
    if readonly:
        array = array.copy(order="K")
        array.flags.writeable = False
    return array


SCALARS = st.one_of(
    st.integers(-(2**20), 2**20),  # within int32 too: NumPy 2 raises on int32 overflow
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.integers(-100, 100).map(np.int32),
    st.floats(-1e6, 1e6).map(np.float64),
)
KINDS = ["C", "F", "strided", "transposed", "int32", "bool", "float32", "big-endian"]
ARRAYS = st.tuples(st.sampled_from(KINDS), st.booleans())


@given(st.lists(st.tuples(SCALARS, SCALARS), min_size=1, max_size=30))
def test_scalar_calls_in_any_order(calls):
    compiled = njit(describe)
    for x, y in calls:
        expected, got = describe(x, y), compiled(x, y)
        assert got == expected
        assert [type(v) for v in got] == [type(v) for v in expected] or all(
            isinstance(v, float | int | np.generic) for v in got
        )


@given(
    st.lists(
        st.tuples(ARRAYS, st.sampled_from(["none", "positional", "keyword"])),
        min_size=1,
        max_size=30,
    )
)
def test_array_calls_in_any_order(calls):
    compiled = njit(first_and_shape)
    for (kind, readonly), how in calls:
        a = make_array(kind, readonly)
        if kind == "big-endian":  # refused (non-native byte order), whatever came before
            with pytest.raises(TypeError, match="big-endian"):
                compiled(a)
            continue
        if how == "none":
            got, expected = compiled(a), first_and_shape(a)
        elif how == "positional":
            got, expected = compiled(a, 3), first_and_shape(a, 3)
        else:
            got, expected = compiled(a, scale=3), first_and_shape(a, scale=3)
        assert got == expected


def test_a_big_int_after_fast_calls_still_overflows():
    compiled = njit(describe)
    assert compiled(1, 2) == describe(1, 2)
    try:
        compiled(2**70, 1)
    except OverflowError as error:
        assert "does not fit in int64" in str(error)
    else:
        raise AssertionError("2**70 was accepted")
    assert compiled(1, 2) == describe(1, 2)


def sum_of_parts(pair, a):
    x, y = pair
    return x + y + a.sum() + a.ndim * 1000


ANY_SHAPE = st.sampled_from(
    [
        lambda: np.arange(6.0),
        lambda: np.arange(6.0)[::2],
        lambda: np.arange(24.0).reshape(2, 3, 4),
        lambda: np.arange(24.0).reshape(2, 3, 4).transpose(2, 0, 1),
        lambda: np.arange(6, dtype=np.int64),
        lambda: np.zeros((0, 3)),
        lambda: np.arange(6.0).reshape(6, 1),
        lambda: np.arange(6.0).reshape(1, 6),
    ]
)


@given(st.lists(st.tuples(ANY_SHAPE, st.tuples(SCALARS, SCALARS)), min_size=1, max_size=30))
def test_tuples_and_arrays_of_every_shape_in_any_order(calls):
    # The array argument changes ndim, layout and dtype from call to call, next to a tuple
    # (which never takes the fast path): each call must reach its own specialization.
    compiled = njit(sum_of_parts)
    for make, pair in calls:
        a = make()
        assert compiled(pair, a) == sum_of_parts(pair, a)


@given(st.lists(st.sampled_from(["one-row", "one-column", "empty", "C", "F"]), max_size=20))
def test_degenerate_layouts_in_any_order(kinds):
    compiled = njit(first_element)
    for kind in kinds:
        a = make_array(kind, False)
        assert compiled(a) == first_element(a)


def weighted_sum(a):
    total = 0.0
    for i in range(a.shape[0]):
        total += a[i] * (i + 1)
    return total


VECTORS = st.sampled_from(
    [
        lambda: np.arange(8.0),
        lambda: np.arange(8.0)[::2],
        lambda: np.arange(8.0)[::-1],
        lambda: np.arange(8, dtype=np.int64),
        lambda: np.arange(8, dtype=np.int64)[1::3],
        lambda: np.arange(8.0, dtype=np.float32),
        lambda: np.arange(16.0).reshape(4, 4)[:, 1],
    ]
)


@given(st.lists(VECTORS, min_size=1, max_size=30))
def test_vectors_of_every_stride_in_any_order(makers):
    # Same ndim and dtype, different layouts: a call matched to the wrong layout reads the
    # wrong elements.
    compiled = njit(weighted_sum)
    for make in makers:
        a = make()
        assert compiled(a) == weighted_sum(a)
