"""Array methods of the library layer against NumPy: sort/argsort, clip, round, nonzero,
flatnonzero, repeat, take, conj and diff, over every integer, float and bool dtype (complex
where NumPy's function takes it), C/F/strided/negative-stride layouts, empty arrays, NaN
placement, and NumPy's exceptions."""

import numpy as np
import pytest
from numpy.exceptions import AxisError

from nogil import njit

INTEGERS = ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64")
DTYPES = ("bool", *INTEGERS, "float32", "float64")
LAYOUTS = ("C", "F", "strided", "reversed")
# Every dtype in C order, and a few in the other layouts (each pair compiles its own code).
CASES = [(dtype, "C") for dtype in DTYPES] + [
    (dtype, layout) for dtype in ("bool", "int32", "float64") for layout in LAYOUTS[1:]
]


def sample(dtype, shape, layout="C", seed=0, nans=True, extremes=True):
    """An array of `shape` in `layout`, with repeated values (ties), negatives where the
    dtype has them, and NaN/inf among floats."""
    rng = np.random.default_rng(seed)
    big = tuple(2 * s for s in shape) if layout == "strided" else shape
    if dtype == "bool":
        base = rng.integers(0, 2, big).astype(bool)
    elif dtype.startswith("float"):
        base = rng.integers(-20, 20, big).astype(dtype) / 4
        if nans and base.size > 2:
            flat = base.reshape(-1)
            flat[rng.integers(0, flat.size, 3)] = np.nan
            flat[rng.integers(0, flat.size, 1)] = -np.inf
    elif dtype.startswith("complex"):
        base = (rng.integers(-5, 5, big) + 1j * rng.integers(-5, 5, big)).astype(dtype)
    else:
        info = np.iinfo(dtype)
        base = rng.integers(max(info.min, -100), min(info.max, 100), big, endpoint=True)
        base = base.astype(dtype)
        if extremes and base.size > 2:
            base.reshape(-1)[:2] = (info.min, info.max)
    if layout == "F":
        return np.asfortranarray(base)
    if layout == "strided":
        return base[tuple(slice(None, None, 2) for _ in shape)]
    if layout == "reversed":
        return base[::-1]
    return base


def same(expected, got):
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for e, g in zip(expected, got, strict=True):
            same(e, g)
        return
    expected = np.asarray(expected)
    got = np.asarray(got)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_array_equal(got, expected)


def outcome(function, *args):
    try:
        return "value", function(*args)
    except Exception as err:
        return "raise", err


def agree(reference, compiled, *args):
    expected = outcome(reference, *[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])
    got = outcome(compiled, *args)
    if expected[0] == "raise":
        assert got[0] == "raise", f"NumPy raised {expected[1]!r}, nogil returned {got[1]!r}"
        assert type(got[1]) is type(expected[1]), (got[1], expected[1])
        return
    assert got[0] == "value", f"nogil raised {got[1]!r}"
    same(expected[1], got[1])


def np_sort(a, axis):
    return np.sort(a, axis=axis)


def np_sort_flat(a):
    return np.sort(a, axis=None)


def sort_in_place(a, axis):
    a.sort(axis=axis)
    return a


def np_argsort_stable(a, axis):
    return np.argsort(a, axis=axis, kind="stable")


def argsort_any_kind(a, axis):
    # nogil's argsort is stable whatever the kind; the kind= string is left out since
    # string constants do not compile yet.
    return np.argsort(a, axis=axis)


def argsort_method_stable(a):
    return a.argsort(kind="stable")


def argsort_method(a):
    return a.argsort()


sort_function = njit(np_sort)
sort_flat = njit(np_sort_flat)
sort_method = njit(sort_in_place)
argsort_function = njit(argsort_any_kind)
argsort_compiled_method = njit(argsort_method)


@pytest.mark.parametrize(("dtype", "layout"), CASES)
def test_sort_and_argsort(dtype, layout):
    for shape in ((0,), (1,), (7,), (300,)):
        a = sample(dtype, shape, layout)
        agree(np_sort, sort_function, a, -1)
        agree(np_sort, sort_function, a, 0)
        agree(np_sort_flat, sort_flat, a)
        agree(np_argsort_stable, argsort_function, a, 0)
        agree(argsort_method_stable, argsort_compiled_method, a)
        agree(sort_in_place, sort_method, a, -1)
    for shape in ((0, 3), (5, 0), (6, 40)):
        a = sample(dtype, shape, layout)
        for axis in (-1, 0, 1):
            agree(np_sort, sort_function, a, axis)
            agree(np_argsort_stable, argsort_function, a, axis)
            agree(sort_in_place, sort_method, a, axis)
        agree(np_sort_flat, sort_flat, a)
        agree(np_sort, sort_function, a, 2)  # AxisError


def test_sort_in_place_changes_the_callers_array_and_nans_go_last():
    a = np.array([3.0, np.nan, -1.0, np.inf, np.nan, -np.inf, 0.0, -0.0] * 20)
    expected = np.sort(a)
    sort_method(a, -1)
    same(expected, a)
    rng = np.random.default_rng(1)
    big = rng.standard_normal(100_000)
    big[::1000] = np.nan
    same(np.sort(big), sort_function(big, -1))
    same(np.argsort(big, kind="stable"), argsort_function(big, 0))
    many_ties = rng.integers(0, 3, 50_000)
    same(np.sort(many_ties), sort_function(many_ties, 0))
    same(np.argsort(many_ties, kind="stable"), argsort_function(many_ties, 0))
    descending = np.arange(50_000.0)[::-1]
    same(np.sort(descending), sort_function(descending, 0))
    # argsort skips its merges when the runs come out in order, and merges in-order halves
    # by copying them: sorted input, one element out of place, and sorted halves.
    ascending = np.arange(50_000.0)
    same(np.argsort(ascending, kind="stable"), argsort_function(ascending, 0))
    ascending[1000] = -1.0
    same(np.argsort(ascending, kind="stable"), argsort_function(ascending, 0))
    halves = np.concatenate([np.arange(300.0), np.arange(300.0)])
    same(np.argsort(halves, kind="stable"), argsort_function(halves, 0))


def test_default_argsort_is_an_ascending_permutation():
    rng = np.random.default_rng(2)
    a = rng.permutation(1000).astype(np.float64)
    default = njit(lambda a: np.argsort(a))
    same(np.argsort(a), default(a))


def np_clip(a, lo, hi):
    return np.clip(a, lo, hi)


def clip_method(a, lo, hi):
    return a.clip(lo, hi)


def clip_above(a, hi):
    return np.clip(a, None, hi)


def clip_below(a, lo):
    return a.clip(min=lo)


clip_function = njit(np_clip)
clip_compiled_method = njit(clip_method)
clip_above_compiled = njit(clip_above)
clip_below_compiled = njit(clip_below)


@pytest.mark.parametrize(("dtype", "layout"), CASES)
def test_clip(dtype, layout):
    for shape in ((0,), (9,), (4, 5)):
        a = sample(dtype, shape, layout)
        bounds = [(1, 3), (-2.5, 1.5), (3, 1)] if dtype != "bool" else [(False, True)]
        for lo, hi in bounds:
            agree(np_clip, clip_function, a, lo, hi)
            agree(clip_method, clip_compiled_method, a, lo, hi)
            agree(clip_above, clip_above_compiled, a, hi)
            agree(clip_below, clip_below_compiled, a, lo)
        if dtype.startswith("float"):
            agree(np_clip, clip_function, a, np.nan, 1.0)
        if len(shape) >= 1 and dtype != "bool":
            last = np.arange(shape[-1], dtype=dtype)
            agree(np_clip, clip_function, a, last, 50)
            agree(np_clip, clip_function, a, np.zeros(shape, dtype), last)
            agree(np_clip, clip_function, a, np.zeros(shape[-1] + 1, dtype), 5)  # ValueError


def np_round(a, decimals):
    return np.round(a, decimals)


def around(a, decimals):
    return np.around(a, decimals=decimals)


def round_method(a):
    return a.round()


round_function = njit(np_round)
around_function = njit(around)
round_compiled_method = njit(round_method)


@pytest.mark.parametrize(
    ("dtype", "layout"), [(d, "C") for d in DTYPES[1:]] + [("int32", "F"), ("float64", "reversed")]
)
def test_round(dtype, layout):
    for shape in ((0,), (11,), (3, 4)):
        # Integers rounded past their dtype's range raise OverflowError (NumPy wraps them).
        a = sample(dtype, shape, layout, extremes=False)
        if dtype.startswith("float"):
            a = a * np.asarray(1.37, dtype)
        for decimals in (0, 1, 2, -1):
            agree(np_round, round_function, a, decimals)
            agree(around, around_function, a, decimals)
        agree(round_method, round_compiled_method, a)
    halves = np.array([0.5, 1.5, 2.5, -0.5, -2.5, 1e300, np.nan, -np.inf, 0.25, 0.35])
    same(
        np.round(halves.astype(dtype) if dtype.startswith("f") else halves, 1),
        round_function(halves.astype(dtype) if dtype.startswith("f") else halves, 1),
    )


def np_nonzero(a):
    return np.nonzero(a)


def nonzero_method(a):
    return a.nonzero()


def np_flatnonzero(a):
    return np.flatnonzero(a)


nonzero_function = njit(np_nonzero)
nonzero_compiled_method = njit(nonzero_method)
flatnonzero_function = njit(np_flatnonzero)


@pytest.mark.parametrize(("dtype", "layout"), [*CASES, ("complex128", "C"), ("complex128", "F")])
def test_nonzero(dtype, layout):
    for shape in ((0,), (13,), (4, 6), (0, 3)):
        a = sample(dtype, shape, layout)
        agree(np_nonzero, nonzero_function, a)
        agree(nonzero_method, nonzero_compiled_method, a)
        agree(np_flatnonzero, flatnonzero_function, a)
    agree(np_nonzero, nonzero_function, np.array(3.0))  # ValueError on 0-d


def np_repeat(a, n):
    return np.repeat(a, n)


def repeat_method(a, n):
    return a.repeat(n)


def np_take(a, indices):
    return np.take(a, indices)


def take_method(a, indices):
    return a.take(indices)


repeat_function = njit(np_repeat)
repeat_compiled_method = njit(repeat_method)
take_function = njit(np_take)
take_compiled_method = njit(take_method)


@pytest.mark.parametrize(("dtype", "layout"), CASES)
def test_repeat_and_take(dtype, layout):
    for shape in ((0,), (5,), (3, 4)):
        a = sample(dtype, shape, layout)
        for n in (0, 1, 3, -1):
            agree(np_repeat, repeat_function, a, n)
            agree(repeat_method, repeat_compiled_method, a, n)
        agree(np_repeat, repeat_function, a, np.arange(a.size))
        size = a.size
        for index in (0, -1, size - 1, size, -size - 1):
            agree(np_take, take_function, a, index)
            agree(take_method, take_compiled_method, a, index)
        indices = np.array([[0, -1], [size - 1, 0]]) if size else np.zeros((0, 2), np.int64)
        agree(np_take, take_function, a, indices)
        agree(take_method, take_compiled_method, a, np.array([0, size]))  # IndexError


def conj_method(a):
    return a.conj()


def conjugate_method(a):
    return a.conjugate()


conj_compiled = njit(conj_method)
conjugate_compiled = njit(conjugate_method)


@pytest.mark.parametrize("dtype", (*DTYPES, "complex128"))
def test_conj(dtype):
    for layout in LAYOUTS:
        a = sample(dtype, (3, 4), layout)
        agree(conj_method, conj_compiled, a)
        agree(conjugate_method, conjugate_compiled, a)


def np_diff(a, n, axis):
    return np.diff(a, n, axis)


def diff_default(a):
    return np.diff(a)


diff_function = njit(np_diff)
diff_default_compiled = njit(diff_default)


@pytest.mark.parametrize(("dtype", "layout"), CASES)
def test_diff(dtype, layout):
    for shape in ((0,), (1,), (6,), (4, 5), (3, 0)):
        a = sample(dtype, shape, layout, nans=False)
        agree(diff_default, diff_default_compiled, a)
        for n in (0, 1, 2, 7, -1):
            for axis in (-1, 0, 1, 2):
                agree(np_diff, diff_function, a, n, axis)


def test_errors_name_the_problem():
    with pytest.raises(AxisError):
        sort_function(np.zeros(3), 1)
    with pytest.raises(ValueError, match="negative"):
        repeat_function(np.zeros(3), -2)
    with pytest.raises(IndexError, match="out of bounds"):
        take_function(np.zeros(3), 3)
    with pytest.raises(ValueError, match="order must be non-negative"):
        diff_function(np.zeros(3), -1, 0)


def count_along(a, axis):
    return np.count_nonzero(a, axis=axis)


count_along_compiled = njit(count_along)


@pytest.mark.parametrize("dtype", (*DTYPES, "complex128"))
def test_count_nonzero_along_an_axis(dtype):
    for layout in LAYOUTS:
        for shape in ((7,), (4, 5), (0, 3)):
            a = sample(dtype, shape, layout)
            for axis in (-1, 0, 1, -3):
                agree(count_along, count_along_compiled, a, axis)
