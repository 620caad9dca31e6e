"""NumPy's C-named scalar types (np.intc, np.intp, np.uintc, np.uintp, ...) and np.complex128
as constructors, compiled and compared with NumPy."""

import numpy as np
import pytest

from nogil import njit


def construct(x):
    return (
        np.intc(x),
        np.uintc(x),
        np.intp(x),
        np.uintp(x),
        np.int_(x),
        np.double(x),
        np.single(x),
        np.short(x),
        np.ubyte(x),
        np.longlong(x),
    )


def construct_complex(x):
    return np.complex128(x), np.complex128(x) * 2j


@pytest.mark.parametrize("x", [0, 1, 7, 255])
def test_c_named_scalar_types_construct_as_numpy(x):
    compiled = njit(construct)(x)
    expected = construct(x)
    for c, e in zip(compiled, expected, strict=True):
        # int64 and float64 results come back as Python's int and float.
        assert np.asarray(c).dtype == np.asarray(e).dtype and c == e, (c, e)


@pytest.mark.parametrize("x", [0.0, 1.5, -2.25])
def test_complex128_constructs_as_numpy(x):
    compiled = njit(construct_complex)(x)
    expected = construct_complex(x)
    for c, e in zip(compiled, expected, strict=True):
        assert c == e
