"""np.real and np.imag, as NumPy defines them: the value's .real and .imag (for a complex
array, views that write through to it)."""

import numpy as np

from nogil.extending import overload, types


def _check_number(name, val):
    if not isinstance(val, (types.Array, types.Number)):
        raise TypeError(f"np.{name}() takes a number or an array, not {val}")


@overload(np.real)
def np_real(val):
    _check_number("real", val)

    def real(val):
        return val.real

    return real


@overload(np.imag)
def np_imag(val):
    _check_number("imag", val)

    def imag(val):
        return val.imag

    return imag
