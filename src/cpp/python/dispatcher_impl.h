// The Dispatcher's state, shared by dispatcher.cpp (the type and its call path) and
// introspection.cpp (compile, check and inspect methods). Private to the python layer.
#pragma once

#include "jit/compiler.h"
#include "python/dispatcher.h"
#include "python/ndarray.h"

#include <nanobind/nanobind.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace nogil::python {

/// A result boxed without going through boxResult: the usual scalars, returned as inferred.
enum class ScalarResult : uint8_t { Other, Int64, Float64, Bool };

/// What calling a specialization needs once its arguments are unboxed.
struct NativeTarget {
  jit::EntryFunction entry = nullptr;
  const sema::Type *returnType = nullptr;
  /// The declared return type of an explicit signature, which the result is boxed as
  /// (an int64 result declared float64 comes back as a float); else returnType.
  const sema::Type *boxAs = nullptr;
  /// Result slots the entry writes (sema::leafCount(returnType)), counted once.
  size_t resultLeaves = 0;
  /// jit::CompiledSpec::allocates: whether the call's allocations need marking.
  bool allocates = true;
  ScalarResult scalar = ScalarResult::Other;
};

/// A compiled specialization. Immutable once published and kept until the dispatcher dies,
/// so that calls read it without a lock (docs/design.md, "Free-threaded Python").
struct Specialization {
  std::vector<const sema::Type *> argTypes;
  NativeTarget target;
  /// The specialization published before this one (the list runs newest first), or null.
  const Specialization *older = nullptr;
  const sema::Type *returnType() const { return target.returnType; }
};

/// The last specialization called with int, float, bool and numpy.ndarray objects only, by
/// those objects' exact types (and, for arrays, their compiled types): a call whose
/// arguments match skips classification and lookup. Immutable once published (see
/// DispatcherObject::fast).
struct FastPath {
  static constexpr size_t kMaxArgs = 4;
  /// Arguments' slots at most (four arrays of up to seven dimensions).
  static constexpr size_t kMaxSlots = 64;
  size_t count = SIZE_MAX; ///< SIZE_MAX: matches no call
  PyTypeObject *types[kMaxArgs] = {};
  /// For ndarray arguments: what their compiled type follows from.
  NdarrayKey arrays[kMaxArgs];
  NativeTarget target;

  /// Whether both dispatch the same calls to the same code.
  bool sameAs(const FastPath &other) const;
};

/// The C++ side of a dispatcher. Nothing here relies on the GIL: each member says what guards
/// it. Calls read the published specializations and fast path without a lock (atomic
/// pointers to immutable records, acquire/release); `mutex` guards what compiles write, and
/// is held only for a few instructions, never across Python code, a compile or a wait, so it
/// cannot deadlock (a compile that compiles callees takes their dispatchers' mutexes one at
/// a time).
struct DispatcherState {
  // Immutable after construction (dispatcherNew).
  GilMode mode = GilMode::Release;
  std::string name;
  std::vector<std::string> paramNames;
  /// How many of them are positional-only (before `/`).
  size_t positionalOnly = 0;
  /// The function takes *args, **kwargs or keyword-only parameters, which compiled code does
  /// not support: every call reports that as a TypingError instead of binding arguments.
  bool variadic = false;
  /// error_model="numpy" (see FunctionUnit::numpyErrorModel).
  bool numpyErrorModel = false;
  /// boundscheck (see FunctionUnit::boundsCheck).
  bool boundsCheck = true;
  /// parallel=True (see FunctionUnit::parallel).
  bool parallel = false;
  /// cache=True: specializations are stored on disk and loaded from there
  /// (jit::compileCached).
  bool cache = false;
  /// fastmath, inline and locals (see FunctionUnit).
  uint32_t fastMath = 0;
  sema::InlineMode inlining = sema::InlineMode::Default;
  std::unordered_map<std::string, const sema::Type *> declaredLocals;

  /// Guards the members marked so below.
  std::mutex mutex;
  /// Loaded on the first compile; immutable once every free name is resolved, and then
  /// kept for the dispatcher's life (compiles read it without the GIL). Guarded by the
  /// process's loading lock (loadUnit, dispatcher.cpp), as is the next member.
  std::shared_ptr<sema::FunctionUnit> unit;
  /// Units whose loading failed: others loaded meanwhile may point to them.
  std::vector<std::shared_ptr<sema::FunctionUnit>> abandonedUnits;
  /// Set by explicit signatures (@njit("int64(int64)")), before any call: calls only
  /// dispatch to them, converting arguments where that loses nothing, and never compile.
  /// Atomic (relaxed: it orders nothing else).
  std::atomic<bool> explicitOnly{false};
  /// The newest published specialization, heading the list through Specialization::older.
  /// Written under `mutex` (release), read lock-free (acquire).
  std::atomic<const Specialization *> newest{nullptr};
  /// Owns every specialization and fast path ever published (calls may still read them).
  /// Guarded by `mutex`.
  std::vector<std::unique_ptr<Specialization>> specializations;
  std::vector<std::unique_ptr<FastPath>> fastPaths;
  /// Statistics (f.stats): specializations compiled, and "auto" calls that released the GIL.
  /// Guarded by `mutex`, except autoReleases: a relaxed atomic, counted on the call path
  /// only by calls that ran long enough to release the GIL (tens of microseconds at least).
  uint64_t compiles = 0;
  std::atomic<uint64_t> autoReleases{0};
  uint64_t cacheHits = 0;
  uint64_t cacheMisses = 0;
  double compileSeconds = 0;
  /// Set the first time the dispatcher is passed to compiled code as a value, which then
  /// holds a reference to it for the process (callableValueOf).
  std::atomic<bool> usedAsValue{false};
};

struct DispatcherObject {
  PyObject_HEAD vectorcallfunc vectorcall;
  PyObject *dict;
  PyObject *weakrefs;
  PyObject *pyFunc;
  // Set at construction; freeValues by the thread that loads the unit (loadUnit), once; all
  // of them cleared only by the GC or deallocation.
  PyObject *loader;     ///< from nogil._frontend.loader: source captured at decoration
  PyObject *freeValues; ///< the free names' values, frozen at the first compile
  PyObject *defaults;   ///< the function's __defaults__ tuple, or null
  DispatcherState *state;
  /// The fast path (never null once constructed), here rather than in `state` so that a call
  /// reaches it in as many loads as before. Read with acquire and written with release
  /// through std::atomic_ref (the object is C memory from tp_alloc); the records it points
  /// to are owned by DispatcherState::fastPaths.
  const FastPath *fast;
};

/// The fast path a call reads; acquire pairs with publishFastPath's release.
inline const FastPath &currentFastPath(DispatcherObject *self) {
  return *std::atomic_ref<const FastPath *>(self->fast).load(std::memory_order_acquire);
}

/// Captures the function's source, tree and free names (once). Null with an exception set.
const sema::FunctionUnit *loadUnit(DispatcherObject *self);
/// loadUnit for an object that should be a Dispatcher; null with a TypeError otherwise.
const sema::FunctionUnit *loadDispatcherUnit(PyObject *object);

/// A type from the name `.signatures` shows for it ("int64", "tuple[int64, float64]",
/// "readonly array(float64, 2d, C)"); null when the whole text is no such name.
const sema::Type *typeNamed(std::string_view name);

/// Raises nogil.TypingError for these diagnostics.
void raiseTypingError(const std::vector<ast::Diagnostic> &diagnostics);
/// Raises nogil.TypingError with this report (for errors that point at no source).
void raiseTypingError(const std::string &report, const std::vector<ast::Diagnostic> &diagnostics);
/// (code, message, file, line, col, end line, end col, rendered report) per diagnostic.
nanobind::list diagnosticTuples(const std::vector<ast::Diagnostic> &diagnostics);

/// The published specialization for exactly these argument types, or null. Lock-free.
const Specialization *findSpecialization(const DispatcherState &state,
                                         const sema::Type *const *types, size_t count);

/// Compiles and publishes the specialization for `types`, boxing results as `boxAs` (null:
/// the inferred type; else a type that must hold the inferred one without loss, or nothing
/// is published and TypingError is raised). Null with an exception set.
const Specialization *compileSpecialization(DispatcherObject *self, const sema::Type *const *types,
                                            size_t count, const sema::Type *boxAs = nullptr);

/// The compile, check and inspect methods (introspection.cpp).
extern PyMethodDef dispatcherMethods[];

} // namespace nogil::python
