"""The cmath functions compiled code has (phase, polar, isnan, isinf, isfinite, isclose,
sqrt and the constants) against CPython: bit for bit, on complex numbers with infinite, NaN
and signed-zero parts, and on ints and floats, which convert."""

import cmath
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from .oracle import assert_same, compiled, floats

special_parts = st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 1e-310, -1e-310, 5e-324, 1e308, -1e308, 1.7e308,
     math.inf, -math.inf, math.nan]
)  # fmt: skip
parts = floats | special_parts
complexes = st.builds(complex, parts, parts)


def complex_function(which, z):
    if which == 0:
        return complex(cmath.phase(z), 0.0)
    if which == 1:
        r, phi = cmath.polar(z)
        return complex(r, phi)
    if which == 2:
        return complex(float(cmath.isnan(z)), float(cmath.isinf(z)) + 2 * cmath.isfinite(z))
    return cmath.sqrt(z)


def real_argument(which, x):
    if which == 0:
        return cmath.sqrt(x)
    if which == 1:
        return complex(cmath.phase(x), cmath.polar(x)[0])
    return complex(float(cmath.isnan(x)), float(cmath.isinf(x)))


def is_close(a, b):
    return cmath.isclose(a, b)


def constants():
    return cmath.pi + cmath.e + cmath.tau, cmath.inf, -cmath.inf


@settings(max_examples=400)
@given(which=st.integers(0, 3), z=complexes)
def test_complex_arguments(which, z):
    assert_same(complex_function, compiled(complex_function), which, z)


@given(which=st.integers(0, 2), x=floats | st.integers(-(2**53), 2**53))
def test_real_arguments_convert(which, x):
    assert_same(real_argument, compiled(real_argument), which, x)


@given(a=complexes, scale=st.sampled_from([1.0, 1 + 1e-10, 1 + 1e-8, -1.0]), b=complexes)
def test_isclose(a, scale, b):
    assert_same(is_close, compiled(is_close), a, b)
    assert_same(is_close, compiled(is_close), a, a * scale)


def test_constants():
    assert compiled(constants)() == constants()
