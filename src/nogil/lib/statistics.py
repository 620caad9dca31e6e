"""np.mean, var, std (with ``axis=`` and ``ddof=``) and the NaN-skipping reductions
(nansum, nanprod, nanmin, nanmax, nanmean, nanvar, nanstd), np.count_nonzero, as NumPy.

Means divide the sum by the count in float64 (float32 for float32 arrays, as NumPy); the
variance is NumPy's two-pass formula: the mean, then the mean of squared deviations.
"""

import numpy as np

from nogil import _overloads
from nogil.decorators import njit
from nogil.extending import overload, register_jitable, types
from nogil.lib._axes import (
    _OPERATIONS,
    check_array,
    check_axis_type,
    is_none,
    normalize_axis,
    raise_no_identity,
)
from nogil.lib.reductions import accumulator, folding, requested_dtype

_core_mean = _overloads.Primitive("numpy.mean")


def _float_type(name: str, a) -> type:
    accumulator(name, a)  # refuses the dtypes the library does not take yet
    return np.float32 if a.dtype.name == "float32" else np.float64


def _whole_mean_var(ndim: int, squared: bool, skip_nan: bool, ftype):
    """mean (or variance, `squared`) of every element, each counted once; NaN-skipping."""
    if ndim == 1:

        def stats1(a, ddof):
            total = ftype(0)
            count = 0
            for i in range(a.shape[0]):
                x = ftype(a[i])
                if not (skip_nan and x != x):
                    total += x
                    count += 1
            mean = total / ftype(count) if count else ftype(np.nan)
            if not squared:
                return mean
            deviations = ftype(0)
            for i in range(a.shape[0]):
                x = ftype(a[i])
                if not (skip_nan and x != x):
                    deviations += (x - mean) * (x - mean)
            if count - ddof <= 0:
                return ftype(np.nan)
            return deviations / ftype(count - ddof)

        return stats1
    if ndim == 2:

        def stats2(a, ddof):
            total = ftype(0)
            count = 0
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    x = ftype(a[i, j])
                    if not (skip_nan and x != x):
                        total += x
                        count += 1
            mean = total / ftype(count) if count else ftype(np.nan)
            if not squared:
                return mean
            deviations = ftype(0)
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    x = ftype(a[i, j])
                    if not (skip_nan and x != x):
                        deviations += (x - mean) * (x - mean)
            if count - ddof <= 0:
                return ftype(np.nan)
            return deviations / ftype(count - ddof)

        return stats2
    raise TypeError(f"statistics of {ndim}-dimensional arrays are not supported yet")


def _mean_var_along(ndim: int, squared: bool, ftype):
    """mean or variance along an axis of a 2-d array (a 1-d array's only axis is whole)."""
    if ndim == 1:
        whole = njit(_whole_mean_var(1, squared, False, ftype))

        def along1(a, axis, ddof):
            normalize_axis(axis, 1)
            return whole(a, ddof)

        return along1
    if ndim == 2:

        def along2(a, axis, ddof):
            axis = normalize_axis(axis, 2)
            n, m = a.shape
            lanes = m if axis == 0 else n
            length = n if axis == 0 else m
            means = np.zeros(lanes, ftype)
            for i in range(n):
                for j in range(m):
                    means[j if axis == 0 else i] += ftype(a[i, j])
            for k in range(lanes):
                means[k] = means[k] / ftype(length) if length else ftype(np.nan)
            if not squared:
                return means
            out = np.zeros(lanes, ftype)
            for i in range(n):
                for j in range(m):
                    k = j if axis == 0 else i
                    d = ftype(a[i, j]) - means[k]
                    out[k] += d * d
            for k in range(lanes):
                out[k] = out[k] / ftype(length - ddof) if length - ddof > 0 else ftype(np.nan)
            return out

        return along2
    raise TypeError(f"statistics along an axis of {ndim}-dimensional arrays are not supported yet")


def _register_moment(function, name: str, squared: bool, root: bool):
    @overload(function)
    def typing(a, axis=None, dtype=None, out=None, ddof=0):
        check_array(name, a)
        check_axis_type(name, axis)
        if not is_none(out):
            raise TypeError(f"{name}(): out= is not supported yet")
        if isinstance(a.dtype, types.Complex):
            if squared or not (is_none(axis) and is_none(dtype)):
                raise TypeError(
                    f"{name}() of complex arrays is supported without axis= and dtype= only"
                )
            return _complex_mean(np.complex64 if a.dtype.name == "complex64" else np.complex128)
        ftype = _float_type(name, a)
        if not is_none(dtype):  # computed in that dtype, as NumPy's dtype= asks
            ftype = requested_dtype(name, dtype)
            if ftype not in (np.float32, np.float64):
                raise TypeError(f"{name}(): dtype={dtype} is not supported yet (a float dtype is)")
        if is_none(axis):
            if not squared and is_none(dtype):
                return _whole_mean
            if not squared:
                return _whole_mean_as(ftype)
            whole = njit(_whole_mean_var(a.ndim, squared, False, ftype))

            def whole_moment(a, axis=None, dtype=None, out=None, ddof=0):
                value = whole(a, ddof)
                return np.sqrt(value) if root else value

            return whole_moment
        along = njit(_mean_var_along(a.ndim, squared, ftype))

        def moment_along(a, axis=None, dtype=None, out=None, ddof=0):
            values = along(a, axis, ddof)
            return np.sqrt(values) if root else values

        return moment_along


def _whole_mean(a, axis=None, dtype=None, out=None, ddof=0):
    return _core_mean(a)


def _complex_mean(make):
    def whole_complex_mean(a, axis=None, dtype=None, out=None, ddof=0):
        # NumPy's mean: the sum over the count, cast back to the array's type; NaN when empty
        if a.size == 0:
            return make(complex(np.nan, np.nan))
        return make(np.sum(a) / a.size)

    return whole_complex_mean


def _whole_mean_as(ftype):
    """The mean of the elements converted to `ftype` (NumPy's pairwise sum, in the core)."""

    def whole_mean(a, axis=None, dtype=None, out=None, ddof=0):
        return _core_mean(a.astype(ftype))

    return whole_mean


_register_moment(np.mean, "mean", squared=False, root=False)
_register_moment(np.var, "var", squared=True, root=False)
_register_moment(np.std, "std", squared=True, root=True)


def _register_nan_moment(function, name: str, squared: bool, root: bool):
    @overload(function)
    def typing(a, axis=None, dtype=None, out=None, ddof=0):
        check_array(name, a)
        if not is_none(axis):
            raise TypeError(f"{name}(): axis= is not supported yet")
        ftype = _float_type(name, a)
        whole = njit(_whole_mean_var(a.ndim, squared, True, ftype))

        def nan_moment(a, axis=None, dtype=None, out=None, ddof=0):
            value = whole(a, ddof)
            return np.sqrt(value) if root else value

        return nan_moment


_register_nan_moment(np.nanmean, "nanmean", squared=False, root=False)
_register_nan_moment(np.nanvar, "nanvar", squared=True, root=False)
_register_nan_moment(np.nanstd, "nanstd", squared=True, root=True)


@register_jitable
def _nan_add(acc, x):
    return acc if x != x else acc + x


@register_jitable
def _nan_multiply(acc, x):
    return acc if x != x else acc * x


def _register_nan_fold(function, name: str, op, start):
    @overload(function)
    def typing(a, axis=None):
        check_array(name, a)
        if not is_none(axis):
            raise TypeError(f"{name}(): axis= is not supported yet")
        return folding(op, accumulator(name, a), start, a.ndim)


_register_nan_fold(np.nansum, "nansum", _nan_add, 0)
_register_nan_fold(np.nanprod, "nanprod", _nan_multiply, 1)


def _nan_extremum(ndim: int, smaller: bool, what: str):
    """np.nanmin/nanmax: NaNs skipped; all-NaN gives NaN (NumPy warns, compiled code
    cannot); empty raises ValueError as NumPy's."""
    operation = _OPERATIONS[what]
    if ndim == 1:

        def nan_extremum1(a, axis=None):
            if a.shape[0] == 0:
                raise_no_identity(operation)
            acc = a[0]
            for i in range(a.shape[0]):
                x = a[i]
                if acc != acc or (x < acc if smaller else x > acc):
                    acc = x
            return acc

        return nan_extremum1
    if ndim == 2:

        def nan_extremum2(a, axis=None):
            if a.shape[0] == 0 or a.shape[1] == 0:
                raise_no_identity(operation)
            acc = a[0, 0]
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    x = a[i, j]
                    if acc != acc or (x < acc if smaller else x > acc):
                        acc = x
            return acc

        return nan_extremum2
    raise TypeError(f"reductions of {ndim}-dimensional arrays are not supported yet")


def _register_nan_extremum(function, name: str, smaller: bool, what: str):
    @overload(function)
    def typing(a, axis=None):
        check_array(name, a)
        if not is_none(axis):
            raise TypeError(f"{name}(): axis= is not supported yet")
        accumulator(name, a)
        return _nan_extremum(a.ndim, smaller, what)


_register_nan_extremum(np.nanmin, "nanmin", True, "fmin")
_register_nan_extremum(np.nanmax, "nanmax", False, "fmax")


def _count_nonzero(ndim: int):
    if ndim == 1:

        def count1(a, axis=None):
            count = 0
            for i in range(a.shape[0]):
                if a[i] != 0:
                    count += 1
            return count

        return count1
    if ndim == 2:

        def count2(a, axis=None):
            count = 0
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    if a[i, j] != 0:
                        count += 1
            return count

        return count2
    raise TypeError(f"count_nonzero of {ndim}-dimensional arrays is not supported yet")


@overload(np.count_nonzero)
def _count_nonzero_typing(a, axis=None):
    check_array("count_nonzero", a)
    if not is_none(axis):
        raise TypeError("count_nonzero(): axis= is not supported yet")
    return _count_nonzero(a.ndim)
