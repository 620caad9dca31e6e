"""np.linspace, np.logspace and np.geomspace: evenly spaced numbers, on a line, on a log scale
and as a geometric sequence, computed as NumPy computes them (the same rounding: the steps
are ``i * step + start``, the last one is ``stop`` exactly when ``endpoint``). Real start and
stop give float64, as in NumPy for Python numbers; ``dtype``, ``retstep`` and ``axis`` are not
supported yet (nor in Numba)."""

import numpy as np

from nogil.extending import overload, register_jitable, types
from nogil.lib._axes import is_none


def _check_real(name: str, **values) -> None:
    for what, value in values.items():
        if not isinstance(value, types.Integer | types.Float | types.Boolean):
            raise TypeError(f"{name}(): {what} must be a real number here, not {value}")


def _given(value) -> bool:
    """Whether an argument was given (a type), not left to its default."""
    return not is_none(value) and isinstance(value, types.Type)


def _check_count(name: str, num, endpoint) -> None:
    if _given(num) and not isinstance(num, types.Integer | types.Boolean):
        raise TypeError(f"{name}(): num must be an integer, not {num}")
    if _given(endpoint) and not isinstance(endpoint, types.Boolean | types.Integer):
        raise TypeError(f"{name}(): endpoint must be a bool, not {endpoint}")


@register_jitable
def _linspace(start, stop, num, endpoint):
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    start = float(start)
    stop = float(stop)
    div = num - 1 if endpoint else num
    delta = stop - start
    out = np.empty(num, np.float64)
    if div > 0:
        step = delta / div
        if step == 0:
            for i in range(num):
                out[i] = i / div * delta + start
        else:
            for i in range(num):
                out[i] = i * step + start
    else:
        for i in range(num):
            out[i] = i * delta + start
    if endpoint and num > 1:
        out[num - 1] = stop
    return out


@overload(np.linspace)
def _linspace_typing(start, stop, num=50, endpoint=True):
    _check_real("linspace", start=start, stop=stop)
    _check_count("linspace", num, endpoint)

    def linspace(start, stop, num=50, endpoint=True):
        return _linspace(start, stop, num, endpoint)

    return linspace


@register_jitable
def _logspace(start, stop, num, endpoint, base):
    out = _linspace(start, stop, num, endpoint)
    base = float(base)
    for i in range(out.shape[0]):
        out[i] = base ** out[i]
    return out


@overload(np.logspace)
def _logspace_typing(start, stop, num=50, endpoint=True, base=10.0):
    _check_real("logspace", start=start, stop=stop)
    _check_count("logspace", num, endpoint)
    if _given(base):
        _check_real("logspace", base=base)

    def logspace(start, stop, num=50, endpoint=True, base=10.0):
        return _logspace(start, stop, num, endpoint, base)

    return logspace


@register_jitable
def _geomspace(start, stop, num, endpoint):
    start = float(start)
    stop = float(stop)
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    sign = 1.0
    if start < 0 and stop < 0:
        start = -start
        stop = -stop
        sign = -1.0
    out = _logspace(np.log10(start), np.log10(stop), num, endpoint, 10.0)
    if num > 0:
        out[0] = start
        if num > 1 and endpoint:
            out[num - 1] = stop
    for i in range(out.shape[0]):
        out[i] = sign * out[i]
    return out


@overload(np.geomspace)
def _geomspace_typing(start, stop, num=50, endpoint=True):
    _check_real("geomspace", start=start, stop=stop)
    _check_count("geomspace", num, endpoint)

    def geomspace(start, stop, num=50, endpoint=True):
        return _geomspace(start, stop, num, endpoint)

    return geomspace
