// check() and the inspectors: a specialization typed, or lowered to optimised IR or assembly,
// without adding anything to the JIT.
#pragma once

#include "sema/annotate.h"
#include "sema/program.h"

#include <string>
#include <vector>

namespace nogil::jit {

struct Inspection {
  /// Every error in the function and its new callees; when non-empty, nothing else is set.
  std::vector<ast::Diagnostic> diagnostics;
  const sema::Type *returnType = nullptr;
  std::vector<sema::LineAnnotation> annotations; ///< for typesOf
  std::string text;                              ///< for llvmOf and asmOf
  std::string internalError;                     ///< a failure inside LLVM
};

/// The types of `unit` for `args`: diagnostics, or the return type and the annotations.
Inspection typesOf(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args);
/// The optimised LLVM IR of the module a compile of `unit` for `args` would add.
Inspection llvmOf(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args);
/// That module's assembly for the host CPU.
Inspection asmOf(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args);

} // namespace nogil::jit
