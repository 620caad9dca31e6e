// The prange loops of a parallel=True function: which locals each body shares with the
// function, keeps private to an iteration, or reduces; and what would race.
#pragma once

#include "ast/diagnostics.h"
#include "sema/program.h"

#include <vector>

namespace nogil::sema {

/// Whether `loop` iterates over nogil.prange(...) (a parallel loop in a parallel function).
bool isParallelRangeLoop(const FunctionUnit &unit, const TypedFunction &typed,
                         const ast::ForStmt *loop);

/// Fills typed.parallelLoops for every prange loop of a parallel function; reports (when
/// `diagnostics` is non-null) values carried between iterations other than reductions,
/// iteration-private values read after the loop, and break/return/else in the loop.
void analyseParallelLoops(const FunctionUnit &unit, TypedFunction &typed,
                          std::vector<ast::Diagnostic> *diagnostics);

} // namespace nogil::sema
