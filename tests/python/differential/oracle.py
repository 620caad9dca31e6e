"""CPython as the oracle: run a plain function and its compiled twin and compare the outcomes.

Ints must match exactly, floats bitwise (any NaN equals any NaN), bools by value and type, and
exceptions by type (and by message where nogil promises CPython's message).
"""

import functools
import math
import struct
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from nogil import njit

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
MASK64 = (1 << 64) - 1

# Exceptions whose message nogil reproduces exactly.
SAME_MESSAGE = (ZeroDivisionError, ValueError)


def wrap64(value: int) -> int:
    """``value`` reduced to int64 with two's-complement wraparound."""
    value &= MASK64
    return value - (1 << 64) if value >= 1 << 63 else value


def run(function: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """("value", result) or ("raise", exception)."""
    try:
        return "value", function(*args)
    except Exception as err:
        return "raise", err


def float_bits(value: float) -> int:
    return struct.unpack("<q", struct.pack("<d", value))[0]


def same_float(expected: float, got: float) -> bool:
    if math.isnan(expected):
        return math.isnan(got)
    return float_bits(expected) == float_bits(got)


def same_value(expected: Any, got: Any) -> bool:
    """Equal value and equal type; floats (and complex parts) compared bitwise, tuples element
    by element."""
    if type(expected) is not type(got):
        return False
    if isinstance(expected, float):
        return same_float(expected, got)
    if isinstance(expected, complex):
        return same_float(expected.real, got.real) and same_float(expected.imag, got.imag)
    if isinstance(expected, tuple):
        return len(expected) == len(got) and all(map(same_value, expected, got))
    return expected == got


def unified_value(expected: Any, got: Any) -> bool:
    """Like ``same_value``, but where CPython returns an int or bool and nogil unified the
    result type to float (a documented difference), the float must equal the int exactly."""
    if isinstance(got, float) and isinstance(expected, int):
        return same_float(float(expected), got)
    if isinstance(got, int) and not isinstance(got, bool) and isinstance(expected, bool):
        return got == int(expected)
    return same_value(expected, got)


def is_complex_power(base: float, exponent: float) -> bool:
    """CPython answers a negative base to a fractional power with a complex number, which
    compiled code cannot return; strategies leave these pairs out."""
    return (
        math.isfinite(base)
        and base < 0
        and math.isfinite(exponent)
        and exponent != math.floor(exponent)
    )


def describe(outcome: tuple[str, Any]) -> str:
    kind, value = outcome
    if kind == "raise":
        return f"raised {type(value).__name__}({str(value)!r})"
    if isinstance(value, float):
        return f"returned {value!r} (float, bits {float_bits(value):#x})"
    return f"returned {value!r} ({type(value).__name__})"


def assert_outcomes(
    expected: tuple[str, Any],
    got: tuple[str, Any],
    where: str,
    compare: Callable[[Any, Any], bool] = same_value,
    same_message: bool = True,
) -> None:
    message = f"{where}: CPython {describe(expected)}, nogil {describe(got)}"
    assert expected[0] == got[0], message
    if expected[0] == "raise":
        assert type(got[1]) is type(expected[1]), message
        if same_message and isinstance(expected[1], SAME_MESSAGE):
            assert str(got[1]) == str(expected[1]), message
    else:
        assert compare(expected[1], got[1]), message


def assert_same(
    pyfunc: Callable[..., Any], cfunc: Any, *args: Any, same_message: bool = True
) -> None:
    """``cfunc(*args)`` returns or raises exactly what ``pyfunc(*args)`` does; with
    ``same_message=False``, an exception need only have the same type."""
    where = f"{pyfunc.__name__}{args!r}"
    assert_outcomes(run(pyfunc, *args), run(cfunc, *args), where, same_message=same_message)


def assert_same_unified(pyfunc: Callable[..., Any], cfunc: Any, *args: Any) -> None:
    """As ``assert_same``, allowing an int result to come back unified to an equal float."""
    where = f"{pyfunc.__name__}{args!r}"
    assert_outcomes(run(pyfunc, *args), run(cfunc, *args), where, unified_value)


@functools.cache
def compiled(pyfunc: Callable[..., Any]) -> Any:
    """The compiled twin of ``pyfunc``, one per function for the whole run; ``pyfunc`` itself
    stays plain Python."""
    cfunc = njit(pyfunc)
    assert cfunc.py_func is pyfunc
    return cfunc


def make_decorated(factory: Callable[[Callable[..., Any]], Any]) -> tuple[Any, Any]:
    """(plain, compiled) results of a factory that takes a decorator; used for functions that
    call each other through closure cells, so that the plain version calls plain functions."""
    return factory(lambda function: function), factory(njit)


# Strategies. Ints stay where Python ints and int64 agree for the operation under test.
small_ints = st.integers(-1000, 1000)
medium_ints = st.integers(-(2**31), 2**31)
exact_ints = st.integers(-(2**53), 2**53)
wide_ints = st.integers(-(2**62) + 1, 2**62 - 1)
small_edge_ints = st.sampled_from([0, 1, -1, 2, -2, 3, -3, 7, -7, 2**31, -(2**31)])
edge_ints = st.sampled_from([0, 1, -1, 2, -2, 3, -3, 7, -7, 2**31, -(2**31), 2**53, -(2**53)])
any_floats = st.floats(allow_nan=True, allow_infinity=True)
edge_floats = st.sampled_from(
    [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        3.0,
        -3.0,
        1e-308,
        5e-324,
        -5e-324,
        1.7976931348623157e308,
        -1.7976931348623157e308,
        math.inf,
        -math.inf,
        math.nan,
        2.0**53,
        2.0**53 + 2,
        0.1,
        7.5,
        -7.5,
    ]
)
floats = any_floats | edge_floats
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
bools = st.booleans()
