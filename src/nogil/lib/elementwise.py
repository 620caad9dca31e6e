"""np.clip, np.round/np.around, np.conj and their methods, as NumPy computes them: each works
on any number of dimensions through the C-order flattening of its input, and the result
takes the input's shape."""

import numpy as np

from nogil.extending import overload, overload_method, register_jitable, types
from nogil.lib._axes import REAL_DTYPES, check_array, is_none

_REAL = REAL_DTYPES
_MAKERS = {name: (bool if name == "bool" else getattr(np, name)) for name in _REAL}


def _weak_sample(t):
    """What NumPy promotes an argument of type t like: an array's dtype, or a Python scalar
    (weak: np.clip(int8 array, 0, 10) stays int8)."""
    if isinstance(t, types.Array):
        return np.dtype(t.dtype.name)
    if isinstance(t, types.Boolean):
        return True
    if isinstance(t, types.Integer):
        return 0
    if isinstance(t, types.Float):
        return 0.0
    raise TypeError(f"clip(): a bound must be a real number, an array or None, not {t}")


@register_jitable
def _at_least(x, lo):
    if x != x:
        return x
    if lo > x or lo != lo:
        return lo
    return x


@register_jitable
def _at_most(x, hi):
    if x != x:
        return x
    if hi < x or hi != hi:
        return hi
    return x


def _shapes_differ(x, y):
    """Placeholder bound to the overload below: whether two arrays of one ndim differ in
    shape (tuples do not compare in compiled code yet)."""


@overload(_shapes_differ)
def _shapes_differ_typing(x, y):
    if x.ndim == 0:
        return lambda x, y: False
    if x.ndim == 1:
        return lambda x, y: x.shape[0] != y.shape[0]
    if x.ndim == 2:
        return lambda x, y: x.shape[0] != y.shape[0] or x.shape[1] != y.shape[1]
    if x.ndim == 3:
        return lambda x, y: (
            x.shape[0] != y.shape[0] or x.shape[1] != y.shape[1] or x.shape[2] != y.shape[2]
        )
    raise TypeError(f"clip() with {x.ndim}-dimensional bounds is not supported yet")


def _as_flat_bound(bound):
    """Placeholder bound to the overload below: a bound as a flat array (one element for a
    scalar)."""


@overload(_as_flat_bound)
def _as_flat_bound_typing(bound, rtype_sample, a):
    if isinstance(bound, types.Array):
        if bound.ndim > a.ndim:
            raise ValueError("clip(): a bound has more dimensions than the array")
        if bound.ndim == 0 or bound.ndim == a.ndim:

            def same_shape(bound, rtype_sample, a):
                if bound.size != 1 and _shapes_differ(bound, a):
                    raise ValueError("operands could not be broadcast together")
                return bound.flatten()

            return same_shape
        if bound.ndim == 1:

            def trailing(bound, rtype_sample, a):
                if bound.shape[0] != 1 and bound.shape[0] != a.shape[-1]:
                    raise ValueError("operands could not be broadcast together")
                return bound

            return trailing
        raise TypeError("clip(): array bounds broadcast from their last axis only")

    def scalar(bound, rtype_sample, a):
        out = np.empty(1, rtype_sample.dtype)
        out[0] = bound
        return out

    return scalar


def _clip_impl(a_type, lo_type, hi_type, rtype):
    make = _MAKERS[rtype.name]
    if is_none(lo_type) and is_none(hi_type):

        def copy_only(a, lo, hi):
            return a.astype(make)

        return copy_only

    def clipped(a, lo, hi):
        flat = a.flatten()
        n = flat.shape[0]
        sample = np.empty(0, make)
        out = np.empty(n, make)
        if lo is None:
            highs = _as_flat_bound(hi, sample, a)
            nh = highs.shape[0]
            for i in range(n):
                out[i] = _at_most(make(flat[i]), highs[i % nh])
        elif hi is None:
            lows = _as_flat_bound(lo, sample, a)
            nl = lows.shape[0]
            for i in range(n):
                out[i] = _at_least(make(flat[i]), lows[i % nl])
        else:
            lows = _as_flat_bound(lo, sample, a)
            highs = _as_flat_bound(hi, sample, a)
            nl = lows.shape[0]
            nh = highs.shape[0]
            if nl == 1 and nh == 1:
                low = lows[0]
                high = highs[0]
                for i in range(n):
                    out[i] = _at_most(_at_least(make(flat[i]), low), high)
            else:
                for i in range(n):
                    out[i] = _at_most(_at_least(make(flat[i]), lows[i % nl]), highs[i % nh])
        return out.reshape(a.shape)

    return clipped


def _clip_typing(a, lo, hi, out):
    check_array("clip", a)
    if a.dtype.name not in _REAL:
        raise TypeError(f"clip() of {a.dtype} arrays is not supported yet")
    if not is_none(out):
        raise TypeError("clip(): out= is not supported yet")
    samples = [np.dtype(a.dtype.name)]
    samples += [_weak_sample(b) for b in (lo, hi) if not is_none(b)]
    rtype = np.result_type(*samples)
    if rtype.name not in _REAL:
        raise TypeError(f"clip() giving {rtype} is not supported yet")
    return _clip_impl(a, lo, hi, rtype)


@overload(np.clip)
def np_clip(a, a_min=None, a_max=None, out=None):
    impl = register_jitable(_clip_typing(a, a_min, a_max, out))

    def clip(a, a_min=None, a_max=None, out=None):
        return impl(a, a_min, a_max)

    return clip


@overload_method(types.Array, "clip")
def array_clip(a, min=None, max=None, out=None):
    impl = register_jitable(_clip_typing(a, min, max, out))

    def clip(a, min=None, max=None, out=None):
        return impl(a, min, max)

    return clip


@register_jitable
def round_half_even(x):
    r = np.floor(x)
    d = x - r
    if d > 0.5:
        return r + 1
    if d == 0.5 and r - 2 * np.floor(r * 0.5) != 0:
        return r + 1
    return r


def _round_impl(a, decimals, out):
    check_array("round", a)
    if not is_none(out):
        raise TypeError("round(): out= is not supported yet")
    if not isinstance(decimals, int | types.Integer | types.Boolean):
        raise TypeError(f"round(): decimals must be an integer, not {decimals}")
    name = a.dtype.name
    if name not in _REAL or name == "bool":
        raise TypeError(f"round() of {a.dtype} arrays is not supported yet")
    make = _MAKERS[name]
    if name.startswith("float"):

        def round_float(a, decimals=0, out=None):
            flat = a.flatten()
            n = flat.shape[0]
            res = np.empty(n, make)
            if decimals >= 0:
                f = make(10.0**decimals)
                for i in range(n):
                    res[i] = round_half_even(flat[i] * f) / f
            else:
                f = make(10.0 ** (-decimals))
                for i in range(n):
                    res[i] = round_half_even(flat[i] / f) * f
            return res.reshape(a.shape)

        return round_float

    wide = np.uint64 if name.startswith("uint") else np.int64

    def round_int(a, decimals=0, out=None):
        if decimals >= 0:
            return a.copy()
        flat = a.flatten()
        n = flat.shape[0]
        res = np.empty(n, make)
        f = 10.0 ** (-decimals)
        for i in range(n):
            res[i] = wide(round_half_even(np.float64(flat[i]) / f) * f)
        return res.reshape(a.shape)

    return round_int


for _function in (np.round, np.around):

    @overload(_function)
    def np_round(a, decimals=0, out=None):
        return _round_impl(a, decimals, out)


@overload_method(types.Array, "round")
def array_round(a, decimals=0, out=None):
    return _round_impl(a, decimals, out)


def _conj_method(a):
    check_array("conj", a)
    if isinstance(a.dtype, types.Complex):

        def conj_complex(a):
            return np.conjugate(a)

        return conj_complex

    def conj_real(a):
        return a

    return conj_real


overload_method(types.Array, "conj")(_conj_method)
overload_method(types.Array, "conjugate")(_conj_method)
