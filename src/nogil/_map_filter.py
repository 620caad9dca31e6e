"""``map(f, it...)`` and ``filter(f, it)`` (``filter(None, it)`` too), rewritten when the
function is loaded into what they stand for, so that no iterator object exists in compiled
code:

- the argument of ``sum``/``min``/``max``/``any``/``all``: a generator expression
  (``sum(map(f, a, b))`` -> ``sum(f(x, y) for x, y in zip(a, b))``), which the iterable
  reductions then turn into a loop;
- the iterable of a ``for`` loop, directly or as the first argument of ``enumerate`` or
  ``zip``: the loop runs over the arguments (zipped when several), the item is computed
  (or tested) at the top of the body.

A map of a map or of a filter composes (``map(g, filter(f, a))`` -> ``(g(x) for x in a if
f(x))``). The names the rewrite adds start with ``$``, which no Python name contains.
"""

import ast
import builtins
import copy
from types import FunctionType

from nogil import _rewriting

_REDUCERS = ("sum", "min", "max", "any", "all")


class _Generator:
    """What an iterator stands for: the item (an expression of the targets), the loop's
    targets and iterable, and the conditions an item must pass."""

    def __init__(self, element: ast.expr, target: ast.expr, iterable: ast.expr, tests: list):
        self.element = element
        self.target = target
        self.iterable = iterable
        self.tests = tests


def rewrite(function_def: ast.FunctionDef, py_func: FunctionType) -> ast.FunctionDef:
    if not any(
        isinstance(node, ast.Name) and node.id in ("map", "filter")
        for node in ast.walk(function_def)
    ):
        return function_def
    names = _builtin_names(function_def, py_func)
    if not {"map", "filter"} & names:
        return function_def
    function_def = copy.deepcopy(function_def)
    rewriter = _Rewriter(names)
    function_def.body = rewriter.block(function_def.body)
    return function_def


def _builtin_names(function_def: ast.FunctionDef, py_func: FunctionType) -> set[str]:
    """The builtin names the rewrite uses that are Python's builtins in the function (not
    shadowed by a local, a closure cell or a global)."""
    wanted = {"map", "filter", "zip", "enumerate", *_REDUCERS}
    local = {a.arg for a in function_def.args.posonlyargs + function_def.args.args}
    for node in ast.walk(function_def):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            local.add(node.id)
    cells = dict(zip(py_func.__code__.co_freevars, py_func.__closure__ or (), strict=True))
    found = set()
    for name in wanted - local:
        if name in cells:
            try:
                value = cells[name].cell_contents
            except ValueError:
                continue
        else:
            value = py_func.__globals__.get(name, getattr(builtins, name))
        if value is getattr(builtins, name):
            found.add(name)
    return found


class _Rewriter(_rewriting.StatementRewriter, ast.NodeTransformer):
    def __init__(self, names: set[str]):
        self.names = names
        self.counter = 0

    def fresh(self) -> str:
        self.counter += 1
        return f"$item{self.counter}"

    def is_call(self, node: ast.AST, name: str) -> bool:
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == name
            and name in self.names
            and not node.keywords
            and not any(isinstance(a, ast.Starred) for a in node.args)
        )

    def generator(self, node: ast.expr) -> _Generator | None:
        """``node`` as a generator when it is a map or filter call (of any nesting)."""
        if self.is_call(node, "map") and len(node.args) >= 2:
            function, *iterables = node.args
            if len(iterables) == 1 and (inner := self.generator(iterables[0])):
                inner.element = _located(ast.Call(function, [inner.element], []), node)
                return inner
            names = [self.fresh() for _ in iterables]
            if len(iterables) == 1:
                target: ast.expr = _rewriting.store(names[0])
                iterable = iterables[0]
            else:
                target = ast.Tuple([_rewriting.store(n) for n in names], ast.Store())
                iterable = ast.Call(_rewriting.load("$builtin_zip"), list(iterables), [])
            element = ast.Call(function, [_rewriting.load(n) for n in names], [])
            return _Generator(
                _located(element, node), _located(target, node), _located(iterable, node), []
            )
        if self.is_call(node, "filter") and len(node.args) == 2:
            function, iterable = node.args
            inner = self.generator(iterable)
            if inner is None:
                name = self.fresh()
                inner = _Generator(
                    _located(_rewriting.load(name), node),
                    _located(_rewriting.store(name), node),
                    iterable,
                    [],
                )
            elif inner.element is not None and not isinstance(inner.element, ast.Name):
                # filter of a map: the item is computed once, bound to a name
                name = self.fresh()
                inner.tests.append(("bind", name, inner.element))
                inner.element = _located(_rewriting.load(name), node)
            test = (
                copy.deepcopy(inner.element)
                if isinstance(function, ast.Constant) and function.value is None
                else ast.Call(function, [copy.deepcopy(inner.element)], [])
            )
            inner.tests.append(("test", _located(test, node)))
            return inner
        return None

    def rewrite(self, stmt: ast.stmt) -> list[ast.stmt]:
        if isinstance(stmt, ast.For):
            loop = self.loop(stmt)
            if loop is not None:
                return [loop]
        _rewriting.visit_header(self, stmt)
        return [stmt]

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in _REDUCERS
            and node.func.id in self.names
            and node.args
        ):
            generator = self.generator(node.args[0])
            if generator is not None and not any(t[0] == "bind" for t in generator.tests):
                ifs = [test for _, test in generator.tests]
                comprehension = ast.comprehension(generator.target, generator.iterable, ifs, 0)
                node.args[0] = _located(
                    ast.GeneratorExp(generator.element, [comprehension]), node.args[0]
                )
        return node

    def loop(self, loop: ast.For) -> ast.For | None:
        """``for`` over a map or filter (or enumerate/zip of one, first): the loop over what
        it maps or filters."""
        iterable = loop.iter
        wrapper = None
        if (self.is_call(iterable, "enumerate") or self.is_call(iterable, "zip")) and iterable.args:
            wrapper = iterable
            iterable = iterable.args[0]
        generator = self.generator(iterable)
        if generator is None:
            return None
        prologue: list[ast.stmt] = []
        for test in generator.tests:
            if test[0] == "bind":
                prologue.append(_located(ast.Assign([_rewriting.store(test[1])], test[2]), loop))
            else:
                skip = ast.If(ast.UnaryOp(ast.Not(), test[1]), [ast.Continue()], [])
                prologue.append(_located(skip, loop))
        if wrapper is None:
            item_target = loop.target
            new_target, new_iter = generator.target, generator.iterable
        elif wrapper.func.id == "zip":
            if generator.tests:
                return None  # a filter's items do not pair with the other arguments by index
            if not isinstance(loop.target, ast.Tuple) or len(loop.target.elts) != len(wrapper.args):
                return None
            item_target = loop.target.elts[0]
            new_target = ast.Tuple([generator.target, *loop.target.elts[1:]], ast.Store())
            new_iter = ast.Call(wrapper.func, [generator.iterable, *wrapper.args[1:]], [])
        else:  # enumerate
            if not isinstance(loop.target, ast.Tuple) or len(loop.target.elts) != 2:
                return None
            if generator.tests:
                # the count runs over the items that pass: a counter of its own
                counter = self.fresh()
                start = wrapper.args[1] if len(wrapper.args) > 1 else ast.Constant(0)
                count = [
                    ast.Assign([loop.target.elts[0]], _rewriting.load(counter)),
                    ast.AugAssign(_rewriting.store(counter), ast.Add(), ast.Constant(1)),
                ]
                body = prologue + [_located(s, loop) for s in count]
                body += [_located(ast.Assign([loop.target.elts[1]], generator.element), loop)]
                new_loop = ast.For(generator.target, generator.iterable, body + loop.body, [])
                new_loop.orelse = loop.orelse
                init = _located(ast.Assign([_rewriting.store(counter)], start), loop)
                wrapped = ast.If(ast.Constant(True), [init, _located(new_loop, loop)], [])
                return self.finish(_located(wrapped, loop))
            item_target = loop.target.elts[1]
            new_target = ast.Tuple([loop.target.elts[0], generator.target], ast.Store())
            new_iter = ast.Call(wrapper.func, [generator.iterable, *wrapper.args[1:]], [])
        assign = _located(ast.Assign([item_target], generator.element), loop)
        loop.target = _located(new_target, loop)
        loop.iter = _located(new_iter, loop)
        loop.body = [*prologue, assign, *loop.body]
        return self.finish(loop)

    def finish(self, stmt: ast.stmt) -> ast.stmt:
        self.visit(stmt)
        return stmt


def _located(node: ast.AST, where: ast.AST) -> ast.AST:
    return _rewriting.located(node, where)
