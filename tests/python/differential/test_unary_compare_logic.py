"""Unary operators, comparisons and their chains, and/or/not and conditional expressions."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .oracle import (
    INT64_MAX,
    assert_same,
    assert_same_unified,
    bools,
    compiled,
    edge_ints,
    exact_ints,
    floats,
    small_ints,
    wide_ints,
)

# unary ------------------------------------------------------------------------------------


def negate(a):
    return -a


def plus(a):
    return +a


def logical_not(a):
    return not a


def double_negate(a):
    return -(-a)  # noqa: B002


UNARY = [negate, plus, logical_not, double_negate]
C_UNARY = {op: compiled(op) for op in UNARY}
unary = pytest.mark.parametrize("op", UNARY, ids=lambda op: op.__name__)


@given(a=st.integers(-INT64_MAX, INT64_MAX) | edge_ints)
@unary
def test_unary_int(op, a):
    assert_same(op, C_UNARY[op], a)


@given(a=floats)
@unary
def test_unary_float(op, a):
    assert_same(op, C_UNARY[op], a)


@pytest.mark.parametrize("a", [True, False])
@unary
def test_unary_bool_gives_int_except_not(op, a):
    assert_same(op, C_UNARY[op], a)


def test_negate_int64_min_wraps():
    assert C_UNARY[negate](-INT64_MAX - 1) == -INT64_MAX - 1


@pytest.mark.parametrize("a", [0.0, -0.0, math.nan, math.inf])
def test_negate_keeps_sign_of_zero(a):
    assert_same(negate, C_UNARY[negate], a)


# comparisons --------------------------------------------------------------------------------


def less(a, b):
    return a < b


def less_equal(a, b):
    return a <= b


def greater(a, b):
    return a > b


def greater_equal(a, b):
    return a >= b


def equal(a, b):
    return a == b


def not_equal(a, b):
    return a != b


COMPARISONS = [less, less_equal, greater, greater_equal, equal, not_equal]
C_COMPARISONS = {op: compiled(op) for op in COMPARISONS}
comparisons = pytest.mark.parametrize("op", COMPARISONS, ids=lambda op: op.__name__)
numbers = wide_ints | edge_ints


@given(a=numbers, b=numbers)
@comparisons
def test_compare_int_int(op, a, b):
    assert_same(op, C_COMPARISONS[op], a, b)
    assert_same(op, C_COMPARISONS[op], a, a)


@given(a=floats, b=floats)
@comparisons
def test_compare_float_float_including_nan(op, a, b):
    assert_same(op, C_COMPARISONS[op], a, b)
    assert_same(op, C_COMPARISONS[op], a, a)


@given(a=exact_ints | edge_ints, b=floats)
@comparisons
def test_compare_int_float(op, a, b):
    assert_same(op, C_COMPARISONS[op], a, b)
    assert_same(op, C_COMPARISONS[op], b, a)
    assert_same(op, C_COMPARISONS[op], a, float(a))


@given(a=bools, b=small_ints | floats | bools)
@comparisons
def test_compare_bool_with_everything(op, a, b):
    assert_same(op, C_COMPARISONS[op], a, b)
    assert_same(op, C_COMPARISONS[op], b, a)


def chain_lt_lt(a, b, c):
    return a < b < c


def chain_le_gt(a, b, c):
    return a <= b > c


def chain_eq_eq_ne(a, b, c):
    return a == b == c != a


def chain_bounds(x, n):
    return 0 <= x < n


def chain_short_circuits(x, y):
    # When the first comparison fails, 100 // y must not run.
    return x > 0 < 100 // y


def chain_with_arithmetic(a, b, c):
    return a - 1 < b * 2 <= c + a


CHAINS = [chain_lt_lt, chain_le_gt, chain_eq_eq_ne, chain_with_arithmetic]
C_CHAINS = {op: compiled(op) for op in [*CHAINS, chain_bounds, chain_short_circuits]}
chains = pytest.mark.parametrize("op", CHAINS, ids=lambda op: op.__name__)


@given(a=st.integers(-5, 5), b=st.integers(-5, 5), c=st.integers(-5, 5))
@chains
def test_comparison_chain_ints(op, a, b, c):
    assert_same(op, C_CHAINS[op], a, b, c)


@given(a=floats, b=floats, c=floats)
@chains
def test_comparison_chain_floats_with_nan(op, a, b, c):
    assert_same(op, C_CHAINS[op], a, b, c)


@given(a=st.integers(-5, 5), b=st.floats(-5, 5) | st.just(math.nan), c=bools)
@chains
def test_comparison_chain_mixed_types(op, a, b, c):
    assert_same(op, C_CHAINS[op], a, b, c)
    assert_same(op, C_CHAINS[op], c, a, b)


@given(x=small_ints, n=small_ints)
def test_comparison_chain_bounds(x, n):
    assert_same(chain_bounds, C_CHAINS[chain_bounds], x, n)


@pytest.mark.parametrize(("x", "y"), [(0, 0), (-3, 0), (5, 0), (5, 7), (5, 200), (1, -1)])
def test_comparison_chain_short_circuits(x, y):
    assert_same(chain_short_circuits, C_CHAINS[chain_short_circuits], x, y)


# and / or / not -----------------------------------------------------------------------------


def and_(a, b):
    return a and b


def or_(a, b):
    return a or b


def not_and_or(a, b, c):
    return not a or b and not c  # noqa: RUF021


def and_short_circuits(x, y):
    return y != 0 and x // y > 1


def or_short_circuits(x, y):
    return y == 0 or x % y == 0


def and_in_condition(a, b):
    if a and b:
        return 1
    if a or b:
        return 2
    return 3


LOGIC = [and_, or_]
C_LOGIC = {
    op: compiled(op)
    for op in [*LOGIC, not_and_or, and_short_circuits, or_short_circuits, and_in_condition]
}
logic = pytest.mark.parametrize("op", LOGIC, ids=lambda op: op.__name__)


@given(a=st.integers(-3, 3) | numbers, b=st.integers(-3, 3) | numbers)
@logic
def test_and_or_ints_return_an_operand(op, a, b):
    assert_same(op, C_LOGIC[op], a, b)


@given(a=floats | st.sampled_from([0.0, -0.0]), b=floats)
@logic
def test_and_or_floats_return_an_operand(op, a, b):
    assert_same(op, C_LOGIC[op], a, b)


@given(a=bools, b=bools)
@logic
def test_and_or_bools(op, a, b):
    assert_same(op, C_LOGIC[op], a, b)


@given(a=st.integers(-3, 3) | exact_ints, b=floats)
@logic
def test_and_or_int_float_unify_to_float(op, a, b):
    # Documented difference: the result type is unified, so compare values, not types.
    assert_same_unified(op, C_LOGIC[op], a, b)
    assert_same_unified(op, C_LOGIC[op], b, a)
    assert isinstance(C_LOGIC[op](a, b), float)


@given(a=bools, b=bools, c=bools)
def test_not_and_or_precedence(a, b, c):
    assert_same(not_and_or, C_LOGIC[not_and_or], a, b, c)


@given(a=st.integers(-2, 2), b=st.floats(-2, 2) | st.just(math.nan), c=st.integers(-2, 2))
def test_not_and_or_on_numbers_in_bool_position(a, b, c):
    result = C_LOGIC[not_and_or](a, b, c)
    assert result == not_and_or(a, b, c)


@given(x=small_ints, y=st.integers(-3, 3))
@pytest.mark.parametrize("op", [and_short_circuits, or_short_circuits], ids=lambda op: op.__name__)
def test_and_or_short_circuit_skips_division_by_zero(op, x, y):
    assert_same(op, C_LOGIC[op], x, y)


@given(a=small_ints | floats, b=st.integers(-1, 1))
def test_and_or_in_if_condition(a, b):
    assert_same(and_in_condition, C_LOGIC[and_in_condition], a, b)


# conditional expression ---------------------------------------------------------------------


def select(c, a, b):
    return a if c else b


def select_nested(x):
    return -1 if x < 0 else 0 if x == 0 else 1


def select_lazy(x, y):
    return x // y if y != 0 else x


C_SELECT = {op: compiled(op) for op in [select, select_nested, select_lazy]}


@given(c=bools | small_ints | floats, a=numbers, b=numbers)
def test_conditional_expression_same_types(c, a, b):
    assert_same(select, C_SELECT[select], c, a, b)


@given(c=bools | small_ints, a=floats, b=floats)
def test_conditional_expression_floats(c, a, b):
    assert_same(select, C_SELECT[select], c, a, b)


@given(c=bools, a=exact_ints, b=floats)
def test_conditional_expression_int_float_unify(c, a, b):
    assert_same_unified(select, C_SELECT[select], c, a, b)


@given(x=small_ints | floats)
def test_conditional_expression_nested(x):
    assert_same(select_nested, C_SELECT[select_nested], x)


@given(x=small_ints, y=st.integers(-2, 2))
def test_conditional_expression_evaluates_only_the_chosen_branch(x, y):
    assert_same(select_lazy, C_SELECT[select_lazy], x, y)
