"""out= of the reductions and of np.cumsum/cumprod against NumPy: the values stored (with
NumPy's cast into out's dtype), out returned itself, keepdims, functions and methods, and
NumPy's ValueError for an out of the wrong number of dimensions or shape."""

import numpy as np
import pytest

from nogil import njit


def sums_into(a, o1, o0, s):
    r1 = np.sum(a, axis=0, out=o1)
    r2 = a.sum(axis=1, out=o0)
    np.sum(a, out=s)
    return r1, r2


def extrema_into(a, o1, o0, k):
    np.max(a, axis=0, out=o1)
    a.min(axis=1, out=o0)
    np.prod(a, 0, None, k, True)
    return o1, o0, k


def means_into(a, o1, o0):
    np.mean(a, axis=0, out=o1)
    np.var(a, axis=1, out=o0, ddof=1)
    return o1, o0


def std_into(a, o1):
    return (a.std(axis=0, out=o1),)


def logical_into(a, o1, o0):
    np.any(a, axis=0, out=o1)
    a.all(axis=1, out=o0)
    return o1, o0


def cumulative_into(a, flat, same):
    return np.cumsum(a, out=flat), np.cumprod(a, axis=1, out=same)


def cases():
    """(array, out dtype) pairs: int, float and bool inputs; C, F and reversed layouts."""
    base = (np.arange(12) % 5 - 1).reshape(3, 4)
    yield base.astype(np.int8), np.float64
    yield (base * 1.25).astype(np.float64)[::-1, ::-1], np.int16
    yield base.astype(np.bool_), np.complex128
    yield np.asfortranarray(base.astype(np.float32)), np.float64


def run_both(function, a, *outs):
    ours = [o.copy() for o in outs]
    theirs = [o.copy() for o in outs]
    got = njit(function)(a, *ours)
    want = function(a, *theirs)
    for x, y in zip(got, want, strict=True):  # out itself is returned
        assert any(x is o for o in ours) and any(y is o for o in theirs)
    for x, y in zip(ours, theirs, strict=True):
        assert x.dtype == y.dtype and x.shape == y.shape
        np.testing.assert_allclose(x, y, rtol=1e-6)
    return got, want


@pytest.mark.parametrize("a, out_dtype", list(cases()))
def test_reductions_store_into_out(a, out_dtype):
    n, m = a.shape
    run_both(sums_into, a, np.zeros(m, out_dtype), np.zeros(n, out_dtype), np.zeros((), out_dtype))
    run_both(
        extrema_into, a, np.zeros(m, out_dtype), np.zeros(n, out_dtype), np.zeros((1, m), out_dtype)
    )
    run_both(logical_into, a, np.zeros(m, out_dtype), np.zeros(n, out_dtype))
    if a.dtype != np.bool_:
        run_both(means_into, a, np.zeros(m, out_dtype), np.zeros(n, out_dtype))
        run_both(cumulative_into, a, np.zeros(n * m, out_dtype), np.zeros((n, m), out_dtype))


def test_std_into_a_strided_out():
    a = np.arange(12.0).reshape(3, 4) ** 1.5
    out = np.zeros(8)[::2]
    expected = np.zeros(8)[::2]
    njit(std_into)(a, out)
    std_into(a, expected)
    np.testing.assert_allclose(out, expected)


def test_out_is_returned_by_the_method():
    def method(a, o):
        return a.sum(axis=0, out=o)

    a, o = np.ones((2, 3)), np.zeros(3)
    assert njit(method)(a, o) is o
    assert o.tolist() == [2.0, 2.0, 2.0]


def wrong_ndim(a, o):
    return np.sum(a, axis=0, out=o)


def wrong_ndim_kept(a, o):
    return np.max(a, axis=0, out=o, keepdims=True)


def wrong_shape(a, o):
    return np.sum(a, axis=1, out=o)


def wrong_cumulative(a, o):
    return np.cumsum(a, out=o)


@pytest.mark.parametrize(
    "function, out",
    [
        (wrong_ndim, np.zeros((1, 4))),
        (wrong_ndim_kept, np.zeros(4)),
        (wrong_shape, np.zeros(4)),
        (wrong_cumulative, np.zeros(11)),
    ],
)
def test_wrong_out_raises_value_error(function, out):
    a = np.ones((3, 4))
    with pytest.raises(ValueError) as theirs:
        function(a, out.copy())
    with pytest.raises(ValueError) as ours:
        njit(function)(a, out.copy())
    if "number of dimensions" in str(theirs.value):
        assert str(ours.value) == str(theirs.value)
