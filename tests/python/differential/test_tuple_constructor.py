"""``tuple()`` and ``tuple(t)`` of a tuple (the same value, nested and mixed elements),
compared with CPython. ``tuple()`` of anything else (a number, an array) is refused: see
tuple_of_a_number and tuple_of_an_array in tests/python/errors/cases.py."""

from hypothesis import given
from hypothesis import strategies as st

from .oracle import assert_same, compiled

scalars = st.integers(-100, 100) | st.floats(allow_nan=False) | st.booleans()


def copy_of(t):
    return tuple(t)


def built(a, b):
    return tuple((a, (b, a))), tuple(), tuple(()) + tuple((b,)), tuple(tuple((a,)))


def equal_to_itself(t):
    u = tuple(t)
    return u == t, len(u), u[-1]


@given(st.lists(scalars, max_size=5).map(tuple))
def test_copy(t):
    assert_same(copy_of, compiled(copy_of), t)


@given(st.tuples(scalars, st.tuples(scalars, st.tuples())))
def test_nested(t):
    assert_same(copy_of, compiled(copy_of), t)


@given(scalars, scalars)
def test_built_in_compiled_code(a, b):
    assert_same(built, compiled(built), a, b)


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=4).map(tuple))
def test_used_after(t):
    assert_same(equal_to_itself, compiled(equal_to_itself), t)
