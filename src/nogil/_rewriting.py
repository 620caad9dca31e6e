"""What the front end's source rewrites share (generator inlining, iterable reductions,
reversed loops, range values): a walk that rewrites a function's statements, nested blocks
first, and builders of names and positions for the nodes they add."""

import ast


class StatementRewriter:
    """Rewrites a block statement by statement, each into any number of statements:
    `rewrite` sees a statement after its own blocks (bodies, `else` and `finally`
    clauses, exception handlers) were rewritten."""

    def block(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in stmts:
            out.extend(self.statement(stmt))
        return out

    def statement(self, stmt: ast.stmt) -> list[ast.stmt]:
        self.nested_blocks(stmt)
        return self.rewrite(stmt)

    def nested_blocks(self, stmt: ast.stmt) -> None:
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                setattr(stmt, field, self.block(inner))
        for handler in getattr(stmt, "handlers", ()):
            handler.body = self.block(handler.body)

    def rewrite(self, stmt: ast.stmt) -> list[ast.stmt]:
        return [stmt]


_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers")


def visit_header(visitor: ast.NodeVisitor, stmt: ast.stmt) -> None:
    """``visitor`` over ``stmt`` without its nested blocks, which a `StatementRewriter` has
    already rewritten: visiting them again at each level would cost quadratic time on
    deep nesting (a chain of thousands of `elif`)."""
    blocks = {field: getattr(stmt, field) for field in _BLOCK_FIELDS if hasattr(stmt, field)}
    for field in blocks:
        setattr(stmt, field, [])
    try:
        visitor.visit(stmt)
    finally:
        for field, value in blocks.items():
            setattr(stmt, field, value)


def is_range_call(node: ast.AST) -> bool:
    """A call `range(...)` with one to three plain positional arguments."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "range"
        and 1 <= len(node.args) <= 3
        and not node.keywords
        and not any(isinstance(a, ast.Starred) for a in node.args)
    )


def load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def store(name: str) -> ast.Name:
    return ast.Name(name, ast.Store())


def located(node: ast.AST, where: ast.AST) -> ast.AST:
    """``node`` and every node under it without a position take ``where``'s."""
    for inner in ast.walk(node):
        if "lineno" in inner._attributes and getattr(inner, "lineno", None) is None:
            ast.copy_location(inner, where)
    return node
