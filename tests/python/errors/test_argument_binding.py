"""Binding call arguments to parameters, against CPython: every call shape (positional
counts, keyword subsets, duplicates, unknown names) on functions with positional-only
parameters and defaults gives CPython's result or its exact TypeError."""

import itertools

import pytest

from nogil import njit


def only_positional(x, /):
    return x * 10


def mixed(x, /, y):
    return x * 10 + y


def two_positional_only_with_default(x, y=2, /, z=3):
    return x * 100 + y * 10 + z


def positional_only_and_defaults(x, y, /, z, w=4):
    return x * 1000 + y * 100 + z * 10 + w


def plain(x, y):
    return x * 10 + y


def plain_with_defaults(x, y=5, z=6):
    return x * 100 + y * 10 + z


def nothing():
    return 7


FUNCTIONS = [
    only_positional,
    mixed,
    two_positional_only_with_default,
    positional_only_and_defaults,
    plain,
    plain_with_defaults,
    nothing,
]
KEYWORDS = ["x", "y", "z", "w", "q"]


def outcome(function, args, kwargs):
    try:
        return "returned", function(*args, **kwargs)
    except TypeError as error:
        return "raised", str(error)


def call_shapes():
    # Up to five positional arguments, and each subset of up to three keywords (an unknown
    # one, `q`, included): duplicates, missing and positional-only names all come up.
    for count in range(6):
        for size in range(4):
            for names in itertools.combinations(KEYWORDS, size):
                yield tuple(range(1, count + 1)), {name: 8 for name in names}


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_every_call_shape_binds_as_cpython_binds(function):
    compiled = njit(function)
    for args, kwargs in call_shapes():
        for order in (kwargs, dict(reversed(kwargs.items()))):
            expected = outcome(function, args, order)
            assert outcome(compiled, args, order) == expected, (args, order)


def test_positional_only_parameter_passed_by_keyword_raises():
    compiled = njit(mixed)
    with pytest.raises(TypeError) as info:
        compiled(x=5, y=2)
    assert str(info.value) == (
        "mixed() got some positional-only arguments passed as keyword arguments: 'x'"
    )
    assert compiled(5, y=2) == 52


def keyword_only(x, *, y):
    return x + y


def keyword_only_with_default(x, *, y=2):
    return x + y


@pytest.mark.parametrize("function", [keyword_only, keyword_only_with_default])
def test_keyword_only_parameters_raise_typing_error(function):
    # Not compiled yet: the error says so instead of binding the arguments some other way.
    with pytest.raises(TypeError, match="keyword-only"):
        njit(function)(1, y=2)
