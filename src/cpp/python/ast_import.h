// Import of CPython `ast` objects into the C++ AST (called with the GIL; microseconds).
#pragma once

#include "ast/ast.h"

#include <nanobind/nanobind.h>

#include <memory>

namespace nogil::python {

/// Imports an `ast.FunctionDef` whose positions are file lines and UTF-8 byte columns of
/// `source`. Never fails on unsupported Python: such nodes become Unsupported nodes, which
/// the typer reports with their spans.
std::unique_ptr<ast::FunctionAst> importFunction(nanobind::handle functionDef,
                                                 const ast::SourceFile &source);

} // namespace nogil::python
