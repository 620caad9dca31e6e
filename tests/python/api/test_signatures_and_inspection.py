"""Explicit signatures compile at decoration; check() reports every diagnostic without
compiling; inspect_types, inspect_llvm and inspect_asm show what was compiled."""

import io

import pytest

import nogil
from nogil import TypingError, check, njit


def scale(a, x):
    y = a * 2
    return y + x


def count_up(n):
    total = 0
    for i in range(n):
        total += i
    return total


def three_mistakes(x):
    y = [1]  # noqa: F841
    z = x + None  # noqa: F841
    return undefined_name  # noqa: F821


def divide_by_two(x):
    return x / 2


def triple(x):
    return x * 3


@pytest.mark.parametrize(
    "signature",
    ["float64(int64, float64)", nogil.float64(nogil.int64, nogil.float64), "(i8, f8)"],
    ids=["string", "type-call", "aliases"],
)
def test_explicit_signature_compiles_at_decoration(signature):
    cfunc = njit(signature)(scale)
    assert cfunc.signatures == [("int64", "float64")]
    assert cfunc(2, 1.5) == scale(2, 1.5)


def test_explicit_signature_converts_arguments_without_loss_only():
    cfunc = njit("float64(int64, float64)")(scale)
    assert cfunc(True, 2) == 4.0
    with pytest.raises(TypeError, match="no compiled signature for \\(float64, float64\\)"):
        cfunc(1.5, 2.0)
    assert cfunc.signatures == [("int64", "float64")]


def test_several_signatures_and_a_wider_declared_return_type():
    cfunc = njit(["float64(int64)", "float64(float64)"])(triple)
    assert cfunc(3) == 9.0 and isinstance(cfunc(3), float)
    assert cfunc(0.5) == 1.5
    assert cfunc.signatures == [("int64",), ("float64",)]


def test_typing_error_surfaces_at_decoration():
    with pytest.raises(TypingError, match="range\\(\\) arguments must be integers"):
        njit("int64(float64)")(count_up)


def test_declared_numeric_return_type_casts_as_numba():
    assert njit("int64(int64)")(divide_by_two)(7) == 3


def pair(x):
    return x, x


def test_declared_return_type_that_cannot_hold_the_result_is_a_typing_error():
    with pytest.raises(TypingError, match="returns tuple\\[int64, int64\\], which its declared"):
        njit("int64(int64)")(pair)


@pytest.mark.parametrize("bad", ["int64(int64", "int65(int64)", 42])
def test_malformed_signature_is_a_type_error(bad):
    with pytest.raises(TypeError):
        njit(bad)(count_up)


def test_compile_method_adds_a_signature_and_keeps_lazy_compiling():
    cfunc = njit(count_up)
    cfunc.compile("int64(int64)")
    assert cfunc.signatures == [("int64",)]
    assert cfunc(True) == count_up(True)
    assert cfunc.signatures == [("int64",), ("bool",)]


def test_check_returns_every_diagnostic_without_raising():
    cfunc = njit(three_mistakes)
    found = check(cfunc, nogil.int64)
    assert [d.code for d in found] == ["N0101", "N0214", "N0201"]
    assert [d.line for d in found] == [found[0].line, found[0].line + 1, found[0].line + 2]
    assert "^^^" in found[0].report and "while compiling three_mistakes(x: int64)" in str(found[0])
    assert cfunc.signatures == []


def test_check_of_a_correct_function_is_empty_and_compiles_nothing():
    cfunc = njit(count_up)
    assert check(cfunc, "int64") == []
    assert check(cfunc, "(int64)") == []
    assert cfunc.signatures == []


def test_check_rejects_a_plain_function():
    with pytest.raises(TypeError, match="expects an @njit function"):
        check(count_up, nogil.int64)


def test_inspect_types_shows_a_type_per_line():
    cfunc = njit(scale)
    cfunc(2, 1.5)
    out = io.StringIO()
    cfunc.inspect_types(file=out)
    text = out.getvalue()
    assert text.startswith("scale(a: int64, x: float64) -> float64\n")
    code = {}
    for line in text.splitlines()[1:]:
        if "|" in line:
            code[line.split("|", 1)[1].split("#")[0].strip()] = line
    assert code["def scale(a, x):"].endswith("# a: int64, x: float64")
    assert code["y = a * 2"].endswith("# y: int64")
    assert code["return y + x"].endswith("# return float64")


def test_inspect_llvm_and_asm_of_a_signature_and_of_all():
    cfunc = njit(count_up)
    cfunc(10)
    ir = cfunc.inspect_llvm(("int64",))
    assert "define" in ir and "count_up" in ir
    assert set(cfunc.inspect_llvm()) == {("int64",)}
    assembly = cfunc.inspect_asm("(int64)")
    assert "count_up" in assembly and "ret" in assembly


@pytest.mark.parametrize(
    "name",
    [
        "array(float64,99999999999999999999d,C)",  # past unsigned long: the parse threw
        "array(float64,65d,C)",
        "array(float64,-1d,C)",
        "array(float64,2xd,C)",
    ],
)
def test_array_type_names_out_of_range_are_a_type_error(name):
    cfunc = njit(scale)
    for method in (cfunc._check, cfunc._inspect_types):
        with pytest.raises(TypeError, match="unknown argument type"):
            method((name, "float64"))
