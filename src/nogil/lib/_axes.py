"""Helpers the library's implementations share: axis checks as NumPy makes them."""

from numpy.exceptions import AxisError

from nogil.extending import register_jitable, types


@register_jitable
def normalize_axis(axis, ndim):
    """`axis` counted from the front (-1 is the last); AxisError as NumPy's."""
    if axis < -ndim or axis >= ndim:
        raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    if axis < 0:
        return axis + ndim
    return axis


def is_none(value) -> bool:
    """Whether an argument's type says it is None (given as None, or left out)."""
    return value is None or isinstance(value, types.NoneType | types.Omitted)


def check_axis_type(name: str, axis) -> None:
    if not is_none(axis) and not isinstance(axis, types.Integer | types.Boolean):
        raise TypeError(f"{name}(): axis must be an integer or None, not {axis}")


def check_array(name: str, a) -> None:
    if not isinstance(a, types.Array):
        raise TypeError(f"{name}() takes an array here, not {a}")


_OPERATIONS = {"minimum": 0, "maximum": 1, "fmin": 2, "fmax": 3}


@register_jitable
def raise_no_identity(operation):
    """NumPy's ValueError for min/max of an empty array (`operation` from _OPERATIONS)."""
    if operation == 0:
        raise ValueError("zero-size array to reduction operation minimum which has no identity")
    if operation == 1:
        raise ValueError("zero-size array to reduction operation maximum which has no identity")
    if operation == 2:
        raise ValueError("zero-size array to reduction operation fmin which has no identity")
    raise ValueError("zero-size array to reduction operation fmax which has no identity")


# The dtypes of real (not complex) arrays, by the compiler's names.
REAL_DTYPES = frozenset(
    {
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float32",
        "float64",
    }
)
