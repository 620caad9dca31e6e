"""math functions under error_model="numpy": no math domain or range errors but NumPy's (and
Numba's) nan and infinities, so that code such as a distribution's ppf at 1.0 runs. Under the
default error_model="python" the same calls raise as CPython does."""

import math

import numpy as np
import pytest

from nogil import njit

EDGES = [-math.inf, -1000.0, -2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.0, 1000.0, math.inf, math.nan]
UNARY_NAMES = [
    "sqrt",
    "exp",
    "expm1",
    "log",
    "log1p",
    "log2",
    "log10",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "asinh",
    "acosh",
    "atanh",
]
NUMPY_UNARY = [
    getattr(
        np,
        {
            "asin": "arcsin",
            "acos": "arccos",
            "atan": "arctan",
            "asinh": "arcsinh",
            "acosh": "arccosh",
            "atanh": "arctanh",
        }.get(name, name),
    )
    for name in UNARY_NAMES
]


def unary(k, x):
    if k == 0:
        return math.sqrt(x)
    if k == 1:
        return math.exp(x)
    if k == 2:
        return math.expm1(x)
    if k == 3:
        return math.log(x)
    if k == 4:
        return math.log1p(x)
    if k == 5:
        return math.log2(x)
    if k == 6:
        return math.log10(x)
    if k == 7:
        return math.sin(x)
    if k == 8:
        return math.cos(x)
    if k == 9:
        return math.tan(x)
    if k == 10:
        return math.asin(x)
    if k == 11:
        return math.acos(x)
    if k == 12:
        return math.atan(x)
    if k == 13:
        return math.sinh(x)
    if k == 14:
        return math.cosh(x)
    if k == 15:
        return math.tanh(x)
    if k == 16:
        return math.asinh(x)
    if k == 17:
        return math.acosh(x)
    if k == 18:
        return math.atanh(x)
    return 0.0


def binary(k, x, y):
    if k == 0:
        return math.pow(x, y)
    if k == 1:
        return math.fmod(x, y)
    if k == 2:
        return math.log(x, y)
    return x**y


NUMPY_BINARY = [np.power, np.fmod, lambda x, y: np.log(x) / np.log(y), np.power]
BINARY_NAMES = ["pow", "fmod", "log", "**"]
UNARY_PYTHON = njit(unary)
UNARY_NUMPY = njit(error_model="numpy")(unary)
BINARY_PYTHON = njit(binary)
BINARY_NUMPY = njit(error_model="numpy")(binary)


def same_float(expected, got):
    if math.isnan(expected):
        return math.isnan(got)
    if math.isinf(expected) or expected == 0:
        return expected == got and math.copysign(1, expected) == math.copysign(1, got)
    return math.isclose(expected, got, rel_tol=1e-14)


def outcome(function, *args):
    try:
        return "value", function(*args)
    except Exception as err:
        return type(err).__name__, str(err)


def expected_without_errors(python, numpy, *args):
    """CPython's value where CPython gives a float; where it raises, NumPy's nan or infinity."""
    kind, value = outcome(python, *args)
    if kind == "value" and not isinstance(value, complex):  # (-2.0) ** 0.5 is complex
        return value
    with np.errstate(all="ignore"):
        return float(numpy(*(np.float64(arg) for arg in args)))


@pytest.mark.parametrize("k", range(len(UNARY_NAMES)), ids=UNARY_NAMES)
def test_numpy_error_model_gives_numpys_nan_and_infinities(k):
    for x in EDGES:
        expected = expected_without_errors(lambda x: unary(k, x), NUMPY_UNARY[k], x)
        got = UNARY_NUMPY(k, x)
        assert same_float(expected, got), (UNARY_NAMES[k], x, expected, got)


@pytest.mark.parametrize("k", range(len(BINARY_NAMES)), ids=BINARY_NAMES)
def test_numpy_error_model_binary_math_gives_numpys_values(k):
    for x in EDGES:
        for y in EDGES:
            expected = expected_without_errors(lambda x, y: binary(k, x, y), NUMPY_BINARY[k], x, y)
            got = BINARY_NUMPY(k, x, y)
            assert same_float(expected, got), (BINARY_NAMES[k], x, y, expected, got)


@pytest.mark.parametrize("k", range(len(UNARY_NAMES)), ids=UNARY_NAMES)
def test_python_error_model_raises_as_cpython(k):
    for x in EDGES:
        expected = outcome(unary, k, x)
        got = outcome(UNARY_PYTHON, k, x)
        if expected[0] == "value" and got[0] == "value":
            assert same_float(expected[1], got[1]), (UNARY_NAMES[k], x, expected, got)
        else:
            assert got == expected, (UNARY_NAMES[k], x)


def test_the_examples_of_the_issue():
    assert UNARY_NUMPY(UNARY_NAMES.index("log1p"), -1.0) == -math.inf
    assert UNARY_NUMPY(UNARY_NAMES.index("log"), 0.0) == -math.inf
    assert math.isnan(UNARY_NUMPY(UNARY_NAMES.index("sqrt"), -1.0))
    assert math.isnan(UNARY_NUMPY(UNARY_NAMES.index("acos"), 2.0))
    assert BINARY_NUMPY(3, 0.0, -1.0) == math.inf
