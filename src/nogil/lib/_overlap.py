"""Whether two arrays' memory can overlap: the bounds test NumPy runs before it copies an
operand of an assignment (`np.may_share_memory`'s default, `max_work=0`). A store whose
values may be a view of its destination reads them from a copy; otherwise it reads them in
place, which is what makes `a[idx] = v` and `a[mask] = v` cost no allocation."""

from nogil.extending import register_jitable


@register_jitable
def memory_span(a):
    """The lowest address of an element of `a` and one past the last byte of its highest;
    (0, 0) when `a` is empty."""
    if a.size == 0:
        return 0, 0
    low = a.__nogil_data_address__()
    high = low + a.itemsize
    for d in range(a.ndim):
        reach = (a.shape[d] - 1) * a.strides[d]
        if reach < 0:
            low += reach
        else:
            high += reach
    return low, high


@register_jitable
def may_overlap(a, b):
    a_low, a_high = memory_span(a)
    b_low, b_high = memory_span(b)
    return a_low < b_high and b_low < a_high
