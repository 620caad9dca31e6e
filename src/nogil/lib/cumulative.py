"""np.cumsum and np.cumprod (and their methods), and np.argmin/np.argmax along an axis, as
NumPy computes them: cumulative results in sum's accumulator dtype, flattened in C order
without an axis; the index of the first extremum, a NaN counting as one."""

import numpy as np

from nogil import _overloads
from nogil.decorators import njit
from nogil.extending import overload, types
from nogil.lib._axes import check_array, check_axis_type, is_none, normalize_axis
from nogil.lib._blocks import (
    flat_block,
    keepdims_value,
    keeping_dims,
    split_at_axis,
    without_axes,
)
from nogil.lib.reduction_out import computing, into_out
from nogil.lib.reductions import (
    accumulator,
    add,
    check_unsupported,
    computed_in,
    multiply,
    requested_dtype,
)

_core_argmin = _overloads.Primitive("numpy.argmin")
_core_argmax = _overloads.Primitive("numpy.argmax")


def _flat_running(op, make, start, rtype):
    """op accumulated over the elements in C order, into a 1-d array (axis=None)."""

    def running(a, axis=None):
        block = flat_block(a)
        rows, n = block.shape[0], block.shape[1]
        out = np.empty(rows * n, rtype)
        acc = make(start)
        for i in range(rows):
            for k in range(n):
                acc = op(acc, block[i, k, 0])
                out[i * n + k] = acc
        return out

    return running


def _running_along(op, make, start, ndim: int, rtype):
    """op accumulated along one axis: the result has the array's shape. The array is seen
    as a (before, n, after) block and accumulated along its middle axis."""

    def along(a, axis=None):
        axis = normalize_axis(axis, ndim)
        before, n, after = split_at_axis(a.shape, axis)
        block = a.reshape((before, n, after))
        out = np.empty((before, n, after), rtype)
        if after == 1:
            for i in range(before):
                acc = make(start)
                for k in range(n):
                    acc = op(acc, block[i, k, 0])
                    out[i, k, 0] = acc
            return out.reshape(a.shape)
        for i in range(before):
            if n > 0:
                for j in range(after):
                    out[i, 0, j] = op(make(start), block[i, 0, j])
            for k in range(1, n):
                for j in range(after):
                    out[i, k, j] = op(out[i, k - 1, j], block[i, k, j])
        return out.reshape(a.shape)

    return along


def _register_running(function, name: str, op, start):
    @overload(function)
    def typing(a, axis=None, dtype=None, out=None):
        check_array(name, a)
        check_axis_type(name, axis)
        rtype = accumulator(name, a)
        if not is_none(out):
            return into_out("running", name, a, axis, out, None, computing(function, None))
        if not is_none(dtype):
            return computed_in(function, requested_dtype(name, dtype), keep=None)
        inner = njit(
            _flat_running(op, rtype, start, rtype)
            if is_none(axis)
            else _running_along(op, rtype, start, a.ndim, rtype)
        )
        return lambda a, axis=None, dtype=None, out=None: inner(a, axis)


_register_running(np.cumsum, "cumsum", add, 0)
_register_running(np.cumprod, "cumprod", multiply, 1)


def _arg_extremum(ndim: int, smaller: bool, core):
    """argmin/argmax along an axis: the index of the first extremum along the middle axis of
    the (before, n, after) block, a NaN counting as one (the first NaN wins)."""
    if ndim == 1:

        def arg1(a, axis=None):
            normalize_axis(axis, 1)
            return core(a)

        return arg1

    def along(a, axis=None):
        axis = normalize_axis(axis, ndim)
        before, n, after = split_at_axis(a.shape, axis)
        if n == 0:
            if smaller:
                raise ValueError("attempt to get argmin of an empty sequence")
            raise ValueError("attempt to get argmax of an empty sequence")
        block = a.reshape((before, n, after))
        out = np.empty((before, after), np.int64)
        # Every column at once, a row at a time: the inner loop reads contiguous memory
        # where a column alone would stride through it.
        held = np.empty(after, a.dtype)
        for i in range(before):
            if after == 1:
                out[i, 0] = core(block[i, :, 0])
                continue
            for j in range(after):
                held[j] = block[i, 0, j]
                out[i, j] = 0
            for k in range(1, n):
                for j in range(after):
                    h = held[j]
                    x = block[i, k, j]
                    if h == h and (x != x or (x < h if smaller else x > h)):
                        out[i, j] = k
                        held[j] = x
        return out.reshape(without_axes(a.shape, (axis,)))

    return along


def _complex_arg_extremum(smaller: bool):
    """argmin/argmax of a whole complex array: NumPy's lexicographic order (the real parts,
    then the imaginary ones), the first element with a NaN part winning."""

    def complex_arg(a, axis=None):
        flat = a.ravel()
        n = flat.shape[0]
        if n == 0:
            if smaller:
                raise ValueError("attempt to get argmin of an empty sequence")
            raise ValueError("attempt to get argmax of an empty sequence")
        best = 0
        h = flat[0]
        if h.real != h.real or h.imag != h.imag:
            return 0
        for k in range(1, n):
            x = flat[k]
            if x.real != x.real or x.imag != x.imag:
                return k
            if smaller:
                better = x.real < h.real or (x.real == h.real and x.imag < h.imag)
            else:
                better = x.real > h.real or (x.real == h.real and x.imag > h.imag)
            if better:
                best = k
                h = x
        return best

    return complex_arg


def _register_arg_extremum(function, name: str, smaller: bool, core):
    @overload(function)
    def typing(a, axis=None, out=None, keepdims=False):
        check_array(name, a)
        check_axis_type(name, axis)
        check_unsupported(name, out=out)
        keep = keepdims_value(name, keepdims)
        if isinstance(a.dtype, types.Complex) and is_none(axis):
            inner = keeping_dims(_complex_arg_extremum(smaller), a.ndim, axis, keep)
            return lambda a, axis=None, out=None, keepdims=False: inner(a, axis)
        accumulator(name, a)
        if is_none(axis):

            def reduction(a, axis=None):
                return core(a)

        else:
            reduction = _arg_extremum(a.ndim, smaller, core)
        inner = keeping_dims(reduction, a.ndim, axis, keep)
        return lambda a, axis=None, out=None, keepdims=False: inner(a, axis)


_register_arg_extremum(np.argmin, "argmin", True, _core_argmin)
_register_arg_extremum(np.argmax, "argmax", False, _core_argmax)
