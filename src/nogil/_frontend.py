"""Source capture: a function's source, parsed by CPython's own parser with file positions,
and the values of the free names it uses, frozen at compile time (as Numba does)."""

import ast
import builtins
import inspect
import sys
import threading
from collections.abc import Callable
from typing import Any

from nogil.errors import TypingError


def load(py_func: Callable[..., Any]) -> tuple[str, int, str, ast.FunctionDef, dict[str, Any]]:
    """Returns (filename, first line, source text, ast.FunctionDef, free name -> value).

    Line numbers in the tree are the file's; columns are UTF-8 byte offsets into the
    original (not dedented) lines, so spans index the returned source text directly.
    """
    name = py_func.__qualname__
    try:
        lines, first_line = inspect.getsourcelines(py_func)
        filename = inspect.getsourcefile(py_func) or py_func.__code__.co_filename
    except (OSError, TypeError) as err:
        message = f"cannot compile {name}: its source code is not available ({err})"
        raise TypingError(message) from err
    source = "".join(lines)
    function_def = _parse_function(source, first_line, name)
    return filename, first_line, source, function_def, _free_values(py_func, function_def)


# CPython 3.11's conversion of a parse tree to Python objects keeps its recursion depth in
# interpreter-wide state; two threads converting at once (compiles now run in parallel) can
# fail with "AST constructor recursion depth mismatch". One parse at a time.
_parse_lock = threading.Lock()


def _parse_function(source: str, first_line: int, name: str) -> ast.FunctionDef:
    indented = source[:1] in (" ", "\t")
    # An indented def (a method or a nested function) parses as the body of an `if`, which
    # keeps every column as it is in the file, unlike dedenting.
    text = "if True:\n" + source if indented else source
    with _parse_lock:
        try:
            tree = ast.parse(text)
        except RecursionError:
            # CPython's parser recurses once per level of nesting, within the recursion limit.
            message = (
                f"cannot compile {name}: its source is too deeply nested for Python's parser "
                f"at the current recursion limit ({sys.getrecursionlimit()}); "
                "sys.setrecursionlimit() raises it"
            )
            raise TypingError(message) from None
    ast.increment_lineno(tree, first_line - 1 - (1 if indented else 0))
    body = tree.body[0].body if indented else tree.body
    node = body[0]
    if not isinstance(node, ast.FunctionDef):
        raise TypingError(f"cannot compile {name}: only functions defined with 'def' compile")
    return node


def _free_values(py_func: Callable[..., Any], function_def: ast.FunctionDef) -> dict[str, Any]:
    """Values of the names the function reads but does not assign: closure cells first,
    then module globals, then builtins. Names found nowhere are left out; the compiler
    reports them where they are used."""
    assigned = {arg.arg for arg in function_def.args.args}
    loaded = set()
    # The body only: decorators and defaults are evaluated where the function is defined.
    for statement in function_def.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                (loaded if isinstance(node.ctx, ast.Load) else assigned).add(node.id)
    code = py_func.__code__
    cells = dict(zip(code.co_freevars, py_func.__closure__ or (), strict=True))
    values = {}
    for name in sorted(loaded - assigned):
        if name in cells:
            try:
                values[name] = cells[name].cell_contents
            except ValueError:
                continue
        elif name in py_func.__globals__:
            values[name] = py_func.__globals__[name]
        elif hasattr(builtins, name):
            values[name] = getattr(builtins, name)
    return values
