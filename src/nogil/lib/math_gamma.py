"""math.gamma and math.lgamma as CPython 3.11 computes them (Modules/mathmodule.c: its
Lanczos approximation with N=13 and g=6.024680040776729583740234375, the reflection formula
for negative arguments, a table for small integers), so that compiled code agrees bit for bit
rather than within libm's tgamma/lgamma's last bits; the errors are CPython's (ValueError at
the poles and -inf, OverflowError where the result overflows)."""

import linecache
import math

import numpy as np

from nogil.extending import overload, register_jitable, types

# Scalar functions: each call inlines into its caller, a loop included.
_INLINE = {"inline": "always"}

_PI = 3.141592653589793238462643383279502884197
_LOGPI = 1.144729885849400174143427351353058711647
_LANCZOS_G = 6.024680040776729583740234375
_LANCZOS_G_MINUS_HALF = 5.524680040776729583740234375
_LANCZOS_NUM = (
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
)
# the denominator is x*(x+1)*...*(x+11)
_LANCZOS_DEN = (
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0,
    2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0,
)  # fmt: skip
_GAMMA_INTEGRAL = (
    1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0, 3628800.0,
    39916800.0, 479001600.0, 6227020800.0, 87178291200.0, 1307674368000.0,
    20922789888000.0, 355687428096000.0, 6402373705728000.0, 121645100408832000.0,
    2432902008176640000.0, 51090942171709440000.0, 1124000727777607680000.0,
)  # fmt: skip


@register_jitable(inline="always")
def _sinpi(x):
    """sin(pi * x) for finite x, exact at the integers (CPython's m_sinpi)."""
    y = math.fmod(math.fabs(x), 2.0)
    twice = 2.0 * y
    n = math.floor(twice)
    if twice - n >= 0.5:  # C's round(): halves away from zero
        n += 1
    if n == 0:
        r = math.sin(_PI * y)
    elif n == 1:
        r = math.cos(_PI * (y - 0.5))
    elif n == 2:
        # -sin(pi*(y-1.0)) would give -0.0 at y == 1.0
        r = math.sin(_PI * (1.0 - y))
    elif n == 3:
        r = -math.cos(_PI * (y - 1.5))
    else:
        r = math.sin(_PI * (y - 2.0))
    return math.copysign(1.0, x) * r


def _unrolled_lanczos_sum():
    """_lanczos_sum(x), CPython's rational function evaluated by Horner's rule, written out
    term by term (a loop over the coefficient tuples indexes them at run time, which costs
    more than the arithmetic); for large x, a rational function in 1/x (the direct one would
    overflow)."""
    small = ["num = 0.0", "den = 0.0"]
    for i in range(12, -1, -1):
        small += [f"num = num * x + {_LANCZOS_NUM[i]!r}", f"den = den * x + {_LANCZOS_DEN[i]!r}"]
    large = ["num = 0.0", "den = 0.0"]
    for i in range(13):
        large += [f"num = num / x + {_LANCZOS_NUM[i]!r}", f"den = den / x + {_LANCZOS_DEN[i]!r}"]
    text = "def _lanczos_sum(x):\n    if x < 5.0:\n"
    text += "".join(f"        {line}\n" for line in small)
    text += "    else:\n" + "".join(f"        {line}\n" for line in large)
    text += "    return num / den\n"
    filename = "<nogil.lib math_gamma _lanczos_sum>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {}
    exec(compile(text, filename, "exec"), namespace)
    return register_jitable(inline="always")(namespace["_lanczos_sum"])


_lanczos_sum = _unrolled_lanczos_sum()


@register_jitable(inline="always")
def _gamma(x):
    if not math.isfinite(x):
        if math.isnan(x) or x > 0.0:
            return x
        raise ValueError("math domain error")
    if x == 0.0:
        raise ValueError("math domain error")
    if x == np.floor(x):
        if x < 0.0:
            raise ValueError("math domain error")
        if x <= 23:
            return _GAMMA_INTEGRAL[int(x) - 1]
    absx = math.fabs(x)
    if absx < 1e-20:
        r = 1.0 / x
        if math.isinf(r):
            raise OverflowError("math range error")
        return r
    if absx > 200.0:
        if x < 0.0:
            return 0.0 / _sinpi(x)
        raise OverflowError("math range error")
    # y ** (absx - 0.5) below stays finite: y is at most 205.5 (200 < absx overflowed above)
    y = absx + _LANCZOS_G_MINUS_HALF
    # the error in computing y, for the correction below
    if absx > _LANCZOS_G_MINUS_HALF:
        q = y - absx
        z = q - _LANCZOS_G_MINUS_HALF
    else:
        q = y - _LANCZOS_G_MINUS_HALF
        z = q - absx
    z = z * _LANCZOS_G / y
    if x < 0.0:
        r = -_PI / _sinpi(absx) / absx * math.exp(y) / _lanczos_sum(absx)
        r -= z * r
        if absx < 140.0:
            r /= y ** (absx - 0.5)
        else:
            sqrtpow = y ** (absx / 2.0 - 0.25)
            r /= sqrtpow
            r /= sqrtpow
    else:
        r = _lanczos_sum(absx) / math.exp(y)
        r += z * r
        if absx < 140.0:
            r *= y ** (absx - 0.5)
        else:
            sqrtpow = y ** (absx / 2.0 - 0.25)
            r *= sqrtpow
            r *= sqrtpow
    if math.isinf(r):
        raise OverflowError("math range error")
    return r


@register_jitable(inline="always")
def _lgamma(x):
    if not math.isfinite(x):
        if math.isnan(x):
            return x
        return math.inf
    if x == np.floor(x) and x <= 2.0:
        if x <= 0.0:
            raise ValueError("math domain error")
        return 0.0
    absx = math.fabs(x)
    if absx < 1e-20:
        return -math.log(absx)
    r = math.log(_lanczos_sum(absx)) - _LANCZOS_G
    r += (absx - 0.5) * (math.log(absx + _LANCZOS_G - 0.5) - 1)
    if x < 0.0:
        # the reflection formula
        r = _LOGPI - math.log(math.fabs(_sinpi(absx))) - math.log(absx) - r
    if math.isinf(r):
        raise OverflowError("math range error")
    return r


def _check_real(name, x):
    if not isinstance(x, (types.Integer, types.Float, types.Boolean)):
        raise TypeError(f"math.{name}() takes a real number, not {x}")


@overload(math.gamma, jit_options=_INLINE)
def math_gamma(x):
    _check_real("gamma", x)

    def gamma(x):
        return _gamma(float(x))

    return gamma


@overload(math.lgamma, jit_options=_INLINE)
def math_lgamma(x):
    _check_real("lgamma", x)

    def lgamma(x):
        return _lgamma(float(x))

    return lgamma
