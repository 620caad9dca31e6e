"""Functions that must not compile. The comment line after an offending line names the error
that line must produce:

    # error[CODE] `source text`: start of the message

The caret must start at `source text` in the line above and underline exactly that text; a
text ending in `...` marks a span that goes on past the end of the line. Each function is
called with the arguments in ARGS, or with 1 for each parameter.
"""

# ruff: noqa: F841

import cmath  # noqa: F401  (kept: the cases and their golden files keep their lines)
import math

import numpy as np

from nogil import literal_unroll, njit, prange

SCALE = 3
READ_ONLY = np.zeros(2)
READ_ONLY.flags.writeable = False
MODULE_LIST = [1, 2, 3]
MODULE_TEXT = "text"
MODULE_NONE = None


def plain_python(n):
    return n + 1


@njit
def helper(n):
    return n * 2


@njit
def list_comprehension(n):
    ys = [v * 2 for v in range(n)]
    # error[N0101] `[v * 2 for v in range(n)]`: list comprehension
    return n


@njit
def lambda_default_not_constant(n):
    f = lambda y, k=n: y + k  # noqa: E731
    # error[N0101] `n`: a default of the inner function f() that is not a constant
    return f(n)


@njit
def string_literal(n):
    s = f"{n}"
    # error[N0101] `f"{n}"`: string
    return n


@njit
def string_concatenation(n):
    return "ab" * n
    # error[N0205] `"ab" * n`: unsupported operand types for *


@njit
def list_literal(n):
    xs = [n, n + 1]
    # error[N0101] `[n, n + 1]`: list
    return n


@njit
def dict_literal(n):
    d = {n: 1}
    # error[N0101] `{n: 1}`: dict
    return n


@njit
def with_statement(n):
    with open(n):
        # error[N0101] `with open(n):...`: with
        pass
    return n


@njit
def try_star_statement(n):
    try:
        # error[N0101] `try:...`: 'try ... except*' statements are not supported
        n = n // 0
    except* ZeroDivisionError:
        n = 0
    return n


@njit
def exception_object_used(n):
    try:
        n = n // 0
    except ZeroDivisionError as err:
        print(err)
        # error[N0231] `err`: the exception object 'err' cannot be used in compiled code
    return n


@njit
def catch_a_number(n):
    try:
        n = n // 0
    except SCALE:
        # error[N0232] `SCALE`: cannot catch 'SCALE': compiled code catches exception classes
        n = 0
    return n


@njit
def global_statement(n):
    global SCALE
    # error[N0101] `global SCALE`: global
    return n + SCALE


def make_nonlocal():
    total = 0

    @njit
    def nonlocal_statement(n):
        nonlocal total
        # error[N0101] `nonlocal total`: nonlocal
        return n

    return nonlocal_statement


nonlocal_statement = make_nonlocal()


@njit
def yield_expression(n):
    return (yield n)
    # error[N0101] `yield n`: yield


@njit
def unexpected_keyword_argument(n):
    return helper(m=n)
    # error[N0227] `m=n`: helper() got an unexpected keyword argument 'm'


@njit
def with_bytes_default(n, k=b"bytes"):
    return n


@njit
def bytes_default_needed(n):
    return with_bytes_default(n)
    # error[N0230] `with_bytes_default(n)`: default value of 'k' has type bytes


@njit
def keyword_and_positional_for_one_parameter(n):
    return helper(n, n=n)
    # error[N0228] `n=n`: helper() got multiple values for argument 'n'


@njit
def kwargs_unpacking(n):
    return helper(**n)
    # error[N0101] `**n`: '**' arguments are not supported


@njit
def star_args(*args):
    # error[N0102] `args`: *args
    return 1


@njit
def integer_literal_too_large(n):
    return n + 18446744073709551616
    # error[N0101] `18446744073709551616`: integer literals beyond the int64 range


@njit
def undefined_name(n):
    return n + no_such_name  # noqa: F821
    # error[N0201] `no_such_name`: name 'no_such_name' is not defined


@njit
def undefined_function(n):
    return no_such_function(n)  # noqa: F821
    # error[N0201] `no_such_function`: name 'no_such_function' is not defined


@njit
def unsupported_global_list(n):
    return n + MODULE_LIST
    # error[N0202] `MODULE_LIST`: global 'MODULE_LIST' has type list


@njit
def global_str_in_arithmetic(n):
    return n + MODULE_TEXT
    # error[N0205] `n + MODULE_TEXT`: unsupported operand types for +


@njit
def return_type_conflict(n):
    if n > 0:
        return 1
    return (n, n)
    # error[N0203] `(n, n)`: function returns


@njit
def unpack_a_number(n):
    a, _b = n
    # error[N0222] `n`: cannot unpack a value of type int64: only tuples unpack
    return a


@njit
def tuple_index_out_of_range(n):
    t = (n, n + 1)
    return t[2]
    # error[N0223] `2`: tuple index 2 is out of range for tuple[int64, int64]


@njit
def tuple_index_not_an_int(x):
    t = (1, 2)
    return t[x]
    # error[N0224] `x`: a tuple index must be an int, not float64


@njit
def heterogeneous_tuple_indexed_at_run_time(n):
    t = (n, 1.5)
    return t[n]
    # error[N0225] `n`: tuple[int64, float64] can only be indexed by a constant


@njit
def subscript_of_a_number(n):
    return n[0]
    # error[N0101] `n[0]`: subscripts of int64 are not supported


@njit
def slice_of_a_tuple(n):
    t = (n, n)
    return t[0:n]
    # error[N0333] `n`: slicing tuple[int64, int64] needs constant bounds


@njit
def len_of_a_number(n):
    return len(n)
    # error[N0219] `len(n)`: len() does not take an argument of type int64


@njit
def tuples_of_different_lengths(n):
    t = (1, 2)
    t = (1, 2, 3)
    # error[N0226] `t`: variable 't' is assigned tuple[int64, int64, int64] here but
    return n


@njit
def recursion_without_base_case(n):
    return recursion_without_base_case(n - 1)
    # error[N0213] `recursion_without_base_case(n - 1)`: cannot infer the return type


@njit
def call_plain_python_function(n):
    return plain_python(n)
    # error[N0244] `plain_python`: 'plain_python' is a Python function


@njit
def unsupported_operand_types(n):
    return n & 1.5
    # error[N0205] `n & 1.5`: unsupported operand types for &: int64 and float64


@njit
def unsupported_unary_operand(x):
    return ~x
    # error[N0206] `~x`: unsupported operand type for ~: float64


@njit
def call_a_number(n):
    return SCALE(n)
    # error[N0207] `SCALE`: 'SCALE' is not callable


@njit
def call_a_local(n):
    return n(1)
    # error[N0207] `n`: 'n' is not callable


@njit
def call_with_too_many_arguments(n):
    return helper(n, n)
    # error[N0208] `helper(n, n)`: helper() takes


@njit
def call_with_too_few_arguments(n):
    return helper()
    # error[N0229] `helper()`: helper() missing required argument 'n'


@njit
def range_with_float(n):
    total = 0
    for i in range(2.5):
        # error[N0209] `2.5`: range() arguments must be integers, not float64
        total += i
    return total


@njit
def range_with_float_parameter(x):
    total = 0
    for i in range(1, x):
        # error[N0209] `x`: range() arguments must be integers, not float64
        total += i
    return total


@njit
def iterate_over_int(n):
    total = 0
    for i in n:
        # error[N0210] `n`: iterating over int64 is not supported
        total += i
    return total


@njit
def unpack_too_many_values(n):
    a, b = n, n + 1, n + 2
    # error[N0211] `a, b`: cannot unpack 3 values into 2 targets
    return a + b


@njit
def unpack_too_few_values(n):
    a, b, c = n, n
    # error[N0211] `a, b, c`: cannot unpack 2 values into 3 targets
    return a


@njit
def assign_to_attribute(n):
    n.real = 1
    # error[N0212] `n.real`: cannot assign to


@njit
def none_as_value(n):
    x = None
    return x + n
    # error[N0214] `x`: None cannot be used as a value


@njit
def optional_expression_as_value(n):
    return (n if n > 0 else None) + 1
    # error[N0214] `n if n > 0 else None`: 'n if n > 0 else None', of type Optional(int64)


@njit
def type_of_a_tuple(n):
    return type((n, n))
    # error[N0101] `type((n, n))`: type() of tuple[int64, int64] (only of a number) is not


@njit
def isinstance_of_an_unknown_class(n):
    return isinstance(n, str)
    # error[N0101] `str`: isinstance() with the class 'str' is not supported


@njit
def hasattr_with_a_computed_name(n):
    return hasattr(n, n + 1)
    # error[N0101] `n + 1`: hasattr() with a name that is not a string constant is not


@njit
def calling_an_abstract_class(n):
    return np.floating(n)
    # error[N0101] `np.floating(n)`: calling numpy.floating is not supported


@njit
def none_as_condition(n):
    if None:
        # error[N0215] `None`: truth value of None
        return 1
    return n


@njit
def read_before_assignment(n):
    total = n + y  # noqa: F821
    # error[N0216] `y`: local variable 'y' is read before any assignment
    y = y + total  # noqa: F821
    return y


@njit
def function_as_value(n):
    g = range
    # error[N0217] `range`: function 'range' can only be called
    return n


@njit
def call_through_value_with_too_many_arguments(f, n):
    return f(n, n)
    # error[N0208] `f(n, n)`: helper() takes 1 positional argument but 2 were given


@njit
def two_functions_in_one_variable(n):
    g = helper
    if n > 0:
        g = abs
        # error[N0226] `g`: variable 'g' is assigned builtin(abs) here but function(helper)
    return g(n)


@njit
def two_errors(n):
    a = undefined_one  # noqa: F821
    # error[N0201] `undefined_one`: name 'undefined_one' is not defined
    b = "text" * 2.5
    # error[N0205] `"text" * 2.5`: unsupported operand types for *
    return n


@njit
def unknown_math_member(x):
    return math.frobnicate(x)
    # error[N0218] `math.frobnicate`: module 'math' has no member 'frobnicate'


@njit
def returns_function_to_python(x):
    return math.sqrt


@njit
def builtin_with_too_many_arguments(x):
    return abs(x, 2)
    # error[N0208] `abs(x, 2)`: abs() takes 1 argument but 2 were given


@njit
def round_to_float_digits(x):
    return round(x, 1.5)
    # error[N0219] `round(x, 1.5)`: round() does not take an argument of type float64


@njit
def gcd_of_floats(x):
    return math.gcd(x, 2)
    # error[N0219] `math.gcd(x, 2)`: math.gcd() does not take an argument of type float64


@njit
def attribute_of_a_number(x):
    return x.numerator
    # error[N0101] `x.numerator`: attribute access is not supported


@njit
def module_as_value(x):
    m = math
    # error[N0202] `math`: global 'math' has type module, which compiled code cannot use
    return x


@njit
def raise_a_number(x):
    raise SCALE
    # error[N0220] `SCALE`: cannot raise 'SCALE'


@njit
def raise_an_instance_held_in_a_variable(x):
    error = x
    raise error
    # error[N0220] `error`: cannot raise 'error'


@njit
def exception_message_not_a_string(x):
    raise ValueError(x)
    # error[N0221] `x`: an exception raised in compiled code takes no argument, or one string


@njit
def exception_with_two_arguments(x):
    raise ValueError("a", "b")
    # error[N0221] `"b"`: an exception raised in compiled code


@njit
def assert_message_not_a_string(x):
    assert x, SCALE
    # error[N0221] `SCALE`: an exception raised in compiled code


@njit
def bare_raise(x):
    raise
    # error[N0101] `raise`: a bare 'raise' outside an 'except' clause is not supported


@njit
def raise_from(x):
    raise ValueError("a") from None
    # error[N0101] `raise ValueError("a") from None`: 'raise ... from ...' is not supported


@njit
def raise_undefined_class(x):
    raise UndefinedError("a")  # noqa: F821
    # error[N0201] `UndefinedError`: name 'UndefinedError' is not defined


@njit
def f_string_with_format_spec(x):
    raise ValueError(f"x is {x:.2f}")
    # error[N0101] `f"x is {x:.2f}"`: format specifications in f-strings are not supported


@njit
def f_string_as_value(x):
    text = f"x is {x}"
    # error[N0101] `f"x is {x}"`: strings are not supported
    return x


@njit
def print_none(x):
    print(None)
    # error[N0214] `None`: None cannot be used as a value
    return x


@njit
def keyword_to_a_builtin(x):
    return round(x, ndigits=2)
    # error[N0101] `ndigits=2`: keyword argument 'ndigits' of round() is not supported


@njit
def generator_expression(n):
    total = helper(v for v in range(n))
    # error[N0101] `(v for v in range(n))`: generator expressions, except as the argument of sum()
    return total


@njit
def set_literal(n):
    s = {n, 1}
    # error[N0101] `{n, 1}`: sets are not supported
    return n


@njit
def set_comprehension(n):
    s = {v for v in range(n)}
    # error[N0101] `{v for v in range(n)}`: set comprehensions are not supported
    return n


@njit
def dict_comprehension(n):
    d = {v: v for v in range(n)}
    # error[N0101] `{v: v for v in range(n)}`: dict comprehensions are not supported
    return n


@njit
def walrus(n):
    if (m := n + 1) > 2:
        # error[N0101] `m := n + 1`: assignment expressions (:=) are not supported
        return 1
    return n


@njit
def class_definition(n):
    class Local:
        # error[N0101] `class Local:...`: class definitions are not supported
        pass

    return n


@njit
def inner_generator(n):
    def inner():
        yield n
        # error[N0101] `yield n`: the inner function inner() is a generator

    return n


@njit
def del_statement(n):
    m = n
    del m
    # error[N0101] `del m`: 'del' statements are not supported
    return n


@njit
def match_statement(n):
    match n:
        # error[N0101] `match n:...`: 'match' statements are not supported
        case 1:
            return 1
    return n


@njit
def import_inside(n):
    import os  # noqa: F401
    # error[N0101] `import os`: imports inside compiled functions are not supported

    return n


@njit
def bytes_literal(n):
    b = b"ab"
    # error[N0101] `b"ab"`: bytes are not supported
    return n


@njit
def string_where_a_number_is_needed(n):
    return n + "a"
    # error[N0205] `n + "a"`: unsupported operand types for +: int64 and Literal[str]('a')


@njit
def is_comparison(n):
    return n is SCALE
    # error[N0101] `n is SCALE`: 'is' comparisons are not supported


@njit
def matrix_multiplication(n):
    return n @ n
    # error[N0205] `n @ n`: unsupported operand types for @: int64 and int64


@njit
def shift_of_a_float(x):
    return x << 1
    # error[N0205] `x << 1`: unsupported operand types for <<: float64 and int64


@njit
def too_many_indices(a):
    return a[0, 1]
    # error[N0234] `0, 1`: too many indices for array(float64, 1d, C): 2 given


@njit
def float_array_index(a):
    return a[1.5]
    # error[N0235] `1.5`: an array index must be an int, not float64


@njit
def store_a_tuple_into_an_element(a):
    a[0] = (1, 2)
    # error[N0236] `a[0]`: cannot store tuple[int64, int64] into an element of array(float64


@njit
def unknown_array_attribute(a):
    return a.ctypes
    # error[N0237] `a.ctypes`: arrays have no attribute 'ctypes' in compiled code


@njit
def array_as_condition(a):
    if a:
        # error[N0215] `a`: truth value of array(float64, 1d, C) is not supported
        return 1
    return 0


@njit
def shape_of_floats(a):
    return np.zeros(1.5)
    # error[N0238] `1.5`: a shape is an int or a tuple of ints, not float64


@njit
def dtype_not_a_type(a):
    return np.zeros(3, dtype=a)
    # error[N0239] `a`: a dtype must be a NumPy scalar type, int, float, bool, complex


@njit
def store_into_read_only(a):
    a[0] = 1.0
    # error[N0233] `a[0]`: cannot store into readonly array(float64, 1d, C)


@njit
def print_an_array(a):
    print(a)
    # error[N0101] `a`: printing or formatting arrays is not supported


@njit
def format_a_tuple(n):
    raise ValueError(f"{(n, n)}")
    # error[N0101] `(n, n)`: printing or formatting tuples is not supported


@njit
def array_in_and(a):
    return a and 1
    # error[N0215] `a`: truth value of array(float64, 1d, C) is not supported


ARGS = {
    "array_in_and": (np.zeros(2),),
    "prange_carried_value": (np.zeros(2),),
    "prange_reduction_read_in_the_body": (np.zeros(2),),
    "prange_private_read_after": (np.zeros(2),),
    "prange_break": (np.zeros(2),),
    "prange_return": (np.zeros(2),),
    "prange_complex_reduction": (np.zeros(2, dtype=np.complex128),),
    "print_an_array": (np.zeros(2),),
    "too_many_indices": (np.zeros(2),),
    "float_array_index": (np.zeros(2),),
    "store_a_tuple_into_an_element": (np.zeros(2),),
    "unknown_array_attribute": (np.zeros(2),),
    "array_as_condition": (np.zeros(2),),
    "shape_of_floats": (np.zeros(2),),
    "dtype_not_a_type": (np.zeros(2),),
    "store_into_read_only": (READ_ONLY,),
    "shift_of_a_float": (1.5,),
    "tuple_index_not_an_int": (1.5,),
    "gcd_of_floats": (1.5,),
    "range_with_float_parameter": (4.5,),
    "star_args": (),
    "unsupported_unary_operand": (1.5,),
}


@njit(parallel=True)
def prange_carried_value(a):
    previous = 0.0
    for i in prange(len(a)):
        a[i] = previous
        # error[N0240] `previous`: 'previous' is read before this iteration assigns it
        previous = a[i]


@njit(parallel=True)
def prange_reduction_read_in_the_body(a):
    total = 0.0
    for i in prange(len(a)):
        total += a[i]
        # error[N0240] `total`: 'total' is read before this iteration assigns it
        a[i] = total
    return 0.0


@njit(parallel=True)
def prange_private_read_after(a):
    for i in prange(len(a)):
        last = a[i]
    return last
    # error[N0241] `last`: 'last' is assigned in a prange loop and read outside it


@njit(parallel=True)
def prange_break(a):
    for i in prange(len(a)):
        if a[i] > 0:
            break
            # error[N0242] `break`: 'break' is not allowed in a prange loop


@njit(parallel=True)
def prange_return(a):
    for i in prange(len(a)):
        return a[i]
        # error[N0242] `return a[i]`: 'return' is not allowed in a prange loop
    return 0.0


@njit(parallel=True)
def prange_complex_reduction(a):
    total = 0j
    for i in prange(len(a)):
        total += a[i]
        # error[N0243] `total`: prange reduction of 'total', a complex128
    return total


@njit
def reduction_with_unknown_keyword(a):
    return np.sum(a, axes=0)
    # error[N0270] `np.sum(a, axes=0)`: np.sum() has no implementation for arguments


@njit
def reduction_of_a_number(x):
    return np.prod(x)
    # error[N0270] `np.prod(x)`: np.prod() has no implementation for arguments (int64)


@njit
def reduction_with_float_axis(a):
    return np.sum(a, 1.5)
    # error[N0270] `np.sum(a, 1.5)`: np.sum() has no implementation for arguments


@njit
def unknown_method_with_axis(a):
    return a.cumfoo(axis=0)
    # error[N0237] `a.cumfoo`: arrays have no attribute 'cumfoo' in compiled code


@njit
def allocation_with_order(n):
    return np.zeros(n, np.int32, "K")
    # error[N0285] `"K"`: numpy.zeros(): only 'C' or 'F' order is permitted (got 'K')


@njit
def allocation_with_too_many_arguments(n):
    return np.ones(n, float, "C", None, 5)
    # error[N0208] `np.ones(n, float, "C", None, 5)`: numpy.ones() takes at most 4 arguments


@njit
def allocation_with_shape_keyword(n):
    return np.empty(shape=n)
    # error[N0101] `shape=n`: keyword argument 'shape' of numpy.empty() is not supported


@njit
def allocation_with_dtype_twice(n):
    return np.zeros(n, np.int32, dtype=np.int64)
    # error[N0228] `dtype=np.int64`: numpy.zeros() got multiple values for argument 'dtype'


@njit
def allocation_without_shape(n):
    return np.full()
    # error[N0229] `np.full()`: numpy.full() missing required argument 'shape'


@njit
def ufunc_with_where(x):
    return np.sqrt(x, where=x > 0)
    # error[N0284] `x > 0`: where= of numpy.sqrt() needs out= (the elements it masks off keep
    # out's values; NumPy leaves them uninitialized without out=)


@njit
def slice_assignment(a):
    a[1:] = 1j
    # error[N0236] `a[1:]`: cannot store complex128 into an element of array(float64, 1d, C)
    return a


@njit
def augmented_slice_assignment(a):
    a[:] += 1.5
    # error[N0205] `a[:] += 1.5`: unsupported operand types for +=: array(int64, 1d, C) and float64
    return a


@njit
def subarray_assignment(a):
    a[0] = (1.0, 2.0)
    # error[N0236] `a[0]`: cannot store tuple[float64, float64] into an element of
    # array(float64, 1d, C)
    return a


@njit
def strided_slice_next_to_index_array(a, i):
    return a[::2, i]
    # error[N0101] `::2`: a slice other than ':', a second '...' or a new axis next to an


@njit
def new_axis_next_to_index_array(a, i):
    # NumPy allows it; the library's advanced indexing takes no new axis yet.
    return a[None, i]
    # error[N0101] `None`: a slice other than ':', a second '...' or a new axis next to an


@njit
def identity_of_an_array(a):
    return a is not a
    # error[N0101] `a is not a`: 'is not' with an array operand is not supported


@njit
def chained_comparison_of_arrays(a):
    return 0.0 < a < 1.0
    # error[N0101] `0.0 < a < 1.0`: chained comparisons of arrays are not supported


@njit
def lambda_with_star_args(a):
    return (lambda *v: v)(a)
    # error[N0101] `lambda *v: v`: *args, **kwargs and keyword-only parameters of the inner


@njit
def call_the_result_of_a_call(n):
    return helper(n)(2)
    # error[N0207] `helper(n)`: 'helper(n)' is not callable


@njit
def catch_a_called_value(n):
    try:
        return n
    except helper(n):
        # error[N0232] `helper(n)`: cannot catch 'helper(n)'
        return 0


@njit
def failing_callee(a):
    return a.foo
    # error[N0237] `a.foo`: arrays have no attribute 'foo'


@njit
def call_a_failing_callee(a):
    x = failing_callee(a)
    return x


@njit
def int_with_a_base(n):
    return int(n, 2)
    # error[N0101] `2`: argument 'base' of int() is not supported


@njit
def ufunc_out_of_another_kind(x, y):
    return np.exp(x, y)
    # error[N0219] `y`: numpy.exp() does not take an argument of type array(int64, 1d, C)


ARGS.update(
    {
        "reduction_with_unknown_keyword": (np.zeros(2),),
        "reduction_with_float_axis": (np.zeros(2),),
        "unknown_method_with_axis": (np.zeros(2),),
        "slice_assignment": (np.zeros(2),),
        "subarray_assignment": (np.zeros((2, 2)),),
        "augmented_slice_assignment": (np.zeros(2, np.int64),),
        "ufunc_out_of_another_kind": (np.zeros(2), np.zeros(2, np.int64)),
        "strided_slice_next_to_index_array": (np.zeros((2, 2)), np.zeros(2, np.int64)),
        "new_axis_next_to_index_array": (np.zeros((2, 2)), np.zeros(2, np.int64)),
        "identity_of_an_array": (np.zeros(2),),
        "chained_comparison_of_arrays": (np.zeros(2),),
        "lambda_with_star_args": (np.zeros(2),),
        "call_a_failing_callee": (np.zeros(2),),
        "failing_callee": (np.zeros(2),),
    }
)


@njit
def transpose_axes_at_run_time(a, k):
    return a.transpose(k, 0)
    # error[N0280] `k`: transpose() takes its axes as int constants in compiled code


@njit
def squeeze_axis_out_of_range(a):
    return a.squeeze(2)
    # error[N0281] `2`: axis 2 is out of bounds for array of dimension 1


@njit
def transpose_repeated_axis(a):
    return a.transpose(0, 0)
    # error[N0282] `a.transpose(0, 0)`: axes don't match array


ARGS.update(
    {
        "transpose_axes_at_run_time": (np.zeros((2, 2)), 1),
        "squeeze_axis_out_of_range": (np.zeros(2),),
        "transpose_repeated_axis": (np.zeros(2),),
    }
)

RECORDS = np.zeros(2, dtype=[("f", np.float64), ("g", np.int32)])


@njit
def unknown_record_field(a):
    return a[0]["h"]
    # error[N0290] `"h"`: record has no field 'h' (its fields: ('f', 'g'))


@njit
def unknown_record_attribute(a):
    r = a[1]
    return r.height
    # error[N0290] `r.height`: record has no field 'height'


@njit
def record_field_out_of_range(a):
    return a[0][2]
    # error[N0290] `2`: record has no field at index 2


@njit
def record_field_named_by_a_variable(a, k):
    return a[0][k]
    # error[N0291] `k`: a record field is named by a string or int constant in compiled code


@njit
def ufunc_casting_rule_refuses(a, dest):
    return np.add(a, a, out=dest, casting="safe")
    # error[N0283] `dest`: cannot cast ufunc 'add' output from float64 to float32 with
    # casting rule 'safe'


ARGS.update(
    {
        "unknown_record_field": (RECORDS,),
        "unknown_record_attribute": (RECORDS,),
        "record_field_out_of_range": (RECORDS,),
        "record_field_named_by_a_variable": (RECORDS, 1),
    }
)


@njit
def scalar_view_of_another_size(x):
    return np.int64(x).view(np.int32)
    # error[N0245] `np.int64(x).view(np.int32)`: int64 cannot be viewed as int32


@njit
def unknown_dtype_string(n):
    return np.zeros(n, "float128")
    # error[N0239] `"float128"`: a dtype must be a NumPy scalar type


@njit
def string_returned(n):
    kind = "stable"
    return kind if n else "quick"
    # error[N0205] `kind if n else "quick"`: unsupported operand types for if-else


ARGS.update(
    {
        "ufunc_casting_rule_refuses": (np.zeros(2), np.zeros(2, np.float32)),
    }
)


@njit
def loop_over_a_heterogeneous_tuple(n):
    total = 0.0
    for v in (n, 1.5):
        # error[N0330] `(n, 1.5)`: cannot loop over tuple[int64, float64] at run time
        total += v
    return total


@njit
def repeat_a_tuple_at_run_time(n):
    return (1, 2) * n
    # error[N0331] `n`: repeating tuple[int64, int64] needs a constant count


@njit
def repeat_a_tuple_too_often(n):
    return (n, n) * 1000
    # error[N0332] `(n, n) * 1000`: a tuple built in compiled code has at most 1024 elements


@njit
def slice_a_tuple_with_step_zero(n):
    return (n, n)[::0]
    # error[N0334] `0`: slice step cannot be zero


@njit
def order_tuples_of_complex(n):
    return (1j, n) < (2j, n)
    # error[N0205] `(1j, n) < (2j, n)`: unsupported operand types for <: tuple[complex128, int64]


# math, cmath, operator and number methods (issue 15): the forms still refused.
@njit
def factorial_of_a_float(x):
    return math.factorial(x * 0.5)
    # error[N0219] `math.factorial(x * 0.5)`: math.factorial() does not take an argument of type


@njit
def ldexp_with_a_float_exponent(x):
    return math.ldexp(x, 0.5)
    # error[N0219] `math.ldexp(x, 0.5)`: math.ldexp() does not take an argument of type float64


@njit
def pow_with_a_float_modulus(x):
    return pow(x, 2, 0.5)
    # error[N0219] `pow(x, 2, 0.5)`: pow() does not take an argument of type float64


@njit
def conjugate_with_an_argument(x):
    return x.conjugate(2)
    # error[N0208] `x.conjugate(2)`: conjugate() takes no arguments but 1 was given


@njit
def complex_array_power(a):
    return a**2
    # error[N0205] `a**2`: unsupported operand types for **


ARGS.update({"complex_array_power": (np.zeros(2, dtype=np.complex128),)})
ARGS.update({"call_through_value_with_too_many_arguments": (helper, 1)})


@njit
def nonlocal_in_inner_function(n):
    total = n

    def inner():
        nonlocal total
        # error[N0101] `nonlocal total`: 'nonlocal total' in the inner function inner()
        total += 1

    inner()
    return total


@njit
def literal_unroll_over_a_heterogeneous_tuple(n):
    total = 0.0
    for v in literal_unroll((n, 1.5)):
        # error[N0330] `(n, 1.5)`: cannot loop over tuple[int64, float64] at run time
        total += v
    return total


@njit
def tuple_of_a_number(x):
    return tuple(x)
    # error[N0219] `tuple(x)`: tuple() does not take an argument of type int64


@njit
def tuple_of_an_array(a):
    return tuple(a)
    # error[N0219] `tuple(a)`: tuple() does not take an argument of type array(float64, 1d, C)


ARGS.update({"tuple_of_an_array": (np.zeros(2),)})


@njit
def starred_number_in_a_tuple(x):
    return (*x, 1)
    # error[N0219] `*x`: tuple() does not take an argument of type int64
