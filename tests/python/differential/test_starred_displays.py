"""Tuple displays with starred items, ``(*t, 1)``, ``(a, *t, b, *u)``, compared with CPython
(nested, empty, mixed element types). A starred number or array is refused: see
starred_number_in_a_tuple in tests/python/errors/cases.py."""

from hypothesis import given
from hypothesis import strategies as st

from .oracle import assert_same, compiled

scalars = st.integers(-100, 100) | st.floats(allow_nan=False) | st.booleans()
tuples = st.lists(scalars, max_size=4).map(tuple)


def append_one(t):
    return (*t, 1)


def interleave(a, t, u):
    return (a, *t, a, *u, *())


def nested(t, u):
    inner = (*u, *t)
    return (*t, inner, *inner), len((*t, *t, *u))


def bare(t):
    return *t, 2


@given(tuples)
def test_append(t):
    assert_same(append_one, compiled(append_one), t)


@given(scalars, tuples, tuples)
def test_interleave(a, t, u):
    assert_same(interleave, compiled(interleave), a, t, u)


@given(tuples, tuples)
def test_nested(t, u):
    assert_same(nested, compiled(nested), t, u)


@given(tuples)
def test_bare_return(t):
    assert_same(bare, compiled(bare), t)
