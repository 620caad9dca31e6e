"""Calls with arguments compiled code cannot take: the error names the parameter and type."""

import pytest

import nogil
from nogil import njit


def scale(count, factor):
    return count * factor


C_SCALE = njit(scale)


class Custom:
    pass


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        ("text", "str"),
        ([1, 2], "list"),
        (frozenset(), "frozenset"),
        ({1: 2}, "dict"),
        ((1, "two"), "str"),
        (Custom(), "Custom"),
    ],
)
@pytest.mark.parametrize("position", [0, 1])
def test_unsupported_argument_type_names_parameter_and_type(value, type_name, position):
    args = [3, 2.5]
    args[position] = value
    with pytest.raises(TypeError) as info:
        C_SCALE(*args)
    message = str(info.value)
    assert ("count", "factor")[position] in message, message
    assert type_name in message, message


@pytest.mark.parametrize("position", [0, 1])
def test_none_argument_used_as_a_number_is_a_typing_error(position):
    # None is an argument of its own type (issue 15); arithmetic on it does not compile
    args = [3, 2.5]
    args[position] = None
    with pytest.raises(nogil.TypingError, match="None cannot be used as a value"):
        C_SCALE(*args)


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 2**64, 10**30, -(10**30)])
def test_int_outside_int64_raises_overflow_error(value):
    with pytest.raises(OverflowError):
        C_SCALE(value, 1)
    with pytest.raises(OverflowError):
        C_SCALE(1, value)


@pytest.mark.parametrize("value", [2**63 - 1, -(2**63)])
def test_int64_limits_are_accepted(value):
    assert C_SCALE(value, 1) == value
    assert C_SCALE(1, value) == value


@pytest.mark.parametrize("args", [(), (1,), (1, 2, 3), (1, 2, 3, 4)])
def test_wrong_number_of_arguments_raises_type_error(args):
    with pytest.raises(TypeError):
        C_SCALE(*args)
    assert C_SCALE(2, 3) == 6


def test_rejected_call_leaves_no_signature():
    cfunc = njit(scale)
    with pytest.raises(TypeError):
        cfunc("a", 2)
    assert len(cfunc.signatures) == 0
    assert cfunc(2, 5) == 10
    assert len(cfunc.signatures) == 1
