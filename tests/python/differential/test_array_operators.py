"""Operators on arrays against NumPy: comparisons, unary - + ~, & | ^ on bool arrays,
& | ^ << >> on int arrays, % // ** with NumPy's semantics (0 for an integer divided by
zero), complex arrays in arithmetic and np.abs, and NumPy 2's promotion of mixed dtypes."""

import numpy as np
import pytest

from nogil import TypingError, njit


def comparisons(a, b):
    return a < b, a <= b, a > b, a >= b, a == b, a != b


def unary(a):
    return -a, +a


def invert(a):
    return ~a


def logic(m, n):
    return m & n, m | n, m ^ n, ~m


def bits(a, b):
    return a & b, a | b, a ^ b, a << (b & 7), a >> (b & 7)


def division(a, b):
    return a % b, a // b


def power(a, b):
    return a**b


def complex_math(z, w):
    return z + w, z - w, z * w, z / w, np.abs(z), -z, z == w, np.conj(z) * 2.0


COMPILED = {
    f: njit(f) for f in [comparisons, unary, invert, logic, bits, division, power, complex_math]
}

INTS = [np.int8, np.uint8, np.int32, np.int64, np.uint64]


def same(expected, got):
    if isinstance(expected, tuple):
        assert len(expected) == len(got)
        for e, g in zip(expected, got, strict=False):
            same(e, g)
        return
    expected = np.asarray(expected)
    assert got.dtype == expected.dtype, (expected.dtype, got.dtype)
    assert np.array_equal(got, expected, equal_nan=expected.dtype.kind in "fc"), (expected, got)


def run(f, *args):
    with np.errstate(all="ignore"):
        expected = f(*args)
    same(expected, COMPILED[f](*args))


def values(dtype, n=8, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        out = rng.standard_normal(n).astype(dtype) * 4
        out[:3] = [np.nan, 0.0, -0.0]
        return out
    info = np.iinfo(dtype)
    out = rng.integers(max(info.min, -50), min(info.max, 50), n, endpoint=True).astype(dtype)
    out[:2] = [0, info.max]
    return out


@pytest.mark.parametrize(
    "left,right",
    [
        (np.float64, np.float64),
        (np.float32, np.int64),
        (np.int8, np.uint8),
        (np.int32, np.float32),
        (np.uint64, np.int64),
        (np.bool_, np.int8),
    ],
)
def test_comparisons_give_bool_arrays(left, right):
    a = values(left) if left is not np.bool_ else values(np.int8) > 0
    b = values(right, seed=1)
    run(comparisons, a, b)
    run(comparisons, a.reshape(2, 4), b[:4])
    run(comparisons, a, 2.5)
    run(comparisons, a[::-1], b[::-1])


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int8, np.int64, np.complex128])
def test_unary_minus_and_plus(dtype):
    run(unary, values(np.float64).astype(dtype))


def test_invert_and_logic_on_bools_and_ints():
    m = values(np.int8) > 0
    n = values(np.int8, seed=2) > 0
    run(logic, m, n)
    run(logic, m.reshape(2, 4), n[:4])
    for dtype in INTS:
        run(invert, values(dtype))
    run(invert, m)
    with pytest.raises(TypingError):
        COMPILED[invert](np.zeros(3))
    with pytest.raises(TypingError):
        COMPILED[unary](
            m
        )  # NumPy: "The numpy boolean negative, the `-` operator, is not supported"


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.int64])
def test_bitwise_and_shifts_on_int_arrays(dtype):
    a = values(dtype)
    b = np.abs(values(dtype, seed=3).astype(np.int64)).astype(dtype)
    run(bits, a, b)
    run(bits, a.reshape(2, 4)[:, ::-1], b[:4])


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int64, np.float32, np.float64])
def test_floor_division_and_remainder_as_numpy(dtype):
    a = values(dtype)
    b = values(dtype, seed=4)
    b[3] = 0  # integers: 0 (no exception), floats: IEEE
    run(division, a, b)
    run(division, a, 3)
    run(division, a, -2.5)


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.float64])
def test_power(dtype):
    a = values(dtype)
    b = (np.abs(values(dtype, seed=5)) % 4).astype(dtype)
    run(power, a, b)
    run(power, a, 2)
    run(power, np.abs(a).astype(np.float64), 0.5)


def test_complex_arrays():
    rng = np.random.default_rng(7)
    z = rng.standard_normal(6) + 1j * rng.standard_normal(6)
    w = rng.standard_normal(6) + 1j * rng.standard_normal(6)
    with np.errstate(all="ignore"):
        expected = complex_math(z, w)
    got = COMPILED[complex_math](z, w)
    for e, g in zip(expected, got, strict=False):
        assert g.dtype == e.dtype
        assert np.allclose(g, e, rtol=1e-14)
    got = COMPILED[complex_math](z.reshape(2, 3), w[:3])
    assert got[4].dtype == np.float64 and got[4].shape == (2, 3)


def test_mixed_dtype_promotion_as_numpy_2():
    @njit
    def mix(a, b, c):
        return a + b, a * c, b - c

    a = np.arange(4, dtype=np.int8)
    b = np.arange(4, dtype=np.uint16)
    c = np.arange(4, dtype=np.float32)
    got = mix(a, b, c)
    for e, g in zip(
        mix.py_func(a, b, c) if hasattr(mix, "py_func") else (a + b, a * c, b - c),
        got,
        strict=False,
    ):
        assert g.dtype == e.dtype and np.array_equal(g, e)
