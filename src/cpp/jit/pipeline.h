// The optimisation pipeline: LLVM's O3 for the host CPU, loop and SLP vectorizers on.
#pragma once

#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

namespace nogil::jit {

/// Runs O3 on `module`, with target information from `machine` so the vectorizers see the
/// host's vector width. Builds its own analysis managers: safe to call from several threads
/// on different modules.
void optimizeModule(llvm::Module &module, llvm::TargetMachine &machine);

} // namespace nogil::jit
