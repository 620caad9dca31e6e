"""A local bound once to ``range(...)`` and then only measured, indexed or iterated,
rewritten when the function is loaded into its start, stop, step and CPython's length (no
range object exists in compiled code):

    r = range(a, b, c)         ->  $start$r1 = a; $stop_at$r1 = b; $step$r1 = c
                                   <ValueError if c == 0>; $length$r1 = CPython's len
    len(r)                     ->  $length$r1
    r[i]                       ->  <i wrapped and checked: IndexError>; $start$r1 + i * $step$r1
    for x in r  (enumerate, zip)  ->  for x in range($start$r1, $stop_at$r1, $step$r1)

The binding must be a statement of the function's top level, before every use; a use of
any other kind (passing ``r`` on, returning it, ``r[i]`` where CPython may skip it) leaves
the range as it is, and the compiler reports it. ``len(range(...))`` of a literal call is
rewritten the same way."""

import ast
import builtins
import copy
from types import FunctionType

from nogil import _generator_inlining, _rewriting


def rewrite(function_def: ast.FunctionDef, py_func: FunctionType) -> ast.FunctionDef:
    if _generator_inlining._resolve(py_func, "range") is not builtins.range:
        return function_def
    if not _binds_or_measures_a_range(function_def):
        return function_def
    local = _generator_inlining._local_names(function_def)
    if "len" in local or "range" in local:
        return function_def
    if _generator_inlining._resolve(py_func, "len") is not builtins.len:
        return function_def
    function_def = copy.deepcopy(function_def)
    _name_literal_lengths(function_def)
    names = _candidates(function_def)
    if not names:
        return function_def
    function_def.body = _Rewriter(names).block(function_def.body)
    return function_def


_is_range_call = _rewriting.is_range_call


def _binds_or_measures_a_range(function_def: ast.FunctionDef) -> bool:
    """Whether a statement of the top level binds a range call to a name, or `len()` measures
    one: the only forms this rewrite changes. Most functions have neither and skip its copy
    of the tree."""
    if any(isinstance(s, ast.Assign) and _is_range_call(s.value) for s in function_def.body):
        return True
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "len"
        and len(node.args) == 1
        and _is_range_call(node.args[0])
        for node in ast.walk(function_def)
    )


def _name_literal_lengths(function_def: ast.FunctionDef) -> None:
    """``len(range(...))`` in a statement -> ``$range<k> = range(...)`` before it, then
    ``len($range<k>)`` (the candidate rules below take it from there)."""
    counter = 0

    def block(stmts: list[ast.stmt]) -> list[ast.stmt]:
        nonlocal counter
        out: list[ast.stmt] = []
        for stmt in stmts:
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    setattr(stmt, field, block(inner))
            for handler in getattr(stmt, "handlers", ()):
                handler.body = block(handler.body)
            for field in _HEADER_FIELDS.get(type(stmt), ()):
                value = getattr(stmt, field, None)
                if not isinstance(value, ast.expr):
                    continue
                for node in _unconditional(value):
                    if (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Name)
                        and node.func.id == "len"
                        and len(node.args) == 1
                        and _is_range_call(node.args[0])
                    ):
                        counter += 1
                        name = f"$range{counter}"
                        out.append(_located(ast.Assign([_store(name)], node.args[0]), node))
                        node.args[0] = ast.copy_location(_load(name), node.args[0])
            out.append(stmt)
        return out

    function_def.body = block(function_def.body)


_HEADER_FIELDS: dict[type, tuple[str, ...]] = {
    ast.Expr: ("value",),
    ast.Assign: ("value",),
    ast.AugAssign: ("value",),
    ast.Return: ("value",),
    ast.If: ("test",),
    ast.For: ("iter",),
    ast.Assert: ("test",),
}


def _unconditional(node: ast.expr):
    """The nodes of ``node`` CPython always evaluates (not past the first operand of
    and/or, the test of x if c else y, the first link of a comparison, nor into scopes)."""
    yield node
    if isinstance(node, ast.BoolOp):
        yield from _unconditional(node.values[0])
    elif isinstance(node, ast.IfExp):
        yield from _unconditional(node.test)
    elif isinstance(node, ast.Compare):
        yield from _unconditional(node.left)
        yield from _unconditional(node.comparators[0])
    elif isinstance(
        node, ast.GeneratorExp | ast.ListComp | ast.SetComp | ast.DictComp | ast.Lambda
    ):
        return
    else:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                yield from _unconditional(child)


def _candidates(function_def: ast.FunctionDef) -> set[str]:
    """Names bound once, at the top level, to a range call, and used only as allowed."""
    stores: dict[str, int] = {}
    for node in ast.walk(function_def):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            stores[node.id] = stores.get(node.id, 0) + 1
    params = function_def.args
    for arg in params.posonlyargs + params.args + params.kwonlyargs:
        stores[arg.arg] = stores.get(arg.arg, 0) + 2
    # The names len(range(...)) got: used once, by the next statement.
    found = {
        n.id
        for n in ast.walk(function_def)
        if isinstance(n, ast.Name) and n.id.startswith("$range") and stores.get(n.id) == 1
    }
    for index, stmt in enumerate(function_def.body):
        if not (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and _is_range_call(stmt.value)
            and stores.get(stmt.targets[0].id) == 1
        ):
            continue
        name = stmt.targets[0].id
        before = function_def.body[:index]
        after = function_def.body[index + 1 :]
        if _reads(before, name) or _reads([ast.Expr(stmt.value)], name):
            continue
        if _uses_allowed(after, name):
            found.add(name)
    return found


def _reads(stmts: list[ast.stmt], name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for s in stmts for n in ast.walk(s))


def _uses_allowed(stmts: list[ast.stmt], name: str) -> bool:
    allowed: set[int] = set()
    for stmt in stmts:
        for node in ast.walk(stmt):
            if isinstance(node, ast.For):
                for item in _iterated(node.iter):
                    if isinstance(item, ast.Name) and item.id == name:
                        allowed.add(id(item))
            if isinstance(node, ast.Call) and _is_len_of(node, name):
                allowed.add(id(node.args[0]))
        for field in _HEADER_FIELDS.get(type(stmt), ()):
            value = getattr(stmt, field, None)
            if isinstance(value, ast.expr):
                for node in _unconditional(value):
                    if _is_index_of(node, name):
                        allowed.add(id(node.value))  # type: ignore[attr-defined]
        for inner in _nested_blocks(stmt):
            if not _uses_allowed_in(inner, name, allowed):
                return False
    return all(
        id(n) in allowed
        for s in stmts
        for n in ast.walk(s)
        if isinstance(n, ast.Name) and n.id == name
    )


def _uses_allowed_in(stmts: list[ast.stmt], name: str, allowed: set[int]) -> bool:
    for stmt in stmts:
        for field in _HEADER_FIELDS.get(type(stmt), ()):
            value = getattr(stmt, field, None)
            if isinstance(value, ast.expr):
                for node in _unconditional(value):
                    if _is_index_of(node, name):
                        allowed.add(id(node.value))  # type: ignore[attr-defined]
        for inner in _nested_blocks(stmt):
            _uses_allowed_in(inner, name, allowed)
    return True


def _nested_blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    blocks = []
    for field in ("body", "orelse", "finalbody"):
        inner = getattr(stmt, field, None)
        if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
            blocks.append(inner)
    blocks.extend(h.body for h in getattr(stmt, "handlers", ()))
    return blocks


def _iterated(iterable: ast.expr) -> list[ast.expr]:
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Name)
        and iterable.func.id in ("enumerate", "zip")
    ):
        return list(iterable.args[:1] if iterable.func.id == "enumerate" else iterable.args)
    return [iterable]


def _is_len_of(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "len"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == name
    )


def _is_index_of(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == name
        and isinstance(node.ctx, ast.Load)
        and not isinstance(node.slice, ast.Slice | ast.Tuple)
    )


class _Rewriter(_rewriting.StatementRewriter):
    def __init__(self, names: set[str]):
        self.names = names
        self.counter = 0
        self.parts: dict[str, tuple[str, str, str, str]] = {}

    def statement(self, stmt: ast.stmt) -> list[ast.stmt]:
        if (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id in self.names
            and stmt.targets[0].id not in self.parts
        ):
            return self.bind(stmt.targets[0].id, stmt)
        self.nested_blocks(stmt)
        prelude: list[ast.stmt] = []
        for field in _HEADER_FIELDS.get(type(stmt), ()):
            value = getattr(stmt, field, None)
            if isinstance(value, ast.expr):
                setattr(stmt, field, self.expression(value, prelude, stmt))
        if isinstance(stmt, ast.For):
            stmt.iter = self.iterable(stmt.iter)
        return [*[_located(p, stmt) for p in prelude], stmt]

    def bind(self, name: str, stmt: ast.Assign) -> list[ast.stmt]:
        self.counter += 1
        suffix = f"${name}{self.counter}"
        prelude: list[ast.stmt] = []
        _, length = _generator_inlining._sequence(stmt.value, suffix, prelude)
        clamp = ast.IfExp(
            ast.Compare(_load(length), [ast.Gt()], [ast.Constant(0)]),
            _load(length),
            ast.Constant(0),
        )
        prelude.append(ast.Assign([_store(length)], clamp))
        self.parts[name] = (f"$start{suffix}", f"$stop_at{suffix}", f"$step{suffix}", length)
        return [_located(p, stmt) for p in prelude]

    def iterable(self, iterable: ast.expr) -> ast.expr:
        def forward(item: ast.expr) -> ast.expr:
            if isinstance(item, ast.Name) and item.id in self.parts:
                start, stop, step, _ = self.parts[item.id]
                bounds = [_load(start), _load(stop), _load(step)]
                call = ast.Call(_load("$builtin_range"), bounds, [])
                return _located(call, item)  # type: ignore[return-value]
            return item

        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Name)
            and iterable.func.id in ("enumerate", "zip")
        ):
            count = 1 if iterable.func.id == "enumerate" else len(iterable.args)
            iterable.args = [forward(a) if i < count else a for i, a in enumerate(iterable.args)]
            return iterable
        return forward(iterable)

    def expression(self, node: ast.expr, prelude: list[ast.stmt], stmt: ast.stmt) -> ast.expr:
        rewriter = self

        class Replace(ast.NodeTransformer):
            def visit_Call(self, call: ast.Call) -> ast.AST:
                self.generic_visit(call)
                if (
                    isinstance(call.func, ast.Name)
                    and call.func.id == "len"
                    and len(call.args) == 1
                    and isinstance(call.args[0], ast.Name)
                    and call.args[0].id in rewriter.parts
                ):
                    return ast.copy_location(_load(rewriter.parts[call.args[0].id][3]), call)
                return call

            def visit_Subscript(self, sub: ast.Subscript) -> ast.AST:
                self.generic_visit(sub)
                if isinstance(sub.value, ast.Name) and sub.value.id in rewriter.parts:
                    return rewriter.index(sub, prelude)
                return sub

        return Replace().visit(node)

    def index(self, sub: ast.Subscript, prelude: list[ast.stmt]) -> ast.expr:
        start, _, step, length = self.parts[sub.value.id]  # type: ignore[attr-defined]
        self.counter += 1
        position = f"$index{self.counter}"
        prelude.append(ast.Assign([_store(position)], sub.slice))
        prelude.append(
            ast.If(
                ast.Compare(_load(position), [ast.Lt()], [ast.Constant(0)]),
                [
                    ast.Assign(
                        [_store(position)], ast.BinOp(_load(position), ast.Add(), _load(length))
                    )
                ],
                [],
            )
        )
        outside = ast.BoolOp(
            ast.Or(),
            [
                ast.Compare(_load(position), [ast.Lt()], [ast.Constant(0)]),
                ast.Compare(_load(position), [ast.GtE()], [_load(length)]),
            ],
        )
        message = ast.Constant("range object index out of range")
        error = ast.Call(_load("$builtin_IndexError"), [message], [])
        prelude.append(ast.If(outside, [ast.Raise(error, None)], []))
        value = ast.BinOp(
            _load(start), ast.Add(), ast.BinOp(_load(position), ast.Mult(), _load(step))
        )
        return _located(value, sub)  # type: ignore[return-value]


_load = _rewriting.load
_store = _rewriting.store
_located = _rewriting.located
