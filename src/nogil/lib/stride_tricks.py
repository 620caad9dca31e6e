"""np.lib.stride_tricks.as_strided and sliding_window_view: views of an array's memory with
other shapes and strides, from the core's primitive `a.__nogil_strided_view__(shape,
strides)` (a view with this shape and these byte strides, unchecked, as NumPy's). As in
NumPy, as_strided trusts the strides it is given; sliding_window_view's windows are
read-only, and stores into them are refused when compiling.
"""

import numpy as np

from nogil.extending import overload, register_jitable, types
from nogil.lib._axes import is_none


def _is_int_tuple(t) -> bool:
    return isinstance(t, types.BaseTuple) and all(
        isinstance(e, types.Integer) and not isinstance(e, types.Boolean) for e in t
    )


@overload(np.lib.stride_tricks.as_strided)
def as_strided(x, shape=None, strides=None, subok=None, writeable=None):
    if not isinstance(x, types.Array):
        raise TypeError(f"as_strided() takes an array, not {x}")
    if not is_none(subok) or not is_none(writeable):
        raise TypeError("as_strided(): subok= and writeable= are not supported")
    for name, given in (("shape", shape), ("strides", strides)):
        if not is_none(given) and not _is_int_tuple(given):
            raise TypeError(f"as_strided(): {name} is a tuple of ints, not {given}")
    ndim = x.ndim if is_none(shape) else len(shape)
    if not is_none(strides) and len(strides) != ndim:
        raise TypeError("as_strided(): mismatch in length of strides and shape")
    if is_none(shape) and is_none(strides):

        def same(x, shape=None, strides=None, subok=None, writeable=None):
            return x.__nogil_strided_view__(x.shape, x.strides)

        return same
    if is_none(strides):
        if len(shape) != x.ndim:
            raise TypeError("as_strided(): mismatch in length of strides and shape")

        def with_shape(x, shape=None, strides=None, subok=None, writeable=None):
            return x.__nogil_strided_view__(shape, x.strides)

        return with_shape
    if is_none(shape):

        def with_strides(x, shape=None, strides=None, subok=None, writeable=None):
            return x.__nogil_strided_view__(x.shape, strides)

        return with_strides

    def with_both(x, shape=None, strides=None, subok=None, writeable=None):
        return x.__nogil_strided_view__(shape, strides)

    return with_both


@register_jitable
def window_extent(size, window):
    if window < 0:
        raise ValueError("`window_shape` cannot contain negative values")
    if window > size:
        raise ValueError("window shape cannot be larger than input array shape")
    return size - window + 1


@overload(np.lib.stride_tricks.sliding_window_view)
def sliding_window_view(x, window_shape, axis=None, subok=None, writeable=None):
    if not isinstance(x, types.Array) or x.ndim not in (1, 2):
        raise TypeError(f"sliding_window_view() takes a 1-d or 2-d array, not {x}")
    if not is_none(axis) or not is_none(subok) or not is_none(writeable):
        raise TypeError("sliding_window_view(): axis=, subok= and writeable= are not supported")
    if isinstance(window_shape, types.Integer) and not isinstance(window_shape, types.Boolean):
        count = 1
    elif _is_int_tuple(window_shape):
        count = len(window_shape)
    else:
        raise TypeError(
            f"sliding_window_view(): window_shape is an int or a tuple of ints, not {window_shape}"
        )
    if count != x.ndim:
        raise TypeError(
            f"sliding_window_view(): since axis is None, must provide window_shape for all "
            f"dimensions of x; got {count} window_shape elements and x.ndim is {x.ndim}."
        )
    if x.ndim == 1 and count == 1 and isinstance(window_shape, types.Integer):

        def windows1(x, window_shape, axis=None, subok=None, writeable=None):
            n = window_extent(x.shape[0], window_shape)
            s = x.strides[0]
            return x.__nogil_readonly_strided_view__((n, window_shape), (s, s))

        return windows1
    if x.ndim == 1:

        def windows1_tuple(x, window_shape, axis=None, subok=None, writeable=None):
            w = window_shape[0]
            n = window_extent(x.shape[0], w)
            s = x.strides[0]
            return x.__nogil_readonly_strided_view__((n, w), (s, s))

        return windows1_tuple

    def windows2(x, window_shape, axis=None, subok=None, writeable=None):
        w0, w1 = window_shape
        n0 = window_extent(x.shape[0], w0)
        n1 = window_extent(x.shape[1], w1)
        s0, s1 = x.strides
        return x.__nogil_readonly_strided_view__((n0, n1, w0, w1), (s0, s1, s0, s1))

    return windows2
