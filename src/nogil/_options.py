"""The values of Numba's decorator options that change code generation (``fastmath``,
``inline``, ``locals``) and of those that only matter to Numba's own machinery, checked and
reduced to what the extension takes."""

from collections.abc import Callable, Mapping
from typing import Any

from nogil import _signatures

# Bit per LLVM fast-math flag, as sema::fastmath in src/cpp/sema/environment.h.
FASTMATH_BITS = {
    "reassoc": 1,
    "nnan": 2,
    "ninf": 4,
    "nsz": 8,
    "arcp": 16,
    "contract": 32,
    "afn": 64,
}
FASTMATH_BITS["fast"] = sum(FASTMATH_BITS.values())

INLINE_MODES = {None: 0, "always": 1, "never": 2}

# Numba options that only steer Numba's own machinery (object mode, its wrappers, its debug
# pipeline): accepted, as a bool, and without effect here. See docs/language.md.
IGNORED_FLAGS = (
    "looplift",
    "no_cpython_wrapper",
    "no_cfunc_wrapper",
    "no_rewrites",
    "debug",
    "_dbg_extend_lifetimes",
    "_dbg_optnone",
)


def fastmath_flags(value: Any) -> int:
    """``fastmath=``: True (every flag), False, or a set (or dict of flag -> bool) of LLVM's
    flag names, as Numba spells them; ValueError otherwise, as Numba's."""
    if value is True or value is False:
        return FASTMATH_BITS["fast"] if value else 0
    if isinstance(value, Mapping):
        names = [name for name, enabled in value.items() if _flag_name(name) and enabled]
        unknown = [name for name in value if not _flag_name(name)]
    elif isinstance(value, set | frozenset | list | tuple):
        names = [name for name in value if _flag_name(name)]
        unknown = [name for name in value if not _flag_name(name)]
    else:
        raise ValueError(
            "fastmath must be True, False, or a set of LLVM fast-math flags "
            f"({_flag_list()}), not {value!r}"
        )
    if unknown:
        raise ValueError(f"unrecognized fastmath flags {unknown!r}; the flags are {_flag_list()}")
    bits = 0
    for name in names:
        bits |= FASTMATH_BITS[name]
    return bits


def _flag_name(name: Any) -> bool:
    return isinstance(name, str) and name in FASTMATH_BITS


def _flag_list() -> str:
    return ", ".join(sorted(FASTMATH_BITS))


def inline_mode(value: Any) -> int:
    """``inline=``: 'always' or 'never' (None: LLVM's cost model decides)."""
    if isinstance(value, str) and value in INLINE_MODES:
        return INLINE_MODES[value]
    if value is None:
        return 0
    if callable(value):
        raise ValueError(
            "inline= given a cost-model function is Numba's hook into its own IR, which nogil "
            "does not have; use inline='always' or inline='never'"
        )
    raise ValueError(f"inline must be 'always' or 'never', not {value!r}")


def local_types(value: Any, py_func: Callable[..., Any]) -> dict[str, str]:
    """``locals={"name": type}``: the declared types by local name, as type names."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"locals must be a dict of local name -> type, not {value!r}")
    code = py_func.__code__
    parameters = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    declared = {}
    for name, spec in value.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"locals= keys are local variable names, not {name!r}")
        if name in parameters:
            raise TypeError(
                f"locals= declares {name!r}, a parameter of {py_func.__qualname__}: "
                "a parameter's type comes from the argument (or an explicit signature)"
            )
        type_name = _signatures.type_name(spec)
        if type_name == "none":
            raise TypeError(f"locals= cannot declare {name!r} as void")
        declared[name] = type_name
    return declared


def check_machinery_options(options: dict[str, Any]) -> None:
    """The remaining Numba options: those without effect here must be flags; the ones that
    ask for something nogil cannot do raise, naming it."""
    for name, value in options.items():
        if name in IGNORED_FLAGS:
            if not (value is True or value is False or value in (0, 1)):
                raise TypeError(f"njit() option {name} must be True or False, not {value!r}")
        elif name == "forceobj":
            if value:
                raise ValueError(
                    "forceobj=True asks for Numba's object mode, which nogil does not have: "
                    "every function compiles to native code (nopython mode)"
                )
        elif name == "_nrt":
            if value is not True:
                raise ValueError(
                    "_nrt=False is not available: compiled code always manages array memory "
                    "with nogil's runtime"
                )
        elif name in ("_target", "target", "target_backend"):
            if value != "cpu":
                raise ValueError(f"{name}={value!r}: nogil compiles for the CPU only ('cpu')")
        else:
            raise TypeError(_unsupported(name))


def _unsupported(name: str) -> str:
    if name in ("pipeline_class", "writable_args"):
        return f"njit() option {name!r} is Numba's and not supported by nogil"
    return f"njit() got an unexpected keyword argument {name!r}"
