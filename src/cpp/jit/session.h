// The process's one JIT: an ORC LLJIT for the host CPU, created on first use.
#pragma once

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nogil::jit {

class Session {
public:
  /// The process-wide session, created on the first call (thread-safe).
  /// Fails only if LLVM cannot target the host; the error text says why.
  static llvm::Expected<Session &> get();

  /// Prepares `module` for this JIT (triple, data layout, CPU attributes), optimises it at
  /// O3, and adds it. Symbols become callable through lookup().
  llvm::Error addModule(llvm::orc::ThreadSafeModule module);
  /// What addModule does before adding: target, CPU attributes, O3. For the inspectors.
  void prepareModule(llvm::Module &module);
  /// A new target machine for the host, to emit assembly with (the shared one only
  /// optimises).
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createTargetMachine();
  llvm::Expected<void *> lookup(const std::string &symbol);

  /// Prepares and optimises `module` as addModule does, and emits it as a relocatable
  /// object (for the on-disk cache) instead of adding it.
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> emitObject(llvm::Module &module);
  /// Links an object emitted by emitObject, in this process or another, after defining
  /// `absolutes` (symbol -> address) for it to refer to. Each symbol is defined once in the
  /// process's life: adding the same object twice fails.
  llvm::Error addObject(std::unique_ptr<llvm::MemoryBuffer> object,
                        const std::vector<std::pair<std::string, uintptr_t>> &absolutes);

  /// What code compiled by this build for this CPU depends on besides its source: nogil's
  /// version and build, LLVM's version, the CPU name and features.
  const std::string &buildIdentity() const { return buildIdentity_; }

  const std::string &cpuName() const { return cpuName_; }

  /// The calling thread's target machine, which optimises and emits its compiles: a
  /// TargetMachine is not safe to share between threads, and building its subtarget costs
  /// milliseconds, so each compiling thread keeps one. Null if it cannot be built.
  llvm::TargetMachine *threadMachine();

private:
  Session() = default;
  llvm::Error initialize();

  /// Set once by initialize(), read-only after: copied for each thread's machine.
  std::optional<llvm::orc::JITTargetMachineBuilder> machineBuilder_;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::string cpuName_;
  std::string cpuFeatures_;
  std::string buildIdentity_;
};

} // namespace nogil::jit
