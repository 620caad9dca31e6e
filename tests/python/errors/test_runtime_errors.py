"""Exceptions raised by compiled code: their type, message, and the traceback line."""

import inspect
import math
import sys
import traceback

import pytest

from nogil import njit


def line_of(function, text: str) -> int:
    """The file line of the only line of ``function`` that contains ``text``."""
    lines, first = inspect.getsourcelines(function)
    hits = [first + i for i, line in enumerate(lines) if text in line]
    assert len(hits) == 1, hits
    return hits[0]


def assert_traceback_points_at(err: BaseException, function, text: str) -> None:
    frames = traceback.extract_tb(err.__traceback__)
    expected = (inspect.getsourcefile(function), line_of(function, text))
    assert expected in [(frame.filename, frame.lineno) for frame in frames], frames


def floordiv_in_loop(n, d):
    total = 0
    for i in range(n):
        total += i // d
    return total


def modulo(a, b):
    x = a + 1
    return x % b


def true_divide(a, b):
    y = a * 2
    z = y / b
    return z


def zero_step(n, step):
    total = 0
    for i in range(0, n, step):
        total += i
    return total


def float_power(x, y):
    r = x**y
    return r


def int_power(x, y):
    r = x**y
    return r


def read_before_assignment(n, assign_first):
    if assign_first:
        y = 1
    x = y + n
    y = 2
    return x + y


def make_nested(decorate):
    @decorate
    def inner(a, b):
        q = a // b
        return q

    @decorate
    def outer(a, b):
        return inner(a, b) + 1

    return inner, outer


# CPython 3.13 reworded it; compiled code follows the interpreter it runs in.
FLOAT_MODULO_BY_ZERO = "float modulo by zero" if sys.version_info >= (3, 13) else "float modulo"


@pytest.mark.parametrize(
    ("function", "args", "error", "message", "text"),
    [
        (floordiv_in_loop, (5, 0), ZeroDivisionError, "integer division or modulo by zero", "//"),
        (modulo, (5, 0), ZeroDivisionError, "integer modulo by zero", "%"),
        (modulo, (5.5, 0.0), ZeroDivisionError, FLOAT_MODULO_BY_ZERO, "%"),
        (true_divide, (5, 0), ZeroDivisionError, "division by zero", "/"),
        (true_divide, (5.0, 0.0), ZeroDivisionError, "float division by zero", "/"),
        (floordiv_in_loop, (5, 0.0), ZeroDivisionError, "float floor division by zero", "//"),
        (zero_step, (5, 0), ValueError, "range() arg 3 must not be zero", "range"),
        (float_power, (10.0, 400.0), OverflowError, None, "**"),
        (float_power, (0.0, -1.0), ZeroDivisionError, None, "**"),
        (
            read_before_assignment,
            (1, False),
            UnboundLocalError,
            "cannot access local variable 'y' where it is not associated with a value",
            "x = y + n",
        ),
    ],
)
def test_runtime_error_type_message_and_line(function, args, error, message, text):
    with pytest.raises(error) as expected:
        function(*args)
    with pytest.raises(error) as info:
        njit(function)(*args)
    if message is not None:
        assert str(expected.value) == message
        assert str(info.value) == message
    assert_traceback_points_at(info.value, function, text)


@pytest.mark.parametrize("exponent", [-1, -5])
def test_int_power_with_negative_variable_exponent_raises_value_error(exponent):
    # Documented difference: CPython returns a float.
    with pytest.raises(ValueError) as info:
        njit(int_power)(2, exponent)
    assert_traceback_points_at(info.value, int_power, "**")


def test_error_in_callee_points_at_callee_line():
    plain_inner, _ = make_nested(lambda f: f)
    _, outer = make_nested(njit)
    with pytest.raises(ZeroDivisionError, match="integer division or modulo by zero") as info:
        outer(1, 0)
    assert_traceback_points_at(info.value, plain_inner, "a // b")


@pytest.mark.parametrize("assign_first", [True, False])
def test_variable_assigned_on_some_paths_is_checked_when_read(assign_first):
    cfunc = njit(read_before_assignment)
    if assign_first:
        assert cfunc(5, assign_first) == read_before_assignment(5, assign_first)
    else:
        with pytest.raises(UnboundLocalError):
            cfunc(5, assign_first)


def test_compiled_function_works_after_raising():
    cfunc = njit(modulo)
    with pytest.raises(ZeroDivisionError):
        cfunc(3, 0)
    assert cfunc(3, 5) == modulo(3, 5)
    with pytest.raises(ZeroDivisionError):
        cfunc(3.0, 0.0)
    assert math.isclose(cfunc(3.5, 2.0), modulo(3.5, 2.0))


def test_exception_in_loop_stops_at_the_failing_iteration():
    def countdown(n):
        total = 0
        for i in range(n, -5, -1):
            total += 100 // i
        return total

    # countdown is nested, so its source is found through the enclosing file.
    with pytest.raises(ZeroDivisionError):
        countdown(3)
    with pytest.raises(ZeroDivisionError):
        njit(countdown)(3)
    assert njit(countdown)(-1) == countdown(-1)
