"""The operator module's functions called from compiled code against CPython and NumPy:
each is its operator, on numbers of every kind and on arrays (broadcasting, in place for the
`i` functions on arrays), reached as ``operator.add`` or imported by name."""

import operator
from operator import add as imported_add
from operator import iadd as imported_iadd

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import njit
from nogil.errors import TypingError

from .oracle import assert_same_unified, compiled, finite_floats, small_ints

BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "eq", "ne", "lt", "le",
          "gt", "ge"]  # fmt: skip
INTEGER_BINARY = ["and_", "or_", "xor", "lshift", "rshift"]
UNARY = ["neg", "pos", "abs", "not_", "truth"]
IN_PLACE = ["iadd", "isub", "imul", "itruediv", "ifloordiv", "imod", "ipow", "iand", "ior",
            "ixor", "ilshift", "irshift"]  # fmt: skip


def binary(which, a, b):
    # One compiled function per argument types: a branch for each operator function.
    if which == 0:
        return operator.add(a, b)
    if which == 1:
        return operator.sub(a, b)
    if which == 2:
        return operator.mul(a, b)
    if which == 3:
        return operator.truediv(a, b)
    if which == 4:
        return operator.floordiv(a, b)
    if which == 5:
        return operator.mod(a, b)
    if which == 6:
        return operator.pow(a, b)
    if which == 7:
        return float(operator.eq(a, b))
    if which == 8:
        return float(operator.ne(a, b))
    if which == 9:
        return float(operator.lt(a, b))
    if which == 10:
        return float(operator.le(a, b))
    if which == 11:
        return float(operator.gt(a, b))
    return float(operator.ge(a, b))


def integer_binary(which, a, b):
    if which == 0:
        return operator.and_(a, b)
    if which == 1:
        return operator.or_(a, b)
    if which == 2:
        return operator.xor(a, b)
    if which == 3:
        return operator.lshift(a, b)
    return operator.rshift(a, b)


def unary(which, a):
    if which == 0:
        return operator.neg(a)
    if which == 1:
        return operator.pos(a)
    if which == 2:
        return operator.abs(a)
    if which == 3:
        return float(operator.not_(a))
    return float(operator.truth(a))


def in_place(which, a, b):
    if which == 0:
        return operator.iadd(a, b)
    if which == 1:
        return operator.isub(a, b)
    if which == 2:
        return operator.imul(a, b)
    if which == 3:
        return operator.itruediv(a, b)
    if which == 4:
        return operator.ifloordiv(a, b)
    return operator.imod(a, b)


def integer_in_place(which, a, b):
    if which == 0:
        return operator.iand(a, b)
    if which == 1:
        return operator.ior(a, b)
    if which == 2:
        return operator.ixor(a, b)
    if which == 3:
        return operator.ilshift(a, b)
    return operator.irshift(a, b)


def by_name(a, b):
    return imported_add(a, b)


def add_into(a, b):
    return imported_iadd(a, b)


numbers = small_ints | finite_floats.filter(lambda v: abs(v) < 1e100) | st.booleans()


@settings(max_examples=300)
@given(which=st.integers(0, len(BINARY) - 1), a=numbers, b=numbers)
def test_binary_on_numbers(which, a, b):
    if which == 6:  # ** within what int64 holds, and no complex results (documented)
        b = abs(int(b)) % 5 if not isinstance(b, float) or a < 0 else b
    # The branches unify to float: an int result comes back as an equal float.
    assert_same_unified(binary, compiled(binary), which, a, b)


@given(which=st.integers(0, 4), a=small_ints | st.booleans(), b=st.integers(0, 50))
def test_integer_binary(which, a, b):
    assert_same_unified(integer_binary, compiled(integer_binary), which, a, b)


@given(which=st.integers(0, 4), a=numbers)
def test_unary(which, a):
    assert_same_unified(unary, compiled(unary), which, a)


@given(which=st.integers(0, 5), a=small_ints | finite_floats, b=small_ints | finite_floats)
def test_in_place_on_numbers_returns_the_result(which, a, b):
    assert_same_unified(in_place, compiled(in_place), which, a, b)
    if isinstance(a, int) and isinstance(b, int):
        shift = abs(b) % 40
        assert_same_unified(integer_in_place, compiled(integer_in_place), which % 5, a, shift)


def complex_operators(z, w):
    return (
        operator.add(z, w),
        operator.sub(z, w),
        operator.mul(z, w),
        operator.truediv(z, w),
        operator.pow(z, w),
        operator.eq(z, w),
        operator.ne(z, w),
        operator.neg(z),
        operator.abs(z),
    )


@given(z=st.complex_numbers(max_magnitude=1e6), w=st.complex_numbers(max_magnitude=1e6))
def test_complex_operands(z, w):
    assert_same_unified(complex_operators, compiled(complex_operators), z, w)


def array_operators(a, b):
    return (
        operator.add(a, b),
        operator.sub(a, b),
        operator.mul(a, b),
        operator.truediv(a, b),
        operator.pow(a, b),
        operator.eq(a, b),
        operator.lt(a, b),
        operator.neg(a),
        operator.abs(a),
    )


def test_binary_on_arrays_broadcasts():
    a = np.arange(1.0, 7.0).reshape(2, 3)[:, ::-1]
    b = np.array([0.5, 2.0, -1.0])
    for x, y in ((a, b), (a, 2.0), (np.arange(6, dtype=np.int32), np.int32(3))):
        results = zip(compiled(array_operators)(x, y), array_operators(x, y), strict=True)
        for got, expected in results:
            np.testing.assert_array_equal(got, expected)
            assert got.dtype == expected.dtype


def test_in_place_on_arrays_writes_into_the_array():
    a = np.arange(6.0).reshape(2, 3)
    expected = a.copy()
    expected += np.array([1.0, 2.0, 3.0])
    result = compiled(add_into)(a, np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(a, expected)
    np.testing.assert_array_equal(result, expected)
    b = np.arange(4, dtype=np.int32)
    compiled(integer_in_place)(3, b, 2)
    np.testing.assert_array_equal(b, np.arange(4, dtype=np.int32) << 2)


def test_imported_by_name():
    assert compiled(by_name)(2, 3) == 5
    np.testing.assert_array_equal(compiled(by_name)(np.ones(3), 1.0), np.full(3, 2.0))


def test_matmul():
    @njit
    def product(a, b):
        return operator.matmul(a, b)

    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(product(a, a.T), a @ a.T)


def test_contains_on_arrays():
    @njit
    def has(a, v):
        return operator.contains(a, v)

    assert has(np.arange(5), 3) and not has(np.arange(5), 7)


def test_wrong_argument_count_is_a_typing_error():
    @njit
    def wrong(a):
        return operator.add(a)

    with pytest.raises(TypingError):
        wrong(1)
