"""np.ascontiguousarray and np.asfortranarray: the array itself when its type says it is
already laid out so (NumPy returns the same object), else a copy in that order. An array
whose layout only its strides know (a view typed 'A') is copied, as Numba does: the result's
type must be C (or F) whatever the strides. A scalar or a 0-d array gives a 1-element array,
as in NumPy."""

import numpy as np

from nogil.extending import overload, types
from nogil.lib._axes import is_none


def _as_ordered(name: str, layout: str):
    def typing(a, dtype=None, like=None):
        if not is_none(like):
            raise TypeError(f"{name}(): like= is not supported")
        if isinstance(a, types.Number | types.Boolean):
            if is_none(dtype):
                return lambda a, dtype=None, like=None: np.full(1, a)
            return lambda a, dtype=None, like=None: np.full(1, a, dtype)
        if not isinstance(a, types.Array):
            raise TypeError(f"{name}() takes an array or a number here, not {a}")
        if a.ndim == 0:
            if is_none(dtype):
                return lambda a, dtype=None, like=None: a.reshape(1).copy()
            return lambda a, dtype=None, like=None: a.reshape(1).astype(dtype)
        if is_none(dtype):
            if a.layout == layout or (a.ndim == 1 and a.layout == "C"):
                return lambda a, dtype=None, like=None: a
            return lambda a, dtype=None, like=None: np.copy(a, order=layout)
        return lambda a, dtype=None, like=None: a.astype(dtype, order=layout)

    return typing


overload(np.ascontiguousarray)(_as_ordered("ascontiguousarray", "C"))
overload(np.asfortranarray)(_as_ordered("asfortranarray", "F"))
