"""if/elif/else, while, for over range, break/continue, early return, return-type unification."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .oracle import (
    INT64_MAX,
    INT64_MIN,
    assert_same,
    assert_same_unified,
    compiled,
    floats,
    small_ints,
)

steps = st.integers(-7, 7)
bounds = st.integers(-40, 40)


# if / elif / else ----------------------------------------------------------------------------


def classify(x):
    if x < -10:
        return -2
    elif x < 0:
        return -1
    elif x == 0:
        return 0
    elif x <= 10:
        return 1
    else:
        return 2


def truthiness(x):
    if x:
        return 1
    return 0


def nested_if(a, b):
    r = 0
    if a > 0:
        if b > 0:  # noqa: SIM108
            r = 1
        else:
            r = 2
    elif b > 0:
        r = 3
    else:
        if a == b:
            r = 4
        r = r + 5
    return r


def if_without_else_keeps_value(x):
    y = 7
    if x > 3:
        y = x * 2
    return y


def pass_statement(x):
    if x > 0:
        pass
    else:
        x = -x
    return x


@given(x=small_ints | floats)
def test_if_elif_else(x):
    assert_same(classify, compiled(classify), x)


@given(x=small_ints | floats | st.booleans() | st.sampled_from([0.0, -0.0, math.nan]))
def test_if_truthiness_of_int_float_bool(x):
    assert_same(truthiness, compiled(truthiness), x)


@given(a=st.integers(-3, 3), b=st.integers(-3, 3))
def test_nested_if(a, b):
    assert_same(nested_if, compiled(nested_if), a, b)


@given(x=small_ints)
def test_if_without_else_keeps_previous_value(x):
    assert_same(if_without_else_keeps_value, compiled(if_without_else_keeps_value), x)


@given(x=small_ints | floats)
def test_pass_statement(x):
    assert_same(pass_statement, compiled(pass_statement), x)


# while ----------------------------------------------------------------------------------------


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:  # noqa: SIM108
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            break
        d += 1
    else:
        return True
    return False


def while_else_runs_without_break(n):
    i = 0
    total = 0
    while i < n:
        total += i
        i += 1
    else:
        total = total * 10 + 1
    return total


def while_with_continue(n):
    i = 0
    total = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        total += i
    return total


def float_halving_count(x):
    count = 0
    while x > 1.0:
        x /= 2
        count += 1
    return count


@given(n=st.integers(1, 10**6))
def test_while_collatz(n):
    assert_same(collatz_steps, compiled(collatz_steps), n)


@given(a=st.integers(-(10**12), 10**12), b=st.integers(-(10**12), 10**12))
def test_while_gcd_with_tuple_assignment(a, b):
    assert_same(gcd, compiled(gcd), a, b)


@given(n=st.integers(-5, 5000))
def test_while_else_with_break(n):
    assert_same(is_prime, compiled(is_prime), n)


@given(n=st.integers(-5, 100))
def test_while_else_runs_when_loop_ends_normally(n):
    assert_same(while_else_runs_without_break, compiled(while_else_runs_without_break), n)


@given(n=st.integers(-5, 100))
def test_while_continue(n):
    assert_same(while_with_continue, compiled(while_with_continue), n)


@given(x=st.floats(-10.0, 1e308))
def test_while_float_condition(x):
    assert_same(float_halving_count, compiled(float_halving_count), x)


# for over range ----------------------------------------------------------------------------


def range_stop(stop):
    total = 0
    count = 0
    for i in range(stop):
        total += i * i
        count += 1
    return total * 1000 + count


def range_start_stop(start, stop):
    total = 0
    count = 0
    for i in range(start, stop):
        total += i * 3 - 1
        count += 1
    return total * 1000 + count


def range_start_stop_step(start, stop, step):
    total = 0
    count = 0
    for i in range(start, stop, step):
        total = (total * 7 + i) % 1000003
        count += 1
    return total * 1000 + count


def range_last_value(start, stop, step):
    last = 12345
    for i in range(start, stop, step):
        last = i
    return last


def loop_variable_after_loop(n):
    i = -1
    for i in range(n):  # noqa: B007
        pass
    return i


def loop_variable_reassigned_in_body(n):
    total = 0
    for i in range(n):
        i = i * 10
        total += i
    return total


def range_evaluated_once(n):
    count = 0
    for _ in range(n):
        n = n - 1
        count += 1
    return count * 1000 + n


def range_near_limits_count(start, stop, step):
    count = 0
    for _ in range(start, stop, step):
        count += 1
        if count > 100:
            break
    return count


def range_near_limits_last(start, stop, step):
    last = 0
    count = 0
    for i in range(start, stop, step):
        last = i
        count += 1  # noqa: SIM113
        if count > 100:
            break
    return last


def for_else(n, target):
    for i in range(n):
        if i == target:
            break
    else:
        return -1
    return i


def for_continue(n):
    total = 0
    for i in range(n):
        if i % 2:
            continue
        total += i
    return total


def nested_loops(n, m):
    total = 0
    for i in range(n):
        for j in range(i, m):
            if j > 2 * i + 3:
                break
            if (i + j) % 3 == 0:
                continue
            total += i * j
        else:
            total += 1000
    return total


def nested_while_for(n):
    total = 0
    i = 0
    while i < n:
        for j in range(i):
            total += j
            if total > 500:
                break
        i += 1
    return total


def early_return_in_loop(n, target):
    for i in range(n):
        for j in range(n):
            if i * j == target:
                return i * 100 + j
    return -1


def early_return_in_while(n):
    i = 0
    while True:
        if i * i >= n:
            return i
        i += 1


@given(stop=bounds)
def test_for_range_stop(stop):
    assert_same(range_stop, compiled(range_stop), stop)


@given(start=bounds, stop=bounds)
def test_for_range_start_stop(start, stop):
    assert_same(range_start_stop, compiled(range_start_stop), start, stop)


@given(start=bounds, stop=bounds, step=steps)
def test_for_range_start_stop_step(start, stop, step):
    assert_same(range_start_stop_step, compiled(range_start_stop_step), start, stop, step)


@pytest.mark.parametrize(
    ("start", "stop", "step"),
    [(10, 0, -1), (10, 0, -3), (0, 10, -1), (5, 5, -1), (-1, -10, -4), (3, -3, -7)],
)
def test_for_range_negative_step(start, stop, step):
    assert_same(range_start_stop_step, compiled(range_start_stop_step), start, stop, step)
    assert_same(range_last_value, compiled(range_last_value), start, stop, step)


@pytest.mark.parametrize(("start", "stop", "step"), [(0, 0, 1), (5, 0, 1), (0, 5, -1), (3, 3, 2)])
def test_for_range_empty_leaves_variables_untouched(start, stop, step):
    assert_same(range_last_value, compiled(range_last_value), start, stop, step)


@pytest.mark.parametrize(("start", "stop"), [(0, 10), (10, 0), (0, 0)])
def test_for_range_zero_step_raises_value_error(start, stop):
    assert_same(range_start_stop_step, compiled(range_start_stop_step), start, stop, 0)


@given(start=bounds, stop=bounds, step=steps)
def test_for_range_last_value(start, stop, step):
    assert_same(range_last_value, compiled(range_last_value), start, stop, step)


@given(n=st.integers(-2, 50))
def test_loop_variable_keeps_last_value_after_loop(n):
    assert_same(loop_variable_after_loop, compiled(loop_variable_after_loop), n)


@given(n=st.integers(-3, 50))
def test_assigning_loop_variable_does_not_change_iteration(n):
    assert_same(loop_variable_reassigned_in_body, compiled(loop_variable_reassigned_in_body), n)


@given(n=st.integers(-3, 50))
def test_range_bound_is_evaluated_once(n):
    assert_same(range_evaluated_once, compiled(range_evaluated_once), n)


@pytest.mark.parametrize(
    ("start", "stop", "step"),
    [
        (INT64_MAX - 10, INT64_MAX, 4),
        (INT64_MAX - 10, INT64_MAX, 3),
        (INT64_MAX - 1, INT64_MAX, 2**62),
        (INT64_MIN + 10, INT64_MIN, -4),
        (INT64_MIN + 1, INT64_MIN, -(2**62)),
        (0, INT64_MAX, 2**62),
        (0, INT64_MIN, -(2**62)),
        (INT64_MIN, INT64_MAX, INT64_MAX),
        (INT64_MAX, INT64_MIN, INT64_MIN),
    ],
)
def test_range_near_int64_limits_does_not_overflow(start, stop, step):
    assert_same(range_near_limits_count, compiled(range_near_limits_count), start, stop, step)
    assert_same(range_near_limits_last, compiled(range_near_limits_last), start, stop, step)


@given(n=st.integers(-2, 30), target=st.integers(-2, 30))
def test_for_else(n, target):
    assert_same(for_else, compiled(for_else), n, target)


@given(n=st.integers(-2, 60))
def test_for_continue(n):
    assert_same(for_continue, compiled(for_continue), n)


@given(n=st.integers(-2, 25), m=st.integers(-2, 25))
def test_nested_loops_break_and_continue_inner_only(n, m):
    assert_same(nested_loops, compiled(nested_loops), n, m)


@given(n=st.integers(-2, 40))
def test_nested_while_and_for(n):
    assert_same(nested_while_for, compiled(nested_while_for), n)


@given(n=st.integers(-2, 20), target=st.integers(-5, 400))
def test_early_return_from_nested_loop(n, target):
    assert_same(early_return_in_loop, compiled(early_return_in_loop), n, target)


@given(n=st.integers(-5, 10**6))
def test_early_return_from_while_true(n):
    assert_same(early_return_in_while, compiled(early_return_in_while), n)


# return-type unification and None -------------------------------------------------------


def int_or_float(x):
    if x > 0:
        return x
    return 0.5


def float_then_int(x):
    if x > 0:
        return x * 0.5
    return 3


def variable_int_then_float(n):
    y = n
    if n > 5:
        y = n / 4
    return y


def bool_or_int(x):
    if x > 0:
        return True
    return x


def no_return(x):
    x + 1


def bare_return(x):
    if x > 0:
        return
    x = x + 1


def return_none(x):
    y = x * 2
    if y > 3:
        return None
    return None


@given(x=st.integers(-(2**53), 2**53))
@pytest.mark.parametrize(
    "pyfunc",
    [int_or_float, float_then_int, variable_int_then_float],
    ids=lambda f: f.__name__,
)
def test_int_and_float_returns_unify_to_float(pyfunc, x):
    cfunc = compiled(pyfunc)
    assert_same_unified(pyfunc, cfunc, x)
    assert isinstance(cfunc(x), float)


@given(x=st.integers(-5, 5))
def test_bool_and_int_returns_compare_equal(x):
    cfunc = compiled(bool_or_int)
    assert cfunc(x) == bool_or_int(x)


@given(x=small_ints | floats)
@pytest.mark.parametrize("pyfunc", [no_return, bare_return, return_none], ids=lambda f: f.__name__)
def test_function_without_value_returns_none(pyfunc, x):
    assert_same(pyfunc, compiled(pyfunc), x)
