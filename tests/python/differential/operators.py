"""Python's binary operators as plain functions, shared by the differential tests: each test
compiles them and compares with CPython (or NumPy) calling them directly."""


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
