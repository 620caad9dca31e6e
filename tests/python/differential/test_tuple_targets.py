"""Assignment targets of issue 15: nested unpacking `(c, d), e = ...`, list targets, and
element stores among the targets (`a[i], a[j] = a[j], a[i]`), evaluated as CPython does: the
whole right-hand side first, then each target from left to right."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from .oracle import assert_same, compiled, floats, small_ints


def nested_unpack(a, x):
    (c, d), e = (a, x), a * 2
    return c + d + e


def nested_unpack_of_a_value(t):
    (a, (b, c)), d = t
    return a * 1000 + b * 100 + c * 10 + d


def list_targets(a, b):
    [x, y] = a, b
    [p, (q, r)] = y, (x, y)
    return x - y + p * q * r


def fibonacci_step(n):
    x, y = 0, 1
    for _ in range(n):
        x, y = y, x + y
    return x


def chained_targets(a):
    (b, c) = d = (a, a + 1)
    return b * 10 + c + d[0]


def swap_elements(a, i, j):
    a[i], a[j] = a[j], a[i]
    return a


def rotate_three(a):
    a[0], a[1], a[2] = a[1], a[2], a[0]
    return a


def mixed_targets(a, i):
    # The index `i` the second target uses is the one the first target just assigned.
    i, a[i] = 1, 5.0
    return a


def loop_over_pairs(pairs, a):
    total = 0.0
    for k, (x, y) in enumerate(pairs):
        total += k * x - y
    for (x, y), z in zip(pairs, a):  # noqa: B905
        total += x * y * z
    return total


@given(a=small_ints, x=small_ints | floats)
def test_nested_unpacking_of_a_display(a, x):
    assert_same(nested_unpack, compiled(nested_unpack), a, x)


@given(t=st.tuples(st.tuples(small_ints, st.tuples(small_ints, small_ints)), small_ints))
def test_nested_unpacking_of_a_tuple_argument(t):
    assert_same(nested_unpack_of_a_value, compiled(nested_unpack_of_a_value), t)


@given(a=small_ints, b=small_ints)
def test_list_targets(a, b):
    assert_same(list_targets, compiled(list_targets), a, b)


@given(n=st.integers(0, 90))
def test_fibonacci_step_evaluates_the_right_side_first(n):
    assert_same(fibonacci_step, compiled(fibonacci_step), n)


@given(a=small_ints)
def test_chained_tuple_and_name_targets(a):
    assert_same(chained_targets, compiled(chained_targets), a)


@settings(max_examples=40)
@given(
    values=st.lists(small_ints, min_size=1, max_size=6),
    i=st.integers(-7, 7),
    j=st.integers(-7, 7),
    dtype=st.sampled_from([np.int64, np.float64, np.int32]),
)
def test_swap_array_elements(values, i, j, dtype):
    expected, got = np.array(values, dtype=dtype), np.array(values, dtype=dtype)
    outcomes = []
    for function, array in ((swap_elements, expected), (compiled(swap_elements), got)):
        try:
            function(array, i, j)
            outcomes.append(None)
        except IndexError as err:
            outcomes.append(type(err))
    assert outcomes[0] == outcomes[1]
    np.testing.assert_array_equal(expected, got)


def test_rotate_three_array_elements():
    expected = rotate_three(np.arange(4.0))
    np.testing.assert_array_equal(compiled(rotate_three)(np.arange(4.0)), expected)


def test_targets_assign_left_to_right():
    expected = mixed_targets(np.zeros(3), 0)
    np.testing.assert_array_equal(compiled(mixed_targets)(np.zeros(3), 0), expected)


def test_nested_loop_targets():
    pairs, a = ((1.0, 2.0), (3.0, -4.0), (0.5, 8.0)), np.arange(2.0, 4.0)
    assert compiled(loop_over_pairs)(pairs, a) == loop_over_pairs(pairs, a)
