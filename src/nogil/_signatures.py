"""Explicit signatures as Numba spells them: ``"int64(int64, float64)"``,
``"void(float64[:, ::1])"``, ``"(int64[:], float64) -> void"``, ``nogil.int64(nogil.float64)``
or a tuple of argument types, reduced to the type names the extension knows.

A string is read as a Python expression over the type names (``UniTuple(float64, 3)``,
``Array(float64, 2, 'C', readonly=True)``), by a small interpreter of its syntax tree: no
code is run."""

import ast
import itertools
from typing import Any

from nogil import _types
from nogil._types import Signature, Type, as_type

# The extension's own type names, as .signatures shows them; passed through unparsed.
_EXTENSION_PREFIXES = ("array(", "readonly array(", "tuple[")
_MODULE_PREFIXES = ("types", "numba", "nb", "nogil", "ng")


def type_name(spec: object) -> str:
    """The extension's name for the type `spec` stands for; TypeError when it is none."""
    return as_type(spec).name


def parse_type(text: str) -> Type:
    """The type a string names: ``"float64"``, ``"f8[:, ::1]"``, ``"UniTuple(int64, 2)"``."""
    stripped = text.strip()
    if stripped.startswith(_EXTENSION_PREFIXES):
        return Type(stripped)  # the extension checks it
    value = _evaluate_text(stripped, text)
    if not isinstance(value, Type):
        raise TypeError(f"{text!r} is not a type")
    return value


def parse(spec: object) -> Signature:
    """A Signature from any of the accepted spellings; TypeError when it is none of them."""
    if isinstance(spec, Signature):
        return spec
    if isinstance(spec, Type):
        return Signature((spec.name,))
    if isinstance(spec, tuple | list):
        return Signature(tuple(type_name(t) for t in spec))
    if isinstance(spec, str):
        return _parse_text(spec)
    raise TypeError(f"a signature is a string, a type call or a tuple of types, not {spec!r}")


_OPTIONAL = "optional("


def expand(signature: Signature) -> list[Signature]:
    """The signatures `signature` stands for: each ``optional(t)`` argument once as `t` and
    once as None (a None argument is its own specialization); an optional return type is
    left to inference, which gives the optional the function returns."""
    choices = []
    for name in signature.args:
        if name.startswith(_OPTIONAL) and name.endswith(")"):
            choices.append((name[len(_OPTIONAL) : -1], "None"))
        else:
            choices.append((name,))
    returned = signature.return_type
    if returned is not None and returned.startswith(_OPTIONAL):
        returned = None
    # With a None argument the branch that uses the value still types (as Optional), so the
    # result of that specialization is inferred rather than checked against the declaration.
    return [
        Signature(args, returned if args == signature.args or "None" not in args else None)
        for args in itertools.product(*choices)
    ]


def _parse_text(text: str) -> Signature:
    if "->" in text:  # "(int64[:], float64) -> void"
        arguments, _, result = text.rpartition("->")
        returned = _evaluate_text(result.strip(), text)
        if not isinstance(returned, Type):
            raise TypeError(f"invalid signature {text!r}: the return type is not a type")
        return Signature(
            _argument_names(_evaluate_text(arguments.strip(), text), text), returned.name
        )
    if "(" not in text:
        raise TypeError(
            f"invalid signature {text!r}; write it as 'int64(int64, float64)' or '(int64, float64)'"
        )
    value = _evaluate_text(text.strip(), text)
    if isinstance(value, Signature):
        return value
    return Signature(_argument_names(value, text))


def _argument_names(value: object, text: str) -> tuple[str, ...]:
    if isinstance(value, Type):
        return (value.name,)
    if isinstance(value, tuple) and all(isinstance(v, Type) for v in value):
        return tuple(v.name for v in value)
    raise TypeError(f"invalid signature {text!r}: the arguments are not types")


def _evaluate_text(source: str, text: str) -> Any:
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, RecursionError, MemoryError):
        raise TypeError(
            f"invalid signature {text!r}; write it as 'int64(int64, float64)', "
            "'void(float64[:, ::1])' or '(int64, float64) -> float64'"
        ) from None
    try:
        return _evaluate(tree.body)
    except RecursionError:
        raise TypeError(f"invalid signature {text!r}: nested too deeply") from None


def _evaluate(node: ast.expr) -> Any:
    if isinstance(node, ast.Name):
        return _named(node.id)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in _MODULE_PREFIXES  # "types.float64", "nb.float64"
    ):
        return _named(node.attr)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | str | bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _evaluate(node.operand)
        if isinstance(operand, int) and not isinstance(operand, bool):
            return -operand
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(_evaluate(e) for e in node.elts)
    if isinstance(node, ast.Slice):
        return slice(
            *(None if p is None else _evaluate(p) for p in (node.lower, node.upper, node.step))
        )
    if isinstance(node, ast.Subscript):
        base = _evaluate(node.value)
        if not isinstance(base, _types.ScalarType):
            raise TypeError(f"{ast.unparse(node.value)} cannot be indexed: arrays are number[:]")
        return base[_evaluate(node.slice)]
    if isinstance(node, ast.Call):
        function = _evaluate(node.func)
        if not callable(function):
            raise TypeError(f"{ast.unparse(node.func)} cannot be called in a signature")
        args = [_evaluate(a) for a in node.args]
        kwargs = {k.arg: _evaluate(k.value) for k in node.keywords if k.arg}
        if len(kwargs) != len(node.keywords):
            raise TypeError("** arguments are not allowed in a signature")
        return function(*args, **kwargs)
    raise TypeError(f"{ast.unparse(node)!r} is not allowed in a signature")


def _named(name: str) -> Any:
    if name in _types.NAMES:
        return _types.NAMES[name]
    if name in _types.UNAVAILABLE:
        raise TypeError(
            f"{name} is not a type compiled code has yet; use {_types.UNAVAILABLE[name]}"
        )
    raise TypeError(f"unknown type {name!r} in a signature; compiled code has {_known()}")


def _known() -> str:
    return ", ".join(
        sorted({t.name for t in _types.NAMES.values() if isinstance(t, Type)} - {"none"})
    )
