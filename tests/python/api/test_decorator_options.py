"""Numba's decorator options: fastmath as LLVM fast-math flags, inline, locals, and the
options of Numba's own machinery (accepted where nogil can honour them, refused by name
where it cannot)."""

import math

import numpy as np
import pytest

import nogil
from nogil import TypingError, njit


def sum_loop(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def is_nan(x):
    return x != x


def fused(a, b, c):
    return a * b + c


def test_fastmath_true_lets_a_float_sum_vectorize():
    a = np.arange(1000, dtype=np.float64)
    plain, fast = njit(sum_loop), njit(fastmath=True)(sum_loop)
    assert plain(a) == sum_loop(a) and math.isclose(fast(a), sum_loop(a))
    (plain_ir,) = plain.inspect_llvm().values()
    (fast_ir,) = fast.inspect_llvm().values()
    # Without reassoc the adds stay one after another, in order; with it they vectorize.
    assert "fadd <" not in plain_ir and "fadd fast <" not in plain_ir
    assert "fadd reassoc" in fast_ir or "fadd fast" in fast_ir
    assert "x double>" in fast_ir


def test_fastmath_reassoc_alone_vectorizes_the_reduction():
    a = np.arange(1000, dtype=np.float64)
    cfunc = njit(fastmath={"reassoc"})(sum_loop)
    assert math.isclose(cfunc(a), sum_loop(a))
    (ir,) = cfunc.inspect_llvm().values()
    assert "fadd reassoc <" in ir
    assert "nnan" not in ir


def test_fastmath_nnan_folds_the_nan_test_away():
    plain, no_nans = njit(is_nan), njit(fastmath={"nnan"})(is_nan)
    assert plain(math.nan) is True
    # Promised no NaN, LLVM folds x != x to False, as Numba's fastmath does.
    assert no_nans(math.nan) is False
    assert no_nans(1.0) is False


@pytest.mark.parametrize("flags", [{"contract"}, {"fast"}, {"nnan": True, "ninf": False}])
def test_fastmath_flag_sets_and_dicts_are_applied(flags):
    cfunc = njit(fastmath=flags)(fused)
    assert math.isclose(cfunc(2.0, 3.0, 1.0), 7.0)
    (ir,) = cfunc.inspect_llvm().values()
    assert "fmul" in ir
    shown = {"contract": "contract", "fast": "fast", "nnan": "nnan"}
    assert any(f"fmul {shown[f]}" in ir for f in shown if f in flags)


@pytest.mark.parametrize(
    "value, message",
    [
        ({"fastest"}, "unrecognized fastmath flags \\['fastest'\\]"),
        ("fast", "fastmath must be True, False, or a set"),
        (1.5, "fastmath must be True, False, or a set"),
        ({"nnan": True, "bogus": False}, "unrecognized fastmath flags \\['bogus'\\]"),
    ],
)
def test_fastmath_refuses_unknown_flags_and_types(value, message):
    with pytest.raises(ValueError, match=message):
        njit(fastmath=value)(sum_loop)


def test_fastmath_is_part_of_the_cache_key(tmp_path, monkeypatch):
    monkeypatch.setenv("NOGIL_CACHE_DIR", str(tmp_path))
    a = np.ones(8)
    njit(cache=True)(sum_loop)(a)
    fast = njit(cache=True, fastmath=True)(sum_loop)
    fast(a)
    assert fast.stats["cache_hits"] == 0 and fast.stats["cache_misses"] == 1
    # The same options again: the compiled code is found (in this process, in memory).
    again = njit(cache=True, fastmath=True)(sum_loop)
    again(a)
    assert again.stats["cache_misses"] == 0


def small(x):
    return x * 3 + 1


def caller_factory(callee):
    def caller(x):
        return callee(x) + callee(x + 1)

    return caller


def function_attributes(dispatcher, symbol_start):
    """The attribute group of the specialization's own function in its IR."""
    (ir,) = dispatcher.inspect_llvm().values()
    define = next(
        line
        for line in ir.splitlines()
        if line.startswith("define") and symbol_start in line and ".entry" not in line
    )
    group = define.rsplit("#", 1)[1].split()[0]
    return next(line for line in ir.splitlines() if line.startswith(f"attributes #{group} "))


def test_inline_marks_the_function_always_or_never_inline():
    never = njit(inline="never")(small)
    always = njit(inline="always")(small)
    default = njit(small)
    assert njit(caller_factory(never))(2) == njit(caller_factory(always))(2) == 17
    assert never(2) == always(2) == default(2) == 7
    assert " noinline " in function_attributes(never, '@"small')
    assert " alwaysinline " in function_attributes(always, '@"small')
    plain = function_attributes(default, '@"small')
    assert "alwaysinline" not in plain and " noinline " not in plain


@pytest.mark.parametrize("value", ["sometimes", 1, True])
def test_inline_refuses_other_values(value):
    with pytest.raises(ValueError, match="inline must be 'always' or 'never'"):
        njit(inline=value)(small)


def test_inline_cost_model_function_is_refused_by_name():
    with pytest.raises(ValueError, match="cost-model function"):
        njit(inline=lambda *args: True)(small)


def accumulate(n):
    acc = 0
    for i in range(n):
        acc += i * 0.5
    return acc


def truncating():
    x = 7
    x = 2.9
    return x


def test_locals_declares_the_type_of_a_local():
    cfunc = njit(locals={"acc": nogil.float32})(accumulate)
    result = cfunc(10)
    assert type(result) is np.float32
    assert result == np.float32(accumulate(10))


@pytest.mark.parametrize("spec", ["int32", nogil.int32, nogil.types.int32, "i4"])
def test_locals_casts_assigned_values_as_numba(spec):
    result = njit(locals={"x": spec})(truncating)()
    assert type(result) is np.int32 and result == 2


def test_locals_refuses_what_is_no_local_type():
    with pytest.raises(TypeError, match="locals must be a dict"):
        njit(locals=[("x", "int32")])(truncating)
    with pytest.raises(TypeError, match="unknown type 'int33'"):
        njit(locals={"x": "int33"})(truncating)
    with pytest.raises(TypeError, match="'n', a parameter of accumulate"):
        njit(locals={"n": nogil.int32})(accumulate)


def assigns_a_tuple():
    x = 1
    x = (1, 2)  # noqa: F841
    return 0


def test_locals_refuses_an_assignment_that_cannot_cast():
    cfunc = njit(locals={"x": nogil.float64})(assigns_a_tuple)
    with pytest.raises(TypingError, match="declared float64"):
        cfunc()


@pytest.mark.parametrize(
    "options",
    [
        {"nopython": False},
        {"nopython": True},
        {"forceobj": False},
        {"looplift": True},
        {"looplift": False},
        {"debug": True},
        {"no_cpython_wrapper": True},
        {"no_cfunc_wrapper": True},
        {"no_rewrites": True},
        {"_nrt": True},
        {"_target": "cpu"},
        {"target_backend": "cpu"},
        {"_dbg_optnone": False},
    ],
)
def test_numba_machinery_options_that_ask_for_nothing_missing_compile(options):
    assert njit(**options)(small)(2) == 7
    assert nogil.jit(**options)(small)(2) == 7


@pytest.mark.parametrize(
    "options, error, message",
    [
        ({"forceobj": True}, ValueError, "object mode, which nogil does not have"),
        ({"_nrt": False}, ValueError, "_nrt=False is not available"),
        ({"_target": "cuda"}, ValueError, "compiles for the CPU only"),
        ({"looplift": "yes"}, TypeError, "looplift must be True or False"),
        ({"nopython": "no"}, TypeError, "nopython must be True or False"),
        ({"pipeline_class": object}, TypeError, "'pipeline_class' is Numba's"),
        ({"fastmaths": True}, TypeError, "unexpected keyword argument 'fastmaths'"),
    ],
)
def test_numba_options_nogil_cannot_honour_are_refused_by_name(options, error, message):
    with pytest.raises(error, match=message):
        njit(**options)(small)
