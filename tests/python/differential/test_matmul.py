"""Matrix products against NumPy: `a @ b`, np.matmul, np.dot, a.dot(b), np.vdot, np.inner and
np.outer on 1-d and 2-d arrays of every dtype and layout (C, Fortran, strided, negative
strides), empty dimensions, mixed dtypes, NumPy's errors, and calls from several threads."""

import subprocess
import sys
import threading

import numpy as np
import pytest

import nogil
from nogil import njit, prange


def matmul_operator(a, b):
    return a @ b


def matmul_function(a, b):
    return np.matmul(a, b)


def dot_function(a, b):
    return np.dot(a, b)


def dot_method(a, b):
    return a.dot(b)


def vdot(a, b):
    return np.vdot(a, b)


def inner(a, b):
    return np.inner(a, b)


def outer(a, b):
    return np.outer(a, b)


PRODUCTS = {
    f.__name__: (f, njit(f))
    for f in (matmul_operator, matmul_function, dot_function, dot_method, vdot, inner, outer)
}

SHAPES = [
    ((3, 4), (4, 5)),
    ((4,), (4, 5)),
    ((3, 4), (4,)),
    ((4,), (4,)),
    ((1, 1), (1, 1)),
    ((5, 1), (1, 3)),
    ((0, 4), (4, 5)),
    ((3, 0), (0, 5)),
    ((3, 4), (4, 0)),
    ((0,), (0,)),
    ((0,), (0, 2)),
]

DTYPES = [np.float64, np.float32, np.complex128, np.int64, np.int32, np.uint8, np.bool_]

LAYOUTS = ["C", "F", "strided", "negative", "transposed"]


def values(shape, dtype, rng):
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    if np.issubdtype(dtype, np.integer):
        return rng.integers(0, 50, shape).astype(dtype)
    data = rng.standard_normal(shape)
    if np.issubdtype(dtype, np.complexfloating):
        data = data + 1j * rng.standard_normal(shape)
    return data.astype(dtype)


def laid_out(a, layout):
    """`a` (same values) in the given memory layout."""
    if layout == "C":
        return np.ascontiguousarray(a)
    if layout == "F":
        return np.asfortranarray(a)
    if layout == "strided":  # every other element of a larger array, along every axis
        big = np.zeros(tuple(2 * n for n in a.shape), dtype=a.dtype)
        view = big[tuple(slice(None, None, 2) for _ in a.shape)]
        view[...] = a
        return view
    if layout == "negative":
        flipped = np.ascontiguousarray(a[tuple(slice(None, None, -1) for _ in a.shape)])
        return flipped[tuple(slice(None, None, -1) for _ in a.shape)]
    # transposed: a C array's transpose (Fortran order for a 2-d one)
    return np.ascontiguousarray(a.T).T


def assert_same(expected, got, dtype):
    expected = np.asarray(expected)
    got_array = np.asarray(got)
    assert got_array.shape == expected.shape
    if got_array.ndim:
        assert got_array.dtype == expected.dtype
    if np.issubdtype(expected.dtype, np.inexact):
        tolerance = 1e-4 if expected.dtype in (np.float32, np.complex64) else 1e-10
        np.testing.assert_allclose(got_array, expected, rtol=tolerance, atol=tolerance)
    else:
        np.testing.assert_array_equal(got_array, expected)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_matmul_operator_in_every_layout(shapes, dtype):
    rng = np.random.default_rng(abs(hash((shapes, np.dtype(dtype).name))) % 2**32)
    a = values(shapes[0], dtype, rng)
    b = values(shapes[1], dtype, rng)
    expected = a @ b
    _, compiled = PRODUCTS["matmul_operator"]
    for left, right in [("C", "C"), ("F", "F"), ("strided", "negative"), ("C", "transposed")]:
        assert_same(expected, compiled(laid_out(a, left), laid_out(b, right)), dtype)
    assert_same(expected, compiled(laid_out(a, "negative"), laid_out(b, "strided")), dtype)


@pytest.mark.parametrize("name", ["matmul_function", "dot_function", "dot_method", "inner"])
@pytest.mark.parametrize("shapes", [*SHAPES[:6], ((3, 0), (0, 5))], ids=str)
def test_products_of_float64(name, shapes):
    rng = np.random.default_rng(7)
    pyfunc, compiled = PRODUCTS[name]
    a = values(shapes[0], np.float64, rng)
    b = values(shapes[1], np.float64, rng)
    if name == "inner":  # inner contracts the last axes: b's shape reversed
        b = np.ascontiguousarray(b.T)
    for layout in ("C", "F", "negative"):
        x, y = laid_out(a, layout), laid_out(b, layout)
        assert_same(pyfunc(x, y), compiled(x, y), np.float64)


@pytest.mark.parametrize(
    "dtypes",
    [
        (np.float32, np.float64),
        (np.int32, np.float64),
        (np.bool_, np.int64),
        (np.int8, np.uint8),
        (np.complex128, np.float64),
        (np.float32, np.int64),
        (np.uint64, np.int64),
    ],
    ids=str,
)
def test_mixed_dtypes_promote_as_numpy(dtypes):
    rng = np.random.default_rng(3)
    a = values((3, 4), dtypes[0], rng)
    b = values((4, 2), dtypes[1], rng)
    _, compiled = PRODUCTS["matmul_operator"]
    assert_same(a @ b, compiled(a, b), None)
    assert_same(a[0] @ b[:, 0], compiled(a[0], b[:, 0]), None)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128, np.int64, np.bool_], ids=str)
@pytest.mark.parametrize("n", [0, 1, 7])
def test_vdot_and_outer(dtype, n):
    rng = np.random.default_rng(n)
    a = values((n,), dtype, rng)
    b = values((n + 2,), dtype, rng)
    for name, x, y in [("vdot", a, b[:n]), ("outer", a, b), ("outer", a[::-1], b[::2])]:
        pyfunc, compiled = PRODUCTS[name]
        assert_same(pyfunc(x, y), compiled(x, y), dtype)


def test_integers_wrap_as_numpy():
    a = np.full((2, 3), 100, dtype=np.int8)
    b = np.full((3, 2), 100, dtype=np.int8)
    _, compiled = PRODUCTS["matmul_operator"]
    assert_same(a @ b, compiled(a, b), np.int8)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128])
def test_large_products_through_blas(dtype):
    rng = np.random.default_rng(11)
    a = values((150, 130), dtype, rng)
    b = values((130, 170), dtype, rng)
    _, compiled = PRODUCTS["matmul_operator"]
    tolerance = 1e-3 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(compiled(a, b), a @ b, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(compiled(a.T.copy().T, b[:, ::-1]), a @ b[:, ::-1], rtol=tolerance)
    np.testing.assert_allclose(compiled(a, b[:, 0]), a @ b[:, 0], rtol=tolerance)
    np.testing.assert_allclose(compiled(a[3], b), a[3] @ b, rtol=tolerance)


@pytest.mark.parametrize(
    "name", ["matmul_operator", "matmul_function", "dot_function", "dot_method", "inner", "vdot"]
)
@pytest.mark.parametrize(
    "shapes", [((2, 3), (4, 5)), ((3,), (4, 5)), ((2, 3), (4,)), ((3,), (4,))], ids=str
)
def test_mismatched_inner_dimensions_raise_numpys_value_error(name, shapes):
    pyfunc, compiled = PRODUCTS[name]
    if name == "vdot" and len(shapes[0]) + len(shapes[1]) != 2:
        return  # compiled vdot takes 1-d arrays
    a, b = np.ones(shapes[0]), np.ones(shapes[1])
    with pytest.raises(ValueError) as expected:
        pyfunc(a, b)
    with pytest.raises(ValueError) as got:
        compiled(a, b)
    assert str(got.value) == str(expected.value)


def three_d_product(a):
    return a @ a


def scalar_product(a):
    return 2.0 @ a


def dot_of_scalar(a):
    return np.dot(a, 2.0)


@pytest.mark.parametrize(
    ("function", "argument", "message"),
    [
        (three_d_product, np.ones((2, 2, 2)), "unsupported operand types for @"),
        (scalar_product, np.ones(2), "unsupported operand types for @: float64 and"),
        (dot_of_scalar, np.ones(2), r"numpy.dot\(\) does not take an argument of type float64"),
    ],
)
def test_unsupported_operands_are_typing_errors(function, argument, message):
    with pytest.raises(nogil.TypingError, match=message):
        njit(function)(argument)


def chain(a, b, c):
    return (a @ b) @ c + a.dot(c)


def test_products_compose_with_array_expressions():
    rng = np.random.default_rng(5)
    a, b, c = rng.standard_normal((4, 4)), rng.standard_normal((4, 4)), rng.standard_normal((4, 4))
    np.testing.assert_allclose(njit(chain)(a, b, c), chain(a, b, c), rtol=1e-12)


def rows_times_matrix(a, b, out):
    for i in prange(a.shape[0]):
        out[i] = np.dot(a[i], b).sum()
    return out


def test_products_inside_a_parallel_loop():
    rng = np.random.default_rng(9)
    a, b = rng.standard_normal((64, 40)), rng.standard_normal((40, 30))
    compiled = njit(parallel=True)(rows_times_matrix)
    np.testing.assert_allclose(
        compiled(a, b, np.zeros(64)), rows_times_matrix(a, b, np.zeros(64)), rtol=1e-12
    )


def test_products_from_several_threads():
    _, compiled = PRODUCTS["matmul_operator"]
    rng = np.random.default_rng(1)
    inputs = [(rng.standard_normal((120, 90)), rng.standard_normal((90, 60))) for _ in range(4)]
    results = [None] * len(inputs)

    def work(i):
        a, b = inputs[i]
        for _ in range(20):
            results[i] = compiled(a, b)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for (a, b), got in zip(inputs, results, strict=True):
        np.testing.assert_allclose(got, a @ b, rtol=1e-10)


def test_mismatch_is_checked_before_the_result_is_allocated():
    # NumPy's ValueError, not a MemoryError for a (2**40, 2**40) result.
    a = np.lib.stride_tricks.as_strided(np.zeros(1), shape=(2**40, 3), strides=(0, 0))
    b = np.lib.stride_tricks.as_strided(np.zeros(1), shape=(4, 2**40), strides=(0, 0))
    _, compiled = PRODUCTS["matmul_operator"]
    with pytest.raises(ValueError, match="size 4 is different from 3"):
        compiled(a, b)


def dot_into(a, b, out):
    return np.dot(a, b, out=out)


def matmul_into(a, b, out):
    return np.matmul(a, b, out)


def method_dot_into(a, b, out):
    a.dot(b, out=out)
    return out


INTO = {f.__name__: (f, njit(f)) for f in (dot_into, matmul_into, method_dot_into)}


@pytest.mark.parametrize("name", list(INTO))
@pytest.mark.parametrize("shapes", [((3, 4), (4, 5)), ((3, 4), (4,)), ((4,), (4, 5))], ids=str)
def test_out_receives_the_product(name, shapes):
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    pyfunc, compiled = INTO[name]
    expected = pyfunc(a, b, np.zeros(np.shape(a @ b)))
    out = np.zeros(np.shape(a @ b))
    got = compiled(a, b, out)
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    assert np.shares_memory(got, out)


def test_matmul_out_of_any_layout_and_overlapping_an_operand():
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((4, 4)), rng.standard_normal((4, 4))
    _, compiled = INTO["matmul_into"]
    out = np.zeros((4, 4), order="F")
    compiled(a, b, out)
    np.testing.assert_allclose(out, a @ b, rtol=1e-12)
    expected = a @ b
    compiled(a, b, a)  # NumPy buffers a result that overwrites an operand
    np.testing.assert_allclose(a, expected, rtol=1e-12)
    strided = np.zeros((8, 8))[::2, ::-2]
    compiled(b, b, strided)
    np.testing.assert_allclose(strided, b @ b, rtol=1e-12)


@pytest.mark.parametrize("name", ["dot_into", "matmul_into"])
@pytest.mark.parametrize(
    ("shapes", "out"),
    [
        (((2, 3), (3, 4)), np.zeros((2, 5))),
        (((2, 3), (3, 4)), np.zeros((3, 4))),
        (((2, 3), (3, 4)), np.zeros((4, 2)).T),
        (((3,), (3, 4)), np.zeros(5)),
        (((2, 3), (3,)), np.zeros(5)),
    ],
    ids=str,
)
def test_bad_out_raises_numpys_value_error(name, shapes, out):
    pyfunc, compiled = INTO[name]
    a, b = np.ones(shapes[0]), np.ones(shapes[1])
    try:
        pyfunc(a, b, out.copy(order="K") if out.flags.c_contiguous else out)
    except ValueError as err:
        expected = str(err)
    else:
        return  # NumPy takes it (matmul into a transposed array)
    with pytest.raises(ValueError) as got:
        compiled(a, b, out)
    assert str(got.value) == expected


def test_out_of_another_dtype_is_a_typing_error():
    with pytest.raises(nogil.TypingError, match=r"numpy.dot\(\) does not take an argument"):
        njit(dot_into)(np.ones((2, 2)), np.ones((2, 2)), np.zeros((2, 2), np.float32))


def test_a_missing_blas_library_is_an_import_error_for_floats_only(tmp_path):
    (tmp_path / "kernel.py").write_text(
        "import numpy as np\n"
        "import nogil\n"
        "from nogil import _core\n"
        "_core._set_blas_library('')  # as when scipy-openblas64 is not installed\n"
        "product = nogil.njit(lambda a, b: a @ b)\n"
        "print(product(np.ones((2, 2), np.int64), np.ones((2, 2), np.int64)).sum())\n"
        "try:\n"
        "    product(np.ones((2, 2)), np.ones((2, 2)))\n"
        "except ImportError as err:\n"
        "    print('ImportError', err)\n"
    )
    run = subprocess.run(
        [sys.executable, str(tmp_path / "kernel.py")], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "8"
    assert lines[1].startswith("ImportError matrix products of floats need the scipy-openblas64")
