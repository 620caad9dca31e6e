"""np.sum, prod, min, max, all, any (and their methods) with ``axis=``, as NumPy computes them.

Each typing function picks an implementation by the array's dimensions and whether an axis
is given; the scalar step (add, multiply, NaN-propagating min...) is a small jitable function
the implementation calls, which LLVM inlines. Whole-array sums, means, minima and maxima
stay the core's primitives (pairwise summation, vectorized loops): the implementation for
``axis=None`` calls them, so they cost what they cost before the library layer.
"""

import numpy as np

from nogil import _overloads
from nogil.extending import overload, register_jitable, types
from nogil.lib._axes import (
    _OPERATIONS,
    check_array,
    check_axis_type,
    is_none,
    normalize_axis,
    raise_no_identity,
)

_core_sum = _overloads.Primitive("numpy.sum")
_core_min = _overloads.Primitive("numpy.min")
_core_max = _overloads.Primitive("numpy.max")


@register_jitable
def add(acc, x):
    return acc + x


@register_jitable
def multiply(acc, x):
    return acc * x


@register_jitable
def minimum(acc, x):
    if x < acc or x != x:  # a NaN wins and stays, as in np.min
        return x
    return acc


@register_jitable
def maximum(acc, x):
    if x > acc or x != x:
        return x
    return acc


@register_jitable
def logical_and(acc, x):
    return acc and x != 0


@register_jitable
def logical_or(acc, x):
    return acc or x != 0


_ACCUMULATORS = {  # NumPy's result dtype of sum and prod: small integers widen
    "bool": np.int64,
    "int8": np.int64,
    "int16": np.int64,
    "int32": np.int64,
    "int64": np.int64,
    "uint8": np.uint64,
    "uint16": np.uint64,
    "uint32": np.uint64,
    "uint64": np.uint64,
    "float32": np.float32,
    "float64": np.float64,
    "complex64": np.complex64,
    "complex128": np.complex128,
}
_SCALAR_TYPES = {**{name: getattr(np, name) for name in _ACCUMULATORS if name != "bool"}}
_SCALAR_TYPES["bool"] = np.bool_


def accumulator(name: str, a) -> type:
    if a.dtype.name not in _ACCUMULATORS:
        raise TypeError(f"{name}() of {a.dtype} arrays is not supported yet")
    return _ACCUMULATORS[a.dtype.name]


def folding(op, make, start, ndim: int):
    """An implementation folding `op` over every element (axis=None), from make(start)."""
    if ndim == 1:

        def fold1(a, axis=None):
            acc = make(start)
            for i in range(a.shape[0]):
                acc = op(acc, a[i])
            return acc

        return fold1
    if ndim == 2:

        def fold2(a, axis=None):
            acc = make(start)
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    acc = op(acc, a[i, j])
            return acc

        return fold2
    if ndim == 3:

        def fold3(a, axis=None):
            acc = make(start)
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    for k in range(a.shape[2]):
                        acc = op(acc, a[i, j, k])
            return acc

        return fold3
    raise TypeError(f"reductions of {ndim}-dimensional arrays are not supported yet")


def _along_axis(op, make, start, ndim: int, rtype, row=None):
    """An implementation folding `op` along one axis into a new array of `rtype`; along the
    last axis, `row` (the core's primitive, when given) reduces each row instead."""
    if row is not None and ndim == 2:

        def rows2(a, axis):
            axis = normalize_axis(axis, 2)
            n, m = a.shape
            if axis == 0:
                out = np.full(m, make(start), rtype)
                for i in range(n):
                    for j in range(m):
                        out[j] = op(out[j], a[i, j])
                return out
            out = np.empty(n, rtype)
            for i in range(n):
                out[i] = row(a[i])
            return out

        return rows2
    if ndim == 1:

        def along1(a, axis):
            normalize_axis(axis, 1)
            acc = make(start)
            for i in range(a.shape[0]):
                acc = op(acc, a[i])
            return acc

        return along1
    if ndim == 2:

        def along2(a, axis):
            axis = normalize_axis(axis, 2)
            n, m = a.shape
            if axis == 0:
                out = np.full(m, make(start), rtype)
                for i in range(n):
                    for j in range(m):
                        out[j] = op(out[j], a[i, j])
                return out
            out = np.full(n, make(start), rtype)
            for i in range(n):
                acc = make(start)
                for j in range(m):
                    acc = op(acc, a[i, j])
                out[i] = acc
            return out

        return along2
    if ndim == 3:

        def along3(a, axis):
            axis = normalize_axis(axis, 3)
            n, m, p = a.shape
            if axis == 0:
                out = np.full((m, p), make(start), rtype)
                for i in range(n):
                    for j in range(m):
                        for k in range(p):
                            out[j, k] = op(out[j, k], a[i, j, k])
                return out
            if axis == 1:
                out = np.full((n, p), make(start), rtype)
                for i in range(n):
                    for j in range(m):
                        for k in range(p):
                            out[i, k] = op(out[i, k], a[i, j, k])
                return out
            out = np.full((n, m), make(start), rtype)
            for i in range(n):
                for j in range(m):
                    acc = make(start)
                    for k in range(p):
                        acc = op(acc, a[i, j, k])
                    out[i, j] = acc
            return out

        return along3
    raise TypeError(f"reductions of {ndim}-dimensional arrays are not supported yet")


def requested_dtype(name: str, dtype):
    """The scalar class a ``dtype=`` argument names (np.float32 for ``dtype=np.float32``,
    ``'f4'`` or ``np.dtype('float32')``); TypeError for one the library does not take."""
    text = None
    if isinstance(dtype, types.DType):
        text = dtype.dtype.name
    elif isinstance(dtype, types.StringLiteral):
        try:
            text = np.dtype(dtype.literal_value).name
        except TypeError:
            raise TypeError(f"data type {dtype.literal_value!r} not understood") from None
    if text not in _SCALAR_TYPES or text == "bool":
        raise TypeError(f"{name}(): dtype={dtype} is not supported yet")
    return _SCALAR_TYPES[text]


def with_dtype(implementation, rtype=None):
    """`implementation(a, axis)` as an implementation taking ``dtype=`` too: with `rtype`,
    of the array converted to it first (NumPy casts each element to the dtype it computes
    in), else of the array itself."""
    inner = register_jitable(implementation)
    if rtype is None:

        def keeping(a, axis=None, dtype=None):
            return inner(a, axis)

        return keeping

    def converting(a, axis=None, dtype=None):
        return inner(a.astype(rtype), axis)

    return converting


# The dtypes whose whole-array sum the core computes in the dtype itself (pairwise for floats).
_CORE_SUM_DTYPES = frozenset({np.float32, np.float64, np.int64, np.uint64})


def _register_fold(function, name: str, op, start, core=None):
    """overload of np.<name> folding `op` from `start` in NumPy's accumulator dtype, or in
    the dtype= given."""

    def choose(a, axis, rtype, core):
        if is_none(axis):
            if core is not None and not isinstance(a.dtype, types.Complex):
                return _calling(core)
            return folding(op, rtype, start, a.ndim)
        return _along_axis(op, rtype, start, a.ndim, rtype, core)

    @overload(function)
    def typing(a, axis=None, dtype=None):
        check_array(name, a)
        check_axis_type(name, axis)
        if isinstance(a.dtype, types.Complex) and not is_none(axis) and a.ndim > 1:
            raise TypeError(
                f"{name}(axis=) of complex arrays of 2 or more dimensions is not supported yet"
            )
        if is_none(dtype):
            return with_dtype(choose(a, axis, accumulator(name, a), core))
        accumulator(name, a)
        rtype = requested_dtype(name, dtype)
        exact_core = core if rtype in _CORE_SUM_DTYPES else None
        return with_dtype(choose(a, axis, rtype, exact_core), rtype)

    return typing


def _register_logical(function, name: str, op, start):
    @overload(function)
    def typing(a, axis=None):
        check_array(name, a)
        check_axis_type(name, axis)
        if a.dtype.name not in _ACCUMULATORS:
            raise TypeError(f"{name}() of {a.dtype} arrays is not supported yet")
        if is_none(axis):
            return folding(op, bool, start, a.ndim)
        return _along_axis(op, bool, start, a.ndim, bool)

    return typing


def _calling(core):
    def whole(a, axis=None):
        return core(a)

    return whole


_register_fold(np.sum, "sum", add, 0, core=_core_sum)
_register_fold(np.prod, "prod", multiply, 1)
_register_logical(np.all, "all", logical_and, True)
_register_logical(np.any, "any", logical_or, False)


def _extremum_along_axis(op, ndim: int, what: str):
    """np.min/np.max along an axis: ValueError on an empty reduction, as NumPy's."""
    operation = _OPERATIONS[what]
    if ndim == 1:

        def extremum1(a, axis):
            normalize_axis(axis, 1)
            if a.shape[0] == 0:
                raise_no_identity(operation)
            acc = a[0]
            for i in range(1, a.shape[0]):
                acc = op(acc, a[i])
            return acc

        return extremum1
    if ndim == 2:

        def extremum2(a, axis):
            axis = normalize_axis(axis, 2)
            n, m = a.shape
            if a.shape[axis] == 0:
                raise_no_identity(operation)
            if axis == 0:
                out = np.empty(m, a.dtype)
                for j in range(m):
                    out[j] = a[0, j]
                for i in range(1, n):
                    for j in range(m):
                        out[j] = op(out[j], a[i, j])
                return out
            out = np.empty(n, a.dtype)
            for i in range(n):
                acc = a[i, 0]
                for j in range(1, m):
                    acc = op(acc, a[i, j])
                out[i] = acc
            return out

        return extremum2
    if ndim == 3:

        def extremum3(a, axis):
            axis = normalize_axis(axis, 3)
            n, m, p = a.shape
            if a.shape[axis] == 0:
                raise_no_identity(operation)
            if axis == 0:
                out = np.empty((m, p), a.dtype)
                for j in range(m):
                    for k in range(p):
                        acc = a[0, j, k]
                        for i in range(1, n):
                            acc = op(acc, a[i, j, k])
                        out[j, k] = acc
                return out
            if axis == 1:
                out = np.empty((n, p), a.dtype)
                for i in range(n):
                    for k in range(p):
                        acc = a[i, 0, k]
                        for j in range(1, m):
                            acc = op(acc, a[i, j, k])
                        out[i, k] = acc
                return out
            out = np.empty((n, m), a.dtype)
            for i in range(n):
                for j in range(m):
                    acc = a[i, j, 0]
                    for k in range(1, p):
                        acc = op(acc, a[i, j, k])
                    out[i, j] = acc
            return out

        return extremum3
    raise TypeError(f"reductions of {ndim}-dimensional arrays are not supported yet")


@register_jitable
def nat_minimum(acc, x):
    if x < acc or np.isnat(x):  # NaT wins and stays, as NaN in np.min
        return x
    return acc


@register_jitable
def nat_maximum(acc, x):
    if x > acc or np.isnat(x):
        return x
    return acc


def _time_extremum(op, what: str):
    """np.min/np.max of a whole datetime64 or timedelta64 array (NaT propagates)."""
    operation = _OPERATIONS[what]

    def whole_time(a, axis=None):
        flat = a.ravel()
        if flat.shape[0] == 0:
            raise_no_identity(operation)
        acc = flat[0]
        for i in range(1, flat.shape[0]):
            acc = op(acc, flat[i])
        return acc

    return whole_time


_TIME_OPS = {"minimum": nat_minimum, "maximum": nat_maximum}


def _register_extremum(functions, name: str, op, core, what: str):
    for function in functions:

        @overload(function)
        def typing(a, axis=None):
            check_array(name, a)
            check_axis_type(name, axis)
            if isinstance(a.dtype, types.NPDatetime | types.NPTimedelta):
                if is_none(axis):
                    return _time_extremum(_TIME_OPS[what], what)
                return _extremum_along_axis(_TIME_OPS[what], a.ndim, what)
            if a.dtype.name not in _ACCUMULATORS:
                raise TypeError(f"{name}() of {a.dtype} arrays is not supported yet")
            if is_none(axis):
                return _calling(core)
            return _extremum_along_axis(op, a.ndim, what)


_register_extremum((np.min, np.amin), "min", minimum, _core_min, "minimum")
_register_extremum((np.max, np.amax), "max", maximum, _core_max, "maximum")
