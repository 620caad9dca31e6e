"""Fuzzing the compiler with whole functions: Hypothesis writes random small functions in the
language nogil compiles, and each compiled function must return or raise what CPython does.

The hand-written differential tests pin one construct at a time; these functions combine
them (loops in branches, tuple assignments of mixed expressions, early returns from loops) in
ways nobody writes tests for. Functions with one construct outside the language must be
rejected with a clean ``TypingError`` that points at that construct.

CPython runs an instrumented copy of each function that stops (and Hypothesis discards the
input) where int64 wraparound or another documented difference would make the two disagree
by design; nogil compiles the plain source, read from a real file as ``inspect`` requires.
"""

import ast
import copy
import faulthandler
import importlib.util
import itertools
import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from nogil import TypingError, njit

from ..differential.oracle import (
    INT64_MAX,
    INT64_MIN,
    assert_outcomes,
    bools,
    floats,
    is_complex_power,
    run,
    small_edge_ints,
    wide_ints,
)

INT, FLOAT, BOOL = "int", "float", "bool"

# Hypothesis shrinks a sampled_from towards its first element, so every choice below lists
# the simplest option first and failures shrink to short functions.
INT_LITERALS = [
    "0", "1", "2", "3", "7", "10", "255", "(-1)", "(-2)", "(-7)", "2147483648",
    "9007199254740993", "4611686018427387904", "9223372036854775807", "(-9223372036854775807)",
]  # fmt: skip
FLOAT_LITERALS = [
    "0.0", "1.0", "0.5", "2.5", "(-1.5)", "(-0.0)", "0.1", "3.0", "1e-300", "5e-324",
    "1e300", "1.7976931348623157e308", "1e309",
]  # fmt: skip
COMPARISONS = ["<", "<=", ">", ">=", "==", "!="]

MAX_PARAMETERS = 3
MAX_TOP_LEVEL_STATEMENTS = 5
MAX_BLOCK_STATEMENTS = 3
MAX_NESTING = 2  # compound statements inside compound statements
MAX_EXPRESSION_DEPTH = 3
ARGUMENT_TUPLES = 4  # calls per compiled function: compiling costs more than calling
# Loops are bounded by construction; a compiled function still running after this long is
# a miscompiled loop or a hung compiler, and the process is stopped with a traceback.
HANG_SECONDS = 30

ARGUMENTS = {
    INT: st.integers(-20, 20)
    | small_edge_ints
    | st.sampled_from([INT64_MIN, INT64_MAX, INT64_MIN + 1, INT64_MAX - 1])
    | wide_ints,
    FLOAT: st.floats(-20, 20) | floats,
    BOOL: bools,
}


@dataclass
class Variable:
    type: str
    writable: bool  # loop counters of `while` are read-only so that every loop ends


Scope = dict[str, Variable]


def indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


class FunctionWriter:
    """Draws one function statement by statement. Every variable keeps one type for the
    whole function, every return has the function's one return type, and every loop runs
    a bounded number of times, so that CPython is a valid oracle for the result."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]):
        self.draw = draw
        self.fresh = itertools.count()
        self.return_type = ""

    def choose(self, options: list[Any]) -> Any:
        return self.draw(st.sampled_from(options))

    def new_name(self, prefix: str) -> str:
        return f"{prefix}{next(self.fresh)}"

    # Expressions --------------------------------------------------------------------------

    def expression(self, scope: Scope, type_: str, depth: int = MAX_EXPRESSION_DEPTH) -> str:
        if depth == 0 or not self.draw(st.booleans()):
            return self.leaf(scope, type_)
        build = {INT: self.int_expression, FLOAT: self.float_expression, BOOL: self.bool_test}
        return build[type_](scope, depth - 1)

    def leaf(self, scope: Scope, type_: str) -> str:
        names = sorted(name for name, variable in scope.items() if variable.type == type_)
        if names and self.draw(st.integers(0, 3)):  # variables three times in four
            return self.choose(names)
        literals = {INT: INT_LITERALS, FLOAT: FLOAT_LITERALS, BOOL: ["True", "False"]}
        return self.choose(literals[type_])

    def any_expression(self, scope: Scope, depth: int) -> str:
        return self.expression(scope, self.choose([INT, FLOAT, BOOL]), depth)

    def int_operand(self, scope: Scope, depth: int) -> str:
        """An int, or now and then a bool, which arithmetic promotes to int."""
        return self.expression(scope, self.choose([INT, INT, INT, BOOL]), depth)

    def same_type_choice(self, scope: Scope, type_: str, depth: int) -> str:
        """`x if c else y`, `x and y`, `x or y` with both operands of ``type_`` (mixed types
        are unified by nogil, a documented difference)."""
        left = self.expression(scope, type_, depth)
        right = self.expression(scope, type_, depth)
        form = self.choose(["if", "and", "or"])
        if form == "if":
            return f"({left} if {self.any_expression(scope, depth)} else {right})"
        return f"({left} {form} {right})"

    def int_expression(self, scope: Scope, depth: int) -> str:
        form = self.choose(["arithmetic", "unary", "power", "bitwise", "choice"])
        if form == "arithmetic":
            op = self.choose(["+", "-", "*", "//", "%"])
            return f"({self.int_operand(scope, depth)} {op} {self.int_operand(scope, depth)})"
        if form == "unary":
            op = self.choose(["-", "+", "~"])
            if op == "~":  # deprecated on a bool in CPython 3.12: ints only
                return f"(~{self.expression(scope, INT, depth)})"
            return f"({op}{self.int_operand(scope, depth)})"
        if form == "power":
            # A non-literal or negative int exponent is a documented difference.
            return f"({self.expression(scope, INT, depth)} ** {self.choose(['2', '0', '1', '3'])})"
        if form == "bitwise":
            op = self.choose(["&", "|", "^"])
            left, right = self.expression(scope, INT, depth), self.expression(scope, INT, depth)
            return f"({left} {op} {right})"
        return self.same_type_choice(scope, INT, depth)

    def float_expression(self, scope: Scope, depth: int) -> str:
        form = self.choose(["arithmetic", "int division", "power", "unary", "choice"])
        if form == "arithmetic":
            op = self.choose(["+", "-", "*", "/", "//", "%", "**"])
            operands = self.choose([(FLOAT, FLOAT), (FLOAT, INT), (INT, FLOAT), (BOOL, FLOAT)])
            left, right = (self.expression(scope, type_, depth) for type_ in operands)
            return f"({left} {op} {right})"
        if form == "int division":
            return f"({self.int_operand(scope, depth)} / {self.int_operand(scope, depth)})"
        if form == "power":
            # A literal negative exponent makes an int power a float.
            exponent = self.choose(["-1", "-2", "-3"])
            return f"({self.expression(scope, INT, depth)} ** {exponent})"
        if form == "unary":
            return f"({self.choose(['-', '+'])}{self.expression(scope, FLOAT, depth)})"
        return self.same_type_choice(scope, FLOAT, depth)

    def bool_test(self, scope: Scope, depth: int) -> str:
        form = self.choose(["comparison", "not", "choice"])
        if form == "comparison":
            parts = [self.any_expression(scope, depth)]
            for _ in range(self.draw(st.integers(1, 2))):
                parts += [self.choose(COMPARISONS), self.any_expression(scope, depth)]
            return f"({' '.join(parts)})"
        if form == "not":
            return f"(not {self.any_expression(scope, depth)})"
        return self.same_type_choice(scope, BOOL, depth)

    # Statements ---------------------------------------------------------------------------

    def block(
        self, scope: Scope, nesting: int, in_loop: bool, size: int, local: Scope | None = None
    ) -> list[str]:
        """Up to ``size`` statements (at least one) that see ``scope`` and ``local`` (a loop
        variable); the block mostly stops after a statement that leaves it.

        Names first assigned in the function body join ``scope``. Those first assigned in a
        nested block are bound only on the paths through it: they usually stay local to the
        block, and now and then join ``scope``, so that a later read raises
        UnboundLocalError on the paths that skipped the block, in CPython as in nogil."""
        inner = {**scope, **(local or {})}
        lines: list[str] = []
        for _ in range(self.draw(st.integers(1, size))):
            # Repeats weight the draw: mostly assignments and compound statements, and few
            # early exits, which would leave the rest of the block out.
            kinds = ["assign", "augmented", "assign", "augmented", "tuple", "pass"]
            if nesting < MAX_NESTING:
                kinds += ["if", "for", "while", "if", "for", "while"]
            kinds += ["return"] if nesting else []
            if in_loop:
                kinds += ["break", "continue"]
            kind = self.choose(kinds)
            lines += self.statement(kind, inner, nesting, in_loop)
            # Code after a jump is kept one time in eight: the compiler must accept it.
            if kind in ("return", "break", "continue") and self.draw(st.integers(0, 7)) < 7:
                break
        if nesting == 0 or self.draw(st.integers(0, 3)) == 3:
            scope.update({name: inner[name] for name in inner.keys() - scope.keys()})
        return lines

    def statement(self, kind: str, scope: Scope, nesting: int, in_loop: bool) -> list[str]:
        if kind in ("pass", "break", "continue"):
            return [kind]
        if kind == "return":
            return [f"return {self.expression(scope, self.return_type)}"]
        if kind == "assign":
            return self.assignment(scope)
        if kind == "augmented":
            return self.augmented_assignment(scope)
        if kind == "tuple":
            return self.tuple_assignment(scope)
        if kind == "if":
            return self.if_statement(scope, nesting, in_loop)
        if kind == "for":
            return self.for_loop(scope, nesting)
        return self.while_loop(scope, nesting)

    def target(self, scope: Scope, taken: set[str]) -> tuple[str, str]:
        """(name, type): an existing writable variable or, as often, a new one."""
        names = sorted(n for n, v in scope.items() if v.writable and n not in taken)
        if names and self.draw(st.booleans()):
            name = self.choose(names)
            return name, scope[name].type
        return self.new_name("v"), self.choose([INT, FLOAT, BOOL])

    def assignment(self, scope: Scope) -> list[str]:
        name, type_ = self.target(scope, set())
        value = self.expression(scope, type_)
        scope[name] = Variable(type_, writable=True)
        return [f"{name} = {value}"]

    def augmented_assignment(self, scope: Scope) -> list[str]:
        names = sorted(n for n, v in scope.items() if v.writable and v.type in (INT, FLOAT))
        if not names:
            return self.assignment(scope)
        name = self.choose(names)
        if scope[name].type == INT:
            # `/=` would make the variable a float: one type per variable.
            op = self.choose(["+", "-", "*", "//", "%", "&", "|", "^", "**"])
            if op == "**":
                return [f"{name} **= {self.choose(['2', '0', '1', '3'])}"]
            value = self.int_operand(scope, MAX_EXPRESSION_DEPTH - 1)
        else:
            op = self.choose(["+", "-", "*", "/", "//", "%", "**"])
            value = self.expression(scope, self.choose([FLOAT, INT]), MAX_EXPRESSION_DEPTH - 1)
        return [f"{name} {op}= {value}"]

    def tuple_assignment(self, scope: Scope) -> list[str]:
        """`a, b = b, a + b`: every value is read before any target is written."""
        targets: list[tuple[str, str]] = []
        for _ in range(self.draw(st.integers(2, 3))):
            targets.append(self.target(scope, {name for name, _ in targets}))
        values = [self.expression(scope, type_) for _, type_ in targets]
        for name, type_ in targets:
            scope[name] = Variable(type_, writable=True)
        return [f"{', '.join(name for name, _ in targets)} = {', '.join(values)}"]

    def if_statement(self, scope: Scope, nesting: int, in_loop: bool) -> list[str]:
        lines = [f"if {self.any_expression(scope, 2)}:"]
        lines += indent(self.block(scope, nesting + 1, in_loop, MAX_BLOCK_STATEMENTS))
        for _ in range(self.draw(st.integers(0, 2))):
            lines.append(f"elif {self.any_expression(scope, 2)}:")
            lines += indent(self.block(scope, nesting + 1, in_loop, MAX_BLOCK_STATEMENTS))
        if self.draw(st.booleans()):
            lines.append("else:")
            lines += indent(self.block(scope, nesting + 1, in_loop, MAX_BLOCK_STATEMENTS))
        return lines

    def range_bound(self, scope: Scope) -> str:
        """A literal, or any int expression taken modulo a small literal, so that the loop
        stays short whatever the arguments are."""
        if self.draw(st.booleans()):
            return f"({self.expression(scope, INT, 2)} % {self.draw(st.integers(1, 9))})"
        return str(self.draw(st.integers(-3, 12)))

    def for_loop(self, scope: Scope, nesting: int) -> list[str]:
        arguments = [self.range_bound(scope) for _ in range(self.draw(st.integers(1, 2)))]
        if len(arguments) == 2 and self.draw(st.booleans()):
            arguments.append(self.choose(["1", "2", "3", "-1", "-2", "-3"]))
        variable = self.new_name("i")
        loop_variable = {variable: Variable(INT, writable=True)}
        body = self.block(scope, nesting + 1, True, MAX_BLOCK_STATEMENTS, loop_variable)
        return [f"for {variable} in range({', '.join(arguments)}):", *indent(body)]

    def while_loop(self, scope: Scope, nesting: int) -> list[str]:
        """A counted `while`: the counter goes up first thing in the body, before any
        `continue`, and is never assigned elsewhere."""
        counter = self.new_name("k")
        limit = self.draw(st.integers(0, 6))
        scope[counter] = Variable(INT, writable=False)
        form = self.choose(["plain", "and", "break"])
        if form == "break":
            header, guard = "while True:", indent([f"if {counter} > {limit}:", "    break"])
        elif form == "and":
            header, guard = f"while {counter} < {limit} and {self.bool_test(scope, 1)}:", []
        else:
            header, guard = f"while {counter} < {limit}:", []
        body = self.block(scope, nesting + 1, True, MAX_BLOCK_STATEMENTS)
        return [f"{counter} = 0", header, f"    {counter} += 1", *guard, *indent(body)]

    def function(self) -> "GeneratedFunction":
        parameter_types = self.draw(
            st.lists(st.sampled_from([INT, FLOAT, BOOL]), min_size=1, max_size=MAX_PARAMETERS)
        )
        parameters = "abc"[: len(parameter_types)]
        self.return_type = self.choose([INT, FLOAT, BOOL])
        scope = {
            name: Variable(type_, writable=True)
            for name, type_ in zip(parameters, parameter_types, strict=True)
        }
        body = self.block(scope, 0, False, MAX_TOP_LEVEL_STATEMENTS)
        if not body[-1].startswith("return "):
            body += self.statement("return", scope, 0, False)
        header = f"def generated({', '.join(parameters)}):"
        return GeneratedFunction([header, *indent(body)], tuple(parameter_types))


@dataclass
class GeneratedFunction:
    """The lines of ``def generated(...)``, kept apart so that a statement can be inserted
    between them, and the parameter types the arguments are drawn with."""

    lines: list[str]
    parameter_types: tuple[str, ...]

    @property
    def source(self) -> str:
        return "\n".join(self.lines) + "\n"


@st.composite
def generated_functions(draw: Callable[[st.SearchStrategy[Any]], Any]) -> GeneratedFunction:
    return FunctionWriter(draw).function()


@st.composite
def arguments_for(draw, function: GeneratedFunction) -> tuple[Any, ...]:
    return tuple(draw(ARGUMENTS[type_]) for type_ in function.parameter_types)


# The CPython reference ---------------------------------------------------------------------


class _Overflow(Exception):
    """An int result CPython computed exactly falls outside int64, where nogil wraps."""


class _DocumentedDifference(Exception):
    """CPython reached an operation where nogil differs by design (docs/design.md)."""


def _fits(value: Any) -> Any:
    """``value``, unless it is an int that int64 cannot hold."""
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise _Overflow(value)
    return value


def _divide(left: Any, right: Any) -> Any:
    """nogil divides two ints in double precision, which is exact only up to 2**53."""
    both_ints = isinstance(left, int) and isinstance(right, int)
    if both_ints and max(abs(left), abs(right)) > 2**53:
        raise _DocumentedDifference("int / int beyond 2**53")
    return left / right


def _power(base: Any, exponent: Any) -> Any:
    """nogil raises ValueError where CPython returns a complex number."""
    if is_complex_power(base, exponent):
        raise _DocumentedDifference("negative base to a fractional power")
    return base**exponent


def _compare(left: Any, op: str, right: Any) -> bool:
    """nogil compares an int with a float in double precision, exact only up to 2**53."""
    for one, other in ((left, right), (right, left)):
        if isinstance(one, float) and isinstance(other, int) and abs(other) > 2**53:
            raise _DocumentedDifference("int-float comparison beyond 2**53")
    return COMPARE[op](left, right)


COMPARE = {
    "Lt": operator.lt,
    "LtE": operator.le,
    "Gt": operator.gt,
    "GtE": operator.ge,
    "Eq": operator.eq,
    "NotEq": operator.ne,
}
CHECKS = {"_fits": _fits, "_divide": _divide, "_power": _power, "_compare": _compare}


def _call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=ast.Name(name, ast.Load()), args=list(args), keywords=[])


class Instrument(ast.NodeTransformer):
    """Routes every arithmetic result through ``_fits`` and the operations where nogil
    differs by design through a check, leaving evaluation order and short-circuits alone
    (generated expressions have no side effects, so repeating a chain's middle operand is
    safe)."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        self.generic_visit(node)
        if isinstance(node.op, ast.Div):
            return _call("_divide", node.left, node.right)
        if isinstance(node.op, ast.Pow):
            return _call("_fits", _call("_power", node.left, node.right))
        return _call("_fits", node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.expr:
        self.generic_visit(node)
        return node if isinstance(node.op, ast.Not) else _call("_fits", node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.Assign:
        assert isinstance(node.target, ast.Name)
        current = ast.Name(node.target.id, ast.Load())
        value = self.visit_BinOp(ast.BinOp(current, node.op, node.value))
        return ast.Assign(targets=[node.target], value=value)

    def visit_Compare(self, node: ast.Compare) -> ast.expr:
        self.generic_visit(node)
        operands = [node.left, *node.comparators]
        links = [
            _call("_compare", copy.deepcopy(left), ast.Constant(type(op).__name__), right)
            for left, op, right in zip(operands, node.ops, operands[1:], strict=False)
        ]
        return links[0] if len(links) == 1 else ast.BoolOp(ast.And(), links)


def reference(source: str, path: Path) -> Callable[..., Any]:
    """The instrumented CPython twin of the generated function."""
    tree = ast.fix_missing_locations(Instrument().visit(ast.parse(source)))
    namespace = dict(CHECKS)
    exec(compile(tree, str(path), "exec"), namespace)
    return namespace["generated"]


# Writing, loading and calling -------------------------------------------------------------

# Defined in each generated file and used for every call, so that the traceback the hang
# watchdog prints names the file holding the function that hung.
CALL_FROM_FILE = '''

def call(function, *args):
    """Calls ``function`` from this file."""
    return function(*args)
'''
PLAIN_HELPER = '''

def helper(value):
    """A plain Python function, which compiled code cannot call."""
    return value
'''
module_numbers = itertools.count()


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


def load(directory: Path, source: str) -> tuple[Any, Path]:
    """(module, path) for ``source`` written to a new file: nogil reads the function's
    source through ``inspect``, which needs a file; a new name for every module keeps
    ``linecache`` from serving an older file's lines."""
    name = f"generated_{next(module_numbers)}"
    path = directory / f"{name}.py"
    path.write_text(source + CALL_FROM_FILE + PLAIN_HELPER)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, path


@contextmanager
def hang_watchdog(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """Stops the process with every thread's traceback if the body runs for too long: a
    hang in native code cannot be interrupted, and failing loudly beats blocking CI.
    Capturing is off meanwhile, or the traceback would vanish with the process."""
    with capsys.disabled():
        faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
        try:
            yield
        finally:
            faulthandler.cancel_dump_traceback_later()


def assert_clean_typing_error(err: TypingError, path: Path, line_count: int) -> None:
    assert isinstance(err, TypeError)
    assert err.diagnostics, str(err)
    for diagnostic in err.diagnostics:
        assert diagnostic.code.startswith("N0"), str(err)
        assert diagnostic.filename == str(path), str(err)
        assert 1 <= diagnostic.line <= line_count and diagnostic.col >= 1, str(err)


# Tests ------------------------------------------------------------------------------------

# capsys only switches capturing off around calls: sharing it between examples is harmless.
fuzz_settings = settings(
    deadline=None,
    suppress_health_check=[
        *settings.default.suppress_health_check,
        HealthCheck.function_scoped_fixture,
    ],
)


@settings(fuzz_settings, max_examples=1500)
@given(function=generated_functions(), data=st.data())
def test_generated_function_agrees_with_cpython(generated_dir, capsys, function, data):
    """Every call returns or raises what CPython does, or the compile fails cleanly."""
    module, path = load(generated_dir, function.source)
    expected_function = reference(function.source, path)
    compiled = njit(module.generated)
    checked = 0
    for _ in range(ARGUMENT_TUPLES):
        args = data.draw(arguments_for(function), label="args")
        with hang_watchdog(capsys):
            expected = run(module.call, expected_function, *args)
            if expected[0] == "raise" and isinstance(
                expected[1], _Overflow | _DocumentedDifference
            ):
                event(f"CPython stopped: {type(expected[1]).__name__}")
                continue
            got = run(module.call, compiled, *args)
        if got[0] == "raise" and isinstance(got[1], TypingError):
            assert_clean_typing_error(got[1], path, len(function.lines))
            event(f"nogil rejected it: {got[1].code}")
            return
        where = f"\n{function.source}generated{args!r} in {path}"
        assert_outcomes(expected, got, where)
        if expected[0] == "raise":
            event(f"both raised {type(expected[1]).__name__}")
        checked += 1
    event(f"{checked} calls compared")
    assume(checked > 0)


@dataclass(frozen=True)
class Unsupported:
    """A statement using one construct nogil rejects; ``construct`` is the text its
    diagnostic must point at."""

    statement: str
    construct: str


UNSUPPORTED = [
    Unsupported("junk = [k for k in range(3)]", "[k for k in range(3)]"),
    Unsupported("junk = {a, 1}", "{a, 1}"),
    Unsupported("junk = f'{a}'", "f'{a}'"),
    Unsupported("junk = [a, a]", "[a, a]"),
    Unsupported("junk = {a: 1}", "{a: 1}"),
    Unsupported("junk = helper(a)", "helper"),
    Unsupported("global shared", "global shared"),
    Unsupported("junk = yield a", "yield a"),  # a bare `yield a` makes a generator object
    Unsupported("with a:\n    pass", "with a:"),
]


@settings(fuzz_settings, max_examples=300)
@given(function=generated_functions(), construct=st.sampled_from(UNSUPPORTED), data=st.data())
def test_unsupported_construct_raises_typing_error(
    generated_dir, capsys, function, construct, data
):
    """One unsupported statement anywhere in an otherwise valid function makes the first
    call raise a TypingError pointing at it; the process neither crashes nor hangs."""
    # A statement fits before any line of the body that starts a statement at its own
    # indentation: every line but the `elif` and `else` clauses of an `if`.
    starts = [
        number
        for number, line in enumerate(function.lines)
        if number > 0 and not line.lstrip().startswith(("elif ", "else:"))
    ]
    before = data.draw(st.sampled_from(starts), label="inserted before line index")
    line_before = function.lines[before]
    margin = line_before[: len(line_before) - len(line_before.lstrip())]
    inserted = [margin + line for line in construct.statement.split("\n")]
    lines = function.lines[:before] + inserted + function.lines[before:]
    source = "\n".join(lines) + "\n"
    module, path = load(generated_dir, source)
    args = data.draw(arguments_for(function), label="args")
    with hang_watchdog(capsys):
        kind, err = run(module.call, njit(module.generated), *args)
    where = f"\n{source}generated{args!r} in {path}"
    assert kind == "raise" and isinstance(err, TypingError), f"{where}: no TypingError"
    assert_clean_typing_error(err, path, len(lines))
    line = before + 1
    col = len(margin) + construct.statement.index(construct.construct) + 1
    assert (line, col) in [(d.line, d.col) for d in err.diagnostics], f"{where}: {err}"
