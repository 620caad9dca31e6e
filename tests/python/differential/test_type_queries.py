"""type(x), isinstance() and hasattr() against CPython and NumPy: `type(x)(c)` keeps x's type
(a float32 argument stays float32, a bool becomes bool(c)), `type(x) is float`, NumPy scalar
types held by a variable, isinstance() with Python's classes, NumPy's sized and abstract
classes and tuples of them (decided when compiling: the branch not taken is not typed), and
hasattr() with a constant name."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import njit


def same(got, expected):
    assert type(got) is type(expected), (got, expected)
    if isinstance(expected, float | complex | np.floating | np.complexfloating):
        np.testing.assert_equal(got, expected)
    else:
        assert got == expected


SCALARS = [
    True,
    False,
    0,
    -7,
    2.5,
    -0.0,
    3 + 4j,
    np.float32(1.25),
    np.float32(-3.5),
    np.int32(-9),
    np.int8(5),
    np.uint16(7),
    np.uint64(2**63),
    np.int16(-2),
    np.complex64(1 - 2j),
]


def half_of_type(x):
    return type(x)(0.5)


def converted_through_variable(x, c):
    T = type(x)
    return T(c) + T(1)


def type_tests(x):
    return (
        type(x) is float,
        type(x) == int,  # noqa: E721
        type(x) is bool,
        type(x) is complex,
        type(x) is np.float32,
        type(x) != np.float32,  # noqa: E721
    )


_half = njit(half_of_type)
_through = njit(converted_through_variable)
_type_tests = njit(type_tests)


@pytest.mark.parametrize("x", SCALARS, ids=repr)
def test_type_of_scalar_as_constructor_keeps_its_type(x):
    if isinstance(x, complex | np.complexfloating):
        same(_half(x), half_of_type(x))
        return
    same(_half(x), half_of_type(x))
    same(_through(x, 3), converted_through_variable(x, 3))


@given(st.floats(allow_nan=False, allow_infinity=False, width=32), st.integers(-100, 100))
@settings(max_examples=40, deadline=None)
def test_float32_argument_stays_float32(value, c):
    x = np.float32(value)
    same(_through(x, c), converted_through_variable(x, c))


@pytest.mark.parametrize("x", [True, 3, 2.5, 1j, np.float32(1), np.int64(2), np.uint8(1)], ids=repr)
def test_type_identity_comparisons(x):
    expected = type_tests(x)
    if isinstance(x, np.int64):  # compiled ints are int64: type(x) is int for both
        expected = (False, True, False, False, False, True)
    assert _type_tests(x) == expected


def instance_tests(x):
    return (
        isinstance(x, int),
        isinstance(x, float),
        isinstance(x, bool),
        isinstance(x, complex),
        isinstance(x, (int, float)),
        isinstance(x, np.floating),
        isinstance(x, np.integer),
        isinstance(x, np.number),
        isinstance(x, np.signedinteger),
        isinstance(x, np.unsignedinteger),
        isinstance(x, np.complexfloating),
        isinstance(x, np.inexact),
        isinstance(x, np.float32),
        isinstance(x, (np.float32, np.int8)),
        isinstance(x, np.ndarray),
        not isinstance(x, np.ndarray),
    )


_instance_tests = njit(instance_tests)


# Python's int and float are compiled as int64 and float64, so they are also np.int64 and
# np.float64 (and NumPy's int64 is also an int): those arguments are left out.
@pytest.mark.parametrize(
    "x",
    [
        True,
        np.float64(2.5),
        np.complex128(3j),
        np.float32(2),
        np.int32(-1),
        np.int8(3),
        np.uint16(9),
        np.uint64(1),
        np.complex64(1j),
        np.int16(4),
    ],
    ids=repr,
)
def test_isinstance_agrees_with_cpython_and_numpy(x):
    assert _instance_tests(x) == instance_tests(x)


def test_isinstance_of_int_and_array():
    got = _instance_tests(7)
    assert got[0] and not got[1] and got[4] and not got[14]
    a = np.zeros(3)
    assert _instance_tests(a) == instance_tests(a)
    assert _instance_tests(None) == instance_tests(None)


def dispatch_on_type(x):
    # The branch not taken does not compile: x.shape of a number, x + 1 of an array...
    if isinstance(x, np.ndarray):
        return x.shape[0] * 1.0
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        return x * 2.0
    return -1.0


_dispatch = njit(dispatch_on_type)


@pytest.mark.parametrize("x", [np.ones(4), 3, 2.5, True, np.float32(1)], ids=repr)
def test_isinstance_prunes_the_branches_not_taken(x):
    assert _dispatch(x) == dispatch_on_type(x)


def attributes(x):
    return (hasattr(x, "shape"), hasattr(x, "dtype"), hasattr(x, "real"), hasattr(x, "nope"))


_attributes = njit(attributes)


@pytest.mark.parametrize(
    "x", [np.ones((2, 2)), np.float64(2.5), np.float32(1), np.int8(3)], ids=repr
)
def test_hasattr_agrees_with_numpy(x):
    expected = attributes(x)
    if isinstance(x, np.generic):  # a scalar's .shape is NumPy's, not compiled code's
        expected = (False, *expected[1:])
    assert _attributes(x) == expected


def test_hasattr_of_python_numbers_answers_for_compiled_numbers():
    # Compiled ints, floats and complex numbers are NumPy's: they have a dtype
    for x in (3, 2.5, 1j):
        assert _attributes(x) == (False, True, True, False)


def shape_or_zero(x):
    if hasattr(x, "shape"):
        return len(x.shape)
    return 0


def test_hasattr_prunes_the_branch_not_taken():
    f = njit(shape_or_zero)
    assert f(np.ones((2, 3))) == 2
    assert f(1.5) == 0
