"""A Python number becoming a NumPy integer, as NumPy 2 converts it through a Python int:
element stores (`a[i] = x`), np.full's fill value and the scalar constructors (np.int8(300)).
NaN is a ValueError, an infinity or a value the type cannot hold an OverflowError with
NumPy's message; in-range floats truncate toward zero."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit

INTEGER_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
NAN = float("nan")
INF = float("inf")
FLOAT_EDGES = [NAN, INF, -INF, 0.0, -0.0, 0.9, -0.9, 127.9, 128.0, -129.0, 255.5, 256.0, -1.0]
FLOAT_EDGES += [2.0**31, 3e9, 2.0**63, -(2.0**63), 2.0**64, 1.8e19, 1e20, -1e20, 2.0**64 - 4096]
INT_EDGES = [0, 1, -1, 127, 128, -128, -129, 255, 256, 2**15, 2**31 - 1, 2**31, -(2**31) - 1]
INT_EDGES += [2**32, 2**63 - 1, -(2**63)]
numbers = (
    st.sampled_from(FLOAT_EDGES + INT_EDGES)
    | st.floats()
    | st.integers(-(2**63), 2**63 - 1)
    | st.booleans()
)


def outcome(function, *args):
    try:
        value = function(*args)
    except Exception as err:
        return type(err).__name__, str(err)
    return "value", int(value)


def store(a, x):
    a[0] = x
    return a[0]


def store_then_add(a, x):
    a[1] += x
    return a[1]


def fill(x, like):
    return np.full(2, x, dtype=like.dtype)[1]


def double_first(a):
    a[0] = a[0] * 3
    return a[0]


STORE = njit(store)
FILL = njit(fill)


floats = st.sampled_from(FLOAT_EDGES) | st.floats()


@given(dtype=st.sampled_from(INTEGER_TYPES), x=floats)
def test_float_stores_into_integer_arrays_convert_as_numpy_setitem(dtype, x):
    expected = outcome(store, np.zeros(3, dtype), x)
    assert outcome(STORE, np.zeros(3, dtype), x) == expected, (dtype, x)


@given(dtype=st.sampled_from(INTEGER_TYPES), x=numbers)
def test_np_full_fill_values_convert_as_stores(dtype, x):
    # NumPy casts a float fill value, warning where the cast is invalid (NaN, infinities,
    # values out of range) and giving the platform's value; nogil raises there as setitem
    # does (docs/design.md). Where NumPy neither warns nor raises, the values agree.
    expected = outcome(store, np.zeros(3, dtype), x)
    with np.errstate(invalid="raise"):
        numpy_fill = outcome(fill, x, np.zeros(1, dtype))
    got = outcome(FILL, x, np.zeros(1, dtype))
    assert got == expected, (dtype, x)
    if numpy_fill[0] == "value" and expected[0] == "value":
        assert got == numpy_fill


def signed_constructors(x):
    return np.int8(x), np.int16(x), np.int32(x), np.int64(x)


def unsigned_constructors(x):
    return np.uint8(x), np.uint16(x), np.uint32(x), np.uint64(x)


CONSTRUCTORS = {f: njit(f) for f in (signed_constructors, unsigned_constructors)}


def constructed(function, x):
    try:
        return "value", [int(v) for v in function(x)]
    except Exception as err:
        return type(err).__name__, str(err)


@given(x=numbers.filter(lambda x: not isinstance(x, bool)))
@pytest.mark.parametrize("function", list(CONSTRUCTORS), ids=lambda f: f.__name__)
def test_scalar_constructors_of_python_numbers_match_numpy(function, x):
    assert constructed(CONSTRUCTORS[function], x) == constructed(function, x), x


def narrowing_casts(x):
    return np.int8(np.int16(x)), np.uint8(np.int32(x)), np.int32(np.int64(x) >> 1)


def test_constructors_of_numpy_scalars_cast_as_numpy():
    for x in (300, -1, 2**15 - 1, -(2**15)):
        assert [int(v) for v in njit(narrowing_casts)(x)] == [int(v) for v in narrowing_casts(x)]


@pytest.mark.parametrize("dtype", INTEGER_TYPES, ids=lambda t: t.__name__)
def test_integer_stores_wrap_as_numpy_arithmetic_on_elements(dtype):
    # NumPy computes a[i] + x in the element's type and wraps; an x the type cannot hold
    # is refused by NumPy's promotion (NEP 50), which nogil does not follow (int + int8 is
    # int64: docs/design.md), so those are left out.
    for x in (1, 27, 100):
        expected = outcome(store_then_add, np.full(3, 100, dtype), x)
        assert outcome(njit(store_then_add), np.full(3, 100, dtype), x) == expected, (dtype, x)
        a = np.full(3, 100, dtype)
        with np.errstate(over="ignore"):
            expected = outcome(double_first, a.copy())
        assert outcome(njit(double_first), a) == expected, dtype
