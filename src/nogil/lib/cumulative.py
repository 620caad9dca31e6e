"""np.cumsum and np.cumprod (and their methods), and np.argmin/np.argmax along an axis, as
NumPy computes them: cumulative results in sum's accumulator dtype, flattened in C order
without an axis; the index of the first extremum, a NaN counting as one."""

import numpy as np

from nogil import _overloads
from nogil.extending import overload, register_jitable
from nogil.lib._axes import check_array, check_axis_type, is_none, normalize_axis
from nogil.lib.reductions import accumulator, add, multiply, requested_dtype, with_dtype

_core_argmin = _overloads.Primitive("numpy.argmin")
_core_argmax = _overloads.Primitive("numpy.argmax")


def _flat_running(op, make, start, ndim: int, rtype):
    """op accumulated over the elements in C order, into a 1-d array (axis=None)."""
    if ndim == 1:

        def running1(a, axis=None):
            out = np.empty(a.shape[0], rtype)
            acc = make(start)
            for i in range(a.shape[0]):
                acc = op(acc, a[i])
                out[i] = acc
            return out

        return running1
    if ndim == 2:

        def running2(a, axis=None):
            n, m = a.shape
            out = np.empty(n * m, rtype)
            acc = make(start)
            for i in range(n):
                for j in range(m):
                    acc = op(acc, a[i, j])
                    out[i * m + j] = acc
            return out

        return running2
    raise TypeError(f"cumulative functions of {ndim}-dimensional arrays are not supported yet")


def _running_along(op, make, start, ndim: int, rtype):
    """op accumulated along one axis: the result has the array's shape."""
    if ndim == 1:

        def along1(a, axis=None):
            normalize_axis(axis, 1)
            out = np.empty(a.shape[0], rtype)
            acc = make(start)
            for i in range(a.shape[0]):
                acc = op(acc, a[i])
                out[i] = acc
            return out

        return along1
    if ndim == 2:

        def along2(a, axis=None):
            axis = normalize_axis(axis, 2)
            n, m = a.shape
            out = np.empty((n, m), rtype)
            if axis == 0:
                for j in range(m):
                    acc = make(start)
                    for i in range(n):
                        acc = op(acc, a[i, j])
                        out[i, j] = acc
                return out
            for i in range(n):
                acc = make(start)
                for j in range(m):
                    acc = op(acc, a[i, j])
                    out[i, j] = acc
            return out

        return along2
    raise TypeError(f"cumulative functions along an axis of {ndim}-d arrays are not supported yet")


def _register_running(function, name: str, op, start):
    def choose(ndim, axis, rtype):
        if is_none(axis):
            return _flat_running(op, rtype, start, ndim, rtype)
        return _running_along(op, rtype, start, ndim, rtype)

    @overload(function)
    def typing(a, axis=None, dtype=None, out=None):
        check_array(name, a)
        check_axis_type(name, axis)
        if not is_none(out):
            raise TypeError(f"{name}(): out= is not supported yet")
        rtype = accumulator(name, a)
        if is_none(dtype):
            return _dropping_out(with_dtype(choose(a.ndim, axis, rtype)))
        rtype = requested_dtype(name, dtype)
        return _dropping_out(with_dtype(choose(a.ndim, axis, rtype), rtype))


def _dropping_out(implementation):
    inner = register_jitable(implementation)

    def run(a, axis=None, dtype=None, out=None):
        return inner(a, axis, dtype)

    return run


_register_running(np.cumsum, "cumsum", add, 0)
_register_running(np.cumprod, "cumprod", multiply, 1)


def _arg_extremum(ndim: int, smaller: bool, core):
    if ndim == 1:

        def arg1(a, axis=None):
            normalize_axis(axis, 1)
            return core(a)

        return arg1
    if ndim == 2:

        def arg2(a, axis=None):
            axis = normalize_axis(axis, 2)
            n, m = a.shape
            if a.shape[axis] == 0:
                if smaller:
                    raise ValueError("attempt to get argmin of an empty sequence")
                raise ValueError("attempt to get argmax of an empty sequence")
            if axis == 0:
                out = np.empty(m, np.int64)
                for j in range(m):
                    best = 0
                    for i in range(1, n):
                        x = a[i, j]
                        held = a[best, j]
                        if held != held:
                            break
                        if x != x or (x < held if smaller else x > held):
                            best = i
                    out[j] = best
                return out
            out = np.empty(n, np.int64)
            for i in range(n):
                out[i] = core(a[i])
            return out

        return arg2
    raise TypeError(f"argmin/argmax along an axis of {ndim}-d arrays are not supported yet")


def _register_arg_extremum(function, name: str, smaller: bool, core):
    @overload(function)
    def typing(a, axis=None):
        check_array(name, a)
        check_axis_type(name, axis)
        accumulator(name, a)
        if is_none(axis):

            def whole(a, axis=None):
                return core(a)

            return whole
        return _arg_extremum(a.ndim, smaller, core)


_register_arg_extremum(np.argmin, "argmin", True, _core_argmin)
_register_arg_extremum(np.argmax, "argmax", False, _core_argmax)
