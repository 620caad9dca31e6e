"""datetime64 and timedelta64 against NumPy: scalars of every unit (NaT included) as
arguments and results, the operators NumPy has for them with its unit rules, comparisons,
np.isnat, abs and min/max, and arrays of them (every layout, element get and set,
elementwise operators with broadcasting, results). Where NumPy refuses the operands, the
compiled function is refused too (a TypingError, which is a TypeError)."""

import itertools
import warnings

import numpy as np
import pytest

import nogil

from .operators import add, floordiv, mod, mul, sub, truediv

UNITS = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns"]
# Pairs of units covering NumPy's rules: equal, finer either way (each step of the factor
# chain), years with months, years or months with linear units, weeks with days.
UNIT_PAIRS = [
    ("D", "D"),
    ("Y", "M"),
    ("M", "Y"),
    ("Y", "D"),
    ("D", "M"),
    ("W", "D"),
    ("h", "W"),
    ("m", "s"),
    ("ms", "s"),
    ("us", "ns"),
    ("M", "ns"),
    ("Y", "W"),
]


def dt(value, unit):
    return np.datetime64(value, unit)


def td(value, unit):
    return np.timedelta64(value, unit)


def numpy_outcome(fn, *args):
    """fn(*args) under NumPy: the value, or the exception class when it raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args)
        except TypeError:
            return TypeError


def compiled_outcome(compiled, *args):
    try:
        return compiled(*args)
    except TypeError:
        return TypeError


def same(expected, got):
    """Equal values of the same type (NaT equal to NaT, NaN to NaN), and the same unit."""
    if expected is TypeError or got is TypeError:
        return expected is got
    if isinstance(expected, tuple):
        return len(expected) == len(got) and all(map(same, expected, got))
    if isinstance(expected, np.ndarray):
        return (
            isinstance(got, np.ndarray)
            and expected.dtype == got.dtype
            and expected.shape == got.shape
            and np.array_equal(expected, got, equal_nan=expected.dtype.kind in "fcmM")
        )
    # int64, float64 and bool results come back as Python's int, float and bool
    compatible = (
        (isinstance(expected, (bool, np.bool_)) and isinstance(got, (bool, np.bool_)))
        or (isinstance(expected, np.floating) and isinstance(got, float))
        or (isinstance(expected, np.integer) and isinstance(got, int))
    )
    if type(expected) is not type(got) and not compatible:
        return False
    if isinstance(expected, (np.datetime64, np.timedelta64)):
        if np.datetime_data(expected.dtype) != np.datetime_data(got.dtype):
            return False
        if np.isnat(expected):
            return bool(np.isnat(got))
        return expected == got
    if isinstance(expected, (float, np.floating)) and np.isnan(expected):
        return bool(np.isnan(got))
    return expected == got


_COMPILED = {}


def compiled(fn):
    """One dispatcher per function, so that each argument type compiles once."""
    if fn not in _COMPILED:
        _COMPILED[fn] = nogil.njit(fn)
    return _COMPILED[fn]


def check(fn, *args):
    try:
        expected = numpy_outcome(fn, *args)
    except OverflowError:
        # Out of int64's range: recent NumPy releases raise, older ones wrap, as compiled code
        # (and Numba) does; there is no single oracle to compare with.
        return
    got = compiled_outcome(compiled(fn), *args)
    assert same(expected, got), (args, expected, got)


def comparisons(a, b):
    return a < b, a <= b, a > b, a >= b, a == b, a != b


def identity(a):
    return a


def unary(a):
    return -a, +a, abs(a), np.isnat(a)


def isnat(a):
    return np.isnat(a)


def builtin_minmax(a, b):
    return min(a, b), max(a, b)


def minmax(a, b):
    return np.maximum(a, b), np.minimum(a, b), np.fmax(a, b), np.fmin(a, b)


VALUES = [0, 1, -1, 7, -7, 12345, -400000, "NaT"]


def timedeltas(units):
    return [td(v, u) for u in units for v in VALUES]


DATETIME_TEXTS = ["1970-01-01", "2020-02-29", "1969-12-31", "1600-03-01", "2400-12-31", "NaT"]


def datetimes(units):
    return [dt(v, u) for u in units for v in DATETIME_TEXTS]


@pytest.mark.parametrize(
    "value",
    timedeltas(UNITS) + datetimes(UNITS) + [td(5, "ps"), np.timedelta64(3), np.datetime64("NaT")],
)
def test_scalar_round_trip_keeps_unit(value):
    check(identity, value)


@pytest.mark.parametrize("unit_a, unit_b", UNIT_PAIRS)
def test_timedelta_arithmetic_and_comparisons(unit_a, unit_b):
    left = [td(v, unit_a) for v in (7, -7, 0, "NaT")]
    right = [td(v, unit_b) for v in (2, -3, 0, "NaT")]
    for a, b in itertools.product(left, right):
        for fn in (add, sub, truediv, floordiv, mod, comparisons):
            check(fn, a, b)


@pytest.mark.parametrize("unit", ["Y", "D", "ns", ""])
def test_timedelta_with_numbers(unit):
    values = [td(v, unit) if unit else np.timedelta64(v) for v in (7, -7, 0)]
    values.append(td("NaT", unit) if unit else np.timedelta64("NaT"))
    numbers = [2, -2, 0, True, np.int32(3), np.uint8(2), 2.5, -2.5, 0.0, np.float32(1.5), 1e30]
    for a, n in itertools.product(values, numbers):
        for fn in (add, sub, mul, truediv, floordiv, mod):
            check(fn, a, n)
            check(fn, n, a)
    for a in values:
        check(unary, a)
        check(comparisons, a, 3)


@pytest.mark.parametrize("unit_a, unit_b", UNIT_PAIRS)
def test_datetime_arithmetic_and_comparisons(unit_a, unit_b):
    for a, b in itertools.product(datetimes([unit_a])[::2], datetimes([unit_b])[1::2]):
        check(sub, a, b)
        check(comparisons, a, b)
        check(minmax, a, b)
        if (
            unit_a == unit_b
        ):  # else Python's min returns its operand, compiled code the unified type
            check(builtin_minmax, a, b)
    for a, b in itertools.product(datetimes([unit_a])[:3], [td(3, unit_b), td("NaT", unit_b)]):
        check(add, a, b)
        check(add, b, a)
        check(sub, a, b)
        check(sub, b, a)
        check(comparisons, a, b)
    for a in datetimes([unit_a])[:3]:
        check(add, a, 5)
        check(sub, a, 5)
        check(mul, a, 2)
        check(isnat, a)


def test_minmax_of_timedeltas():
    for a, b in itertools.product(timedeltas(["D", "h"])[::3], timedeltas(["s"])[::2]):
        check(minmax, a, b)
    for a, b in itertools.product(timedeltas(["s"]), timedeltas(["s"])[::2]):
        check(builtin_minmax, a, b)


def test_global_timedelta_constant():
    one_day = np.timedelta64(1, "D")

    def shift(t):
        return t + one_day

    check(shift, np.datetime64("2020-02-28"))
    check(shift, np.datetime64("2020-02-28T10", "h"))


def test_incompatible_units_are_type_errors():
    cases = [
        (add, td(1, "M"), td(1, "D")),
        (sub, dt("2020-01-01", "D"), td(1, "M")),
        (add, dt("2020-01-01", "D"), dt("2020-01-01", "D")),
        (comparisons, dt("2020-01-01", "D"), td(1, "D")),
        (mul, td(1, "D"), td(1, "D")),
        (truediv, 2, td(1, "D")),
        (mod, td(3, "D"), 2),
        (add, td(3, "D"), 2.0),
    ]
    for fn, a, b in cases:
        with pytest.raises(TypeError):
            fn(a, b)
        with pytest.raises(nogil.TypingError):
            compiled(fn)(a, b)


def test_isnat_refuses_numbers():
    with pytest.raises(nogil.TypingError):
        compiled(isnat)(1.5)


def layouts(base):
    """The array as C, F, strided and negative-stride views (2-D when it has 2 dims)."""
    yield base
    yield np.asfortranarray(base)
    yield base[..., ::2]
    yield base[..., ::-1]


def array_of(unit, shape, kind="m", seed=0):
    rng = np.random.default_rng(seed)
    values = rng.integers(-1000, 1000, size=shape)
    array = values.astype(f"{kind}8[{unit}]")
    array.reshape(-1)[:: max(1, array.size // 3)] = np.timedelta64("NaT") if kind == "m" else "NaT"
    return array


def elementwise(a, b):
    return a + b, a - b, a < b, a == b, a != b


def elementwise_timedelta(a, b, n):
    return a * n, a // n, a / b, a // b, a % b, -a, np.isnat(a)


def elementwise_datetime(d, t):
    return d - d, d + t, d - t, np.isnat(d), d > d[..., :1]


@pytest.mark.parametrize("unit", ["D", "s", "ns", "M"])
def test_timedelta_arrays_every_layout(unit):
    fn = compiled(elementwise_timedelta)
    for a in layouts(array_of(unit, (3, 6))):
        b = array_of("h" if unit != "M" else "Y", a.shape, seed=1)
        for n in (3, -2, 0, 2.5):
            expected = numpy_outcome(elementwise_timedelta, a, b, n)
            got = compiled_outcome(fn, a, b, n)
            assert same(expected, got), (unit, n, expected, got)


@pytest.mark.parametrize("unit_d, unit_t", [("D", "h"), ("s", "s"), ("M", "D"), ("Y", "M")])
def test_datetime_arrays_broadcasting(unit_d, unit_t):
    fn = compiled(elementwise_datetime)
    for d in layouts(array_of(unit_d, (4, 6), kind="M")):
        for t in (array_of(unit_t, (6,)), td(5, unit_t), td("NaT", unit_t)):
            t = t[: d.shape[-1]] if isinstance(t, np.ndarray) else t
            expected = numpy_outcome(elementwise_datetime, d, t)
            got = compiled_outcome(fn, d, t)
            assert same(expected, got), (unit_d, unit_t, expected, got)
    a = array_of(unit_t, (2, 5))
    check(elementwise, a, a[:1])
    check(elementwise, a, td(1, unit_t))


def element_loop(a, shift):
    total = a[0] - a[0]
    for i in range(a.shape[0]):
        if not np.isnat(a[i]):
            a[i] = a[i] + shift
            total += shift
    return a, total


@pytest.mark.parametrize("unit", ["D", "ms"])
def test_element_get_set(unit):
    fn = compiled(element_loop)
    for make in (lambda x: x, lambda x: x[::-2]):
        a = make(array_of(unit, (9,), kind="M"))
        b = a.copy()
        expected = element_loop(a, td(2, unit))
        got = fn(b, td(2, unit))
        assert same(expected, got)
        assert same(a, b)


def empty_shapes(a, b):
    return a + b, a < b


def test_empty_and_zero_dim_arrays():
    a = np.array([], dtype="m8[D]")
    check(empty_shapes, a, a)
    z = np.array(5, dtype="m8[s]")
    w = np.array(7, dtype="m8[ms]")
    # 0-d arrays give 0-d arrays in compiled code, where NumPy gives scalars
    got = compiled(empty_shapes)(z, w)
    assert all(map(same, (np.asarray(v) for v in empty_shapes(z, w)), got))


def test_unsupported_units_are_refused():
    with pytest.raises(TypeError):
        compiled(identity)(np.timedelta64(10, "10s"))
    with pytest.raises(TypeError):
        compiled(identity)(np.zeros(3, dtype="m8[10s]"))


def stores(a, t, n):
    a[0] = t
    a[1] = n
    a[2:4] = t
    a[4:] += t
    return a


@pytest.mark.parametrize("unit_a, unit_t", [("D", "h"), ("h", "D"), ("s", "ms"), ("M", "Y")])
def test_stores_convert_units_as_numpy(unit_a, unit_t):
    fn = compiled(stores)
    for t in (td(-36, unit_t), td(5, unit_t), td("NaT", unit_t)):
        a = array_of(unit_a, (7,))
        expected = numpy_outcome(stores, a.copy(), t, 3)
        got = compiled_outcome(fn, a.copy(), t, 3)
        assert same(expected, got), (unit_a, t, expected, got)


def test_store_refusals():
    def store_float(a):
        a[0] = 2.5

    def store_datetime(a):
        a[0] = np.datetime64("2020-01-01")

    with pytest.raises(nogil.TypingError):
        nogil.njit(store_float)(np.zeros(3, "m8[D]"))
    with pytest.raises(nogil.TypingError):
        nogil.njit(store_datetime)(np.zeros(3, "m8[D]"))


def extrema(a):
    return a.min(), a.max(), np.min(a), np.max(a)


@pytest.mark.parametrize("kind", ["m", "M"])
def test_min_max_propagate_nat(kind):
    fn = compiled(extrema)
    values = np.array([5, -3, 9], dtype=f"{kind}8[s]")
    with_nat = values.copy()
    with_nat[1] = np.datetime64("NaT") if kind == "M" else np.timedelta64("NaT")
    for a in (values, with_nat, values.reshape(1, 3)[:, ::-1]):
        assert same(extrema(a), fn(a))
    with pytest.raises(ValueError, match="zero-size array"):
        fn(values[:0])


def as_numbers(a):
    return a.astype(np.int64), a.astype(np.float64), a.astype(np.int32), a.astype(np.bool_)


def test_astype_to_numbers():
    for a in (array_of("D", (2, 5)), array_of("s", (7,), kind="M")[::-2]):
        check(as_numbers, a)


def test_printing_is_refused():
    def show(t):
        print(t)

    with pytest.raises(nogil.TypingError, match="datetime64 and timedelta64"):
        nogil.njit(show)(td(3, "D"))


def ufuncs(d, t):
    return (
        np.add(d, t),
        np.subtract(d, d),
        np.subtract(d, t),
        np.divide(t, t),
        np.floor_divide(t, t),
        np.remainder(t, t),
        np.multiply(t, 3),
        np.less(d, d),
        np.not_equal(t, t),
        np.negative(t),
        np.positive(t),
        np.absolute(t),
    )


def test_ufuncs_on_scalars_and_arrays():
    d = array_of("D", (3, 4), kind="M")
    t = array_of("h", (4,), seed=2)
    check(ufuncs, d, t)
    check(ufuncs, d[::-1, ::2], t[::2])
    check(ufuncs, dt("2020-02-29", "D"), td(-5, "h"))
    check(ufuncs, dt("NaT", "M"), td(5, "W"))
