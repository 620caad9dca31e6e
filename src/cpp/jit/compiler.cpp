// The compile driver and the registry of compiled specializations.
#include "jit/compiler.h"

#include "codegen/lower.h"
#include "jit/session.h"

#include <map>
#include <memory>
#include <mutex>

namespace nogil::jit {

namespace {

using SpecKey = std::pair<uint64_t, std::vector<const sema::Type *>>;

/// Every specialization compiled in the process, keyed by unit id (never reused, unlike
/// addresses) and argument types. `mutex` guards `specs` and serialises compiles, so two
/// threads that miss on the same specialization compile it once.
struct Registry : sema::ExistingSpecs {
  std::recursive_mutex mutex;
  std::map<SpecKey, std::unique_ptr<CompiledSpec>> specs;

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

Registry &registry() {
  static auto *instance = new Registry(); // never destroyed: compiled code outlives statics
  return *instance;
}

} // namespace

const CompiledSpec *findCompiled(const sema::FunctionUnit &unit,
                                 const std::vector<const sema::Type *> &args) {
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  return r.lookup(unit, args);
}

sema::Program typeOnly(const sema::FunctionUnit &unit,
                       const std::vector<const sema::Type *> &args) {
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  return sema::typeProgram(unit, args, r);
}

CompileResult compile(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args) {
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  CompileResult result;
  if (const CompiledSpec *existing = r.lookup(unit, args)) {
    result.spec = existing;
    return result;
  }

  sema::Program program = sema::typeProgram(unit, args, r);
  if (!program.ok()) {
    result.diagnostics = std::move(program.diagnostics);
    return result;
  }

  auto session = Session::get();
  if (!session) {
    result.internalError = llvm::toString(session.takeError());
    return result;
  }
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = codegen::lowerProgram(program, *context, program.functions[0]->symbol);
  if (!module) {
    result.internalError =
        "code generation produced invalid IR for " + program.functions[0]->symbol;
    return result;
  }
  if (llvm::Error error =
          session->addModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))) {
    result.internalError = llvm::toString(std::move(error));
    return result;
  }

  // Look every entry up before publishing any, so a failure leaves the registry unchanged.
  std::vector<std::unique_ptr<CompiledSpec>> created;
  for (const auto &typed : program.functions) {
    auto address = session->lookup(codegen::entrySymbol(typed->symbol));
    if (!address) {
      result.internalError = llvm::toString(address.takeError());
      return result;
    }
    created.push_back(std::make_unique<CompiledSpec>(
        CompiledSpec{typed->unit->id, typed->args, typed->returnType, typed->symbol,
                     reinterpret_cast<EntryFunction>(*address)}));
  }
  for (auto &spec : created) {
    result.created.push_back(spec.get());
    SpecKey key(spec->unitId, spec->args);
    r.specs.emplace(std::move(key), std::move(spec));
  }
  result.spec = result.created.front();
  return result;
}

} // namespace nogil::jit
