"""Argument kinds: what a caller may pass. Supported kinds give CPython's/NumPy's result;
kinds nogil does not read (ctypes arrays, datetime64/timedelta64, object and structured
arrays, float16, long double, lists, strings...) give a clean TypeError naming the kind,
never a crash or a misread buffer. ndarray subclasses whose semantics differ (masked arrays,
np.matrix) are refused; np.memmap passes. bytes/bytearray/memoryview returned unchanged come
back as the same object (or are refused). Parameter kinds are enforced as CPython does."""

from .corpus import Case, Raises, Returns, Same

TYPE_ERROR = "TypeError"
SUM_LOOP = (
    "@njit\ndef f(a):\n    s = 0\n    for i in range(len(a)):\n        s += a[i]\n    return s\n"
)
IDENTITY = "@njit\ndef f(x):\n    return x\n"
IS_SAME = "@njit\ndef g(x):\n    return x\n\ndef f(x):\n    return g(x) is x\n"
SUM = "@njit\ndef f(a):\n    return a.sum()\n"
NEST = "def nest(depth):\n    t = 1\n    for _ in range(depth):\n        t = (t,)\n    return t\n\n"
FIRST_LAST = "@njit\ndef f(a):\n    return a[0] + a[len(a) - 1]\n"

CASES = [
    Case(
        "ctypes_int64_array",
        "import ctypes\n" + SUM_LOOP,
        call="f((ctypes.c_int64 * 3)(1, 2, 3))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "ctypes_double_array",
        "import ctypes\n" + SUM_LOOP,
        call="f((ctypes.c_double * 2)(1.5, 2.5))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "ctypes_scalar",
        "import ctypes\n" + IS_SAME,
        call="f(ctypes.c_int(3))",
        expect=Returns("True", or_raises=TypeError),
    ),
    Case(
        "datetime64_scalar",
        IDENTITY,
        call="f(np.datetime64(1, '10s'))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "datetime64_nat", IDENTITY, call="f(np.datetime64('NaT', '10s'))", expect=Same(TYPE_ERROR)
    ),
    Case(
        "timedelta64_scalar", IDENTITY, call="f(np.timedelta64(5, '10s'))", expect=Same(TYPE_ERROR)
    ),
    Case(
        "timedelta64_nat_arith",
        "@njit\ndef f(x):\n    return x + x\n",
        call="f(np.timedelta64('NaT', '10s'))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "datetime64_array",
        FIRST_LAST.replace("+", "<"),
        call="f(np.array([1, 'NaT'], dtype='datetime64[10s]'))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "timedelta64_array_sum",
        SUM,
        call="f(np.arange(4).astype('timedelta64[s]'))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "object_array",
        SUM_LOOP,
        call="f(np.array([1, 2, 3], dtype=object))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "structured_array",
        "@njit\ndef f(a):\n    return a[0]\n",
        call="f(np.zeros(2, dtype=[('x', 'f8'), ('y', 'i4')]))",
        expect=Same(TYPE_ERROR),
    ),
    Case("float16_array", SUM, call="f(np.arange(4, dtype=np.float16))", expect=Same(TYPE_ERROR)),
    Case(
        "float16_scalar",
        "@njit\ndef f(x):\n    return x * 2\n",
        call="f(np.float16(1.5))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "longdouble_scalar",
        "@njit\ndef f(x):\n    return x * 2\n",
        call="f(np.longdouble(1.5))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "complex64_array",
        FIRST_LAST,
        call="f(np.array([1 + 2j, 3 - 1j], dtype=np.complex64))",
    ),
    Case("complex128_array", FIRST_LAST, call="f(np.array([1 + 2j, 3 - 1j]))"),
    Case(
        "complex_scalar",
        "@njit\ndef f(z):\n    return z * z + z.imag\n",
        call="f(complex(1e308, -1e308))",
    ),
    Case(
        "big_endian_float_array",
        FIRST_LAST,
        call="f(np.arange(3, dtype='>f8'))",
        expect=Same(TYPE_ERROR),
    ),
    Case("big_endian_int_sum", SUM, call="f(np.arange(5, dtype='>i4'))", expect=Same(TYPE_ERROR)),
    Case(
        "big_endian_store",
        "@njit\ndef f(a):\n    a[0] = 258\n    return a\n",
        call="f(np.zeros(2, dtype='>i8'))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "unaligned_int64_buffer",
        FIRST_LAST,
        call="f(np.frombuffer(bytes(range(17)), dtype=np.int64, count=2, offset=1))",
    ),
    Case(
        "read_only_read",
        """
            @njit
            def f(a):
                return a[1] * 2

            def g():
                a = np.arange(3.0)
                a.flags.writeable = False
                return f(a)
        """,
        call="g()",
    ),
    Case(
        "read_only_store",
        """
            @njit
            def f(a):
                a[1] = 5.0
                return a

            def g():
                a = np.arange(3.0)
                a.flags.writeable = False
                return f(a)
        """,
        call="g()",
        expect=Same("TypingError"),
    ),
    Case("non_contiguous_step", SUM, call="f(np.arange(20.0)[::3])"),
    Case("negative_strides", FIRST_LAST, call="f(np.arange(6.0)[::-2])"),
    Case(
        "transposed_2d",
        "@njit\ndef f(a):\n    return a[0, 1] - a[1, 0]\n",
        call="f(np.arange(6.0).reshape(2, 3).T)",
    ),
    Case(
        "fortran_order",
        "@njit\ndef f(a):\n    return a[1, 2] + a.sum()\n",
        call="f(np.asfortranarray(np.arange(6.0).reshape(2, 3)))",
    ),
    Case("zero_strides_broadcast_to", SUM, call="f(np.broadcast_to(np.arange(3.0), (4, 3)))"),
    Case(
        "zero_strides_store_refused",
        "@njit\ndef f(a):\n    a[0, 0] = 1.0\n    return a\n",
        call="f(np.broadcast_to(np.arange(3.0), (4, 3)))",
        expect=Same("TypingError"),
    ),
    Case(
        "overlapping_as_strided",
        SUM,
        call="f(np.lib.stride_tricks.as_strided(np.arange(10.0), shape=(5, 4), strides=(8, 8)))",
    ),
    Case("zero_d_array", "@njit\ndef f(a):\n    return a.sum() * 2\n", call="f(np.array(21.0))"),
    Case(
        "sixty_four_dims",
        "@njit\ndef f(a):\n    return a.sum() + a.ndim\n",
        call="f(np.ones((1,) * 64))",
    ),
    Case(
        "empty_dimension",
        "@njit\ndef f(a):\n    return a.sum() + a.size\n",
        call="f(np.ones((3, 0, 5)))",
    ),
    Case(
        "masked_array_refused",
        SUM,
        call="f(np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0]))",
        expect=Raises(TypeError, "MaskedArray"),
    ),
    Case(
        "matrix_refused",
        "@njit\ndef f(a):\n    return a[0, 0]\n",
        call="f(np.matrix([[1.0, 2.0]]))",
        expect=Raises(TypeError, "matrix"),
    ),
    Case(
        "memmap_accepted",
        """
            @njit
            def f(a):
                return a.sum()

            def g():
                m = np.memmap(workdir / 'm.dat', dtype=np.float64, mode='w+', shape=(4,))
                m[:] = [1.0, 2.0, 3.0, 4.0]
                return f(m)
        """,
        call="g()",
    ),
    Case(
        "plain_subclass",
        "class Plain(np.ndarray):\n    pass\n\n" + FIRST_LAST,
        call="f(np.arange(4.0).view(Plain))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "bytes_returned_unchanged",
        IS_SAME,
        call="f(b'abc')",
        expect=Returns("True", or_raises=TypeError),
    ),
    Case(
        "bytearray_returned_unchanged",
        IS_SAME,
        call="f(bytearray(b'abc'))",
        expect=Returns("True", or_raises=TypeError),
    ),
    Case(
        "memoryview_returned_unchanged",
        IS_SAME,
        call="f(memoryview(b'abc'))",
        expect=Returns("True", or_raises=TypeError),
    ),
    Case(
        "array_array_returned_unchanged",
        "import array\n" + IS_SAME,
        call="f(array.array('d', [1.0]))",
        expect=Returns("True", or_raises=TypeError),
    ),
    Case("numpy_array_returned_unchanged", IS_SAME, call="f(np.arange(3.0))"),
    Case("bytes_sum", SUM_LOOP, call="f(b'\\x01\\x02\\xff')"),
    Case(
        "array_array_int_sum",
        "import array\n" + SUM_LOOP,
        call="f(array.array('q', [2**62, 2**62 - 5, 4]))",
    ),
    Case(
        "array_array_unicode",
        "import array\n" + SUM_LOOP,
        call="f(array.array('u', 'ab'))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "nested_tuple_depth_100",
        NEST + "@njit\ndef f(t):\n    return len(t)\n",
        call="f(nest(100))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "nested_tuple_depth_100000",
        NEST + "@njit\ndef f(t):\n    return len(t)\n",
        call="f(nest(100000))",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "nested_tuple_returned_depth_200",
        NEST
        + "@njit\ndef g(t):\n    return t\n\ndef f():\n    t = nest(200)\n    return g(t) == t\n",
        expect=Same(TYPE_ERROR),
    ),
    Case("python_list", SUM_LOOP, call="f([1, 2, 3])", expect=Same(TYPE_ERROR)),
    Case("python_str", IDENTITY, call="f('text')", expect=Same(TYPE_ERROR)),
    Case(
        "none_argument",
        "@njit\ndef f(x):\n    return x is None\n",
        call="f(None)",
        expect=Same(TYPE_ERROR),
    ),
    Case("int_beyond_int64", IDENTITY, call="f(2**64)", expect=Raises(OverflowError)),
    Case("int_below_int64", IDENTITY, call="f(-2**63 - 1)", expect=Raises(OverflowError)),
    Case(
        "bool_scalar_numpy", "@njit\ndef f(x):\n    return x and True\n", call="f(np.bool_(True))"
    ),
    Case(
        "uint64_max_scalar",
        "@njit\ndef f(x):\n    return x // np.uint64(3)\n",
        call="f(np.uint64(2**64 - 1))",
    ),
    Case(
        "int_enum_argument",
        """
            import enum

            class Color(enum.IntEnum):
                RED = 1

            @njit
            def f(x):
                return x + 1
        """,
        call="f(Color.RED)",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "index_like_object",
        """
            class Idx:
                def __index__(self):
                    return 2

            @njit
            def f(a, i):
                return a[i]
        """,
        call="f(np.arange(5.0), Idx())",
        expect=Same(TYPE_ERROR),
    ),
    Case(
        "positional_only_by_keyword",
        "@njit\ndef f(x, /, y):\n    return x - y\n",
        call="f(x=5, y=2)",
    ),
    Case(
        "positional_only_proper",
        "@njit\ndef f(x, /, y):\n    return x - y\n",
        call="f(5, y=2)",
        expect=Same("TypingError"),
    ),
    Case("keyword_only_positionally", "@njit\ndef f(x, *, y):\n    return x - y\n", call="f(5, 2)"),
    Case(
        "keyword_only_proper",
        "@njit\ndef f(x, *, y=1):\n    return x - y\n",
        call="f(5, y=2)",
        expect=Same("TypingError"),
    ),
    Case("too_many_arguments", "@njit\ndef f(x, y):\n    return x - y\n", call="f(1, 2, 3)"),
    Case("too_few_arguments", "@njit\ndef f(x, y):\n    return x - y\n", call="f(1)"),
    Case("unknown_keyword", "@njit\ndef f(x, y):\n    return x - y\n", call="f(1, z=2)"),
    Case("duplicate_argument", "@njit\ndef f(x, y):\n    return x - y\n", call="f(1, 2, x=3)"),
    Case(
        "keyword_and_default",
        "@njit\ndef f(x, y=10):\n    return x - y\n",
        call="(f(y=1, x=5), f(5), f(5, 1))",
    ),
    Case(
        "kwargs_dict_splat", "@njit\ndef f(x, y):\n    return x - y\n", call="f(**{'y': 1, 'x': 5})"
    ),
    Case(
        "non_string_keyword",
        "@njit\ndef f(x, y):\n    return x - y\n",
        call="f(1, **{'y': 2, 'z' * 1000: 3})",
    ),
]
