"""Inner functions and lambdas (closures) in compiled code, lifted out of the function that
defines them.

Each ``def`` inside a compiled function, and each lambda, becomes a compiled function of its
own (a Dispatcher made here, never seen by Python) whose first parameter, ``$closure``,
receives the closure value: a tuple ``(lifted function, captured values...)``. The
captured values are the enclosing function's locals that the inner function (or an inner
function it calls, or one nested in it) reads; the lifted body starts by reading them back
from the tuple. Compiled code passes, stores and returns the tuple as any tuple; a call
through it (``g(x)``, ``f(x)`` in a callee given ``f``) is a direct call of the lifted
function with the tuple first (sema::closureBody), which LLVM inlines.

Every use of an inner function's name builds its tuple from the locals' current values at
that point, so a call reads the enclosing variables as CPython's cells do at call time
(rebinding after the ``def`` included); a closure stored in a variable or a tuple, or passed
on, holds the values of the moment it was stored. A named lambda (``f = lambda x: ...``,
``f`` assigned once) is an inner function named ``f``.
"""

import ast
import copy
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from nogil import _rewriting
from nogil.errors import Diagnostic, TypingError

CLOSURE_PARAM = "$closure"
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class Lifted(NamedTuple):
    """An inner function lifted out: ``value_name`` is the free name under which the
    enclosing function's tuples refer to it (bound to its Dispatcher by the loader)."""

    value_name: str
    name: str
    function_def: ast.FunctionDef
    stub: ast.FunctionDef
    """The lifted signature with an empty body: what Python compiles into the function
    object the Dispatcher reads parameter names and defaults from."""


class Where(NamedTuple):
    """The enclosing function's text, for refusals with a caret."""

    filename: str
    first_line: int
    text: str


def lift(function_def: ast.FunctionDef, where: Where) -> tuple[ast.FunctionDef, list[Lifted]]:
    """The function without inner functions (each use of one a closure tuple) and the
    functions lifted out of it. Unchanged when it defines none."""
    inner = _inner_nodes(function_def)
    if not any(isinstance(node, ast.FunctionDef | ast.Lambda) for node in inner):
        return function_def, []
    return _Lifter(copy.deepcopy(function_def), where).run()


def _inner_nodes(function_def: ast.FunctionDef) -> Iterator[ast.AST]:
    for statement in function_def.body:
        yield from ast.walk(statement)


class _Lifter:
    def __init__(self, outer: ast.FunctionDef, where: Where):
        self.outer = outer
        self.where = where
        self.outer_locals = _locals(outer)
        self.named: dict[str, ast.FunctionDef | ast.Lambda] = {}
        self.named_assigns: set[int] = set()  # ids of `f = lambda ...` statements
        self.anonymous: list[ast.Lambda] = []
        self.value_names: dict[int, str] = {}  # id(inner node) -> its free name
        self.captures: dict[int, list[str]] = {}

    def run(self) -> tuple[ast.FunctionDef, list[Lifted]]:
        self.find_inner_functions()
        inner = list(self.named.values()) + self.anonymous
        for index, node in enumerate(inner):
            label = self.name_of(node)
            self.value_names[id(node)] = f"$closure_fn{index}_{label}"
        self.find_captures(inner)
        lifted = [self.lifted(node) for node in inner]
        outer = _OuterRewriter(self).visit(self.outer)
        return outer, lifted

    def name_of(self, node: ast.AST) -> str:
        for name, named in self.named.items():
            if named is node:
                return name
        return "<lambda>"

    def find_inner_functions(self) -> None:
        params = set(_params(self.outer))
        stores = Counter(
            node.id
            for node in _own_nodes(self.outer.body)
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
        )
        named_lambdas = set()
        for node in _own_nodes(self.outer.body):
            if isinstance(node, ast.FunctionDef):
                if node.name in self.named or node.name in params or stores[node.name]:
                    raise self.refusal(
                        node,
                        f"the inner function {node.name}() is defined or assigned more than "
                        "once: a name bound to an inner function must name only it",
                    )
                self.check_inner(node)
                self.named[node.name] = node
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Lambda)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and stores[node.targets[0].id] == 1
                and node.targets[0].id not in params
                and node.targets[0].id not in self.named
            ):
                self.named[node.targets[0].id] = node.value
                self.named_assigns.add(id(node))
                named_lambdas.add(id(node.value))
        for name, node in self.named.items():
            if isinstance(node, ast.Lambda) and any(
                isinstance(other, ast.FunctionDef) and other.name == name
                for other in _own_nodes(self.outer.body)
            ):
                raise self.refusal(node, f"{name} is both an inner function and a lambda")
        for node in _own_nodes(self.outer.body):
            if isinstance(node, ast.Lambda) and id(node) not in named_lambdas:
                self.check_inner(node)
                self.anonymous.append(node)
        for node in self.named.values():
            if isinstance(node, ast.Lambda):
                self.check_inner(node)

    def check_inner(self, node: ast.FunctionDef | ast.Lambda) -> None:
        name = self.name_of(node) if isinstance(node, ast.Lambda) else node.name
        for inner in _own_nodes(_body(node)):
            if isinstance(inner, ast.Nonlocal):
                names = ", ".join(inner.names)
                raise self.refusal(
                    inner,
                    f"'nonlocal {names}' in the inner function {name}(): compiled closures "
                    "read the enclosing function's variables but cannot assign them; return "
                    "the new value instead",
                )
            if isinstance(inner, ast.Yield | ast.YieldFrom):
                message = f"the inner function {name}() is a generator: not supported"
                raise self.refusal(inner, message)
        args = node.args
        if args.vararg or args.kwarg or args.kwonlyargs:
            raise self.refusal(
                node,
                f"*args, **kwargs and keyword-only parameters of the inner function {name}() "
                "are not supported",
            )
        for default in args.defaults:
            if not _is_constant(default):
                raise self.refusal(
                    default,
                    f"a default of the inner function {name}() that is not a constant (a "
                    "number, bool, None or string): compiled defaults are frozen when compiling",
                )
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            message = f"a decorator on the inner function {name}() is not supported"
            raise self.refusal(node.decorator_list[0], message)

    def find_captures(self, inner: list[ast.AST]) -> None:
        variables: dict[int, set[str]] = {}
        calls: dict[int, set[str]] = {}
        for node in inner:
            free = _free(node) & self.outer_locals
            calls[id(node)] = free & self.named.keys()
            variables[id(node)] = free - self.named.keys()
        changed = True
        while changed:  # an inner function calling another captures what that one captures
            changed = False
            for node in inner:
                for callee in calls[id(node)]:
                    extra = variables[id(self.named[callee])] - variables[id(node)]
                    if extra:
                        variables[id(node)] |= extra
                        changed = True
        self.captures = {key: sorted(names) for key, names in variables.items()}

    def closure_tuple(self, node: ast.AST, where: ast.AST) -> ast.Tuple:
        elements: list[ast.expr] = [_rewriting.load(self.value_names[id(node)])]
        elements += [_rewriting.load(name) for name in self.captures[id(node)]]
        tuple_node = ast.Tuple(elements, ast.Load())
        return ast.copy_location(_located_all(tuple_node, where), where)

    def lifted(self, node: ast.FunctionDef | ast.Lambda) -> Lifted:
        name = self.name_of(node) if isinstance(node, ast.Lambda) else node.name
        args = copy.deepcopy(node.args)
        closure_arg = ast.copy_location(ast.arg(CLOSURE_PARAM), node)
        if args.posonlyargs:
            args.posonlyargs.insert(0, closure_arg)
        else:
            args.args.insert(0, closure_arg)
        if isinstance(node, ast.Lambda):
            returned = ast.Return(copy.deepcopy(node.body))
            body: list[ast.stmt] = [ast.copy_location(returned, node.body)]
        else:
            body = copy.deepcopy(node.body)
        own = _locals(node)
        reads = [
            ast.copy_location(
                _located_all(
                    ast.Assign(
                        [_rewriting.store(captured)],
                        ast.Subscript(
                            _rewriting.load(CLOSURE_PARAM), ast.Constant(index + 1), ast.Load()
                        ),
                    ),
                    node,
                ),
                node,
            )
            for index, captured in enumerate(self.captures[id(node)])
        ]
        rewriter = _InnerRewriter(self, {n for n in self.named if n not in own})
        body = [rewriter.visit(statement) for statement in body]
        function_def = ast.FunctionDef(
            name=name,
            args=args,
            body=reads + body,
            decorator_list=[],
            returns=None,
            type_comment=None,
            **_TYPE_PARAMS,
        )
        ast.copy_location(function_def, node)
        function_def.end_lineno = node.end_lineno
        function_def.end_col_offset = node.end_col_offset
        stub = ast.FunctionDef(
            name=name,
            args=copy.deepcopy(args),
            body=[ast.Pass()],
            decorator_list=[],
            returns=None,
            type_comment=None,
            **_TYPE_PARAMS,
        )
        ast.copy_location(stub, node)
        return Lifted(self.value_names[id(node)], name, function_def, stub)

    def refusal(self, node: ast.AST, message: str) -> TypingError:
        return refusal(self.where, node, message)


class _OuterRewriter(ast.NodeTransformer):
    """The enclosing function: inner definitions removed, their uses closure tuples."""

    def __init__(self, lifter: _Lifter):
        self.lifter = lifter
        self.depth = 0

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        if node is self.lifter.outer:
            node.body = [self.visit(statement) for statement in node.body]
            return node
        return ast.copy_location(ast.Pass(), node)

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        if id(node) in self.lifter.named_assigns:
            return ast.copy_location(ast.Pass(), node)
        return self.generic_visit(node)

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        return self.lifter.closure_tuple(node, node)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        inner = self.lifter.named.get(node.id)
        if inner is not None and isinstance(node.ctx, ast.Load):
            return self.lifter.closure_tuple(inner, node)
        return node


class _InnerRewriter(ast.NodeTransformer):
    """A lifted body: the inner functions it names (itself, for recursion) as closure tuples
    of the captured values it read from ``$closure``."""

    def __init__(self, lifter: _Lifter, visible: set[str]):
        self.lifter = lifter
        self.visible = visible

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.visible and isinstance(node.ctx, ast.Load):
            return self.lifter.closure_tuple(self.lifter.named[node.id], node)
        return node


def refusal(where: Where, node: ast.AST, message: str) -> TypingError:
    """A TypingError for ``node`` rendered as the compiler's are: message, place, caret."""
    line = getattr(node, "lineno", where.first_line)
    col = getattr(node, "col_offset", 0)
    end_line = getattr(node, "end_lineno", line) or line
    end_col = getattr(node, "end_col_offset", col + 1) or col + 1
    lines = where.text.splitlines()
    index = line - where.first_line
    source_line = lines[index] if 0 <= index < len(lines) else ""
    width = max(1, (end_col if end_line == line else len(source_line.encode())) - col)
    gutter = " " * len(str(line))
    prefix = source_line.encode()[:col].decode(errors="replace")
    report = (
        f"error[N0101]: {message}\n"
        f"{gutter}--> {where.filename}:{line}:{col + 1}\n"
        f"{gutter} |\n"
        f"{line} | {source_line}\n"
        f"{gutter} | {' ' * len(prefix)}{'^' * width}\n"
    )
    diagnostic = Diagnostic(
        "N0101", message, where.filename, line, col + 1, end_line, end_col + 1, report
    )
    return TypingError(report, [diagnostic])


def _located_all(node: ast.AST, where: ast.AST) -> ast.AST:
    for inner in ast.walk(node):
        if "lineno" in inner._attributes:
            ast.copy_location(inner, where)
            inner.end_lineno = getattr(where, "end_lineno", None)
            inner.end_col_offset = getattr(where, "end_col_offset", None)
    return node


def _is_constant(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant)


def _body(node: ast.AST) -> list[ast.AST]:
    return [node.body] if isinstance(node, ast.Lambda) else node.body


def _own_nodes(body: list) -> Iterator[ast.AST]:
    """The nodes of one scope: nested scopes are yielded but not entered, except for what
    the enclosing scope evaluates (defaults, decorators)."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPES):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                stack.extend(reversed(node.args.defaults))
                stack.extend(d for d in node.args.kw_defaults if d is not None)
            stack.extend(getattr(node, "decorator_list", ()))
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _params(node: ast.FunctionDef | ast.Lambda) -> list[str]:
    args = node.args
    names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return names


def _declared_global(node: ast.AST) -> set[str]:
    return {
        name
        for inner in _own_nodes(_body(node))
        if isinstance(inner, ast.Global)
        for name in inner.names
    }


def _locals(node: ast.FunctionDef | ast.Lambda) -> set[str]:
    names = set(_params(node))
    for inner in _own_nodes(_body(node)):
        if isinstance(inner, ast.Name) and not isinstance(inner.ctx, ast.Load):
            names.add(inner.id)
        elif isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) or (
            isinstance(inner, ast.ExceptHandler) and inner.name
        ):
            names.add(inner.name)
        elif isinstance(inner, ast.alias):
            names.add((inner.asname or inner.name).split(".")[0])
    return names - _declared_global(node)


def _free(node: ast.FunctionDef | ast.Lambda) -> set[str]:
    """Names a function (and the functions nested in it) reads from enclosing scopes."""
    loaded = set()
    for inner in _own_nodes(_body(node)):
        if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load):
            loaded.add(inner.id)
        elif isinstance(inner, ast.FunctionDef | ast.Lambda) and inner is not node:
            loaded |= _free(inner)
    return loaded - _locals(node) - _declared_global(node)


_TYPE_PARAMS = {"type_params": []} if hasattr(ast.FunctionDef(), "type_params") else {}
