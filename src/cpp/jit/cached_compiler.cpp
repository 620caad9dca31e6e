// cache=True: self-contained objects keyed by everything they depend on, loaded from disk
// when a valid entry is there, else compiled, stored and loaded.
#include "codegen/lower.h"
#include "jit/cache_file.h"
#include "jit/cache_key.h"
#include "jit/compiler.h"
#include "jit/registry.h"
#include "jit/session.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>

namespace nogil::jit {

namespace {

/// Process-wide counters; relaxed atomics, read together only for a report.
struct Counters {
  std::atomic<uint64_t> hits{0}, misses{0}, rejected{0}, writes{0}, writeErrors{0};
  std::atomic<uint64_t> compileNanoseconds{0}, loadNanoseconds{0};
};

Counters &counters() {
  static Counters instance;
  return instance;
}

/// A cached object linked into this process.
struct LoadedObject {
  std::string symbol;
  const sema::Type *returnType = nullptr;
  EntryFunction entry = nullptr;
  bool allocates = true;
};

/// Objects linked into this process by key. Two units can share a key (a function
/// decorated twice, a module reloaded) and an object's symbols can be defined only once,
/// so the second links nothing and reuses the first. `mutex` guards `loaded` and `pending`;
/// a key is `pending` while one thread reads or compiles it, others wait on `done`.
struct LoadedObjects {
  std::mutex mutex;
  std::condition_variable done;
  std::map<std::array<uint8_t, 32>, LoadedObject> loaded;
  std::set<std::array<uint8_t, 32>> pending;
};

LoadedObjects &loadedObjects() {
  static auto *instance = new LoadedObjects(); // never destroyed, as the registry
  return *instance;
}

/// Typing against no earlier specializations: every callee is compiled into the object.
struct NoExistingSpecs : sema::ExistingSpecs {
  std::optional<sema::CompiledSignature>
  find(const sema::FunctionUnit &, const std::vector<const sema::Type *> &) const override {
    return std::nullopt;
  }
};

std::string nativeSymbol(const CacheKey &key) {
  return codegen::kCachedSymbolPrefix.str() + key.hex;
}

/// Links `entry`'s object and looks up its function; false with `error` set on failure.
bool link(Session &session, const CacheKey &key, CacheEntry &entry, LoadedObject &linked,
          std::string &error) {
  std::vector<std::pair<std::string, uintptr_t>> classes;
  for (size_t k = 0; k < key.exceptionClasses.size(); ++k)
    classes.emplace_back(key.classSymbol(k), key.exceptionClasses[k]);
  if (llvm::Error failed = session.addObject(std::move(entry.object), classes)) {
    error = llvm::toString(std::move(failed));
    return false;
  }
  auto address = session.lookup(codegen::entrySymbol(entry.symbol));
  if (!address) {
    error = llvm::toString(address.takeError());
    return false;
  }
  linked = LoadedObject{entry.symbol, entry.returnType, reinterpret_cast<EntryFunction>(*address),
                        entry.allocates};
  return true;
}

/// Types and lowers `unit` with every callee into one module whose only external symbols are
/// the root's function and entry (named after the key), and emits its object.
bool compileObject(Session &session, const sema::FunctionUnit &unit,
                   const std::vector<const sema::Type *> &args, const CacheKey &key,
                   CacheEntry &entry, CompileResult &result) {
  sema::Program program;
  {
    // Typing takes the registry's lock, as every typing does (sema's tables are shared).
    Registry &r = registry();
    std::lock_guard lock(r.mutex);
    program = sema::typeProgram(unit, args, NoExistingSpecs());
  }
  if (!program.ok()) {
    result.diagnostics = std::move(program.diagnostics);
    return false;
  }
  llvm::LLVMContext context;
  std::unordered_map<uintptr_t, std::string> classSymbols = key.classSymbols();
  // An overload's implementation is chosen when typing: the key does not cover its source
  // nor the classes it raises, so the object is this process's own (classes by address).
  entry.processLocal =
      std::any_of(program.functions.begin(), program.functions.end(),
                  [](const auto &typed) { return typed->unit->chosenByTypes.load(); });
  auto module = codegen::lowerProgram(program, context, program.functions[0]->symbol,
                                      entry.processLocal ? nullptr : &classSymbols);
  if (!module) {
    result.internalError = "code generation produced invalid IR for " + unit.qualname;
    return false;
  }
  for (size_t i = 0; i < program.functions.size(); ++i) {
    const std::string &symbol = program.functions[i]->symbol;
    llvm::Function *function = module->getFunction(symbol);
    llvm::Function *entryFunction = module->getFunction(codegen::entrySymbol(symbol));
    if (i == 0) {
      function->setName(nativeSymbol(key));
      entryFunction->setName(codegen::entrySymbol(nativeSymbol(key)));
    } else { // this object's own copy: not visible to other code
      function->setLinkage(llvm::GlobalValue::InternalLinkage);
      entryFunction->setLinkage(llvm::GlobalValue::InternalLinkage);
    }
  }
  // Callees are compiled in, so the module alone says whether calls may allocate.
  entry.allocates = allocationFacts(*module).allocatesHere;
  auto object = session.emitObject(*module);
  if (!object) {
    result.internalError = llvm::toString(object.takeError());
    return false;
  }
  entry.returnType = program.functions[0]->returnType;
  entry.symbol = nativeSymbol(key);
  entry.object = std::move(*object);
  return true;
}

/// The object for `key`: linked earlier in the process, read from `path`, or compiled (and
/// stored at `path`). False when typing failed or LLVM did (result says which).
bool loadOrCompile(Session &session, const sema::FunctionUnit &unit,
                   const std::vector<const sema::Type *> &args, const CacheKey &key,
                   const std::string &path, LoadedObject &linked, CompileResult &result) {
  LoadedObjects &objects = loadedObjects();
  {
    std::unique_lock lock(objects.mutex);
    objects.done.wait(lock, [&] { return !objects.pending.count(key.digest); });
    auto found = objects.loaded.find(key.digest);
    if (found != objects.loaded.end()) {
      linked = found->second;
      return true;
    }
    objects.pending.insert(key.digest);
  }
  Counters &count = counters();
  bool ok = false;
  CacheEntry entry;
  CacheRead read = CacheRead::Missing;
  if (!path.empty()) {
    Stopwatch timing(count.loadNanoseconds);
    read = readCacheEntry(path, key, entry);
    if (read == CacheRead::Loaded) {
      ok = link(session, key, entry, linked, result.internalError);
      result.cache = CacheOutcome::Hit;
      count.hits.fetch_add(1, std::memory_order_relaxed);
    }
  }
  if (read != CacheRead::Loaded) {
    Stopwatch timing(count.compileNanoseconds);
    if (read == CacheRead::Rejected)
      count.rejected.fetch_add(1, std::memory_order_relaxed);
    result.cache = CacheOutcome::Miss;
    count.misses.fetch_add(1, std::memory_order_relaxed);
    if (compileObject(session, unit, args, key, entry, result)) {
      std::string writeError;
      if (!path.empty() && !entry.processLocal) {
        bool stored = writeCacheEntry(path, key, entry, writeError);
        (stored ? count.writes : count.writeErrors).fetch_add(1, std::memory_order_relaxed);
      }
      ok = link(session, key, entry, linked, result.internalError);
    }
  }
  std::lock_guard lock(objects.mutex);
  objects.pending.erase(key.digest);
  if (ok)
    objects.loaded.emplace(key.digest, linked);
  objects.done.notify_all();
  return ok;
}

} // namespace

std::atomic<uint64_t> &compileNanoseconds() { return counters().compileNanoseconds; }

CompileResult compileCached(const sema::FunctionUnit &unit,
                            const std::vector<const sema::Type *> &args,
                            const std::string &directory) {
  Registry &r = registry();
  CompileResult result;
  SpecKey specKey(unit.id, args);
  {
    std::unique_lock lock(r.mutex);
    for (;;) {
      if ((result.spec = r.lookup(unit, args)))
        return result;
      if (!r.pending.count(specKey))
        break;
      r.published.wait(lock);
    }
    r.pending.insert(specKey);
  }
  auto session = Session::get();
  LoadedObject linked;
  bool ok = false;
  if (!session) {
    result.internalError = llvm::toString(session.takeError());
  } else {
    CacheKey key = cacheKey(unit, args, session->buildIdentity());
    std::string path = directory.empty()
                           ? std::string()
                           : cacheEntryPath(directory, unit.source->filename(), unit.qualname, key);
    ok = loadOrCompile(*session, unit, args, key, path, linked, result);
  }
  std::lock_guard lock(r.mutex);
  r.pending.erase(specKey);
  if (ok) {
    auto spec = std::make_unique<CompiledSpec>(CompiledSpec{
        unit.id, args, linked.returnType, linked.symbol, linked.entry, linked.allocates});
    result.spec = r.publish(std::move(spec));
    result.created.push_back(result.spec);
  }
  r.published.notify_all();
  return result;
}

std::string cacheDirectory(const std::string &sourceFile) {
  if (const char *chosen = std::getenv("NOGIL_CACHE_DIR"); chosen && *chosen)
    return chosen;
  std::error_code error;
  if (!std::filesystem::is_regular_file(sourceFile, error))
    return {};
  return (std::filesystem::path(sourceFile).parent_path() / "__pycache__").string();
}

CacheStats cacheStats() {
  Counters &count = counters();
  CacheStats stats;
  stats.hits = count.hits.load(std::memory_order_relaxed);
  stats.misses = count.misses.load(std::memory_order_relaxed);
  stats.rejected = count.rejected.load(std::memory_order_relaxed);
  stats.writes = count.writes.load(std::memory_order_relaxed);
  stats.writeErrors = count.writeErrors.load(std::memory_order_relaxed);
  stats.compileSeconds = static_cast<double>(count.compileNanoseconds.load()) * 1e-9;
  stats.loadSeconds = static_cast<double>(count.loadNanoseconds.load()) * 1e-9;
  return stats;
}

} // namespace nogil::jit
