"""nogil: compile plain numeric Python functions to native code that runs without the GIL.

    from nogil import njit

    @njit
    def fib(n): ...

The first call with new argument types compiles the function through LLVM; the compiled
call releases the GIL, so ordinary threads run it in parallel.
"""

from nogil.decorators import jit, njit
from nogil.errors import TypingError

__version__ = "0.1.0"
__all__ = ["TypingError", "__version__", "jit", "njit"]
