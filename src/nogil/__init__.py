"""nogil: compile plain numeric Python functions to native code that runs without the GIL.

    from nogil import njit

    @njit
    def fib(n): ...

The first call with new argument types compiles the function through LLVM; the compiled
call releases the GIL, so ordinary threads run it in parallel.
"""

from nogil._signatures import boolean, float64, int64, void
from nogil.decorators import jit, njit
from nogil.errors import Diagnostic, TypingError
from nogil.inspection import check

bool_ = boolean
__version__ = "0.1.0"
__all__ = [
    "Diagnostic",
    "TypingError",
    "__version__",
    "bool_",
    "boolean",
    "check",
    "float64",
    "int64",
    "jit",
    "njit",
    "void",
]
