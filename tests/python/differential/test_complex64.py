"""complex64 and complex128 against NumPy: complex64 scalars in and out, arithmetic and its
promotions, the constructors, complex arrays of every layout (C, F, strided, negative strides,
0-d, empty) through operators, ufuncs, reductions, matmul and element access, and .real and
.imag as views that write through to the complex array."""

import linecache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nogil
from nogil import njit

COMPLEX = [np.complex64, np.complex128]


def layouts(values):
    """The same values as C, F, strided, negative-stride, 0-d and empty arrays."""
    grid = values[:6].reshape(2, 3)
    doubled = np.repeat(values, 2)[::2]
    return {
        "C": grid.copy(),
        "F": np.asfortranarray(grid),
        "strided": np.zeros((4, 3), values.dtype)[::2],
        "negative": grid[::-1, ::-1],
        "0d": np.array(values[0]),
        "empty": values[:0].reshape(0, 3),
        "1d-strided": doubled[::2],
    }


def sample(dtype, n=12, seed=0):
    rng = np.random.default_rng(seed)
    values = (rng.standard_normal(n) * 3 + 1j * rng.standard_normal(n) * 3).astype(dtype)
    values[1] = complex(-0.0, 2.5)
    values[2] = complex(1e30, -1e-30)
    return values


def same(expected, got, rtol=0.0):
    expected, got = np.asarray(expected), np.asarray(got)
    assert got.dtype == expected.dtype, (expected.dtype, got.dtype)
    assert got.shape == expected.shape, (expected.shape, got.shape)
    if rtol:
        assert np.allclose(got, expected, rtol=rtol, atol=0, equal_nan=True), (expected, got)
    else:
        assert np.array_equal(got, expected, equal_nan=True), (expected, got)


# Scalars ----------------------------------------------------------------------------------

finite32 = st.floats(-(2.0**60), 2.0**60, width=32)
complex64s = st.builds(lambda re, im: np.complex64(complex(re, im)), finite32, finite32)


@njit
def scalar_arithmetic(z, w, x32, x64):
    return z + w, z - w, z * w, z + x32, z * x32, z + x64, z * x64, -z, z == w, z != w


def scalar_arithmetic_numpy(z, w, x32, x64):
    return z + w, z - w, z * w, z + x32, z * x32, z + x64, z * x64, -z, z == w, z != w


@given(z=complex64s, w=complex64s, x32=finite32, x64=st.floats(-1e300, 1e300))
@settings(max_examples=60)
def test_complex64_scalar_arithmetic_and_promotion(z, w, x32, x64):
    x32, x64 = np.float32(x32), np.float64(x64)
    with np.errstate(all="ignore"):
        expected = scalar_arithmetic_numpy(z, w, x32, x64)
    got = scalar_arithmetic(z, w, x32, x64)
    for e, g in zip(expected, got, strict=True):
        assert np.asarray(g).dtype == np.asarray(e).dtype, (e, g)
        if isinstance(e, np.complexfloating):
            # NumPy's complex64 product may be fused; every other result is exact.
            assert np.allclose(g, e, rtol=1e-6, atol=0, equal_nan=True), (e, g)
        else:
            assert g == e


@njit
def scalar_parts(z):
    return z.real, z.imag, np.conj(z), abs(z), np.complex64(z.real), np.complex64(z.real, 2)


@given(z=complex64s)
@settings(max_examples=40)
def test_complex64_scalar_parts_and_constructor(z):
    got = scalar_parts(z)
    expected = (
        z.real,
        z.imag,
        np.conj(z),
        abs(z),
        np.complex64(z.real),
        np.complex64(complex(z.real, 2)),
    )
    for e, g in zip(expected, got, strict=True):
        assert np.asarray(g).dtype == np.asarray(e).dtype, (e, g)
        assert g == e or (np.isnan(g) and np.isnan(e))


@njit
def constructors(x, z):
    return np.complex64(x), np.complex64(z), np.complex128(np.complex64(z)), complex(z)


def test_constructors_convert_like_numpy():
    z = 1.5 + 1e40j
    got = constructors(2.5, z)
    with np.errstate(all="ignore"):
        expected = (np.complex64(2.5), np.complex64(z), np.complex128(np.complex64(z)), complex(z))
    for e, g in zip(expected, got, strict=True):
        assert np.asarray(g).dtype == np.asarray(e).dtype and g == e


def test_complex64_signature_and_result():
    @njit("complex64(complex64, float32)")
    def scale(z, x):
        return z * x

    got = scale(np.complex64(1 + 2j), np.float32(3))
    assert type(got) is np.complex64 and got == np.complex64(3 + 6j)


# Arrays -----------------------------------------------------------------------------------


@njit
def array_expressions(a, b):
    return (
        a * b + 1j,
        a / 2.0,
        a - b * 3,
        a == b,
        -a,
        np.abs(a),
        np.conj(a),
        a.astype(np.complex128),
    )


@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "negative", "0d", "empty"])
def test_array_operators_every_layout(dtype, layout):
    a = layouts(sample(dtype))[layout]
    b = layouts(sample(dtype, seed=1))[layout]
    with np.errstate(all="ignore"):
        expected = array_expressions.py_func(a, b)
    got = array_expressions(a, b)
    for e, g in zip(expected, got, strict=True):
        # products: NumPy's SIMD loops round differently from CPython's formula (complex128)
        # and may fuse (complex64); |z| of negative strides: NumPy's scalar hypot fallback
        same(e, g, rtol=1e-6 if e.dtype in (np.complex64, np.float32) else 1e-15)


@njit
def mixed(c64, f32, f64):
    return c64 + f32, c64 + f64, c64 * 2.5, f32 * 1j, c64 * 1j


def test_array_promotion_as_numpy():
    c64 = sample(np.complex64)
    f32 = c64.real.copy()
    f64 = f32.astype(np.float64)
    expected = mixed.py_func(c64, f32, f64)
    got = mixed(c64, f32, f64)
    for e, g in zip(expected, got, strict=True):
        same(e, g, rtol=1e-6)


@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
def test_abs_agrees_to_the_bit(dtype):
    values = sample(dtype, n=200, seed=3)
    edges = [0, complex(np.inf, np.nan), complex(np.nan, np.inf), complex(np.nan, 1),
             complex(3, 4), complex(1e-320, 1e-320), complex(1e308, 1e308), complex(-0.0, -2.0),
             complex(5e-324, 0)]  # fmt: skip
    values[: len(edges)] = np.array(edges, dtype)
    magnitude = njit(lambda a: np.abs(a))
    for view in (
        values,
        values[::3],
        values[:198].reshape(11, 18)[:, ::2],
        values[:12].reshape(3, 4).T,
    ):
        same(np.abs(view), magnitude(view))
    # NumPy itself takes libm's hypot for negative strides: within an ulp of its SIMD loop
    ulp = 2.5e-7 if dtype == np.complex64 else 5e-16
    same(np.abs(values[::-3]), magnitude(values[::-3]), rtol=ulp)


UFUNCS = ["sqrt", "exp", "log", "sin", "cos", "tanh", "square", "reciprocal", "sign",
          "isfinite", "isnan", "isinf", "negative", "conjugate", "add", "subtract", "multiply",
          "true_divide", "equal", "not_equal", "power"]  # fmt: skip


@pytest.mark.parametrize("name", UFUNCS)
def test_complex64_ufuncs(name):
    ufunc = getattr(np, name)
    a = sample(np.complex64, seed=4)
    b = sample(np.complex64, seed=5)
    args = (a,) if ufunc.nin == 1 else (a, b)
    namespace = {"np": np}
    params = ", ".join("xy"[: ufunc.nin])
    text = f"def f({params}):\n    return np.{name}({params})\n"
    filename = f"<complex64 ufunc {name}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), namespace)
    with np.errstate(all="ignore"):
        expected = ufunc(*args)
    got = njit(namespace["f"])(*args)
    exact = name in ("isfinite", "isnan", "isinf", "negative", "conjugate", "add", "subtract",
                     "equal", "not_equal")  # fmt: skip
    if exact:
        same(expected, got)
        return
    assert got.dtype == expected.dtype
    finite = np.isfinite(expected)
    assert np.array_equal(finite, np.isfinite(got))
    assert np.allclose(got[finite], expected[finite], rtol=2e-6, atol=1e-30)


@njit
def reductions(a):
    return np.sum(a), a.sum(), np.prod(a), np.mean(a), a.prod()


@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", ["C", "F", "negative", "empty"])
def test_reductions(dtype, layout):
    a = layouts(sample(dtype))[layout]
    with np.errstate(all="ignore"):
        expected = reductions.py_func(a)
    got = reductions(a)
    for e, g in zip(expected, got, strict=True):
        same(e, g, rtol=1e-5 if np.asarray(e).dtype == np.complex64 else 1e-12)


def test_axis_sums_of_complex_matrices_are_refused_clearly():
    @njit
    def column_sums(a):
        return a.sum(axis=0)

    with pytest.raises(nogil.TypingError, match="not supported yet"):
        column_sums(np.ones((2, 2), np.complex64))
    one_d = np.arange(3, dtype=np.complex64)
    same(one_d.sum(axis=0), column_sums(one_d))


@njit
def build_and_store(n, z):
    a = np.zeros(n, np.complex64)
    b = np.ones((2, n), dtype=np.complex64)
    for i in range(n):
        a[i] = z * i
        b[1, i] = i + 0.5
    b[0] = a
    c = a.astype(np.complex64)
    c[0] = 7
    return a, b, c, a[n - 1], np.empty(0, np.complex64)


def test_creation_and_element_access():
    z = np.complex64(1.5 - 2j)
    got = build_and_store(4, z)
    a = np.array([z * i for i in range(4)], np.complex64)
    b = np.ones((2, 4), np.complex64)
    b[1] = np.arange(4) + 0.5
    b[0] = a
    c = a.copy()
    c[0] = 7
    for e, g in zip((a, b, c, a[3], np.empty(0, np.complex64)), got, strict=True):
        same(e, g)
    assert type(got[3]) is np.complex64


@njit
def products(a, b, v):
    return a @ b, np.dot(a, v), np.dot(v, v), np.vdot(v, v)


@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
def test_matmul_through_blas(dtype):
    rng = np.random.default_rng(7)
    a = (rng.standard_normal((5, 4)) + 1j * rng.standard_normal((5, 4))).astype(dtype)
    b = np.asfortranarray((rng.standard_normal((4, 3)) + 1j).astype(dtype))
    v = a[0, ::-1].copy()
    expected = products.py_func(a, b, v)
    got = products(a, b, v)
    for e, g in zip(expected, got, strict=True):
        same(e, g, rtol=1e-5 if dtype == np.complex64 else 1e-12)


# .real and .imag --------------------------------------------------------------------------


@njit
def write_parts(c, x):
    c.real[...] = x
    c.imag[0] = -1
    im = c.imag
    im *= 2
    return c.real, c.imag, np.real(c), np.imag(c)


@pytest.mark.parametrize("dtype", COMPLEX, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", ["C", "F", "strided", "negative", "1d-strided"])
def test_real_imag_are_writable_views(dtype, layout):
    original = layouts(sample(dtype))[layout]
    c_numpy, c_compiled = original.copy(order="K"), original.copy(order="K")
    if layout in ("strided", "negative", "1d-strided"):  # keep the layout, not a copy of it
        c_numpy, c_compiled = layouts(sample(dtype))[layout], layouts(sample(dtype))[layout]
    expected = write_parts.py_func(c_numpy, 2.5)
    got = write_parts(c_compiled, 2.5)
    same(c_numpy, c_compiled)
    for e, g in zip(expected, got, strict=True):
        same(e, g)
        assert g.strides == e.strides
    # the returned views still see the array
    c_compiled[...] = 3 + 4j
    assert np.all(got[0] == 3) and np.all(got[1] == 4)


@njit
def parts_0d(c):
    return c.real, c.imag


def test_real_imag_of_0d_and_empty():
    for c in (np.array(1 + 2j, np.complex64), np.zeros((0, 2), np.complex128)):
        for e, g in zip(parts_0d.py_func(c), parts_0d(c), strict=True):
            same(e, g)


@njit
def real_parts_of_reals(a):
    return a.real, a.imag, np.real(a), np.imag(a)


def test_real_and_imag_of_real_arrays():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)[:, ::-1]
    got = real_parts_of_reals(a)
    for e, g in zip(real_parts_of_reals.py_func(a), got, strict=True):
        same(e, g)
    assert not got[1].flags.writeable


def test_imag_of_a_real_array_refuses_stores():
    @njit
    def store(a):
        a.imag[0] = 1.0

    with pytest.raises(nogil.TypingError):
        store(np.zeros(3))


@njit
def twice(c):
    out = c.copy()
    out.imag[...] = c.real * 2
    return out


@given(
    c=hnp.arrays(
        st.sampled_from(COMPLEX),
        hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=4),
        elements=st.complex_numbers(max_magnitude=1e6, allow_nan=False, width=64),
    )
)
@settings(max_examples=40)
def test_generated_arrays_round_trip(c):
    expected = c.copy()
    expected.imag[...] = c.real * 2
    same(expected, twice(c))
