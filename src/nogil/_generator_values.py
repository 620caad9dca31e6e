"""A compiled generator kept as a value in compiled code (``g = gen(n)``, then ``next(g)``,
``next(g, default)``, ``for y in g``), rewritten when the consumer is loaded: the
generator's frame becomes locals of the consumer (renamed with a suffix of their own), and
each ``next`` runs the generator's step inline, the state machine of _generator_frames:

    g = gen(n)          ->   n$v1 = n; $state$v1 = 0
    x = next(g)         ->   <step>; if $state$v1 < 0: raise StopIteration
                             x = $yielded$v1
    for y in g: BODY    ->   $more$v1 = True
                             while $more$v1:
                                 <step>
                                 if $state$v1 < 0: $more$v1 = False
                                 else: y = $yielded$v1; BODY

A name qualifies when it is assigned only by calls of one compiled generator and read only
by ``next(g)``/``next(g, d)`` (as a whole statement, or the whole value of an assignment,
an augmented assignment or a return), ``for ... in g`` and ``for ... in iter(g)``; any other
use is left alone (and refused as before). ``it = iter(x)`` of a range, an array or a
homogeneous tuple is such a value too: a position (and the range's stop and step, or the
iterable itself) kept in locals."""

import ast
import copy
from types import FunctionType
from typing import Any

from nogil import (
    _generator_frames,
    _generator_inlining,
    _iterable_reductions,
    _rewriting,
    _source,
    _type_info,
)
from nogil._rewriting import load, located, store


def rewrite(
    function_def: ast.FunctionDef,
    py_func: FunctionType,
    optimize: int,
    free_values: _generator_inlining.FreeValues,
) -> tuple[ast.FunctionDef, dict[str, Any]]:
    """The tree with each generator value's uses rewritten, and the free names they bring."""
    inliner = _generator_inlining._Inliner(py_func, optimize, free_values, depth=0)
    inliner.locals = _generator_inlining._local_names(function_def)
    values = _generator_values(function_def, py_func, inliner.locals)
    if not values:
        return function_def, {}
    function_def = copy.deepcopy(function_def)
    rewriter = _ValueRewriter(inliner, values, function_def)
    function_def.body = rewriter.block(function_def.body)
    return function_def, inliner.values


def _generator_values(
    function_def: ast.FunctionDef, py_func: FunctionType, local_names: set[str]
) -> dict[str, str]:
    """Local name -> what it holds: the generator function's name, or ``ITERATOR`` (an
    iterator over a range, an array or a tuple), for the names that qualify."""
    assigned: dict[str, set[str]] = {}
    for node in ast.walk(function_def):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                kind = _value_kind(node.value, py_func, local_names)
                assigned.setdefault(target.id, set()).add(kind or "")
    candidates = {
        name: next(iter(kinds))
        for name, kinds in assigned.items()
        if len(kinds) == 1 and "" not in kinds
    }
    allowed: set[int] = set()  # the Name nodes each candidate may be read as
    for node in ast.walk(function_def):
        if isinstance(node, ast.Call) and _is_next(node):
            allowed.add(id(node.args[0]))
        elif isinstance(node, ast.For):
            allowed.add(id(_for_value(node.iter)))
    for node in ast.walk(function_def):
        if (
            isinstance(node, ast.Name)
            and node.id in candidates
            and not _used_plainly(function_def, node, allowed)
        ):
            candidates.pop(node.id, None)
    for node in ast.walk(function_def):  # next(g) only where a statement can hold the step
        if (
            isinstance(node, ast.Call)
            and _is_next(node)
            and node.args[0].id in candidates
            and not _next_as_statement(function_def, node)
        ):
            candidates.pop(node.args[0].id, None)
    return candidates


ITERATOR = "$iterator"


def _iter_argument(value: ast.expr) -> ast.expr | None:
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "iter"
        and len(value.args) == 1
        and not value.keywords
        and not isinstance(value.args[0], ast.Starred)
    ):
        return value.args[0]
    return None


def _value_kind(value: ast.expr, py_func: FunctionType, local_names: set[str]) -> str | None:
    """The generator's name for ``gen(...)`` and ``iter(gen(...))``, ITERATOR for
    ``iter(x)`` of anything else, None otherwise."""
    inner = _iter_argument(value)
    if inner is None:
        return _generator_callee(value, py_func, local_names)
    if "iter" in local_names:
        return None
    return _generator_callee(inner, py_func, local_names) or ITERATOR


def _generator_callee(value: ast.expr, py_func: FunctionType, local_names: set[str]) -> str | None:
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
        return None
    name = value.func.id
    if name in local_names:
        return None
    found = _generator_inlining._resolve(py_func, name)
    return name if _generator_inlining._is_generator_dispatcher(found) else None


def _is_next(node: ast.Call) -> bool:
    return (
        isinstance(node.func, ast.Name)
        and node.func.id == "next"
        and 1 <= len(node.args) <= 2
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
    )


def _for_value(iterable: ast.expr) -> ast.expr:
    """``g`` of ``for ... in g`` and of ``for ... in iter(g)``."""
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Name)
        and iterable.func.id == "iter"
        and len(iterable.args) == 1
        and not iterable.keywords
    ):
        return iterable.args[0]
    return iterable


def _parents(function_def: ast.FunctionDef) -> dict[int, ast.AST]:
    parents = {}
    for node in ast.walk(function_def):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    return parents


def _used_plainly(function_def: ast.FunctionDef, name: ast.Name, allowed: set[int]) -> bool:
    """Read where the rewrite handles it, or assigned by a whole `g = ...` statement."""
    if isinstance(name.ctx, ast.Load):
        return id(name) in allowed
    parent = _parents(function_def).get(id(name))
    return isinstance(parent, ast.Assign) and parent.targets == [name]


_NEXT_STATEMENTS = (ast.Expr, ast.Assign, ast.AugAssign, ast.Return)


def _next_as_statement(function_def: ast.FunctionDef, call: ast.Call) -> bool:
    parent = _parents(function_def).get(id(call))
    return isinstance(parent, _NEXT_STATEMENTS) and parent.value is call


class _ValueRewriter(_rewriting.StatementRewriter):
    def __init__(self, inliner: Any, values: dict[str, str], function_def: ast.FunctionDef):
        self.inliner = inliner
        self.values = values
        self.file = inliner.py_func.__code__.co_filename
        self.counter = 0
        self.steps: dict[str, tuple[list[ast.stmt], dict[str, str]]] = {}
        self.bindings: dict[str, tuple[ast.FunctionDef, Any, dict[str, str]]] = {}
        self.iterators: dict[str, dict[str, str]] = {}
        for name, callee in values.items():
            if callee == ITERATOR:
                suffix = self.fresh()
                self.iterators[name] = {
                    part: f"${part}{suffix}" for part in ("source", "index", "stop", "step")
                }
            else:
                self.prepare(name, callee, function_def)

    def prepare(self, name: str, callee: str, where: ast.AST) -> None:
        dispatcher = _generator_inlining._resolve(self.inliner.py_func, callee)
        generator = _load_generator(self.inliner, dispatcher)
        suffix = self.fresh()
        self.inliner.values[f"$generator{suffix}"] = dispatcher
        renames = self.inliner.rename_scope(generator, dispatcher.py_func, suffix)
        try:
            step, added = _generator_frames.build_dispatch(generator)
        except _generator_frames.Unsupported as error:
            found = _source.find(dispatcher._captured_source, dispatcher.py_func)
            raise _generator_frames.refusal(
                error,
                dispatcher._captured_source.filename,
                found.text,
                found.first_line,
                dispatcher.py_func.__qualname__,
            ) from None
        for extra in added:
            renames[extra] = f"{extra}{suffix}"
        renamer = _generator_inlining._Renamer(renames)
        self.steps[name] = (renamer.rename_block(step), renames)
        self.bindings[name] = (generator, dispatcher, renames)

    def fresh(self) -> str:
        """A suffix of its own (the for-loop inlining, after this, numbers ``$g...``)."""
        self.counter += 1
        return f"$v{self.counter}"

    def step(self, name: str, where: ast.AST) -> list[ast.stmt]:
        body, _ = self.steps[name]
        return [_generator_inlining._relocated(copy.deepcopy(s), where) for s in body]

    def state(self, name: str) -> str:
        return self.steps[name][1][_generator_frames.STATE]

    def yielded(self, name: str) -> ast.Name:
        return load(self.steps[name][1][_generator_frames.YIELDED])

    def rewrite(self, stmt: ast.stmt) -> list[ast.stmt]:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            if name in self.values and isinstance(stmt.value, ast.Call):
                return self.create(name, stmt)
        value = getattr(stmt, "value", None)
        if (
            isinstance(stmt, _NEXT_STATEMENTS)
            and isinstance(value, ast.Call)
            and _is_next(value)
            and value.args[0].id in self.values
        ):
            return self.advance(stmt, value)
        if isinstance(stmt, ast.For):
            source = _for_value(stmt.iter)
            if isinstance(source, ast.Name) and source.id in self.values:
                return self.loop(stmt, source.id)
        return [stmt]

    def create(self, name: str, stmt: ast.Assign) -> list[ast.stmt]:
        value = stmt.value
        if name in self.iterators:
            return self.create_iterator(name, stmt)
        call = _iter_argument(value) or value
        generator, dispatcher, renames = self.bindings[name]
        stmt._file = self.file
        prelude = self.inliner.bind_arguments(generator, dispatcher.py_func, call, renames, stmt)
        prelude.append(ast.Assign([store(self.state(name))], ast.Constant(0)))
        return [located(s, stmt) for s in prelude]

    def create_iterator(self, name: str, stmt: ast.Assign) -> list[ast.stmt]:
        """A range keeps its position, stop and step; anything else itself and an index."""
        parts = self.iterators[name]
        source = _iter_argument(stmt.value)
        if _rewriting.is_range_call(source):
            args = source.args
            start, stop, step = (
                (ast.Constant(0), args[0], ast.Constant(1))
                if len(args) == 1
                else (args[0], args[1], args[2] if len(args) == 3 else ast.Constant(1))
            )
            zero = ast.Compare(load(parts["step"]), [ast.Eq()], [ast.Constant(0)])
            message = ast.Constant("range() arg 3 must not be zero")
            out = [
                ast.Assign([store(parts["index"])], start),
                ast.Assign([store(parts["stop"])], stop),
                ast.Assign([store(parts["step"])], step),
                ast.If(zero, [ast.Raise(ast.Call(load("ValueError"), [message], []), None)], []),
            ]
            parts["range"] = "yes"
        else:
            out = [
                ast.Assign([store(parts["source"])], source),
                ast.Assign([store(parts["index"])], ast.Constant(0)),
            ]
        return [located(s, stmt) for s in out]

    def fetch(self, name: str, where: ast.AST):
        """(statements that advance, `ended` test, the item, statements after taking it)."""
        if name not in self.iterators:
            ended = ast.Compare(load(self.state(name)), [ast.Lt()], [ast.Constant(0)])
            return self.step(name, where), ended, self.yielded(name), []
        parts = self.iterators[name]
        index = parts["index"]
        if "range" in parts:
            stop, step = load(parts["stop"]), load(parts["step"])
            more = ast.BoolOp(
                ast.Or(),
                [
                    ast.BoolOp(
                        ast.And(),
                        [
                            ast.Compare(step, [ast.Gt()], [ast.Constant(0)]),
                            ast.Compare(load(index), [ast.Lt()], [stop]),
                        ],
                    ),
                    ast.BoolOp(
                        ast.And(),
                        [
                            ast.Compare(step, [ast.Lt()], [ast.Constant(0)]),
                            ast.Compare(load(index), [ast.Gt()], [stop]),
                        ],
                    ),
                ],
            )
            item: ast.expr = load(index)
            advance = ast.AugAssign(store(index), ast.Add(), load(parts["step"]))
        else:
            source = load(parts["source"])
            length = ast.Call(load("len"), [source], [])
            more = ast.Compare(load(index), [ast.Lt()], [length])
            item = ast.Subscript(source, load(index), ast.Load())
            advance = ast.AugAssign(store(index), ast.Add(), ast.Constant(1))
        return [], ast.UnaryOp(ast.Not(), more), item, [advance]

    def advance(self, stmt: ast.stmt, call: ast.Call) -> list[ast.stmt]:
        name = call.args[0].id
        out, ended, item, after = self.fetch(name, stmt)
        taken = f"$item{self.fresh()}"
        take = [ast.Assign([store(taken)], item), *after]
        if len(call.args) == 2:
            default = [ast.Assign([store(taken)], call.args[1])]
            out.append(ast.If(ended, default, take))
        else:
            stop = ast.Raise(load("StopIteration"), None)
            out.extend([ast.If(ended, [stop], []), *take])
        if isinstance(stmt, ast.Assign):
            out.append(ast.Assign(stmt.targets, load(taken)))
        elif isinstance(stmt, ast.AugAssign):
            out.append(ast.AugAssign(stmt.target, stmt.op, load(taken)))
        elif isinstance(stmt, ast.Return):
            out.append(ast.Return(load(taken)))
        return [located(s, stmt) for s in out]

    def loop(self, stmt: ast.For, name: str) -> list[ast.stmt]:
        more = f"$more{self.fresh()}"
        prelude, ended, item, after = self.fetch(name, stmt)
        taken = [ast.Assign([stmt.target], item), *after, *stmt.body]
        body = [
            *prelude,
            ast.If(ended, [ast.Assign([store(more)], ast.Constant(False))], taken),
        ]
        out = [
            ast.Assign([store(more)], ast.Constant(True)),
            ast.While(load(more), body, stmt.orelse),
        ]
        return [located(s, stmt) for s in out]


def _load_generator(inliner: Any, dispatcher: Any) -> ast.FunctionDef:
    """The generator's tree after the front end's own rewrites (generators it consumes by
    ``for`` inlined into it)."""
    generator_func = dispatcher.py_func
    found = _source.find(dispatcher._captured_source, generator_func)
    function_def = copy.deepcopy(found.function_def)
    function_def, folded = _type_info.fold(function_def, generator_func)
    inliner.values.update(folded)
    function_def = _iterable_reductions.rewrite(function_def, generator_func)
    nested = _generator_inlining._Inliner(
        generator_func, inliner.optimize, inliner.free_values, inliner.depth + 1
    )
    if nested.generators(function_def):
        function_def.body = nested.block(function_def.body)
        inliner.values.update(nested.values)
    return function_def
