"""The type objects of signatures, as Numba spells them: ``nogil.float64``,
``nogil.float64[:, ::1]``, ``nogil.types.Array(nogil.float64, 2, "C", readonly=True)``,
``nogil.types.UniTuple(nogil.int64, 3)``. Each reduces to the type name the extension knows
(``.name``); calling one builds a signature with it as the return type."""

import ast
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Signature:
    """Argument type names and, when declared, the return type's."""

    args: tuple[str, ...]
    return_type: str | None = None

    def __str__(self) -> str:
        return f"{self.return_type or ''}({', '.join(self.args)})"


class Type:
    """A type of compiled code; ``name`` is the extension's spelling of it."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, *args: object) -> Signature:
        return Signature(tuple(as_type(a).name for a in args), self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Type) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return "void" if self.name == "none" else self.name


class ScalarType(Type):
    """``nogil.float64`` and friends; indexing one with slices gives an array type
    (``float64[:]``, ``float64[:, ::1]`` C order, ``float64[::1, :]`` F order)."""

    def __getitem__(self, spec: object) -> "Array":
        dims = spec if isinstance(spec, tuple) else (spec,)
        if not dims or not all(_is_full_slice(d) for d in dims):
            raise TypeError(
                f"an array type is written with slices of no bounds, as {self.name}[:] or "
                f"{self.name}[:, ::1], not {self.name}[{_show(spec)}]"
            )
        if len(dims) > 1 and dims[0].step == 1:
            layout = "F"
        elif dims[-1].step == 1:
            layout = "C"
        else:
            layout = "A"
        return Array(self, len(dims), layout)


class Number(ScalarType):
    """A scalar number: Integer, Float, Complex (and Boolean, as NumPy counts it)."""


class Integer(Number):
    def __init__(self, name: str, bitwidth: int, signed: bool):
        super().__init__(name)
        self.bitwidth = bitwidth
        self.signed = signed


class Float(Number):
    def __init__(self, name: str, bitwidth: int):
        super().__init__(name)
        self.bitwidth = bitwidth


class Complex(Number):
    def __init__(self, name: str, bitwidth: int):
        super().__init__(name)
        self.bitwidth = bitwidth


class Boolean(Number):
    pass


class NPDatetime(ScalarType):
    """NumPy's datetime64 of one unit (``unit`` as NumPy spells it, "" for generic)."""

    def __init__(self, unit: str = ""):
        super().__init__(f"datetime64[{unit}]" if unit else "datetime64")
        self.unit = unit


class NPTimedelta(ScalarType):
    """NumPy's timedelta64 of one unit (``unit`` as NumPy spells it, "" for generic)."""

    def __init__(self, unit: str = ""):
        super().__init__(f"timedelta64[{unit}]" if unit else "timedelta64")
        self.unit = unit


class BooleanLiteral(Boolean):
    """A bool argument written as the constant True or False (Numba's literal type): an
    overload may decide on ``literal_value`` (``keepdims=True``); it is a bool otherwise."""

    def __init__(self, value: bool):
        super().__init__(f"Literal[bool]({value})")
        self.literal_value = value


class NoneType(Type):
    pass


class Omitted(Type):
    """An argument left out at the call: the implementation's default applies. Compiled
    calls bind defaults themselves, so overloads see an omitted argument only as absent;
    the class exists so that ``isinstance(x, (types.NoneType, types.Omitted))`` reads."""

    def __init__(self, value: object = None):
        super().__init__(f"omitted(default={value!r})")
        self.value = value


class Literal(Type):
    """A value known when compiling; ``literal_value`` is the value (Numba's spelling)."""

    def __init__(self, name: str, value: object):
        super().__init__(name)
        self.literal_value = value


class StringLiteral(Literal):
    """A string constant ('mergesort') in compiled code. Each text is a type of its own, so an
    implementation reads it when chosen (``kind.literal_value``) and compiles for it alone."""

    def __init__(self, value: str):
        super().__init__(f"Literal[str]({value!r})", value)


class DType(Type):
    """A dtype as a value: ``np.float32``, ``float``, ``np.dtype('f8')``, ``a.dtype``; ``dtype``
    is the element type it names (Numba's ``DType.dtype``; ``NumberClass.instance_type``)."""

    def __init__(self, dtype: object):
        element = as_type(dtype)
        super().__init__(f"dtype({element.name})")
        self.dtype = self.instance_type = element


NumberClass = DType


def unliteral(t: Type) -> Type:
    """The type a literal's value has at run time (Numba's ``types.unliteral``): the type
    itself for anything but a literal; string literals have no run-time type yet."""
    return t


class Unknown(Type):
    """A type the Python layer has no class for (an overload sees it by name only)."""


def _is_full_slice(dim: object) -> bool:
    return (
        isinstance(dim, slice) and dim.start is None and dim.stop is None and dim.step in (None, 1)
    )


def _show(spec: object) -> str:
    dims = spec if isinstance(spec, tuple) else (spec,)
    return ", ".join(
        f"{d.start or ''}:{d.stop or ''}" + (f":{d.step}" if d.step is not None else "")
        if isinstance(d, slice)
        else repr(d)
        for d in dims
    )


class Array(Type):
    """An array type: element type, dimensions, layout ('C', 'F' or 'A') and readonly.
    ``types.Array(dtype, ndim, layout, readonly=False)`` as Numba spells it."""

    def __init__(self, dtype: object, ndim: int, layout: str = "A", readonly: bool = False):
        element = as_type(dtype)
        if not isinstance(element, ScalarType):
            raise TypeError(f"an array's element type is a number type, not {dtype!r}")
        if isinstance(ndim, bool) or not isinstance(ndim, int) or not 0 <= ndim <= 64:
            raise TypeError(f"an array's ndim is an int from 0 to 64, not {ndim!r}")
        if layout not in ("C", "F", "A"):
            raise ValueError(f"an array's layout is 'C', 'F' or 'A', not {layout!r}")
        if readonly is not True and readonly is not False:
            raise TypeError(f"readonly must be True or False, not {readonly!r}")
        if ndim <= 1 and layout == "F":
            layout = "C"  # one dimension: contiguous either way, typed C as NumPy's flags say
        if ndim == 0:
            layout = "C"
        self.dtype, self.ndim, self.layout, self.readonly = element, ndim, layout, readonly
        self.mutable = not readonly
        prefix = "readonly " if readonly else ""
        super().__init__(f"{prefix}array({element.name}, {ndim}d, {layout})")


ArrayType = Array


class BaseTuple(Type):
    """A tuple type; ``types`` are its elements' types."""

    def __init__(self, elements: tuple[Type, ...]):
        self.types = self.elements = elements
        self.count = len(elements)
        super().__init__(f"tuple[{', '.join(e.name for e in elements)}]")

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        return iter(self.types)


TupleType = BaseTuple

# The most elements a tuple argument may have (the extension's limit, see boxing.cpp).
_MAX_ELEMENTS = 256


class UniTuple(BaseTuple):
    """``types.UniTuple(dtype, count)``: a tuple of `count` elements of one type (a shape);
    ``dtype`` is that type."""

    def __init__(self, dtype: object, count: int):
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= _MAX_ELEMENTS:
            raise TypeError(f"UniTuple's count is an int from 0 to {_MAX_ELEMENTS}, not {count!r}")
        self.dtype = as_type(dtype)
        super().__init__((self.dtype,) * count)


class Tuple(BaseTuple):
    """``types.Tuple((t1, t2, ...))``: a tuple of these element types."""

    def __init__(self, elements: object):
        if not isinstance(elements, tuple | list):
            raise TypeError(
                f"Tuple takes a tuple of types, as Tuple((int64, float64)), not {elements!r}"
            )
        super().__init__(tuple(as_type(e) for e in elements))


class OptionalType(Type):
    """Numba's ``optional(t)``: a `t` or None. As an argument of an explicit signature it
    stands for two specializations, one taking a `t` and one taking None (see
    ``_signatures.expand``); ``type`` is `t`."""

    def __init__(self, dtype: object):
        self.type = as_type(dtype)
        if isinstance(self.type, OptionalType | NoneType):
            raise TypeError(f"optional takes a value's type, not {self.type!r}")
        super().__init__(f"optional({self.type.name})")

    def __repr__(self) -> str:
        return f"optional({self.type!r})"


def optional(dtype: object) -> Type:
    """``optional(float64)``: a float64 or None, as Numba spells it."""
    return OptionalType(dtype)


Optional = optional


def _unavailable(name: str, instead: str) -> None:
    raise TypeError(f"{name} is not a type compiled code has (yet); use {instead}")


int8 = Integer("int8", 8, True)
int16 = Integer("int16", 16, True)
int32 = Integer("int32", 32, True)
int64 = Integer("int64", 64, True)
uint8 = Integer("uint8", 8, False)
uint16 = Integer("uint16", 16, False)
uint32 = Integer("uint32", 32, False)
uint64 = Integer("uint64", 64, False)
float32 = Float("float32", 32)
float64 = Float("float64", 64)
complex64 = Complex("complex64", 64)
complex128 = Complex("complex128", 128)
boolean = Boolean("bool")
void = NoneType("none")
none = void
bool_ = b1 = boolean
intp = int_ = i8 = int64
uintp = uint = u8 = uint64
intc = i4 = int32
uintc = u4 = uint32
i2, i1, u2, u1 = int16, int8, uint16, uint8
byte = uint8
f8 = double = float_ = float64
f4 = single = float32
c16 = cdouble = complex128
c8 = csingle = complex64

# Spellings that name no type of compiled code, with what to write instead.
UNAVAILABLE = {
    "float16": "float32",
    "f2": "float32",
    "half": "float32",
}

NAMES = {
    name: value
    for name, value in dict(globals()).items()
    if isinstance(value, Type) or name in ("Array", "UniTuple", "Tuple", "optional", "Optional")
}
# Python's own names, as Numba's string signatures read them (int -> int64, float -> float64).
for _name in UNAVAILABLE:
    NAMES.pop(_name, None)
NAMES.update({"int": int64, "float": float64, "bool": boolean, "complex": complex128})


def as_type(spec: object) -> Type:
    """The Type a signature element stands for: a Type or a name of one; TypeError else."""
    if isinstance(spec, Type):
        return spec
    if isinstance(spec, str):
        from nogil._signatures import parse_type  # the string grammar

        return parse_type(spec)
    raise TypeError(f"unknown type {spec!r} in a signature")


integer_domain = frozenset({int8, int16, int32, int64, uint8, uint16, uint32, uint64})
real_domain = frozenset({float32, float64})
complex_domain = frozenset({complex64, complex128})
number_domain = integer_domain | real_domain | complex_domain

_BY_NAME = {t.name: t for t in number_domain | {boolean, none}}
_BY_NAME["None"] = none  # the compiler's name of a None argument's type
_ARRAY_NAME = re.compile(r"^(readonly )?array\((.+), (\d+)d, ([CFA])\)$")
_TIME_NAME = re.compile(r"^(datetime64|timedelta64)(?:\[(\w+)\])?$")


def from_name(name: str) -> Type:
    """The type object for a name the compiler gives (``array(float64, 2d, C)``)."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.startswith("Literal[str](") and name.endswith(")"):
        return StringLiteral(ast.literal_eval(name[len("Literal[str](") : -1]))
    if name.startswith("dtype(") and name.endswith(")"):
        return DType(from_name(name[len("dtype(") : -1]))
    match = _ARRAY_NAME.match(name)
    if match:
        return Array(from_name(match[2]), int(match[3]), match[4], bool(match[1]))
    match = _TIME_NAME.match(name)
    if match:
        return (NPDatetime if match[1] == "datetime64" else NPTimedelta)(match[2] or "")
    if name.startswith("tuple[") and name.endswith("]"):
        elements = tuple(from_name(part) for part in _split_top_level(name[6:-1]))
        if elements and all(e == elements[0] for e in elements):
            return UniTuple(elements[0], len(elements))
        return Tuple(elements)
    return Unknown(name)


def _split_top_level(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts
