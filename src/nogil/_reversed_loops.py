"""``for x in reversed(range(...))`` and ``for x in reversed(a)`` (also as an argument of
``enumerate`` or ``zip`` there), rewritten when the function is loaded into the loops
compiled code has (also inside generator expressions, which _iterable_reductions has
turned into loops before):

    for i in reversed(range(a, b, c))  ->  $start1 = a; $stop_at1 = b; $step1 = c
                                           <ValueError if c == 0; $length1 = CPython's len>
                                           for i in range($start1 + ($length1 - 1) * $step1,
                                                          $start1 - $step1, -$step1)
    for v in reversed(a)               ->  for v in a[::-1]      (a view: no copy)
"""

import ast
import builtins
import copy
from types import FunctionType

from nogil import _generator_inlining, _rewriting


def rewrite(function_def: ast.FunctionDef, py_func: FunctionType) -> ast.FunctionDef:
    """The tree with every ``for`` over ``reversed(...)`` of the builtin rewritten."""
    if not _calls_builtin_reversed(function_def, py_func):
        return function_def
    function_def = copy.deepcopy(function_def)
    function_def.body = _Rewriter().block(function_def.body)
    return function_def


def _calls_builtin_reversed(function_def: ast.FunctionDef, py_func: FunctionType) -> bool:
    if not any(
        isinstance(node, ast.Call) and _reversed_argument(node) is not None
        for node in ast.walk(function_def)
    ):
        return False
    local = _generator_inlining._local_names(function_def)
    if "reversed" in local or "range" in local:
        return False
    if _generator_inlining._resolve(py_func, "range") is not builtins.range:
        return False
    return _generator_inlining._resolve(py_func, "reversed") is builtins.reversed


def _reversed_argument(iterable: ast.expr) -> ast.expr | None:
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Name)
        and iterable.func.id == "reversed"
        and len(iterable.args) == 1
        and not iterable.keywords
        and not isinstance(iterable.args[0], ast.Starred)
    ):
        return iterable.args[0]
    return None


class _Rewriter(_rewriting.StatementRewriter):
    def __init__(self) -> None:
        self.counter = 0

    def rewrite(self, stmt: ast.stmt) -> list[ast.stmt]:
        if not isinstance(stmt, ast.For):
            return [stmt]
        prelude: list[ast.stmt] = []
        iterable = stmt.iter
        if _reversed_argument(iterable) is not None:
            stmt.iter = self.forward(iterable, prelude)
        elif (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Name)
            and iterable.func.id in ("enumerate", "zip")
        ):
            iterable.args = [
                self.forward(a, prelude) if _reversed_argument(a) is not None else a
                for a in iterable.args
            ]
        return [_located(s, iterable) for s in [*prelude, stmt]]

    def forward(self, call: ast.expr, prelude: list[ast.stmt]) -> ast.expr:
        """What iterates as ``reversed(...)`` does: a range running backwards, or a
        reversed view."""
        argument = _reversed_argument(call)
        assert argument is not None
        if not _is_range_call(argument):
            flipped = ast.Slice(None, None, ast.Constant(-1))
            return ast.copy_location(ast.Subscript(argument, flipped, ast.Load()), call)
        self.counter += 1
        suffix = f"$reversed{self.counter}"
        _, length = _generator_inlining._sequence(argument, suffix, prelude)
        start, step = f"$start{suffix}", f"$step{suffix}"
        last = ast.BinOp(
            _load(start),
            ast.Add(),
            ast.BinOp(
                ast.BinOp(_load(length), ast.Sub(), ast.Constant(1)), ast.Mult(), _load(step)
            ),
        )
        before_first = ast.BinOp(_load(start), ast.Sub(), _load(step))
        backwards = ast.UnaryOp(ast.USub(), _load(step))
        return ast.copy_location(
            ast.Call(_load("$builtin_range"), [last, before_first, backwards], []), call
        )


_is_range_call = _rewriting.is_range_call


_load = _rewriting.load
_located = _rewriting.located
