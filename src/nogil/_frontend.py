"""Source capture: a function's source, parsed by CPython's own parser with file positions,
and the values of the free names it uses, frozen at compile time (as Numba does)."""

import ast
import builtins
import sys
import threading
from collections.abc import Callable
from types import FunctionType, ModuleType
from typing import Any

from nogil import (
    _closures,
    _generator_inlining,
    _generator_values,
    _iterable_reductions,
    _literal_unroll,
    _map_filter,
    _options,
    _overloads,
    _range_values,
    _reversed_loops,
    _source,
    _starred_displays,
    _type_info,
)
from nogil.errors import TypingError

Loaded = tuple[str, int, str, ast.FunctionDef, dict[str, Any], int]


def loader(
    captured: _source.CapturedSource, options: dict[str, Any] | None = None
) -> Callable[[FunctionType], Loaded]:
    """What the dispatcher calls at the first compile, given the text captured when the
    function was decorated: ``load(py_func)`` -> (filename, first line, source text,
    ast.FunctionDef, free name -> value, optimization level).

    Line numbers in the tree are the file's; columns are UTF-8 byte offsets into the
    original (not dedented) lines, so spans index the returned source text directly.
    ``options`` are the Dispatcher's (its mode and keywords), which the functions lifted out
    of this one (inner functions and lambdas) are compiled with.
    """

    def load_here(function):
        found = _source.find(captured, function)
        where = _closures.Where(captured.filename, found.first_line, found.text)
        return _prepared(found.function_def, function, where, options or {})

    def load(function):  # unannotated: annotations would be evaluated at each decoration
        try:
            return load_here(function)
        except RecursionError:
            # The first call came deep in the caller's recursion; a new thread starts with
            # none of it. Still too deep there: the source itself nests past the limit.
            return _on_fresh_stack(load_here, function)

    return load


def _prepared(
    function_def: ast.FunctionDef,
    function: FunctionType,
    where: _closures.Where,
    options: dict[str, Any],
    siblings: dict[str, Any] | None = None,
) -> Loaded:
    """The tree the compiler imports and the values of its free names. ``function`` is the
    Python function whose globals and cells the free names are read from (for a function
    lifted out of another, the enclosing one)."""
    optimize = sys.flags.optimize
    if optimize:  # python -O drops assert statements; so does compiled code
        function_def = _without_asserts(function_def)
    function_def, lifted = _closures.lift(function_def, where)
    function_def = _map_filter.rewrite(function_def, function)
    function_def, folded = _type_info.fold(function_def, function)
    function_def = _iterable_reductions.rewrite(function_def, function)
    function_def, generator_values = _generator_values.rewrite(
        function_def, function, optimize, _free_values
    )
    function_def, inlined = _generator_inlining.inline(
        function_def, function, optimize, _free_values
    )
    inlined = {**generator_values, **inlined}
    function_def = _range_values.rewrite(function_def, function)
    function_def = _reversed_loops.rewrite(function_def, function)
    function_def = _literal_unroll.rewrite(function_def, function)
    function_def = _starred_displays.rewrite(function_def)
    free_values = _free_values(function, function_def, inlined)
    free_values.update((k, v) for k, v in inlined.items() if k.startswith("$generator"))
    free_values.update(folded)
    # Lifted functions may call each other (and themselves): each sees the whole group.
    group: dict[str, Any] = {}
    for inner in lifted:
        group[inner.value_name] = _lifted_dispatcher(inner, function, where, options, group)
    for name, value in (siblings or {}).items():
        if _uses_name(function_def, name):
            free_values[name] = value
    free_values.update(group)
    return where.filename, where.first_line, where.text, function_def, free_values, optimize


def _lifted_dispatcher(
    inner: _closures.Lifted,
    outer: FunctionType,
    where: _closures.Where,
    options: dict[str, Any],
    group: dict[str, Any],
) -> Any:
    """The compiled function an inner function or lambda is lifted into."""
    from nogil import _core

    module = ast.fix_missing_locations(ast.Module([inner.stub], []))
    namespace: dict[str, Any] = {}
    exec(compile(module, where.filename, "exec"), outer.__globals__, namespace)
    stub = namespace[inner.name]
    stub.__qualname__ = f"{outer.__qualname__}.<locals>.{inner.name}"
    stub.__module__ = outer.__module__
    keywords = {k: v for k, v in options.items() if k not in ("mode", "locals")}
    # A closure is inlined where it is called, as Numba inlines its closures: LLVM's cost
    # model alone leaves calls of a few math functions out of line in hot loops. (A
    # recursive call is never inlined into itself.)
    keywords["inline"] = _options.inline_mode("always")

    def load(_stub):
        return _prepared(inner.function_def, outer, where, options, group)

    return _core.Dispatcher(stub, options.get("mode", 0), load, **keywords)


def _on_fresh_stack(load_here: Callable[[FunctionType], Loaded], function: FunctionType) -> Loaded:
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, load_here(function)))
        except BaseException as error:  # handed back to the caller's thread
            outcome.append((False, error))

    worker = threading.Thread(target=run, name="nogil source loader")
    worker.start()
    worker.join()
    done, value = outcome[0]
    if done:
        return value
    if isinstance(value, RecursionError):
        message = (
            f"cannot compile {function.__qualname__}: its source is too deeply nested for "
            f"Python's parser at the current recursion limit ({sys.getrecursionlimit()}); "
            "sys.setrecursionlimit() raises it"
        )
        raise TypingError(message) from None
    raise value


def _uses_name(function_def: ast.FunctionDef, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name for node in ast.walk(function_def))


class _AssertRemover(ast.NodeTransformer):
    def visit_Assert(self, node: ast.Assert) -> ast.Pass:
        return ast.copy_location(ast.Pass(), node)


def _without_asserts(function_def: ast.FunctionDef) -> ast.FunctionDef:
    return _AssertRemover().visit(function_def)


_BUILTIN_PREFIX = "$builtin_"


def _free_values(
    py_func: FunctionType, function_def: ast.FunctionDef, inlined: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Values of the names the function reads but does not assign: closure cells first,
    then module globals, then builtins, then ``inlined`` (the free names of generators
    inlined into it, renamed). Names found nowhere are left out; the compiler reports them
    where they are used."""
    params = function_def.args
    assigned = {arg.arg for arg in params.posonlyargs + params.args + params.kwonlyargs}
    loaded = set()
    # The body only: decorators and defaults are evaluated where the function is defined.
    for statement in function_def.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                (loaded if isinstance(node.ctx, ast.Load) else assigned).add(node.id)
    code = py_func.__code__
    cells = dict(zip(code.co_freevars, py_func.__closure__ or (), strict=True))
    enclosing_class = _source.enclosing_class(py_func.__code__)
    values = {}
    for name in sorted(loaded - assigned):
        stored = _mangled(name, enclosing_class)
        if stored in cells:
            try:
                values[name] = cells[stored].cell_contents
            except ValueError:
                continue
        elif stored in py_func.__globals__:
            values[name] = py_func.__globals__[stored]
        elif hasattr(builtins, stored):
            values[name] = getattr(builtins, stored)
        elif inlined and name in inlined:
            values[name] = inlined[name]
        elif name.startswith(_BUILTIN_PREFIX) and hasattr(builtins, name[len(_BUILTIN_PREFIX) :]):
            # The front end's rewrites name builtins so: a local `range` cannot hide them.
            values[name] = getattr(builtins, name[len(_BUILTIN_PREFIX) :])
    if "numpy" in sys.modules:  # NumPy's functions may be used: the library layer binds them
        _overloads.load_library()
    _add_module_members(function_def, values, assigned)
    if any(_overloads.is_operator_function(value) for value in values.values()):
        _overloads.load_operators()
    _overloads.load_module_functions(values.values())
    return {name: _overloads.compiled_value(value) for name, value in values.items()}


def _add_module_members(
    function_def: ast.FunctionDef, values: dict[str, Any], assigned: set[str]
) -> None:
    """Adds ``np.linalg.norm`` and every chain of attributes read through a free name whose
    value is a module, as dotted names with the values found there (frozen like the names
    themselves). A member a module lacks is left out: the compiler reports it where used."""
    chains = set()
    for statement in function_def.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Attribute):
                chain = _attribute_chain(node)
                if chain and chain[0] in values and chain[0] not in assigned:
                    chains.add(tuple(chain))
    for chain in sorted(chains, key=len):
        owner = values.get(".".join(chain[:-1]))
        if not isinstance(owner, ModuleType):
            continue
        try:
            values[".".join(chain)] = getattr(owner, chain[-1])
        except Exception:  # AttributeError, or a module's __getattr__ failing otherwise
            continue


def _attribute_chain(node: ast.Attribute) -> list[str] | None:
    """``["np", "linalg", "norm"]`` for ``np.linalg.norm``; None unless it starts at a name."""
    parts = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    parts.append(current.id)
    return parts[::-1]


def _mangled(name: str, enclosing_class: str | None) -> str:
    """The name Python stores: `__x` in a class body's functions is `_Class__x`."""
    owner = (enclosing_class or "").lstrip("_")
    if owner and name.startswith("__") and not name.endswith("__"):
        return f"_{owner}{name}"
    return name
