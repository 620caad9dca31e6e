"""Extending compiled code, as Numba spells it (``numba.extending``).

``overload(func)`` implements a Python or NumPy function for compiled code::

    @overload(np.clip)
    def clip(a, a_min, a_max):
        if isinstance(a, types.Array):      # argument *types* (nogil.types), not values
            def impl(a, a_min, a_max):      # compiled for those types, with the caller
                ...
            return impl
        return None                         # not for these types: the next overload

``overload_method(types.Array, "name")`` does the same for a method (``a.name(...)``), the
receiver first. ``register_jitable`` makes a plain Python function callable from compiled
code (it stays a Python function for Python callers). ``implements(func)`` is the short form
of ``overload`` for an implementation that takes every argument type.
"""

from collections.abc import Callable
from typing import Any

from nogil import _overloads, types
from nogil.errors import TypingError

__all__ = [
    "TypingError",
    "implements",
    "overload",
    "overload_method",
    "register_jitable",
    "types",
]

_OVERLOAD_OPTIONS = frozenset({"jit_options", "strict", "inline", "prefer_literal", "target"})


def _check_options(options: dict[str, Any], decorator: str) -> None:
    for name in options:
        if name not in _OVERLOAD_OPTIONS:
            raise TypeError(f"{decorator}() got an unexpected keyword argument {name!r}")


def overload(func: Any, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers the decorated typing function as an implementation of `func` for compiled
    code. It is called, when a compiled call to `func` is typed, with the arguments' types
    (positional and keyword as the call gives them; omitted arguments are left out), and
    returns the implementation (a function with `func`'s parameters, compiled for those
    types) or None when it does not apply. An exception it raises is reported as the call's
    typing error. Options: ``jit_options`` (passed to njit), and Numba's ``strict``,
    ``inline``, ``prefer_literal`` and ``target``, accepted."""
    if not callable(func):
        raise TypeError(f"overload() takes the function to implement, not {func!r}")
    _check_options(options, "overload")

    def register(typing_function: Callable[..., Any]) -> Callable[..., Any]:
        _overloads.add_overload(func, typing_function, options)
        return typing_function

    return register


def overload_method(owner: type, name: str, **options: Any):
    """Registers the decorated typing function as the method `name` of the compiled types
    that are instances of `owner` (``types.Array``); it receives the receiver's type first."""
    if not (isinstance(owner, type) and issubclass(owner, types.Type)):
        raise TypeError(f"overload_method() takes a class of nogil.types, not {owner!r}")
    if not isinstance(name, str) or not name.isidentifier():
        raise TypeError(f"overload_method() takes a method name, not {name!r}")
    _check_options(options, "overload_method")

    def register(typing_function: Callable[..., Any]) -> Callable[..., Any]:
        _overloads.add_method(owner, name, typing_function, options)
        return typing_function

    return register


def implements(func: Any, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The decorated function is `func`'s implementation in compiled code, for every
    argument type (``overload`` whose typing function always returns it)."""

    def register(implementation: Callable[..., Any]) -> Callable[..., Any]:
        _check_options(options, "implements")
        # The implementation's source keys the on-disk cache (the typing function is this).
        keyed = {**options, "_implementation": implementation}
        _overloads.add_overload(func, lambda *args, **kwargs: implementation, keyed)
        return implementation

    return register


def register_jitable(*args: Any, **options: Any) -> Any:
    """``@register_jitable`` or ``@register_jitable(**njit_options)``: the function stays a
    plain Python function for Python callers, and compiled code that calls it compiles it
    (for each argument types) with its own code."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(function):
            raise TypeError(f"register_jitable() takes a function, not {function!r}")
        _overloads.add_jitable(function, options)
        return function

    if len(args) == 1 and not options and callable(args[0]):
        return register(args[0])
    if args:
        raise TypeError("register_jitable() takes a function, or only keyword options")
    return register
