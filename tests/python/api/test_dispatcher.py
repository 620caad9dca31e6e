"""The decorator and dispatcher API: signatures, py_func, metadata, options."""

import pytest

import nogil
from nogil import jit, njit


def add(a, b):
    """Adds two numbers."""
    return a + b


def identity(x):
    return x


def test_signatures_grow_with_new_argument_types():
    cfunc = njit(add)
    assert len(cfunc.signatures) == 0
    assert cfunc(1, 2) == 3
    assert len(cfunc.signatures) == 1
    assert cfunc(5, 7) == 12
    assert len(cfunc.signatures) == 1
    assert cfunc(1.5, 2.0) == 3.5
    assert len(cfunc.signatures) == 2
    assert cfunc(1, 2.5) == 3.5
    assert len(cfunc.signatures) == 3
    assert cfunc(True, True) == 2
    assert len(cfunc.signatures) == 4
    assert len(set(map(str, cfunc.signatures))) == 4


def test_signatures_name_the_argument_types():
    cfunc = njit(add)
    cfunc(1, 2.0)
    (signature,) = cfunc.signatures
    text = str(signature)
    assert "int64" in text
    assert "float64" in text
    assert text.index("int64") < text.index("float64")


def test_specializations_return_their_own_types():
    cfunc = njit(identity)
    assert type(cfunc(3)) is int
    assert type(cfunc(3.0)) is float
    assert type(cfunc(True)) is bool
    assert cfunc(-0.0) == 0.0
    assert str(cfunc(-0.0)) == "-0.0"


def test_py_func_is_the_original_function():
    cfunc = njit(add)
    assert cfunc.py_func is add
    assert cfunc.py_func(2, 3) == 5


def test_name_and_doc_are_preserved():
    cfunc = njit(add)
    assert cfunc.__name__ == "add"
    assert cfunc.__doc__ == add.__doc__
    assert njit(identity).__doc__ is None


def test_decorator_forms():
    @njit
    def bare(x):
        return x + 1

    @njit()
    def called(x):
        return x + 2

    @njit(nogil=False)
    def holding(x):
        return x + 3

    @njit(nogil=True)
    def releasing(x):
        return x + 4

    assert [bare(1), called(1), holding(1), releasing(1)] == [2, 3, 4, 5]


def test_jit_compiles_like_njit():
    assert jit(add)(2, 3) == njit(add)(2, 3) == 5
    assert jit(add).py_func is add

    @jit
    def bare(x):
        return x * 2

    @jit(nogil=False)
    def holding(x):
        return x * 3

    assert (bare(4), holding(4)) == (8, 12)
    assert type(jit(add)) is type(njit(add))


def test_nopython_false_compiles_in_nopython_mode_anyway():
    # nogil has no object mode to fall back to; Numba 0.59+'s jit compiles nopython too.
    assert njit(nopython=False)(add)(1, 2) == 3
    assert jit(add, nopython=False)(1, 2) == 3


def test_nopython_true_is_accepted():
    assert njit(nopython=True)(add)(1, 2) == 3


def test_njit_rejects_non_functions():
    with pytest.raises(TypeError):
        njit(42)


def test_compiled_functions_are_independent():
    first, second = njit(add), njit(add)
    first(1, 2)
    assert len(first.signatures) == 1
    assert len(second.signatures) == 0


def test_module_exports():
    assert {"njit", "jit", "TypingError"} <= set(nogil.__all__)
    assert issubclass(nogil.TypingError, TypeError)
