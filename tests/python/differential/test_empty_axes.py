"""Reductions over no axis (axis=()) against NumPy: each element is its own reduction, so
mean gives the elements as floats and var/std zeros (NaN where ddof >= 1 or an element is
not finite)."""

import warnings

import numpy as np
import pytest

from nogil import njit


def moments(a):
    return (
        np.mean(a, axis=()),
        np.var(a, axis=()),
        np.std(a, axis=()),
        np.var(a, axis=(), ddof=1),
        a.sum(axis=()),
        np.max(a, axis=()),
    )


MOMENTS = njit(moments)


@pytest.mark.parametrize(
    "a",
    [
        np.arange(6.0).reshape(2, 3),
        np.arange(6, dtype=np.int32).reshape(3, 2).T,
        np.array([1.5, np.nan, np.inf], dtype=np.float32),
        np.zeros((0, 2)),
    ],
)
def test_reductions_over_no_axis(a):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = moments(a)
    for got, want in zip(MOMENTS(a), expected, strict=True):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
