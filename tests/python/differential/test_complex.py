"""Complex numbers against CPython (scalars) and NumPy (complex128 arrays): arithmetic with
CPython's algorithms (its scaled division too), equality, abs, real and imag, complex(),
literals, and complex128 arrays in and out."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nogil import njit

from .operators import add, mul, sub, truediv
from .oracle import assert_same, compiled, floats, small_ints

complexes = st.complex_numbers(allow_nan=True, allow_infinity=True)
numbers = complexes | floats | small_ints


def parts(a, b):
    return a.real, a.imag, b.real, -a, abs(a), a == b, a != b, complex(b.real, 2.0) * 2j


OPERATIONS = [add, sub, mul, truediv]


@given(a=complexes, b=numbers)
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.__name__)
def test_arithmetic_matches_cpython(op, a, b):
    assert_same(op, compiled(op), a, b)
    assert_same(op, compiled(op), b, a)


@given(a=complexes, b=complexes)
def test_parts_equality_and_abs(a, b):
    assert_same(parts, compiled(parts), a, b)


def elementwise(z, w):
    return z * w + 1j, z / 2.0, z == w


ELEMENTWISE = njit(elementwise)


@given(
    z=hnp.arrays(np.complex128, st.integers(0, 5), elements=st.complex_numbers(max_magnitude=1e3)),
    data=st.data(),
)
def test_complex128_arrays(z, data):
    elements = st.complex_numbers(max_magnitude=1e3)
    w = data.draw(hnp.arrays(np.complex128, z.shape, elements=elements))
    with np.errstate(all="ignore"):
        expected = elementwise(z, w)
    got = ELEMENTWISE(z, w)
    for e, g in zip(expected, got, strict=True):
        assert g.dtype == e.dtype and np.allclose(g, e, equal_nan=True, rtol=1e-15, atol=0)
