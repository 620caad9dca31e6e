"""Explicit signatures: ``"int64(int64, float64)"``, ``nogil.int64(nogil.float64)`` or a tuple
of argument types, as Numba spells them, reduced to the type names the extension knows."""

import re
from dataclasses import dataclass

# Every spelling Numba users write for the types compiled code has, by canonical name.
_ALIASES = {
    "int64": "int64", "i8": "int64", "int": "int64", "intp": "int64",
    "int32": "int32", "i4": "int32", "intc": "int32",
    "int16": "int16", "i2": "int16", "int8": "int8", "i1": "int8",
    "uint64": "uint64", "u8": "uint64", "uintp": "uint64", "uint32": "uint32", "u4": "uint32",
    "uint16": "uint16", "u2": "uint16", "uint8": "uint8", "u1": "uint8",
    "float64": "float64", "f8": "float64", "double": "float64", "float": "float64",
    "float32": "float32", "f4": "float32", "single": "float32",
    "bool": "bool", "boolean": "bool", "b1": "bool", "bool_": "bool",
    "void": "none", "none": "none",
}  # fmt: skip
_SIGNATURE = re.compile(r"^\s*(?P<ret>[A-Za-z_]\w*)?\s*\((?P<args>.*)\)\s*$")


@dataclass(frozen=True)
class Signature:
    """Argument type names and, when declared, the return type's."""

    args: tuple[str, ...]
    return_type: str | None = None

    def __str__(self) -> str:
        return f"{self.return_type or ''}({', '.join(self.args)})"


class NumericType:
    """``nogil.int64`` and friends: a type in a signature; calling one builds a signature
    with it as the return type (``nogil.float64(nogil.int64)``)."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, *args: "NumericType") -> Signature:
        return Signature(tuple(_type_name(a) for a in args), self.name)

    def __repr__(self) -> str:
        return self.name


int8 = NumericType("int8")
int16 = NumericType("int16")
int32 = NumericType("int32")
int64 = NumericType("int64")
uint8 = NumericType("uint8")
uint16 = NumericType("uint16")
uint32 = NumericType("uint32")
uint64 = NumericType("uint64")
float32 = NumericType("float32")
float64 = NumericType("float64")
boolean = NumericType("bool")
void = NumericType("none")


def _type_name(spec: object) -> str:
    if isinstance(spec, NumericType):
        return spec.name
    if isinstance(spec, str) and spec.strip() in _ALIASES:
        return _ALIASES[spec.strip()]
    if isinstance(spec, str) and spec.strip().startswith(("array(", "readonly array(", "tuple[")):
        return spec.strip()  # a name from .signatures; the extension checks it
    raise TypeError(f"unknown type {spec!r} in a signature; compiled code has {_known()}")


def _known() -> str:
    return ", ".join(sorted(set(_ALIASES.values()) - {"none"}))


def parse(spec: object) -> Signature:
    """A Signature from any of the accepted spellings; TypeError when it is none of them."""
    if isinstance(spec, Signature):
        return spec
    if isinstance(spec, tuple | list):
        return Signature(tuple(_type_name(t) for t in spec))
    if isinstance(spec, str):
        match = _SIGNATURE.match(spec)
        if not match:
            raise TypeError(
                f"invalid signature {spec!r}; write it as 'int64(int64, float64)' "
                "or '(int64, float64)'"
            )
        text = match["args"].strip()
        args = tuple(_type_name(t) for t in text.split(",") if t.strip()) if text else ()
        return Signature(args, _type_name(match["ret"]) if match["ret"] else None)
    raise TypeError(f"a signature is a string, a type call or a tuple of types, not {spec!r}")
