"""Assignments, augmented assignments and tuple assignment, compared with CPython."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from .oracle import (
    assert_same,
    assert_same_unified,
    compiled,
    exact_ints,
    floats,
    is_complex_power,
    medium_ints,
    small_ints,
    wide_ints,
)


def chained_assignment(x):
    a = b = x * 2
    a += 1
    return a * 1000 + b


def swap(a, b):
    a, b = b, a
    return a * 1000 + b


def rotate(a, b, c):
    a, b, c = c, a, b
    return (a * 100 + b) * 100 + c


def fib_tuple_assignment(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def tuple_assignment_reads_before_writing(x):
    a = x
    b = x + 1
    a, b = a + b, a * b
    return a * 100000 + b


def rebinding_changes_type(x):
    y = x
    y = y * 1.5
    return y


def float_accumulator(n, step):
    total = 0.0
    for i in range(n):
        total += i * step
    return total


@given(x=medium_ints)
def test_chained_assignment(x):
    assert_same(chained_assignment, compiled(chained_assignment), x)


@given(a=small_ints, b=small_ints)
def test_tuple_swap(a, b):
    assert_same(swap, compiled(swap), a, b)


@given(a=st.integers(0, 99), b=st.integers(0, 99), c=st.integers(0, 99))
def test_tuple_rotate(a, b, c):
    assert_same(rotate, compiled(rotate), a, b, c)


@given(n=st.integers(0, 90))
def test_fibonacci_by_tuple_assignment(n):
    assert_same(fib_tuple_assignment, compiled(fib_tuple_assignment), n)


@given(x=st.integers(-300, 300))
def test_tuple_assignment_evaluates_right_side_first(x):
    cfunc = compiled(tuple_assignment_reads_before_writing)
    assert_same(tuple_assignment_reads_before_writing, cfunc, x)


@given(x=exact_ints | floats)
def test_rebinding_int_variable_to_float(x):
    assert_same_unified(rebinding_changes_type, compiled(rebinding_changes_type), x)


@given(n=st.integers(-2, 200), step=floats)
def test_float_accumulator(n, step):
    assert_same(float_accumulator, compiled(float_accumulator), n, step)


# augmented assignment ------------------------------------------------------------------------


def iadd(a, b):
    a += b
    return a


def isub(a, b):
    a -= b
    return a


def imul(a, b):
    a *= b
    return a


def itruediv(a, b):
    a /= b
    return a


def ifloordiv(a, b):
    a //= b
    return a


def imod(a, b):
    a %= b
    return a


def ipow(a, b):
    a **= b
    return a


AUGMENTED = [iadd, isub, imul, itruediv, ifloordiv, imod, ipow]
augmented = pytest.mark.parametrize("op", AUGMENTED, ids=lambda op: op.__name__)


@given(a=wide_ints, b=wide_ints | st.sampled_from([0, 1, -1]))
@pytest.mark.parametrize("op", [iadd, isub, ifloordiv, imod], ids=lambda op: op.__name__)
def test_augmented_int_int(op, a, b):
    assert_same(op, compiled(op), a, b)


@given(a=medium_ints, b=medium_ints | st.sampled_from([0, 1, -1]))
def test_augmented_int_mul(a, b):
    assert_same(imul, compiled(imul), a, b)


@given(a=exact_ints, b=exact_ints | st.sampled_from([0, 1, -1]))
def test_augmented_int_truediv_rebinds_to_float(a, b):
    # `a` holds an int, then a float: a variable has one type, so it is a float throughout
    # and its division by zero says "float division by zero" (documented difference).
    assert_same(itruediv, compiled(itruediv), a, b, same_message=False)


@given(a=st.integers(-30, 30), b=st.integers(0, 12))
def test_augmented_int_power(a, b):
    assert_same(ipow, compiled(ipow), a, b)


@given(a=floats, b=floats | exact_ints)
@augmented
def test_augmented_float(op, a, b):
    assume(not (op is ipow and is_complex_power(a, b)))
    assert_same(op, compiled(op), a, b)


@given(a=exact_ints, b=floats)
@augmented
def test_augmented_int_variable_with_float_operand(op, a, b):
    assume(not (op is ipow and is_complex_power(a, b)))
    assert_same(op, compiled(op), a, b)


def accumulate_all_operators(n):
    x = 1
    for i in range(1, n):
        x += i
        x *= 3
        x -= i * i
        x //= 2
        x %= 1000003
        x **= 1
    return x


@given(n=st.integers(-2, 300))
def test_augmented_assignments_in_a_loop(n):
    assert_same(accumulate_all_operators, compiled(accumulate_all_operators), n)
