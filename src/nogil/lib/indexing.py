"""Indexing an array with arrays, as NumPy: a boolean mask (`a[a > 0]`, `a[m] = 0`, `a[m]` on
the rows of a 2-d array) and an integer array along one axis (`a[idx]`, `a[:, idx]`,
`a[i, idx]`, `a[idx] = v`), get and set, with NumPy's IndexError and ValueError; `x in a`.

The typer turns a subscript with an array index into a call to the array's `__getitem__`
(`__setitem__`) with the array, each index (None for a whole slice `:`) and the stored value.
A get copies (C order); a set writes in index order, so a repeated index keeps the last value.
"""

import numpy as np

from nogil.extending import overload_method, register_jitable, types
from nogil.lib import advanced_indexing
from nogil.lib._overlap import may_overlap
from nogil.lib.advanced_indexing import (
    check_index_positions,
    checked_position,
    raise_out_of_bounds,
)


@register_jitable
def element_of(a, value):
    """`value` converted to a's dtype once, before any store, as NumPy converts it first (a
    NaN into an int array raises even when the mask is all False)."""
    cell = np.empty(1, a.dtype)
    cell[0] = value
    return cell[0]


@register_jitable
def check_mask_length(mask_size, size, axis):
    if mask_size != size:
        raise IndexError(
            f"boolean index did not match indexed array along axis {axis}; size of axis is "
            f"{size} but size of corresponding boolean axis is {mask_size}"
        )


@register_jitable
def mask_positions(mask, size, axis):
    """The positions where a 1-d mask is True, after checking its length against `size`."""
    check_mask_length(mask.shape[0], size, axis)
    count = 0
    for i in range(mask.shape[0]):
        if mask[i]:
            count += 1
    positions = np.empty(count, np.int64)
    k = 0
    for i in range(mask.shape[0]):
        if mask[i]:
            positions[k] = i
            k += 1
    return positions


@register_jitable
def index_positions(index, size, axis):
    """An integer index array's positions, each checked against `size`. A uint64 index is
    read as int64, as NumPy casts it to intp (2**64 - 1 is -1)."""
    positions = np.empty(index.shape[0], np.int64)
    for k in range(index.shape[0]):
        i = np.int64(index[k])
        position = i + size if i < 0 else i
        if position < 0 or position >= size:
            raise_out_of_bounds(i, size, axis)
        positions[k] = position
    return positions


@register_jitable
def check_assigned_values(values_size, count):
    if values_size != count and values_size != 1:
        raise ValueError(
            f"NumPy boolean array indexing assignment cannot assign {values_size} input "
            f"values to the {count} output values where the mask is true"
        )


@register_jitable
def raise_shape_mismatch_1d(values_size, count):
    raise ValueError(
        f"shape mismatch: value array of shape ({values_size},) could not be broadcast to "
        f"indexing result of shape ({count},)"
    )


@register_jitable
def rows_at(a, where):
    """A new array of the rows of a 2-d array at the (checked) positions `where`."""
    out = np.empty((where.shape[0], a.shape[1]), a.dtype)
    for k in range(where.shape[0]):
        for j in range(a.shape[1]):
            out[k, j] = a[where[k], j]
    return out


# The implementations below index only where they checked first (shapes compared, positions
# from checked_position, values copied before the stores), so their loops drop the per-element
# checks and vectorize; the helpers they call keep theirs.
_UNCHECKED = {"boundscheck": False}


def _is_int_array(t) -> bool:
    return isinstance(t, types.Array) and t.ndim == 1 and isinstance(t.dtype, types.Integer)


def _is_mask(t, ndim: int = 1) -> bool:
    return isinstance(t, types.Array) and t.ndim == ndim and isinstance(t.dtype, types.Boolean)


def _is_scalar_index(t) -> bool:
    return isinstance(t, types.Integer)


def _is_whole(t) -> bool:
    """A whole slice `:`, which the typer passes as None."""
    return isinstance(t, types.NoneType)


def _is_value(t) -> bool:
    return isinstance(t, types.Number)


def _general(a, indices, mode, value=None, operator=None):
    """NumPy's advanced indexing in general (advanced_indexing.py), for the indices the
    forms above do not cover."""
    if not isinstance(a, types.Array) or a.ndim == 0:
        raise TypeError(f"{a} cannot be indexed by an array")
    kinds, why = advanced_indexing.kinds_of(a, tuple(indices))
    if kinds is None:
        raise TypeError(why)
    value_kind = None
    if value is not None:
        value_kind = advanced_indexing.value_kind_of(value)
        if value_kind is None:
            raise TypeError(f"cannot store {value} into {a} by an array index")
    return advanced_indexing.implementation(a.ndim, kinds, mode, value_kind, operator)


def _positions_of(index_type):
    if isinstance(index_type.dtype, types.Boolean):
        return mask_positions
    return index_positions


# --- a[mask] with a mask of the array's shape: the elements where it is True, in C order ---


def _whole_mask_get(ndim: int):
    if ndim == 1:

        def get_masked1(a, mask):
            check_mask_length(mask.shape[0], a.shape[0], 0)
            count = 0
            for i in range(a.shape[0]):
                if mask[i]:
                    count += 1
            out = np.empty(count, a.dtype)
            k = 0
            for i in range(a.shape[0]):
                if mask[i]:
                    out[k] = a[i]
                    k += 1
            return out

        return get_masked1

    def get_masked2(a, mask):
        check_mask_length(mask.shape[0], a.shape[0], 0)
        check_mask_length(mask.shape[1], a.shape[1], 1)
        count = 0
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                if mask[i, j]:
                    count += 1
        out = np.empty(count, a.dtype)
        k = 0
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                if mask[i, j]:
                    out[k] = a[i, j]
                    k += 1
        return out

    return get_masked2


def _whole_mask_set(ndim: int, scalar: bool):
    if ndim == 1 and scalar:

        def set_masked1(a, mask, value):
            check_mask_length(mask.shape[0], a.shape[0], 0)
            item = element_of(a, value)
            for i in range(a.shape[0]):
                if mask[i]:
                    a[i] = item

        return set_masked1
    if ndim == 1:

        def set_masked1_from(a, mask, values):
            if may_overlap(a, values) or may_overlap(a, mask):
                # The values may be a view of a, or a bool array its own mask: positions
                # first, values from a copy.
                where = mask_positions(mask, a.shape[0], 0)
                count = where.shape[0]
                check_assigned_values(values.shape[0], count)
                step = 1 if values.shape[0] == count else 0
                source = values.copy()
                for k in range(count):
                    a[where[k]] = source[k * step]
                return
            check_mask_length(mask.shape[0], a.shape[0], 0)
            count = 0
            for i in range(mask.shape[0]):
                if mask[i]:
                    count += 1
            check_assigned_values(values.shape[0], count)
            step = 1 if values.shape[0] == count else 0
            k = 0
            for i in range(mask.shape[0]):
                if mask[i]:
                    a[i] = values[k * step]
                    k += 1

        return set_masked1_from
    if scalar:

        def set_masked2(a, mask, value):
            check_mask_length(mask.shape[0], a.shape[0], 0)
            check_mask_length(mask.shape[1], a.shape[1], 1)
            item = element_of(a, value)
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    if mask[i, j]:
                        a[i, j] = item

        return set_masked2

    def set_masked2_from(a, mask, values):
        # Positions first: a bool array may be its own mask, changed by the stores.
        check_mask_length(mask.shape[0], a.shape[0], 0)
        check_mask_length(mask.shape[1], a.shape[1], 1)
        where = mask_positions(mask.ravel(), mask.size, 0)
        count = where.shape[0]
        check_assigned_values(values.shape[0], count)
        step = 1 if values.shape[0] == count else 0
        source = values.copy() if may_overlap(a, values) else values  # a view of a: a copy
        columns = a.shape[1]
        for k in range(count):
            a[where[k] // columns, where[k] % columns] = source[k * step]

    return set_masked2_from


# --- one index array along one axis: positions first (checked), then the copy or stores ---


def _along_get(form: str, positions):
    if form == "1d" and positions is index_positions:

        def take1_checked(a, index):  # one pass: nothing is written that an index could alias
            size = a.shape[0]
            out = np.empty(index.shape[0], a.dtype)
            for k in range(index.shape[0]):
                i = np.int64(index[k])
                position = i + size if i < 0 else i
                if position < 0 or position >= size:
                    raise_out_of_bounds(i, size, 0)
                out[k] = a[position]
            return out

        return take1_checked
    if form == "1d":

        def take1(a, index):
            where = positions(index, a.shape[0], 0)
            out = np.empty(where.shape[0], a.dtype)
            for k in range(where.shape[0]):
                out[k] = a[where[k]]
            return out

        return take1
    if form == "rows":

        def take_rows(a, index):
            return rows_at(a, positions(index, a.shape[0], 0))

        return take_rows
    if form == "rows_whole":

        def take_rows_whole(a, index, whole):
            return rows_at(a, positions(index, a.shape[0], 0))

        return take_rows_whole
    if form == "columns":

        def take_columns(a, whole, index):
            where = positions(index, a.shape[1], 1)
            out = np.empty((a.shape[0], where.shape[0]), a.dtype)
            for i in range(a.shape[0]):
                for k in range(where.shape[0]):
                    out[i, k] = a[i, where[k]]
            return out

        return take_columns
    if form == "in_row":

        def take_in_row(a, i, index):
            row = checked_position(np.int64(i), a.shape[0], 0)
            where = positions(index, a.shape[1], 1)
            out = np.empty(where.shape[0], a.dtype)
            for k in range(where.shape[0]):
                out[k] = a[row, where[k]]
            return out

        return take_in_row

    def take_in_column(a, index, j):
        where = positions(index, a.shape[0], 0)
        column = checked_position(np.int64(j), a.shape[1], 1)
        out = np.empty(where.shape[0], a.dtype)
        for k in range(where.shape[0]):
            out[k] = a[where[k], column]
        return out

    return take_in_column


def _along_set_1d(form: str, positions, scalar: bool):
    """a[idx] = v on a 1-d array, a[i, idx] = v and a[idx, j] = v on a 2-d one."""
    if form == "1d" and positions is index_positions:
        if scalar:

            def put1_checked(a, index, value):
                size = a.shape[0]
                check_index_positions(index, size, 0)
                item = element_of(a, value)
                if may_overlap(a, index):  # the stores may change the index: positions first
                    where = index_positions(index, size, 0)
                    for k in range(where.shape[0]):
                        a[where[k]] = item
                    return
                for k in range(index.shape[0]):
                    i = np.int64(index[k])
                    a[i + size if i < 0 else i] = item

            return put1_checked

        def put1_from_checked(a, index, values):
            size = a.shape[0]
            check_index_positions(index, size, 0)
            n = index.shape[0]
            if values.shape[0] != n and values.shape[0] != 1:
                raise_shape_mismatch_1d(values.shape[0], n)
            step = 1 if values.shape[0] == n else 0
            if may_overlap(a, index) or may_overlap(a, values):
                where = index_positions(index, size, 0)
                source = values.copy()
                for k in range(n):
                    a[where[k]] = source[k * step]
                return
            for k in range(n):
                i = np.int64(index[k])
                a[i + size if i < 0 else i] = values[k * step]

        return put1_from_checked
    if form == "1d":
        if scalar:

            def put1(a, index, value):
                where = positions(index, a.shape[0], 0)
                item = element_of(a, value)
                for k in range(where.shape[0]):
                    a[where[k]] = item

            return put1

        def put1_from(a, index, values):
            where = positions(index, a.shape[0], 0)
            if values.shape[0] != where.shape[0] and values.shape[0] != 1:
                raise_shape_mismatch_1d(values.shape[0], where.shape[0])
            step = 1 if values.shape[0] == where.shape[0] else 0
            source = values.copy() if may_overlap(a, values) else values  # a view of a: a copy
            for k in range(where.shape[0]):
                a[where[k]] = source[k * step]

        return put1_from
    if form == "in_row":
        if scalar:

            def put_in_row(a, i, index, value):
                row = checked_position(np.int64(i), a.shape[0], 0)
                where = positions(index, a.shape[1], 1)
                item = element_of(a, value)
                for k in range(where.shape[0]):
                    a[row, where[k]] = item

            return put_in_row

        def put_in_row_from(a, i, index, values):
            row = checked_position(np.int64(i), a.shape[0], 0)
            where = positions(index, a.shape[1], 1)
            if values.shape[0] != where.shape[0] and values.shape[0] != 1:
                raise_shape_mismatch_1d(values.shape[0], where.shape[0])
            step = 1 if values.shape[0] == where.shape[0] else 0
            source = values.copy() if may_overlap(a, values) else values  # a view of a: a copy
            for k in range(where.shape[0]):
                a[row, where[k]] = source[k * step]

        return put_in_row_from
    if scalar:

        def put_in_column(a, index, j, value):
            where = positions(index, a.shape[0], 0)
            column = checked_position(np.int64(j), a.shape[1], 1)
            item = element_of(a, value)
            for k in range(where.shape[0]):
                a[where[k], column] = item

        return put_in_column

    def put_in_column_from(a, index, j, values):
        where = positions(index, a.shape[0], 0)
        column = checked_position(np.int64(j), a.shape[1], 1)
        if values.shape[0] != where.shape[0] and values.shape[0] != 1:
            raise_shape_mismatch_1d(values.shape[0], where.shape[0])
        step = 1 if values.shape[0] == where.shape[0] else 0
        source = values.copy() if may_overlap(a, values) else values  # a view of a: a copy
        for k in range(where.shape[0]):
            a[where[k], column] = source[k * step]

    return put_in_column_from


@register_jitable
def put_block_scalar(a, where, axis, value):
    """a[where, :] = value (axis 0) or a[:, where] = value (axis 1)."""
    item = element_of(a, value)
    if axis == 1:
        for r in range(a.shape[0]):
            for c in range(where.shape[0]):
                a[r, where[c]] = item
    else:
        for r in range(where.shape[0]):
            for c in range(a.shape[1]):
                a[where[r], c] = item


@register_jitable
def block_shape(a, where, axis):
    if axis == 1:
        return a.shape[0], where.shape[0]
    return where.shape[0], a.shape[1]


@register_jitable
def put_block_row(a, where, axis, values):
    """The block a[where, :] (a[:, where]) = a 1-d array, broadcast along its rows."""
    rows, cols = block_shape(a, where, axis)
    if values.shape[0] != cols and values.shape[0] != 1:
        raise ValueError(
            f"shape mismatch: value array of shape ({values.shape[0]},) could not be broadcast "
            f"to indexing result of shape ({rows},{cols})"
        )
    step = 1 if values.shape[0] == cols else 0
    source = values.copy() if may_overlap(a, values) else values  # a view of a: a copy
    for r in range(rows):
        for c in range(cols):
            if axis == 1:
                a[r, where[c]] = source[c * step]
            else:
                a[where[r], c] = source[c * step]


@register_jitable
def put_block_array(a, where, axis, values):
    """The block a[where, :] (a[:, where]) = a 2-d array that broadcasts to it."""
    rows, cols = block_shape(a, where, axis)
    vrows = values.shape[0]
    vcols = values.shape[1]
    if (vrows != rows and vrows != 1) or (vcols != cols and vcols != 1):
        raise ValueError(
            f"shape mismatch: value array of shape ({vrows},{vcols}) could not be broadcast "
            f"to indexing result of shape ({rows},{cols})"
        )
    rstep = 1 if vrows == rows else 0
    cstep = 1 if vcols == cols else 0
    source = values.copy() if may_overlap(a, values) else values  # a view of a: a copy
    for r in range(rows):
        for c in range(cols):
            if axis == 1:
                a[r, where[c]] = source[r * rstep, c * cstep]
            else:
                a[where[r], c] = source[r * rstep, c * cstep]


def _along_set_2d(kind: str, positions, value_ndim: int, whole_given: bool):
    """a[idx] = v, a[idx, :] = v (rows) and a[:, idx] = v (columns) of a 2-d array: v a
    scalar (value_ndim 0) or an array that broadcasts to the selected block."""
    put = (put_block_scalar, put_block_row, put_block_array)[value_ndim]
    if kind == "columns":

        def put_columns(a, whole, index, value):
            put(a, positions(index, a.shape[1], 1), 1, value)

        return put_columns
    if whole_given:

        def put_rows_whole(a, index, whole, value):
            put(a, positions(index, a.shape[0], 0), 0, value)

        return put_rows_whole

    def put_rows(a, index, value):
        put(a, positions(index, a.shape[0], 0), 0, value)

    return put_rows


def _index_form(a, indices):
    """How an array index applies: ('mask',) for a mask of the array's shape, else the form
    of one index array along one axis and that array's type; None when not supported."""
    if not isinstance(a, types.Array) or a.ndim not in (1, 2):
        return None
    if len(indices) == 1 and _is_mask(indices[0], a.ndim):
        return "mask", indices[0]
    if any(isinstance(t, types.Array) and t.ndim != 1 for t in indices):
        return None
    along = [t for t in indices if isinstance(t, types.Array)]
    if len(along) != 1 or not (_is_int_array(along[0]) or _is_mask(along[0])):
        return None
    if a.ndim == 1:
        return ("1d", along[0]) if len(indices) == 1 else None
    if len(indices) == 1:
        return "rows", along[0]
    if len(indices) != 2:
        return None
    first, second = indices
    first_along = isinstance(first, types.Array)
    if first_along and _is_whole(second):
        return "rows", along[0]
    if _is_whole(first):
        return "columns", along[0]
    if _is_scalar_index(first):
        return "in_row", along[0]
    if first_along and _is_scalar_index(second):
        return "in_column", along[0]
    return None


@overload_method(types.Array, "__getitem__", jit_options=_UNCHECKED)
def array_getitem(a, *indices):
    form = _index_form(a, indices)
    if form is None:
        return _general(a, indices, "get")
    kind, index = form
    if kind == "mask":
        return _whole_mask_get(a.ndim)
    if kind == "rows" and len(indices) == 2:
        kind = "rows_whole"
    return _along_get(kind, _positions_of(index))


@overload_method(types.Array, "__setitem__", jit_options=_UNCHECKED)
def array_setitem(a, *indices_and_value):
    *indices, value = indices_and_value
    form = _index_form(a, indices)
    if form is None:
        return _general(a, indices, "set", value)
    scalar = _is_value(value)
    if not scalar and not (isinstance(value, types.Array) and value.ndim <= 2):
        raise TypeError(f"cannot store {value} into {a} by an array index")
    if not scalar and not isinstance(value.dtype, types.Number):
        raise TypeError(f"cannot store {value} into {a} by an array index")
    kind, index = form
    value_ndim = 0 if scalar else value.ndim
    if kind in ("mask", "1d", "in_row", "in_column") and value_ndim > 1:
        raise TypeError(f"cannot store {value} into a 1-d selection of {a}")
    if kind == "mask":
        return _whole_mask_set(a.ndim, scalar)
    positions = _positions_of(index)
    if kind in ("1d", "in_row", "in_column"):
        return _along_set_1d(kind, positions, scalar)
    return _along_set_2d(kind, positions, value_ndim, len(indices) == 2)


@overload_method(types.Array, "__contains__")
def array_contains(a, x):
    """`x in a`: whether any element equals x (NumPy's `(a == x).any()`)."""
    if not isinstance(x, types.Number) or not isinstance(a.dtype, types.Number):
        raise TypeError(f"'in' takes a number and a numeric array, not {x} and {a}")
    if a.ndim == 1:

        def contains1(a, x):
            found = False
            for i in range(a.shape[0]):
                if a[i] == x:
                    found = True
                    break
            return found

        return contains1
    if a.ndim == 2:

        def contains2(a, x):
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    if a[i, j] == x:
                        return True
            return False

        return contains2
    raise TypeError(f"'in' on a {a.ndim}-dimensional array is not supported yet")


# The operators whose scalar form in compiled code gives NumPy's array result bit for bit,
# for each kind of element: there the update is one fused pass (advanced_indexing.py).
_FUSED_OPERATORS = {
    types.Integer: frozenset("+-*&|^"),
    types.Float: frozenset("+-*"),
    types.Complex: frozenset("+-"),
}


def _fusable(a, value, operator: str) -> bool:
    """Whether `a[idx] op= value` can be fused: NumPy computes in a's dtype there (the value
    has a's dtype, or is an integer into float64) and the operator's scalar form agrees with
    its ufunc (no division or power: their errors on zero and negative exponents differ)."""
    if not isinstance(a, types.Array) or isinstance(a.dtype, types.Boolean):
        return False
    element = value.dtype if isinstance(value, types.Array) else types.unliteral(value)
    if isinstance(value, types.Array) and value.ndim > a.ndim:
        return False  # it may broadcast beyond the selection, which NumPy refuses in place
    same = element == a.dtype
    widened = (
        a.dtype == types.float64
        and isinstance(element, types.Integer)
        and not isinstance(element, types.Boolean)
    )
    if not (same or widened):
        return False
    for kind, operators in _FUSED_OPERATORS.items():
        if isinstance(a.dtype, kind):
            return operator in operators
    return False


def _register_update(operator: str, method: str):
    """`a[idx] op= v`: the typer calls the array's `method` with the array, the indices and
    v; NumPy's `a[idx] = a[idx] op v` with the read copy updated in place, fused into one
    pass where that gives the same result."""

    @overload_method(types.Array, method, jit_options=_UNCHECKED)
    def array_update(a, *indices_and_value):
        *indices, value = indices_and_value
        if advanced_indexing.value_kind_of(value) is None:
            raise TypeError(f"unsupported operand types for {operator}=: {a} and {value}")
        mode = "fused" if _fusable(a, value, operator) else "update"
        return _general(a, indices, mode, value, operator)

    return array_update


for _operator, _method in (
    ("+", "__setitem_iadd__"),
    ("-", "__setitem_isub__"),
    ("*", "__setitem_imul__"),
    ("/", "__setitem_itruediv__"),
    ("//", "__setitem_ifloordiv__"),
    ("%", "__setitem_imod__"),
    ("**", "__setitem_ipow__"),
    ("<<", "__setitem_ilshift__"),
    (">>", "__setitem_irshift__"),
    ("&", "__setitem_iand__"),
    ("|", "__setitem_ior__"),
    ("^", "__setitem_ixor__"),
):
    _register_update(_operator, _method)
