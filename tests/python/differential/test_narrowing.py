"""Narrowing of optionals against CPython: after `if v is None: return/continue/raise`,
`if v is not None:`, `if v is None: v = 0.0` and `and` chains, the value is used in
arithmetic and library calls; optional arguments given and left out; `optional(t)` in
explicit signatures (string and object spelling)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nogil
from nogil import njit


def outcome(function, *args):
    try:
        return "value", function(*args)
    except (TypeError, ValueError) as error:
        return "raise", type(error)


def early_return(c, x):
    v = None
    if c > 0:
        v = x
    if v is None:
        return 0.0
    return v * 2.0 + math.sqrt(abs(v))


def is_not_none_block(c, x):
    v = None
    if c > 0:
        v = x
    r = -1.0
    if v is not None:
        r = v + 1.0
    return r


def assign_default(c, x):
    v = None
    if c > 0:
        v = x
    if v is None:
        v = 0.0
    return v + 1.0


def and_chain(c, x):
    v = None
    if c > 0:
        v = x
    if v is not None and v > 0:
        return v * 3
    return -1.0


def loop_continue(c, x):
    s = 0.0
    for i in range(c % 7):
        v = None
        if i % 2 == 0:
            v = x + i
        if v is None:
            continue
        s += v
    return s


def early_raise(c, x):
    v = None
    if c > 0:
        v = x
    if v is None:
        raise ValueError("no value")
    return v + 1


def conditional_expression(c, x):
    return x if c > 0 else None


def library_after_narrowing(c, x):
    v = None
    if c > 0:
        v = x
    return abs(v) if v is not None else 0.0


def isinstance_of_optional(c, x):
    v = None
    if c > 0:
        v = x
    return isinstance(v, float)


def scalar_default(a, k=None):
    if k is None:
        k = 1.0
    return a * k


def reassigned_in_loop(n):
    v = None
    for i in range(n):
        v = 1.5 * i
    return v


NARROWING = [
    early_return,
    is_not_none_block,
    assign_default,
    and_chain,
    loop_continue,
    early_raise,
    conditional_expression,
    library_after_narrowing,
    isinstance_of_optional,
]


@pytest.mark.parametrize("pyfunc", NARROWING, ids=lambda f: f.__name__)
@settings(max_examples=25, deadline=None)
@given(
    c=st.integers(-3, 9),
    x=st.floats(-1e6, 1e6, allow_nan=False),
)
def test_narrowed_optionals_agree_with_cpython(pyfunc, c, x):
    assert outcome(njit(pyfunc), c, x) == outcome(pyfunc, c, x)


def test_optional_scalar_argument_given_and_left_out():
    compiled = njit(scalar_default)
    for args in [(3.0,), (3.0, 2.0), (3.0, None)]:
        assert compiled(*args) == scalar_default(*args)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_none_then_value_in_a_loop(n):
    assert njit(reassigned_in_loop)(n) == reassigned_in_loop(n)


def keep_or_default(v):
    return 1.0 if v is None else v


def test_optional_in_a_string_signature_compiles_both_halves():
    compiled = njit("float64(optional(float64))")(keep_or_default)
    assert sorted(compiled.signatures) == [("None",), ("float64",)]
    assert compiled(None) == 1.0
    assert compiled(2.5) == 2.5


def test_optional_as_an_object_and_an_optional_return_type():
    assert repr(nogil.optional(nogil.float64)) == "optional(float64)"
    assert "optional" in nogil.__all__
    optional_float = nogil.optional(nogil.float64)
    compiled = njit(optional_float(optional_float))(lambda v: v)
    assert compiled(None) is None
    assert compiled(1.5) == 1.5


def test_optional_of_none_is_refused():
    with pytest.raises(TypeError, match="optional takes a value's type"):
        nogil.optional(nogil.optional(nogil.float64))
