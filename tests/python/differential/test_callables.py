"""Functions as values (issue 15): compiled functions and builtins passed as arguments, bound
to locals, stored in tuples and chosen by conditions, and Dispatchers passed from Python.
Each compiled function is checked against its plain twin run by CPython."""

import math
import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nogil
from nogil import njit

from .oracle import same_value

finite = st.floats(-1e3, 1e3, allow_nan=False)


def square(x):
    return x * x


def cube(x):
    return x * x * x


def offset(x, by=1.5):
    return x + by


c_square = njit(square)
c_cube = njit(cube)
c_offset = njit(offset)


def integrate(f, a, b, n):
    h = (b - a) / n
    total = 0.5 * (f(a) + f(b))
    for i in range(1, n):
        total += f(a + i * h)
    return total * h


def twice(g, f, x):  # a function passed through two levels of calls
    return g(f, g(f, x, 1), 2)


def apply_with(f, x, k):
    return f(x) + k


def apply(f, x):
    return f(x)


def bound_locally(x):
    g = square
    h = g
    return h(x) + g(x)


def through_tuple(x):
    fs = (square, cube, math.sqrt, abs)
    return fs[0](x) + fs[1](x) + fs[2](abs(x)) + fs[-1](-x)


def chosen(x, flag):
    f = square if flag else square  # noqa: RUF034 (one function type in both branches)
    if flag:  # noqa: SIM108
        g = cube
    else:
        g = cube
    return f(x) + g(x)


def builtins_as_values(x):
    return apply(math.sin, x) + apply(abs, -x) + apply(math.floor, x) + apply(float, 3)


def defaults_through_value(x):
    f = offset
    return f(x) + f(x, 2.0) + f(x, by=-1.0)


def returns_function():
    return cube


def call_returned(x):
    return returns_function()(x)


# The compiled twins call compiled callees: their globals are swapped for the compiled ones.
def compiled_twin(function, **replacements):
    names = {"square": c_square, "cube": c_cube, "offset": c_offset, **replacements}
    glob = dict(function.__globals__)
    glob.update(names)
    clone = type(function)(function.__code__, glob, function.__name__, function.__defaults__)
    return njit(clone)


c_integrate = njit(integrate)
c_apply = njit(apply)
c_apply_with = njit(apply_with)
c_twice = compiled_twin(twice)
c_bound_locally = compiled_twin(bound_locally)
c_through_tuple = compiled_twin(through_tuple)
c_chosen = compiled_twin(chosen)
c_builtins_as_values = compiled_twin(builtins_as_values, apply=c_apply)
c_defaults_through_value = compiled_twin(defaults_through_value)
c_returns_function = compiled_twin(returns_function)
c_call_returned = compiled_twin(call_returned, returns_function=c_returns_function)


def check(expected, got):
    assert same_value(expected, got), (expected, got)


@settings(max_examples=25, deadline=None)
@given(finite, finite, st.integers(1, 50))
def test_dispatcher_arguments_from_python(a, b, n):
    check(integrate(square, a, b, n), c_integrate(c_square, a, b, n))
    check(integrate(cube, a, b, n), c_integrate(c_cube, a, b, n))


def test_each_function_gets_its_own_specialization():
    c_integrate(c_square, 0.0, 1.0, 10)
    c_integrate(c_cube, 0.0, 1.0, 10)
    signatures = [str(s) for s in c_integrate.signatures]
    assert any("function(square)" in s for s in signatures), signatures
    assert any("function(cube)" in s for s in signatures), signatures
    assert "function(square)" in "".join(c_integrate.inspect_llvm().values())


def test_same_qualname_different_functions():
    def make(k):
        @njit
        def scaled(x):
            return x * k

        return scaled

    double, triple = make(2.0), make(3.0)
    assert c_apply(double, 5.0) == 10.0
    assert c_apply(triple, 5.0) == 15.0
    assert c_apply(double, 1.0) == 2.0


@settings(max_examples=25, deadline=None)
@given(finite, st.integers(-5, 5))
def test_passed_between_compiled_functions(x, k):
    check(twice(apply_with, square, x), c_twice(c_apply_with, c_square, x))
    check(apply_with(cube, k, 2), c_apply_with(c_cube, k, 2))


@settings(max_examples=25, deadline=None)
@given(finite, st.booleans())
def test_locals_tuples_and_conditions(x, flag):
    check(bound_locally(x), c_bound_locally(x))
    check(through_tuple(x), c_through_tuple(x))
    check(chosen(x, flag), c_chosen(x, flag))
    check(defaults_through_value(x), c_defaults_through_value(x))
    check(call_returned(x), c_call_returned(x))


@settings(max_examples=25, deadline=None)
@given(finite)
def test_builtins_as_values(x):
    check(builtins_as_values(x), c_builtins_as_values(x))
    check(apply(math.cos, x), c_apply(math.cos, x))
    check(apply(abs, int(x)), c_apply(abs, int(x)))


def test_tuple_of_dispatchers_from_python():
    def first_two(fs, x):
        return fs[0](x) - fs[1](x)

    check(first_two((square, cube), 3), njit(first_two)((c_square, c_cube), 3))


def test_module_function_as_value():
    @njit
    def sqrt_of(x):
        return c_apply(math.sqrt, x) + c_apply(nogil_module_member, x)

    nogil_module_member = math.fabs  # a builtin reached through a closure cell
    assert sqrt_of(4.0) == 6.0


def test_function_returned_to_python_is_refused():
    with pytest.raises(nogil.TypingError, match="function"):
        c_returns_function()


def test_wrong_number_of_arguments_through_value():
    @njit
    def too_many(f, x):
        return f(x, x, x)

    with pytest.raises(nogil.TypingError, match=r"square\(\) takes 1 positional argument"):
        too_many(c_square, 1.0)


def test_failing_callee_reports_its_own_error():
    @njit
    def broken(x):
        return x + "text"

    with pytest.raises(nogil.TypingError) as error:
        c_apply(broken, 1.0)
    text = str(error.value)
    assert "unsupported operand types" in text
    assert "broken(x: float64)" in text


def test_plain_python_function_is_refused():
    with pytest.raises(TypeError, match="unsupported type 'function'"):
        c_apply(square, 1.0)


CACHED = """\
from nogil import njit


@njit(cache=True)
def integrate(f, a, b, n):
    h = (b - a) / n
    total = 0.5 * (f(a) + f(b))
    for i in range(1, n):
        total += f(a + i * h)
    return total * h


@njit
def square(x):
    return x * x


@njit
def cube(x):
    return x * x * x
"""

CHILD = """\
import sys
sys.path.insert(0, {path!r})
import cached
first, second = getattr(cached, {first!r}), getattr(cached, {second!r})
print(cached.integrate(first, 0.0, 2.0, 4), cached.integrate(second, 0.0, 2.0, 4))
s = cached.integrate.stats
print(s["cache_hits"], s["cache_misses"])
"""


def test_cache_keys_function_arguments_apart(tmp_path):
    (tmp_path / "cached.py").write_text(CACHED)
    env = dict(os.environ, NOGIL_CACHE_DIR=str(tmp_path / "cache"))

    def child(first, second):
        code = CHILD.format(path=str(tmp_path), first=first, second=second)
        out = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
        return out[0].split(), out[1].split()

    expected_square = str(integrate(square, 0.0, 2.0, 4))
    expected_cube = str(integrate(cube, 0.0, 2.0, 4))
    results, counters = child("square", "cube")
    assert results == [expected_square, expected_cube]
    assert counters == ["0", "2"]
    results, counters = child("cube", "square")  # loaded: each its own entry
    assert results == [expected_cube, expected_square]
    assert counters == ["2", "0"]
