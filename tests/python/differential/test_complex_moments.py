"""np.var / np.std (function and method) of complex arrays against NumPy: a real result
(float32 for complex64), whole-array and along each axis, ddof=, keepdims=, C/F/strided
layouts and empty arrays."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nogil import njit

var_whole = njit(lambda a: np.var(a))
std_whole = njit(lambda a: np.std(a, ddof=1))
var_method = njit(lambda a: a.var(ddof=1))
std_method = njit(lambda a: a.std())
var_along = njit(lambda a, axis: np.var(a, axis=axis))
std_along = njit(lambda a, axis: a.std(axis, ddof=1))
var_keep = njit(lambda a, axis: np.var(a, axis=axis, keepdims=True))

WHOLE = (
    (var_whole, lambda a: np.var(a)),
    (std_whole, lambda a: np.std(a, ddof=1)),
    (var_method, lambda a: a.var(ddof=1)),
    (std_method, lambda a: a.std()),
)
ALONG = (
    (var_along, lambda a, axis: np.var(a, axis=axis)),
    (std_along, lambda a, axis: a.std(axis, ddof=1)),
    (var_keep, lambda a, axis: np.var(a, axis=axis, keepdims=True)),
)


def _expected(function, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(*args)


def _check(got, expected, dtype, scale=1.0):
    """Same dtype for array results (a scalar comes back as a Python float, as from Numba);
    the tolerance is relative to the data's squared magnitude: float32 sums round."""
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray)
        assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    else:
        assert isinstance(got, (float, np.floating))
    got_array, expected = np.asarray(got), np.asarray(expected)
    assert got_array.shape == expected.shape
    rtol = 1e-4 if dtype == np.complex64 else 1e-9
    atol = rtol * (scale + 1.0)
    np.testing.assert_allclose(got_array, expected, rtol=rtol, atol=atol, equal_nan=True)


def _layouts(a):
    yield a
    yield np.asfortranarray(a)
    if a.ndim and a.shape[0] > 1:
        yield a[::2]
        yield a[::-1]


elements = st.complex_numbers(max_magnitude=1e6, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_complex_var_std_matches_numpy(dtype, data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    a = data.draw(hnp.arrays(dtype, shape, elements=elements))
    scale = float(np.max(np.abs(a.astype(np.complex128)))) ** 2
    for view in _layouts(a):
        for compiled, reference in WHOLE:
            _check(compiled(view), _expected(reference, view), dtype, scale)
        for axis in range(-view.ndim, view.ndim):
            for compiled, reference in ALONG:
                _check(compiled(view, axis), _expected(reference, view, axis), dtype, scale)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_var_of_empty_and_single(dtype):
    empty = np.zeros(0, dtype)
    single = np.array([1 + 2j], dtype)
    for a in (empty, single):
        for compiled, reference in WHOLE:
            _check(compiled(a), _expected(reference, a), dtype)
    wide = np.zeros((0, 3), dtype)
    _check(var_along(wide, 0), _expected(np.var, wide, 0), dtype)


def test_complex_var_result_is_real():
    a = np.array([1 + 1j, 2 - 3j, -4 + 0.5j])
    assert isinstance(var_whole(a), float)
    assert var_whole(a) == pytest.approx(np.var(a))
    assert var_along(a.astype(np.complex64), 0).dtype == np.float32


FLOAT32_ALONG = {
    "mean": (njit(lambda a: np.mean(a, 0, keepdims=True)), njit(lambda a: np.full(1, a.mean(0)))),
    "var": (njit(lambda a: np.var(a, 0, keepdims=True)), njit(lambda a: np.full(1, a.var(0)))),
    "std": (njit(lambda a: np.std(a, 0, keepdims=True)), njit(lambda a: np.full(1, a.std(0)))),
}


@pytest.mark.parametrize("name", sorted(FLOAT32_ALONG))
def test_float32_moment_along_the_only_axis_stays_float32(name):
    a = np.array([1.5, 2.25, -3.0], np.float32)
    expected = getattr(np, name)(a, 0, keepdims=True)
    for compiled in FLOAT32_ALONG[name]:
        got = compiled(a)
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, expected, rtol=1e-6)
