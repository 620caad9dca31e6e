"""Array kernels side by side: C, nogil (bounds checks on and off), Numba and NumPy.

    python benchmarks/kernels.py [--rounds R] [--kernels sum,dot,stencil,mandelbrot,matmul,...]

Each kernel is one Python function, given as it is to nogil and to Numba; a C translation of it
is compiled here with gcc, and NumPy runs the whole-array equivalent. All variants run in one
process, round by round and interleaved, so a drift in the machine's speed hits them alike. A
sample is the best of a few back-to-back calls, since memory-bound kernels are noisy on a shared
machine. Ratios are computed within each round, then the median is taken. Every result is
checked against the C one before anything is timed.

The stencil-prange and mandelbrot-prange kernels time the stencil and Mandelbrot loops again,
at a larger size, against the same loops with their outer `range` spelled `prange` and compiled
with `njit(parallel=True)`: the speedup of nogil's parallel loop over nogil's serial one, next
to that of Numba's parallel loop over Numba's serial one, from the same rounds. Their results
are checked against nogil's serial one.
"""

import argparse
import ctypes
import os
import statistics
import sys
import time
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

# Every other variant but the prange ones runs on one thread, so NumPy's BLAS does too, unless
# the caller says otherwise. A BLAS worker per CPU also makes a busy two-CPU machine wait for
# whichever worker got descheduled: a 256x256 matmul then takes 15 ms instead of 0.5. Read when
# BLAS loads, so this precedes the NumPy import.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
for _variable in BLAS_THREADS:
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402
from fib import (  # noqa: E402
    compile_c,
    cpu_model,
    median_range,
    report_header,
    software,
    usable_cpus,
)

from nogil import get_num_threads, njit, prange  # noqa: E402
from nogil.demo import PeerUnavailable, WrongResult, parse_count  # noqa: E402

DEFAULT_ROUNDS = 7
CALLS_PER_SAMPLE = 3
SEED = 20240601
GOAL = 1.10  # the project's aim: bounds checks cost at most 10%
# -ffp-contract=off: gcc would otherwise fuse a * b + c into one FMA, which rounds once instead
# of twice, as nogil and Numba (LLVM without fast-math) never do. A pixel near the escape test
# could then flip, and the exact check of the Mandelbrot counts would rest on luck.
C_FLAGS = ("-O3", "-march=native", "-ffp-contract=off", "-shared", "-fPIC")

C, NOGIL, UNCHECKED, NUMBA, NUMPY = "C", "nogil", "unchecked", "Numba", "NumPy"
NOGIL_PRANGE, NUMBA_PRANGE = "nogil prange", "Numba prange"
SERIAL_OF = {NOGIL_PRANGE: NOGIL, NUMBA_PRANGE: NUMBA}  # what each parallel row is a speedup over


# ---------------------------------------------------------------------------------------------
# The kernels: one Python source each, compiled by nogil and by Numba. A kernel that fills an
# array takes it as its last argument, since compiled code cannot allocate arrays yet.


def sum_loop(a):
    s = 0.0
    for i in range(len(a)):
        s += a[i]
    return s


def dot_loop(a, b):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


def stencil_loop(u, out):
    rows, cols = u.shape
    for i in range(1, rows - 1):
        for j in range(1, cols - 1):
            out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1]) - u[i, j]


def ufunc_chain_loop(x, y, out):
    out[:] = np.exp(-(x**2)) * np.sin(y) + np.sqrt(np.abs(x))


def stencil_slices_loop(u, out):
    out[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])


def inplace_update_loop(a, b, out):
    out *= 0.0
    out += a * b


def axis_sums_loop(a, out):
    out[0, :] = a.sum(axis=0)
    out[1, :] = a.sum(axis=1)


def masked_store_loop(m, a, out):
    for i in range(len(out)):
        if m[i]:
            out[i] = a[i]


def mandelbrot_loop(max_iter, out):
    height, width = out.shape
    for i in range(height):
        ci = -1.5 + 3.0 * i / height
        for j in range(width):
            cr = -2.0 + 3.0 * j / width
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter:
                if zr * zr + zi * zi > 4.0:
                    break
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                n += 1
            out[i, j] = n


def matmul_loop(a, b, c):
    n, m = a.shape
    p = b.shape[1]
    for i in range(n):
        for j in range(p):
            s = 0.0
            for k in range(m):
                s += a[i, k] * b[k, j]
            c[i, j] = s


# The stencil and Mandelbrot loops again, the outer `range` spelled `prange` and nothing else
# changed. The name `prange` is nogil's; Numba gets a copy of the function that sees
# `numba.prange` under that name instead (see `with_global`).


def stencil_prange(u, out):
    rows, cols = u.shape
    for i in prange(1, rows - 1):
        for j in range(1, cols - 1):
            out[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1]) - u[i, j]


def mandelbrot_prange(max_iter, out):
    height, width = out.shape
    for i in prange(height):
        ci = -1.5 + 3.0 * i / height
        for j in range(width):
            cr = -2.0 + 3.0 * j / width
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter:
                if zr * zr + zi * zi > 4.0:
                    break
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                n += 1
            out[i, j] = n


# The same kernels in C, statement for statement, so that the compilers get the same work:
# no `restrict`, and the reductions keep their strict left-to-right order.
C_SOURCE = """\
#include <math.h>
#include <stdint.h>

double sum(const double *a, int64_t n) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += a[i];
    return s;
}

double dot(const double *a, const double *b, int64_t n) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

void stencil(const double *u, double *out, int64_t rows, int64_t cols) {
    for (int64_t i = 1; i < rows - 1; i++)
        for (int64_t j = 1; j < cols - 1; j++)
            out[i * cols + j] = 0.25 * (u[(i - 1) * cols + j] + u[(i + 1) * cols + j]
                                        + u[i * cols + j - 1] + u[i * cols + j + 1])
                                - u[i * cols + j];
}

void ufunc_chain(const double *x, const double *y, double *out, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        out[i] = exp(-(x[i] * x[i])) * sin(y[i]) + sqrt(fabs(x[i]));
}

void stencil_slices(const double *u, double *out, int64_t rows, int64_t cols) {
    for (int64_t i = 1; i < rows - 1; i++)
        for (int64_t j = 1; j < cols - 1; j++)
            out[i * cols + j] = 0.25 * (u[(i - 1) * cols + j] + u[(i + 1) * cols + j]
                                        + u[i * cols + j - 1] + u[i * cols + j + 1]);
}

void inplace_update(const double *a, const double *b, double *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) out[i] *= 0.0;
    for (int64_t i = 0; i < n; i++) out[i] += a[i] * b[i];
}

void axis_sums(const double *a, double *out, int64_t rows, int64_t cols) {
    for (int64_t j = 0; j < cols; j++) out[j] = 0.0;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) out[j] += a[i * cols + j];
    for (int64_t i = 0; i < rows; i++) {
        double s = 0.0;
        for (int64_t j = 0; j < cols; j++) s += a[i * cols + j];
        out[cols + i] = s;
    }
}

void masked_store(const uint8_t *m, const double *a, double *out, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (m[i]) out[i] = a[i];
}

void mandelbrot(int64_t max_iter, int32_t *out, int64_t height, int64_t width) {
    for (int64_t i = 0; i < height; i++) {
        double ci = -1.5 + 3.0 * (double)i / (double)height;
        for (int64_t j = 0; j < width; j++) {
            double cr = -2.0 + 3.0 * (double)j / (double)width;
            double zr = 0.0, zi = 0.0;
            int64_t n = 0;
            while (n < max_iter) {
                if (zr * zr + zi * zi > 4.0) break;
                double next_zr = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = next_zr;
                n++;
            }
            out[i * width + j] = (int32_t)n;
        }
    }
}

void matmul(const double *a, const double *b, double *c, int64_t n, int64_t m, int64_t p) {
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < p; j++) {
            double s = 0.0;
            for (int64_t k = 0; k < m; k++) s += a[i * m + k] * b[k * p + j];
            c[i * p + j] = s;
        }
}
"""


def numpy_sum(a):
    return a.sum()


def numpy_dot(a, b):
    return np.dot(a, b)


def numpy_stencil(u, out):
    out[1:-1, 1:-1] = (
        0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:]) - u[1:-1, 1:-1]
    )


def numpy_mandelbrot(max_iter, out):
    """Iterates every pixel at once; an escaped pixel keeps its last z, so that it stops
    counting and its values stay finite (|z| <= 4 + |c| after the step that escaped)."""
    height, width = out.shape
    cr = -2.0 + 3.0 * np.arange(width) / width
    ci = (-1.5 + 3.0 * np.arange(height) / height)[:, np.newaxis]
    zr, zi = np.zeros(out.shape), np.zeros(out.shape)
    out[...] = 0
    for _ in range(max_iter):
        zr2, zi2 = zr * zr, zi * zi
        alive = zr2 + zi2 <= 4.0
        out += alive
        zi = np.where(alive, 2.0 * zr * zi + ci, zi)
        zr = np.where(alive, zr2 - zi2 + cr, zr)


def numpy_masked_store(m, a, out):
    np.copyto(out, a, where=m)


def numpy_matmul(a, b, c):
    np.matmul(a, b, out=c)


@dataclass(frozen=True)
class Kernel:
    """One benchmark. ``name`` is also the C function's name; the C function takes a pointer
    for every array argument, an int64 for every integer, then the extents from ``extents``.

    A kernel with a ``prange_loop`` is a parallel one instead: its rows are ``loop`` and
    ``prange_loop``, serial and parallel, for nogil and for Numba, with no C or NumPy row."""

    name: str
    title: str
    loop: Callable
    vectorised: Callable
    numpy_spelling: str
    inputs: Callable[[np.random.Generator], tuple]
    extents: Callable[..., tuple[int, ...]]
    output: Callable[[], np.ndarray] | None = None  # None: the kernel returns a float
    exact: bool = False  # integer results: compiled variants must agree bit for bit
    prange_loop: Callable | None = None  # ``loop`` with its outer range a prange


N_VECTOR = 10_000_000
STENCIL_SHAPE = (2000, 2000)
MANDELBROT_SHAPE, MANDELBROT_ITERATIONS = (600, 800), 100  # height, width
MATMUL_SHAPE = (256, 256)
N_UFUNC = 2_000_000
AXIS_SHAPE = (2000, 2000)  # square: the C kernel writes both sums into one (2, n) array
# The parallel kernels are larger, so that a serial call takes a few tens of milliseconds and a
# parallel one still dwarfs the cost of waking the pool's threads.
PRANGE_STENCIL_SHAPE = (4500, 4500)
PRANGE_MANDELBROT_SHAPE = (900, 1200)  # height, width

KERNELS = (
    Kernel(
        "sum",
        f"float64[{N_VECTOR:,}], strict left-to-right `s += a[i]`",
        sum_loop,
        numpy_sum,
        "`a.sum()` (pairwise)",
        lambda rng: (rng.random(N_VECTOR),),
        lambda a: (a.size,),
    ),
    Kernel(
        "dot",
        f"two float64[{N_VECTOR:,}], strict left-to-right `s += a[i] * b[i]`",
        dot_loop,
        numpy_dot,
        "`np.dot(a, b)` (BLAS)",
        lambda rng: (rng.random(N_VECTOR), rng.random(N_VECTOR)),
        lambda a, b: (a.size,),
    ),
    Kernel(
        "stencil",
        f"5 points, float64{list(STENCIL_SHAPE)}, interior points",
        stencil_loop,
        numpy_stencil,
        "slices, `out[1:-1, 1:-1] = ...`",
        lambda rng: (rng.random(STENCIL_SHAPE),),
        lambda u, out: u.shape,
        output=lambda: np.zeros(STENCIL_SHAPE),
    ),
    Kernel(
        "mandelbrot",
        f"{MANDELBROT_SHAPE[1]}x{MANDELBROT_SHAPE[0]}, {MANDELBROT_ITERATIONS} iterations, "
        "counts into int32",
        mandelbrot_loop,
        numpy_mandelbrot,
        "all pixels at once, `np.where`",
        lambda rng: (MANDELBROT_ITERATIONS,),
        lambda max_iter, out: out.shape,
        output=lambda: np.zeros(MANDELBROT_SHAPE, np.int32),
        exact=True,
    ),
    Kernel(
        "matmul",
        f"naive i-j-k, float64{list(MATMUL_SHAPE)}",
        matmul_loop,
        numpy_matmul,
        "`np.matmul(a, b, out=c)` (BLAS)",
        lambda rng: (rng.random(MATMUL_SHAPE), rng.random(MATMUL_SHAPE)),
        lambda a, b, c: (*a.shape, b.shape[1]),
        output=lambda: np.zeros(MATMUL_SHAPE),
    ),
)
_SERIAL = {kernel.name: kernel for kernel in KERNELS}
KERNELS += (
    replace(
        _SERIAL["stencil"],
        name="stencil-prange",
        title=f"5 points, float64{list(PRANGE_STENCIL_SHAPE)}, outer row loop as `prange`",
        inputs=lambda rng: (rng.random(PRANGE_STENCIL_SHAPE),),
        output=lambda: np.zeros(PRANGE_STENCIL_SHAPE),
        prange_loop=stencil_prange,
    ),
    replace(
        _SERIAL["mandelbrot"],
        name="mandelbrot-prange",
        title=f"{PRANGE_MANDELBROT_SHAPE[1]}x{PRANGE_MANDELBROT_SHAPE[0]}, "
        f"{MANDELBROT_ITERATIONS} iterations, counts into int32, outer row loop as `prange`",
        output=lambda: np.zeros(PRANGE_MANDELBROT_SHAPE, np.int32),
        prange_loop=mandelbrot_prange,
    ),
)
KERNELS += (
    Kernel(
        "ufunc_chain",
        f"float64[{N_UFUNC:,}], `out[:] = np.exp(-x**2) * np.sin(y) + np.sqrt(np.abs(x))`",
        ufunc_chain_loop,
        ufunc_chain_loop,
        "the same array expression",
        lambda rng: (rng.standard_normal(N_UFUNC), rng.standard_normal(N_UFUNC)),
        lambda x, y, out: (x.size,),
        output=lambda: np.zeros(N_UFUNC),
    ),
    Kernel(
        "stencil_slices",
        f"4 points, float64{list(STENCIL_SHAPE)}, `out[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + ...)`",
        stencil_slices_loop,
        stencil_slices_loop,
        "the same slice assignment",
        lambda rng: (rng.random(STENCIL_SHAPE),),
        lambda u, out: u.shape,
        output=lambda: np.zeros(STENCIL_SHAPE),
    ),
    Kernel(
        "axis_sums",
        f"float64{list(AXIS_SHAPE)}, `out[0, :] = a.sum(axis=0); out[1, :] = a.sum(axis=1)`",
        axis_sums_loop,
        axis_sums_loop,
        "the same axis reductions",
        lambda rng: (rng.random(AXIS_SHAPE),),
        lambda a, out: a.shape,
        output=lambda: np.zeros((2, AXIS_SHAPE[0])),
    ),
    Kernel(
        "masked_store",
        f"float64[{N_VECTOR:,}], `if m[i]: out[i] = a[i]`, a random half of m True",
        masked_store_loop,
        numpy_masked_store,
        "`np.copyto(out, a, where=m)`",
        lambda rng: (rng.random(N_VECTOR) < 0.5, rng.random(N_VECTOR)),
        lambda m, a, out: (out.size,),
        output=lambda: np.zeros(N_VECTOR),
    ),
    Kernel(
        "inplace_update",
        f"float64[{N_VECTOR:,}], `out *= 0.0; out += a * b`",
        inplace_update_loop,
        inplace_update_loop,
        "the same in-place operators",
        lambda rng: (rng.random(N_VECTOR), rng.random(N_VECTOR)),
        lambda a, b, out: (a.size,),
        output=lambda: np.zeros(N_VECTOR),
    ),
)
KERNEL_NAMES = tuple(kernel.name for kernel in KERNELS)


# ---------------------------------------------------------------------------------------------
# Variants


@dataclass(frozen=True)
class Variant:
    """A row of a kernel's table: ``run`` calls the kernel on that kernel's data and returns
    the result, the float for a reduction or the output array it filled."""

    key: str
    label: str
    run: Callable[[], object]


def bind(function: Callable, args: tuple, out: np.ndarray | None) -> Callable[[], object]:
    """Fixes the arguments once, so that a timed call does nothing else. ``out`` is the array
    the call fills, returned for the checks, or None when the function returns the result."""
    if out is None:
        return lambda: function(*args)

    def run() -> np.ndarray:
        function(*args)
        return out

    return run


def new_output(kernel: Kernel) -> np.ndarray | None:
    """Every variant fills its own output array, so that the results can be compared."""
    return kernel.output() if kernel.output else None


def with_output(inputs: tuple, out: np.ndarray | None) -> tuple:
    return inputs if out is None else (*inputs, out)


def build_c_library() -> ctypes.CDLL:
    """The C kernels, compiled once per CPU model too (``-march=native`` code may not run on
    another CPU)."""
    return compile_c("kernels_c", C_SOURCE, C_FLAGS, cpu_model())


def c_argument(value: object) -> object:
    """The ctypes form of one argument, built once: a typed pointer to an array's data, or an
    int64."""
    if isinstance(value, np.ndarray):
        element = np.ctypeslib.as_ctypes_type(value.dtype)
        return value.ctypes.data_as(ctypes.POINTER(element))
    return ctypes.c_int64(value)


def c_variant(library: ctypes.CDLL, kernel: Kernel, inputs: tuple) -> Variant:
    out = new_output(kernel)
    arrays = with_output(inputs, out)
    args = tuple(c_argument(value) for value in arrays)
    args += tuple(ctypes.c_int64(extent) for extent in kernel.extents(*arrays))
    function = getattr(library, kernel.name)
    function.argtypes = [type(arg) for arg in args]
    function.restype = ctypes.c_double if out is None else None
    flags = " ".join(flag for flag in C_FLAGS if flag not in ("-shared", "-fPIC"))
    return Variant(C, f"C, gcc {flags}, via ctypes", bind(function, args, out))


def load_numba() -> types.ModuleType:
    try:
        import numba
    except ImportError as err:
        raise PeerUnavailable(f"not installed ({err})") from err
    return numba


def with_global(function: Callable, name: str, value: object) -> Callable:
    """A copy of ``function`` whose global ``name`` is ``value``: the same code, for Numba,
    which recognises only its own ``prange``."""
    namespace = {**function.__globals__, name: value}
    return types.FunctionType(function.__code__, namespace, function.__name__)


def variants(kernel: Kernel, inputs: tuple, peers: dict[str, object]) -> list[Variant]:
    """The rows of one kernel's table, C first since the ratios and the checks refer to it;
    the peers that could not be loaded are missing from ``peers`` and left out."""

    def bound(function: Callable) -> Callable[[], object]:
        out = new_output(kernel)
        return bind(function, with_output(inputs, out), out)

    if kernel.prange_loop is not None:
        return prange_variants(kernel, bound, peers.get(NUMBA))
    rows = [c_variant(peers[C], kernel, inputs)] if C in peers else []
    rows.append(Variant(NOGIL, "nogil `njit`", bound(njit(kernel.loop))))
    unchecked = njit(boundscheck=False)(kernel.loop)
    rows.append(Variant(UNCHECKED, "nogil `njit(boundscheck=False)`", bound(unchecked)))
    if NUMBA in peers:
        rows.append(Variant(NUMBA, "Numba `njit`", bound(peers[NUMBA].njit(kernel.loop))))
    rows.append(Variant(NUMPY, f"NumPy, {kernel.numpy_spelling}", bound(kernel.vectorised)))
    return rows


def prange_variants(
    kernel: Kernel,
    bound: Callable[[Callable], Callable[[], object]],
    numba: types.ModuleType | None,
) -> list[Variant]:
    """A parallel kernel's rows: nogil serial first, since the checks refer to it, then nogil
    parallel, then the same two for Numba unless ``numba`` is None."""
    parallel = njit(parallel=True)(kernel.prange_loop)
    rows = [
        Variant(NOGIL, "nogil `njit`", bound(njit(kernel.loop))),
        Variant(NOGIL_PRANGE, "nogil `njit(parallel=True)`, `prange`", bound(parallel)),
    ]
    if numba is not None:
        rows.append(Variant(NUMBA, "Numba `njit`", bound(numba.njit(kernel.loop))))
        loop = with_global(kernel.prange_loop, "prange", numba.prange)
        parallel = numba.njit(parallel=True)(loop)
        rows.append(
            Variant(NUMBA_PRANGE, "Numba `njit(parallel=True)`, `numba.prange`", bound(parallel))
        )
    return rows


def threads_note(peers: dict[str, object]) -> str:
    """How many threads the parallel rows ran on; Numba's threading layer is known once a
    parallel function has run."""
    note = f"threads: nogil {get_num_threads()} (`nogil.get_num_threads()`, oneTBB)"
    numba = peers.get(NUMBA)
    if numba is not None:
        note += (
            f", Numba {numba.get_num_threads()} (`numba.get_num_threads()`, "
            f"threading layer {numba.threading_layer()})"
        )
    return note


def load_peers() -> tuple[dict[str, object], list[str]]:
    """gcc and Numba are optional: a missing one is named in the second list."""
    peers, skipped = {}, []
    for key, load in ((C, build_c_library), (NUMBA, load_numba)):
        try:
            peers[key] = load()
        except PeerUnavailable as err:
            skipped.append(f"{key}: {err}")
    return peers, skipped


# ---------------------------------------------------------------------------------------------
# Checks


def check(kernel: Kernel, rows: Sequence[Variant]) -> list[str]:
    """Calls every variant once (which also compiles the JIT ones) and compares its result
    with the first row's. Raises WrongResult on a disagreement; returns notes on tolerated
    differences, which only NumPy may have in an exact kernel."""
    first = rows[0]
    reference = first.run()
    notes = []
    for row in rows[1:]:
        value = row.run()
        if not kernel.exact:
            if not agrees(value, reference):
                raise WrongResult(f"{kernel.name}: {row.label} disagrees with {first.label}")
            continue
        differing = int(np.count_nonzero(value != reference))
        if row.key == NUMPY:
            notes.append(
                f"NumPy differs from {first.key} in {differing:,} of {value.size:,} elements"
            )
        elif differing:
            raise WrongResult(f"{kernel.name}: {row.label} differs in {differing:,} elements")
    return notes


def agrees(value: object, reference: object) -> bool:
    if isinstance(reference, np.ndarray):
        return np.allclose(value, reference, rtol=1e-9)
    return abs(value - reference) <= 1e-9 * abs(reference)


# ---------------------------------------------------------------------------------------------
# Timing


def sample(row: Variant) -> float:
    """The best of a few back-to-back calls: the first of them may still find the caches and
    the memory bus busy with the previous variant's data."""
    best = float("inf")
    for _call in range(CALLS_PER_SAMPLE):
        start = time.perf_counter()
        row.run()
        best = min(best, time.perf_counter() - start)
    return best


Samples = dict[tuple[str, str], list[float]]


def run_rounds(tables: dict[str, list[Variant]], rounds: int) -> Samples:
    samples: Samples = {}
    for _round in range(rounds):
        for kernel, rows in tables.items():
            for row in rows:
                samples.setdefault((kernel, row.key), []).append(sample(row))
    return samples


def median_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    return statistics.median(a / b for a, b in zip(numerators, denominators, strict=True))


# ---------------------------------------------------------------------------------------------
# Report


def kernel_table(kernel: Kernel, rows: Sequence[Variant], samples: Samples) -> str:
    if kernel.prange_loop is not None:
        return prange_table(kernel, rows, samples)
    baseline = samples.get((kernel.name, C))
    lines = ["| variant | ms, median [min-max] | vs C |", "|---|---|---|"]
    for row in rows:
        runs = samples[kernel.name, row.key]
        vs_c = f"{median_ratio(runs, baseline):.2f}" if baseline else "-"
        lines.append(f"| {row.label} | {median_range(runs)} | {vs_c} |")
    return "\n".join(lines)


def prange_table(kernel: Kernel, rows: Sequence[Variant], samples: Samples) -> str:
    """A parallel kernel's rows, each parallel one with its speedup: the median over rounds of
    the serial time over the parallel time, both from the same round and the same compiler."""
    lines = ["| variant | ms, median [min-max] | speedup over serial |", "|---|---|---|"]
    for row in rows:
        runs = samples[kernel.name, row.key]
        serial = SERIAL_OF.get(row.key)
        speedup = f"{median_ratio(samples[kernel.name, serial], runs):.2f}" if serial else "-"
        lines.append(f"| {row.label} | {median_range(runs)} | {speedup} |")
    return "\n".join(lines)


def prange_summary(kernel: Kernel, samples: Samples) -> str:
    """The speedups side by side, and where nogil's parallel loop stands against Numba's."""

    def speedup(parallel: str) -> float:
        serial = SERIAL_OF[parallel]
        return median_ratio(samples[kernel.name, serial], samples[kernel.name, parallel])

    parts = [f"`prange` speedup over serial: nogil {speedup(NOGIL_PRANGE):.2f}"]
    numba = samples.get((kernel.name, NUMBA_PRANGE))
    if numba:
        parts[0] += f", Numba {speedup(NUMBA_PRANGE):.2f}"
        nogil = samples[kernel.name, NOGIL_PRANGE]
        parts.append(f"nogil prange / Numba prange {median_ratio(nogil, numba):.2f}")
    return "; ".join(parts)


def summary(kernel: Kernel, samples: Samples) -> str:
    """The two ratios the project watches: what bounds checks cost, and where nogil stands
    against Numba (whose `njit` does not check bounds)."""
    if kernel.prange_loop is not None:
        return prange_summary(kernel, samples)
    nogil, unchecked = samples[kernel.name, NOGIL], samples[kernel.name, UNCHECKED]
    cost = median_ratio(nogil, unchecked)
    verdict = "met" if cost <= GOAL else "NOT met"
    parts = [f"nogil default / boundscheck=False {cost:.2f} (goal <= {GOAL:.2f}: {verdict})"]
    numba = samples.get((kernel.name, NUMBA))
    if numba:
        parts.append(f"nogil default / Numba {median_ratio(nogil, numba):.2f}")
        parts.append(f"nogil boundscheck=False / Numba {median_ratio(unchecked, numba):.2f}")
    return "; ".join(parts)


def kernel_section(
    kernel: Kernel, rows: Sequence[Variant], samples: Samples, notes: Sequence[str]
) -> str:
    lines = [f"### {kernel.name}: {kernel.title}", "", kernel_table(kernel, rows, samples), ""]
    lines.append(f"- {summary(kernel, samples)}")
    checked = "exactly" if kernel.exact else "to 1e-9 relative"
    lines.append(f"- results checked against {rows[0].key}'s {checked} before timing")
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines)


def header(rounds: int, skipped: Sequence[str]) -> str:
    return report_header(
        "Array kernels: C, nogil, Numba and NumPy",
        [
            f"machine: {cpu_model()}, {usable_cpus()} CPUs (nproc)",
            f"software: {software()}, NumPy {np.__version__}",
        ],
        [
            f"BLAS threads: {', '.join(f'{v}={os.environ[v]}' for v in BLAS_THREADS)}",
            f"{rounds} interleaved rounds; a sample is the best of {CALLS_PER_SAMPLE} "
            "back-to-back calls; ratios are computed per round, then the median is taken",
        ],
        skipped,
        "so the spread, not only the medians, widens",
    )


# ---------------------------------------------------------------------------------------------
# Command line


def parse_kernels(text: str) -> list[Kernel]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in KERNEL_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown kernel(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {','.join(KERNEL_NAMES)}"
        )
    return [kernel for kernel in KERNELS if kernel.name in names]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=parse_count, default=DEFAULT_ROUNDS, help="rounds")
    parser.add_argument(
        "--kernels",
        type=parse_kernels,
        default=list(KERNELS),
        help=f"comma-separated, from {','.join(KERNEL_NAMES)} (default: all)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    peers, skipped = load_peers()
    preamble = header(args.rounds, skipped)  # before the checks, whose compiling adds load
    rng = np.random.default_rng(SEED)
    tables, notes = {}, {}
    try:
        for kernel in args.kernels:
            tables[kernel.name] = variants(kernel, kernel.inputs(rng), peers)
            notes[kernel.name] = check(kernel, tables[kernel.name])
            if kernel.prange_loop is not None:
                notes[kernel.name].append(threads_note(peers))
    except WrongResult as err:
        print(f"WRONG RESULT: {err}", file=sys.stderr)
        return 1
    print(f"{len(tables)} kernels, {args.rounds} rounds...", file=sys.stderr)
    samples = run_rounds(tables, args.rounds)
    print(preamble)
    for kernel in args.kernels:
        print()
        print(kernel_section(kernel, tables[kernel.name], samples, notes[kernel.name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
