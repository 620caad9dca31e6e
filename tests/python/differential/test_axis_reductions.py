"""Reductions with ``axis=`` (and the library layer's whole-array ones) against NumPy: every
integer, float and bool dtype, C/F/strided/negative-stride layouts, 1-3 dimensions, every
axis including negative ones, empty shapes, and NumPy's exceptions."""

import numpy as np
import pytest
from numpy.exceptions import AxisError

from nogil import njit

REDUCTIONS = ("sum", "prod", "min", "max", "all", "any", "mean", "var", "std")
DTYPES = (
    *("bool", "int8", "uint8", "int16", "int32", "int64", "uint32", "uint64"),
    *("float32", "float64"),
)


sum_function = njit(lambda a, axis: np.sum(a, axis=axis))
prod_function = njit(lambda a, axis: np.prod(a, axis))
min_function = njit(lambda a, axis: np.min(a, axis=axis))
max_function = njit(lambda a, axis: np.amax(a, axis))
all_function = njit(lambda a, axis: np.all(a, axis=axis))
any_function = njit(lambda a, axis: np.any(a, axis=axis))
mean_function = njit(lambda a, axis: np.mean(a, axis=axis))
var_function = njit(lambda a, axis: np.var(a, axis=axis))
std_function = njit(lambda a, axis: np.std(a, axis=axis, ddof=1))

sum_method = njit(lambda a, axis: a.sum(axis=axis))
prod_method = njit(lambda a, axis: a.prod(axis))
min_method = njit(lambda a, axis: a.min(axis=axis))
max_method = njit(lambda a, axis: a.max(axis))
all_method = njit(lambda a, axis: a.all(axis=axis))
any_method = njit(lambda a, axis: a.any(axis))
mean_method = njit(lambda a, axis: a.mean(axis=axis))
var_method = njit(lambda a, axis: a.var(axis=axis, ddof=1))
std_method = njit(lambda a, axis: a.std(axis))

WHOLE = {  # axis left out (compiled code takes no None argument from Python yet)
    "sum": (njit(lambda a: np.sum(a)), njit(lambda a: a.sum())),
    "prod": (njit(lambda a: np.prod(a)), njit(lambda a: a.prod())),
    "min": (njit(lambda a: np.min(a)), njit(lambda a: a.min())),
    "max": (njit(lambda a: np.amax(a)), njit(lambda a: a.max())),
    "all": (njit(lambda a: np.all(a)), njit(lambda a: a.all())),
    "any": (njit(lambda a: np.any(a)), njit(lambda a: a.any())),
    "mean": (njit(lambda a: np.mean(a)), njit(lambda a: a.mean())),
    "var": (njit(lambda a: np.var(a)), njit(lambda a: a.var(ddof=1))),
    "std": (njit(lambda a: np.std(a, ddof=1)), njit(lambda a: a.std())),
}
ALONG = {name: (globals()[f"{name}_function"], globals()[f"{name}_method"]) for name in REDUCTIONS}


class _Compiled:
    """Calls the compiled reduction with the axis, or the one without for axis=None."""

    def __init__(self, name, spelling):
        self.whole = WHOLE[name][spelling]
        self.along = ALONG[name][spelling]

    def __call__(self, a, axis):
        return self.whole(a) if axis is None else self.along(a, axis)


COMPILED = {name: (_Compiled(name, 0), _Compiled(name, 1)) for name in REDUCTIONS}
DDOF = {("std", 0): 1, ("var", 1): 1}  # which spelling passes ddof=1


def expected(name, spelling, a, axis):
    kwargs = {"ddof": DDOF[(name, spelling)]} if (name, spelling) in DDOF else {}
    with np.errstate(all="ignore"), _quiet():
        return getattr(np, name)(a, axis=axis, **kwargs)


class _quiet:
    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)


def check_same(want, got, a):
    want = np.asarray(want)
    got_array = np.asarray(got)
    assert got_array.shape == want.shape
    assert got_array.dtype == want.dtype, (got_array.dtype, want.dtype)
    if want.dtype.kind == "f":
        rtol = 1e-5 if want.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got_array, want, rtol=rtol, atol=rtol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got_array, want)


def sample(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -3), min(info.max, 4), shape, endpoint=True).astype(dtype)
    return rng.uniform(-2, 2, shape).astype(dtype)


def layouts(a):
    yield "C", a
    yield "F", np.asfortranarray(a)
    if a.ndim and a.shape[0] > 1:
        yield "strided", np.repeat(a, 2, axis=0)[::2]
        yield "reversed", a[::-1]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_every_dtype_along_every_axis_of_a_matrix(name, dtype):
    a = sample(dtype, (3, 4))
    for spelling, compiled in enumerate(COMPILED[name]):
        for axis in (None, 0, 1, -1, -2):
            check_same(expected(name, spelling, a, axis), compiled(a, axis), a)


@pytest.mark.parametrize("dtype", ("int32", "float64"))
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4)])
@pytest.mark.parametrize("name", ("sum", "min", "max", "prod", "all", "any"))
def test_layouts_and_dimensions(name, shape, dtype):
    base = sample(dtype, shape, seed=len(shape))
    compiled = COMPILED[name][0]
    for _layout, a in layouts(base):
        for axis in [None, *range(-a.ndim, a.ndim)]:
            check_same(expected(name, 0, a, axis), compiled(a, axis), a)


@pytest.mark.parametrize("shape", [(2, 3), (4, 5)])
@pytest.mark.parametrize("name", ("mean", "var", "std"))
def test_statistics_layouts(name, shape):
    base = sample("float64", shape)
    for _layout, a in layouts(base):
        for spelling, compiled in enumerate(COMPILED[name]):
            for axis in (None, 0, 1, -1):
                check_same(expected(name, spelling, a, axis), compiled(a, axis), a)


@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0)])
@pytest.mark.parametrize("name", ("sum", "prod", "all", "any"))
def test_empty_arrays_reduce_to_the_identity(name, shape):
    a = np.zeros(shape)
    compiled = COMPILED[name][0]
    for axis in [None, *range(a.ndim)]:
        check_same(expected(name, 0, a, axis), compiled(a, axis), a)


@pytest.mark.parametrize("name", ("min", "max"))
def test_empty_minimum_raises_as_numpy(name):
    operation = "minimum" if name == "min" else "maximum"
    message = f"zero-size array to reduction operation {operation} which has no identity"
    compiled = COMPILED[name][0]
    with pytest.raises(ValueError, match=message):
        compiled(np.zeros((0, 3)), 0)
    with pytest.raises(ValueError, match=message):
        compiled(np.zeros(0), 0)
    # along a non-empty axis of an array with an empty other axis: an empty result
    check_same(np.min(np.zeros((0, 3)), axis=1), compiled(np.zeros((0, 3)), 1), None)


@pytest.mark.parametrize("name", REDUCTIONS)
def test_axis_out_of_range_raises_axis_error(name):
    compiled = COMPILED[name][0]
    for axis in (2, -3):
        message = f"axis {axis} is out of bounds for array of dimension 2"
        with pytest.raises(AxisError, match=message):
            compiled(np.ones((2, 2)), axis)


def test_nan_propagates_through_min_and_max_along_an_axis():
    a = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, np.nan]])
    for name in ("min", "max"):
        for axis in (0, 1):
            check_same(getattr(np, name)(a, axis=axis), COMPILED[name][0](a, axis), a)


NAN_REDUCTIONS = ("nansum", "nanprod", "nanmin", "nanmax", "nanmean", "nanvar", "nanstd")


@njit
def nan_reductions(a):
    return (
        np.nansum(a),
        np.nanprod(a),
        np.nanmin(a),
        np.nanmax(a),
        np.nanmean(a),
        np.nanvar(a),
        np.nanstd(a),
        np.count_nonzero(a),
    )


@pytest.mark.parametrize("dtype", ("float32", "float64", "int32"))
@pytest.mark.parametrize("shape", [(7,), (3, 4)])
def test_nan_reductions(dtype, shape):
    a = sample(dtype, shape, seed=3)
    if a.dtype.kind == "f":
        a.flat[[1, 4]] = np.nan
    got = nan_reductions(a)
    with _quiet():
        want = [getattr(np, name)(a) for name in NAN_REDUCTIONS] + [np.count_nonzero(a)]
    for w, g in zip(want, got, strict=True):
        check_same(w, g, a)


def test_all_nan_gives_nan_and_empty_raises():
    got = nan_reductions(np.full(3, np.nan))
    assert np.isnan(got[2]) and np.isnan(got[3]) and np.isnan(got[4])
    with pytest.raises(ValueError, match="zero-size array to reduction operation fmin"):
        nan_reductions(np.zeros(0))


cumsum_whole = njit(lambda a: (np.cumsum(a), a.cumprod()))
cumsum_along = njit(lambda a, axis: (np.cumsum(a, axis=axis), a.cumprod(axis)))
arg_whole = njit(lambda a: (np.argmin(a), np.argmax(a)))
arg_along = njit(lambda a, axis: (np.argmin(a, axis=axis), np.argmax(a, axis)))


@pytest.mark.parametrize("dtype", ("bool", "int8", "uint16", "int64", "float32", "float64"))
@pytest.mark.parametrize("shape", [(5,), (3, 4), (0, 3)])
def test_cumulative_and_arg_extrema(dtype, shape):
    base = sample(dtype, shape, seed=5)
    for _layout, a in layouts(base):
        got = cumsum_whole(a)
        check_same(np.cumsum(a), got[0], a)
        check_same(np.cumprod(a), got[1], a)
        for axis in range(-a.ndim, a.ndim):
            got = cumsum_along(a, axis)
            check_same(np.cumsum(a, axis=axis), got[0], a)
            check_same(np.cumprod(a, axis=axis), got[1], a)
            if a.shape[axis]:
                got = arg_along(a, axis)
                check_same(np.argmin(a, axis=axis), got[0], a)
                check_same(np.argmax(a, axis=axis), got[1], a)
        if a.size:
            assert arg_whole(a) == (np.argmin(a), np.argmax(a))


def test_arg_extrema_along_an_axis_find_the_first_nan():
    a = np.array([[1.0, 5.0, 2.0], [np.nan, 0.5, np.nan], [3.0, np.nan, 9.0]])
    for axis in (0, 1):
        got = arg_along(a, axis)
        check_same(np.argmin(a, axis=axis), got[0], a)
        check_same(np.argmax(a, axis=axis), got[1], a)
    with pytest.raises(ValueError, match="attempt to get argmin of an empty sequence"):
        arg_along(np.zeros((0, 2)), 0)
