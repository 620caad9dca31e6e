// The compile driver (without cache=True) and the registry of compiled specializations.
#include "jit/compiler.h"

#include "codegen/lower.h"
#include "jit/registry.h"
#include "jit/session.h"

#include <memory>

namespace nogil::jit {

Registry &registry() {
  static auto *instance = new Registry();
  return *instance;
}

AllocationFacts allocationFacts(const llvm::Module &module) {
  AllocationFacts facts;
  for (const llvm::Function &function : module) {
    if (!function.isDeclaration())
      continue;
    llvm::StringRef name = function.getName();
    if (name == "nogil_rt_array_new")
      facts.allocatesHere = true;
    else if (codegen::isSpecializationSymbol(name))
      facts.calledSpecs.push_back(name.str());
  }
  return facts;
}

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

namespace {

/// Types `unit` for `args` once nothing it would compile is pending elsewhere, and reserves
/// what it will compile. Returns with `lock` held; `existing` set if another thread
/// published the specialization meanwhile.
sema::Program typeAndReserve(Registry &r, std::unique_lock<std::mutex> &lock,
                             const sema::FunctionUnit &unit,
                             const std::vector<const sema::Type *> &args,
                             const CompiledSpec *&existing) {
  for (;;) {
    if ((existing = r.lookup(unit, args)))
      return {};
    if (r.pending.count(SpecKey(unit.id, args))) {
      r.published.wait(lock);
      continue;
    }
    sema::Program program = sema::typeProgram(unit, args, r);
    if (!program.ok())
      return program;
    bool busy = false;
    for (const auto &typed : program.functions)
      busy = busy || r.pending.count(SpecKey(typed->unit->id, typed->args)) > 0;
    if (busy) { // a callee is being compiled: wait for it, then type again against it
      r.published.wait(lock);
      continue;
    }
    for (const auto &typed : program.functions)
      r.pending.emplace(typed->unit->id, typed->args);
    return program;
  }
}

/// Lowers, optimises and adds `program` to the JIT, and looks up every entry; no lock held.
std::vector<std::unique_ptr<CompiledSpec>>
emit(const sema::Program &program, AllocationFacts &facts, std::string &internalError) {
  std::vector<std::unique_ptr<CompiledSpec>> created;
  auto session = Session::get();
  if (!session) {
    internalError = llvm::toString(session.takeError());
    return {};
  }
  auto context = std::make_unique<llvm::LLVMContext>(); // this compile's own
  auto module = codegen::lowerProgram(program, *context, program.functions[0]->symbol);
  if (!module) {
    internalError = "code generation produced invalid IR for " + program.functions[0]->symbol;
    return {};
  }
  facts = allocationFacts(*module);
  if (llvm::Error error =
          session->addModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))) {
    internalError = llvm::toString(std::move(error));
    return {};
  }
  // Look every entry up before publishing any, so a failure leaves the registry unchanged.
  for (const auto &typed : program.functions) {
    auto address = session->lookup(codegen::entrySymbol(typed->symbol));
    if (!address) {
      internalError = llvm::toString(address.takeError());
      return {};
    }
    created.push_back(std::make_unique<CompiledSpec>(
        CompiledSpec{typed->unit->id, typed->args, typed->returnType, typed->symbol,
                     reinterpret_cast<EntryFunction>(*address)}));
  }
  return created;
}

} // namespace

CompileResult compile(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args) {
  Registry &r = registry();
  CompileResult result;
  std::unique_lock lock(r.mutex);
  const CompiledSpec *existing = nullptr;
  sema::Program program = typeAndReserve(r, lock, unit, args, existing);
  if (existing) {
    result.spec = existing;
    return result;
  }
  if (!program.ok()) {
    result.diagnostics = std::move(program.diagnostics);
    return result;
  }
  lock.unlock();
  std::vector<std::unique_ptr<CompiledSpec>> created;
  AllocationFacts facts;
  {
    Stopwatch timing(compileNanoseconds());
    created = emit(program, facts, result.internalError);
  }
  lock.lock();
  for (const auto &typed : program.functions)
    r.pending.erase(SpecKey(typed->unit->id, typed->args));
  bool allocates = facts.mayAllocate(r);
  for (auto &spec : created) {
    spec->allocates = allocates;
    result.created.push_back(r.publish(std::move(spec)));
  }
  r.published.notify_all();
  if (!result.created.empty())
    result.spec = result.created.front();
  return result;
}

} // namespace nogil::jit
