"""Helpers for string arguments (``kind=``, ``side=``): a string constant reaches an
implementation as its type, ``types.StringLiteral``, whose ``literal_value`` the typing
function reads to choose the code. A value NumPy refuses gets NumPy's exception at run time,
as in NumPy: the implementation chosen for it raises before doing anything."""

from nogil.extending import register_jitable, types
from nogil.lib._axes import is_none


def literal_text(name: str, parameter: str, value, default: str | None) -> str | None:
    """The text of a string argument (`default` when left out or None); TypeError, as
    NumPy's, when it is not a string."""
    if is_none(value):
        return default
    if isinstance(value, str):  # the typing function's own default: the argument was left out
        return value
    if isinstance(value, types.StringLiteral):
        return value.literal_value
    raise TypeError(f"{name}(): {parameter} must be a string constant, not {value}")


def raiser(exception: type, message: str):
    """A compiled function of no arguments raising exception(message)."""

    def fail():
        raise exception(message)

    return register_jitable(fail)
