"""Text in compiled code: f-string messages of raise and assert, and print(), as CPython
formats them (floats by their shortest repr).

PYTEST_DONT_REWRITE: the asserts of the plain functions are the oracle; pytest's rewriting would
add its own text to their messages.
"""

import contextlib
import io
import threading

from hypothesis import given
from hypothesis import strategies as st

from .oracle import bools, compiled, floats, run, wide_ints


def raise_formatted(i, x, flag):
    raise ValueError(f"i={i}, x={x}, flag={flag}, sum={i + x}!")


def assert_formatted(i, x):
    assert i < 0, f"{i} is not negative ({x})"
    return i


def print_values(i, x, flag):
    print(i, x, flag)
    print("literal", f"f{i}", -x)
    print()
    print(f"{x}{x}")


def printed(function, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        outcome = run(function, *args)
    return out.getvalue(), outcome


@given(i=wide_ints, x=floats, flag=bools)
def test_raise_with_f_string_message(i, x, flag):
    expected = run(raise_formatted, i, x, flag)
    got = run(compiled(raise_formatted), i, x, flag)
    assert type(got[1]) is ValueError and got[1].args == expected[1].args, (expected, got)


@given(i=wide_ints, x=floats)
def test_assert_with_f_string_message(i, x):
    expected = run(assert_formatted, i, x)
    got = run(compiled(assert_formatted), i, x)
    assert expected[0] == got[0]
    if expected[0] == "raise":
        assert type(got[1]) is AssertionError and got[1].args == expected[1].args
    else:
        assert got[1] == expected[1]


@given(i=wide_ints, x=floats | st.sampled_from([1e16, 1e15, 1e-4, 1e-5, 0.1, 123.0]), flag=bools)
def test_print_writes_what_python_prints(i, x, flag):
    assert printed(compiled(print_values), i, x, flag) == printed(print_values, i, x, flag)


def test_print_from_threads_writes_whole_lines():
    cfunc = compiled(print_values)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        threads = [threading.Thread(target=cfunc, args=(k, 0.5, True)) for k in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    lines = out.getvalue().splitlines()
    assert len(lines) == 8 * 4
    assert sorted(line for line in lines if line.endswith("True")) == sorted(
        f"{k} 0.5 True" for k in range(8)
    )
