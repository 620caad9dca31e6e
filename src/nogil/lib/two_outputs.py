"""NumPy's ufuncs of two outputs: np.divmod, np.modf, np.frexp, on numbers and arrays, with
their outputs given as ``out=(first, second)`` or positionally, as NumPy takes them.

divmod is floor_divide and remainder (the core's ufunc kernels, broadcasting and casting
as theirs); modf and frexp compute each element with a scalar function over the C-order
elements. With outputs given, the results are computed first and then copied into them
(as the core's ufuncs copy with 'same_kind' casting), so an output that is also an input
gives NumPy's result.
"""

import numpy as np

from nogil.extending import overload, register_jitable, types
from nogil.lib._axes import is_none


def _check_outputs(name: str, out, out1, out2):
    """The outputs as given (a tuple `out`, or two positional ones); None when not given."""
    if not is_none(out):
        if not is_none(out1) or not is_none(out2):
            raise TypeError(f"{name}(): cannot specify 'out' as both a positional and keyword")
        if not isinstance(out, types.BaseTuple) or len(out) != 2:
            raise ValueError(f"{name}(): 'out' tuple must have length 2 (one per output)")
        outputs = tuple(out)
    elif not is_none(out1) or not is_none(out2):
        if is_none(out1) or is_none(out2):
            raise TypeError(f"{name}(): give both outputs, or neither")
        outputs = (out1, out2)
    else:
        return None
    for output in outputs:
        if not isinstance(output, types.Array):
            raise TypeError(f"{name}(): return arrays must be of ArrayType, not {output}")
    return outputs


@overload(np.divmod)
def np_divmod(x1, x2, out1=None, out2=None, out=None):
    outputs = _check_outputs("divmod", out, out1, out2)
    if outputs is None:
        return lambda x1, x2, out1=None, out2=None, out=None: (
            np.floor_divide(x1, x2),
            np.remainder(x1, x2),
        )
    if is_none(out):

        def divmod_into(x1, x2, out1=None, out2=None, out=None):
            quotient = np.floor_divide(x1, x2)
            np.remainder(x1, x2, out=out2)
            np.positive(quotient, out=out1)
            return out1, out2

        return divmod_into

    def divmod_into_tuple(x1, x2, out1=None, out2=None, out=None):
        quotient = np.floor_divide(x1, x2)
        np.remainder(x1, x2, out=out[1])
        np.positive(quotient, out=out[0])
        return out

    return divmod_into_tuple


def _float_of(name: str, x):
    """The float type NumPy computes `name` in for `x`'s dtype (float16 loops excepted)."""
    element = x.dtype if isinstance(x, types.Array) else x
    if isinstance(element, types.Float):
        return np.float32 if element.bitwidth == 32 else np.float64
    if isinstance(element, types.Integer) and element.bitwidth >= 32:
        return np.float64
    if isinstance(element, types.Integer | types.Boolean):
        raise TypeError(
            f"{name}() of {element} computes in float16 in NumPy, which compiled code does not "
            "have; convert to float32 or float64 first"
        )
    raise TypeError(f"ufunc '{name}' not supported for the input types ({element})")


def _make_modf(ftype):
    @register_jitable
    def modf_number(x):
        x = ftype(x)
        if x != x:
            return x, x
        whole = np.trunc(x)
        if whole == x:  # integral, or infinite: the fraction is a zero of x's sign
            return np.copysign(ftype(0), x), x
        return x - whole, whole

    return modf_number


def _make_frexp(ftype):
    @register_jitable
    def frexp_number(x):
        x = ftype(x)
        if x == 0 or x != x or x - x != 0:  # zero, NaN, infinity: themselves, exponent 0
            return x, np.int32(0)
        exponent = np.int32(np.floor(np.log2(np.abs(x)))) + np.int32(1)
        mantissa = np.ldexp(x, -exponent)
        while np.abs(mantissa) >= 1:
            mantissa = np.ldexp(mantissa, np.int32(-1))
            exponent += np.int32(1)
        while np.abs(mantissa) < 0.5:
            mantissa = np.ldexp(mantissa, np.int32(1))
            exponent -= np.int32(1)
        return mantissa, exponent

    return frexp_number


def _elementwise_pair(name: str, make_kernel, second_type):
    """overload of np.<name> (one input, two outputs) from a scalar kernel x -> (a, b)."""

    def typing(x, out1=None, out2=None, out=None):
        if not isinstance(x, types.Array | types.Number) or isinstance(x, types.Complex):
            raise TypeError(f"ufunc '{name}' not supported for the input types ({x})")
        ftype = _float_of(name, x)
        kernel = make_kernel(ftype)
        second = ftype if second_type is None else second_type
        outputs = _check_outputs(name, out, out1, out2)
        if not isinstance(x, types.Array):
            if outputs is not None:
                raise TypeError(f"{name}(): outputs of a number are not supported")
            return lambda x, out1=None, out2=None, out=None: kernel(x)

        def pair(x):
            first_values = np.empty(x.shape, ftype)
            second_values = np.empty(x.shape, second)
            firsts = first_values.reshape(-1)
            seconds = second_values.reshape(-1)
            elements = x.reshape(-1)
            for k in range(elements.shape[0]):
                first, second_value = kernel(elements[k])
                firsts[k] = first
                seconds[k] = second_value
            return first_values, second_values

        pair_compiled = _jit(pair)
        if outputs is None:
            return lambda x, out1=None, out2=None, out=None: pair_compiled(x)
        if is_none(out):

            def into(x, out1=None, out2=None, out=None):
                first_values, second_values = pair_compiled(x)
                np.positive(first_values, out=out1)
                np.positive(second_values, out=out2)
                return out1, out2

            return into

        def into_tuple(x, out1=None, out2=None, out=None):
            first_values, second_values = pair_compiled(x)
            np.positive(first_values, out=out[0])
            np.positive(second_values, out=out[1])
            return out

        return into_tuple

    return typing


def _jit(function):
    from nogil.decorators import njit

    return njit(function)


overload(np.modf)(_elementwise_pair("modf", _make_modf, None))
overload(np.frexp)(_elementwise_pair("frexp", _make_frexp, np.int32))
