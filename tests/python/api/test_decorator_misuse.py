"""What njit refuses at decoration, and how: objects that are not Python functions and
options it does not have, each with a TypeError or ValueError that names the problem."""

import functools

import numpy as np
import pytest

from nogil import TypingError, njit


def plain(x):
    return x + 1


class Owner:
    def method(self, x):
        return x

    @staticmethod
    def static(x):
        return x

    @classmethod
    def klass(cls, x):
        return x

    def __call__(self, x):
        return x


@pytest.mark.parametrize(
    ("given", "named"),
    [
        (len, "the builtin len"),
        (Owner, "the class Owner"),
        (Owner(), "callable Owner object"),
        (functools.partial(plain, 1), "functools.partial"),
        (Owner().method, "bound method Owner.method"),
        (Owner.__dict__["static"], "staticmethod object"),
        (Owner.__dict__["klass"], "classmethod object"),
        (np.sin, "callable ufunc object"),
        (3, "not int"),
        (njit(plain), "already compiled"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_non_functions_are_refused_by_name(given, named):
    with pytest.raises(TypeError, match=named) as info:
        njit(given)
    assert not isinstance(info.value, TypingError)
    with pytest.raises(TypeError, match=named):
        njit(nogil=True)(given)


def test_staticmethod_message_says_which_order_works():
    with pytest.raises(TypeError, match="@staticmethod above @njit"):
        njit(Owner.__dict__["static"])

    class Fixed:
        @staticmethod
        @njit
        def static(x):
            return x * 2

    assert Fixed.static(4) == 8


def test_functools_wraps_wrapper_is_refused_naming_the_wrapped_function():
    @functools.wraps(plain)
    def wrapper(*args):
        return plain(*args)

    with pytest.raises(TypeError, match=r"a wrapper that another decorator made around plain"):
        njit(wrapper)


def test_wrapper_around_a_compiled_function_compiles():
    compiled_plain = njit(plain)

    @functools.wraps(compiled_plain)
    def doubled(x):
        return compiled_plain(x) * 2

    assert njit(doubled)(3) == plain(3) * 2


@pytest.mark.parametrize("option", ["pipeline_class", "writable_args"])
def test_numba_options_nogil_lacks_are_named(option):
    with pytest.raises(TypeError, match=f"option '{option}' is Numba's and not supported"):
        njit(**{option: True})


def test_unknown_option_is_named():
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        njit(foo=1)


@pytest.mark.parametrize(
    ("options", "error", "named"),
    [
        ({"nogil": "yes"}, ValueError, "nogil must be True, False or 'auto'"),
        ({"parallel": "x"}, TypeError, "parallel must be True or False, not 'x'"),
        ({"parallel": {"prange": True}}, TypeError, "parallel options given as a dict"),
        ({"cache": "yes"}, TypeError, "cache must be True or False"),
        ({"cache": 2}, TypeError, "cache must be True or False, not 2"),
        ({"boundscheck": None}, TypeError, "boundscheck must be True or False, not None"),
        ({"error_model": "c"}, ValueError, "error_model must be 'python' or 'numpy'"),
        ({"forceobj": True}, ValueError, "object mode, which nogil does not have"),
    ],
)
def test_invalid_option_values_are_refused(options, error, named):
    with pytest.raises(error, match=named):
        njit(**options)


@pytest.mark.parametrize("options", [{"cache": 1}, {"cache": 0}, {"parallel": np.True_}])
def test_numba_spellings_of_flags_are_accepted(options, tmp_path, monkeypatch):
    monkeypatch.setenv("NOGIL_CACHE_DIR", str(tmp_path))
    assert njit(**options)(plain)(1) == 2


def test_signature_then_non_function_is_refused_by_name():
    with pytest.raises(TypeError, match="the builtin len"):
        njit("int64(int64)")(len)
