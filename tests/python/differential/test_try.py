"""try/except/else/finally around exceptions raised in compiled code, against CPython:
which clause runs, in what order, and what escapes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit

from .oracle import assert_same, compiled, small_ints


class AppError(ValueError):
    """A user's exception class: caught by its own name and by its base."""


def divide_or_default(a, b):
    try:
        r = a // b
    except ZeroDivisionError:
        r = -1
    return r


def clauses(x):
    log = 0
    try:
        if x == 1:
            raise AppError("app")
        if x == 2:
            raise KeyError("key")
        if x == 3:
            return 100
        if x == 4:
            log += 1 // (x - 4)
        log += 1
    except (KeyError, IndexError):
        log += 10
    except ValueError:
        log += 20
    else:
        log += 1000
    finally:
        log += 5
    return log


def jumps_through_finally(n):
    total = 0
    for i in range(n):
        try:
            if i % 3 == 0:
                continue
            if i == 7:
                break
            total += 100 // (i - 5)
        except ZeroDivisionError:
            total += 1000
        finally:
            total += 1
    return total


def reraise(x):
    try:
        return 10 // x
    except ZeroDivisionError:
        raise


def not_caught_here(x):
    try:
        return 10 // x
    except ValueError:
        return -1


def finally_on_the_way_out(x):
    try:
        return 10 // x
    finally:
        print("cleanup")


def nested(x, y):
    total = 0
    try:
        try:
            total += 10 // x
        except ZeroDivisionError:
            total += 100 // y
        finally:
            total += 1
    except ZeroDivisionError:
        total += 1000
    return total


def catch_from_callee(decorate):
    inner = decorate(divide_or_default)

    @decorate
    def failing(x):
        if x < 0:
            raise AppError("negative")
        return inner(10, x)

    @decorate
    def outer(x):
        try:
            return failing(x)
        except AppError:
            return -100

    return outer


def bare_except(x):
    try:
        assert x > 0, "must be positive"
        return x
    except:  # noqa: E722
        return 0


@given(a=small_ints, b=small_ints | st.just(0))
def test_except_a_builtin_error(a, b):
    assert_same(divide_or_default, compiled(divide_or_default), a, b)


@pytest.mark.parametrize("x", range(6))
def test_clauses_else_and_finally(x):
    assert_same(clauses, compiled(clauses), x)


@given(n=st.integers(0, 20))
def test_continue_and_break_run_finally(n):
    assert_same(jumps_through_finally, compiled(jumps_through_finally), n)


@pytest.mark.parametrize("function", [reraise, not_caught_here], ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", [0, 3])
def test_exceptions_that_escape(function, x):
    assert_same(function, compiled(function), x)


@pytest.mark.parametrize("x", [0, 5])
def test_finally_runs_when_an_exception_escapes(x, capsys):
    assert_same(finally_on_the_way_out, compiled(finally_on_the_way_out), x)
    assert capsys.readouterr().out == "cleanup\ncleanup\n"


@given(x=st.integers(-2, 2), y=st.integers(-2, 2))
def test_nested_try(x, y):
    assert_same(nested, compiled(nested), x, y)


@pytest.mark.parametrize("x", [-1, 0, 2])
def test_catch_an_exception_raised_by_a_compiled_callee(x):
    assert_same(catch_from_callee(lambda f: f), catch_from_callee(njit), x)


@pytest.mark.parametrize("x", [-1, 1])
def test_bare_except_catches_everything(x):
    assert_same(bare_except, compiled(bare_except), x)


def return_in_finally_overrides(x):
    try:
        return 1 // x
    finally:
        if x == 5:
            return 99  # noqa: B012 (CPython's rule is what is tested)


def break_in_handler_runs_finally(n):
    total = 0
    for i in range(n):
        try:
            if i == 3:
                raise ValueError("three")
            total += i
        except ValueError:
            break
        finally:
            total += 100
    return total


def exception_in_finally_replaces(x):
    try:
        try:
            return 10 // x
        finally:
            1 // (x - 1)
    except ZeroDivisionError:
        return -1


def return_from_handler_in_endless_loop(x):
    while True:
        try:
            x -= 1
            if x < 0:
                raise KeyError("k")
        except KeyError:
            return x
        finally:
            x -= 10


@pytest.mark.parametrize(
    "function",
    [
        return_in_finally_overrides,
        break_in_handler_runs_finally,
        exception_in_finally_replaces,
        return_from_handler_in_endless_loop,
    ],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("x", [0, 1, 2, 5, 10])
def test_control_flow_through_handlers_and_finally(function, x):
    assert_same(function, compiled(function), x)
