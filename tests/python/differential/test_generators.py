"""Compiled generator functions consumed by for loops, enumerate and the reductions of
iterables, in compiled code, against CPython."""

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nogil import TypingError, njit

from .oracle import assert_outcomes, run, same_value


def make_functions(jit):
    """The generators and their consumers, compiled with ``jit`` (the identity for CPython)."""

    @jit
    def countdown(n):
        while n > 0:
            yield n
            n -= 1

    @jit
    def evens_then_odds(n, step=2):
        for i in range(0, n, step):
            yield i
        for i in range(1, n, step):
            yield i * 10

    @jit
    def until_negative(a):
        for v in a:
            if v < 0:
                return
            yield v
        yield -1.0

    @jit
    def pairs(n):
        for i in range(n):
            for j in range(i):
                yield i * 100 + j

    @jit
    def with_cleanup(a, out):
        try:
            for i in range(len(a)):
                yield a[i]
        finally:
            out[0] += 1

    @jit
    def nested(n):
        for v in countdown(n):
            if v % 2:
                yield v

    @jit
    def consume_countdown(n):
        total = 0
        for v in countdown(n):
            total += v
        return total

    @jit
    def consume_with_break(n, limit):
        seen = 0
        for v in evens_then_odds(n):
            if v > limit:
                break
            if v % 3 == 0:
                continue
            seen = seen * 3 + v
        else:
            seen = -seen
        return seen

    @jit
    def consume_early_return(a):
        total = 0.0
        for v in until_negative(a):
            total += v
        return total

    @jit
    def consume_reductions(n, a):
        return (
            sum(pairs(n)),
            max(countdown(n), default=-1),
            any(v > 5 for v in countdown(n)),
            all(v >= 0 for v in until_negative(a)),
            sum(v for v in nested(n) if v != 3),
        )

    @jit
    def consume_enumerate(n):
        total = 0
        for i, v in enumerate(countdown(n), 5):
            total += i * v
        return total

    @jit
    def consume_nested_loops(n):
        total = 0
        for i in countdown(n):
            for j in countdown(i):
                if j == 2:
                    break
                total += i * j
        return total

    @jit
    def abandon_with_cleanup(a, out, stop_at):
        total = 0.0
        for v in with_cleanup(a, out):
            if v > stop_at:
                break
            total += v
        return total

    @jit
    def consume_zip(n, m, a):
        total = 0.0
        for v, i in zip(countdown(n), range(m)):  # noqa: B905 - zip() as compiled code has it
            total = total * 2 + v * i
        for v, i, x in zip(countdown(n), range(m, -m, -3), a):  # noqa: B905
            if x > 3:
                continue
            if v * x == 6:
                break
            total = total * 2 + v * i + x
        return total + sum(v * x for v, x in zip(pairs(n), a))  # noqa: B905

    @jit
    def consume_zip_zero_step(n):
        total = 0
        for v, i in zip(countdown(n), range(0, 5, n - n)):  # noqa: B905
            total += v * i
        return total

    return {
        name: value for name, value in locals().items() if name.startswith(("consume", "abandon"))
    }


plain = make_functions(lambda f: f)
compiled = make_functions(njit)


def same(expected, got):
    if isinstance(expected, tuple):
        return len(expected) == len(got) and all(map(same, expected, got))
    if isinstance(expected, np.generic):
        expected = expected.item()
    if isinstance(got, float) and isinstance(expected, int) and not isinstance(expected, bool):
        return same_value(float(expected), got)
    return same_value(expected, got)


def check(name, *args):
    where = f"{name}{args!r}"
    expected = run(plain[name], *args)
    got = run(compiled[name], *args)
    assert_outcomes(expected, got, where, same)


@settings(max_examples=50, deadline=None)
@given(st.integers(-3, 30), st.integers(-5, 200))
def test_generators_in_loops(n, limit):
    check("consume_countdown", n)
    check("consume_with_break", n, limit)
    check("consume_enumerate", n)
    check("consume_nested_loops", n % 12)
    check("consume_zip", n % 9, limit % 11 - 3, np.arange(limit % 6, dtype=np.float64))
    check("consume_zip_zero_step", n)


@settings(max_examples=50, deadline=None)
@given(
    st.integers(-3, 12),
    hnp.arrays(np.float64, st.integers(0, 8), elements={"min_value": -3, "max_value": 9}),
)
def test_generators_in_reductions(n, a):
    check("consume_early_return", a)
    check("consume_reductions", n, a)


def test_finally_runs_when_abandoned():
    a = np.arange(10.0)
    for stop_at in (3.5, 100.0, -1.0):
        expected_out = np.zeros(1)
        got_out = np.zeros(1)
        expected = plain["abandon_with_cleanup"](a, expected_out, stop_at)
        got = compiled["abandon_with_cleanup"](a, got_out, stop_at)
        assert expected == got
        assert expected_out[0] == got_out[0] == 1


def test_abandoned_generator_keeps_no_reference():
    a = np.arange(10.0)
    out = np.zeros(1)
    before = sys.getrefcount(a)
    for _ in range(3):
        compiled["abandon_with_cleanup"](a, out, 2.5)
    assert sys.getrefcount(a) == before


@njit
def gen_with_send():
    x = yield 1
    yield x


@njit
def gen_with_handler(n):
    try:
        yield n
    except ValueError:
        yield -n


@njit
def gen_delegating(n):
    yield from range(n)


@njit
def gen_recursive(n):
    yield n
    for v in gen_recursive(n - 1):  # noqa: UP028 - 'yield from' is refused on its own
        yield v


@njit
def consume_send():
    total = 0
    for v in gen_with_send():
        total += v
    return total


@njit
def consume_handler(n):
    return sum(gen_with_handler(n))


@njit
def consume_delegating(n):
    return max(gen_delegating(n))


@njit
def consume_recursive(n):
    return sum(gen_recursive(n))


@njit
def keep_generator(n):
    gen_with_handler(n)
    return 0


@pytest.mark.parametrize(
    ("consumer", "message"),
    [
        (consume_send, "'yield' as a value"),
        (consume_handler, "inside try/except"),
        (consume_delegating, "'yield from'"),
        (consume_recursive, "recursive generator"),
        (keep_generator, "'yield', except in a generator that a for loop"),
    ],
)
def test_unsupported_generators_are_refused_by_name(consumer, message):
    with pytest.raises(TypingError, match=message) as info:
        consumer(3) if consumer.py_func.__code__.co_argcount else consumer()
    assert "test_generators.py" in str(info.value)
