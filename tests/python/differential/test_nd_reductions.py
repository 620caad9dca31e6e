"""Reductions along axes of arrays of more than three dimensions, tuples of axes, and the
NaN-skipping, cumulative and arg- reductions along axes, against NumPy: dtypes, C/F/strided/
negative-stride layouts, empty shapes, and NumPy's exceptions (AxisError, ValueError)."""

import warnings

import numpy as np
import pytest
from numpy.exceptions import AxisError

from nogil import TypingError, njit

ALONG = {
    "sum": njit(lambda a, axis: np.sum(a, axis=axis)),
    "prod": njit(lambda a, axis: np.prod(a, axis=axis)),
    "min": njit(lambda a, axis: np.min(a, axis=axis)),
    "max": njit(lambda a, axis: np.max(a, axis=axis)),
    "all": njit(lambda a, axis: np.all(a, axis=axis)),
    "any": njit(lambda a, axis: np.any(a, axis=axis)),
    "mean": njit(lambda a, axis: np.mean(a, axis=axis)),
    "var": njit(lambda a, axis: np.var(a, axis=axis)),
    "std": njit(lambda a, axis: np.std(a, axis=axis)),
    "argmin": njit(lambda a, axis: np.argmin(a, axis=axis)),
    "argmax": njit(lambda a, axis: np.argmax(a, axis=axis)),
    "cumsum": njit(lambda a, axis: np.cumsum(a, axis=axis)),
    "cumprod": njit(lambda a, axis: np.cumprod(a, axis=axis)),
    "count_nonzero": njit(lambda a, axis: np.count_nonzero(a, axis=axis)),
    "nansum": njit(lambda a, axis: np.nansum(a, axis=axis)),
    "nanprod": njit(lambda a, axis: np.nanprod(a, axis=axis)),
    "nanmin": njit(lambda a, axis: np.nanmin(a, axis=axis)),
    "nanmax": njit(lambda a, axis: np.nanmax(a, axis=axis)),
    "nanmean": njit(lambda a, axis: np.nanmean(a, axis=axis)),
    "nanvar": njit(lambda a, axis: np.nanvar(a, axis=axis)),
    "nanstd": njit(lambda a, axis: np.nanstd(a, axis=axis)),
}
WHOLE = {
    "sum": njit(lambda a: np.sum(a)),
    "prod": njit(lambda a: np.prod(a)),
    "min": njit(lambda a: np.min(a)),
    "max": njit(lambda a: np.max(a)),
    "all": njit(lambda a: np.all(a)),
    "any": njit(lambda a: np.any(a)),
    "mean": njit(lambda a: np.mean(a)),
    "var": njit(lambda a: np.var(a)),
    "std": njit(lambda a: np.std(a)),
    "cumsum": njit(lambda a: np.cumsum(a)),
    "cumprod": njit(lambda a: np.cumprod(a)),
    "count_nonzero": njit(lambda a: np.count_nonzero(a)),
    "nansum": njit(lambda a: np.nansum(a)),
    "nanmin": njit(lambda a: np.nanmin(a)),
    "nanmean": njit(lambda a: np.nanmean(a)),
    "nanstd": njit(lambda a: np.nanstd(a)),
}
METHODS = {
    "sum": njit(lambda a, axis: a.sum(axis=axis)),
    "max": njit(lambda a, axis: a.max(axis)),
    "std": njit(lambda a, axis: a.std(axis=axis, ddof=1)),
    "cumsum": njit(lambda a, axis: a.cumsum(axis=axis)),
    "argmax": njit(lambda a, axis: a.argmax(axis=axis)),
}
TUPLE_AXES = ("sum", "max", "all", "mean", "std", "nanmean", "count_nonzero")
EVERY_LAYOUT = ("sum", "min", "any", "var", "argmax", "cumsum", "nanmax")  # others: C order


def reference(name, a, **kwargs):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(np, name)(a, **kwargs)


def check_same(want, got):
    want, got = np.asarray(want), np.asarray(got)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    if want.dtype.kind == "f":
        rtol = 1e-4 if want.dtype == np.float32 else 1e-10
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


def sample(dtype, shape, seed=0, nans=False):
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(0 if dtype.startswith("u") else -3, 4, shape).astype(dtype)
    a = rng.uniform(-2, 2, shape).astype(dtype)
    if nans:
        a[rng.uniform(size=shape) < 0.2] = np.nan
    return a


def layouts(a):
    yield a
    yield np.asfortranarray(a)
    yield np.repeat(a, 2, axis=1)[:, ::2]
    yield a[::-1, :, ::-1]


def agree(name, compiled, a, **kwargs):
    """Same result as NumPy, or the same exception class."""
    try:
        want = reference(name, a, **kwargs)
    except Exception as error:
        with pytest.raises(type(error)):
            compiled(a, *kwargs.values())
        return
    check_same(want, compiled(a, *kwargs.values()))


@pytest.mark.parametrize("name", sorted(ALONG))
def test_every_axis_of_a_four_dimensional_array(name):
    dtype = "bool" if name in ("all", "any") else "float64"
    base = sample(dtype, (2, 3, 4, 5), nans=name.startswith("nan"))
    for a in layouts(base) if name in EVERY_LAYOUT else (base,):
        for axis in range(-5, 5):
            agree(name, ALONG[name], a, axis=axis)


@pytest.mark.parametrize("dtype", ("int8", "uint16", "float32", "bool"))
@pytest.mark.parametrize("name", ("sum", "max", "mean", "cumsum"))
def test_dtypes_of_five_dimensions(name, dtype):
    a = sample(dtype, (2, 1, 3, 2, 2), seed=3)
    for axis in (0, 2, -1):
        agree(name, ALONG[name], a, axis=axis)


@pytest.mark.parametrize("name", sorted(METHODS))
def test_methods(name):
    a = sample("float64", (3, 2, 2, 3), seed=5)
    for axis in (0, 1, 3, -2):
        kwargs = {"ddof": 1} if name == "std" else {}
        want = reference(name, a, axis=axis, **kwargs)
        check_same(want, METHODS[name](a, axis))


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_whole_four_dimensional_arrays(name):
    dtype = "int32" if name in ("prod", "all", "any", "count_nonzero") else "float64"
    base = sample(dtype, (2, 3, 2, 3), seed=2, nans=name.startswith("nan"))
    for a in layouts(base):
        check_same(reference(name, a), WHOLE[name](a))


@pytest.mark.parametrize("name", TUPLE_AXES)
def test_tuples_of_axes(name):
    dtype = "bool" if name in ("all", "any") else "float64"
    base = sample(dtype, (3, 2, 4, 2), seed=7, nans=name.startswith("nan"))
    compiled = ALONG[name]
    for a in (base, np.asfortranarray(base)) if name == "sum" else (base,):
        for axes in ((0, 2), (-1, 0), (3,), (0, 1, 2, 3), (2, -4)):
            agree(name, compiled, a, axis=axes)
    with pytest.raises(ValueError, match="duplicate value"):
        compiled(base, (1, -3))
    with pytest.raises(AxisError):
        compiled(base, (0, 4))


@pytest.mark.parametrize("name", ("sum", "prod", "min", "max", "nansum"))
def test_tuples_of_axes_of_matrices_and_vectors(name):
    for a in (sample("int32", (3, 4)), sample("float64", (5,))):
        for axes in ((0,), (-1,), tuple(range(a.ndim)), ()):
            agree(name, ALONG[name], a, axis=axes)


@pytest.mark.parametrize("name", sorted(ALONG))
def test_empty_dimensions(name):
    a = np.zeros((2, 0, 3, 1))
    for axis in range(4):
        agree(name, ALONG[name], a, axis=axis)


def test_axis_errors_are_numpy_classes():
    a = np.zeros((2, 2, 2, 2))
    for name in ("sum", "argmax", "cumsum", "nanmean"):
        with pytest.raises(AxisError, match="axis 4 is out of bounds for array of dimension 4"):
            ALONG[name](a, 4)
        with pytest.raises(IndexError):  # AxisError is an IndexError and a ValueError
            ALONG[name](a, -5)


KEEPDIMS = {
    "sum": njit(lambda a, axis: np.sum(a, axis=axis, keepdims=True)),
    "min": njit(lambda a, axis: a.min(axis, keepdims=True)),
    "any": njit(lambda a, axis: np.any(a, axis, None, True)),
    "std": njit(lambda a, axis: np.std(a, axis=axis, ddof=1, keepdims=True)),
    "nanmean": njit(lambda a, axis: np.nanmean(a, axis=axis, keepdims=True)),
    "argmax": njit(lambda a, axis: np.argmax(a, axis=axis, keepdims=True)),
    "count_nonzero": njit(lambda a, axis: np.count_nonzero(a, axis=axis, keepdims=True)),
}
KEEPDIMS_WHOLE = {
    "sum": njit(lambda a: np.sum(a, keepdims=True)),
    "max": njit(lambda a: a.max(keepdims=True)),
    "mean": njit(lambda a: a.mean(keepdims=True)),
    "var": njit(lambda a: np.var(a, keepdims=True)),
}


@pytest.mark.parametrize("name", sorted(KEEPDIMS))
def test_keepdims(name):
    a = sample("float64", (2, 3, 4), seed=4)
    axes = [0, -1] if name == "argmax" else [0, -1, (0, 2), (0, 1, 2)]
    for axis in axes:
        want = reference(
            name, a, axis=axis, keepdims=True, **({"ddof": 1} if name == "std" else {})
        )
        check_same(want, KEEPDIMS[name](a, axis))
    vector = sample("float64", (5,))
    want = reference(name, vector, axis=0, keepdims=True, **({"ddof": 1} if name == "std" else {}))
    check_same(want, KEEPDIMS[name](vector, 0))


@pytest.mark.parametrize("name", sorted(KEEPDIMS_WHOLE))
def test_keepdims_without_axis(name):
    for a in (sample("float64", (2, 3, 4)), sample("float64", (3,))):
        check_same(reference(name, a, keepdims=True), KEEPDIMS_WHOLE[name](a))


def test_keepdims_must_be_a_constant():
    @njit
    def chosen_at_run_time(a, keep):
        return np.sum(a, axis=0, keepdims=keep)

    with pytest.raises(TypingError, match="keepdims must be the constant True or False"):
        chosen_at_run_time(np.ones((2, 2)), True)
    same_as_left_out = njit(lambda a: np.sum(a, axis=0, keepdims=False))
    check_same(np.sum(np.ones((2, 3)), axis=0), same_as_left_out(np.ones((2, 3))))


def test_zero_dimensional_arrays():
    z = np.array(2.5)
    for name in ("sum", "min", "mean", "var"):
        for axis in (0, -1, 1):
            agree(name, ALONG[name], z, axis=axis)
