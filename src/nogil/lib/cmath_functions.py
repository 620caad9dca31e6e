"""The cmath functions CPython computes with its own algorithms (Modules/cmathmodule.c):
``exp log log10 sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh rect``,
ported so that compiled code returns CPython's results bit for bit. libm's C99 complex
functions (``cexp``, ``clog``...) differ from them on many inputs, the special values
(infinite, NaN and signed-zero parts) included. (``cmath.sqrt`` is the core's; ``_c_sqrt``
serves the inverse functions here.)

Each ``_c_<name>`` returns ``(real, imag, error)``: error is ``_OK``, ``_DOMAIN`` (CPython's
EDOM: ValueError "math domain error") or ``_RANGE`` (ERANGE: OverflowError "math range
error"); the public function raises it, as CPython's argument clinic does after the call.
Loaded by the front end when compiled code reads the cmath module. ``hypot`` here is C's
(``np.hypot``), as in cmathmodule.c: ``math.hypot`` is CPython's own vector norm."""

import cmath
import math
import sys

import numpy as np

from nogil.extending import overload, register_jitable, types

# Scalar functions: each call inlines into its caller, a loop included.
_INLINE = {"inline": "always"}

_OK = 0
_DOMAIN = 1
_RANGE = 2

_PI = math.pi
_E = math.e
_LN2 = 0.6931471805599453094
_LN10 = 2.302585092994045684
_INF = math.inf
_NAN = math.nan
# Past these, the formulas are rewritten to avoid overflowing on the way to a finite result.
_LARGE = sys.float_info.max / 4.0
_SQRT_LARGE = math.sqrt(_LARGE)
_LOG_LARGE = math.log(_LARGE)
_DBL_MIN = sys.float_info.min
_SQRT_DBL_MIN = math.sqrt(_DBL_MIN)
_MANT_DIG = sys.float_info.mant_dig
# 2**_SCALE_UP makes a subnormal normal; the square root then scales back by 2**_SCALE_DOWN.
_SCALE_UP = 2 * (_MANT_DIG // 2) + 1
_SCALE_DOWN = -(_SCALE_UP + 1) // 2


def _table(text):
    """A 7x7 special-value table as a flat tuple of (real, imag) pairs, row by row: the row
    is the real part's class and the column the imaginary part's (see _special_type)."""
    names = {
        "P": _PI,
        "P14": 0.25 * _PI,
        "P12": 0.5 * _PI,
        "P34": 0.75 * _PI,
        "-P": -_PI,
        "-P14": -(0.25 * _PI),
        "-P12": -(0.5 * _PI),
        "-P34": -(0.75 * _PI),
        "INF": _INF,
        "-INF": -_INF,
        "N": _NAN,
        # never read: both parts finite go to the formula
        "U": -9.5426319407711027e33,
    }
    values = []
    for cell in text.split():
        for part in cell.split(","):
            values.append(names[part] if part in names else float(part))
    assert len(values) == 98
    return tuple(values)


# The tables of CPython 3.11's cmathmodule.c, in its order: rows and columns -inf, negative,
# -0., +0., positive, +inf, nan.
_ACOS = _table("""
    P34,INF P,INF   P,INF    P,-INF    P,-INF  P34,-INF N,INF
    P12,INF U,U     U,U      U,U       U,U     P12,-INF N,N
    P12,INF U,U     P12,0.   P12,-0.   U,U     P12,-INF P12,N
    P12,INF U,U     P12,0.   P12,-0.   U,U     P12,-INF P12,N
    P12,INF U,U     U,U      U,U       U,U     P12,-INF N,N
    P14,INF 0.,INF  0.,INF   0.,-INF   0.,-INF P14,-INF N,INF
    N,INF   N,N     N,N      N,N       N,N     N,-INF   N,N
""")
_ACOSH = _table("""
    INF,-P34 INF,-P  INF,-P   INF,P   INF,P   INF,P34 INF,N
    INF,-P12 U,U     U,U      U,U     U,U     INF,P12 N,N
    INF,-P12 U,U     0.,-P12  0.,P12  U,U     INF,P12 N,N
    INF,-P12 U,U     0.,-P12  0.,P12  U,U     INF,P12 N,N
    INF,-P12 U,U     U,U      U,U     U,U     INF,P12 N,N
    INF,-P14 INF,-0. INF,-0.  INF,0.  INF,0.  INF,P14 INF,N
    INF,N    N,N     N,N      N,N     N,N     INF,N   N,N
""")
_ASINH = _table("""
    -INF,-P14 -INF,-0. -INF,-0. -INF,0. -INF,0. -INF,P14 -INF,N
    -INF,-P12 U,U      U,U      U,U     U,U     -INF,P12 N,N
    -INF,-P12 U,U      -0.,-0.  -0.,0.  U,U     -INF,P12 N,N
    INF,-P12  U,U      0.,-0.   0.,0.   U,U     INF,P12  N,N
    INF,-P12  U,U      U,U      U,U     U,U     INF,P12  N,N
    INF,-P14  INF,-0.  INF,-0.  INF,0.  INF,0.  INF,P14  INF,N
    INF,N     N,N      N,-0.    N,0.    N,N     INF,N    N,N
""")
_ATANH = _table("""
    -0.,-P12 -0.,-P12 -0.,-P12 -0.,P12 -0.,P12 -0.,P12 -0.,N
    -0.,-P12 U,U      U,U      U,U     U,U     -0.,P12 N,N
    -0.,-P12 U,U      -0.,-0.  -0.,0.  U,U     -0.,P12 -0.,N
    0.,-P12  U,U      0.,-0.   0.,0.   U,U     0.,P12  0.,N
    0.,-P12  U,U      U,U      U,U     U,U     0.,P12  N,N
    0.,-P12  0.,-P12  0.,-P12  0.,P12  0.,P12  0.,P12  0.,N
    0.,-P12  N,N      N,N      N,N     N,N     0.,P12  N,N
""")
_COSH = _table("""
    INF,N U,U INF,0.  INF,-0. U,U INF,N INF,N
    N,N   U,U U,U     U,U     U,U N,N   N,N
    N,0.  U,U 1.,0.   1.,-0.  U,U N,0.  N,0.
    N,0.  U,U 1.,-0.  1.,0.   U,U N,0.  N,0.
    N,N   U,U U,U     U,U     U,U N,N   N,N
    INF,N U,U INF,-0. INF,0.  U,U INF,N INF,N
    N,N   N,N N,0.    N,0.    N,N N,N   N,N
""")
_EXP = _table("""
    0.,0. U,U 0.,-0.  0.,0.  U,U 0.,0. 0.,0.
    N,N   U,U U,U     U,U    U,U N,N   N,N
    N,N   U,U 1.,-0.  1.,0.  U,U N,N   N,N
    N,N   U,U 1.,-0.  1.,0.  U,U N,N   N,N
    N,N   U,U U,U     U,U    U,U N,N   N,N
    INF,N U,U INF,-0. INF,0. U,U INF,N INF,N
    N,N   N,N N,-0.   N,0.   N,N N,N   N,N
""")
_LOG = _table("""
    INF,-P34 INF,-P  INF,-P    INF,P    INF,P   INF,P34 INF,N
    INF,-P12 U,U     U,U       U,U      U,U     INF,P12 N,N
    INF,-P12 U,U     -INF,-P   -INF,P   U,U     INF,P12 N,N
    INF,-P12 U,U     -INF,-0.  -INF,0.  U,U     INF,P12 N,N
    INF,-P12 U,U     U,U       U,U      U,U     INF,P12 N,N
    INF,-P14 INF,-0. INF,-0.   INF,0.   INF,0.  INF,P14 INF,N
    INF,N    N,N     N,N       N,N      N,N     INF,N   N,N
""")
_SINH = _table("""
    INF,N U,U -INF,-0. -INF,0. U,U INF,N INF,N
    N,N   U,U U,U      U,U     U,U N,N   N,N
    0.,N  U,U -0.,-0.  -0.,0.  U,U 0.,N  0.,N
    0.,N  U,U 0.,-0.   0.,0.   U,U 0.,N  0.,N
    N,N   U,U U,U      U,U     U,U N,N   N,N
    INF,N U,U INF,-0.  INF,0.  U,U INF,N INF,N
    N,N   N,N N,-0.    N,0.    N,N N,N   N,N
""")
_SQRT = _table("""
    INF,-INF 0.,-INF  0.,-INF  0.,INF  0.,INF  INF,INF INF,N
    INF,-INF U,U      U,U      U,U     U,U     INF,INF N,N
    INF,-INF U,U      0.,-0.   0.,0.   U,U     INF,INF N,N
    INF,-INF U,U      0.,-0.   0.,0.   U,U     INF,INF N,N
    INF,-INF U,U      U,U      U,U     U,U     INF,INF N,N
    INF,-INF INF,-0.  INF,-0.  INF,0.  INF,0.  INF,INF INF,N
    INF,-INF N,N      N,N      N,N     N,N     INF,INF N,N
""")
_TANH = _table("""
    -1.,0. U,U -1.,-0. -1.,0. U,U -1.,0. -1.,0.
    N,N    U,U U,U     U,U    U,U N,N    N,N
    N,N    U,U -0.,-0. -0.,0. U,U N,N    N,N
    N,N    U,U 0.,-0.  0.,0.  U,U N,N    N,N
    N,N    U,U U,U     U,U    U,U N,N    N,N
    1.,0.  U,U 1.,-0.  1.,0.  U,U 1.,0.  1.,0.
    N,N    N,N N,-0.   N,0.   N,N N,N    N,N
""")
_RECT = _table("""
    INF,N U,U -INF,0. -INF,-0. U,U INF,N INF,N
    N,N   U,U U,U     U,U      U,U N,N   N,N
    0.,0. U,U -0.,0.  -0.,-0.  U,U 0.,0. 0.,0.
    0.,0. U,U 0.,-0.  0.,0.    U,U 0.,0. 0.,0.
    N,N   U,U U,U     U,U      U,U N,N   N,N
    INF,N U,U INF,-0. INF,0.   U,U INF,N INF,N
    N,N   N,N N,0.    N,0.     N,N N,N   N,N
""")


@register_jitable(inline="always")
def _special_type(d):
    """CPython's class of a double: 0 -inf, 1 negative, 2 -0., 3 +0., 4 positive, 5 +inf,
    6 nan."""
    if math.isfinite(d):
        positive = math.copysign(1.0, d) == 1.0
        if d != 0:
            return 4 if positive else 1
        return 3 if positive else 2
    if math.isnan(d):
        return 6
    return 5 if math.copysign(1.0, d) == 1.0 else 0


@register_jitable(inline="always")
def _special_index(re, im):
    return 2 * (7 * _special_type(re) + _special_type(im))


@register_jitable(inline="always")
def _log1p(x):
    return x if x == 0.0 else math.log1p(x)


@register_jitable(inline="always")
def _c_sqrt(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        k = _special_index(re, im)
        return _SQRT[k], _SQRT[k + 1], _OK
    if re == 0.0 and im == 0.0:
        return 0.0, im, _OK
    ax = math.fabs(re)
    ay = math.fabs(im)
    if ax < _DBL_MIN and ay < _DBL_MIN:
        # hypot(ax, ay) may be subnormal: scale both to normal numbers first
        ax = math.ldexp(ax, _SCALE_UP)
        s = math.ldexp(math.sqrt(ax + np.hypot(ax, math.ldexp(ay, _SCALE_UP))), _SCALE_DOWN)
    else:
        ax /= 8.0
        s = 2.0 * math.sqrt(ax + np.hypot(ax, ay / 8.0))
    d = ay / (2.0 * s)
    if re >= 0.0:
        return s, math.copysign(d, im), _OK
    return d, math.copysign(s, im), _OK


@register_jitable(inline="always")
def _c_log(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        k = _special_index(re, im)
        return _LOG[k], _LOG[k + 1], _OK
    ax = math.fabs(re)
    ay = math.fabs(im)
    if ax > _LARGE or ay > _LARGE:
        real = math.log(np.hypot(ax / 2.0, ay / 2.0)) + _LN2
    elif ax < _DBL_MIN and ay < _DBL_MIN:
        if ax > 0.0 or ay > 0.0:
            # hypot(ax, ay) may be subnormal, so inexact: scale up first
            scaled = np.hypot(math.ldexp(ax, _MANT_DIG), math.ldexp(ay, _MANT_DIG))
            real = math.log(scaled) - _MANT_DIG * _LN2
        else:
            return -_INF, math.atan2(im, re), _DOMAIN
    else:
        h = np.hypot(ax, ay)
        if h >= 0.71 and h <= 1.73:
            # near |z| = 1: log(h) would lose the digits that matter
            am = ax if ax > ay else ay
            an = ay if ax > ay else ax
            real = _log1p((am - 1) * (am + 1) + an * an) / 2.0
        else:
            real = math.log(h)
    return real, math.atan2(im, re), _OK


@register_jitable(inline="always")
def _c_exp(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        if math.isinf(re) and math.isfinite(im) and im != 0.0:
            if re > 0:
                real = math.copysign(_INF, math.cos(im))
                imag = math.copysign(_INF, math.sin(im))
            else:
                real = math.copysign(0.0, math.cos(im))
                imag = math.copysign(0.0, math.sin(im))
        else:
            k = _special_index(re, im)
            real = _EXP[k]
            imag = _EXP[k + 1]
        if math.isinf(im) and (math.isfinite(re) or (math.isinf(re) and re > 0)):
            return real, imag, _DOMAIN
        return real, imag, _OK
    if re > _LOG_LARGE:
        scale = _exp_unchecked(re - 1.0)
        real = scale * math.cos(im) * _E
        imag = scale * math.sin(im) * _E
    else:
        scale = _exp_unchecked(re)
        real = scale * math.cos(im)
        imag = scale * math.sin(im)
    if math.isinf(real) or math.isinf(imag):
        return real, imag, _RANGE
    return real, imag, _OK


def _largest_finite(function):
    """The largest double at which `function` (math.exp, cosh, sinh) does not overflow."""
    low, high = 700.0, 720.0
    while math.nextafter(low, high) != high:
        middle = (low + high) / 2
        try:
            function(middle)
            low = middle
        except OverflowError:
            high = middle
    return low


_EXP_MAX = _largest_finite(math.exp)
_COSH_MAX = _largest_finite(math.cosh)


@register_jitable(inline="always")
def _exp_unchecked(x):
    """libm's exp, inf where it overflows (math.exp raises there; the caller tells)."""
    return _INF if x > _EXP_MAX else math.exp(x)


@register_jitable(inline="always")
def _cosh_unchecked(x):
    return _INF if math.fabs(x) > _COSH_MAX else math.cosh(x)


@register_jitable(inline="always")
def _sinh_unchecked(x):
    return math.copysign(_INF, x) if math.fabs(x) > _COSH_MAX else math.sinh(x)


@register_jitable(inline="always")
def _c_cosh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        if math.isinf(re) and math.isfinite(im) and im != 0.0:
            real = math.copysign(_INF, math.cos(im))
            imag = math.copysign(_INF, math.sin(im))
            if re < 0:
                imag = -imag
        else:
            k = _special_index(re, im)
            real = _COSH[k]
            imag = _COSH[k + 1]
        if math.isinf(im) and not math.isnan(re):
            return real, imag, _DOMAIN
        return real, imag, _OK
    if math.fabs(re) > _LOG_LARGE:
        # cosh(re) overflows where cosh(z) may not
        x_minus_one = re - math.copysign(1.0, re)
        real = math.cos(im) * _cosh_unchecked(x_minus_one) * _E
        imag = math.sin(im) * _sinh_unchecked(x_minus_one) * _E
    else:
        real = math.cos(im) * math.cosh(re)
        imag = math.sin(im) * math.sinh(re)
    if math.isinf(real) or math.isinf(imag):
        return real, imag, _RANGE
    return real, imag, _OK


@register_jitable(inline="always")
def _c_sinh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        if math.isinf(re) and math.isfinite(im) and im != 0.0:
            real = math.copysign(_INF, math.cos(im))
            imag = math.copysign(_INF, math.sin(im))
            if re < 0:
                real = -real
        else:
            k = _special_index(re, im)
            real = _SINH[k]
            imag = _SINH[k + 1]
        if math.isinf(im) and not math.isnan(re):
            return real, imag, _DOMAIN
        return real, imag, _OK
    if math.fabs(re) > _LOG_LARGE:
        x_minus_one = re - math.copysign(1.0, re)
        real = math.cos(im) * _sinh_unchecked(x_minus_one) * _E
        imag = math.sin(im) * _cosh_unchecked(x_minus_one) * _E
    else:
        real = math.cos(im) * math.sinh(re)
        imag = math.sin(im) * math.cosh(re)
    if math.isinf(real) or math.isinf(imag):
        return real, imag, _RANGE
    return real, imag, _OK


@register_jitable(inline="always")
def _c_tanh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        if math.isinf(re) and math.isfinite(im) and im != 0.0:
            real = 1.0 if re > 0 else -1.0
            imag = math.copysign(0.0, 2.0 * math.sin(im) * math.cos(im))
        else:
            k = _special_index(re, im)
            real = _TANH[k]
            imag = _TANH[k + 1]
        if math.isinf(im) and math.isfinite(re):
            return real, imag, _DOMAIN
        return real, imag, _OK
    if math.fabs(re) > _LOG_LARGE:
        # 1 - tanh(re)**2 as 4 exp(-2|re|): cosh(re) would overflow
        real = math.copysign(1.0, re)
        imag = 4.0 * math.sin(im) * math.cos(im) * math.exp(-2.0 * math.fabs(re))
    else:
        tx = math.tanh(re)
        ty = math.tan(im)
        cx = 1.0 / math.cosh(re)
        txty = tx * ty
        denom = 1.0 + txty * txty
        real = tx * (1.0 + ty * ty) / denom
        imag = ((ty / denom) * cx) * cx
    return real, imag, _OK


@register_jitable(inline="always")
def _c_acos(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        k = _special_index(re, im)
        return _ACOS[k], _ACOS[k + 1], _OK
    if math.fabs(re) > _LARGE or math.fabs(im) > _LARGE:
        real = math.atan2(math.fabs(im), re)
        imag = -math.copysign(math.log(np.hypot(re / 2.0, im / 2.0)) + _LN2 * 2.0, im)
        return real, imag, _OK
    s1re, s1im, _e1 = _c_sqrt(1.0 - re, -im)
    s2re, s2im, _e2 = _c_sqrt(1.0 + re, im)
    real = 2.0 * math.atan2(s1re, s2re)
    imag = math.asinh(s2re * s1im - s2im * s1re)
    return real, imag, _OK


@register_jitable(inline="always")
def _c_acosh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        k = _special_index(re, im)
        return _ACOSH[k], _ACOSH[k + 1], _OK
    if math.fabs(re) > _LARGE or math.fabs(im) > _LARGE:
        real = math.log(np.hypot(re / 2.0, im / 2.0)) + _LN2 * 2.0
        return real, math.atan2(im, re), _OK
    s1re, s1im, _e1 = _c_sqrt(re - 1.0, im)
    s2re, s2im, _e2 = _c_sqrt(re + 1.0, im)
    real = math.asinh(s1re * s2re + s1im * s2im)
    imag = 2.0 * math.atan2(s1im, s2re)
    return real, imag, _OK


@register_jitable(inline="always")
def _c_asinh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        k = _special_index(re, im)
        return _ASINH[k], _ASINH[k + 1], _OK
    if math.fabs(re) > _LARGE or math.fabs(im) > _LARGE:
        magnitude = math.log(np.hypot(re / 2.0, im / 2.0)) + _LN2 * 2.0
        real = math.copysign(magnitude, re) if im >= 0.0 else -math.copysign(magnitude, -re)
        return real, math.atan2(im, math.fabs(re)), _OK
    s1re, s1im, _e1 = _c_sqrt(1.0 + im, -re)
    s2re, s2im, _e2 = _c_sqrt(1.0 - im, re)
    real = math.asinh(s1re * s2im - s2re * s1im)
    imag = math.atan2(im, s1re * s2re - s1im * s2im)
    return real, imag, _OK


@register_jitable(inline="always")
def _c_atanh(re, im):
    if not (math.isfinite(re) and math.isfinite(im)):
        k = _special_index(re, im)
        return _ATANH[k], _ATANH[k + 1], _OK
    if re < 0.0:  # atanh(z) = -atanh(-z)
        real, imag, error = _c_atanh_nonnegative(-re, -im)
        return -real, -imag, error
    return _c_atanh_nonnegative(re, im)


@register_jitable(inline="always")
def _c_atanh_nonnegative(re, im):
    ay = math.fabs(im)
    if re > _SQRT_LARGE or ay > _SQRT_LARGE:
        # atanh(z) ~ 1/z +/- i pi/2 for large |z|
        h = np.hypot(re / 2.0, im / 2.0)
        return re / 4.0 / h / h, math.copysign(_PI / 2.0, im), _OK
    if re == 1.0 and ay < _SQRT_DBL_MIN:
        if ay == 0.0:
            return _INF, im, _DOMAIN
        real = -math.log(math.sqrt(ay) / math.sqrt(np.hypot(ay, 2.0)))
        return real, math.copysign(math.atan2(2.0, -ay) / 2, im), _OK
    real = _log1p(4.0 * re / ((1 - re) * (1 - re) + ay * ay)) / 4.0
    imag = -math.atan2(-2.0 * im, (1 - re) * (1 + re) - ay * ay) / 2.0
    return real, imag, _OK


@register_jitable(inline="always")
def _c_rect(r, phi):
    if not (math.isfinite(r) and math.isfinite(phi)):
        if math.isinf(r) and math.isfinite(phi) and phi != 0.0:
            real = math.copysign(_INF, math.cos(phi))
            imag = math.copysign(_INF, math.sin(phi))
            if r < 0:
                real = -real
                imag = -imag
        else:
            k = _special_index(r, phi)
            real = _RECT[k]
            imag = _RECT[k + 1]
        if r != 0.0 and not math.isnan(r) and math.isinf(phi):
            return real, imag, _DOMAIN
        return real, imag, _OK
    if phi == 0.0:
        return r, r * phi, _OK
    return r * math.cos(phi), r * math.sin(phi), _OK


@register_jitable(inline="always")
def _c_quotient(are, aim, bre, bim):
    """CPython's complex division of its cmath.log(z, base), whose zero divisor is a domain
    error rather than a ZeroDivisionError."""
    abs_bre = -bre if bre < 0 else bre
    abs_bim = -bim if bim < 0 else bim
    if abs_bre >= abs_bim:
        if abs_bre == 0.0:
            return 0.0, 0.0, _DOMAIN
        ratio = bim / bre
        denom = bre + bim * ratio
        return (are + aim * ratio) / denom, (aim - are * ratio) / denom, _OK
    if abs_bim >= abs_bre:
        ratio = bre / bim
        denom = bre * ratio + bim
        return (are * ratio + aim) / denom, (aim * ratio - are) / denom, _OK
    return _NAN, _NAN, _OK


@register_jitable(inline="always")
def _result(real, imag, error):
    if error == _DOMAIN:
        raise ValueError("math domain error")
    if error == _RANGE:
        raise OverflowError("math range error")
    return complex(real, imag)


def _check_number(name, *values):
    for value in values:
        if not isinstance(value, (types.Number, types.Boolean)):
            raise TypeError(f"cmath.{name}() takes a number, not {value}")


@register_jitable(inline="always")
def _c_log10(re, im):
    real, imag, error = _c_log(re, im)
    return real / _LN10, imag / _LN10, error


# sin(z) = -i sinh(iz), and the others alike


@register_jitable(inline="always")
def _c_sin(re, im):
    real, imag, error = _c_sinh(-im, re)
    return imag, -real, error


@register_jitable(inline="always")
def _c_cos(re, im):
    return _c_cosh(-im, re)


@register_jitable(inline="always")
def _c_tan(re, im):
    real, imag, error = _c_tanh(-im, re)
    return imag, -real, error


@register_jitable(inline="always")
def _c_asin(re, im):
    real, imag, error = _c_asinh(-im, re)
    return imag, -real, error


@register_jitable(inline="always")
def _c_atan(re, im):
    real, imag, error = _c_atanh(-im, re)
    return imag, -real, error


def _register_unary(function, kernel):
    name = function.__name__

    def typing(z):
        _check_number(name, z)

        def implementation(z):
            w = complex(z)
            real, imag, error = kernel(w.real, w.imag)
            return _result(real, imag, error)

        return implementation

    overload(function, jit_options=_INLINE)(typing)


for _function, _kernel in (
    (cmath.exp, _c_exp),
    (cmath.log10, _c_log10),
    (cmath.sin, _c_sin),
    (cmath.cos, _c_cos),
    (cmath.tan, _c_tan),
    (cmath.asin, _c_asin),
    (cmath.acos, _c_acos),
    (cmath.atan, _c_atan),
    (cmath.sinh, _c_sinh),
    (cmath.cosh, _c_cosh),
    (cmath.tanh, _c_tanh),
    (cmath.asinh, _c_asinh),
    (cmath.acosh, _c_acosh),
    (cmath.atanh, _c_atanh),
):
    _register_unary(_function, _kernel)


@overload(cmath.log, jit_options=_INLINE)
def cmath_log(z, base=None):
    _check_number("log", z)
    if base is None or isinstance(base, (types.NoneType, types.Omitted)):

        def natural_log(z, base=None):
            w = complex(z)
            real, imag, error = _c_log(w.real, w.imag)
            return _result(real, imag, error)

        return natural_log
    _check_number("log", base)

    def log_to_base(z, base=None):
        w = complex(z)
        v = complex(base)
        real, imag, error = _c_log(w.real, w.imag)
        # CPython keeps only the last error: the base's log resets the argument's
        base_real, base_imag, error = _c_log(v.real, v.imag)
        real, imag, quotient_error = _c_quotient(real, imag, base_real, base_imag)
        return _result(real, imag, quotient_error if quotient_error != _OK else error)

    return log_to_base


@overload(cmath.rect, jit_options=_INLINE)
def cmath_rect(r, phi):
    for value in (r, phi):
        if not isinstance(value, (types.Integer, types.Float, types.Boolean)):
            raise TypeError(f"must be real number, not {value}")

    def rect(r, phi):
        real, imag, error = _c_rect(float(r), float(phi))
        return _result(real, imag, error)

    return rect


@overload(cmath.isclose, jit_options=_INLINE)
def cmath_isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0):
    _check_number("isclose", a, b)
    for tolerance in (rel_tol, abs_tol):
        if isinstance(tolerance, types.Type) and not isinstance(
            tolerance, (types.Integer, types.Float, types.Boolean)
        ):
            raise TypeError(f"must be real number, not {tolerance}")

    def isclose(a, b, rel_tol=1e-09, abs_tol=0.0):
        x = complex(a)
        y = complex(b)
        if rel_tol < 0.0 or abs_tol < 0.0:
            raise ValueError("tolerances must be non-negative")
        if x.real == y.real and x.imag == y.imag:  # two infinities of the same sign
            return True
        if math.isinf(x.real) or math.isinf(x.imag) or math.isinf(y.real) or math.isinf(y.imag):
            return False
        d = x - y
        diff = np.hypot(d.real, d.imag)
        return (
            diff <= rel_tol * np.hypot(y.real, y.imag)
            or diff <= rel_tol * np.hypot(x.real, x.imag)
            or diff <= abs_tol
        )

    return isclose
