"""Tuple displays with starred items, rewritten when the function is loaded into tuple
concatenation, which compiled code has (a tuple's length is part of its type):

    (*t, 1)          ->  tuple(t) + (1,)
    (a, *t, b, *u)   ->  (a,) + tuple(t) + (b,) + tuple(u)

``tuple()`` (the builtin, whatever a local name says) takes only a tuple, so a starred
array, number or other iterable is refused by it (N0219) rather than added to a tuple.
Starred call arguments (``f(*t)``) and starred targets are left to the compiler.
"""

import ast
import copy

from nogil import _rewriting


def rewrite(function_def: ast.FunctionDef) -> ast.FunctionDef:
    """The tree with every tuple display holding a ``*item`` built by concatenation."""
    if not any(_is_starred_display(node) for node in ast.walk(function_def)):
        return function_def
    function_def = copy.deepcopy(function_def)
    return _Rewriter().visit(function_def)


def _is_starred_display(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Tuple)
        and isinstance(node.ctx, ast.Load)
        and any(isinstance(e, ast.Starred) for e in node.elts)
    )


class _Rewriter(ast.NodeTransformer):
    def visit_Tuple(self, node: ast.Tuple) -> ast.expr:
        self.generic_visit(node)
        if not _is_starred_display(node):
            return node
        parts: list[ast.expr] = []
        plain: list[ast.expr] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                if plain:
                    parts.append(ast.Tuple(plain, ast.Load()))
                    plain = []
                call = ast.Call(_rewriting.load("$builtin_tuple"), [element.value], [])
                parts.append(ast.copy_location(call, element))
            else:
                plain.append(element)
        if plain:
            parts.append(ast.Tuple(plain, ast.Load()))
        result = parts[0]
        for part in parts[1:]:
            result = ast.BinOp(result, ast.Add(), part)
        return _rewriting.located(result, node)
