"""np.nonzero, np.flatnonzero, np.repeat, np.take, np.diff (and the array
methods nonzero, repeat, take), as NumPy computes them; flat forms read the array in C
order."""

import numpy as np

from nogil.extending import overload, overload_method, register_jitable, types
from nogil.lib._axes import REAL_DTYPES, check_array, check_axis_type, is_none, normalize_axis

_REAL = REAL_DTYPES


def _check_elements(name, a, complex_ok=False):
    check_array(name, a)
    if a.dtype.name not in _REAL and not (complex_ok and isinstance(a.dtype, types.Complex)):
        raise TypeError(f"{name}() of {a.dtype} arrays is not supported yet")


def _nonzero_impl(a):
    _check_elements("nonzero", a, complex_ok=True)
    if a.ndim == 0:

        def nonzero0(a):
            raise ValueError(
                "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() "
                "instead."
            )
            return (np.empty(0, np.int64),)

        return nonzero0
    if a.ndim == 1:

        def nonzero1(a):
            n = a.shape[0]
            count = 0
            for i in range(n):
                if a[i] != 0:
                    count += 1
            idx = np.empty(count, np.int64)
            k = 0
            for i in range(n):
                if a[i] != 0:
                    idx[k] = i
                    k += 1
            return (idx,)

        return nonzero1
    if a.ndim == 2:

        def nonzero2(a):
            n, m = a.shape
            count = 0
            for i in range(n):
                for j in range(m):
                    if a[i, j] != 0:
                        count += 1
            rows = np.empty(count, np.int64)
            cols = np.empty(count, np.int64)
            k = 0
            for i in range(n):
                for j in range(m):
                    if a[i, j] != 0:
                        rows[k] = i
                        cols[k] = j
                        k += 1
            return (rows, cols)

        return nonzero2
    raise TypeError(f"nonzero() of {a.ndim}-dimensional arrays is not supported yet")


overload(np.nonzero)(_nonzero_impl)
overload_method(types.Array, "nonzero")(_nonzero_impl)


@overload(np.flatnonzero)
def np_flatnonzero(a):
    _check_elements("flatnonzero", a, complex_ok=True)

    def flatnonzero(a):
        flat = a.flatten()
        n = flat.shape[0]
        count = 0
        for i in range(n):
            if flat[i] != 0:
                count += 1
        idx = np.empty(count, np.int64)
        k = 0
        for i in range(n):
            if flat[i] != 0:
                idx[k] = i
                k += 1
        return idx

    return flatnonzero


def _repeat_impl(a, repeats, axis):
    _check_elements("repeat", a)
    check_axis_type("repeat", axis)
    if not is_none(axis) and a.ndim != 1:
        raise TypeError("repeat() along an axis of a multidimensional array is not supported yet")
    if isinstance(repeats, int | types.Integer | types.Boolean):

        def repeat_int(a, repeats, axis=None):
            if axis is not None:
                normalize_axis(axis, 1)
            flat = a.flatten()
            n = flat.shape[0]
            if repeats < 0 and n > 0:
                raise ValueError("negative dimensions are not allowed")
            out = np.empty(n * repeats, a.dtype)
            k = 0
            for i in range(n):
                x = flat[i]
                for _ in range(repeats):
                    out[k] = x
                    k += 1
            return out

        return repeat_int
    if isinstance(repeats, types.Array) and isinstance(repeats.dtype, types.Integer):
        if repeats.ndim > 1:
            raise ValueError("repeats must be a scalar or a 1-d array")

        def repeat_each(a, repeats, axis=None):
            if axis is not None:
                normalize_axis(axis, 1)
            flat = a.flatten()
            counts = repeats.flatten()
            n = flat.shape[0]
            nc = counts.shape[0]
            if nc != 1 and nc != n:
                raise ValueError("operands could not be broadcast together")
            total = 0
            for i in range(n):
                c = counts[i % nc]
                if c < 0:
                    raise ValueError("repeats may not contain negative values.")
                total += c
            out = np.empty(total, a.dtype)
            k = 0
            for i in range(n):
                x = flat[i]
                for _ in range(counts[i % nc]):
                    out[k] = x
                    k += 1
            return out

        return repeat_each
    raise TypeError(f"repeat(): repeats must be an integer or an integer array, not {repeats}")


@overload(np.repeat)
def np_repeat(a, repeats, axis=None):
    return _repeat_impl(a, repeats, axis)


@overload_method(types.Array, "repeat")
def array_repeat(a, repeats, axis=None):
    return _repeat_impl(a, repeats, axis)


def _take_impl(a, indices, axis):
    _check_elements("take", a)
    if not is_none(axis):
        raise TypeError("take(): axis= is not supported yet")
    if isinstance(indices, types.Integer):

        def take_one(a, indices, axis=None):
            flat = a.ravel()
            n = flat.shape[0]
            i = indices
            if i < -n or i >= n:
                raise IndexError(f"index {indices} is out of bounds for axis 0 with size {n}")
            if i < 0:
                i += n
            return flat[i]

        return take_one
    if isinstance(indices, types.Array) and isinstance(indices.dtype, types.Integer):

        def take_many(a, indices, axis=None):
            flat = a.ravel()
            n = flat.shape[0]
            wanted = indices.flatten()
            out = np.empty(wanted.shape[0], a.dtype)
            for k in range(wanted.shape[0]):
                i = wanted[k]
                if i < -n or i >= n:
                    raise IndexError(f"index {i} is out of bounds for axis 0 with size {n}")
                if i < 0:
                    i += n
                out[k] = flat[i]
            return out.reshape(indices.shape)

        return take_many
    raise TypeError(f"take(): indices must be integers, not {indices}")


@overload(np.take)
def np_take(a, indices, axis=None):
    return _take_impl(a, indices, axis)


@overload_method(types.Array, "take")
def array_take(a, indices, axis=None):
    return _take_impl(a, indices, axis)


@register_jitable
def _subtract(later, earlier):
    return later - earlier


@register_jitable
def _differs(later, earlier):
    return later != earlier


@overload(np.diff)
def np_diff(a, n=1, axis=-1):
    _check_elements("diff", a, complex_ok=True)
    if a.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    if not isinstance(n, int | types.Integer | types.Boolean):
        raise TypeError(f"diff(): n must be an integer, not {n}")
    if not isinstance(axis, int | types.Integer | types.Boolean):
        raise TypeError(f"diff(): axis must be an integer, not {axis}")
    step = _differs if a.dtype.name == "bool" else _subtract  # NumPy's diff of bools
    if a.ndim == 1:

        def diff1(a, n=1, axis=-1):
            if n == 0:
                return a.copy()
            if n < 0:
                raise ValueError(f"order must be non-negative but got {n}")
            normalize_axis(axis, 1)
            work = a.copy()
            length = work.shape[0]
            for _ in range(min(n, length)):
                length -= 1
                for i in range(length):
                    work[i] = step(work[i + 1], work[i])
            if n >= a.shape[0]:
                return work[:0].copy()
            return work[:length].copy()

        return diff1
    if a.ndim == 2:

        def diff2(a, n=1, axis=-1):
            if n == 0:
                return a.copy()
            if n < 0:
                raise ValueError(f"order must be non-negative but got {n}")
            axis = normalize_axis(axis, 2)
            work = a.copy()
            rows, cols = work.shape
            if axis == 1:
                length = cols
                for _ in range(min(n, cols)):
                    length -= 1
                    for r in range(rows):
                        for i in range(length):
                            work[r, i] = step(work[r, i + 1], work[r, i])
                return work[:, :length].copy()
            length = rows
            for _ in range(min(n, rows)):
                length -= 1
                for i in range(length):
                    for c in range(cols):
                        work[i, c] = step(work[i + 1, c], work[i, c])
            return work[:length].copy()

        return diff2
    raise TypeError(f"diff() of {a.ndim}-dimensional arrays is not supported yet")
