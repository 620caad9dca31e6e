"""Reductions along axes of arrays of any number of dimensions, written once.

An array reduced along one axis is seen as a (before, n, after) block (a reshape: a view
where the axes around `axis` merge, as they always do for 1-d and 2-d arrays, else a C-order
copy): the reduction runs along the middle axis, and the (before, after) result takes the
array's shape without that axis. Several axes (a tuple) reduce one after another, each
keeping its axis as a 1, then the result drops them all.

The result's shape is a tuple of `ndim - len(axes)` sizes: compiled code builds a tuple of a
length its types fix, so `without_axes` is generated per length (a one-line function).
"""

import itertools
import linecache

import numpy as np
from numpy.exceptions import AxisError

from nogil.extending import overload, register_jitable, types
from nogil.lib._axes import is_none


@register_jitable
def split_at_axis(shape, axis):
    """(before, n, after): the products of the sizes before `axis`, its size, and after."""
    before = 1
    after = 1
    for d in range(len(shape)):
        if d < axis:
            before *= shape[d]
        elif d > axis:
            after *= shape[d]
    return before, shape[axis], after


@register_jitable
def normalize_axes(axes, ndim):
    """`axes` (a tuple) counted from the front, in the given order; AxisError for one out
    of range and ValueError for one given twice, as NumPy's."""
    normalized = axes
    for i in range(len(axes)):
        axis = axes[i]
        if axis < -ndim or axis >= ndim:
            raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    for i in range(len(axes)):
        for j in range(i):
            if (axes[i] + ndim) % ndim == (axes[j] + ndim) % ndim:
                raise ValueError("duplicate value in 'axis'")
    return normalized


@register_jitable
def kept_size(shape, axes, k):
    """The size of the k-th dimension of `shape` that `axes` (normalized or negative) do not
    name."""
    ndim = len(shape)
    seen = -1
    for d in range(ndim):
        dropped = False
        for i in range(len(axes)):
            if (axes[i] + ndim) % ndim == d:
                dropped = True
        if not dropped:
            seen += 1
            if seen == k:
                return shape[d]
    return 1


@register_jitable
def unit_or_size(shape, axis, k):
    """The size of dimension k of `shape`, 1 at `axis` (a reduction that keeps its axis)."""
    return 1 if k == axis else shape[k]


def without_axes(shape, axes):
    """Placeholder bound to the overload below: `shape` without the dimensions `axes` name
    (a tuple), a tuple of len(shape) - len(axes) sizes."""


def with_unit_axis(shape, axis):
    """Placeholder bound to the overload below: `shape` with a 1 at `axis`."""


_generated: dict[tuple[str, int], object] = {}
_counter = itertools.count()


def _tuple_builder(element: str, length: int):
    """The compiled-code function `f(shape, axes)` building a tuple of `length` sizes, the
    k-th `element(shape, axes, k)` (generated once per length; its text registered in
    linecache, where nogil reads sources)."""
    key = (element, length)
    if key in _generated:
        return _generated[key]
    elements = "".join(f"{element}(shape, axes, {k}), " for k in range(length))
    filename = f"<nogil.lib {element} of {length} dimensions {next(_counter)}>"
    text = f"def build(shape, axes):\n    return ({elements})\n"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    builders = ("kept_size", "unit_or_size", "unit_at_axes", "unit")
    namespace = {name: globals()[name] for name in builders}
    exec(compile(text, filename, "exec"), namespace)
    _generated[key] = namespace["build"]
    return namespace["build"]


@overload(without_axes)
def _without_axes_typing(shape, axes):
    return _tuple_builder("kept_size", len(shape) - len(axes))


@overload(with_unit_axis)
def _with_unit_axis_typing(shape, axis):
    return _tuple_builder("unit_or_size", len(shape))


def axes_count(axis) -> int:
    """How many axes an `axis` argument's type names (an int: one)."""
    return len(axis) if isinstance(axis, types.BaseTuple) else 1


def check_axes_type(name: str, axis, tuples: bool = True) -> None:
    """TypeError as NumPy's for an axis that is not an int, None or (where NumPy takes it)
    a tuple of ints."""
    if is_none(axis) or isinstance(axis, types.Integer | types.Boolean):
        return
    if (
        tuples
        and isinstance(axis, types.BaseTuple)
        and all(isinstance(t, types.Integer | types.Boolean) for t in axis)
    ):
        return
    raise TypeError(f"{name}(): axis must be an integer or None, not {axis}")


def keeping_axes(reduce_block, ndim: int):
    """The compiled function `(a, axes) -> kept`: `a` reduced by `reduce_block` along each of
    `axes` (a non-empty tuple, validated) in turn, each kept as a 1 (`a`'s ndim)."""
    from nogil.decorators import njit

    @njit
    def reduce_chain(a, axes):
        axis = (axes[0] + ndim) % ndim
        split = split_at_axis(a.shape, axis)
        kept = reduce_block(a.reshape(split)).reshape(with_unit_axis(a.shape, axis))
        for i in range(1, len(axes)):
            axis = (axes[i] + ndim) % ndim
            split = split_at_axis(kept.shape, axis)
            kept = reduce_block(kept.reshape(split)).reshape(with_unit_axis(kept.shape, axis))
        return kept

    return reduce_chain


@register_jitable
def reduced_count(shape, axes):
    """How many elements each result of a reduction along `axes` (validated) combines."""
    ndim = len(shape)
    count = 1
    for i in range(len(axes)):
        count *= shape[(axes[i] + ndim) % ndim]
    return count


def along_axes(reduce_block, ndim: int, axis) -> object:
    """The compiled function `(a, axis) -> result` reducing `a` (of `ndim` dimensions) along
    `axis` (the type of an int or of a tuple of ints) with `reduce_block`, a compiled
    function taking a (before, n, after) block to its (before, after) reduction: an array of
    the remaining dimensions, or a scalar when none remain."""
    from nogil.decorators import njit

    if ndim == 0 and not (isinstance(axis, types.BaseTuple) and len(axis) != 1):
        single = isinstance(axis, types.BaseTuple) and len(axis) == 1
        axis_of = njit((lambda axis: axis[0]) if single else (lambda axis: axis))

        def along_no_dimension(a, axis):
            # NumPy's ufunc reductions take axis 0 or -1 of a 0-d array (its one element)
            given = axis_of(axis)
            if given != 0 and given != -1:
                raise AxisError(f"axis {given} is out of bounds for array of dimension 0")
            return reduce_block(a.reshape((1, 1, 1)))[0, 0]

        return along_no_dimension
    if not isinstance(axis, types.BaseTuple):
        if ndim == 1:

            def along_only_axis(a, axis):
                normalize_axes((axis,), 1)
                return reduce_block(a.reshape((1, a.shape[0], 1)))[0, 0]

            return along_only_axis

        def along_one_axis(a, axis):
            axes = normalize_axes((axis,), ndim)
            before, n, after = split_at_axis(a.shape, (axes[0] + ndim) % ndim)
            reduced = reduce_block(a.reshape((before, n, after)))
            return reduced.reshape(without_axes(a.shape, axes))

        return along_one_axis
    count = len(axis)
    if count == 0:  # axis=(): each element reduced alone, in the result's type

        def along_no_axis(a, axis):
            size = 1
            for d in range(ndim):
                size *= a.shape[d]
            return reduce_block(a.reshape((size, 1, 1))).reshape(a.shape)

        return along_no_axis
    reduce_chain = keeping_axes(reduce_block, ndim)

    if count >= ndim:  # every axis (or a duplicate, which normalize_axes refuses)

        def along_every_axis(a, axis):
            axes = normalize_axes(axis, ndim)
            return reduce_chain(a, axes).reshape((1,))[0]

        return along_every_axis

    def along_several_axes(a, axis):
        axes = normalize_axes(axis, ndim)
        return reduce_chain(a, axes).reshape(without_axes(a.shape, axes))

    return along_several_axes


def flat_block(a):
    """Placeholder bound to the overload below: `a` as a (before, last, 1) block, its
    elements in C order (a view when the leading axes merge, as a 2-d array's always do)."""


@overload(flat_block)
def _flat_block_typing(a):
    if a.ndim == 0:
        return lambda a: a.reshape((1, 1, 1))
    if a.ndim == 1:
        return lambda a: a.reshape((1, a.shape[0], 1))
    last = a.ndim - 1
    return lambda a: a.reshape(split_at_axis(a.shape, last))


@register_jitable
def unit_at_axes(shape, axes, k):
    """The size of dimension k of `shape`, 1 where `axes` name it (keepdims=True)."""
    ndim = len(shape)
    for i in range(len(axes)):
        if (axes[i] + ndim) % ndim == k:
            return 1
    return shape[k]


@register_jitable
def unit(shape, axes, k):
    return 1


def kept_dims(shape, axes):
    """Placeholder bound to the overload below: `shape` with 1 at each of `axes`; every size
    1 when `axes` is None."""


@overload(kept_dims)
def _kept_dims_typing(shape, axes):
    return _tuple_builder("unit" if is_none(axes) else "unit_at_axes", len(shape))


def keepdims_value(name: str, keepdims) -> bool:
    """keepdims as the call writes it: a constant (it decides the result's dimensions)."""
    if keepdims is False or is_none(keepdims):
        return False
    if isinstance(keepdims, types.BooleanLiteral):
        return keepdims.literal_value
    raise TypeError(
        f"{name}(): keepdims must be the constant True or False in compiled code (it decides "
        f"the result's dimensions), not a {keepdims} value"
    )


def keeping_dims(reduction, ndim: int, axis, keepdims: bool, extra: bool = False):
    """The compiled `(a, axis) -> result` of `reduction` (an implementation taking
    (a, axis)), with the reduced axes kept as 1s when `keepdims`; with `extra`, both take
    a third argument (a ddof) passed along."""
    from nogil.decorators import njit

    compiled = njit(reduction)
    if not keepdims:
        return compiled
    if is_none(axis):
        shape_of = njit(lambda a, axis: kept_dims(a.shape, None))
    else:
        axes_of = njit(
            (lambda axis: axis) if isinstance(axis, types.BaseTuple) else (lambda axis: (axis,))
        )
        shape_of = njit(lambda a, axis: kept_dims(a.shape, axes_of(axis)))
    if is_none(axis) or axes_count(axis) >= ndim:  # a number (or a refused duplicate axis)
        if extra:
            return njit(lambda a, axis, ddof: np.full(shape_of(a, axis), compiled(a, axis, ddof)))
        return njit(lambda a, axis: np.full(shape_of(a, axis), compiled(a, axis)))
    if extra:
        return njit(lambda a, axis, ddof: compiled(a, axis, ddof).reshape(shape_of(a, axis)))
    return njit(lambda a, axis: compiled(a, axis).reshape(shape_of(a, axis)))
