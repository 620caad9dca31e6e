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
  /// Whether a call may allocate arrays (its code, or code it calls, reaches the runtime's
  /// allocator): if not, the dispatcher skips marking and releasing the call's allocations.
  bool allocates = true;
};

/// What the on-disk cache did for a compile (compileCached).
enum class CacheOutcome : uint8_t { NotCached, Hit, Miss };

struct CompileResult {
  /// The requested specialization, or null when typing or the JIT failed.
  const CompiledSpec *spec = nullptr;
  /// Every specialization this compile created, the requested one first.
  std::vector<const CompiledSpec *> created;
  std::vector<ast::Diagnostic> diagnostics;
  /// A failure inside LLVM (not the user's code), for an internal error message.
  std::string internalError;
  CacheOutcome cache = CacheOutcome::NotCached;
};

/// Compiles `unit` for `args`, with every specialization it calls that is not compiled yet,
/// into one module. Reuses a specialization compiled earlier. Thread-safe.
CompileResult compile(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args);

/// compile() for `cache=True`: the specialization is loaded from `directory` when an entry
/// with its key (jit/cache_key.h) is there, else compiled, stored there (atomically) and
/// loaded. The object is self-contained: callees are compiled into it rather than called
/// in this process, so it loads in any process. An empty `directory` compiles the same way
/// without storing. Thread-safe; many processes may share a directory.
CompileResult compileCached(const sema::FunctionUnit &unit,
                            const std::vector<const sema::Type *> &args,
                            const std::string &directory);

/// The directory cache=True functions defined in `sourceFile` use: NOGIL_CACHE_DIR when set,
/// else `__pycache__` beside the file; empty when the source is not a file.
std::string cacheDirectory(const std::string &sourceFile);

/// Process-wide counts (nogil.cache_info()).
struct CacheStats {
  uint64_t hits = 0;         ///< specializations loaded from disk
  uint64_t misses = 0;       ///< compiled because no valid entry was there
  uint64_t rejected = 0;     ///< entries ignored as corrupt, truncated or for another key
  uint64_t writes = 0;       ///< entries stored
  uint64_t writeErrors = 0;  ///< entries that could not be stored (the compile still ran)
  double compileSeconds = 0; ///< spent compiling (typing to loaded code), all paths
  double loadSeconds = 0;    ///< spent reading and linking cached entries
};
CacheStats cacheStats();

/// Types `unit` for `args` against the specializations compiled so far, without compiling:
/// what check() and the inspectors start from. Thread-safe.
sema::Program typeOnly(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args);

/// The specialization compiled earlier for `unit` and `args` (as a root or a callee), or null.
const CompiledSpec *findCompiled(const sema::FunctionUnit &unit,
                                 const std::vector<const sema::Type *> &args);

} // namespace nogil::jit
