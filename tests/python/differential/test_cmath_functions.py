"""The cmath functions ported from CPython's cmathmodule.c (exp log log10 sin cos tan asin
acos atan sinh cosh tanh asinh acosh atanh rect, log with a base) against CPython: bit for
bit, on a grid of special values (infinite, NaN and signed-zero parts, huge and subnormal
parts, the overflow edges) and on generated numbers, their ValueError and OverflowError
included; on ints, floats and bools too, which convert."""

import cmath
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import njit

from .oracle import assert_same, compiled, floats

FUNCTIONS = (
    cmath.exp, cmath.log, cmath.log10, cmath.sin, cmath.cos, cmath.tan, cmath.asin,
    cmath.acos, cmath.atan, cmath.sinh, cmath.cosh, cmath.tanh, cmath.asinh, cmath.acosh,
    cmath.atanh,
)  # fmt: skip

GRID_PARTS = (
    -math.inf, -1.7976931348623157e308, -1e300, -1e154, -711.0, -709.9, -2.5, -1.0, -0.5,
    -1e-160, -1e-310, -5e-324, -0.0, 0.0, 5e-324, 1e-310, 2.2250738585072014e-308, 1e-160,
    0.3, 0.75, 1.0, 1.0000000000000002, 1.5, 2.0, 3.141592653589793, 709.5, 709.9, 710.6,
    711.0, 1e154, 1e300, 1.7976931348623157e308, math.inf, math.nan,
)  # fmt: skip


def apply(which, z):
    if which == 0:
        return cmath.exp(z)
    if which == 1:
        return cmath.log(z)
    if which == 2:
        return cmath.log10(z)
    if which == 3:
        return cmath.sin(z)
    if which == 4:
        return cmath.cos(z)
    if which == 5:
        return cmath.tan(z)
    if which == 6:
        return cmath.asin(z)
    if which == 7:
        return cmath.acos(z)
    if which == 8:
        return cmath.atan(z)
    if which == 9:
        return cmath.sinh(z)
    if which == 10:
        return cmath.cosh(z)
    if which == 11:
        return cmath.tanh(z)
    if which == 12:
        return cmath.asinh(z)
    if which == 13:
        return cmath.acosh(z)
    return cmath.atanh(z)


def log_to_base(z, base):
    return cmath.log(z, base)


def rect(r, phi):
    return cmath.rect(r, phi)


def new_constants():
    return cmath.infj, cmath.nanj


def check_grid(function, arguments):
    cfunc = compiled(function)
    for args in arguments:
        assert_same(function, cfunc, *args)


@pytest.mark.parametrize("which", range(len(FUNCTIONS)), ids=[f.__name__ for f in FUNCTIONS])
def test_special_value_grid(which):
    grid = [complex(re, im) for re, im in itertools.product(GRID_PARTS, repeat=2)]
    check_grid(apply, [(which, z) for z in grid])


def test_real_arguments_on_the_grid():
    check_grid(apply, [(which, x) for which in range(15) for x in GRID_PARTS])
    check_grid(apply, [(which, n) for which in range(15) for n in (0, 1, -1, 2, -7, 10**15)])
    check_grid(apply, [(which, flag) for which in range(15) for flag in (True, False)])


parts = floats | st.sampled_from(GRID_PARTS)
complexes = st.builds(complex, parts, parts)


@settings(max_examples=300)
@given(which=st.integers(0, len(FUNCTIONS) - 1), z=complexes)
def test_generated_complex_numbers(which, z):
    assert_same(apply, compiled(apply), which, z)


@settings(max_examples=200)
@given(z=complexes, base=complexes | parts | st.sampled_from([0, 1, 2, 10, 0.0, 1.0]))
def test_log_with_a_base(z, base):
    assert_same(log_to_base, compiled(log_to_base), z, base)


def test_log_with_a_base_grid():
    bases = (0.0, -0.0, 1.0, 2.0, 10, complex(0, 1), math.inf, math.nan, complex(1.0, -0.0))
    values = (0.0, 1.0, -1.0, 2.5, complex(0.0, 2.0), math.inf, math.nan, 0)
    check_grid(log_to_base, list(itertools.product(values, bases)))


def test_rect_grid():
    check_grid(rect, list(itertools.product(GRID_PARTS, repeat=2)))
    check_grid(rect, [(2, 0), (True, 1.5), (-3, -0.0), (0, math.inf)])


@settings(max_examples=200)
@given(r=parts, phi=parts)
def test_rect_generated(r, phi):
    assert_same(rect, compiled(rect), r, phi)


def test_rect_refuses_a_complex_argument():
    with pytest.raises(TypeError):
        njit(rect)(1j, 0.5)


def test_infj_and_nanj():
    got = compiled(new_constants)()
    assert repr(got) == repr(new_constants())
    assert math.copysign(1.0, got[0].real) == 1.0 and math.isinf(got[0].imag)


def isclose_with_tolerances(a, b, rel_tol, abs_tol):
    return cmath.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)


@given(
    a=complexes,
    b=complexes,
    rel_tol=st.sampled_from([0.0, 1e-9, 0.5, -1e-9, math.inf]),
    abs_tol=st.sampled_from([0.0, 1e-12, 1.0, -1.0]),
)
def test_isclose_tolerances(a, b, rel_tol, abs_tol):
    cfunc = compiled(isclose_with_tolerances)
    assert_same(isclose_with_tolerances, cfunc, a, b, rel_tol, abs_tol)
    assert_same(isclose_with_tolerances, cfunc, a, a * (1 + 1e-6j), rel_tol, abs_tol)
