"""The types compiled code has, as objects an overload inspects (Numba's ``numba.types``
spelling): ``isinstance(a, types.Array)``, ``a.dtype``, ``a.ndim``, ``a.layout``,
``isinstance(axis, (types.NoneType, types.Omitted))``, ``isinstance(x, types.Integer)``."""

import re


class Type:
    """A type of compiled code; equal types are the same object's equals."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Type) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


class Number(Type):
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


class NoneType(Type):
    pass


class Omitted(Type):
    """An argument left out at the call: the implementation's default applies. Compiled
    calls bind defaults themselves, so overloads see an omitted argument only as absent;
    the class exists so that ``isinstance(x, (types.NoneType, types.Omitted))`` reads."""

    def __init__(self, value: object = None):
        super().__init__(f"omitted(default={value!r})")
        self.value = value


class Array(Type):
    def __init__(self, dtype: Type, ndim: int, layout: str, readonly: bool = False):
        super().__init__(f"{'readonly ' if readonly else ''}array({dtype}, {ndim}d, {layout})")
        self.dtype = dtype
        self.ndim = ndim
        self.layout = layout
        self.readonly = readonly
        self.mutable = not readonly


class BaseTuple(Type):
    def __init__(self, name: str, types: tuple[Type, ...]):
        super().__init__(name)
        self.types = types
        self.count = len(types)

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        return iter(self.types)


class UniTuple(BaseTuple):
    """A tuple whose elements have one type (a shape): ``dtype`` is that type."""

    def __init__(self, name: str, types: tuple[Type, ...]):
        super().__init__(name, types)
        self.dtype = types[0]


class Tuple(BaseTuple):
    pass


class Unknown(Type):
    pass


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
none = NoneType("none")
intp = int64
uintp = uint64
bool_ = boolean
b1 = boolean
i1, i2, i4, i8 = int8, int16, int32, int64
u1, u2, u4, u8 = uint8, uint16, uint32, uint64
f4, f8 = float32, float64
c8, c16 = complex64, complex128

integer_domain = frozenset({int8, int16, int32, int64, uint8, uint16, uint32, uint64})
real_domain = frozenset({float32, float64})
complex_domain = frozenset({complex64, complex128})
number_domain = integer_domain | real_domain | complex_domain

_SCALARS = {t.name: t for t in number_domain | {boolean, none}}
_ARRAY = re.compile(r"^(readonly )?array\((.+), (\d+)d, ([CFA])\)$")


def from_name(name: str) -> Type:
    """The type object for a name the compiler gives (``array(float64, 2d, C)``)."""
    if name in _SCALARS:
        return _SCALARS[name]
    match = _ARRAY.match(name)
    if match:
        return Array(from_name(match[2]), int(match[3]), match[4], bool(match[1]))
    if name.startswith("tuple[") and name.endswith("]"):
        elements = tuple(from_name(part) for part in _split_top_level(name[6:-1]))
        if elements and all(e == elements[0] for e in elements):
            return UniTuple(name, elements)
        return Tuple(name, elements)
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
