"""Ufunc keywords (where=, casting=, dtype=) and the ufuncs of two outputs (np.divmod,
np.modf, np.frexp) against NumPy: numbers and arrays of several dtypes and layouts,
broadcasting, outputs given as a tuple or positionally, and NumPy's errors."""

import numpy as np
import pytest

import nogil
from nogil import njit


@njit
def add_where(a, b, out, mask):
    return np.add(a, b, out=out, where=mask)


@njit
def sqrt_where(a, out, mask):
    np.sqrt(a, out, where=mask)
    return out


@njit
def multiply_unsafe(a, b, out):
    return np.multiply(a, b, out=out, casting="unsafe")


@njit
def add_in(a, b):
    return np.add(a, b, dtype=np.float32)


@njit
def true_divide_in(a, b):
    return np.true_divide(a, b, dtype=np.float64)


@njit
def divmod_new(a, b):
    return np.divmod(a, b)


@njit
def divmod_into(a, b, q, r):
    return np.divmod(a, b, out=(q, r))


@njit
def divmod_positional(a, b, q, r):
    np.divmod(a, b, q, r)
    return q, r


@njit
def modf(x):
    return np.modf(x)


@njit
def frexp(x):
    return np.frexp(x)


@njit
def modf_into(x, fractions, wholes):
    return np.modf(x, out=(fractions, wholes))


def same(want, got):
    want, got = np.asarray(want), np.asarray(got)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def layouts(a):
    yield a
    if a.ndim == 2:
        yield np.asfortranarray(a)
        yield a[::-1, ::2]


@pytest.mark.parametrize("dtype", ("float64", "float32", "int32", "int64"))
def test_where_keeps_out_where_the_mask_is_false(dtype):
    rng = np.random.default_rng(1)
    base = rng.integers(-5, 5, (4, 6)).astype(dtype)
    for a in layouts(base):
        mask = rng.integers(0, 2, a.shape).astype(bool)
        for b, m in ((a[::-1], mask), (3, mask[0]), (a, True), (a, False), (a, np.bool_(0))):
            want = np.full(a.shape, 7, dtype)
            got = want.copy()
            np.add(a, b, out=want, where=m)
            add_where(a, b, got, m)
            same(want, got)


def test_where_on_a_float_kernel_and_mismatched_shapes():
    a = np.linspace(-1, 4, 12).reshape(3, 4)
    mask = a > 0
    want, got = np.full(a.shape, -1.0), np.full(a.shape, -1.0)
    with np.errstate(invalid="ignore"):
        np.sqrt(a, want, where=mask)
    same(want, sqrt_where(a, got, mask))
    with pytest.raises(ValueError):
        sqrt_where(a, got, np.ones((2, 4), bool))


def test_where_requires_out_and_a_bool_mask():
    @njit
    def without_out(a):
        return np.add(a, 1.0, where=a > 0)

    @njit
    def float_mask(a, out):
        return np.add(a, 1.0, out=out, where=a)

    a = np.ones(3)
    with pytest.raises(nogil.TypingError, match="needs out="):
        without_out(a)
    with pytest.raises(nogil.TypingError):
        float_mask(a, a.copy())


def test_casting_rules():
    a = np.array([1.5, -2.5, 3.7])
    out = np.zeros(3, np.int64)
    want = np.zeros(3, np.int64)
    np.multiply(a, a, out=want, casting="unsafe")
    same(want, multiply_unsafe(a, a, out))

    @njit
    def safe_into(a, out):
        return np.add(a, a, out=out, casting="safe")

    @njit
    def no_cast(a, b):
        return np.add(a, b, casting="no")

    @njit
    def bad_rule(a):
        return np.add(a, a, casting="sometimes")

    @njit
    def same_kind_into(a, out):
        return np.add(a, a, out=out, casting="same_kind")

    same(np.add(a, a, out=np.zeros(3)), safe_into(a, np.zeros(3)))
    with pytest.raises(nogil.TypingError, match="casting rule 'safe'"):
        safe_into(a, np.zeros(3, np.float32))
    with pytest.raises(TypeError):  # NumPy's UFuncTypeError is a TypeError
        np.add(a, a, out=np.zeros(3, np.float32), casting="safe")
    same(np.add(a, a, casting="no"), no_cast(a, a))
    with pytest.raises(nogil.TypingError, match="casting rule 'no'"):
        no_cast(a, np.arange(3))
    with pytest.raises(nogil.TypingError, match="one of the strings"):
        bad_rule(a)
    with pytest.raises(nogil.TypingError, match="casting rule 'same_kind'"):
        same_kind_into(a, np.zeros(3, np.int64))


def test_dtype_chooses_the_loop():
    ints = np.arange(-3, 5, dtype=np.int64)
    same(np.add(ints, ints, dtype=np.float32), add_in(ints, ints))
    same(np.add(ints, 2, dtype=np.float32), add_in(ints, 2))
    same(np.true_divide(ints, 3, dtype=np.float64), true_divide_in(ints, 3))
    assert add_in(2, 3) == np.add(2, 3, dtype=np.float32)
    assert type(add_in(2, 3)) is np.float32

    @njit
    def float_as_int(a):
        return np.add(a, a, dtype=np.int64)

    with pytest.raises(nogil.TypingError, match="casting rule 'same_kind'"):
        float_as_int(np.ones(2))
    with pytest.raises(TypeError):
        np.add(np.ones(2), np.ones(2), dtype=np.int64)


@pytest.mark.parametrize("dtype", ("int32", "uint8", "float64"))
def test_divmod(dtype):
    rng = np.random.default_rng(2)
    base = rng.integers(1 if dtype.startswith("u") else -9, 10, (3, 5)).astype(dtype)
    divisor = rng.integers(1, 4, 5).astype(dtype)
    for a in layouts(base):
        for b in (divisor[: a.shape[1]], 3) if a.flags.c_contiguous else (a[::-1],):
            with np.errstate(all="ignore"):
                want = np.divmod(a, b)
                got = divmod_new(a, b)
            assert isinstance(got, tuple) and len(got) == 2
            same(want[0], got[0])
            same(want[1], got[1])
            q, r = np.empty_like(want[0]), np.empty_like(want[1])
            got_q, got_r = divmod_into(a, b, q, r)
            assert got_q is q and got_r is r
            same(want[0], q)
            same(want[1], r)
    same(np.divmod(7.5, 2), divmod_new(7.5, 2))
    same(np.divmod(-7, 2), divmod_new(-7, 2))


def test_divmod_into_its_own_input_and_positional_outputs():
    a = np.array([7.0, -7.5, 9.25])
    want = np.divmod(a, 2.0)
    q, r = a.copy(), np.empty(3)
    divmod_into(q, 2.0, q, r)  # the quotient overwrites the input
    same(want[0], q)
    same(want[1], r)
    q, r = np.empty(3), np.empty(3)
    divmod_positional(a, 2.0, q, r)
    same(want[0], q)
    same(want[1], r)


SPECIAL = [0.0, -0.0, 1.0, -2.0, 2.5, -3.75, 1e-310, -1e300, 1e308, np.inf, -np.inf, np.nan]


@pytest.mark.parametrize("dtype", ("float64", "float32", "int64", "int32"))
def test_modf_and_frexp_of_arrays(dtype):
    if dtype.startswith("float"):
        with np.errstate(all="ignore"):
            base = np.array(SPECIAL * 2, dtype).reshape(4, 6)
    else:
        base = np.arange(-12, 12, dtype=dtype).reshape(4, 6) * 1001
    for a in layouts(base):
        for function, compiled in ((np.modf, modf), (np.frexp, frexp)):
            want = function(a)
            got = compiled(a)
            for w, g in zip(want, got, strict=True):
                same(w, g)
                assert np.array_equal(np.signbit(w), np.signbit(g))


def test_modf_and_frexp_of_numbers_and_into_outputs():
    for x in SPECIAL:
        for function, compiled in ((np.modf, modf), (np.frexp, frexp)):
            want, got = function(x), compiled(x)
            for w, g in zip(want, got, strict=True):
                same(w, g)
    a = np.array(SPECIAL)
    fractions, wholes = np.empty(len(a)), np.empty(len(a))
    got = modf_into(a, fractions, wholes)
    assert got[0] is fractions and got[1] is wholes
    for w, g in zip(np.modf(a), got, strict=True):
        same(w, g)
    with pytest.raises(nogil.TypingError, match="float16"):
        modf(np.arange(3, dtype=np.int8))
