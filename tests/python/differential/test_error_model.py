"""error_model="numpy": division and modulo by zero give what NumPy gives (inf, nan, 0)
instead of raising (math functions: test_math_error_model.py). NumPy is the oracle here."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit

from .oracle import assert_outcomes, floats, run, same_value, small_ints


def true_divide(a, b):
    return a / b


def floor_divide(a, b):
    return a // b


def remainder(a, b):
    return a % b


NUMPY = {true_divide: np.true_divide, floor_divide: np.floor_divide, remainder: np.remainder}
COMPILED = {op: njit(error_model="numpy")(op) for op in NUMPY}
operation = pytest.mark.parametrize("op", list(NUMPY), ids=lambda op: op.__name__)


def numpy_result(op, a, b):
    with np.errstate(all="ignore"):
        value = NUMPY[op](np.array(a), np.array(b)).item()
    return value


@given(a=floats, b=floats | st.sampled_from([0.0, -0.0]))
@operation
def test_floats_by_zero_as_numpy_and_otherwise_as_python(op, a, b):
    expected = numpy_result(op, a, b) if b == 0 else op(a, b)
    assert same_value(expected, COMPILED[op](a, b)), (a, b, expected)


@given(a=small_ints, b=st.sampled_from([0]))
@operation
def test_ints_by_zero(op, a, b):
    assert same_value(numpy_result(op, a, b), COMPILED[op](a, b))


@given(a=small_ints, b=small_ints.filter(lambda v: v != 0))
@operation
def test_ints_by_non_zero_are_python_results(op, a, b):
    assert_outcomes(("value", op(a, b)), run(COMPILED[op], a, b), f"{op.__name__}({a}, {b})")


def test_python_error_model_still_raises():
    with pytest.raises(ZeroDivisionError):
        njit(true_divide)(1.0, 0.0)


def test_unknown_error_model_is_rejected():
    with pytest.raises(ValueError, match="error_model"):
        njit(error_model="c")
