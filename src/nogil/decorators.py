"""The decorators: ``njit`` and ``jit``, spelled as in Numba so that porting is one import."""

import functools
from collections.abc import Callable
from typing import Any

from nogil import _core, _frontend

_NOGIL_MODES = {False: _core.NOGIL_HOLD, True: _core.NOGIL_RELEASE}


def njit(
    function: Callable[..., Any] | None = None,
    *,
    nogil: bool = True,
    nopython: bool = True,
) -> Any:
    """Compile ``function`` to native code on its first call with each new argument types.

    ``nogil=True`` (the default) releases the GIL for the whole native call, so other Python
    threads run meanwhile; ``nogil=False`` holds it, as Numba and Cython do by default.
    Usable bare (``@njit``) or with options (``@njit(nogil=False)``).
    """
    if nopython is not True:
        raise ValueError("nogil compiles in nopython mode only; object mode is not available")
    if nogil not in _NOGIL_MODES:
        raise ValueError(f"nogil must be True or False, not {nogil!r}")
    mode = _NOGIL_MODES[nogil]

    def decorate(py_func: Callable[..., Any]) -> Any:
        if not callable(py_func) or not hasattr(py_func, "__code__"):
            raise TypeError(f"njit expects a Python function, not {type(py_func).__name__}")
        dispatcher = _core.Dispatcher(py_func, mode, _frontend.load)
        # __name__, __qualname__, __doc__, __module__ and __wrapped__, so that help(),
        # pickling by reference and doctest see the user's function.
        functools.update_wrapper(dispatcher, py_func)
        return dispatcher

    if function is None:
        return decorate
    if isinstance(function, str | list):
        raise TypeError("explicit signatures are not supported yet; call the function instead")
    return decorate(function)


jit = njit
