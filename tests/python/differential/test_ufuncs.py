"""NumPy's ufuncs against NumPy: every ufunc of the table on arrays of every dtype and layout
and on scalars, with broadcasting, NumPy 2's type resolution and `out=` (positional and by
keyword), and NumPy's TypeError where it has no loop for the inputs.

The compiled functions live in a module written at collection time (one small function per
ufunc and arity), so that each is real source the compiler reads."""

import importlib.util
import sys

import numpy as np
import pytest

import nogil

UNARY = [
    "negative",
    "positive",
    "abs",
    "absolute",
    "fabs",
    "sign",
    "rint",
    "conj",
    "conjugate",
    "exp",
    "exp2",
    "expm1",
    "log",
    "log2",
    "log10",
    "log1p",
    "sqrt",
    "square",
    "cbrt",
    "reciprocal",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "deg2rad",
    "rad2deg",
    "degrees",
    "radians",
    "bitwise_not",
    "invert",
    "logical_not",
    "isfinite",
    "isinf",
    "isnan",
    "signbit",
    "spacing",
    "floor",
    "ceil",
    "trunc",
]
BINARY = [
    "add",
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "floor_divide",
    "remainder",
    "mod",
    "fmod",
    "power",
    "float_power",
    "logaddexp",
    "logaddexp2",
    "gcd",
    "lcm",
    "arctan2",
    "hypot",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "left_shift",
    "right_shift",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "not_equal",
    "equal",
    "logical_and",
    "logical_or",
    "logical_xor",
    "maximum",
    "minimum",
    "fmax",
    "fmin",
    "copysign",
    "nextafter",
    "ldexp",
]
# libm and NumPy's SIMD loops may differ in the last bits for these.
TRANSCENDENTAL = set(
    [
        "exp",
        "exp2",
        "expm1",
        "log",
        "log2",
        "log10",
        "log1p",
        "cbrt",
        "sin",
        "cos",
        "tan",
        "arcsin",
        "arccos",
        "arctan",
        "sinh",
        "cosh",
        "tanh",
        "arcsinh",
        "arccosh",
        "arctanh",
        "logaddexp",
        "logaddexp2",
        "arctan2",
        "hypot",
        "float_power",
        "power",
        "deg2rad",
        "rad2deg",
        "degrees",
        "radians",
        "sqrt",
        "abs",
        "absolute",
    ]
)

DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.int32, np.int64, np.uint64, np.float32,
          np.float64, np.complex128]  # fmt: skip


def _source():
    # Each function takes several layouts at once (one compile for all of them).
    lines = ["import numpy as np", ""]
    for name in UNARY:
        lines += [
            f"def u_{name}(a, b, s):",
            f"    return np.{name}(a), np.{name}(b), np.{name}(s)",
            "",
        ]
        lines += [f"def uo_{name}(a, out):", f"    return np.{name}(a, out)", ""]
    for name in BINARY:
        lines += [
            f"def b_{name}(a, b, s, t, u):",
            f"    return np.{name}(a, b), np.{name}(a, s), np.{name}(t, u)",
            "",
        ]
        lines += [f"def p_{name}(a, b):", f"    return np.{name}(a, b)", ""]
        lines += [f"def bo_{name}(a, b, out):", f"    return np.{name}(a, b, out=out)", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def kernels(tmp_path_factory):
    path = tmp_path_factory.mktemp("ufuncs") / "ufunc_kernels.py"
    path.write_text(_source())
    spec = importlib.util.spec_from_file_location("ufunc_kernels", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["ufunc_kernels"] = module
    spec.loader.exec_module(module)
    return module


def sample(dtype, n=12, seed=0):
    """Values of `dtype` with its edge cases: zeros, -1, extremes, NaN, infinities, -0.0."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, n).astype(bool)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        values = rng.integers(max(info.min, -100), min(info.max, 100), n, endpoint=True)
        values = values.astype(dtype)
        values[:4] = [0, 1, info.max, info.min if dtype.kind == "i" else 2]
        if dtype.kind == "i":
            values[4] = -1
        return values
    if dtype.kind == "f":
        values = (rng.standard_normal(n) * 3).astype(dtype)
        values[:5] = [0.0, -0.0, np.nan, np.inf, -np.inf]
        values[5] = 0.5
        return values
    values = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
    values[0] = 0
    values[1] = complex(np.nan, 1)
    return values


# NumPy has complex loops for these; compiled code refuses complex inputs (ordering of
# complex numbers, NaN rules of complex maximum).
COMPLEX_GAPS = {"greater", "greater_equal", "less", "less_equal", "maximum", "minimum", "fmax",
                "fmin"}  # fmt: skip


def outcome(f, *args):
    try:
        with np.errstate(all="ignore"):
            return "value", f(*args)
    except (TypeError, ValueError, ZeroDivisionError) as err:
        return "raise", err


def assert_same(name, expected, got, in_float32=None):
    """`in_float32`: NumPy's result with the inputs as float32, for its float16 loops."""
    kind, value = expected
    if name in COMPLEX_GAPS and got[0] == "raise" and isinstance(got[1], nogil.TypingError):
        assert "complex128" in str(got[1])
        return
    if kind == "raise":
        assert got[0] == "raise", (name, value, got)
        # a NumPy "no loop" is a TypeError; compiled code refuses it when compiling (a
        # TypingError, which is a TypeError)
        assert isinstance(got[1], (type(value), TypeError)), (value, got[1])
        return
    assert got[0] == "value", (name, got[1])
    expected, got = np.asarray(value), np.asarray(got[1])
    if expected.dtype == np.float16:  # NumPy's float16 loops run in float32 compiled
        assert got.dtype == np.float32, (name, got.dtype)
        expected = np.asarray(in_float32()[1])
        rtol = 1e-5 if name in TRANSCENDENTAL else 0
    else:
        assert got.dtype == expected.dtype, (name, expected.dtype, got.dtype)
        rtol = (
            (1e-5 if got.dtype in (np.float32, np.complex64) else 1e-12)
            if name in (TRANSCENDENTAL)
            else 0
        )
    assert got.shape == expected.shape, (name, expected.shape, got.shape)
    if expected.dtype.kind == "c":  # NaN and infinity patterns of complex results vary
        finite = np.isfinite(expected)
        assert np.array_equal(finite, np.isfinite(got)), (name, expected, got)
        expected, got = expected[finite], got[finite]
        rtol = max(rtol, 1e-12)
    if rtol:
        assert np.allclose(got, expected, rtol=rtol, atol=0, equal_nan=True), (name, expected, got)
    else:
        assert np.array_equal(got, expected, equal_nan=expected.dtype.kind in "fc"), (
            name,
            expected,
            got,
        )


@pytest.mark.parametrize("name", UNARY)
def test_unary_ufunc_on_arrays_and_scalars(kernels, name):
    compiled = nogil.njit(getattr(kernels, f"u_{name}"))
    reference = getattr(np, name)
    for dtype in DTYPES:
        a = sample(dtype)
        # C-contiguous, 2-D with a negative stride (or Fortran order), a NumPy scalar; and
        # empty and single-element arrays for the floats
        b = a.reshape(3, 4)[:, ::-1] if dtype != np.float64 else a.reshape(3, 4).T
        calls = [(a[:0] if dtype == np.float64 else a,), (b,), (a[2],)]
        check_calls(name, reference, compiled, calls, [call[0] for call in calls])


def check_calls(name, reference, compiled, calls, args):
    """Each call under NumPy against the compiled function, which makes them all at once from
    `args`."""
    expected = [outcome(reference, *call) for call in calls]
    got = outcome(compiled, *args)
    if got[0] == "raise" or any(kind == "raise" for kind, _ in expected):
        raised = next((e for e in expected if e[0] == "raise"), expected[0])
        assert_same(name, raised, got)
        return
    for call, want, value in zip(calls, expected, got[1], strict=False):
        assert_same(
            name,
            want,
            ("value", value),
            lambda call=call: outcome(reference, *float32_inputs(name, call)),
        )


def float32_inputs(name, call):
    out = []
    for i, x in enumerate(call):
        if name == "ldexp" and i == 1:
            out.append(x)
        else:
            out.append(np.float32(x) if np.ndim(x) == 0 else np.asarray(x).astype(np.float32))
    return out


def shift_safe(name, b):
    """Shift counts NumPy defines (0 to width - 1); others are platform behaviour."""
    if name in ("left_shift", "right_shift") and b.dtype.kind in "iu":
        return (np.abs(b.astype(np.int64)) % 8).astype(b.dtype)
    if name in ("power",) and b.dtype.kind in "iu":  # negative integer powers raise
        return (np.abs(b.astype(np.int64)) % 5).astype(b.dtype)
    if name == "ldexp" and b.dtype.kind in "iu":
        return (b.astype(np.int64) % 50).astype(b.dtype)
    return b


@pytest.mark.parametrize("name", BINARY)
def test_binary_ufunc_broadcasts_and_promotes(kernels, name):
    compiled = nogil.njit(getattr(kernels, f"b_{name}"))
    reference = getattr(np, name)
    pairs = [
        (np.int8, np.int8),
        (np.int32, np.int64),
        (np.uint8, np.int16),
        (np.float32, np.float32),
        (np.float64, np.int32),
        (np.float32, np.int64),
        (np.bool_, np.bool_),
        (np.complex128, np.float64),
        (np.uint64, np.uint64),
    ]
    for k, (left, right) in enumerate(pairs):
        a = sample(left).reshape(3, 4)
        b = shift_safe(name, sample(right, seed=1).reshape(3, 4))
        if k % 3 == 1:  # other layouts: Fortran order, negative strides
            a, b = a.T, b[::-1].T
        # broadcasting a row; a Python scalar (weak) next to an array; two NumPy scalars
        calls = [(a, b[0]), (a, b[1, 2].item()), (a[0, 1], b[1, 2])]
        check_calls(name, reference, compiled, calls, (a, b[0], b[1, 2].item(), a[0, 1], b[1, 2]))


def test_python_scalars_are_weak(kernels):
    add = nogil.njit(kernels.p_add)
    a = np.arange(4, dtype=np.float32)
    assert add(a, 2.5).dtype == np.float32
    assert add(np.arange(4, dtype=np.int8), 3).dtype == np.int8
    assert add(np.arange(4, dtype=np.int8), 3.0).dtype == np.float64
    one = np.float32(1)
    assert nogil.njit(kernels.u_sin)(one, one, one)[0].dtype == np.sin(one).dtype


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "true_divide", "less", "hypot"])
def test_out_argument(kernels, name):
    compiled = nogil.njit(getattr(kernels, f"bo_{name}"))
    reference = getattr(np, name)
    a = sample(np.float64).reshape(3, 4)
    b = sample(np.float64, seed=3)[:4]
    result_type = reference(a, b).dtype
    for out in (np.zeros((3, 4), result_type), np.zeros((4, 3), result_type).T,
                np.zeros((3, 8), result_type)[:, ::2]):  # fmt: skip
        expected = out.copy()
        with np.errstate(all="ignore"):
            reference(a, b, out=expected)
        returned = compiled(a, b, out)
        assert returned is out or np.shares_memory(returned, out)
        assert np.array_equal(out, expected, equal_nan=True)


def test_out_positional_unary_and_casting(kernels):
    sqrt = nogil.njit(kernels.uo_sqrt)
    a = np.arange(6.0)
    out = np.empty(6)
    sqrt(a, out)
    assert np.array_equal(out, np.sqrt(a))
    out32 = np.empty(6, np.float32)  # float64 into float32: same kind
    sqrt(a, out32)
    assert np.array_equal(out32, np.sqrt(a).astype(np.float32))
    with pytest.raises(TypeError):  # float64 into int64: NumPy refuses ('same_kind')
        sqrt(a, np.empty(6, np.int64))
    add = nogil.njit(kernels.bo_add)
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        add(np.zeros((2, 3)), np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="operands could not be broadcast together"):
        add(np.zeros(3), np.zeros(4), np.zeros(4))
    readonly = np.zeros(3)
    readonly.flags.writeable = False
    with pytest.raises(TypeError):
        add(np.zeros(3), np.zeros(3), readonly)


def test_integer_division_by_zero_gives_zero(kernels):
    for name in ("floor_divide", "remainder", "fmod"):
        compiled = nogil.njit(getattr(kernels, f"p_{name}"))
        a = np.array([7, -7, 0, np.iinfo(np.int64).min], np.int64)
        b = np.array([0, 0, 0, -1], np.int64)
        with np.errstate(all="ignore"):
            expected = getattr(np, name)(a, b)
        assert np.array_equal(compiled(a, b), expected), name


def test_ufunc_chain_is_fused_and_agrees():
    @nogil.njit
    def chain(x, y):
        return np.exp(-(x**2)) * np.sin(y) + np.maximum(x, 0.5) / np.hypot(x, y)

    x = np.linspace(-2, 2, 101)
    y = np.linspace(0.1, 3, 101)[::-1]

    def expected(x, y):
        return np.exp(-(x**2)) * np.sin(y) + np.maximum(x, 0.5) / np.hypot(x, y)

    assert np.allclose(chain(x, y), expected(x, y))
    assert np.allclose(chain(x[:, None], y), expected(x[:, None], y))


def test_ufunc_imported_by_name():
    from numpy import isnan, sqrt

    @nogil.njit
    def f(a):
        return sqrt(a), isnan(a)

    a = np.array([1.0, np.nan, 4.0])
    root, nan = f(a)
    assert np.array_equal(root, np.sqrt(a), equal_nan=True)
    assert np.array_equal(nan, np.isnan(a))


def test_bad_ufunc_calls_are_typing_errors(kernels):
    with pytest.raises(nogil.TypingError):
        nogil.njit(kernels.p_gcd)(np.zeros(3), np.zeros(3))
    with pytest.raises(nogil.TypingError):
        nogil.njit(kernels.uo_invert)(np.zeros(3), np.zeros(3))

    @nogil.njit
    def where(a):
        return np.add(a, a, where=a > 0)

    with pytest.raises(nogil.TypingError, match="where"):
        where(np.zeros(3))
