"""Calls between compiled functions, recursion, module constants, and the article's loop."""

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit

from ..article import fibonacci
from .oracle import (
    MASK64,
    assert_same,
    compiled,
    floats,
    make_decorated,
    small_ints,
    wrap64,
)

# Recursion through closure cells: the plain twin calls plain functions, the compiled twin
# calls compiled ones.


def make_fib(decorate):
    @decorate
    def fib(n):
        if n < 2:
            return n
        return fib(n - 1) + fib(n - 2)

    return fib


def make_recurse(decorate):
    # The recursion of "Release the GIL" (speice.io): every call but the last recurses.
    @decorate
    def numba_recurse(n):
        if n <= 0:
            return 0
        return numba_recurse(n - 1)

    return numba_recurse


def make_parity(decorate):
    @decorate
    def is_even(n):
        if n == 0:
            return True
        return is_odd(n - 1)

    @decorate
    def is_odd(n):
        if n == 0:
            return False
        return is_even(n - 1)

    return is_even


def make_ackermann(decorate):
    @decorate
    def ackermann(m, n):
        if m == 0:
            return n + 1
        if n == 0:
            return ackermann(m - 1, 1)
        return ackermann(m - 1, ackermann(m, n - 1))

    return ackermann


def make_float_recursion(decorate):
    @decorate
    def power_sum(x, n):
        if n == 0:
            return 1.0
        return 1.0 + x * power_sum(x, n - 1)

    return power_sum


def make_helpers(decorate):
    # `before` is defined before its caller, `after` after it.
    @decorate
    def before(x):
        return x * 3 + 1

    @decorate
    def caller(x, y):
        return before(x) - after(y) + before(after(x))

    @decorate
    def after(y):
        return y // 2 if y > 0 else -y

    return caller


def make_mixed_helpers(decorate):
    @decorate
    def halve(x):
        return x / 2

    @decorate
    def nothing(x):
        x = x + 1

    @decorate
    def flag(x):
        return x > 3

    @decorate
    def caller(x):
        nothing(x)
        if flag(x):
            return halve(x) + 1
        return halve(x * 3)

    return caller


FIB = make_decorated(make_fib)
RECURSE = make_decorated(make_recurse)
PARITY = make_decorated(make_parity)
ACKERMANN = make_decorated(make_ackermann)
FLOAT_RECURSION = make_decorated(make_float_recursion)
HELPERS = make_decorated(make_helpers)
MIXED_HELPERS = make_decorated(make_mixed_helpers)


@given(n=st.integers(-3, 20))
def test_recursive_fibonacci(n):
    assert_same(*FIB, n)


@pytest.mark.parametrize("n", [-1, 0, 1, 2, 3, 100, 900])
def test_article_recursion_returns_zero(n):
    assert_same(*RECURSE, n)


def test_deep_recursion_beyond_python_limit():
    n = sys.getrecursionlimit() * 5
    assert RECURSE[1](n) == 0


@given(n=st.integers(0, 300))
def test_mutual_recursion(n):
    assert_same(*PARITY, n)


@given(m=st.integers(0, 2), n=st.integers(0, 6))
def test_nested_recursive_calls(m, n):
    assert_same(*ACKERMANN, m, n)


@given(x=st.floats(-2, 2), n=st.integers(0, 30))
def test_recursion_returning_float(x, n):
    assert_same(*FLOAT_RECURSION, x, n)


@given(x=small_ints, y=small_ints)
def test_calls_to_functions_defined_before_and_after(x, y):
    assert_same(*HELPERS, x, y)


@given(x=small_ints | floats)
def test_calls_returning_float_bool_and_none(x):
    assert_same(*MIXED_HELPERS, x)


# Module-level compiled functions, called by name through the module's globals.


@njit
def square_plus(x, y):
    return x * x + y


def uses_module_helpers(x):
    return square_plus(x, 1) - square_plus(1, x) + triple(x)


@njit
def triple(x):
    return 3 * x


@given(x=st.integers(-(10**4), 10**4) | st.floats(-1e3, 1e3))
def test_module_level_helpers_match_their_python_source(x):
    for helper, args in ((square_plus, (x, 2)), (triple, (x,))):
        assert_same(helper.py_func, helper, *args)


@given(x=st.integers(-(10**4), 10**4) | st.floats(-1e3, 1e3))
def test_calls_to_module_level_compiled_functions(x):
    assert_same(uses_module_helpers, compiled(uses_module_helpers), x)


# Module constants: read at the first compilation and frozen there.

SCALE = 7
RATE = 0.25
ENABLED = True
NEGATIVE = -3
LATE_BOUND = 11


def uses_constants(x):
    if ENABLED:
        return x * SCALE + RATE * NEGATIVE
    return x


def uses_int_constant(x):
    return x + SCALE * NEGATIVE


def reads_late_bound(x):
    return x + LATE_BOUND


@given(x=small_ints | floats)
def test_module_constants(x):
    assert_same(uses_constants, compiled(uses_constants), x)


@given(x=small_ints)
def test_module_int_constants_keep_int_type(x):
    assert_same(uses_int_constant, compiled(uses_int_constant), x)


def test_module_constant_is_frozen_at_first_compile(monkeypatch):
    cfunc = njit(reads_late_bound)
    first = cfunc(1)
    assert first == reads_late_bound(1)
    monkeypatch.setattr(sys.modules[__name__], "LATE_BOUND", 1000)
    assert reads_late_bound(1) == 1001
    assert cfunc(1) == first


# The article's Fibonacci loop, with int64 wraparound.


def fibonacci_masked(n):
    """The same loop in plain Python, with uint64 wraparound made explicit."""
    if n <= 1:
        return n
    a, b = 0, 1
    c = a + b
    for _i in range(2, n):
        a = b
        b = c
        c = (a + b) & MASK64
    return c


@pytest.mark.parametrize("n", [0, 1, 2, 3, 10, 50, 91, 92, 93, 94, 100, 1000, 10**5])
def test_article_fibonacci_wraps_like_uint64(n):
    got = compiled(fibonacci)(n)
    assert type(got) is int
    assert got == wrap64(fibonacci_masked(n))


@given(n=st.integers(-5, 92))
def test_article_fibonacci_matches_cpython_before_overflow(n):
    assert_same(fibonacci, compiled(fibonacci), n)


@pytest.mark.parametrize("length", [2, 17, 40])
def test_a_long_chain_of_calls_types_in_a_few_passes(tmp_path, length):
    # Return types settle callees first: a chain of 18 calls was taken for baseless recursion
    # (N0213) when each pass moved the return type up by one caller.
    lines = ["from nogil import njit", ""]
    for k in range(length):
        body = f"link{k + 1}(x) + 1" if k + 1 < length else "x * 0.5"
        lines += ["@njit", f"def link{k}(x):", f"    return {body}", ""]
    module_path = tmp_path / "chain_of_calls.py"
    module_path.write_text("\n".join(lines))
    namespace: dict = {}
    exec(compile(module_path.read_text(), str(module_path), "exec"), namespace)
    for x in (0, 3, -7):
        assert namespace["link0"](x) == namespace["link0"].py_func(x)
