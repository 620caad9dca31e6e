"""np.mean, var, std (with ``axis=`` and ``ddof=``) and the NaN-skipping reductions
(nansum, nanprod, nanmin, nanmax, nanmean, nanvar, nanstd), np.count_nonzero, as NumPy.

Means divide the sum by the count in float64 (float32 for float32 arrays, as NumPy); the
variance is NumPy's two-pass formula: the mean, then the mean of squared deviations.
"""

import numpy as np
from numpy.exceptions import AxisError

from nogil import _overloads
from nogil.decorators import njit
from nogil.extending import overload, register_jitable, types
from nogil.lib._axes import _OPERATIONS, check_array, is_none, raise_no_identity
from nogil.lib._blocks import (
    along_axes,
    check_axes_type,
    flat_block,
    keepdims_value,
    keeping_axes,
    keeping_dims,
    normalize_axes,
    reduced_count,
)
from nogil.lib.reduction_out import computing, computing_moment, into_out
from nogil.lib.reductions import (
    accumulator,
    add,
    check_unsupported,
    fold_block,
    folding,
    requested_dtype,
)

_core_mean = _overloads.Primitive("numpy.mean")


def _float_type(name: str, a) -> type:
    accumulator(name, a)  # refuses the dtypes the library does not take yet
    return np.float32 if a.dtype.name == "float32" else np.float64


def _whole_mean_var(squared: bool, skip_nan: bool, ftype):
    """mean (or variance, `squared`) of every element, each counted once; NaN-skipping."""

    def stats(a, ddof):
        block = flat_block(a)
        rows, n = block.shape[0], block.shape[1]
        total = ftype(0)
        count = 0
        for i in range(rows):
            for k in range(n):
                x = ftype(block[i, k, 0])
                if not (skip_nan and x != x):
                    total += x
                    count += 1
        mean = total / ftype(count) if count else ftype(np.nan)
        if not squared:
            return mean
        deviations = ftype(0)
        for i in range(rows):
            for k in range(n):
                x = ftype(block[i, k, 0])
                if not (skip_nan and x != x):
                    deviations += (x - mean) * (x - mean)
        if count - ddof <= 0:
            return ftype(np.nan)
        return deviations / ftype(count - ddof)

    return stats


@register_jitable
def _nan_add(acc, x):
    return acc if x != x else acc + x


@register_jitable
def _nan_multiply(acc, x):
    return acc if x != x else acc * x


def _divided(total, count, ddof):
    """Placeholder bound to the overload below: total / (count - ddof) elementwise, NaN
    where that is not positive (NumPy warns and gives NaN); `count` a number or an array of
    total's shape."""


@overload(_divided)
def _divided_typing(total, count, ddof):
    if not isinstance(total, types.Array):
        # a float32 total stays float32 (NumPy's mean/var of a float32 array along its one axis)
        make = np.float32 if total == types.float32 else np.float64

        def divided_number(total, count, ddof):
            c = count - ddof
            return make(total / c) if c > 0 else make(total * np.nan)

        return divided_number
    if isinstance(count, types.Array):

        def divided_each(total, count, ddof):
            out = np.empty(total.shape, total.dtype)
            flat_out = out.reshape(-1)
            flat_total = total.reshape(-1)
            flat_count = count.reshape(-1)
            for i in range(flat_out.shape[0]):
                c = flat_count[i] - ddof
                flat_out[i] = flat_total[i] / c if c > 0 else flat_total[i] * np.nan
            return out

        return divided_each

    def divided(total, count, ddof):
        out = np.empty(total.shape, total.dtype)
        flat_out = out.reshape(-1)
        flat_total = total.reshape(-1)
        c = count - ddof
        for i in range(flat_out.shape[0]):
            flat_out[i] = flat_total[i] / c if c > 0 else flat_total[i] * np.nan
        return out

    return divided


def _moment_of_each(squared: bool, ftype):
    """axis=(): NumPy reduces over no axis, so each element is its own sample: the mean is
    the element (in the float dtype), the variance (x - x)**2 / max(1 - ddof, 0): zeros,
    NaN where the element is not finite or ddof >= 1 (NaN's skipped alike)."""
    if not squared:

        def each_mean(a, axis, ddof):
            return a.astype(ftype)

        return each_mean

    def each_variance(a, axis, ddof):
        values = a.astype(ftype)
        count = max(1 - ddof, 0)
        for i, x in enumerate(values.flat):
            values.flat[i] = (x - x) * (x - x) / count if count > 0 else (x - x) * np.nan
        return values

    return each_variance


def _moment_along(ndim: int, axis, squared: bool, skip_nan: bool, ftype):
    """The compiled `(a, axis, ddof) -> mean or variance` along `axis` (an int or a tuple):
    sums along the axes divided by the counts; the variance from the deviations from the
    means kept along the axes (NumPy's two passes). NaNs are skipped with `skip_nan`."""
    if isinstance(axis, types.BaseTuple) and len(axis) == 0:
        return _moment_of_each(squared, ftype)
    if ndim == 0:

        def no_axis(a, axis, ddof):  # NumPy's AxisError: a 0-d array has no axis
            raise AxisError("axis 0 is out of bounds for array of dimension 0")
            return ftype(np.nan)

        return no_axis
    step = _nan_add if skip_nan else add
    total_along = njit(along_axes(fold_block(step, ftype, 0, ftype), ndim, axis))
    keep_total = keeping_axes(fold_block(step, ftype, 0, ftype), ndim)
    counted = fold_block(add, ftype, 0, ftype)  # of `a == a`: each axis sums the counts
    count_along = njit(along_axes(counted, ndim, axis))
    keep_count = keeping_axes(counted, ndim)
    axes_of = njit(
        (lambda axis: axis) if isinstance(axis, types.BaseTuple) else (lambda axis: (axis,))
    )

    if skip_nan:

        def nan_moment(a, axis, ddof):
            axes = normalize_axes(axes_of(axis), ndim)
            present = a == a
            count = count_along(present, axis)
            if not squared:
                return _divided(total_along(a, axis), count, 0)
            means = keep_total(a, axes) / keep_count(present, axes)
            deviations = a - means
            return _divided(total_along(deviations * deviations, axis), count, ddof)

        return nan_moment

    def moment(a, axis, ddof):
        axes = normalize_axes(axes_of(axis), ndim)
        count = reduced_count(a.shape, axes)
        if not squared:
            return _divided(total_along(a, axis), count, 0)
        means = keep_total(a, axes) / ftype(count)
        deviations = a - means
        return _divided(total_along(deviations * deviations, axis), count, ddof)

    return moment


def _complex_mean(make):
    def whole_complex_mean(a, axis, ddof):
        # NumPy's mean: the sum over the count, cast back to the array's type; NaN when empty
        if a.size == 0:
            return make(complex(np.nan, np.nan))
        return make(np.sum(a) / a.size)

    return whole_complex_mean


def _complex_moment(root: bool, keep: bool):
    """var/std of a complex array: NumPy's real result, the mean of |x - mean|**2, which is
    the variance of the real parts plus that of the imaginary parts."""
    variance = np.var

    if keep:

        def moment(a, axis, ddof):
            total = variance(a.real, axis, ddof=ddof, keepdims=True) + variance(
                a.imag, axis, ddof=ddof, keepdims=True
            )
            return np.sqrt(total) if root else total

    else:

        def moment(a, axis, ddof):
            total = variance(a.real, axis, ddof=ddof) + variance(a.imag, axis, ddof=ddof)
            return np.sqrt(total) if root else total

    return moment


def _register_moment(function, name: str, squared: bool, root: bool, skip_nan: bool):
    def choose(a, axis, dtype, out, keepdims):
        """The compiled (a, axis, ddof) -> result."""
        check_array(name, a)
        check_axes_type(name, axis)
        check_unsupported(name, out=out)
        keep = keepdims_value(name, keepdims)
        if isinstance(a.dtype, types.Complex) and squared and not skip_nan:
            if not is_none(dtype):
                raise TypeError(f"{name}() of complex arrays is supported without dtype= only")
            return njit(_complex_moment(root, keep))
        if isinstance(a.dtype, types.Complex):
            if squared or skip_nan or keep or not (is_none(axis) and is_none(dtype)):
                raise TypeError(
                    f"{name}() of complex arrays is supported without axis=, dtype= and "
                    "keepdims= only"
                )
            make = np.complex64 if a.dtype.name == "complex64" else np.complex128
            return njit(_complex_mean(make))
        if not is_none(dtype):
            ftype = requested_dtype(name, dtype)
            if ftype not in (np.float32, np.float64):
                raise TypeError(f"{name}(): dtype={dtype} is not supported yet (a float dtype is)")
            if not squared:
                if keep:
                    return njit(
                        lambda a, axis, ddof: function(a.astype(ftype), axis, keepdims=True)
                    )
                return njit(lambda a, axis, ddof: function(a.astype(ftype), axis))
            if keep:
                return njit(
                    lambda a, axis, ddof: function(a.astype(ftype), axis, ddof=ddof, keepdims=True)
                )
            return njit(lambda a, axis, ddof: function(a.astype(ftype), axis, ddof=ddof))
        ftype = _float_type(name, a)
        if is_none(axis):
            if not squared and not skip_nan:
                whole = njit(lambda a, ddof: _core_mean(a))
            else:
                whole = njit(_whole_mean_var(squared, skip_nan, ftype))

            def moment(a, axis, ddof):
                value = whole(a, ddof)
                return np.sqrt(value) if root else value

        else:
            along = njit(_moment_along(a.ndim, axis, squared, skip_nan, ftype))

            def moment(a, axis, ddof):
                values = along(a, axis, ddof)
                return np.sqrt(values) if root else values

        return keeping_dims(moment, a.ndim, axis, keep, extra=True)

    def moment_into(a, axis, out, keepdims, compute):
        check_array(name, a)
        check_axes_type(name, axis)
        keep = keepdims_value(name, keepdims)
        kind = "moment" if squared else "fold"
        return into_out(kind, "add", a, axis, out, keep, compute(function, keep))

    if squared:

        @overload(function)
        def typing(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
            if not is_none(out):
                return moment_into(a, axis, out, keepdims, computing_moment)
            moment = choose(a, axis, dtype, out, keepdims)
            return lambda a, axis=None, dtype=None, out=None, ddof=0, keepdims=False: moment(
                a, axis, ddof
            )

    else:

        @overload(function)
        def typing(a, axis=None, dtype=None, out=None, keepdims=False):
            if not is_none(out):
                return moment_into(a, axis, out, keepdims, computing)
            moment = choose(a, axis, dtype, out, keepdims)
            return lambda a, axis=None, dtype=None, out=None, keepdims=False: moment(a, axis, 0)


_register_moment(np.mean, "mean", squared=False, root=False, skip_nan=False)
_register_moment(np.var, "var", squared=True, root=False, skip_nan=False)
_register_moment(np.std, "std", squared=True, root=True, skip_nan=False)
_register_moment(np.nanmean, "nanmean", squared=False, root=False, skip_nan=True)
_register_moment(np.nanvar, "nanvar", squared=True, root=False, skip_nan=True)
_register_moment(np.nanstd, "nanstd", squared=True, root=True, skip_nan=True)


def _register_nan_fold(function, name: str, op, start):
    @overload(function)
    def typing(a, axis=None, dtype=None, out=None, keepdims=False):
        check_array(name, a)
        check_axes_type(name, axis)
        check_unsupported(name, dtype=dtype, out=out)
        keep = keepdims_value(name, keepdims)
        rtype = accumulator(name, a)
        if is_none(axis):
            reduction = folding(op, rtype, start, a.ndim)
        else:
            reduction = along_axes(fold_block(op, rtype, start, rtype), a.ndim, axis)
        inner = keeping_dims(reduction, a.ndim, axis, keep)
        return lambda a, axis=None, dtype=None, out=None, keepdims=False: inner(a, axis)


_register_nan_fold(np.nansum, "nansum", _nan_add, 0)
_register_nan_fold(np.nanprod, "nanprod", _nan_multiply, 1)


def _nan_extremum_block(smaller: bool, what: str):
    """np.nanmin/nanmax's block reduction: NaNs skipped; all-NaN gives NaN (NumPy warns,
    compiled code cannot); an empty reduction raises ValueError as NumPy's."""
    operation = _OPERATIONS[what]

    @register_jitable
    def better(acc, x):
        if acc != acc or (x < acc if smaller else x > acc):
            return x
        return acc

    @njit
    def reduce_block(block):
        before, n, after = block.shape
        if n == 0:
            raise_no_identity(operation)
        out = np.empty((before, after), block.dtype)
        for i in range(before):
            for j in range(after):
                acc = block[i, 0, j]
                for k in range(1, n):
                    acc = better(acc, block[i, k, j])
                out[i, j] = acc
        return out

    return reduce_block


def _register_nan_extremum(function, name: str, smaller: bool, what: str):
    @overload(function)
    def typing(a, axis=None, out=None, keepdims=False):
        check_array(name, a)
        check_axes_type(name, axis)
        check_unsupported(name, out=out)
        keep = keepdims_value(name, keepdims)
        accumulator(name, a)
        reduce_block = _nan_extremum_block(smaller, what)
        if is_none(axis):

            def reduction(a, axis):
                return reduce_block(a.reshape((1, a.size, 1)))[0, 0]

        else:
            reduction = along_axes(reduce_block, a.ndim, axis)
        inner = keeping_dims(reduction, a.ndim, axis, keep)
        return lambda a, axis=None, out=None, keepdims=False: inner(a, axis)


_register_nan_extremum(np.nanmin, "nanmin", True, "fmin")
_register_nan_extremum(np.nanmax, "nanmax", False, "fmax")


@register_jitable
def _count_nonzero_step(acc, x):
    return acc + 1 if x != 0 else acc


@overload(np.count_nonzero)
def _count_nonzero_typing(a, axis=None, keepdims=False):
    check_array("count_nonzero", a)
    check_axes_type("count_nonzero", axis)
    keep = keepdims_value("count_nonzero", keepdims)
    if is_none(axis):
        reduction = folding(_count_nonzero_step, int, 0, a.ndim)
    else:
        along = njit(along_axes(fold_block(add, np.int64, 0, np.int64), a.ndim, axis))

        def reduction(a, axis):  # each axis in turn sums the counts of the one before
            return along(a != 0, axis)

    inner = keeping_dims(reduction, a.ndim, axis, keep)
    return lambda a, axis=None, keepdims=False: inner(a, axis)
