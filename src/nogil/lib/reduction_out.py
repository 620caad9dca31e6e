"""``out=`` of the reductions (np.sum, prod, min, max, mean, var, std, any, all) and of
np.cumsum/cumprod: the result is computed as without ``out=`` (NumPy's loop runs in the
input's dtype, or ``dtype=``'s), stored into ``out`` with NumPy's unsafe cast (a float sum
into an int array is truncated once, a complex one loses its imaginary part), and ``out``
itself is returned. An ``out`` of the wrong number of dimensions is NumPy's
ValueError at run time (its message); one of the wrong shape a ValueError too."""

from nogil.extending import register_jitable, types
from nogil.lib._axes import is_none
from nogil.lib._literals import raiser


def _fold(body):
    def fold(a, axis=None, dtype=None, out=None, keepdims=False):
        return body(a, axis, dtype, out, 0)

    return fold


def _logical(body):
    def logical(a, axis=None, out=None, keepdims=False):
        return body(a, axis, None, out, 0)

    return logical


def _moment(body):
    def moment(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return body(a, axis, dtype, out, ddof)

    return moment


def _running(body):
    def running(a, axis=None, dtype=None, out=None):
        return body(a, axis, dtype, out, 0)

    return running


# How each family's implementation is called (its parameters, as np.<name> spells them).
_SIGNATURES = {"fold": _fold, "logical": _logical, "moment": _moment, "running": _running}


@register_jitable
def same_shape(x, y):
    for d in range(x.ndim):  # noqa: SIM110  (a loop compiles to no generator)
        if x.shape[d] != y.shape[d]:
            return False
    return True


def result_ndim(a, axis, keep) -> int:
    """The dimensions of a reduction's result; `keep` None for a cumulative one."""
    if keep is None:
        return 1 if is_none(axis) else a.ndim
    if keep:
        return a.ndim
    if is_none(axis):
        return 0
    return a.ndim - (len(axis) if isinstance(axis, types.BaseTuple) else 1)


def into_out(kind: str, operation: str, a, axis, out, keep, compute):
    """The implementation of a reduction called with ``out=``: `compute` (compiled
    `(a, axis, dtype, ddof) -> result`, without out) stored into `out`. `operation` is the ufunc
    NumPy's messages name (add, multiply, maximum...)."""
    if not isinstance(out, types.Array):
        raise TypeError(f"out= must be an array, not {out}")
    if out.readonly:
        raise TypeError("out= must be a writeable array")
    expected = result_ndim(a, axis, keep)
    if out.ndim != expected:
        message = (
            f"output parameter for reduction operation {operation} has the wrong number of "
            f"dimensions: Found {out.ndim} but expected {expected}"
        )
        if keep:
            message += " (must match the operand's when keepdims=True)"
        if keep is None:
            message = (
                f"operands could not be broadcast together: out= has {out.ndim} dimensions, "
                f"the result {expected}"
            )
        fail = raiser(ValueError, message)

        def failing(a, axis, dtype, out, ddof):
            fail()
            return out

        return _SIGNATURES[kind](register_jitable(failing))
    if isinstance(out.dtype, types.NPDatetime | types.NPTimedelta):
        raise TypeError(f"out= of {out.dtype} is not supported yet")
    if expected == 0:

        @register_jitable
        def store_scalar(a, axis, dtype, out, ddof):
            out[...] = compute(a, axis, dtype, ddof)
            return out

        return _SIGNATURES[kind](store_scalar)

    @register_jitable
    def store(a, axis, dtype, out, ddof):
        result = compute(a, axis, dtype, ddof)
        if not same_shape(result, out):
            raise ValueError(
                "operands could not be broadcast together: out= does not have the shape of "
                "the reduction's result"
            )
        out[...] = result
        return out

    return _SIGNATURES[kind](store)


def computing(function, keep):
    """The compiled `(a, axis, dtype, ddof) -> result` of np.<function> without out=;
    `keep` None for a function without keepdims=."""
    if keep:

        def kept(a, axis, dtype, ddof):
            return function(a, axis, dtype, keepdims=True)

        return register_jitable(kept)

    def plain(a, axis, dtype, ddof):
        return function(a, axis, dtype)

    return register_jitable(plain)


def computing_moment(function, keep):
    if keep:

        def kept(a, axis, dtype, ddof):
            return function(a, axis, dtype, ddof=ddof, keepdims=True)

        return register_jitable(kept)

    def plain(a, axis, dtype, ddof):
        return function(a, axis, dtype, ddof=ddof)

    return register_jitable(plain)


def computing_logical(function, keep):
    if keep:

        def kept(a, axis, dtype, ddof):
            return function(a, axis, keepdims=True)

        return register_jitable(kept)

    def plain(a, axis, dtype, ddof):
        return function(a, axis)

    return register_jitable(plain)
