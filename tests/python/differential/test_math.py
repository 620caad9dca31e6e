"""The math module against CPython: values bitwise, and the same ValueError ("math domain
error") or OverflowError ("math range error") where CPython raises them."""

import math
from math import sqrt as imported_sqrt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .oracle import (
    assert_outcomes,
    assert_same,
    compiled,
    floats,
    run,
    same_float,
    small_ints,
    wide_ints,
)
from .test_builtins import assert_same_or_int64_overflow

ONE_ARGUMENT = [
    "sqrt", "exp", "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tan", "asin",
    "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "fabs",
]  # fmt: skip


def sqrt_imported_by_name(x):
    return imported_sqrt(x)


def log_with_base(x, base):
    return math.log(x, base)


def atan2(y, x):
    return math.atan2(y, x)


def copysign(x, y):
    return math.copysign(x, y)


def fmod(x, y):
    return math.fmod(x, y)


def math_pow(x, y):
    return math.pow(x, y)


def hypot(x, y):
    return math.hypot(x, y)


def floor(x):
    return math.floor(x)


def ceil(x):
    return math.ceil(x)


def trunc(x):
    return math.trunc(x)


def is_nan(x):
    return math.isnan(x)


def is_inf(x):
    return math.isinf(x)


def is_finite(x):
    return math.isfinite(x)


def gcd(a, b):
    return math.gcd(a, b)


def gcd_of_three(a, b, c):
    return math.gcd(a, b, c)


def constants():
    return math.pi + math.e * 2.0 + math.tau * 3.0


def infinity_and_nan(x):
    if x > 0:
        return math.inf
    if x < 0:
        return -math.inf
    return math.nan


special_floats = st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 710.0, -710.0, 1e308, math.inf, -math.inf, math.nan]
)
math_floats = floats | special_floats


# One module-level function each: nogil reads a function's source from its file.
def call_sqrt(x):
    return math.sqrt(x)


def call_exp(x):
    return math.exp(x)


def call_expm1(x):
    return math.expm1(x)


def call_log(x):
    return math.log(x)


def call_log1p(x):
    return math.log1p(x)


def call_log2(x):
    return math.log2(x)


def call_log10(x):
    return math.log10(x)


def call_sin(x):
    return math.sin(x)


def call_cos(x):
    return math.cos(x)


def call_tan(x):
    return math.tan(x)


def call_asin(x):
    return math.asin(x)


def call_acos(x):
    return math.acos(x)


def call_atan(x):
    return math.atan(x)


def call_sinh(x):
    return math.sinh(x)


def call_cosh(x):
    return math.cosh(x)


def call_tanh(x):
    return math.tanh(x)


def call_asinh(x):
    return math.asinh(x)


def call_acosh(x):
    return math.acosh(x)


def call_atanh(x):
    return math.atanh(x)


def call_fabs(x):
    return math.fabs(x)


UNARY = {name: globals()[f"call_{name}"] for name in ONE_ARGUMENT}
unary = pytest.mark.parametrize("name", ONE_ARGUMENT)


@given(x=math_floats)
@unary
def test_one_argument_functions_on_floats(name, x):
    assert_same(UNARY[name], compiled(UNARY[name]), x)


@given(x=small_ints)
@unary
def test_one_argument_functions_convert_ints(name, x):
    assert_same(UNARY[name], compiled(UNARY[name]), x)


@given(x=math_floats)
def test_function_imported_by_name(x):
    assert_same(sqrt_imported_by_name, compiled(sqrt_imported_by_name), x)


@given(x=math_floats, base=math_floats | st.sampled_from([1.0, 10.0, 2]))
def test_log_with_base(x, base):
    assert_same(log_with_base, compiled(log_with_base), x, base)


@given(a=math_floats, b=math_floats)
@pytest.mark.parametrize("op", [atan2, copysign, fmod, math_pow], ids=lambda op: op.__name__)
def test_two_argument_functions(op, a, b):
    assert_same(op, compiled(op), a, b)


@given(x=math_floats, y=math_floats)
def test_hypot_within_one_ulp(x, y):
    # CPython 3.11 computes hypot with its own algorithm, libm's may differ in the last bit.
    expected, got = run(hypot, x, y), run(compiled(hypot), x, y)
    if expected[0] == "value" and got[0] == "value" and math.isfinite(expected[1]):
        assert abs(got[1] - expected[1]) <= math.ulp(expected[1]), (x, y, expected, got)
    else:
        assert_outcomes(expected, got, f"hypot({x!r}, {y!r})")


@given(x=math_floats | wide_ints)
@pytest.mark.parametrize("op", [floor, ceil, trunc], ids=lambda op: op.__name__)
def test_floor_ceil_trunc_give_ints(op, x):
    assert_same_or_int64_overflow(op, x)


@given(x=math_floats | small_ints)
@pytest.mark.parametrize("op", [is_nan, is_inf, is_finite], ids=lambda op: op.__name__)
def test_classification(op, x):
    assert_same(op, compiled(op), x)


@given(a=wide_ints, b=wide_ints)
def test_gcd(a, b):
    assert_same(gcd, compiled(gcd), a, b)


@given(a=small_ints, b=small_ints, c=small_ints)
def test_gcd_of_three(a, b, c):
    assert_same(gcd_of_three, compiled(gcd_of_three), a, b, c)


def test_constants():
    assert same_float(constants(), compiled(constants)())


@pytest.mark.parametrize("x", [1, -1, 0])
def test_infinity_and_nan_constants(x):
    assert_same(infinity_and_nan, compiled(infinity_and_nan), x)
