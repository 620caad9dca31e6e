"""Whole-array expressions against NumPy: arithmetic, comparisons, unary minus and NumPy's
elementwise functions on arrays and scalars, with broadcasting and NumPy 2's promotion of a
Python scalar next to an array; computed in one fused loop, with inf and nan where NumPy
gives them."""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nogil import njit

FLOAT_TYPES = [np.float32, np.float64]
INT_TYPES = [np.int8, np.int32, np.int64, np.uint8, np.uint32]


@st.composite
def broadcastable_pair(draw, dtypes=FLOAT_TYPES + INT_TYPES):
    """Two arrays whose shapes broadcast (some dimensions 1, some missing)."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
    arrays = []
    for shape in shapes.input_shapes:
        dtype = draw(st.sampled_from(dtypes))
        elements = hnp.from_dtype(np.dtype(dtype), allow_nan=False, allow_infinity=False)
        arrays.append(draw(hnp.arrays(dtype, shape, elements=elements)))
    return arrays


def add_mul(a, b):
    return a + b * 2


def mixed(a, b):
    return (a - b) * (a + b)


def divide(a, b):
    return a / b


def compare(a, b):
    return a < b


def scaled(a, s):
    return a * s + s


def functions(a):
    return np.sqrt(np.abs(a)), np.exp(a * 0.001), np.floor(a), -a


COMPILED = {f: njit(f) for f in [add_mul, mixed, divide, compare, scaled, functions]}


def numpy_result(f, *args):
    with np.errstate(all="ignore"):
        return f(*args)


def assert_same_array(expected, got, exact=True):
    expected = np.asarray(expected)
    assert isinstance(got, np.ndarray) and got.dtype == expected.dtype, (expected, got)
    assert got.shape == expected.shape, (expected.shape, got.shape)
    if exact:
        assert np.array_equal(got, expected, equal_nan=True), (expected, got)
    else:  # libm and NumPy's SIMD exp/sqrt may differ in the last bit
        assert np.allclose(got, expected, rtol=1e-6, equal_nan=True), (expected, got)


@given(pair=broadcastable_pair())
@pytest.mark.parametrize("f", [add_mul, mixed, divide, compare], ids=lambda f: f.__name__)
def test_binary_expressions_broadcast_and_promote_as_numpy(f, pair):
    assert_same_array(numpy_result(f, *pair), COMPILED[f](*pair))


@given(
    a=hnp.arrays(st.sampled_from(FLOAT_TYPES + INT_TYPES), hnp.array_shapes(max_dims=2)),
    s=st.integers(-3, 3) | st.floats(-2, 2),
)
def test_a_python_scalar_next_to_an_array_is_weak(a, s):
    if isinstance(s, int) and a.dtype.kind in "iu":
        info = np.iinfo(a.dtype)
        # NumPy 2 refuses a Python int its dtype cannot hold; compiled code wraps it
        # (documented difference).
        assume(info.min <= s <= info.max)
    expected = numpy_result(scaled, a, s)
    assert_same_array(expected, COMPILED[scaled](a, s))


@given(
    a=hnp.arrays(
        st.sampled_from([np.float32, np.float64, np.int32, np.int64]),
        hnp.array_shapes(max_dims=2),
        elements=st.integers(-100, 100),
    )
)
def test_elementwise_functions(a):
    expected = numpy_result(functions, a)
    for e, g in zip(expected, COMPILED[functions](a), strict=True):
        assert_same_array(e, g, exact=False)


def test_division_by_zero_gives_inf_and_nan():
    got = COMPILED[divide](np.array([1.0, -1.0, 0.0]), np.zeros(3))
    assert got[0] == math.inf and got[1] == -math.inf and math.isnan(got[2])


def test_shapes_that_do_not_broadcast_are_a_value_error():
    with pytest.raises(ValueError, match="could not be broadcast"):
        COMPILED[add_mul](np.zeros(3), np.zeros(4))


def test_scalar_elementwise_functions_follow_numpy():
    def on_scalars(x):
        return np.sqrt(x), np.log(x), np.abs(x), np.floor(x)

    got = njit(on_scalars)(-4.0)
    assert math.isnan(got[0]) and math.isnan(got[1]) and got[2:] == (4.0, -4.0)
