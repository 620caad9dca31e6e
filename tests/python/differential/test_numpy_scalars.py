"""NumPy scalar types (np.int8 ... np.uint64, np.float32) as arguments, results and
constructors, with NumPy's promotion, wraparound and results: NumPy is the oracle.

nogil returns int64, float64 and bool results as Python int, float and bool (as Numba
does) where NumPy returns np.int64, np.float64 and np.bool_; values are compared exactly."""

import contextlib
import io
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nogil import njit

from .operators import add, floordiv, mod, mul, sub, truediv

INTEGER_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FLOAT_TYPES = [np.float32]
PYTHON_EQUIVALENT = {np.int64: int, np.float64: float, np.bool_: bool}


@st.composite
def scalars(draw, types=INTEGER_TYPES + FLOAT_TYPES):
    scalar_type = draw(st.sampled_from(types))
    if scalar_type in FLOAT_TYPES:
        value = draw(st.floats(width=32, allow_nan=True, allow_infinity=True))
    else:
        info = np.iinfo(scalar_type)
        value = draw(st.integers(int(info.min), int(info.max)))
    return scalar_type(value)


def assert_numpy_result(expected, got, where):
    expected_type = PYTHON_EQUIVALENT.get(type(expected), type(expected))
    assert type(got) is expected_type, f"{where}: NumPy {expected!r}, nogil {got!r}"
    if isinstance(expected, np.floating | float):
        same = (math.isnan(expected) and math.isnan(got)) or (
            np.float64(expected).tobytes() == np.float64(got).tobytes()
        )
        assert same, f"{where}: NumPy {expected!r}, nogil {got!r}"
    else:
        assert expected == got, f"{where}: NumPy {expected!r}, nogil {got!r}"


def bit_and(a, b):
    return a & b


def bit_xor(a, b):
    return a ^ b


def less(a, b):
    return a < b


def equal(a, b):
    return a == b


def negate(a):
    return -a


def absolute(a):
    return abs(a)


def maximum(a, b):
    return max(a, b)


ARITHMETIC = [add, sub, mul, floordiv, mod, truediv]
COMPILED = {op: njit(op) for op in [*ARITHMETIC, bit_and, bit_xor, less, equal, negate, absolute]}


def numpy_value(op, *args):
    with np.errstate(all="ignore"):
        return op(*args)


@given(a=scalars(), b=scalars())
@pytest.mark.parametrize("op", ARITHMETIC, ids=lambda op: op.__name__)
def test_arithmetic_promotes_and_wraps_as_numpy(op, a, b):
    if op in (floordiv, mod, truediv):
        assume(b != 0)  # by zero: nogil raises ZeroDivisionError, NumPy warns
    expected = numpy_value(op, a, b)
    assert_numpy_result(expected, COMPILED[op](a, b), f"{op.__name__}({a!r}, {b!r})")


@given(a=scalars(INTEGER_TYPES), b=scalars(INTEGER_TYPES))
@pytest.mark.parametrize("op", [bit_and, bit_xor], ids=lambda op: op.__name__)
def test_bitwise_on_integers(op, a, b):
    # A signed integer with a uint64 has no common integer type: both refuse it.
    assume(np.result_type(a, b).kind != "f")
    expected = numpy_value(op, a, b)
    assert_numpy_result(expected, COMPILED[op](a, b), f"{op.__name__}({a!r}, {b!r})")


@given(a=scalars(), b=scalars())
@pytest.mark.parametrize("op", [less, equal], ids=lambda op: op.__name__)
def test_comparisons_are_exact(op, a, b):
    expected = numpy_value(op, a, b)
    assert_numpy_result(expected, COMPILED[op](a, b), f"{op.__name__}({a!r}, {b!r})")


@given(a=scalars())
@pytest.mark.parametrize("op", [negate, absolute], ids=lambda op: op.__name__)
def test_unary_keeps_the_type(op, a):
    expected = numpy_value(np.negative if op is negate else np.absolute, a)
    assert_numpy_result(expected, COMPILED[op](a), f"{op.__name__}({a!r})")


def construct(x):
    return np.int32(x) + np.int32(1), np.uint8(x & 0xFF), np.float32(x) * np.float32(2), np.int16()


CONSTRUCT = njit(construct)


@given(x=st.integers(-(2**31) + 1, 2**31 - 2))
def test_constructors_in_compiled_code(x):
    # np.uint8(x) of an int outside 0..255 is an OverflowError (test_integer_conversions.py).
    got = CONSTRUCT(x)
    with np.errstate(all="ignore"):
        expected = construct(x)
    for e, g in zip(expected, got, strict=True):
        assert_numpy_result(e, g, f"construct({x})")


def raise_text(a, b):
    raise ValueError(f"{a} and {b}")


RAISE_TEXT = njit(raise_text)


@given(a=scalars(), b=scalars())
def test_f_strings_format_numpy_scalars_as_python_does(a, b):
    with pytest.raises(ValueError) as info:
        RAISE_TEXT(a, b)
    assert str(info.value) == f"{a} and {b}"


def show(a, b):
    print(a, b, -a)


SHOW = njit(show)


def printed(function, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), np.errstate(all="ignore"):
        function(*args)
    return out.getvalue()


@given(a=scalars(), b=scalars())
def test_print_spells_numpy_scalars_as_str_does(a, b):
    assert printed(SHOW, a, b) == printed(show, a, b)


def mixes_int64_and_uint64(a, b):
    return a & b


def test_bitwise_of_int64_and_uint64_is_a_typing_error():
    with pytest.raises(TypeError, match="unsupported operand types for &: int64 and uint64"):
        njit(mixes_int64_and_uint64)(np.int64(1), np.uint64(2))


def test_explicit_signature_with_numpy_types():
    cfunc = njit("float32(float32, int16)")(add)
    got = cfunc(np.float32(1.5), np.int16(2))
    assert type(got) is np.float32 and got == np.float32(3.5)
