"""NumPy's scalar types called on a sequence: ``np.float32((1, 2))`` and ``np.int8(a)`` make an
array of that dtype, as in NumPy (and Numba), converting each element as the scalar type's
call converts one (NumPy 2's OverflowError for an integer out of range)."""

import numpy as np

from nogil.extending import overload_method, types
from nogil.lib._axes import REAL_DTYPES


def _scalar_class(dtype):
    name = dtype.dtype.name
    if name not in REAL_DTYPES:
        raise TypeError(f"{name}() of a sequence is not supported yet")
    return np.bool_ if name == "bool" else getattr(np, name)


@overload_method(types.Array, "__numpy_scalar_call__")
def array_as_scalar_type(a, dtype):
    scalar = _scalar_class(dtype)
    if a.ndim == 0:  # NumPy gives a scalar for a 0-d array

        def element(a):
            return scalar(a.item())

        return element

    def converted(a):
        return a.astype(scalar)

    return converted


@overload_method(types.BaseTuple, "__numpy_scalar_call__")
def tuple_as_scalar_type(values, dtype):
    scalar = _scalar_class(dtype)
    if not all(isinstance(t, types.Number) for t in values.types):
        raise TypeError(f"{dtype.dtype.name}() of {values} is not supported: a tuple of numbers is")
    if len(set(values.types)) > 1:
        raise TypeError(
            f"{dtype.dtype.name}() of {values} is not supported yet: its numbers have one type"
        )
    count = len(values)
    if count == 0:

        def empty(values):
            return np.empty(0, scalar)

        return empty

    def from_tuple(values):
        out = np.empty(count, scalar)
        for i in range(count):
            out[i] = scalar(values[i])
        return out

    return from_tuple
