"""The operator module's functions for compiled code: each is its operator (``operator.add(a,
b)`` is ``a + b``), so it takes whatever the operator takes (numbers, arrays, broadcasting)
and compiles to the same code. The in-place ones are augmented assignments: on a number
``operator.iadd(x, y)`` is ``x + y``, on an array it adds into the array and returns it, as
in CPython. Loaded by the front end when compiled code may use the operator module."""

import inspect
import operator

import numpy as np

from nogil.extending import overload, types


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def truediv(a, b):
    return a / b


def floordiv(a, b):
    return a // b


def mod(a, b):
    return a % b


def power(a, b):
    return a**b


def matmul(a, b):
    return a @ b


def lshift(a, b):
    return a << b


def rshift(a, b):
    return a >> b


def and_(a, b):
    return a & b


def or_(a, b):
    return a | b


def xor(a, b):
    return a ^ b


def neg(a):
    return -a


def pos(a):
    return +a


def invert(a):
    return ~a


def absolute(a):
    return abs(a)


def _absolute_of_array(a):
    return np.abs(a)


def not_(a):
    return not a


def truth(a):
    return bool(a)


def eq(a, b):
    return a == b


def ne(a, b):
    return a != b


def lt(a, b):
    return a < b


def le(a, b):
    return a <= b


def gt(a, b):
    return a > b


def ge(a, b):
    return a >= b


def contains(a, b):
    return b in a


def iadd(a, b):
    a += b
    return a


def isub(a, b):
    a -= b
    return a


def imul(a, b):
    a *= b
    return a


def itruediv(a, b):
    a /= b
    return a


def ifloordiv(a, b):
    a //= b
    return a


def imod(a, b):
    a %= b
    return a


def ipow(a, b):
    a **= b
    return a


def imatmul(a, b):
    a @= b
    return a


def ilshift(a, b):
    a <<= b
    return a


def irshift(a, b):
    a >>= b
    return a


def iand(a, b):
    a &= b
    return a


def ior(a, b):
    a |= b
    return a


def ixor(a, b):
    a ^= b
    return a


def _register(function, on_arrays, on_numbers):
    def typing(*args):
        # A number is immutable: `a += b` is `a + b`, and writing it so keeps an int
        # dividend's own messages (`a /= b` would make `a` a float variable).
        return on_arrays if isinstance(args[0], types.Array) else on_numbers

    # The implementation's parameters: a call with the wrong number of arguments is refused
    # with Python's message.
    typing.__signature__ = inspect.signature(on_numbers)
    overload(function)(typing)


_RENAMED = {"power": "pow", "absolute": "abs"}
_IMPLEMENTATIONS = {
    _RENAMED.get(name, name): value
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", None) == __name__ and name[0] != "_"
}
for _name, _implementation in _IMPLEMENTATIONS.items():
    # iadd -> add, iand -> and_: the operator an in-place function applies to numbers
    _plain = [n for n in (_name[1:], _name[1:] + "_") if _name[0] == "i" and n in _IMPLEMENTATIONS]
    _on_numbers = _IMPLEMENTATIONS[_plain[0]] if _plain else _implementation
    _on_arrays = _absolute_of_array if _name == "abs" else _implementation
    _register(getattr(operator, _name), _on_arrays, _on_numbers)
