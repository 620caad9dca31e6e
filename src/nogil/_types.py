"""The type objects of signatures, as Numba spells them: ``nogil.float64``,
``nogil.float64[:, ::1]``, ``nogil.types.Array(nogil.float64, 2, "C", readonly=True)``,
``nogil.types.UniTuple(nogil.int64, 3)``. Each reduces to the type name the extension knows
(``.name``); calling one builds a signature with it as the return type."""

from dataclasses import dataclass

from nogil.errors import TypingError


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

    def __getitem__(self, spec: object) -> "ArrayType":
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


class ArrayType(Type):
    """An array type: element type, dimensions, layout ('C', 'F' or 'A') and readonly."""

    def __init__(self, dtype: ScalarType, ndim: int, layout: str, readonly: bool):
        self.dtype, self.ndim, self.layout, self.readonly = dtype, ndim, layout, readonly
        shown = "A" if layout == "A" else layout
        prefix = "readonly " if readonly else ""
        super().__init__(f"{prefix}array({dtype.name}, {ndim}d, {shown})")


def Array(dtype: object, ndim: int, layout: str = "A", readonly: bool = False) -> ArrayType:
    """``types.Array(dtype, ndim, layout, readonly=False)``, Numba's constructor."""
    element = as_type(dtype)
    if not isinstance(element, ScalarType) or element.name == "none":
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
    return ArrayType(element, ndim, layout, readonly)


class TupleType(Type):
    def __init__(self, elements: tuple[Type, ...]):
        self.elements = elements
        super().__init__(f"tuple[{', '.join(e.name for e in elements)}]")


# The most elements a tuple argument may have (the extension's limit, see boxing.cpp).
_MAX_ELEMENTS = 256


def UniTuple(dtype: object, count: int) -> TupleType:
    """``types.UniTuple(dtype, count)``: a tuple of `count` elements of one type."""
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= _MAX_ELEMENTS:
        raise TypeError(f"UniTuple's count is an int from 0 to {_MAX_ELEMENTS}, not {count!r}")
    return TupleType((as_type(dtype),) * count)


def Tuple(elements: object) -> TupleType:
    """``types.Tuple((t1, t2, ...))``: a tuple of these element types."""
    if not isinstance(elements, tuple | list):
        raise TypeError(
            f"Tuple takes a tuple of types, as Tuple((int64, float64)), not {elements!r}"
        )
    return TupleType(tuple(as_type(e) for e in elements))


def optional(dtype: object) -> Type:
    """Numba's ``optional(t)`` (a value or None) is not in the language yet."""
    raise TypingError(
        f"optional({as_type(dtype)!r}) in a signature: optional types (a value or None) are "
        "not supported by nogil yet; give the value's type, or two signatures"
    )


Optional = optional


def _unavailable(name: str, instead: str) -> None:
    raise TypeError(f"{name} is not a type compiled code has (yet); use {instead}")


int8 = ScalarType("int8")
int16 = ScalarType("int16")
int32 = ScalarType("int32")
int64 = ScalarType("int64")
uint8 = ScalarType("uint8")
uint16 = ScalarType("uint16")
uint32 = ScalarType("uint32")
uint64 = ScalarType("uint64")
float32 = ScalarType("float32")
float64 = ScalarType("float64")
complex128 = ScalarType("complex128")
boolean = ScalarType("bool")
void = Type("none")
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

# Spellings that name no type of compiled code, with what to write instead.
UNAVAILABLE = {
    "complex64": "complex128",
    "c8": "complex128",
    "csingle": "complex128",
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
NAMES.update({"int": int64, "float": float64, "bool": boolean, "complex": complex128})


def as_type(spec: object) -> Type:
    """The Type a signature element stands for: a Type or a name of one; TypeError else."""
    if isinstance(spec, Type):
        return spec
    if isinstance(spec, str):
        from nogil._signatures import parse_type  # the string grammar

        return parse_type(spec)
    raise TypeError(f"unknown type {spec!r} in a signature")
