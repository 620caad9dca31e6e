"""Methods and operators of numbers against CPython and NumPy: .real, .imag and
.conjugate() of ints, floats, bools, complex numbers and NumPy scalars; int.bit_length();
float.is_integer(); complex ** and pow() with int, float and complex exponents (CPython's
algorithm: repeated squaring for an integral exponent up to 100, else polar form, with its
ZeroDivisionError and OverflowError)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import njit

from .oracle import assert_same, compiled, floats

special_parts = st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -0.5, 1e-300, 1e300, -1e300, math.inf, -math.inf,
     math.nan]
)  # fmt: skip
parts = st.floats(-1e6, 1e6) | special_parts
complexes = st.builds(complex, parts, parts)
exponents = (
    st.integers(-120, 120)
    | st.floats(-50, 50)
    | special_parts
    | complexes
    | st.builds(complex, st.integers(-5, 5), st.just(0.0))
)


def complex_power(z, w):
    return z**w


def builtin_pow(z, w):
    return pow(z, w)


def power_in_place(z, w):
    z **= w
    return z


def real_base_power(x, w):
    return x**w


def conjugates(z, x, n, flag):
    return z.conjugate(), x.conjugate(), n.conjugate(), flag.conjugate()


def parts_of(z, x, n, flag):
    return z.real, z.imag, x.real, x.imag, n.real, n.imag, flag.real, flag.imag


def bit_length(n):
    return n.bit_length()


def is_integer(x):
    return x.is_integer()


@settings(max_examples=400)
@given(z=complexes, w=exponents)
def test_complex_power(z, w):
    assert_same(complex_power, compiled(complex_power), z, w)
    assert_same(builtin_pow, compiled(builtin_pow), z, w)
    assert_same(power_in_place, compiled(power_in_place), z, w)


@given(x=floats | st.integers(-100, 100), w=complexes)
def test_real_base_to_complex_power(x, w):
    assert_same(real_base_power, compiled(real_base_power), x, w)


@given(z=complexes, x=floats, n=st.integers(-(2**63), 2**63 - 1), flag=st.booleans())
def test_conjugate_real_and_imag(z, x, n, flag):
    assert_same(conjugates, compiled(conjugates), z, x, n, flag)
    assert_same(parts_of, compiled(parts_of), z, x, n, flag)


def test_numpy_scalar_conjugate_keeps_type():
    @njit
    def conjugate(v):
        return v.conjugate()

    for value in (np.float32(1.5), np.int32(-3), np.uint8(7), np.complex64(1 - 2j)):
        got = conjugate(value)
        assert type(got) is type(value.conjugate()) and got == value.conjugate()


@given(n=st.integers(-(2**63), 2**63 - 1) | st.integers(-5, 5) | st.booleans())
def test_bit_length(n):
    assert_same(bit_length, compiled(bit_length), n)


@given(x=floats | st.sampled_from([1.0, -0.0, 2.0**60, 0.5, 1e300]))
def test_is_integer(x):
    assert_same(is_integer, compiled(is_integer), x)


def test_method_arguments_refused():
    from nogil.errors import TypingError

    @njit
    def with_argument(x):
        return x.conjugate(1)

    with pytest.raises(TypingError, match="conjugate"):
        with_argument(1.0)
