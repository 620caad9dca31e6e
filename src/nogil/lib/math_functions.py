"""The math functions that take iterables or keywords, as CPython 3.11 computes them:
``prod`` (tuples, arrays, ranges; ``start=``), ``fsum`` (its exactly rounded sum),
``dist`` and ``hypot`` of any number of coordinates (its own ``vector_norm``, bit for bit),
``isclose`` with ``rel_tol=``/``abs_tol=`` and ``lcm``. Loaded by the front end when compiled
code reads the math module."""

import itertools
import linecache
import math
import sys

import numpy as np

from nogil.extending import overload, register_jitable, types

# Scalar functions: each call inlines into its caller, a loop included.
_INLINE = {"inline": "always"}

_DBL_MIN = sys.float_info.min
_VELTKAMP = 134217729.0  # 2.0 ** 27 + 1: splits a double into two 26-bit halves


_generated = {}
_counter = itertools.count()


def _of_arguments(helper, convert, empty, arity):
    """``def f(a0, a1, ...): return helper((convert(a0), convert(a1), ...))`` for one number of
    arguments (compiled code has no ``*args`` parameters; its text is registered in
    linecache, where nogil reads sources), or ``return empty`` for none."""
    key = (helper, arity)
    if key not in _generated:
        parameters = ", ".join(f"a{k}" for k in range(arity))
        if arity:
            converted = "".join(f"{convert}(a{k}), " for k in range(arity))
            body = f"{helper}(({converted}))"
        else:
            body = empty
        text = f"def function({parameters}):\n    return {body}\n"
        _generated[key] = _generated_function(text, "function", {helper: globals()[helper]})
    return _generated[key]


def _generated_function(text, name, namespace):
    """The function `name` defined by `text`, registered in linecache (nogil reads sources
    there)."""
    filename = f"<nogil.lib math {name} {next(_counter)}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), namespace)
    return namespace[name]


def _is_real(value):
    """Whether an argument's type is an int, float or bool (or the argument is omitted: its
    default is a value, not a type)."""
    if not isinstance(value, types.Type):
        return True
    return isinstance(value, (types.Integer, types.Float, types.Boolean))


def _is_iterable(value):
    return isinstance(value, (types.Array, types.BaseTuple)) or "range" in value.name


def _product_of_tuple(length):
    """``start * t[0] * t[1] ...`` as one expression, so each product has the type CPython's
    has (a tuple may mix ints and floats)."""
    key = ("prod", length)
    if key not in _generated:
        product = "start"
        for k in range(length):
            product = f"({product} * iterable[{k}])"
        _generated[key] = _generated_function(
            f"def prod(iterable, start=1):\n    return {product}\n", "prod", {}
        )
    return _generated[key]


@overload(math.prod, jit_options=_INLINE)
def math_prod(iterable, *, start=1):
    if isinstance(iterable, types.BaseTuple):
        return _product_of_tuple(len(iterable))
    if not isinstance(iterable, types.Array):
        raise TypeError(f"math.prod() takes a tuple or an array, not {iterable}")
    if iterable.ndim != 1:
        raise TypeError("math.prod() of an array takes a 1-d array")

    def prod(iterable, start=1):
        result = start
        for item in iterable:
            result = result * item
        return result

    return prod


@register_jitable(inline="always")
def _grown(partials, n):
    bigger = np.empty(2 * partials.shape[0])
    for i in range(n):
        bigger[i] = partials[i]
    return bigger


@register_jitable(inline="always")
def _fsum_of_partials(partials, n):
    """The partials' sum rounded once (the tail of CPython's math_fsum)."""
    hi = 0.0
    if n > 0:
        n -= 1
        hi = partials[n]
        lo = 0.0
        while n > 0:
            x = hi
            n -= 1
            y = partials[n]
            hi = x + y
            yr = hi - x
            lo = y - yr
            if lo != 0.0:
                break
        # half-even rounding across partials: sum([1e-16, 1, 1e16]) rounds up
        if n > 0 and ((lo < 0.0 and partials[n - 1] < 0.0) or (lo > 0.0 and partials[n - 1] > 0.0)):
            y = lo * 2.0
            x = hi + y
            yr = x - hi
            if y == yr:
                hi = x
    return hi


@register_jitable(inline="always")
def _fsum(iterable):
    """CPython's math_fsum: Shewchuk's nonoverlapping partials, smallest first."""
    partials = np.empty(32)
    n = 0
    special_sum = 0.0
    inf_sum = 0.0
    for item in iterable:
        x = float(item)
        xsave = x
        i = 0
        for j in range(n):
            y = partials[j]
            if math.fabs(x) < math.fabs(y):
                x, y = y, x
            hi = x + y
            yr = hi - x
            lo = y - yr
            if lo != 0.0:
                partials[i] = lo
                i += 1
            x = hi
        n = i
        if x != 0.0:
            if not math.isfinite(x):
                # from an inf or nan item, or an intermediate overflow
                if math.isfinite(xsave):
                    raise OverflowError("intermediate overflow in fsum")
                if math.isinf(xsave):
                    inf_sum += xsave
                special_sum += xsave
                n = 0
            else:
                if n >= partials.shape[0]:
                    partials = _grown(partials, n)
                partials[n] = x
                n += 1
    if special_sum != 0.0:
        if math.isnan(inf_sum):
            raise ValueError("-inf + inf in fsum")
        return special_sum
    return _fsum_of_partials(partials, n)


@overload(math.fsum, jit_options=_INLINE)
def math_fsum(iterable):
    if isinstance(iterable, types.BaseTuple):
        # a tuple may mix ints and floats: a loop takes one type
        converted = "".join(f"float(iterable[{k}]), " for k in range(len(iterable)))
        text = f"def fsum(iterable):\n    return _fsum(({converted}))\n"
        if not len(iterable):
            text = "def fsum(iterable):\n    return 0.0\n"
        key = ("fsum", len(iterable))
        if key not in _generated:
            _generated[key] = _generated_function(text, "fsum", {"_fsum": _fsum})
        return _generated[key]
    if not isinstance(iterable, types.Array):
        raise TypeError(f"math.fsum() takes a tuple or an array, not {iterable}")
    if iterable.ndim != 1:
        raise TypeError("math.fsum() of an array takes a 1-d array")

    def fsum(iterable):
        return _fsum(iterable)

    return fsum


@register_jitable(inline="always")
def _split(x):
    t = x * _VELTKAMP
    hi = t - (t - x)
    return hi, x - hi


@register_jitable(inline="always")
def _product(x, y):
    """x * y as hi + lo exactly (Dekker's mul12)."""
    xhi, xlo = _split(x)
    yhi, ylo = _split(y)
    p = xhi * yhi
    q = xhi * ylo + xlo * yhi
    z = p + q
    return z, p - z + q + xlo * ylo


@register_jitable(inline="always")
def _vector_norm(coordinates, n, largest, found_nan):
    """CPython 3.11's vector_norm: the Euclidean norm of n absolute values whose largest is
    `largest`, with its lossless scaling and squaring and its final correction. `coordinates`
    is indexed (a tuple or an array), never written."""
    if math.isinf(largest):
        return largest
    if found_nan:
        return math.nan
    if largest == 0.0 or n <= 1:
        return largest
    max_e = math.frexp(largest)[1]
    if max_e < -1023:
        # ldexp(1.0, -max_e) would overflow: make the subnormals normal first
        return _DBL_MIN * _vector_norm_scaled(coordinates, n, largest / _DBL_MIN, _DBL_MIN)
    return _vector_norm_scaled(coordinates, n, largest, 1.0)


@register_jitable(inline="always")
def _vector_norm_scaled(coordinates, n, largest, divisor):
    """The norm of the absolute values of `coordinates` divided by `divisor` (exactly: a
    power of two), whose largest is `largest`."""
    scale = _scale(largest)
    csum = 1.0
    frac1 = 0.0
    frac2 = 0.0
    for i in range(n):
        csum, frac1, frac2 = _accumulate(
            math.fabs(coordinates[i]) / divisor * scale, csum, frac1, frac2
        )
    return _finish(csum, frac1, frac2, scale)


@register_jitable(inline="always")
def _scale(largest):
    """ldexp(1.0, -e) with e frexp's exponent of `largest`: the mantissa over `largest` is
    that power of two exactly (the same significand), and cheaper than libm's ldexp."""
    return math.frexp(largest)[0] / largest


@register_jitable(inline="always")
def _accumulate(x, csum, frac1, frac2):
    """Adds x * x (x scaled below 1) to the sum csum + frac1 + frac2: the squaring and the
    addition to csum lossless, their errors gathered in frac1 and frac2."""
    square_hi, square_lo = _product(x, x)
    total = csum + square_hi
    return total, frac1 + square_lo, frac2 + ((csum - total) + square_hi)


@register_jitable(inline="always")
def _finish(csum, frac1, frac2, scale):
    """The square root of the sum, with CPython's differential correction, scaled back."""
    h = math.sqrt(csum - 1.0 + (frac1 + frac2))
    csum, frac1, frac2 = _accumulate_product(-h, h, csum, frac1, frac2)
    x = csum - 1.0 + (frac1 + frac2)
    h += x / (2.0 * h)
    return h / scale


@register_jitable(inline="always")
def _accumulate_product(a, b, csum, frac1, frac2):
    product_hi, product_lo = _product(a, b)
    total = csum + product_hi
    return total, frac1 + product_lo, frac2 + ((csum - total) + product_hi)


def _hypot_function(arity):
    """math.hypot of `arity` coordinates, CPython's vector_norm written out for them (no
    loop and no array: a loop over a tuple indexes it at run time)."""
    key = ("hypot", arity)
    if key in _generated:
        return _generated[key]
    parameters = ", ".join(f"a{k}" for k in range(arity))
    lines = [f"x{k} = math.fabs(float(a{k}))" for k in range(arity)]
    if arity == 0:
        lines.append("return 0.0")
    elif arity == 1:
        lines.append("return x0")
    else:
        lines.append("largest = 0.0")
        for k in range(arity):
            lines.append(f"largest = x{k} if x{k} > largest else largest")
        nan_test = " or ".join(f"math.isnan(x{k})" for k in range(arity))
        lines += [
            "if math.isinf(largest):",
            "    return largest",
            f"if {nan_test}:",
            "    return math.nan",
            "if largest == 0.0:",
            "    return largest",
            "divisor = 1.0",
            "if math.frexp(largest)[1] < -1023:",
            "    divisor = _DBL_MIN",
            "    largest = largest / _DBL_MIN",
            "scale = _scale(largest)",
            "csum = 1.0",
            "frac1 = 0.0",
            "frac2 = 0.0",
        ]
        for k in range(arity):
            lines.append(
                f"csum, frac1, frac2 = _accumulate(x{k} / divisor * scale, csum, frac1, frac2)"
            )
        lines.append("return divisor * _finish(csum, frac1, frac2, scale)")
    text = f"def hypot({parameters}):\n" + "".join(f"    {line}\n" for line in lines)
    namespace = {
        "math": math,
        "_DBL_MIN": _DBL_MIN,
        "_scale": _scale,
        "_accumulate": _accumulate,
        "_finish": _finish,
    }
    _generated[key] = _generated_function(text, "hypot", namespace)
    return _generated[key]


@overload(math.dist, jit_options=_INLINE)
def math_dist(p, q):
    for point in (p, q):
        if not _is_iterable(point):
            raise TypeError(f"math.dist() takes two points (tuples or arrays), not {point}")

    def dist(p, q):
        n = len(p)
        if n != len(q):
            raise ValueError("both points must have the same number of dimensions")
        differences = np.empty(n)
        largest = 0.0
        found_nan = False
        for i in range(n):
            x = math.fabs(float(p[i]) - float(q[i]))
            differences[i] = x
            found_nan = found_nan or math.isnan(x)
            if x > largest:
                largest = x
        return _vector_norm(differences, n, largest, found_nan)

    return dist


@register_jitable(inline="always")
def _lcm_of(integers):
    result = 1
    for i in range(len(integers)):
        a = abs(result)
        b = abs(integers[i])
        result = 0 if a == 0 or b == 0 else a // math.gcd(a, b) * b
    return result


@overload(math.hypot, jit_options=_INLINE)
def math_hypot(*coordinates):
    for value in coordinates:
        if not _is_real(value):
            raise TypeError(f"must be real number, not {value}")
    return _hypot_function(len(coordinates))


@overload(math.isclose, jit_options=_INLINE)
def math_isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0):
    for value in (a, b, rel_tol, abs_tol):
        if not _is_real(value):
            raise TypeError(f"must be real number, not {value}")

    def isclose(a, b, rel_tol=1e-09, abs_tol=0.0):
        x = float(a)
        y = float(b)
        if rel_tol < 0.0 or abs_tol < 0.0:
            raise ValueError("tolerances must be non-negative")
        if x == y:  # two infinities of the same sign
            return True
        if math.isinf(x) or math.isinf(y):
            return False
        diff = math.fabs(y - x)
        return diff <= math.fabs(rel_tol * y) or diff <= math.fabs(rel_tol * x) or diff <= abs_tol

    return isclose


@overload(math.lcm, jit_options=_INLINE)
def math_lcm(*integers):
    for value in integers:
        if not isinstance(value, (types.Integer, types.Boolean)):
            raise TypeError(f"'{value}' object cannot be interpreted as an integer")
    return _of_arguments("_lcm_of", "int", "1", len(integers))
