"""None and optional values against CPython: a local set to None then to a value on some
paths, `is None` / `is not None` / `== None` tests and the value used after them, truthiness
of an optional, an optional read where a value is needed without a test (TypeError), None
passed from Python (its own specialization) and from compiled code, `out=None` arguments, and
functions returning None on some paths (to Python and to a compiled caller)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import njit


def outcome(function, *args):
    try:
        return "value", function(*args)
    except TypeError:  # CPython's message names the operation; compiled code, the types
        return "raise", TypeError


def agree(pyfunc, compiled, *args):
    expected = outcome(pyfunc, *args)
    got = outcome(compiled, *args)
    assert got == expected, (args, expected, got)
    if expected[0] == "value":
        # A variable (or result) given an int and a float is a float throughout, as Numba's
        unified = isinstance(expected[1], int) and type(got[1]) is float
        assert type(got[1]) is type(expected[1]) or unified


def set_on_some_paths(c, x):
    v = None
    if c > 0:
        v = x
    if c > 5:
        v = x * 2
    if v is None:
        return -1
    return v + 1


def none_tests(c, x):
    v = None
    if c:
        v = x
    return (v is None, v is not None, v == None, v != None, None is v)  # noqa: E711


def truthiness(c, x):
    v = None
    if c:
        v = x
    if v:
        return 1
    return 0


def returns_none_or_value(c, x):
    if c > 0:
        return x * 2
    if c < -3:
        return None
    return x


def value_without_test(c, x):
    v = None
    if c:
        v = x
    return v + 1


def none_or_number_back(c, x):
    v = None
    if c:
        v = x
    return v


_compiled = {
    f: njit(f)
    for f in (
        set_on_some_paths,
        none_tests,
        truthiness,
        returns_none_or_value,
        value_without_test,
        none_or_number_back,
    )
}


@given(c=st.integers(-10, 10), x=st.one_of(st.integers(-1000, 1000), st.floats(-1e6, 1e6)))
@settings(max_examples=60, deadline=None)
def test_optional_locals_agree_with_cpython(c, x):
    for pyfunc, compiled in _compiled.items():
        agree(pyfunc, compiled, c, x)


@pytest.mark.parametrize("x", [0, 0.0, 3, -2.5, True, False, 1 + 2j, 0j, np.float32(0.5)])
@pytest.mark.parametrize("c", [0, 1])
def test_truthiness_and_types_of_optionals(c, x):
    for pyfunc in (truthiness, none_tests, none_or_number_back):
        agree(pyfunc, _compiled[pyfunc], c, x)


def scaled(x, scale=None):
    if scale is None:
        scale = 1.0
    return x * scale


def with_offset(x, offset=None):
    if offset is not None:
        return x + offset
    return x


_scaled = njit(scaled)
_with_offset = njit(with_offset)


@given(x=st.floats(-1e6, 1e6), scale=st.one_of(st.none(), st.floats(-10, 10), st.integers(-5, 5)))
@settings(max_examples=40, deadline=None)
def test_none_default_and_explicit_none_from_python(x, scale):
    assert _scaled(x, scale) == scaled(x, scale)
    assert _scaled(x) == scaled(x)
    assert _with_offset(x, scale) == with_offset(x, scale)
    assert _with_offset(x) == with_offset(x)


def test_none_argument_is_its_own_specialization():
    f = njit(with_offset)
    assert f(2.0, None) == 2.0
    assert f(2.0, 3) == 5.0
    assert f(2.0) == 2.0
    assert len(f.signatures) == 2


def doubled(a, out=None):
    if out is None:
        out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * 2
    return out


_doubled = njit(doubled)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int32", "int64"])
def test_out_none_idiom(dtype):
    a = np.arange(7, dtype=dtype)
    np.testing.assert_array_equal(_doubled(a), doubled(a))
    assert _doubled(a).dtype == a.dtype
    out = np.zeros_like(a)
    result = _doubled(a, out)
    np.testing.assert_array_equal(out, a * 2)
    np.testing.assert_array_equal(result, out)
    np.testing.assert_array_equal(_doubled(a, None), a * 2)


@njit
def _doubled_callee(a, out=None):
    if out is None:
        out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * 2
    return out


@njit
def _calls_with_and_without_out(a):
    mine = _doubled_callee(a)
    given_out = np.zeros_like(a)
    _doubled_callee(a, given_out)
    explicit = _doubled_callee(a, None)
    return mine.sum() + given_out.sum() + explicit.sum()


def test_optional_argument_from_compiled_code():
    a = np.arange(5.0)
    assert _calls_with_and_without_out(a) == 3 * (a * 2).sum()


@njit
def _find(a, target):
    for i in range(a.shape[0]):
        if a[i] == target:
            return i
    return None


@njit
def _find_or_minus_one(a, target):
    found = _find(a, target)
    if found is None:
        return -1
    return found * 10


@given(st.lists(st.integers(0, 5), max_size=8), st.integers(0, 5))
@settings(max_examples=40, deadline=None)
def test_optional_result_between_compiled_functions(values, target):
    a = np.array(values, dtype=np.int64)
    expected = values.index(target) if target in values else None
    assert _find(a, target) == expected
    assert _find_or_minus_one(a, target) == (-1 if expected is None else expected * 10)


def test_optional_read_without_test_raises_type_error():
    with pytest.raises(TypeError, match="got None"):
        _compiled[value_without_test](0, 3)
    assert _compiled[value_without_test](1, 3) == 4


def choose(c, a):
    result = None
    if c:
        result = a * 2
    return result


def test_optional_array_result():
    f = njit(choose)
    a = np.arange(3.0)
    assert f(False, a) is None
    np.testing.assert_array_equal(f(True, a), a * 2)


def isinstance_of_optional(c, x):
    v = None
    if c:
        v = x
    return isinstance(v, int), isinstance(v, float)


def test_isinstance_of_optional_is_decided_when_running():
    f = njit(isinstance_of_optional)
    for c in (0, 1):
        for x in (3, 2.5):
            assert f(c, x) == isinstance_of_optional(c, x)


def function_without_return(a):
    a[0] = 1.0


def test_function_without_return_gives_none():
    a = np.zeros(2)
    assert njit(function_without_return)(a) is None
    assert a[0] == 1.0


def missing_return_on_one_path(n):
    if n > 0:
        return n * 2


def bare_return_on_one_path(n):
    if n > 0:
        return
    return n * 2.5


@pytest.mark.parametrize("pyfunc", [missing_return_on_one_path, bare_return_on_one_path])
def test_none_on_some_paths_is_returned_as_none(pyfunc):
    f = njit(pyfunc)
    for n in (-2, 0, 3):
        assert f(n) == pyfunc(n)
