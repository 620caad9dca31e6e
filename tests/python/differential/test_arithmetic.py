"""Binary arithmetic on every pair of int, float and bool operands, compared with CPython."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from .operators import add, floordiv, mod, mul, power, sub, truediv
from .oracle import (
    assert_same,
    bools,
    compiled,
    edge_ints,
    exact_ints,
    floats,
    is_complex_power,
    medium_ints,
    small_edge_ints,
    small_ints,
    wide_ints,
    wrap64,
)


def power_constant_negative(a):
    return a**-2


OPERATORS = [add, sub, mul, truediv, floordiv, mod, power]
COMPILED = {op: compiled(op) for op in OPERATORS}
by_name = pytest.mark.parametrize("op", OPERATORS, ids=lambda op: op.__name__)


# int op int -------------------------------------------------------------------------------


@given(a=wide_ints | edge_ints, b=wide_ints | edge_ints)
@pytest.mark.parametrize("op", [add, sub, floordiv, mod], ids=lambda op: op.__name__)
def test_int_int_add_sub_floordiv_mod(op, a, b):
    assert_same(op, COMPILED[op], a, b)


@given(a=medium_ints | small_edge_ints, b=medium_ints | small_edge_ints)
def test_int_int_mul(a, b):
    assert_same(mul, COMPILED[mul], a, b)


@given(a=exact_ints | edge_ints, b=exact_ints | edge_ints)
def test_int_int_truediv_is_float(a, b):
    assert_same(truediv, COMPILED[truediv], a, b)


@given(a=small_ints, b=st.integers(-7, 7))
@pytest.mark.parametrize("op", [floordiv, mod], ids=lambda op: op.__name__)
def test_floordiv_mod_small_operands_every_sign(op, a, b):
    assert_same(op, COMPILED[op], a, b)


@pytest.mark.parametrize(
    ("a", "b"), [(7, -2), (-7, 2), (-7, -2), (7, 2), (-1, 3), (1, -3), (0, -5), (-6, 3), (6, -3)]
)
def test_floordiv_mod_negative_divisor(a, b):
    assert_same(floordiv, COMPILED[floordiv], a, b)
    assert_same(mod, COMPILED[mod], a, b)


@given(a=st.integers(-60, 60), b=st.integers(0, 10))
def test_int_int_power(a, b):
    assert_same(power, COMPILED[power], a, b)


@given(a=st.integers(-3, 3), b=st.integers(0, 39))
def test_int_int_power_large_exponent(a, b):
    assert_same(power, COMPILED[power], a, b)


@given(a=st.sampled_from([-1, 0, 1]), b=st.integers(0, 10**12))
def test_int_power_of_unit_base_with_huge_exponent(a, b):
    assert_same(power, COMPILED[power], a, b)


@given(a=st.integers(-(2**40), 2**40), b=st.integers(2, 70))
def test_int_power_wraps_like_int64(a, b):
    assert COMPILED[power](a, b) == wrap64(a**b)


@given(a=st.integers(-(2**63), 2**63 - 1), b=st.integers(-(2**63), 2**63 - 1))
def test_int_add_sub_mul_wrap_like_int64(a, b):
    assert COMPILED[add](a, b) == wrap64(a + b)
    assert COMPILED[sub](a, b) == wrap64(a - b)
    assert COMPILED[mul](a, b) == wrap64(a * b)


@pytest.mark.parametrize("op", [truediv, floordiv, mod], ids=lambda op: op.__name__)
@pytest.mark.parametrize("a", [0, 1, -1, 2**62])
def test_int_division_by_zero_raises_like_cpython(op, a):
    assert_same(op, COMPILED[op], a, 0)


@pytest.mark.parametrize("b", [-1, -2, -63])
@pytest.mark.parametrize("a", [2, 1, -1, 0])
def test_int_power_negative_exponent_raises_value_error(a, b):
    # A documented difference: CPython returns a float here, compiled code cannot.
    with pytest.raises(ValueError):
        COMPILED[power](a, b)


@given(a=st.integers(-(2**26), 2**26) | st.sampled_from([0, 1, -1]))
def test_int_power_constant_negative_exponent_gives_float(a):
    assert_same(power_constant_negative, compiled(power_constant_negative), a)


# mixed int and float ------------------------------------------------------------------------


@given(a=exact_ints | edge_ints, b=floats)
@by_name
def test_int_float(op, a, b):
    assume(not (op is power and is_complex_power(a, b)))
    assert_same(op, COMPILED[op], a, b)


@given(a=floats, b=exact_ints | edge_ints)
@by_name
def test_float_int(op, a, b):
    assume(not (op is power and is_complex_power(a, b)))
    assert_same(op, COMPILED[op], a, b)


@given(a=floats, b=floats)
@by_name
def test_float_float(op, a, b):
    assume(not (op is power and is_complex_power(a, b)))
    assert_same(op, COMPILED[op], a, b)


@given(a=st.floats(-1e6, 1e6), b=st.sampled_from([0.0, -0.0, 0]))
@by_name
def test_float_division_by_zero_raises_like_cpython(op, a, b):
    assert_same(op, COMPILED[op], a, b)


@pytest.mark.parametrize("exponent", [-1, -1.0, -0.5, -3, -math.inf])
@pytest.mark.parametrize("base", [0.0, -0.0])
def test_zero_float_to_negative_power_raises_zero_division(base, exponent):
    assert_same(power, COMPILED[power], base, exponent)


@pytest.mark.parametrize(
    ("a", "b"), [(10.0, 400.0), (10.0, 400), (2, 1024.0), (-10.0, 401.0), (1e300, 2)]
)
def test_float_power_overflow_raises_overflow_error(a, b):
    assert_same(power, COMPILED[power], a, b)


@pytest.mark.parametrize(("a", "b"), [(-5.0, math.inf), (5.0, -math.inf), (-0.0, 3.0)])
@pytest.mark.parametrize("op", [floordiv, mod], ids=lambda op: op.__name__)
def test_float_floordiv_mod_special_values(op, a, b):
    assert_same(op, COMPILED[op], a, b)


# bools ----------------------------------------------------------------------------------------


@given(a=bools, b=bools)
@by_name
def test_bool_bool_promotes_to_int(op, a, b):
    assert_same(op, COMPILED[op], a, b)


@given(a=bools, b=wide_ints | edge_ints)
@pytest.mark.parametrize("op", [add, sub, mul, floordiv, mod], ids=lambda op: op.__name__)
def test_bool_int(op, a, b):
    assert_same(op, COMPILED[op], a, b)
    assert_same(op, COMPILED[op], b, a)


@given(a=bools, b=exact_ints | edge_ints)
def test_bool_int_truediv(a, b):
    assert_same(truediv, COMPILED[truediv], a, b)
    assert_same(truediv, COMPILED[truediv], b, a)


@given(a=bools, b=st.integers(0, 62))
def test_bool_int_power(a, b):
    assert_same(power, COMPILED[power], a, b)
    assert_same(power, COMPILED[power], b, a)


@given(a=bools, b=floats)
@by_name
def test_bool_float(op, a, b):
    assume(not (op is power and is_complex_power(b, a)))
    assert_same(op, COMPILED[op], a, b)
    assert_same(op, COMPILED[op], b, a)


def test_true_plus_true_is_int_two():
    assert_same(add, COMPILED[add], True, True)
