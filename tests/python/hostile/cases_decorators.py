"""Decorator misuse: njit on things that are not plain functions (staticmethod and
classmethod objects, functools.partial and functools.wraps wrappers, builtins, ufuncs,
classes, numbers, a dispatcher), bad options, bad signatures, set_num_threads with bad values
and NOGIL_NUM_THREADS garbage: each an exception that names the actual problem, never a
binding layer's raw message."""

from textwrap import dedent

from .corpus import Case, Raises, Returns, Same

TYPE_ERROR = "TypeError"
PLAIN = "import functools\n\ndef g(x):\n    return x + 1\n\n"

CASES = [
    Case(
        "staticmethod_object",
        PLAIN + "def f():\n    return njit(staticmethod(g))(1)\n",
        expect=Raises(TypeError, "staticmethod"),
    ),
    Case(
        "classmethod_object",
        PLAIN + "def f():\n    return njit(classmethod(g))(1)\n",
        expect=Raises(TypeError, "classmethod"),
    ),
    Case(
        "partial_object",
        PLAIN + "def f():\n    return njit(functools.partial(g, 1))()\n",
        expect=Raises(TypeError, "partial"),
    ),
    Case(
        "functools_wraps_wrapper",
        PLAIN
        + dedent(
            """
            def logged(function):
                @functools.wraps(function)
                def wrapper(*args):
                    return function(*args)
                return wrapper

            def f():
                return njit(logged(g))(1)
            """
        ),
        expect=Raises(TypeError, "wrap"),
    ),
    Case(
        "builtin_function",
        "def f():\n    return njit(len)((1, 2))\n",
        expect=Raises(TypeError, "len|builtin"),
    ),
    Case(
        "numpy_ufunc",
        "def f():\n    return njit(np.sin)(1.0)\n",
        expect=Raises(TypeError, "ufunc|sin"),
    ),
    Case(
        "a_class",
        "class K:\n    pass\n\ndef f():\n    return njit(K)()\n",
        expect=Raises(TypeError, "class|type|K"),
    ),
    Case("an_int", "def f():\n    return njit(42)\n", expect=Raises(TypeError)),
    Case("none_then_call", "def f():\n    return njit(None)(None)\n", expect=Raises(TypeError)),
    Case(
        "double_decoration",
        PLAIN + "def f():\n    return njit(njit(g))(1)\n",
        expect=Same(TYPE_ERROR, match="already|compiled"),
    ),
    Case(
        "bound_method",
        """
            class C:
                def m(self, x):
                    return x * 2

            def f():
                return njit(C().m)(4)
        """,
        expect=Same(TYPE_ERROR, match="method"),
    ),
    Case(
        "unknown_option",
        PLAIN + "def f():\n    return njit(unknown_option=True)(g)(1)\n",
        expect=Raises(TypeError, "unknown_option"),
    ),
    Case(
        "numba_fastmath_option",
        PLAIN + "def f():\n    return njit(fastmath=True)(g)(1)\n",
        expect=Returns("2", or_raises=TypeError),
    ),
    Case(
        "nogil_option_garbage",
        PLAIN + "def f():\n    return njit(nogil='yes')(g)(1)\n",
        expect=Raises(ValueError, "nogil"),
    ),
    Case(
        "nogil_option_unhashable",
        PLAIN + "def f():\n    return njit(nogil=[1])(g)(1)\n",
        expect=Raises((ValueError, TypeError), "nogil"),
    ),
    Case(
        "error_model_garbage",
        PLAIN + "def f():\n    return njit(error_model='c')(g)(1)\n",
        expect=Raises(ValueError, "error_model"),
    ),
    Case(
        "nopython_false",
        PLAIN + "def f():\n    return njit(nopython=False)(g)(1)\n",
        expect=Returns("2"),  # no object mode to fall back to: nopython mode anyway
    ),
    Case(
        "signature_garbage",
        PLAIN + "def f():\n    return njit('this is not a signature')(g)(1)\n",
        expect=Raises((TypeError, ValueError), "signature"),
    ),
    Case(
        "signature_unbalanced",
        PLAIN + "def f():\n    return njit('int64(int64')(g)(1)\n",
        expect=Raises((TypeError, ValueError)),
    ),
    Case(
        "signature_wrong_arity",
        PLAIN + "def f():\n    return njit('int64(int64, int64)')(g)(1)\n",
        expect=Raises(TypeError),
    ),
    Case(
        "signature_refuses_float",
        PLAIN + "def f():\n    return njit('int64(int64)')(g)(1.5)\n",
        expect=Raises(TypeError),
    ),
    Case(
        "compile_method_garbage",
        PLAIN + "def f():\n    return njit(g).compile('garbage(')\n",
        expect=Raises((TypeError, ValueError)),
    ),
    Case(
        "set_num_threads_2_63",
        "def f():\n    nogil.set_num_threads(2**63)\n",
        expect=Raises((ValueError, OverflowError)),
    ),
    Case(
        "set_num_threads_2_100",
        "def f():\n    nogil.set_num_threads(2**100)\n",
        expect=Raises((ValueError, OverflowError)),
    ),
    Case(
        "set_num_threads_negative",
        "def f():\n    nogil.set_num_threads(-1)\n",
        expect=Raises(ValueError),
    ),
    Case(
        "set_num_threads_zero",
        "def f():\n    nogil.set_num_threads(0)\n",
        expect=Raises(ValueError),
    ),
    Case(
        "set_num_threads_float",
        "def f():\n    nogil.set_num_threads(1.5)\n",
        expect=Raises(TypeError),
    ),
    Case(
        "set_num_threads_string",
        "def f():\n    nogil.set_num_threads('2')\n",
        expect=Raises(TypeError),
    ),
    Case(
        "set_num_threads_none",
        "def f():\n    nogil.set_num_threads(None)\n",
        expect=Raises(TypeError),
    ),
    Case(
        "set_num_threads_million",
        "def f():\n    nogil.set_num_threads(10**6)\n",
        expect=Raises(ValueError),
    ),
    Case(
        "set_num_threads_valid_roundtrip",
        "def f():\n    nogil.set_num_threads(1)\n    return nogil.get_num_threads()\n",
        expect=Returns("1"),
    ),
    Case(
        "env_threads_garbage",
        "def f():\n    return 0\n",
        env=(("NOGIL_NUM_THREADS", "abc"),),
        expect=Raises(ValueError, "NOGIL_NUM_THREADS"),
    ),
    Case(
        "env_threads_zero",
        "def f():\n    return 0\n",
        env=(("NOGIL_NUM_THREADS", "0"),),
        expect=Raises(ValueError, "NOGIL_NUM_THREADS"),
    ),
    Case(
        "env_threads_huge",
        "def f():\n    return 0\n",
        env=(("NOGIL_NUM_THREADS", "1" + "0" * 30),),
        expect=Raises((ValueError, OverflowError), "NOGIL_NUM_THREADS"),
    ),
    Case(
        "pickle_dispatcher",
        """
            import pickle

            @njit
            def h(x):
                return x * 2

            def f():
                return pickle.loads(pickle.dumps(h))(21)
        """,
        expect=Returns("42", or_raises=TypeError),
    ),
    Case(
        "varargs_function",
        "@njit\ndef f(*args):\n    return len(args)\n",
        call="f(1, 2)",
        expect=Same("TypingError", match=r"\*args"),
    ),
    Case(
        "kwargs_function",
        "@njit\ndef f(**kw):\n    return 0\n",
        call="f(a=1)",
        expect=Same("TypingError", match=r"\*\*kw"),
    ),
    Case(
        "default_none_parameter",
        "@njit\ndef f(x, y=None):\n    if y is None:\n        return x\n    return x + y\n",
        call="(f(1), f(1, 2))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "numba_array_signature",
        "@njit\ndef g(a):\n    return a.sum()\n\ndef f():\n"
        "    return njit('float64(float64[:])')(g.py_func)(np.arange(4.0))\n",
        expect=Returns("6.0", or_raises=Exception),
    ),
    Case(
        "check_with_garbage_signature",
        "@njit\ndef g(x):\n    return x\n\ndef f():\n    return nogil.check(g, 'garbage(')\n",
        expect=Raises((TypeError, ValueError)),
    ),
    Case(
        "inspect_llvm_garbage_signature",
        "@njit\ndef g(x):\n    return x\n\ndef f():\n"
        "    return g.inspect_llvm('not a signature')\n",
        expect=Raises((TypeError, ValueError, KeyError)),
    ),
    Case(
        "compile_signature_that_fails_typing",
        "@njit\ndef g(x):\n    return [x]\n\ndef f():\n    return g.compile('int64(int64)')\n",
        expect=Raises("TypingError"),
    ),
]
