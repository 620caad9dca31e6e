// Lowering of a typed program to one LLVM module.
#pragma once

#include "sema/program.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace nogil::codegen {

/// Lowers every function of `program` into one module (so calls between them can be
/// inlined), each with a C-ABI entry `<symbol>.entry`:
///
///   int32_t entry(void *result, const uint64_t *args)
///
/// args[i] holds argument i (an int64, the bits of a double, or 0/1 for a bool); the result
/// is written through `result`; a non-zero status means an exception is in the runtime's
/// error record. Calls to specializations compiled earlier become external declarations.
///
/// With `classSymbols`, the exception classes compiled code raises and catches are referenced
/// through symbols instead of their addresses in this process: `classSymbols[address]` names
/// an external global whose address the loader defines as the class (cached objects are
/// loaded by processes where the classes live elsewhere).
std::unique_ptr<llvm::Module>
lowerProgram(const sema::Program &program, llvm::LLVMContext &context,
             const std::string &moduleName,
             const std::unordered_map<uintptr_t, std::string> *classSymbols = nullptr);

/// The symbol of a specialization's C-ABI entry.
std::string entrySymbol(const std::string &symbol);

/// How the symbols of a cache=True object start: "nogil.cached.<key>" for its function.
inline constexpr llvm::StringLiteral kCachedSymbolPrefix = "nogil.cached.";

/// Whether a function a module declares is another specialization (sema::symbolName's
/// "qualname.id(types)", or a cached object's), rather than the runtime or libm.
bool isSpecializationSymbol(llvm::StringRef name);

} // namespace nogil::codegen
