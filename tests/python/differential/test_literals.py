"""String constants and dtypes as values, against NumPy: `kind=`/`side=` strings (folded when
compiling, refused values raising NumPy's ValueError at run time), dtype strings, dtypes as
values and arguments (np.float32, float, np.dtype('f8'), a.dtype, passed to compiled
callees, compared), scalar `.view`, and the overload side (types.StringLiteral)."""

import numpy as np
import pytest

import nogil
from nogil import njit
from nogil.extending import overload, types

from .test_library_methods import sample

FLOATS_AND_INTS = ("bool", "int8", "uint16", "int32", "int64", "uint64", "float32", "float64")
KINDS = ("quicksort", "mergesort", "heapsort", "stable", "q", "Stable", "H")


def outcome(function, *args):
    try:
        return "value", function(*args)
    except Exception as error:  # compared by type and message
        return "raise", (type(error), str(error))


def agree(pyfunc, *args):
    expected = outcome(pyfunc, *args)
    got = outcome(njit(pyfunc), *args)
    assert expected[0] == got[0], (expected, got)
    if expected[0] == "raise":
        assert expected[1] == got[1]
        return
    np.testing.assert_array_equal(np.asarray(got[1]), np.asarray(expected[1]))
    assert np.asarray(got[1]).dtype == np.asarray(expected[1]).dtype


def sorts(a):
    return (
        np.sort(a, kind="quicksort"),
        np.sort(a, kind="mergesort"),
        np.sort(a, kind="stable"),
        np.sort(a, kind="heapsort"),
        np.sort(a, kind="Q"),
        np.argsort(a, kind="stable"),
        a.argsort(kind="mergesort"),
    )


_sorts = njit(sorts)


@pytest.mark.parametrize("dtype", FLOATS_AND_INTS)
@pytest.mark.parametrize("layout", ("C", "reversed"))
def test_sort_kinds_agree_with_numpy(dtype, layout):
    a = sample(dtype, (23,), layout, seed=3)
    for expected, got in zip(sorts(a), _sorts(a), strict=True):
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == expected.dtype


def test_stable_sort_keeps_signed_zeros_in_order():
    a = np.array([0.0, -0.0, 1.0, -0.0, 0.0, np.nan, -1.0] * 5)
    for kind in ("stable", "mergesort"):
        expected = np.sort(a, kind=kind)
        got = njit(lambda a: np.sort(a, kind="stable"))(a)
        assert np.array_equal(np.signbit(got), np.signbit(expected))


def test_in_place_sort_with_kind():
    def f(a):
        b = a.copy()
        b.sort(kind="mergesort")
        c = a.copy()
        c.sort(axis=0, kind="heapsort")
        return b, c

    a = sample("float64", (6, 5), seed=1)
    for expected, got in zip(f(a), njit(f)(a), strict=True):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("kind", ("foo", "", "x1", "it's"))
def test_unknown_sort_kind_raises_numpys_value_error(kind):
    def f(a):  # `kind`, a closure variable, is frozen as a string constant
        return np.sort(a, kind=kind)

    def g(a):
        return a.argsort(kind=kind)

    agree(f, np.arange(3.0))
    agree(g, np.arange(3.0))


def test_sort_kind_of_the_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="sort kind must be str"):
        njit(lambda a: np.sort(a, kind=3))(np.arange(3.0))


def searches(a, v, w):
    return (
        np.searchsorted(a, v),
        np.searchsorted(a, v, side="left"),
        np.searchsorted(a, v, side="right"),
        np.searchsorted(a, w, "right"),
        a.searchsorted(w, side="left"),
    )


_searches = njit(searches)


@pytest.mark.parametrize("dtype", ("int32", "int64", "uint8", "float32", "float64", "bool"))
def test_searchsorted_agrees_with_numpy(dtype):
    a = np.sort(sample(dtype, (17,), seed=5))
    for v in (a[0], a[len(a) // 2], a[-1]):
        w = sample(dtype, (3, 4), seed=6)
        for expected, got in zip(searches(a, v, w), _searches(a, v, w), strict=True):
            np.testing.assert_array_equal(got, expected)
            assert np.asarray(got).dtype == np.asarray(expected).dtype


def test_searchsorted_orders_nan_last():
    a = np.array([-np.inf, -1.0, 0.0, 0.0, 2.0, np.inf, np.nan, np.nan])
    w = np.array([np.nan, np.inf, 0.0, -5.0, 3.0])
    for expected, got in zip(searches(a, np.nan, w), _searches(a, np.nan, w), strict=True):
        np.testing.assert_array_equal(got, expected)
    empty = np.zeros(0)
    for expected, got in zip(searches(empty, 1.0, w), _searches(empty, 1.0, w), strict=True):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("side", ("middle", "l", "Right", ""))
def test_unknown_search_side_raises_numpys_value_error(side):
    def f(a):
        return np.searchsorted(a, 1.0, side=side)

    agree(f, np.arange(3.0))


def dtype_strings(n):
    return (
        np.zeros(n, "float32"),
        np.ones(n, dtype="i4"),
        np.empty(0, dtype="<f8"),
        np.full(n, 3, "uint8"),
        np.zeros((n, 2), dtype="bool"),
        np.arange(n, dtype="int16"),
        np.zeros(n, "complex128"),
        np.ones(n, "int"),
        np.ones(n, "float"),
    )


def test_dtype_strings_make_numpys_arrays():
    for expected, got in zip(dtype_strings(4), njit(dtype_strings)(4), strict=True):
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == expected.dtype


def dtype_values(a):
    t = np.float32
    u = a.dtype
    d = np.dtype("int16")
    return (
        np.zeros(3, t),
        np.empty(2, dtype=u).shape,
        np.ones(2, d),
        np.zeros(2, np.dtype(np.uint8)),
        np.ones(2, float),
        np.ones(2, bool),
        np.zeros(2, np.complex128),
        a.astype(np.int8),
        a.astype(d),
        np.ones(2, np.bool_),
        np.full(2, 7, a.dtype.type),
    )


def test_dtypes_as_values():
    a = np.arange(4.0)
    for expected, got in zip(dtype_values(a), njit(dtype_values)(a), strict=True):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
        assert np.asarray(got).dtype == np.asarray(expected).dtype


def compare_dtypes(a):
    return (
        a.dtype == np.float64,
        a.dtype != np.float64,
        a.dtype == np.float32,
        a.dtype == "float64",
        a.dtype == "f8",
        np.dtype("f4") == np.float32,
        a.dtype == float,
        a.dtype in (np.int32, np.float64),
        a.dtype.itemsize,
        a.dtype.name == "float64",
        a.dtype.kind == "f",
    )


@pytest.mark.parametrize("dtype", ("float64", "float32", "int32", "bool"))
def test_dtype_comparisons_agree_with_numpy(dtype):
    a = np.zeros(2, dtype)
    assert njit(compare_dtypes)(a) == compare_dtypes(a)


@njit
def _zeros_of(n, dtype):
    return np.zeros(n, dtype)


@njit
def _accumulate(a, dtype=np.float32):
    out = np.empty(a.shape[0], dtype)
    total = dtype(0)
    for i in range(a.shape[0]):
        total += a[i]
        out[i] = total
    return out


def test_dtypes_passed_to_compiled_callees():
    def f(a):
        return _zeros_of(3, np.int8), _zeros_of(2, a.dtype), _accumulate(a), _accumulate(a, float)

    a = np.arange(5, dtype=np.int32)
    got = njit(f)(a)
    assert [g.dtype for g in got] == [np.int8, np.int32, np.float32, np.float64]
    np.testing.assert_array_equal(got[3], np.cumsum(a))


def test_string_constants_fold_branches():
    @njit
    def pick(x, mode):
        if mode == "double":
            return x * 2
        elif mode in ("half", "halve"):
            return x / 2
        elif not (mode != "neg" and mode != "negate"):
            return -x
        raise ValueError("unknown mode")

    def f(x):
        return pick(x, "double"), pick(x, "halve"), pick(x, "negate")

    assert njit(f)(3.0) == (6.0, 1.5, -3.0)
    with pytest.raises(ValueError, match="unknown mode"):
        njit(lambda x: pick(x, "other"))(1.0)


MODE = "right"
MESSAGE = "the message"


def test_module_strings_are_constants():
    def f(a):
        if MODE == "right":
            print(MODE, a.dtype)
            return np.searchsorted(a, 1.0, side=MODE)
        raise ValueError(MESSAGE)

    assert njit(f)(np.arange(3.0)) == f(np.arange(3.0))


def test_strings_and_dtypes_cannot_be_returned_to_python():
    with pytest.raises(nogil.TypingError, match="cannot return"):
        njit(lambda: "text")()
    with pytest.raises(nogil.TypingError, match="cannot return"):
        njit(lambda a: a.dtype)(np.zeros(2))
    with pytest.raises(nogil.TypingError):
        njit(lambda a: ("x" + "y", a))(1)


def test_strings_cannot_be_stored_in_arrays():
    def f(a):
        a[0] = "x"

    with pytest.raises(nogil.TypingError):
        njit(f)(np.zeros(2))


VIEWS = [
    ("int64", "uint64"),
    ("uint64", "int64"),
    ("float64", "int64"),
    ("int64", "float64"),
    ("float32", "uint32"),
    ("int32", "float32"),
    ("int8", "uint8"),
    ("uint16", "int16"),
    ("bool", "uint8"),
    ("uint8", "bool"),
]


@pytest.mark.parametrize(("source", "target"), VIEWS)
def test_scalar_view_reinterprets_bits(source, target):
    make, to = getattr(np, source), getattr(np, target)

    def g(x):
        return make(x).view(to)

    for x in (0, 1, 5, 100) if source != "bool" else (0, 1):
        expected = g(x)
        got = njit(g)(x)
        assert np.asarray(got).dtype == np.asarray(expected).dtype or target in ("bool", "int64")
        assert got == expected or (np.isnan(expected) and np.isnan(got))


def test_scalar_view_of_another_size_is_refused():
    with pytest.raises(nogil.TypingError, match="keeps its size"):
        njit(lambda x: np.int64(x).view(np.int32))(1)


def test_overloads_read_string_literals():
    def greet(kind):
        pass

    @overload(greet)
    def greet_typing(kind):
        if isinstance(kind, types.StringLiteral):
            size = len(kind.literal_value)
            return lambda kind: size
        if isinstance(kind, types.DType):
            bits = 8 * np.dtype(kind.dtype.name).itemsize
            return lambda kind: bits
        return None

    assert njit(lambda: (greet("hello"), greet(np.int16), greet(np.dtype("f4"))))() == (5, 16, 32)


def test_from_name_round_trips_literal_types():
    assert types.from_name("Literal[str]('it''s')") is not None
    literal = types.from_name('Literal[str]("it\'s")')
    assert isinstance(literal, types.StringLiteral) and literal.literal_value == "it's"
    dtype = types.from_name("dtype(float32)")
    assert isinstance(dtype, types.DType) and dtype.dtype == types.float32
    assert types.NumberClass is types.DType


def reductions_with_dtype(a):
    return (
        a.sum(dtype=np.float32),
        np.sum(a, dtype=np.float64),
        np.sum(a, axis=0, dtype="int8"),
        a.prod(dtype=np.int64),
        np.cumsum(a, dtype=np.float32),
        a.cumprod(axis=1, dtype=np.dtype("float64")),
        np.sum(a, dtype=None),
        a.mean(dtype=np.float32),
        np.mean(a, axis=1, dtype=np.float64),
        a.std(dtype=np.float64),
    )


_reductions_with_dtype = njit(reductions_with_dtype)


@pytest.mark.parametrize("dtype", ("int8", "int32", "uint16", "float32", "float64", "bool"))
def test_reductions_with_dtype_agree_with_numpy(dtype):
    a = sample(dtype, (4, 5), seed=2, nans=False)
    expected_all = reductions_with_dtype(a)
    got_all = _reductions_with_dtype(a)
    for expected, got in zip(expected_all, got_all, strict=True):
        assert np.asarray(got).dtype == np.asarray(expected).dtype, (got, expected)
        np.testing.assert_allclose(np.asarray(got, float), np.asarray(expected, float), rtol=1e-6)


def orders(a, n):
    order = "C"
    return (
        np.zeros(n, np.int32, "C"),
        np.ones((n, 2), order=order),
        np.empty_like(a, order="K").shape,
        np.full(n, 2.0, order="C"),
        a.reshape((2, -1), order="C"),
        a.ravel(order=order),
        a.flatten(order="C"),
        a.copy(order="K"),
    )


def test_order_c_is_taken_by_name_or_value():
    a = np.arange(6.0)
    for expected, got in zip(orders(a, 3), njit(orders)(a, 3), strict=True):
        np.testing.assert_array_equal(got, expected)
        assert np.asarray(got).dtype == np.asarray(expected).dtype


@pytest.mark.parametrize("dtype", ("float32", "int8", "uint64", "bool"))
def test_scalar_types_called_on_sequences_make_arrays(dtype):
    make = np.bool_ if dtype == "bool" else getattr(np, dtype)

    def f(a):
        return make((1, 0, 3)), make(a), make(())

    a = sample("float64", (5,), nans=False, extremes=False)
    a = np.abs(a)
    for expected, got in zip(f(a), njit(f)(a), strict=True):
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == expected.dtype
    with pytest.raises(OverflowError):
        njit(lambda: np.int8((1, 300)))()


def test_dtypes_passed_from_python():
    @njit
    def convert(a, dtype=np.float64):
        return np.sort(a, kind="stable").astype(dtype)

    a = np.array([2.0, -0.0, 0.0, 1.0])
    for dtype in (np.float32, np.dtype("int16"), float, np.complex128, bool):
        expected = np.sort(a, kind="stable").astype(dtype)
        got = convert(a, dtype)
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == expected.dtype
    np.testing.assert_array_equal(convert(a), np.sort(a))
    with pytest.raises(TypeError, match="unsupported type"):
        convert(a, np.dtype("complex64"))
    with pytest.raises(TypeError, match="unsupported type 'str'"):  # strings: a later issue
        convert(a, "float32")


def test_arguments_after_a_compile_time_argument_keep_their_values():
    # A dtype, None or a compiled function passed from Python holds nothing at run time;
    # the arguments after it must still read their own values.
    def after_dtype(t, x, n):
        return np.zeros(n, t).sum() + x * n

    def around_none(x, nothing, y):
        return x - y if nothing is None else x

    assert njit(after_dtype)(np.float32, 2.5, 3) == after_dtype(np.float32, 2.5, 3)
    assert njit(around_none)(7, None, 2) == 5
    twice = njit(lambda v: 2 * v)

    def through(f, x, y):
        return f(x) + y

    assert njit(through)(twice, 1.5, 4) == 7.0
