"""What the golden files hold, computed from the code: the rendered report of every function
in tests/python/errors/cases.py and the inspect_types() text of the functions in
typed_functions.py. Shared by test_golden.py (compares) and tools/update_golden.py (writes)."""

import io
from pathlib import Path

import nogil

from ..errors import cases
from . import typed_functions

GOLDEN_DIR = Path(__file__).resolve().parent
ROOT = GOLDEN_DIR.parents[2]


def _relative(text: str) -> str:
    """Paths made relative to the repository, so the files do not depend on the checkout."""
    return text.replace(str(ROOT) + "/", "")


def diagnostics() -> dict[Path, str]:
    out = {}
    for name in sorted(vars(cases)):
        function = getattr(cases, name)
        if not isinstance(function, nogil._core.Dispatcher) or name == "helper":
            continue
        args = cases.ARGS.get(name, (1,) * function.py_func.__code__.co_argcount)
        try:
            function(*args)
        except nogil.TypingError as err:
            out[GOLDEN_DIR / "diagnostics" / f"{name}.txt"] = _relative(str(err))
    return out


def types() -> dict[Path, str]:
    out = {}
    for name, signature in typed_functions.SIGNATURES.items():
        text = io.StringIO()
        getattr(typed_functions, name).inspect_types(signature, file=text)
        out[GOLDEN_DIR / "types" / f"{name}.txt"] = _relative(text.getvalue())
    return out


def everything() -> dict[Path, str]:
    return {**diagnostics(), **types()}
