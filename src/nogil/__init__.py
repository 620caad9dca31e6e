"""nogil: compile plain numeric Python functions to native code that runs without the GIL.

    from nogil import njit

    @njit
    def fib(n): ...

The first call with new argument types compiles the function through LLVM; the compiled
call releases the GIL, so ordinary threads run it in parallel.
"""

from nogil import _blas  # noqa: F401  (hands the BLAS library to the core)
from nogil._core import array_memory, cache_info, reset_array_memory_peak
from nogil._signatures import (
    boolean,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    void,
)
from nogil.decorators import jit, njit
from nogil.errors import Diagnostic, TypingError
from nogil.inspection import check
from nogil.parallel import get_num_threads, prange, set_num_threads

bool_ = boolean
__version__ = "0.1.0"
__all__ = [
    "Diagnostic",
    "TypingError",
    "__version__",
    "array_memory",
    "bool_",
    "boolean",
    "cache_info",
    "check",
    "float32",
    "float64",
    "get_num_threads",
    "int8",
    "int16",
    "int32",
    "int64",
    "jit",
    "njit",
    "prange",
    "reset_array_memory_peak",
    "set_num_threads",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "void",
]
