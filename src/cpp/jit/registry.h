// The registry of compiled specializations, shared by the compile paths (compiler.cpp,
// cached_compiler.cpp). Private to jit/.
#pragma once

#include "jit/compiler.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <llvm/IR/Module.h>

namespace nogil::jit {

using SpecKey = std::pair<uint64_t, std::vector<const sema::Type *>>;

/// Every specialization compiled in the process, keyed by unit id (never reused, unlike
/// addresses) and argument types. `mutex` guards `specs` and `pending` and is held only to
/// look up, type and publish: LLVM's work runs outside it, so different functions compile
/// at once. A specialization being compiled is `pending`: a thread that needs one waits for
/// `published` instead of compiling it again (and emitting its symbol twice).
struct Registry : sema::ExistingSpecs {
  std::mutex mutex;
  std::condition_variable published;
  std::map<SpecKey, std::unique_ptr<CompiledSpec>> specs;
  std::set<SpecKey> pending;
  /// Every published specialization by symbol, for what a new one's calls reach.
  std::unordered_map<std::string, const CompiledSpec *> bySymbol;

  /// Publishes `spec` (the lock held).
  const CompiledSpec *publish(std::unique_ptr<CompiledSpec> spec) {
    const CompiledSpec *published = spec.get();
    bySymbol.emplace(spec->symbol, published);
    specs.emplace(SpecKey(spec->unitId, spec->args), std::move(spec));
    return published;
  }

  const CompiledSpec *lookup(const sema::FunctionUnit &unit,
                             const std::vector<const sema::Type *> &args) const {
    auto found = specs.find(SpecKey(unit.id, args));
    return found == specs.end() ? nullptr : found->second.get();
  }

  std::optional<sema::CompiledSignature>
  find(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args) const override {
    if (const CompiledSpec *spec = lookup(unit, args))
      return sema::CompiledSignature{spec->symbol, spec->returnType};
    return std::nullopt;
  }
};

/// The process's registry (never destroyed: compiled code outlives statics).
Registry &registry();

/// What a module's code may allocate: it declares the runtime's allocator itself, or calls
/// specializations compiled earlier (whose own facts then decide).
struct AllocationFacts {
  bool allocatesHere = false;
  std::vector<std::string> calledSpecs;

  /// Whether code calling into this module may allocate (the registry's lock held).
  bool mayAllocate(const Registry &r) const {
    if (allocatesHere)
      return true;
    for (const std::string &symbol : calledSpecs) {
      auto found = r.bySymbol.find(symbol);
      if (found == r.bySymbol.end() || found->second->allocates)
        return true;
    }
    return false;
  }
};
AllocationFacts allocationFacts(const llvm::Module &module);

/// Time spent compiling, every path (CacheStats::compileSeconds); relaxed atomic.
std::atomic<uint64_t> &compileNanoseconds();

/// Adds the time from construction to destruction to a nanosecond counter.
class Stopwatch {
public:
  explicit Stopwatch(std::atomic<uint64_t> &total) : total_(total) {}
  Stopwatch(const Stopwatch &) = delete;
  Stopwatch &operator=(const Stopwatch &) = delete;
  ~Stopwatch() {
    auto elapsed = std::chrono::steady_clock::now() - start_;
    total_.fetch_add(static_cast<uint64_t>(
                         std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()),
                     std::memory_order_relaxed);
  }

private:
  std::atomic<uint64_t> &total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

} // namespace nogil::jit
