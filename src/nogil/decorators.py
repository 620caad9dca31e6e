"""The decorators: ``njit`` and ``jit``, spelled as in Numba so that porting is one import."""

import functools
from collections.abc import Callable
from typing import Any

from nogil import _core, _decoration, _frontend, _signatures, _source, inspection

_NOGIL_MODES = {False: _core.NOGIL_HOLD, True: _core.NOGIL_RELEASE, "auto": _core.NOGIL_AUTO}


def njit(
    signature_or_function: Any = None,
    *,
    nogil: bool | str = "auto",
    nopython: bool = True,
    error_model: str = "python",
    boundscheck: bool = True,
    parallel: bool = False,
    cache: bool = False,
    **unsupported: Any,
) -> Any:
    """Compile a function to native code.

    Bare (``@njit``) or with options (``@njit(nogil=False)``), the function compiles on its
    first call with each new argument types. With explicit signatures (``@njit("int64(int64)")``,
    a list of them, or ``@njit(nogil.int64(nogil.float64))``) it compiles at decoration, so
    typing errors surface at import, and calls dispatch to those signatures only, converting
    arguments where nothing is lost (bool -> int64 -> float64), as Numba does.

    ``nogil="auto"`` (the default) starts a call holding the GIL and releases it once the call
    has run for about 50 µs, so short calls pay nothing and long ones let other Python
    threads run, whichever thread started first. ``nogil=True`` releases it for the whole
    native call (Numba's ``nogil=True``); ``nogil=False`` holds it throughout, as Numba and
    Cython do by default. In every mode Ctrl-C interrupts a compiled loop.

    ``error_model="python"`` (the default) raises ZeroDivisionError on division or modulo by
    zero, as CPython; ``error_model="numpy"`` gives inf, nan or 0 instead, as NumPy and Numba
    in that mode.

    ``boundscheck=True`` (the default) checks every array index and raises IndexError, as
    NumPy does; ``boundscheck=False`` trusts them, for the last few percent of speed.

    ``parallel=True`` runs ``for i in nogil.prange(n)`` loops on a pool of threads, combining
    reductions (``s += x``, ``s = min(s, x)``, ...); see ``nogil.prange``.

    ``cache=True`` stores each compiled specialization under ``__pycache__`` beside the
    source file (or in ``NOGIL_CACHE_DIR``), so that later processes load it instead of
    compiling. An entry is keyed by the function's source, the sources of every compiled
    function it calls (across modules), the globals it froze, the argument types, the
    options, nogil's and LLVM's versions and the CPU: any change compiles afresh. Entries are
    written atomically and checksummed; many processes may share a directory. See
    ``nogil.cache_info()`` and ``f.stats``.
    """
    _decoration.check_options(unsupported, boundscheck=boundscheck, parallel=parallel, cache=cache)
    if nopython is not True:
        raise ValueError("nogil compiles in nopython mode only; object mode is not available")
    if not isinstance(nogil, bool | str) or nogil not in _NOGIL_MODES:
        raise ValueError(f"nogil must be True, False or 'auto', not {nogil!r}")
    mode = _NOGIL_MODES[nogil]
    if error_model not in ("python", "numpy"):
        raise ValueError(f"error_model must be 'python' or 'numpy', not {error_model!r}")

    def decorate(py_func: Callable[..., Any], signatures=()) -> Any:
        py_func = _decoration.check_function(py_func)
        captured = _source.capture(py_func)
        dispatcher = _core.Dispatcher(
            py_func,
            mode,
            _frontend.loader(captured),
            numpy_error_model=error_model == "numpy",
            boundscheck=bool(boundscheck),
            parallel=bool(parallel),
            cache=bool(cache),
        )
        # __name__, __qualname__, __doc__, __module__ and __wrapped__, so that help(),
        # pickling by reference and doctest see the user's function.
        functools.update_wrapper(dispatcher, py_func)
        dispatcher._captured_source = captured  # what inspect_types shows
        for signature in signatures:
            inspection.compile_signature(dispatcher, signature)
        if signatures:
            dispatcher._set_explicit()
        return dispatcher

    if signature_or_function is None:
        return decorate
    if _decoration.is_function_argument(signature_or_function):
        return decorate(signature_or_function)
    specs = signature_or_function
    specs = specs if isinstance(specs, list) else [specs]
    signatures = [_signatures.parse(spec) for spec in specs]
    return lambda py_func: decorate(py_func, signatures)


jit = njit
