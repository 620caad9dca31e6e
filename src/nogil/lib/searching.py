"""np.searchsorted and a.searchsorted: binary search in a sorted 1-d array, with NumPy's
order (NaN after every number, so a NaN-last sorted array is searched correctly). ``side``
is read when compiling; a side NumPy refuses raises NumPy's ValueError at run time."""

import numpy as np

from nogil.extending import overload, overload_method, register_jitable, types
from nogil.lib._axes import REAL_DTYPES, check_array, is_none
from nogil.lib._literals import literal_text, raiser


@register_jitable
def _before(x, y):
    """x sorts before y in NumPy's order: NaN is the largest value."""
    return x < y or (y != y and x == x)


@register_jitable
def _search(a, x, right):
    lo = 0
    hi = a.shape[0]
    if right:
        while lo < hi:
            mid = (lo + hi) >> 1
            if _before(x, a[mid]):
                hi = mid
            else:
                lo = mid + 1
        return lo
    while lo < hi:
        mid = (lo + hi) >> 1
        if _before(a[mid], x):
            lo = mid + 1
        else:
            hi = mid
    return lo


def _side(side):
    """(right, check): whether the search is for the right side, and a compiled function
    raising NumPy's ValueError for a side it refuses (None when valid)."""
    if not is_none(side) and not isinstance(side, str | types.StringLiteral):
        raise TypeError(f"searchsorted(): side must be 'left' or 'right', not {side}")
    text = literal_text("searchsorted", "side", side, "left")
    if text in ("left", "right"):
        return text == "right", None
    if text[:1].lower() in ("l", "r"):  # NumPy's message for a prefix or another case
        return False, raiser(ValueError, "search side must be one of 'left' or 'right'")
    return False, raiser(ValueError, f"search side must be 'left' or 'right' (got {text!r})")


def _number_or_array(v) -> bool:
    return isinstance(v, types.Number) or (
        isinstance(v, types.Array) and v.dtype.name in REAL_DTYPES
    )


def _searchsorted(a, v, side, sorter):
    check_array("searchsorted", a)
    if a.ndim != 1:
        raise TypeError(f"searchsorted() takes a 1-d array to search, not {a}")
    if a.dtype.name not in REAL_DTYPES or not _number_or_array(v):
        raise TypeError(f"searchsorted() of {a} and {v} is not supported yet")
    if not is_none(sorter):
        raise TypeError("searchsorted(): sorter= is not supported yet")
    right, check = _side(side)
    fail = check if check is not None else raiser(AssertionError, "unreachable")
    failing = check is not None
    if isinstance(v, types.Array):

        def search_each(a, v, side="left", sorter=None):
            if failing:
                fail()
            values = v.flatten()
            out = np.empty(values.shape[0], np.int64)
            for i in range(values.shape[0]):
                out[i] = _search(a, values[i], right)
            return out.reshape(v.shape)

        return search_each

    def search_one(a, v, side="left", sorter=None):
        if failing:
            fail()
        return _search(a, v, right)

    return search_one


@overload(np.searchsorted)
def np_searchsorted(a, v, side="left", sorter=None):
    return _searchsorted(a, v, side, sorter)


@overload_method(types.Array, "searchsorted")
def array_searchsorted(a, v, side="left", sorter=None):
    return _searchsorted(a, v, side, sorter)
