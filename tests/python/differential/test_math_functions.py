"""The math functions of issue 15 against CPython: erf, erfc, exp2, cbrt, degrees, radians,
ulp, remainder, nextafter, ldexp, frexp, modf and isclose bit for bit (CPython calls the
same libm functions or computes exactly); gamma and lgamma bit for bit too (CPython's own
Lanczos approximations, ported), with CPython's exceptions exactly; factorial, comb, perm,
isqrt and pow(base, exp, mod) exactly, with an OverflowError where CPython's result does
not fit in int64."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import njit

from .oracle import (
    assert_same,
    compiled,
    floats,
    small_ints,
    wide_ints,
)
from .test_builtins import assert_same_or_int64_overflow

EXACT_UNARY = ["erf", "erfc", "exp2", "cbrt", "degrees", "radians", "ulp"]


def exact_unary(which, x):
    # One compiled function for all of them: a branch each.
    if which == 0:
        return math.erf(x)
    if which == 1:
        return math.erfc(x)
    if which == 2:
        return math.exp2(x)
    if which == 3:
        return math.cbrt(x)
    if which == 4:
        return math.degrees(x)
    if which == 5:
        return math.radians(x)
    return math.ulp(x)


def exact_binary(which, x, y):
    if which == 0:
        return math.remainder(x, y)
    if which == 1:
        return math.nextafter(x, y)
    return float(math.isclose(x, y))


def gamma(which, x):
    if which == 0:
        return math.gamma(x)
    return math.lgamma(x)


def ldexp(x, i):
    return math.ldexp(x, i)


def frexp(x):
    return math.frexp(x)


def modf(x):
    return math.modf(x)


def integer_function(which, n, k):
    if which == 0:
        return math.factorial(n)
    if which == 1:
        return math.comb(n, k)
    if which == 2:
        return math.perm(n, k)
    if which == 3:
        return math.perm(n)
    return math.isqrt(n)


def pow_mod(base, exp, mod):
    return pow(base, exp, mod)


special = st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 170.5, 171.7, -170.5, -171.5, 1e-320,
     -1e-320, 5e-324, 1e308, -1e308, 2.0**-1074, 1024.0, -1075.0, math.inf, -math.inf, math.nan]
)  # fmt: skip
math_floats = floats | special


@settings(max_examples=300)
@given(which=st.integers(0, len(EXACT_UNARY) - 1), x=math_floats)
def test_exact_one_argument_functions(which, x):
    assert_same(exact_unary, compiled(exact_unary), which, x)


@given(which=st.integers(0, 2), x=math_floats, y=math_floats)
def test_remainder_nextafter_isclose(which, x, y):
    assert_same(exact_binary, compiled(exact_binary), which, x, y)


@given(which=st.integers(0, 2), x=math_floats)
def test_near_and_equal_values(which, x):
    for y in (x, math.nextafter(x, math.inf), x * (1 + 1e-9), x * (1 + 2e-9)):
        assert_same(exact_binary, compiled(exact_binary), which, x, y)


@settings(max_examples=300)
@given(
    which=st.integers(0, 1),
    x=math_floats | st.floats(-200, 200) | st.floats(-300, 300) | st.integers(-30, 30),
)
def test_gamma_and_lgamma(which, x):
    assert_same(gamma, compiled(gamma), which, x)


@pytest.mark.parametrize("which", [0, 1])
def test_gamma_and_lgamma_grid(which):
    grid = [0.0, -0.0, 1e-21, -1e-21, 0.5, -0.5, 1.0, 2.0, 3.0, 23.0, 24.0, 5.5, 139.5, 141.5,
            171.6, 200.5, -200.5, -199.5, -1.0, -2.5, 1e308, -1e308, math.inf, -math.inf,
            math.nan, 5e-324, 1, -3, 0, True]  # fmt: skip
    for x in grid:
        assert_same(gamma, compiled(gamma), which, x)


@given(x=math_floats, i=st.integers(-(2**63), 2**63 - 1) | st.integers(-1100, 1100))
def test_ldexp(x, i):
    assert_same(ldexp, compiled(ldexp), x, i)


@given(x=math_floats)
def test_frexp_and_modf(x):
    assert_same(frexp, compiled(frexp), x)
    assert_same(modf, compiled(modf), x)


@settings(max_examples=300)
@given(which=st.integers(0, 4), n=small_ints | wide_ints | st.integers(-3, 70), k=small_ints)
def test_integer_functions(which, n, k):
    if which < 3 and abs(n) > 10**6 and abs(k) < 10**6 and which != 1:
        n %= 100  # factorial and perm of huge n: CPython would compute for a long time
    if which == 3:
        n %= 100
    assert_same_or_int64_overflow(integer_function, which, n, k)


@given(n=st.integers(0, 2**63 - 1))
def test_isqrt_wide(n):
    assert_same(integer_function, compiled(integer_function), 4, n, 0)


def test_overflow_message():
    with pytest.raises(OverflowError, match="factorial\\(\\) result does not fit in int64"):
        compiled(integer_function)(0, 21, 0)
    with pytest.raises(OverflowError, match="comb\\(\\) result does not fit in int64"):
        compiled(integer_function)(1, 100, 50)
    assert compiled(integer_function)(1, 66, 33) == math.comb(66, 33)


@settings(max_examples=300)
@given(
    base=st.integers(-(2**63), 2**63 - 1) | small_ints,
    exp=st.integers(-(2**63), 2**63 - 1) | small_ints,
    mod=st.integers(-(2**63), 2**63 - 1) | st.integers(-20, 20),
)
def test_pow_with_modulus(base, exp, mod):
    assert_same(pow_mod, compiled(pow_mod), base, exp, mod)


def test_bool_and_int_arguments_convert():
    @njit
    def mixed(flag, n):
        return math.erf(flag) + math.gamma(n) + math.ldexp(n, flag) + math.factorial(flag)

    assert mixed(True, 3) == math.erf(True) + math.gamma(3) + math.ldexp(3, True) + 1
