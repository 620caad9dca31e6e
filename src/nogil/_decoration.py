"""What ``njit`` accepts: the object it decorates and the values of its options, each refused
with a message that names the actual problem and what to do instead."""

import functools
import inspect
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

from nogil import _core, _options, _types


def check_options(unknown: dict[str, Any], **flags: Any) -> None:
    """The flags must be bools; every other option is one of Numba's (see _options)."""
    _options.check_machinery_options(unknown)
    for name, value in flags.items():
        if name == "parallel" and isinstance(value, dict):
            raise TypeError("parallel options given as a dict are not supported; use parallel=True")
        if not _is_flag(value):
            raise TypeError(f"njit() option {name} must be True or False, not {value!r}")


def _is_flag(value: Any) -> bool:
    if value is True or value is False:
        return True
    # 0 and 1 pass as Numba lets them (cache=1); so do NumPy's bools.
    kind = type(value)
    if isinstance(value, bool) or (
        kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")
    ):
        return True
    return isinstance(value, int) and value in (0, 1)


_SIGNATURE_TYPES = (str, list, tuple, _types.Signature, _types.Type)


def is_function_argument(value: Any) -> bool:
    """Whether ``njit(value)`` is ``njit`` applied to an object rather than to signatures."""
    return value is not None and not isinstance(value, _SIGNATURE_TYPES)


def check_function(value: Any) -> FunctionType:
    """The Python function to compile; TypeError naming what else was given."""
    if isinstance(value, FunctionType):
        wrapped = getattr(value, "__wrapped__", None)
        if wrapped is not None and not isinstance(wrapped, _core.Dispatcher):
            raise TypeError(_a_wrapper(value, wrapped))
        return value
    raise TypeError(_not_a_function(value))


def _a_wrapper(wrapper: FunctionType, wrapped: Any) -> str:
    """A function made by another decorator (functools.wraps sets __wrapped__): its body is
    the decorator's, which calls the Python function it wraps, and compiled code cannot."""
    name = getattr(wrapped, "__qualname__", None) or type(wrapped).__name__
    return (
        f"njit was given {wrapper.__qualname__}, a wrapper that another decorator made around "
        f"{name} (functools.wraps); compiled code cannot call the Python function it wraps: "
        "put @njit below the other decorator, so that it compiles the function itself"
    )


def _not_a_function(value: Any) -> str:
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if isinstance(value, _core.Dispatcher):
        return (
            f"njit was given {name}, which is already compiled: apply njit once "
            "(the Python function is its .py_func)"
        )
    if isinstance(value, staticmethod | classmethod):
        kind = type(value).__name__
        return (
            f"njit was given a {kind} object, not a function: write @{kind} above @njit, "
            f"so that njit compiles the function and {kind} wraps the result"
        )
    if isinstance(value, functools.partial):
        return (
            "njit was given a functools.partial object, not a function: compile the function "
            "itself and pass the fixed arguments when calling it"
        )
    if isinstance(value, MethodType):
        return (
            f"njit was given the bound method {name}, not a function: compile a plain function "
            "(or a staticmethod's function) and pass it the values it needs"
        )
    if isinstance(value, BuiltinFunctionType) or inspect.isbuiltin(value):
        return (
            f"njit was given the builtin {name}, which has no Python source: call it from "
            "inside a compiled function instead"
        )
    if inspect.isclass(value):
        return f"njit was given the class {name}: it compiles functions, not classes"
    if callable(value):
        return (
            f"njit was given a callable {type(value).__name__} object, not a function: "
            "compile a function defined with def or lambda"
        )
    return f"njit expects a Python function, not {type(value).__name__}"
