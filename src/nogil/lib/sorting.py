"""np.sort, np.argsort and the methods a.sort() and a.argsort(), as NumPy orders: ascending,
NaN last (a float array's NaNs are moved to the end first, so the sort itself compares with
a plain ``<``). Values sort with an introsort (quicksort with a median of three, insertion
sort for short runs, heapsort past a depth bound); indices sort with a stable merge sort,
which is a valid answer for every ``kind`` NumPy accepts. ``kind`` is read when compiling
(NumPy reads its first letter: 'q'uicksort, 'h'eapsort, 'm'ergesort, 's'table); the stable
kinds sort a float array through its stable argsort, so that -0.0 and 0.0 keep their order."""

import numpy as np

from nogil.extending import overload, overload_method, register_jitable, types
from nogil.lib._axes import REAL_DTYPES, check_array, is_none, normalize_axis
from nogil.lib._literals import literal_text, raiser

_SHORT_RUN = 16  # below this, insertion sort wins
_SORTABLE = REAL_DTYPES
# The sorts index only within the ranges they are given (and their own stack and buffer),
# so they run without per-element index checks, as Numba's: the checks cost int64 np.sort
# 1.2x and argsort up to 2.5x Numba's time.
_trusted = register_jitable(boundscheck=False)


@_trusted
def _insertion_sort(v, lo, hi):
    for i in range(lo + 1, hi + 1):
        x = v[i]
        j = i - 1
        while j >= lo and x < v[j]:
            v[j + 1] = v[j]
            j -= 1
        v[j + 1] = x


@_trusted
def _sift_down(v, lo, start, end):
    root = start
    while True:
        child = 2 * root + 1
        if child > end:
            return
        if child + 1 <= end and v[lo + child] < v[lo + child + 1]:
            child += 1
        if v[lo + root] < v[lo + child]:
            t = v[lo + root]
            v[lo + root] = v[lo + child]
            v[lo + child] = t
            root = child
        else:
            return


@_trusted
def _heapsort(v, lo, hi):
    n = hi - lo + 1
    start = n // 2 - 1
    while start >= 0:
        _sift_down(v, lo, start, n - 1)
        start -= 1
    end = n - 1
    while end > 0:
        t = v[lo]
        v[lo] = v[lo + end]
        v[lo + end] = t
        end -= 1
        _sift_down(v, lo, 0, end)


@_trusted
def _introsort(v, n):
    """Sorts v[0:n] in place (no NaN in it); the pending ranges on an explicit stack."""
    if n < 2:
        return
    depth_limit = 0
    m = n
    while m > 1:
        depth_limit += 2
        m >>= 1
    stack = np.empty((2 * depth_limit + 64, 3), np.int64)
    stack[0, 0] = 0
    stack[0, 1] = n - 1
    stack[0, 2] = depth_limit
    top = 1
    while top > 0:
        top -= 1
        lo = stack[top, 0]
        hi = stack[top, 1]
        depth = stack[top, 2]
        while hi - lo >= _SHORT_RUN:
            if depth == 0:
                _heapsort(v, lo, hi)
                break
            depth -= 1
            mid = lo + ((hi - lo) >> 1)
            if v[mid] < v[lo]:
                t = v[mid]
                v[mid] = v[lo]
                v[lo] = t
            if v[hi] < v[mid]:
                t = v[hi]
                v[hi] = v[mid]
                v[mid] = t
                if v[mid] < v[lo]:
                    t = v[mid]
                    v[mid] = v[lo]
                    v[lo] = t
            pivot = v[mid]
            i = lo
            j = hi
            while True:
                i += 1
                while v[i] < pivot:
                    i += 1
                j -= 1
                while pivot < v[j]:
                    j -= 1
                if i >= j:
                    break
                t = v[i]
                v[i] = v[j]
                v[j] = t
            # Recurse into the smaller side (on the stack), loop on the larger: the stack
            # stays within log2(n) entries.
            if j - lo < hi - j:
                stack[top, 0] = j + 1
                stack[top, 1] = hi
                stack[top, 2] = depth
                top += 1
                hi = j
            else:
                stack[top, 0] = lo
                stack[top, 1] = j
                stack[top, 2] = depth
                top += 1
                lo = j + 1
        if hi - lo < _SHORT_RUN:
            _insertion_sort(v, lo, hi)


@_trusted
def _nans_last(v):
    """Moves v's NaNs to its end (their order does not matter: NaNs are alike); returns the
    count of the others."""
    n = v.shape[0]
    k = 0
    for i in range(n):
        x = v[i]
        if x == x:
            if i != k:
                v[i] = v[k]
                v[k] = x
            k += 1
    return k


@register_jitable
def sort_float_inplace(v):
    _introsort(v, _nans_last(v))


@register_jitable
def sort_int_inplace(v):
    _introsort(v, v.shape[0])


@register_jitable
def sort_bool_inplace(v):
    n = v.shape[0]
    falses = 0
    for i in range(n):
        if not v[i]:
            falses += 1
    for i in range(n):
        v[i] = i >= falses


@register_jitable
def sort_float_stable_inplace(v):
    n = v.shape[0]
    idx = np.empty(n, np.int64)
    argsort_row(v, idx)
    ordered = np.empty(n, v.dtype)
    for i in range(n):
        ordered[i] = v[idx[i]]
    for i in range(n):
        v[i] = ordered[i]


def _row_sorter(dtype, stable=False):
    name = dtype.name
    if name not in _SORTABLE:
        raise TypeError(f"sort() of {dtype} arrays is not supported yet")
    if name == "bool":
        return sort_bool_inplace
    if name.startswith("float"):
        return sort_float_stable_inplace if stable else sort_float_inplace
    return sort_int_inplace  # equal integers are alike: any order is the stable one


def _sort_kind(kind):
    """(stable, check): whether `kind` asks for a stable sort, and a compiled function to
    call first, raising NumPy's ValueError for a kind it refuses (None when valid)."""
    if not is_none(kind) and not isinstance(kind, types.StringLiteral):
        raise TypeError(f"sort kind must be str, not {kind}")
    text = literal_text("sort", "kind", kind, "quicksort")
    letter = text[:1].lower()
    if letter in ("q", "h", "m", "s"):
        return letter in ("m", "s"), None
    message = f"sort kind must be one of 'quick', 'heap', or 'stable' (got {text!r})"
    return False, raiser(ValueError, message)


def _checked(check, implementation):
    """`implementation` with check() called first (when given); the result keeps the
    implementation's type though check() always raises."""
    if check is None:
        return implementation
    inner = register_jitable(implementation)

    def run(a, axis=-1, kind=None, order=None):
        check()
        return inner(a, axis, kind, order)

    return run


def _inplace_sorter(ndim: int, sorter):
    """An implementation sorting `a` in place along `axis` (an integer)."""
    if ndim == 1:

        def sort1(a, axis=-1, kind=None, order=None):
            normalize_axis(axis, 1)
            sorter(a)

        return sort1
    if ndim == 2:

        def sort2(a, axis=-1, kind=None, order=None):
            axis = normalize_axis(axis, 2)
            n, m = a.shape
            if axis == 1:
                row = np.empty(m, a.dtype)
                for i in range(n):
                    for j in range(m):
                        row[j] = a[i, j]
                    sorter(row)
                    for j in range(m):
                        a[i, j] = row[j]
                return
            column = np.empty(n, a.dtype)
            for j in range(m):
                for i in range(n):
                    column[i] = a[i, j]
                sorter(column)
                for i in range(n):
                    a[i, j] = column[i]

        return sort2
    raise TypeError(f"sort() of {ndim}-dimensional arrays is not supported yet")


def _check_sort_arguments(name, a, axis, kind, order):
    check_array(name, a)
    _sort_kind(kind)
    if not is_none(order):
        raise TypeError(f"{name}(): order= applies to structured arrays, which nogil lacks")


@overload_method(types.Array, "sort")
def array_sort(a, axis=-1, kind=None, order=None):
    _check_sort_arguments("sort", a, axis, kind, order)
    if isinstance(axis, types.NoneType):
        raise TypeError("a.sort(): axis must be an integer, not None")
    stable, check = _sort_kind(kind)
    return _checked(check, _inplace_sorter(a.ndim, _row_sorter(a.dtype, stable)))


@overload(np.sort)
def np_sort(a, axis=-1, kind=None, order=None):
    _check_sort_arguments("sort", a, axis, kind, order)
    stable, check = _sort_kind(kind)
    return _checked(check, _sorted_copy(a, axis, _row_sorter(a.dtype, stable)))


def _sorted_copy(a, axis, sorter):
    if isinstance(axis, types.NoneType):

        def flat_sorted(a, axis=-1, kind=None, order=None):
            out = a.flatten()
            sorter(out)
            return out

        return flat_sorted
    inplace = register_jitable(_inplace_sorter(a.ndim, sorter))
    if a.ndim == 1:

        def sorted1(a, axis=-1, kind=None, order=None):
            normalize_axis(axis, 1)
            out = a.copy()
            sorter(out)
            return out

        return sorted1

    def sorted_copy(a, axis=-1, kind=None, order=None):
        out = a.copy()
        inplace(out, axis)
        return out

    return sorted_copy


@_trusted
def _merge_runs(keys, idx, out_keys, out_idx, lo, mid, hi):
    """Merges the sorted runs [lo, mid) and [mid, hi) of (keys, idx) into out, stably."""
    if keys[mid - 1] <= keys[mid]:  # already in order (sorted input): a copy
        for k in range(lo, hi):
            out_keys[k] = keys[k]
            out_idx[k] = idx[k]
        return
    i = lo
    j = mid
    k = lo
    while i < mid and j < hi:
        if keys[j] < keys[i]:
            out_keys[k] = keys[j]
            out_idx[k] = idx[j]
            j += 1
        else:
            out_keys[k] = keys[i]
            out_idx[k] = idx[i]
            i += 1
        k += 1
    while i < mid:
        out_keys[k] = keys[i]
        out_idx[k] = idx[i]
        i += 1
        k += 1
    while j < hi:
        out_keys[k] = keys[j]
        out_idx[k] = idx[j]
        j += 1
        k += 1


@_trusted
def _merge_sort_indices(v, idx, n):
    """Sorts idx[0:n] stably by v[idx[...]] (no NaN among them). The keys travel with the
    indices (insertion sort on runs of _SHORT_RUN, then bottom-up merges), so comparisons
    read contiguous keys instead of v at random places."""
    keys = np.empty(n, v.dtype)
    for i in range(n):
        keys[i] = v[idx[i]]
    lo = 0
    while lo < n:
        hi = min(lo + _SHORT_RUN, n) - 1
        for i in range(lo + 1, hi + 1):
            k = idx[i]
            x = keys[i]
            j = i - 1
            while j >= lo and x < keys[j]:
                keys[j + 1] = keys[j]
                idx[j + 1] = idx[j]
                j -= 1
            keys[j + 1] = x
            idx[j + 1] = k
        lo += _SHORT_RUN
    for i in range(1, n):
        if keys[i] < keys[i - 1]:
            break
    else:  # in order already (sorted input): no merge pass
        return
    width = _SHORT_RUN
    src_keys = keys
    src_idx = idx
    dst_keys = np.empty(n, v.dtype)
    dst_idx = np.empty(n, np.int64)
    swapped = False
    while width < n:
        lo = 0
        while lo < n:
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            if mid < hi:
                _merge_runs(src_keys, src_idx, dst_keys, dst_idx, lo, mid, hi)
            else:
                for k in range(lo, hi):
                    dst_keys[k] = src_keys[k]
                    dst_idx[k] = src_idx[k]
            lo += 2 * width
        t_keys = src_keys
        src_keys = dst_keys
        dst_keys = t_keys
        t_idx = src_idx
        src_idx = dst_idx
        dst_idx = t_idx
        swapped = not swapped
        width *= 2
    if swapped:
        for i in range(n):
            idx[i] = src_idx[i]


@_trusted
def argsort_row(v, idx):
    """idx (of v's length) gets the stable ascending order of v, NaNs last in their order."""
    n = v.shape[0]
    k = 0
    for i in range(n):
        x = v[i]
        if x == x:
            idx[k] = i
            k += 1
    tail = k
    for i in range(n):
        x = v[i]
        if x != x:
            idx[tail] = i
            tail += 1
    _merge_sort_indices(v, idx, k)


def _argsorter(name, a, axis, kind):
    check_array(name, a)
    _stable, check = _sort_kind(kind)  # the merge sort of indices is stable for every kind
    return _checked(check, _argsort_implementation(name, a, axis))


def _argsort_implementation(name, a, axis):
    if a.dtype.name not in _SORTABLE:
        raise TypeError(f"{name}() of {a.dtype} arrays is not supported yet")
    if isinstance(axis, types.NoneType):

        def flat_argsorted(a, axis=-1, kind=None, order=None):
            v = a.flatten()
            idx = np.empty(v.shape[0], np.int64)
            argsort_row(v, idx)
            return idx

        return flat_argsorted
    if a.ndim == 1:

        def argsorted1(a, axis=-1, kind=None, order=None):
            normalize_axis(axis, 1)
            idx = np.empty(a.shape[0], np.int64)
            argsort_row(a, idx)
            return idx

        return argsorted1
    if a.ndim == 2:

        def argsorted2(a, axis=-1, kind=None, order=None):
            axis = normalize_axis(axis, 2)
            n, m = a.shape
            out = np.empty((n, m), np.int64)
            if axis == 1:
                idx = np.empty(m, np.int64)
                for i in range(n):
                    argsort_row(a[i], idx)
                    for j in range(m):
                        out[i, j] = idx[j]
                return out
            idx = np.empty(n, np.int64)
            for j in range(m):
                argsort_row(a[:, j], idx)
                for i in range(n):
                    out[i, j] = idx[i]
            return out

        return argsorted2
    raise TypeError(f"{name}() of {a.ndim}-dimensional arrays is not supported yet")


@overload(np.argsort)
def np_argsort(a, axis=-1, kind=None, order=None):
    if not is_none(order):
        raise TypeError("argsort(): order= applies to structured arrays, which nogil lacks")
    return _argsorter("argsort", a, axis, kind)


@overload_method(types.Array, "argsort")
def array_argsort(a, axis=-1, kind=None, order=None):
    if not is_none(order):
        raise TypeError("argsort(): order= applies to structured arrays, which nogil lacks")
    return _argsorter("argsort", a, axis, kind)
