"""The registry behind nogil.extending: Python and NumPy functions implemented for compiled
code by argument types (``overload``), methods of compiled types (``overload_method``) and
plain functions compiled where compiled code calls them (``register_jitable``).

The front end freezes an overloaded function as its Selector; the typer, meeting a call to
it, asks ``choose`` (through the extension, on the compiler thread, with the GIL) for the
implementation that takes the call's argument types; the implementation is compiled as a
callee of the user's function, once per argument types.
"""

import hashlib
import importlib
import inspect
import sys
import threading
from collections.abc import Callable
from typing import Any

from nogil import _core, types

_lock = threading.RLock()  # guards the registries below (compiles run on many threads)


class Primitive:
    """A builtin of the compiler's core, by qualified name (``numpy.sum``): what the
    library layer calls for the primitive where the public name is overloaded."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<nogil primitive {self.name}>"


class Selector:
    """An overloaded function, as compiled code sees it: the implementations registered
    for it, most recent first, and those already chosen per argument types."""

    def __init__(self, target: Any, name: str):
        self.target = target
        self.name = name
        self.typing_functions: list[tuple[Callable[..., Any], dict[str, Any]]] = []
        self.chosen: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}

    @property
    def key(self) -> str:
        """What the on-disk cache keys on: the sources of the typing functions (which
        hold their implementations)."""
        digest = hashlib.sha256()
        for function, options in self.typing_functions:
            digest.update(_source_of(options.get("_implementation", function)).encode())
        return digest.hexdigest()

    def __repr__(self) -> str:
        return f"<nogil overload of {self.name}>"


_selectors: dict[int, Selector] = {}  # id(target) -> Selector (which holds target)
_methods: dict[str, list[tuple[type, Callable[..., Any], dict[str, Any]]]] = {}
_jitables: dict[int, tuple[Any, Any]] = {}  # id(function) -> (function, Dispatcher)
_compiled_implementations: dict[int, tuple[Any, Any]] = {}  # id(impl) -> (impl, Dispatcher)
_chosen_methods: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Any] = {}
_library_loaded = False


def _source_of(function: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        code = getattr(function, "__code__", None)
        return repr(code.co_code) if code else repr(function)


def qualified_name(target: Any) -> str:
    """``numpy.cumsum``, ``mymodule.f``: how messages name an overloaded function."""
    module = getattr(target, "__module__", None) or ""
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", repr(target))
    return f"{module}.{name}" if module else name


def add_overload(target: Any, typing_function: Callable[..., Any], options: dict[str, Any]):
    with _lock:
        selector = _selectors.get(id(target))
        if selector is None:
            selector = _selectors[id(target)] = Selector(target, qualified_name(target))
        selector.typing_functions.insert(0, (typing_function, options))
        selector.chosen.clear()


def add_method(owner: type, name: str, typing_function: Callable[..., Any], options):
    with _lock:
        _methods.setdefault(name, []).insert(0, (owner, typing_function, options))
        _chosen_methods.clear()


def add_jitable(function: Callable[..., Any], options: dict[str, Any]) -> None:
    from nogil.decorators import njit

    with _lock:
        _jitables[id(function)] = (function, njit(**options)(function))


def load_library() -> None:
    """Imports nogil.lib, whose modules register NumPy's functions (once; it imports
    NumPy, so only when compiled code may use it)."""
    global _library_loaded
    if _library_loaded:
        return
    with _lock:
        if not _library_loaded:
            _library_loaded = True
            import nogil.lib  # noqa: F401  (registers its overloads)


def is_operator_function(value: Any) -> bool:
    """Whether `value` is one of the operator module's functions (``operator.add``)."""
    try:
        return getattr(value, "__module__", None) == "_operator" and callable(value)
    except Exception:  # a hostile __getattr__
        return False


_MODULE_LIBRARIES = {
    "math": ("nogil.lib.math_functions", "nogil.lib.math_gamma"),
    "cmath": ("nogil.lib.cmath_functions",),
}


def load_module_functions(values: Any) -> None:
    """Imports the library modules that implement the math and cmath functions among
    `values` (the free values of a compiled function)."""
    for value in values:
        try:
            module = getattr(value, "__module__", None) if callable(value) else None
        except Exception:  # a hostile __getattr__
            continue
        libraries = _MODULE_LIBRARIES.get(module, ()) if isinstance(module, str) else ()
        for library in libraries:
            if library not in sys.modules:
                importlib.import_module(library)


def load_operators() -> None:
    """Imports nogil.lib.operators, which registers the operator module's functions."""
    import nogil.lib.operators  # noqa: F401  (registers its overloads)


def compiled_value(value: Any) -> Any:
    """What compiled code sees for a free value: the Dispatcher of a register_jitable
    function, the Selector of an overloaded one, the primitive a NumPy function is."""
    try:
        jitable = _jitables.get(id(value))
        if jitable is not None and jitable[0] is value:
            return jitable[1]
        selector = _selectors.get(id(value))
        if selector is not None and selector.target is value:
            return selector
    except TypeError:  # an unhashable id cannot happen; a broken __eq__ can
        return value
    numpy = sys.modules.get("numpy")
    name = getattr(value, "__name__", None) if numpy is not None else None
    if isinstance(name, str) and not isinstance(value, type) and callable(value):
        try:
            if getattr(numpy, name, None) is value:
                return Primitive(f"numpy.{name}")
        except Exception:  # a hostile __eq__ or property: leave the value as it is
            return value
    return value


def choose(
    selector: Selector | None,
    method: str,
    type_names: list[str],
    keywords: list[str],
    literals: list[str] | None = None,
):
    """The implementation (a Dispatcher) for a call: of `selector`'s function, or with
    `selector` None of the method `method` of the first argument's type. None when nothing
    applies; a string when a typing function refused the types (its message)."""
    load_library()
    arg_types = [types.from_name(name) for name in type_names]
    for i, literal in enumerate(literals or ()):
        if literal in ("True", "False"):  # a constant the call writes: Numba's literal type
            arg_types[i] = types.BooleanLiteral(literal == "True")
    if selector is None:
        return _choose_method(method, arg_types, keywords)
    return _choose(selector, arg_types, keywords)


def _choose(selector: Selector, arg_types: list[types.Type], keywords: list[str]):
    key = (tuple(t.name for t in arg_types), tuple(keywords))
    with _lock:
        if key in selector.chosen:
            return selector.chosen[key]
        candidates = list(selector.typing_functions)
    chosen = _first_implementation(candidates, arg_types, keywords)
    with _lock:
        selector.chosen[key] = chosen
    return chosen


def _choose_method(method: str, arg_types: list[types.Type], keywords: list[str]):
    owner = arg_types[0]
    # Chosen once per types: the typer asks at each of its passes, and a new implementation
    # each time would be a new callee each time.
    key = (method, tuple(t.name for t in arg_types), tuple(keywords))
    with _lock:
        if key in _chosen_methods:
            return _chosen_methods[key]
        candidates = [(f, o) for cls, f, o in _methods.get(method, ()) if isinstance(owner, cls)]
    if candidates:
        chosen = _first_implementation(candidates, arg_types, keywords)
        with _lock:
            _chosen_methods[key] = chosen
        return chosen
    # a.cumsum(...) is np.cumsum(a, ...) where NumPy has both
    numpy = sys.modules.get("numpy")
    function = getattr(numpy, method, None) if numpy is not None else None
    selector = _selectors.get(id(function)) if function is not None else None
    if selector is None or selector.target is not function:
        return None
    return _choose(selector, arg_types, keywords)


def _first_implementation(candidates, arg_types: list[types.Type], keywords: list[str]):
    positional = arg_types[: len(arg_types) - len(keywords)]
    named = dict(zip(keywords, arg_types[len(positional) :], strict=True))
    refusal = None
    for typing_function, options in candidates:
        try:
            inspect.signature(typing_function).bind(*positional, **named)
        except TypeError as error:  # the call's arguments do not fit the function's
            refusal = refusal or str(error)
            continue
        except ValueError:  # no signature to check: the call below says it
            pass
        try:
            implementation = typing_function(*positional, **named)
        except Exception as error:  # the typing function refused these types
            refusal = refusal or f"{type(error).__name__}: {error}"
            continue
        if implementation is not None:
            return _compiled(implementation, options)
    return refusal


def _compiled(implementation: Any, options: dict[str, Any]) -> Any:
    from nogil.decorators import njit

    if isinstance(implementation, _core.Dispatcher):
        return implementation
    with _lock:
        known = _compiled_implementations.get(id(implementation))
        if known is not None and known[0] is implementation:
            return known[1]
        jit_options = dict(options.get("jit_options") or {})
        dispatcher = njit(**jit_options)(implementation)
        _compiled_implementations[id(implementation)] = (implementation, dispatcher)
        return dispatcher


_core._register_overload_classes(Selector, Primitive)
