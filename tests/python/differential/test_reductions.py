"""Whole-array reductions against NumPy: sum and mean (NumPy's pairwise summation, so equal
bit for bit on 1-d and contiguous arrays), min, max, argmin, argmax (NaN first), np.dot."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit

from .test_arrays import arrays


def methods(a):
    return a.sum(), a.min(), a.max(), a.mean(), a.argmin(), a.argmax()


def functions(a):
    return np.sum(a), np.amin(a), np.amax(a), np.mean(a), np.argmin(a), np.argmax(a)


def dot(a, b):
    return np.dot(a, b)


METHODS = njit(methods)
FUNCTIONS = njit(functions)
DOT = njit(dot)


def same(expected, got, exact, a):
    inexact = not exact and isinstance(got, float | np.floating)
    if inexact:
        info = np.finfo(np.float32 if isinstance(got, np.float32) else np.float64)
        magnitudes = float(np.abs(a.astype(np.float64)).sum())
        bound = a.size * float(info.eps) * magnitudes
        if not (math.isfinite(expected) and math.isfinite(got)):
            # Partial sums stay below the sum of the magnitudes: only near the type's limit can
            # one order overflow (to inf, or inf - inf = nan) where the other does not.
            near_limit = magnitudes + bound >= float(info.max)
            return near_limit or (math.isnan(expected) and math.isnan(got)) or expected == got
    if isinstance(got, float | np.floating) and math.isnan(got):
        return math.isnan(expected)
    if not inexact:
        return expected == got
    # Summed in another order: each addition may round by half an ulp of the running total,
    # which the sum of the magnitudes bounds.
    return abs(float(expected) - float(got)) <= bound


@st.composite
def non_empty_with_nan(draw):
    a = draw(arrays(min_side=1))
    if a.dtype.kind == "f" and draw(st.booleans()):
        a = a.copy()
        a.flat[draw(st.integers(0, a.size - 1))] = np.nan
    return a


@given(a=non_empty_with_nan())
@pytest.mark.parametrize("compiled", [METHODS, FUNCTIONS], ids=["methods", "functions"])
def test_reductions_match_numpy(compiled, a):
    with np.errstate(all="ignore"):
        expected = methods(a)
    got = compiled(a)
    # NumPy sums a non-contiguous n-d array row by row in its iterator's order.
    exact = a.ndim == 1 or a.flags.c_contiguous or a.flags.f_contiguous
    for name, e, g in zip(
        ["sum", "min", "max", "mean", "argmin", "argmax"], expected, got, strict=True
    ):
        assert same(e, g, exact, a), (name, a, e, g)


def total(a):
    return a.sum()


TOTAL = njit(total)


@pytest.mark.parametrize("shape", [(0,), (3, 0), (0, 2, 2)])
def test_reductions_of_empty_arrays(shape):
    a = np.zeros(shape)
    with pytest.raises(ValueError, match="zero-size array to reduction operation minimum"):
        METHODS(a)
    assert TOTAL(a) == 0.0


@given(n=st.integers(0, 300), data=st.data())
def test_dot_of_one_dimensional_float64_arrays(n, data):
    values = st.floats(-1e3, 1e3)
    a = np.array(data.draw(st.lists(values, min_size=n, max_size=n)), dtype=np.float64)
    b = np.array(data.draw(st.lists(values, min_size=n, max_size=n)), dtype=np.float64)
    # NumPy hands np.dot to BLAS, which sums in its own order.
    assert math.isclose(DOT(a, b), np.dot(a, b), rel_tol=1e-9, abs_tol=1e-6)


def test_dot_of_different_lengths_is_a_value_error():
    with pytest.raises(
        ValueError, match=r"shapes \(3,\) and \(4,\) not aligned: 3 \(dim 0\) != 4 \(dim 0\)"
    ):
        DOT(np.zeros(3), np.zeros(4))
