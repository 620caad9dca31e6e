"""np.sum, prod, min, max, all, any (and their methods) with ``axis=``, as NumPy computes them.

Each typing function picks an implementation by the array's dimensions and whether an axis
is given; the scalar step (add, multiply, NaN-propagating min...) is a small jitable function
the implementation calls, which LLVM inlines. Whole-array sums, means, minima and maxima
stay the core's primitives (pairwise summation, vectorized loops): the implementation for
``axis=None`` calls them, so they cost what they cost before the library layer.
"""

import numpy as np

from nogil import _overloads
from nogil.decorators import njit
from nogil.extending import overload, register_jitable, types
from nogil.lib._axes import (
    _OPERATIONS,
    check_array,
    is_none,
    raise_no_identity,
)
from nogil.lib._blocks import (
    along_axes,
    check_axes_type,
    flat_block,
    keepdims_value,
    keeping_dims,
)
from nogil.lib.reduction_out import computing, computing_logical, into_out

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
    """An implementation folding `op` over every element in C order (axis=None), from
    make(start)."""
    if ndim == 1:

        def fold1(a, axis=None):
            acc = make(start)
            for i in range(a.shape[0]):
                acc = op(acc, a[i])
            return acc

        return fold1

    def fold(a, axis=None):
        block = flat_block(a)
        acc = make(start)
        for i in range(block.shape[0]):
            for k in range(block.shape[1]):
                acc = op(acc, block[i, k, 0])
        return acc

    return fold


def fold_block(op, make, start, rtype, row=None):
    """The compiled block reduction (before, n, after) -> (before, after) folding `op` from
    make(start) into `rtype`; along a last axis (after 1), `row` (the core's primitive, when
    given) reduces each row."""

    if row is None:

        @njit
        def reduce_row(block, i):
            acc = make(start)
            for k in range(block.shape[1]):
                acc = op(acc, block[i, k, 0])
            return acc

    else:

        @njit
        def reduce_row(block, i):
            return row(block[i, :, 0])

    @njit
    def reduce_block(block):
        before, n, after = block.shape
        out = np.empty((before, after), rtype)
        if after == 1:
            for i in range(before):
                out[i, 0] = reduce_row(block, i)
            return out
        for i in range(before):
            for j in range(after):
                out[i, j] = make(start)
            for k in range(n):
                for j in range(after):
                    out[i, j] = op(out[i, j], block[i, k, j])
        return out

    return reduce_block


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


def as_dtype(value, rtype):
    """Placeholder bound to the overload below: `value` (a number or an array) as `rtype`."""


@overload(as_dtype)
def _as_dtype_typing(value, rtype):
    if isinstance(value, types.Array):
        return lambda value, rtype: value.astype(rtype)
    return lambda value, rtype: rtype(value)


def computed_in(function, rtype, keep: bool):
    """np.<function> computed in `rtype` (a ``dtype=`` argument): of the array converted to
    it, the result converted to it too (NumPy's integer accumulators are wider; the low bits
    of an integer sum or product are the same either way)."""
    if keep is None:  # no keepdims (cumsum, cumprod)
        return lambda a, axis=None, dtype=None, out=None: as_dtype(
            function(a.astype(rtype), axis), rtype
        )
    if keep:
        return lambda a, axis=None, dtype=None, out=None, keepdims=False: as_dtype(
            function(a.astype(rtype), axis, keepdims=True), rtype
        )
    return lambda a, axis=None, dtype=None, out=None, keepdims=False: as_dtype(
        function(a.astype(rtype), axis), rtype
    )


def check_unsupported(name: str, **arguments) -> None:
    for argument, value in arguments.items():
        if not is_none(value):
            raise TypeError(f"{name}(): {argument}= is not supported yet")


def _register_fold(function, name: str, op, start, core=None, operation="add"):
    """overload of np.<name> folding `op` from `start` in NumPy's accumulator dtype."""

    @overload(function)
    def typing(a, axis=None, dtype=None, out=None, keepdims=False):
        check_array(name, a)
        check_axes_type(name, axis)
        keep = keepdims_value(name, keepdims)
        rtype = accumulator(name, a)
        if not is_none(out):
            return into_out("fold", operation, a, axis, out, keep, computing(function, keep))
        if not is_none(dtype):
            return computed_in(function, requested_dtype(name, dtype), keep)
        if isinstance(a.dtype, types.Complex) and not is_none(axis) and a.ndim > 1:
            raise TypeError(
                f"{name}(axis=) of complex arrays of 2 or more dimensions is not supported yet"
            )
        # the core's sums take real numbers
        primitive = None if isinstance(a.dtype, types.Complex) else core
        if is_none(axis):
            reduction = (
                _calling(primitive) if primitive is not None else folding(op, rtype, start, a.ndim)
            )
        else:
            reduction = along_axes(fold_block(op, rtype, start, rtype, primitive), a.ndim, axis)
        if is_none(axis) and not keep and primitive is not None:
            return reduction
        inner = keeping_dims(reduction, a.ndim, axis, keep)
        return lambda a, axis=None, dtype=None, out=None, keepdims=False: inner(a, axis)

    return typing


def _register_logical(function, name: str, op, start):
    @overload(function)
    def typing(a, axis=None, out=None, keepdims=False):
        check_array(name, a)
        check_axes_type(name, axis)
        keep = keepdims_value(name, keepdims)
        if a.dtype.name not in _ACCUMULATORS:
            raise TypeError(f"{name}() of {a.dtype} arrays is not supported yet")
        if not is_none(out):
            operation = "logical_and" if name == "all" else "logical_or"
            return into_out(
                "logical", operation, a, axis, out, keep, computing_logical(function, keep)
            )
        if is_none(axis):
            reduction = folding(op, bool, start, a.ndim)
        else:
            reduction = along_axes(fold_block(op, bool, start, bool), a.ndim, axis)
        inner = keeping_dims(reduction, a.ndim, axis, keep)
        return lambda a, axis=None, out=None, keepdims=False: inner(a, axis)

    return typing


def _calling(core):
    def whole(a, axis=None, dtype=None, out=None, keepdims=False):
        return core(a)

    return whole


_register_fold(np.sum, "sum", add, 0, core=_core_sum)
_register_fold(np.prod, "prod", multiply, 1, operation="multiply")
_register_logical(np.all, "all", logical_and, True)
_register_logical(np.any, "any", logical_or, False)


def extremum_block(op, what: str):
    """The compiled block reduction of np.min/np.max (`op`): ValueError on an empty
    reduction, as NumPy's (`what` names it)."""
    operation = _OPERATIONS[what]

    @njit
    def reduce_block(block):
        before, n, after = block.shape
        if n == 0:
            raise_no_identity(operation)
        out = np.empty((before, after), block.dtype)
        if after == 1:
            for i in range(before):
                acc = block[i, 0, 0]
                for k in range(1, n):
                    acc = op(acc, block[i, k, 0])
                out[i, 0] = acc
            return out
        for i in range(before):
            for j in range(after):
                out[i, j] = block[i, 0, j]
            for k in range(1, n):
                for j in range(after):
                    out[i, j] = op(out[i, j], block[i, k, j])
        return out

    return reduce_block


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


_TIME_OPS = {"minimum": nat_minimum, "maximum": nat_maximum}


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


def _complex_extremum(what: str):
    """np.min/np.max of a whole complex array: the element np.argmin/np.argmax picks
    (NumPy's lexicographic order, a NaN winning)."""
    operation = _OPERATIONS[what]
    find = np.argmin if what == "minimum" else np.argmax

    def whole_complex(a, axis=None):
        if a.size == 0:
            raise_no_identity(operation)
        return a.ravel()[find(a)]

    return whole_complex


def _register_extremum(functions, name: str, op, core, what: str):
    implemented = functions[0]  # np.min and np.amin compute the same
    for function in functions:

        @overload(function)
        def typing(a, axis=None, out=None, keepdims=False):
            check_array(name, a)
            check_axes_type(name, axis)
            keep = keepdims_value(name, keepdims)
            if not is_none(out):
                compute = computing_logical(implemented, keep)
                return into_out("logical", what, a, axis, out, keep, compute)
            if isinstance(a.dtype, types.NPDatetime | types.NPTimedelta):
                time_op = _TIME_OPS[what]
                if is_none(axis):
                    reduction = _time_extremum(time_op, what)
                else:
                    reduction = along_axes(extremum_block(time_op, what), a.ndim, axis)
                inner = keeping_dims(reduction, a.ndim, axis, keep)
                return lambda a, axis=None, out=None, keepdims=False: inner(a, axis)
            if isinstance(a.dtype, types.Complex) and is_none(axis) and not keep:
                inner = njit(_complex_extremum(what))
                return lambda a, axis=None, out=None, keepdims=False: inner(a, axis)
            if a.dtype.name not in _ACCUMULATORS or isinstance(a.dtype, types.Complex):
                raise TypeError(f"{name}() of {a.dtype} arrays is not supported yet")
            if is_none(axis):
                if not keep:
                    return lambda a, axis=None, out=None, keepdims=False: core(a)
                reduction = _calling(core)
            else:
                reduction = along_axes(extremum_block(op, what), a.ndim, axis)
            inner = keeping_dims(reduction, a.ndim, axis, keep)
            return lambda a, axis=None, out=None, keepdims=False: inner(a, axis)


_register_extremum((np.min, np.amin), "min", minimum, _core_min, "minimum")
_register_extremum((np.max, np.amax), "max", maximum, _core_max, "maximum")
