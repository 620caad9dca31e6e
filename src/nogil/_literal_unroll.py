"""``for x in literal_unroll(t)``, Numba's spelling of a loop over a tuple, rewritten when the
function is loaded into the loop compiled code has: ``for x in t``.

A loop over a homogeneous tuple is already a counted loop that LLVM unrolls, so the call
only marks the intent. A heterogeneous tuple is refused by that loop (``N0330``): compiling
the body once per element type is not done yet. ``literal_unroll`` is recognised as
``nogil.literal_unroll`` or ``numba.literal_unroll`` (by name or as a module attribute),
looked up like any global.
"""

import ast
import copy
from types import FunctionType
from typing import TypeVar

from nogil import _generator_inlining, _rewriting

_T = TypeVar("_T")


def literal_unroll(container: _T) -> _T:
    """``container`` itself: in compiled code, ``for x in literal_unroll(t)`` loops over the
    tuple ``t`` (Numba's name for an unrolled loop)."""
    return container


def rewrite(function_def: ast.FunctionDef, py_func: FunctionType) -> ast.FunctionDef:
    """The tree with every ``for`` over ``literal_unroll(...)`` looping over its argument."""
    names = _unroll_names(function_def, py_func)
    if not names:
        return function_def
    function_def = copy.deepcopy(function_def)
    function_def.body = _Rewriter(names).block(function_def.body)
    return function_def


def _unroll_names(function_def: ast.FunctionDef, py_func: FunctionType) -> set[str]:
    """The spellings (``literal_unroll``, ``nogil.literal_unroll``, ...) of the callee of
    ``for`` iterables that are Numba's or nogil's ``literal_unroll``."""
    called = {
        ast.unparse(node.iter.func)
        for node in ast.walk(function_def)
        if isinstance(node, ast.For) and _argument(node.iter, None) is not None
    }
    local = _generator_inlining._local_names(function_def)
    return {
        name
        for name in called
        if name.split(".")[0] not in local and _is_literal_unroll(_value_of(py_func, name))
    }


def _value_of(py_func: FunctionType, dotted: str) -> object:
    root, *attributes = dotted.split(".")
    value = _generator_inlining._resolve(py_func, root)
    for attribute in attributes:
        value = getattr(value, attribute, None)
    return value


def _is_literal_unroll(value: object) -> bool:
    if value is literal_unroll:
        return True
    return (
        getattr(value, "__name__", None) == "literal_unroll"
        and getattr(value, "__module__", "").split(".")[0] == "numba"
    )


def _argument(iterable: ast.expr, names: set[str] | None) -> ast.expr | None:
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Name | ast.Attribute)
        and (names is None or ast.unparse(iterable.func) in names)
        and len(iterable.args) == 1
        and not iterable.keywords
        and not isinstance(iterable.args[0], ast.Starred)
    ):
        return iterable.args[0]
    return None


class _Rewriter(_rewriting.StatementRewriter):
    def __init__(self, names: set[str]) -> None:
        self.names = names

    def rewrite(self, stmt: ast.stmt) -> list[ast.stmt]:
        if isinstance(stmt, ast.For):
            argument = _argument(stmt.iter, self.names)
            if argument is not None:
                stmt.iter = argument
        return [stmt]
