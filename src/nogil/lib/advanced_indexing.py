"""NumPy's advanced indexing in general: any number of integer and boolean index arrays of
any dimensions, mixed with ints and whole slices `:`, on arrays of any dimensions, get, set
and augmented set (`a[i, j]`, `x[:, i, j, :]`, `x[:, i, :, j]`, `v[idx2d]`, `a[idx] += v`).

NumPy's rules: a k-d boolean array stands for the k integer arrays of its True positions
(np.nonzero); integer arrays and ints broadcast together; the broadcast dimensions replace
the indexed axes where these are adjacent, and come first when a slice separates them (an
int counts as an index array there). Indices are checked (IndexError) over the broadcast
iteration, so nothing is checked when it is empty; a store checks everything first, then
writes in C order of the result, so a repeated index keeps the last value; the augmented
store reads `a[idx]`, updates that copy and stores it back, so a repeated index adds once.

Each implementation is Python source generated for the index kinds at hand (the loops must
nest once per dimension), compiled like any library function and cached per kinds.
"""

import functools
import linecache

import numpy as np

from nogil.extending import register_jitable, types
from nogil.lib._overlap import may_overlap


@register_jitable
def raise_out_of_bounds(index, size, axis):
    raise IndexError(f"index {index} is out of bounds for axis {axis} with size {size}")


@register_jitable
def checked_position(index, size, axis):
    """`index` counted from the end when negative; IndexError as NumPy's when out of range."""
    position = index + size if index < 0 else index
    if position < 0 or position >= size:
        raise_out_of_bounds(index, size, axis)
    return position


@register_jitable
def checked_positions(index, size, axis, check):
    """The positions of an integer index array of any dimensions, counted from the end when
    negative and, when `check`, each checked against `size`, as a C-order int64 array of its
    shape. A uint64 index is read as int64, as NumPy casts it to intp."""
    flat = index.ravel()
    positions = np.empty(flat.shape[0], np.int64)
    for k in range(flat.shape[0]):
        i = np.int64(flat[k])
        position = i + size if i < 0 else i
        if check and (position < 0 or position >= size):
            raise_out_of_bounds(i, size, axis)
        positions[k] = position
    return positions.reshape(index.shape)


@register_jitable
def check_positions(index, size, axis, check):
    """checked_positions' checks without its array (when `check`), in the same order."""
    if check:
        check_index_positions(index.ravel(), size, axis)


@register_jitable
def check_index_positions(index, size, axis):
    """The checks of a 1-D index array's positions, in NumPy's order: the extremes first, a
    loop LLVM vectorizes; the first bad index only if one is."""
    low = np.int64(0)
    high = np.int64(0)
    for k in range(index.shape[0]):
        i = np.int64(index[k])
        if i < low:
            low = i
        if i > high:
            high = i
    if low >= -size and high < size:
        return
    for k in range(index.shape[0]):
        i = np.int64(index[k])
        position = i + size if i < 0 else i
        if position < 0 or position >= size:
            raise_out_of_bounds(i, size, axis)


@register_jitable
def check_mask_length(mask_size, size, axis):
    if mask_size != size:
        raise IndexError(
            f"boolean index did not match indexed array along axis {axis}; size of axis is "
            f"{size} but size of corresponding boolean axis is {mask_size}"
        )


@register_jitable
def element_of(a, value):
    """`value` converted to a's dtype once, before any store, as NumPy converts it first."""
    cell = np.empty(1, a.dtype)
    cell[0] = value
    return cell[0]


_UNCHECKED = {"boundscheck": False}


def index_kind(t):
    """('int',), ('ints', k) for an integer array, ('mask', k) for a boolean one, ('whole',)
    for `:` (passed as None); None when NumPy's advanced indexing takes no such index."""
    if isinstance(t, types.NoneType):
        return ("whole",)
    if isinstance(t, types.Integer) and not isinstance(t, types.Boolean):
        return ("int",)
    if isinstance(t, types.Array) and t.ndim >= 1:
        if isinstance(t.dtype, types.Boolean):
            return ("mask", t.ndim)
        if isinstance(t.dtype, types.Integer):
            return ("ints", t.ndim)
    return None


def kinds_of(a, indices):
    """The kinds of the indices, or a TypeError's text saying why NumPy's rules refuse them."""
    kinds = []
    for t in indices:
        kind = index_kind(t)
        if kind is None:
            return None, f"an index of type {t} next to an index array is not supported"
        kinds.append(kind)
    used = sum(k[1] if k[0] == "mask" else 1 for k in kinds)
    if used > a.ndim:
        return None, (
            f"too many indices for array: array is {a.ndim}-dimensional, but {used} were indexed"
        )
    return tuple(kinds), None


class _Source:
    def __init__(self):
        self.lines = []
        self.depth = 1

    def add(self, line: str):
        self.lines.append("    " * self.depth + line)

    def open(self, line: str):
        self.add(line)
        self.depth += 1


def _shape_text(names):
    """An f-string fragment printing a shape as NumPy's messages do: (2,), (2,3), ()."""
    if len(names) == 1:
        return "({" + names[0] + "},)"
    return "(" + ",".join("{" + n + "}" for n in names) + ")"


def _plan(ndim: int, kinds):
    """The axes left to whole slices, the advanced entries (argument number, kind, first
    axis) in order, and whether these are adjacent."""
    axis = 0
    entries = []  # (argument number, kind, first axis)
    for number, kind in enumerate(kinds):
        entries.append((number, kind, axis))
        axis += kind[1] if kind[0] == "mask" else 1
    whole_axes = [e[2] for e in entries if e[1][0] == "whole"] + list(range(axis, ndim))
    advanced = [e for e in entries if e[1][0] != "whole"]
    numbers = [e[0] for e in advanced]
    adjacent = numbers == list(range(numbers[0], numbers[-1] + 1))
    return whole_axes, advanced, adjacent


def _generate(ndim: int, kinds, mode: str, value_kind, operator: str | None):
    """Source of the implementation: mode 'get', 'set' or 'update' (an augmented store)."""
    whole_axes, advanced, adjacent = _plan(ndim, kinds)
    params = ["a"] + [f"x{n}" for n in range(len(kinds))]
    if mode != "get":
        params.append("value")
    src = _Source()
    if mode == "update":
        # a[idx] op= v is a[idx] = a[idx] op v with the read copy updated in place.
        spelled = ", ".join(":" if k[0] == "whole" else f"x{n}" for n, k in enumerate(kinds))
        src.add(f"current = a[{spelled}]")
        src.add(f"current {operator}= value")
        src.add(f"a[{spelled}] = current")
        return _finish(params, src, "update")
    fallback_call = "return fallback(" + ", ".join(params) + ")"
    # Each advanced axis is read from an array `name` of `nd` dimensions (broadcast), or is
    # a scalar position.
    sources = []  # (axis, name or None, nd, scalar variable)
    for number, kind, first in advanced:
        x = f"x{number}"
        if kind[0] == "int":  # checked first, in order with the masks' lengths, as NumPy
            src.add(f"p{first} = checked_position(np.int64({x}), a.shape[{first}], {first})")
            sources.append((first, None, 0, x))
        elif kind[0] == "ints":
            sources.append((first, x, kind[1], None))
        else:  # a k-d mask: the k arrays of its True positions, checked against a's axes
            k = kind[1]
            for d in range(k):
                src.add(f"check_mask_length({x}.shape[{d}], a.shape[{first + d}], {first + d})")
            src.add(f"count{number} = 0")
            for d in range(k):
                src.open(f"for m{number}_{d} in range({x}.shape[{d}]):")
            spot = ", ".join(f"m{number}_{d}" for d in range(k))
            src.open(f"if {x}[{spot}]:")
            src.add(f"count{number} += 1")
            src.depth -= k + 1
            for d in range(k):
                src.add(f"nz{number}_{d} = np.empty(count{number}, np.int64)")
            src.add(f"filled{number} = 0")
            for d in range(k):
                src.open(f"for m{number}_{d} in range({x}.shape[{d}]):")
            src.open(f"if {x}[{spot}]:")
            for d in range(k):
                src.add(f"nz{number}_{d}[filled{number}] = m{number}_{d}")
            src.add(f"filled{number} += 1")
            src.depth -= k + 1
            for d in range(k):
                sources.append((first + d, f"nz{number}_{d}", 1, None))
    arrays = [(axis, name, nd) for axis, name, nd, _ in sources if name is not None]
    bdims = max((nd for _, _, nd in arrays), default=0)
    for t in range(bdims):
        src.add(f"b{t} = 1")
        for _, name, nd in arrays:
            if t >= bdims - nd:
                d = t - (bdims - nd)
                src.open(f"if {name}.shape[{d}] != 1:")
                src.open(f"if b{t} != 1 and b{t} != {name}.shape[{d}]:")
                shapes = " ".join(
                    _shape_text([f"{n}.shape[{j}]" for j in range(k)]) for _, n, k in arrays
                )
                src.add(
                    'raise IndexError(f"shape mismatch: indexing arrays could not be broadcast '
                    f'together with shapes {shapes} ")'
                )
                src.depth -= 1
                src.add(f"b{t} = {name}.shape[{d}]")
                src.depth -= 1
    # The result's dimensions, in order: ('b', t) broadcast, ('w', axis) a sliced axis.
    first_advanced = advanced[0][2]
    if adjacent:
        before = [w for w in whole_axes if w < first_advanced]
        after = [w for w in whole_axes if w > first_advanced]
    else:
        before, after = [], whole_axes
    dims = [("w", w) for w in before] + [("b", t) for t in range(bdims)] + [("w", w) for w in after]
    extent = {d: (f"b{d[1]}" if d[0] == "b" else f"a.shape[{d[1]}]") for d in dims}
    loop_var = {d: f"r{n}" for n, d in enumerate(dims)}
    result_shape = [extent[d] for d in dims]
    if mode in ("set", "fused") and value_kind[0] == "array":
        vnd = value_kind[1]
        rnd = len(dims)
        for j in range(vnd):
            t = j - (vnd - rnd)
            bad = f"value.shape[{j}] != 1" + (
                f" and value.shape[{j}] != {result_shape[t]}" if t >= 0 else ""
            )
            src.open(f"if {bad}:")
            if mode == "fused":  # NumPy's message of the in-place operation, as the fallback's
                src.add(fallback_call)
                src.depth -= 1
                continue
            vshape = _shape_text([f"value.shape[{i}]" for i in range(vnd)])
            rshape = _shape_text(result_shape) if rnd else "()"
            src.add(
                'raise ValueError(f"shape mismatch: value array of shape '
                f'{vshape} could not be broadcast to indexing result of shape {rshape}")'
            )
            src.depth -= 1
    # Positions are checked over the broadcast iteration, so not at all when it is empty.
    total = " * ".join(f"b{t}" for t in range(bdims)) or "1"
    wrapped = set()  # the axes whose index array is read as given, negative positions wrapped
    whole_extent = " * ".join(f"a.shape[{w}]" for w in whole_axes) or "1"
    for axis, name, nd, _ in sources:
        if name is None:
            continue  # an int, checked above
        if name.startswith("x"):
            # Read in place; a store into memory they view reads copies. A store checks
            # them first; a read checks each as it reads it, and a pass over them all only
            # when the loops do not reach them all (a whole slice of length 0).
            check = f"{total} != 0" + (f" and {whole_extent} == 0" if mode != "set" else "")
            src.add(f"check_positions({name}, a.shape[{axis}], {axis}, {check})")
            src.add(f"p{axis} = {name}")
            wrapped.add(axis)
        else:
            src.add(f"p{axis} = {name}")  # a mask's positions are in range by construction
        for d in range(nd):  # an extent of 1 broadcast: that dimension always reads 0
            src.add(f"s{axis}_{d} = 0 if p{axis}.shape[{d}] == 1 else 1")
    if mode in ("get", "fused"):
        shape = ", ".join(result_shape) + ("," if len(result_shape) == 1 else "")
        src.add(f"out = np.empty(({shape}), a.dtype)")
    elif value_kind[0] == "scalar":
        src.add("item = element_of(a, value)")
    else:  # the values may be a view of `a` itself: then they are read from a copy
        src.add("source = value.copy() if may_overlap(a, value) else value")
    if mode != "get" and value_kind[0] == "array":
        vnd = value_kind[1]
        rnd = len(dims)
        for j in range(vnd):
            t = j - (vnd - rnd)
            src.add(f"v{j} = 0 if value.shape[{j}] == 1 else 1")
    direct = [False]  # whether the loops being written read without broadcast steps

    def checks_in_loop():
        """The loops of a read check each position; the first failing calls the checks of
        every index array in order, which raise NumPy's error (the first array's first)."""
        if mode == "set" or not wrapped:
            return []
        bad = " or ".join(f"i{axis} < 0 or i{axis} >= a.shape[{axis}]" for axis in sorted(wrapped))
        lines = [f"if {bad}:"]
        for axis in sorted(wrapped):
            lines.append(f"    check_positions(p{axis}, a.shape[{axis}], {axis}, True)")
        return lines

    def element_at(copied: bool, checking: bool = False) -> str:
        """a's element at the loops' position; `copied`: the index arrays are read from the
        copies q (of positions, wrapped), not in place."""
        positions = {}
        reads = []  # the statements before the element's, reading the index arrays
        for axis, _, nd, _ in sources:
            if nd == 0:
                positions[axis] = f"p{axis}"
                continue
            spot = ", ".join(
                loop_var[("b", bdims - nd + d)] + ("" if direct[0] else f" * s{axis}_{d}")
                for d in range(nd)
            )
            if axis in wrapped and copied:
                positions[axis] = f"q{axis}[{spot}]"
            elif axis in wrapped:  # wrapped here: a helper called per element costs a call
                positions[axis] = f"i{axis}"
                reads.append(f"i{axis} = np.int64(p{axis}[{spot}])")
                reads.append(f"if i{axis} < 0:")
                reads.append(f"    i{axis} += a.shape[{axis}]")
            else:
                positions[axis] = f"p{axis}[{spot}]"
        if checking:
            reads += checks_in_loop()
        for d in dims:
            if d[0] == "w":
                positions[d[1]] = loop_var[d]
        return reads, "a[" + ", ".join(positions[axis] for axis in range(ndim)) + "]"

    def add_at(element_at_copied: bool, statement_at, checking: bool = False):
        reads, element = element_at(element_at_copied, checking)
        for line in reads:
            src.add(line)
        src.add(statement_at(element))

    def open_loops():
        for d in dims:
            src.open(f"for {loop_var[d]} in range({extent[d]}):")
        return len(dims)

    def stores(statement_at):
        """The store loops twice: reading the index arrays in place, and from copies when
        they may view `a`'s memory, which the stores change (`a[a] = 0`)."""
        viewing = " or ".join(f"may_overlap(a, p{axis})" for axis in sorted(wrapped))
        if viewing:
            src.open(f"if {viewing}:")
            for axis in sorted(wrapped):
                src.add(f"q{axis} = checked_positions(p{axis}, a.shape[{axis}], {axis}, False)")
            open_loops()
            add_at(True, statement_at)
            src.depth -= len(dims) + 1
            src.open("else:")
        open_loops()
        add_at(False, statement_at)
        src.depth -= len(dims) + (1 if viewing else 0)

    result_spot = ", ".join(loop_var[d] for d in dims) if dims else "()"
    broadcast = [f"s{axis}_{d} == 1" for axis, _, nd, _ in sources for d in range(nd)]

    def emit_loops():
        if mode != "get" and value_kind[0] == "array":
            vnd = value_kind[1]
            rnd = len(dims)
            spots = []
            for j in range(vnd):
                t = j - (vnd - rnd)
                if t >= 0:
                    spots.append(loop_var[dims[t]] + ("" if direct[0] else f" * v{j}"))
                else:
                    spots.append("0")
            stored = f"{'value' if mode == 'fused' else 'source'}[{', '.join(spots)}]"
        else:
            stored = "value" if mode == "fused" else "item"
        if mode == "get":
            open_loops()
            add_at(False, lambda element: f"out[{result_spot}] = {element}", True)
            src.depth -= len(dims)
        elif mode == "fused":
            # Every element is read (and every value) before any is stored, so a repeated
            # position keeps the last result and the values may be a view of `a`.
            open_loops()
            add_at(
                False, lambda element: f"out[{result_spot}] = {element} {operator} {stored}", True
            )
            src.depth -= len(dims)
            stores(lambda at: f"{at} = out[{result_spot}]")
        else:
            stores(lambda at: f"{at} = {stored}")

    # The loops twice: where no index array (or value) is broadcast along a dimension, they
    # read them at the loops' position, with no multiplication by a 0-or-1 step that keeps
    # LLVM from simplifying the addresses (2-3x on a gather).
    if mode != "get" and value_kind[0] == "array":
        rnd = len(dims)
        if value_kind[1] < rnd:
            broadcast = []  # the value always broadcasts: no direct form
        else:
            broadcast += [f"v{j} == 1" for j in range(value_kind[1])]
    if broadcast:
        direct[0] = True
        src.open(f"if {' and '.join(broadcast)}:")
        emit_loops()
        src.depth -= 1
        src.open("else:")
        direct[0] = False
        emit_loops()
        src.depth -= 1
    else:
        emit_loops()
    if mode == "get":
        src.add("return out")
    return _finish(params, src, mode, fallback_of(ndim, kinds, value_kind, operator, mode))


def fallback_of(ndim: int, kinds, value_kind, operator, mode: str):
    """The fused update's way out where NumPy's in-place operation raises (a value array
    that does not broadcast in place): the update as NumPy spells it, which raises as it."""
    if mode != "fused":
        return None
    return register_jitable(implementation(ndim, kinds, "update", value_kind, operator))


def _finish(params, src: _Source, what: str, fallback=None):
    name = f"advanced_{what}"
    text = f"def {name}({', '.join(params)}):\n" + "\n".join(src.lines) + "\n"
    filename = f"<nogil advanced indexing {abs(hash(text)):x}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {
        "np": np,
        "checked_position": checked_position,
        "checked_positions": checked_positions,
        "check_positions": check_positions,
        "check_mask_length": check_mask_length,
        "element_of": element_of,
        "may_overlap": may_overlap,
        "fallback": fallback,
    }
    exec(compile(text, filename, "exec"), namespace)
    return namespace[name]


@functools.cache
def implementation(ndim: int, kinds, mode: str, value_kind=None, operator=None):
    return _generate(ndim, kinds, mode, value_kind, operator)


def value_kind_of(value):
    """('scalar',) or ('array', ndim) for a stored value, None when it cannot be stored."""
    if isinstance(value, types.Number):
        return ("scalar",)
    if isinstance(value, types.Array) and isinstance(value.dtype, types.Number):
        return ("array", value.ndim)
    return None
