"""nogil.extending as users write it (Numba's spelling): overload of their own functions and
of NumPy's, typed by argument types; overload_method; register_jitable; implements."""

import numpy as np
import pytest

from nogil import TypingError, njit
from nogil.extending import implements, overload, overload_method, register_jitable, types


def where_first(a, value):
    """A Python function the overloads below implement for compiled code."""
    for i, x in enumerate(a):
        if x == value:
            return i
    return -1


@overload(where_first)
def _where_first(a, value):
    if isinstance(a, types.Array) and isinstance(value, types.Number):

        def impl(a, value):
            for i in range(a.shape[0]):
                if a[i] == value:
                    return i
            return -1

        return impl
    return None


def scaled_first(a, scale=None):
    return a[0] if scale is None else a[0] * scale


@overload(scaled_first)
def _scaled_first(a, scale=None):
    def impl(a, scale=None):
        if scale is None:
            return a[0]
        return a[0] * scale

    return impl


def kind_of(x):
    return "python"


@overload(kind_of)
def _kind_of(x):
    if isinstance(x, types.Integer):
        return lambda x: 1
    if isinstance(x, types.Float):
        return lambda x: 2
    if isinstance(x, types.Array) and x.ndim == 2 and x.layout == "C":
        return lambda x: 3
    return None


def test_overload_of_a_python_function_by_argument_types():
    @njit
    def find(a, v):
        return where_first(a, v)

    a = np.array([3.0, 5.0, 7.0])
    assert find(a, 5.0) == where_first(a, 5.0) == 1
    assert find(a, 4) == -1


def test_overload_sees_types_and_chooses_per_types():
    @njit
    def kinds(i, f, m):
        return kind_of(i), kind_of(f), kind_of(m)

    assert kinds(1, 1.0, np.zeros((2, 2))) == (1, 2, 3)


def test_none_default_and_keyword_fold_when_compiling():
    @njit
    def first(a):
        return (
            scaled_first(a),
            scaled_first(a, 3.0),
            scaled_first(a, scale=2),
            scaled_first(a, None),
        )

    a = np.array([1.5, 2.0])
    assert first(a) == (1.5, 4.5, 3.0, 1.5)


def test_no_applicable_overload_is_a_typing_error():
    @njit
    def kinds(x):
        return kind_of(x)

    with pytest.raises(TypingError) as info:
        kinds(np.zeros(3))
    assert info.value.code == "N0270"
    assert "kind_of()" in str(info.value) and "array(float64, 1d, C)" in str(info.value)


def test_typing_function_error_is_reported():
    def strict(x):
        return x

    @overload(strict)
    def _strict(x):
        if not isinstance(x, types.Integer):
            raise TypingError("strict() takes integers only")
        return lambda x: x

    @njit
    def call(x):
        return strict(x)

    assert call(4) == 4
    with pytest.raises(TypingError, match="strict\\(\\) takes integers only"):
        call(1.5)


def test_user_overload_of_a_numpy_function_nogil_lacks():
    @overload(np.trapezoid)
    def _trapezoid(y):
        if isinstance(y, types.Array) and y.ndim == 1:

            def impl(y):
                total = 0.0
                for i in range(1, y.shape[0]):
                    total += (y[i] + y[i - 1]) / 2.0
                return total

            return impl
        return None

    @njit
    def area(y):
        return np.trapezoid(y)

    y = np.array([1.0, 2.0, 4.0, 3.0])
    assert area(y) == np.trapezoid(y)


def test_overload_method_on_arrays():
    @overload_method(types.Array, "first_or")
    def _first_or(a, default):
        def impl(a, default):
            return a[0] if a.shape[0] else default

        return impl

    @njit
    def first_or(a, d):
        return a.first_or(d)

    assert first_or(np.array([4.0]), -1.0) == 4.0
    assert first_or(np.zeros(0), -1.0) == -1.0


def test_register_jitable_is_python_and_compiled():
    @register_jitable
    def clamp(x, low, high):
        return low if x < low else high if x > high else x

    @njit
    def clamp_all(a):
        out = np.empty_like(a)
        for i in range(a.shape[0]):
            out[i] = clamp(a[i], 0.0, 1.0)
        return out

    a = np.array([-1.0, 0.5, 2.0])
    assert clamp(5, 0, 3) == 3  # still a plain Python function
    assert np.array_equal(clamp_all(a), np.clip(a, 0.0, 1.0))


def test_register_jitable_with_options():
    @register_jitable(error_model="numpy")
    def ratio(x, y):
        return x / y

    @njit
    def call(x):
        return ratio(x, 0.0)

    assert call(1.0) == np.inf


def test_implements_for_every_argument_type():
    def halve(x):
        return x / 2

    @implements(halve)
    def _halve(x):
        return x * 0.5

    @njit
    def call(x, y):
        return halve(x) + halve(y)

    assert call(3, 1.0) == 2.0


def test_overload_refuses_what_is_not_a_function():
    with pytest.raises(TypeError):
        overload(3)
    with pytest.raises(TypeError):
        overload(np.sum, unknown_option=1)
    with pytest.raises(TypeError):
        overload_method(int, "x")


def test_cache_true_with_library_functions_runs_in_each_process(tmp_path):
    """An overload's implementation is chosen when typing, which the on-disk key (computed
    before) does not cover: such a function compiles in each process, and never crashes."""
    import subprocess
    import sys

    (tmp_path / "kern.py").write_text(
        "import numpy as np\nfrom nogil import njit\n\n\n@njit(cache=True)\n"
        "def f(a):\n    return np.sum(a, axis=0)[0] + np.std(a) + a.cumsum()[-1]\n"
    )
    script = (
        "import numpy as np, kern\na = np.arange(12.0).reshape(3, 4)\n"
        "print(kern.f(a), kern.f.stats['cache_hits'])\n"
    )
    a = np.arange(12.0).reshape(3, 4)
    want = np.sum(a, axis=0)[0] + np.std(a) + a.cumsum()[-1]
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        value, hits = done.stdout.split()
        assert float(value) == pytest.approx(want) and hits == "0"
