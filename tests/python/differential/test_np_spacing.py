"""np.linspace, np.logspace and np.geomspace in compiled code against NumPy: linspace bit for
bit, the powers of logspace within two units in the last place (NumPy's SIMD power rounds
differently from the C library's pow) and geomspace within 1e-13 relative, NaN where
NumPy has NaN, float64 results, and NumPy's ValueErrors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import TypingError, njit

finite = st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-1000, 1000)
counts = st.integers(0, 40)


def linspace(start, stop, num, endpoint):
    return np.linspace(start, stop, num, endpoint)


def linspace_keywords(start, stop, num):
    return np.linspace(start, stop, num=num, endpoint=False)


def linspace_default(start, stop):
    return np.linspace(start, stop)


def logspace(start, stop, num, endpoint, base):
    return np.logspace(start, stop, num, endpoint, base)


def logspace_default(start, stop, num):
    return np.logspace(start, stop, num)


def geomspace(start, stop, num, endpoint):
    return np.geomspace(start, stop, num, endpoint=endpoint)


def outcome(function, *args):
    try:
        return "value", function(*args)
    except Exception as err:
        return "raise", err


def check(function, *args, ulps=0, rtol=0.0):
    expected = outcome(function, *args)
    got = outcome(njit(function), *args)
    assert expected[0] == got[0], (expected, got)
    if expected[0] == "raise":
        assert type(got[1]) is type(expected[1])
        assert str(got[1]) == str(expected[1])
        return
    want, have = expected[1], got[1]
    assert isinstance(have, np.ndarray)
    assert have.dtype == want.dtype and have.shape == want.shape
    if rtol:  # log10 then a power: a last-bit difference in either is scaled by the exponent
        np.testing.assert_allclose(have, want, rtol=rtol, equal_nan=True, strict=True)
    elif ulps:  # NumPy's SIMD power may round a last bit differently from the C library's pow
        assert np.array_equal(np.isnan(have), np.isnan(want))
        finite = ~np.isnan(want)
        np.testing.assert_array_max_ulp(have[finite], want[finite], maxulp=ulps)
    else:
        np.testing.assert_array_equal(have, want, strict=True)


@given(finite, finite, counts, st.booleans())
def test_linspace(start, stop, num, endpoint):
    check(linspace, start, stop, num, endpoint)


@given(finite, finite, counts)
def test_linspace_keywords(start, stop, num):
    check(linspace_keywords, start, stop, num)


@pytest.mark.parametrize("start, stop", [(0.0, 1.0), (3, -2), (1e300, -1e300), (2.5, 2.5)])
def test_linspace_default_count(start, stop):
    check(linspace_default, start, stop)


@given(st.floats(-20, 20), st.floats(-20, 20), counts, st.booleans(), st.floats(0.5, 10))
def test_logspace(start, stop, num, endpoint, base):
    check(logspace, start, stop, num, endpoint, base, ulps=2)


@given(st.integers(-5, 5), st.integers(-5, 5), counts)
def test_logspace_default_base(start, stop, num):
    check(logspace_default, start, stop, num, ulps=2)


nonzero = st.floats(1e-6, 1e6) | st.floats(-1e6, -1e-6) | st.integers(1, 1000)


@given(nonzero, nonzero, counts, st.booleans())
def test_geomspace(start, stop, num, endpoint):
    check(geomspace, start, stop, num, endpoint, rtol=1e-13)


@pytest.mark.parametrize(
    "function, args",
    [
        (linspace, (0.0, 1.0, -1, True)),
        (logspace, (0.0, 1.0, -3, True, 10.0)),
        (geomspace, (0.0, 1.0, 5, True)),
        (geomspace, (1.0, 0, 5, False)),
        (geomspace, (-1.0, 4.0, 5, True)),
    ],
)
def test_errors_and_mixed_signs(function, args):
    with np.errstate(invalid="ignore"):
        check(function, *args, rtol=1e-13)


def test_complex_is_refused():
    with pytest.raises(TypingError):
        njit(linspace)(1j, 2.0, 3, True)
