"""nogil: compile plain numeric Python functions to native code that runs without the GIL.

    from nogil import njit

    @njit
    def fib(n): ...

The first call with new argument types compiles the function through LLVM; the compiled
call releases the GIL, so ordinary threads run it in parallel.
"""

from nogil import (
    _blas,  # noqa: F401  (hands the BLAS library to the core)
    types,
)
from nogil._core import array_memory, cache_info, reset_array_memory_peak
from nogil._literal_unroll import literal_unroll
from nogil._types import (
    b1,
    boolean,
    c8,
    c16,
    complex64,
    complex128,
    f4,
    f8,
    float32,
    float64,
    i1,
    i2,
    i4,
    i8,
    int8,
    int16,
    int32,
    int64,
    intc,
    intp,
    optional,
    u1,
    u2,
    u4,
    u8,
    uint8,
    uint16,
    uint32,
    uint64,
    uintc,
    uintp,
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
    "b1",
    "bool_",
    "boolean",
    "c8",
    "c16",
    "cache_info",
    "check",
    "complex64",
    "complex128",
    "f4",
    "f8",
    "float32",
    "float64",
    "get_num_threads",
    "i1",
    "i2",
    "i4",
    "i8",
    "int8",
    "int16",
    "int32",
    "int64",
    "intc",
    "intp",
    "jit",
    "literal_unroll",
    "njit",
    "optional",
    "prange",
    "reset_array_memory_peak",
    "set_num_threads",
    "types",
    "u1",
    "u2",
    "u4",
    "u8",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintc",
    "uintp",
    "void",
]
