"""`a.flat[k]` and `a.flat[k] = v`: the element at C-order position k (an int, or each of a
1-d integer array) of an array of any layout, found from the array's shape (no copy), with
NumPy's flatiter rules: IndexError "index 12 is out of bounds for size 12", and stored
values repeated cyclically over the positions (`a.flat[[0, 1, 2]] = [1, 2]` stores 1, 2, 1).

(The core types `a.flat` itself as the elements in C order: a view of a C-contiguous array,
a read-only copy otherwise; iteration and slices of it need nothing here.)
"""

import functools
import linecache

import numpy as np

from nogil.extending import overload_method, register_jitable, types
from nogil.lib.advanced_indexing import element_of


@register_jitable
def flat_position(index, size):
    i = np.int64(index)
    position = i + size if i < 0 else i
    if position < 0 or position >= size:
        raise IndexError(f"index {i} is out of bounds for size {size}")
    return position


def _unravel(ndim: int, indent: str, contiguous: bool) -> list[str]:
    """Lines turning `position` into the C-order indices r0..r{ndim-1} of a (or, in a
    C-contiguous array, into r0 of its 1-d view `flat`)."""
    if contiguous:
        return [f"{indent}r0 = position"]
    lines = [f"{indent}rest = position"]
    for d in range(ndim - 1, 0, -1):
        lines.append(f"{indent}r{d} = rest % a.shape[{d}]")
        lines.append(f"{indent}rest = rest // a.shape[{d}]")
    lines.append(f"{indent}r0 = rest")
    return lines


@functools.cache
def _implementation(ndim: int, contiguous: bool, mode: str, many: bool, scalar_value: bool):
    element = "flat[r0]" if contiguous else "a[" + ", ".join(f"r{d}" for d in range(ndim)) + "]"
    params = "a, index" + (", value" if mode == "set" else "")
    lines = [f"def flat_{mode}({params}):", "    size = a.size"]
    if contiguous:
        lines.append("    flat = a.reshape(size)")
    if mode == "set":
        lines.append(
            "    item = element_of(a, value)" if scalar_value else "    source = value.copy()"
        )
    if many:
        if mode == "get":
            lines.append("    out = np.empty(index.shape[0], a.dtype)")
        else:
            lines.append("    where = np.empty(index.shape[0], np.int64)")
            lines.append("    for k in range(index.shape[0]):")
            lines.append("        where[k] = flat_position(index[k], size)")
            if not scalar_value:  # the values repeat over the positions, as NumPy's
                lines.append("    cycle = source.shape[0]")
                lines.append("    if cycle == 0:")
                lines.append("        return")
        lines.append("    for k in range(index.shape[0]):")
        if mode == "get":
            lines.append("        position = flat_position(index[k], size)")
        else:
            lines.append("        position = where[k]")
        lines += _unravel(ndim, "        ", contiguous)
        if mode == "get":
            lines.append(f"        out[k] = {element}")
            lines.append("    return out")
        else:
            lines.append(
                f"        {element} = " + ("item" if scalar_value else "source[k % cycle]")
            )
    else:
        lines.append("    position = flat_position(index, size)")
        if mode == "set" and not scalar_value:
            lines.append("    if source.shape[0] != 1:")
            lines.append('        raise ValueError("Error setting single item of array.")')
        lines += _unravel(ndim, "    ", contiguous)
        if mode == "get":
            lines.append(f"    return {element}")
        else:
            lines.append(f"    {element} = " + ("item" if scalar_value else "source[0]"))
    text = "\n".join(lines) + "\n"
    filename = f"<nogil flat index {abs(hash(text)):x}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {"np": np, "flat_position": flat_position, "element_of": element_of}
    exec(compile(text, filename, "exec"), namespace)
    return namespace[f"flat_{mode}"]


def _index_shape(index) -> bool | None:
    """Whether the index is an integer array (True), an int (False); None otherwise."""
    if isinstance(index, types.Integer) and not isinstance(index, types.Boolean):
        return False
    if (
        isinstance(index, types.Array)
        and index.ndim == 1
        and isinstance(index.dtype, types.Integer)
        and not isinstance(index.dtype, types.Boolean)
    ):
        return True
    return None


@overload_method(types.Array, "__flat_getitem__", jit_options={"boundscheck": False})
def flat_getitem(a, index):
    many = _index_shape(index)
    if many is None:
        raise TypeError(f"a.flat takes an int or a 1-d integer array here, not {index}")
    return _implementation(a.ndim, a.layout == "C", "get", many, False)


@overload_method(types.Array, "__flat_setitem__", jit_options={"boundscheck": False})
def flat_setitem(a, index, value):
    many = _index_shape(index)
    if many is None:
        raise TypeError(f"a.flat takes an int or a 1-d integer array here, not {index}")
    if isinstance(value, types.Number):
        return _implementation(a.ndim, a.layout == "C", "set", many, True)
    if isinstance(value, types.Array) and value.ndim == 1 and isinstance(value.dtype, types.Number):
        return _implementation(a.ndim, a.layout == "C", "set", many, False)
    raise TypeError(f"cannot store {value} into {a}.flat")


@functools.cache
def _update(operator: str):
    """a.flat[k] op= v: NumPy's a.flat[k] = a.flat[k] op v (a repeated index updates once)."""
    text = (
        "def flat_update(a, index, value):\n"
        "    current = a.flat[index]\n"
        f"    current {operator}= value\n"
        "    a.flat[index] = current\n"
    )
    filename = f"<nogil flat update {operator}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {}
    exec(compile(text, filename, "exec"), namespace)
    return namespace["flat_update"]


def _register_update(operator: str, method: str):
    @overload_method(types.Array, method)
    def flat_update(a, index, value):
        if _index_shape(index) is None:
            raise TypeError(f"a.flat takes an int or a 1-d integer array here, not {index}")
        return _update(operator)

    return flat_update


for _operator, _method in (
    ("+", "__flat__setitem_iadd__"),
    ("-", "__flat__setitem_isub__"),
    ("*", "__flat__setitem_imul__"),
    ("/", "__flat__setitem_itruediv__"),
    ("//", "__flat__setitem_ifloordiv__"),
    ("%", "__flat__setitem_imod__"),
    ("**", "__flat__setitem_ipow__"),
    ("<<", "__flat__setitem_ilshift__"),
    (">>", "__flat__setitem_irshift__"),
    ("&", "__flat__setitem_iand__"),
    ("|", "__flat__setitem_ior__"),
    ("^", "__flat__setitem_ixor__"),
):
    _register_update(_operator, _method)
