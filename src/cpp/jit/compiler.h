// The compile driver: type, lower, optimise, add to the JIT, and remember every
// specialization compiled in the process so later compiles call it directly.
#pragma once

#include "runtime/call_context.h"
#include "sema/program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nogil::jit {

/// The C-ABI entry of a specialization (see codegen::lowerProgram).
using EntryFunction = int32_t (*)(void *result, const uint64_t *args, NogilCallContext *context);

/// One compiled specialization. Immutable once published; lives for the process.
struct CompiledSpec {
  uint64_t unitId = 0;
  std::vector<const sema::Type *> args;
  const sema::Type *returnType = nullptr;
  std::string symbol;
  EntryFunction entry = nullptr;
};

struct CompileResult {
  /// The requested specialization, or null when typing or the JIT failed.
  const CompiledSpec *spec = nullptr;
  /// Every specialization this compile created, the requested one first.
  std::vector<const CompiledSpec *> created;
  std::vector<ast::Diagnostic> diagnostics;
  /// A failure inside LLVM (not the user's code), for an internal error message.
  std::string internalError;
};

/// Compiles `unit` for `args`, with every specialization it calls that is not compiled yet,
/// into one module. Reuses a specialization compiled earlier. Thread-safe.
CompileResult compile(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args);

/// Types `unit` for `args` against the specializations compiled so far, without compiling:
/// what check() and the inspectors start from. Thread-safe.
sema::Program typeOnly(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args);

/// The specialization compiled earlier for `unit` and `args` (as a root or a callee), or null.
const CompiledSpec *findCompiled(const sema::FunctionUnit &unit,
                                 const std::vector<const sema::Type *> &args);

} // namespace nogil::jit
