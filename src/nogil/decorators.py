"""The decorators: ``njit`` and ``jit``, spelled as in Numba so that porting is one import."""

import functools
import inspect
from collections.abc import Callable
from typing import Any

from nogil import (
    _core,
    _decoration,
    _frontend,
    _generator_objects,
    _options,
    _signatures,
    _source,
    inspection,
)

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
    fastmath: bool | set[str] | dict[str, bool] = False,
    inline: str | None = None,
    locals: dict[str, Any] | None = None,
    **numba_options: Any,
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

    ``fastmath=True`` (or a set of LLVM's flags: ``{"nnan", "ninf", "nsz", "arcp",
    "contract", "afn", "reassoc"}``, ``"fast"`` for all) lets LLVM treat float arithmetic and
    math functions as real-number algebra: reassociate sums so they vectorize, assume no NaN
    or inf, contract to fused multiply-adds. Results may differ in the last bits (and NaN
    tests fold away under ``nnan``), as in Numba.

    ``inline="always"`` inlines the function into every compiled caller, ``"never"`` keeps it
    a call; unspecified, LLVM decides. ``locals={"x": nogil.float32}`` declares the type of
    local variables: each assignment casts to it, as in Numba.

    Numba's options for its object mode and its own machinery are accepted where they ask
    for nothing nogil lacks (``nopython``, ``looplift``, ``debug``, ``no_cpython_wrapper``,
    ...; see docs/language.md); ``forceobj=True`` raises, nogil having no object mode.
    """
    _decoration.check_options(
        numba_options, boundscheck=boundscheck, parallel=parallel, cache=cache
    )
    if not _decoration._is_flag(nopython):
        raise TypeError(f"njit() option nopython must be True or False, not {nopython!r}")
    # nopython=False asks Numba to fall back to object mode on failure; nogil has no object
    # mode, so it compiles in nopython mode anyway (Numba 0.59's default for jit).
    fastmath_bits = _options.fastmath_flags(fastmath)
    inline_mode = _options.inline_mode(inline)
    if not isinstance(nogil, bool | str) or nogil not in _NOGIL_MODES:
        raise ValueError(f"nogil must be True, False or 'auto', not {nogil!r}")
    mode = _NOGIL_MODES[nogil]
    if error_model not in ("python", "numpy"):
        raise ValueError(f"error_model must be 'python' or 'numpy', not {error_model!r}")

    options = {
        "mode": mode,
        "numpy_error_model": error_model == "numpy",
        "boundscheck": bool(boundscheck),
        "parallel": bool(parallel),
        "cache": bool(cache),
        "fastmath": fastmath_bits,
        "inline": inline_mode,
    }

    def make_dispatcher(
        py_func: Callable[..., Any], load: Any, declared_locals: Any, cached: bool = True
    ) -> Any:
        return _core.Dispatcher(
            py_func,
            mode,
            load,
            numpy_error_model=options["numpy_error_model"],
            boundscheck=options["boundscheck"],
            parallel=options["parallel"],
            cache=options["cache"] and cached,
            fastmath=fastmath_bits,
            inline=inline_mode,
            locals=declared_locals,
        )

    def decorate(py_func: Callable[..., Any], signatures=()) -> Any:
        py_func = _decoration.check_function(py_func)
        declared_locals = _options.local_types(locals, py_func)
        captured = _source.capture(py_func)
        dispatcher = make_dispatcher(py_func, _frontend.loader(captured, options), declared_locals)
        # __name__, __qualname__, __doc__, __module__ and __wrapped__, so that help(),
        # pickling by reference and doctest see the user's function.
        functools.update_wrapper(dispatcher, py_func)
        dispatcher._captured_source = captured  # what inspect_types shows
        if inspect.isgeneratorfunction(py_func):
            _generator_objects.attach(
                dispatcher,
                # A step's source is the generator's, rewritten: not the stub's to key a cache.
                lambda stub, load: make_dispatcher(stub, load, declared_locals, cached=False),
            )
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
