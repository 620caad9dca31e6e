"""Parallel loops: ``prange`` and the size of the thread pool, spelled as in Numba.

In a function compiled with ``@njit(parallel=True)``, ``for i in prange(n)`` runs its
iterations on a pool of threads (oneTBB); elsewhere, and in CPython, it is ``range``.
"""

import os

from nogil import _core


def prange(*args: int) -> range:
    """``range(*args)``, whose iterations run in parallel in a ``parallel=True`` function.

    The body must not carry values from one iteration to the next, except through
    reductions: ``s += x`` (or ``-=``, ``*=``, ``|=``, ``&=``, ``^=``), ``s = min(s, x)`` and
    ``s = max(s, x)``. Anything else that would race is a TypingError at compile time.
    """
    return range(*args)


def _thread_limit_from_environment() -> None:
    value = os.environ.get("NOGIL_NUM_THREADS")
    if value is None:
        return
    try:
        limit = int(value)
    except ValueError:
        raise ValueError(f"NOGIL_NUM_THREADS must be a positive integer, not {value!r}") from None
    if limit < 1:
        raise ValueError(f"NOGIL_NUM_THREADS must be a positive integer, not {value!r}")
    _core._set_thread_limit(limit)


_thread_limit_from_environment()
_core._register_prange(prange)
get_num_threads = _core.get_num_threads
set_num_threads = _core.set_num_threads
