"""Builtin functions: abs, min, max, int, float, bool, round, pow and hash, against CPython."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .oracle import (
    INT64_MAX,
    INT64_MIN,
    assert_outcomes,
    assert_same,
    assert_same_unified,
    bools,
    compiled,
    edge_ints,
    floats,
    is_complex_power,
    run,
    small_ints,
    wide_ints,
)

ints = wide_ints | edge_ints
numbers = ints | floats | bools


def assert_same_or_int64_overflow(pyfunc, *args):
    """As ``assert_same``, except that where CPython returns an int beyond int64, nogil must
    raise OverflowError (compiled ints are int64)."""
    expected = run(pyfunc, *args)
    got = run(compiled(pyfunc), *args)
    where = f"{pyfunc.__name__}{args!r}"
    value = expected[1]
    if expected[0] == "value" and isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        assert got[0] == "raise" and isinstance(got[1], OverflowError), (where, got)
        return
    assert_outcomes(expected, got, where)


def call_abs(a):
    return abs(a)


def call_min2(a, b):
    return min(a, b)


def call_max2(a, b):
    return max(a, b)


def call_min3(a, b, c):
    return min(a, b, c)


def call_max3(a, b, c):
    return max(a, b, c)


def call_int(a):
    return int(a)


def call_float(a):
    return float(a)


def call_bool(a):
    return bool(a)


def no_argument_constructors():
    return int() + float() + bool()  # noqa: UP018 (the calls are what is tested)


def call_round(a):
    return round(a)


def call_round_digits(a, n):
    return round(a, n)


def call_pow(a, b):
    return pow(a, b)


def call_pow_negative_literal(a):
    return pow(a, -2)


def call_hash(a):
    return hash(a)


@given(a=ints | floats | bools)
def test_abs(a):
    assert_same(call_abs, compiled(call_abs), a)


@given(a=ints, b=ints)
@pytest.mark.parametrize("op", [call_min2, call_max2], ids=lambda op: op.__name__)
def test_min_max_ints(op, a, b):
    assert_same(op, compiled(op), a, b)


@given(a=floats, b=floats, c=floats)
@pytest.mark.parametrize("op", [call_min3, call_max3], ids=lambda op: op.__name__)
def test_min_max_floats_keep_cpythons_choice_of_nan_and_signed_zero(op, a, b, c):
    assert_same(op, compiled(op), a, b, c)


@given(a=st.sampled_from([0.0, -0.0, float("nan"), 1.0]), b=st.sampled_from([0.0, -0.0, 1.0]))
@pytest.mark.parametrize("op", [call_min2, call_max2], ids=lambda op: op.__name__)
def test_min_max_equal_and_unordered_items(op, a, b):
    assert_same(op, compiled(op), a, b)


@given(a=small_ints, b=floats)
@pytest.mark.parametrize("op", [call_min2, call_max2], ids=lambda op: op.__name__)
def test_min_max_mixed_types_unify_to_float(op, a, b):
    assert_same_unified(op, compiled(op), a, b)


@given(a=numbers)
@pytest.mark.parametrize("op", [call_int, call_round], ids=lambda op: op.__name__)
def test_int_and_round_to_int(op, a):
    assert_same_or_int64_overflow(op, a)


@pytest.mark.parametrize("a", [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1e300, float("inf"), -0.0])
def test_round_half_to_even_and_special_values(a):
    assert_same_or_int64_overflow(call_round, a)


@given(a=numbers)
@pytest.mark.parametrize("op", [call_float, call_bool], ids=lambda op: op.__name__)
def test_float_and_bool(op, a):
    assert_same(op, compiled(op), a)


def test_constructors_without_arguments():
    assert_same(no_argument_constructors, compiled(no_argument_constructors))


@given(a=floats, n=st.integers(-330, 330))
def test_round_float_to_digits(a, n):
    assert_same(call_round_digits, compiled(call_round_digits), a, n)


@given(
    a=st.sampled_from([0.125, 0.375, 2.675, 1.005, 12345.6789, 5e-324, 1.7e308]),
    n=st.integers(-310, 330),
)
def test_round_float_to_digits_ties_and_extremes(a, n):
    assert_same(call_round_digits, compiled(call_round_digits), a, n)


@given(a=ints, n=st.integers(-25, 5))
def test_round_int_to_digits(a, n):
    assert_same_or_int64_overflow(call_round_digits, a, n)


@given(a=st.integers(-50, 50), b=st.integers(0, 11))
def test_pow_ints(a, b):
    assert_same(call_pow, compiled(call_pow), a, b)


@given(a=floats, b=floats)
def test_pow_floats(a, b):
    if not is_complex_power(a, b):
        assert_same(call_pow, compiled(call_pow), a, b)


@given(a=st.integers(-1000, 1000) | floats)
def test_pow_negative_literal_exponent_is_a_float(a):
    assert_same(call_pow_negative_literal, compiled(call_pow_negative_literal), a)


@given(a=st.integers(INT64_MIN, INT64_MAX) | edge_ints | bools)
def test_hash_int(a):
    assert_same(call_hash, compiled(call_hash), a)


@given(a=floats.filter(lambda x: x == x))
def test_hash_float(a):
    # NaN is left out: CPython hashes each NaN object by its identity (documented difference).
    assert_same(call_hash, compiled(call_hash), a)
