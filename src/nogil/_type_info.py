"""``np.iinfo(t).max``, ``np.finfo(t).eps`` and the other attributes of NumPy's type-info
objects, folded when the function is loaded: where ``t`` names a type (``np.float32``, a
global alias of one, ``"int16"``), the attribute is NumPy's own value, frozen as a global of
its type as any other global. Other arguments are left for the compiler, which reports them."""

import ast
import builtins
import copy
from types import FunctionType, ModuleType
from typing import Any

_INFO_NAMES = ("iinfo", "finfo")


def fold(function_def: ast.FunctionDef, py_func: FunctionType) -> tuple[ast.AST, dict[str, Any]]:
    """The tree with each foldable ``np.iinfo(t).attr`` replaced by a name, and those
    names' values."""
    if not any(
        isinstance(node, ast.Attribute | ast.Name)
        and (getattr(node, "attr", None) or getattr(node, "id", None)) in _INFO_NAMES
        for node in ast.walk(function_def)
    ):
        return function_def, {}
    function_def = copy.deepcopy(function_def)  # the captured tree is kept as parsed
    folder = _Folder(py_func, _assigned_names(function_def))
    return folder.visit(function_def), folder.values


def _assigned_names(function_def: ast.FunctionDef) -> set[str]:
    params = function_def.args
    names = {a.arg for a in params.posonlyargs + params.args + params.kwonlyargs}
    for node in ast.walk(function_def):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
    return names


class _Folder(ast.NodeTransformer):
    def __init__(self, py_func: FunctionType, local_names: set[str]):
        self.py_func = py_func
        self.local_names = local_names
        self.values: dict[str, Any] = {}
        code = py_func.__code__
        self.cells = dict(zip(code.co_freevars, py_func.__closure__ or (), strict=True))

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        folded = self._fold(node)
        return folded if folded is not None else self.generic_visit(node)

    def _fold(self, node: ast.Attribute) -> ast.AST | None:
        call = node.value
        if not (isinstance(call, ast.Call) and len(call.args) == 1 and not call.keywords):
            return None
        info_function = self._static(call.func)
        if not _is_type_info_function(info_function):
            return None
        argument = self._static(call.args[0])
        if argument is _UNKNOWN:
            return None
        try:
            value = getattr(info_function(argument), node.attr)
        except (TypeError, ValueError, AttributeError):
            return None  # the compiler reports the call where it stands
        value = _as_constant(value)
        if value is None:
            return None
        name = ast.unparse(node)
        self.values[name] = value
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)

    def _static(self, node: ast.AST) -> Any:
        """The value of a name or attribute chain read from globals, or _UNKNOWN."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.local_names:
                return _UNKNOWN
            if node.id in self.cells:
                try:
                    return self.cells[node.id].cell_contents
                except ValueError:
                    return _UNKNOWN
            if node.id in self.py_func.__globals__:
                return self.py_func.__globals__[node.id]
            return getattr(builtins, node.id, _UNKNOWN)
        if isinstance(node, ast.Attribute):
            base = self._static(node.value)
            if isinstance(base, ModuleType | type):
                return getattr(base, node.attr, _UNKNOWN)
        return _UNKNOWN


_UNKNOWN = object()


def _is_type_info_function(value: Any) -> bool:
    module = getattr(value, "__module__", "") or ""
    return module.startswith("numpy") and getattr(value, "__name__", None) in _INFO_NAMES


def _as_constant(value: Any) -> Any:
    """NumPy's value as a frozen global: Python ints as int64 (uint64 beyond it), NumPy
    floats as their own type; None for what is no number (``.dtype``)."""
    import numpy as np

    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else np.uint64(value)
    if isinstance(value, np.floating | float):
        return value
    return None
