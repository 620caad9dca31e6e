"""Default parameter values and keyword arguments, from Python and between compiled
functions, bound as CPython binds them."""

import pytest
from hypothesis import given

from nogil import njit

from .oracle import assert_same, compiled, floats, small_ints

SCALE = 3


def scaled(x, factor=2, offset=0.5, flag=True):
    return x * factor + offset if flag else x * 1.0


def make_callers(decorate):
    """Callers of `scaled` through every way of passing its arguments."""
    inner = decorate(scaled)

    @decorate
    def by_position(x):
        return inner(x, 3, 1.5, False)

    @decorate
    def by_default(x):
        return inner(x)

    @decorate
    def by_keyword(x):
        return inner(x, offset=-1.0) + inner(flag=False, x=x) + inner(x, 4, flag=True)

    return by_position, by_default, by_keyword


PLAIN = make_callers(lambda f: f)
FAST = make_callers(njit)


@given(x=small_ints | floats)
@pytest.mark.parametrize("index", [0, 1, 2], ids=["position", "default", "keyword"])
def test_calls_between_compiled_functions(index, x):
    assert_same(PLAIN[index], FAST[index], x)


@given(x=small_ints, factor=small_ints, offset=floats)
def test_keywords_and_defaults_from_python(x, factor, offset):
    cfunc = compiled(scaled)
    assert_same(lambda: scaled(x, offset=offset), lambda: cfunc(x, offset=offset))
    assert_same(lambda: scaled(factor=factor, x=x), lambda: cfunc(factor=factor, x=x))
    assert_same(lambda: scaled(x), lambda: cfunc(x))


def test_wrong_keywords_from_python_are_type_errors():
    cfunc = compiled(scaled)
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        cfunc(1, nope=2)
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        cfunc(1, x=2)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
        cfunc(factor=2)


def default_from_a_constant(x, k=SCALE):
    return x * k


@given(x=small_ints)
def test_default_from_a_module_constant(x):
    assert_same(default_from_a_constant, compiled(default_from_a_constant), x)
