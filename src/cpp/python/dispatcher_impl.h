// The Dispatcher's state, shared by dispatcher.cpp (the type and its call path) and
// introspection.cpp (compile, check and inspect methods). Private to the python layer.
#pragma once

#include "jit/compiler.h"
#include "python/dispatcher.h"
#include "python/ndarray.h"

#include <nanobind/nanobind.h>

#include <memory>
#include <string>
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

struct Specialization {
  std::vector<const sema::Type *> argTypes;
  NativeTarget target;
  const sema::Type *returnType() const { return target.returnType; }
};

/// The last specialization called with int, float, bool and numpy.ndarray objects only, by
/// those objects' exact types (and, for arrays, their compiled types): a call whose
/// arguments match skips classification and lookup. Copies, not a pointer:
/// `specializations` may reallocate.
struct FastPath {
  static constexpr size_t kMaxArgs = 4;
  /// Arguments' slots at most (four arrays of up to seven dimensions).
  static constexpr size_t kMaxSlots = 64;
  size_t count = SIZE_MAX; ///< SIZE_MAX: nothing cached yet
  PyTypeObject *types[kMaxArgs] = {};
  /// For ndarray arguments: what their compiled type follows from.
  NdarrayKey arrays[kMaxArgs];
  NativeTarget target;
};

/// The C++ side of a dispatcher. Every member is guarded by the GIL: it is read and written
/// only by threads that hold it (the native call itself touches none of it).
struct DispatcherState {
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
  /// Loaded on the first compile; immutable once every free name is resolved, and then
  /// kept for the dispatcher's life (compiles read it without the GIL).
  std::shared_ptr<sema::FunctionUnit> unit;
  /// The thread loading `unit` (PyThread_get_thread_ident), 0 when none: others wait.
  unsigned long loadingThread = 0;
  /// Set by explicit signatures (@njit("int64(int64)")): calls only dispatch to them,
  /// converting arguments where that loses nothing, and never compile.
  bool explicitOnly = false;
  /// Most recently compiled first.
  std::vector<Specialization> specializations;
  FastPath fast;
  /// Statistics (f.stats): specializations compiled, and "auto" calls that released the GIL.
  uint64_t compiles = 0;
  uint64_t autoReleases = 0;
  uint64_t cacheHits = 0;
  uint64_t cacheMisses = 0;
  double compileSeconds = 0;
};

struct DispatcherObject {
  PyObject_HEAD vectorcallfunc vectorcall;
  PyObject *dict;
  PyObject *weakrefs;
  PyObject *pyFunc;
  PyObject *loader;     ///< from nogil._frontend.loader: source captured at decoration
  PyObject *freeValues; ///< the free names' values, frozen at the first compile
  PyObject *defaults;   ///< the function's __defaults__ tuple, or null
  DispatcherState *state;
};

/// Captures the function's source, tree and free names (once). Null with an exception set.
const sema::FunctionUnit *loadUnit(DispatcherObject *self);
/// loadUnit for an object that should be a Dispatcher; null with a TypeError otherwise.
const sema::FunctionUnit *loadDispatcherUnit(PyObject *object);

/// Raises nogil.TypingError for these diagnostics.
void raiseTypingError(const std::vector<ast::Diagnostic> &diagnostics);
/// Raises nogil.TypingError with this report (for errors that point at no source).
void raiseTypingError(const std::string &report, const std::vector<ast::Diagnostic> &diagnostics);
/// (code, message, file, line, col, end line, end col, rendered report) per diagnostic.
nanobind::list diagnosticTuples(const std::vector<ast::Diagnostic> &diagnostics);

/// The specialization for exactly these argument types, or null.
const Specialization *findSpecialization(const DispatcherState &state,
                                         const sema::Type *const *types, size_t count);

/// Compiles and publishes the specialization for `types`, boxing results as `boxAs` (null:
/// the inferred type). Null with an exception set.
const Specialization *compileSpecialization(DispatcherObject *self, const sema::Type *const *types,
                                            size_t count, const sema::Type *boxAs = nullptr);

/// The compile, check and inspect methods (introspection.cpp).
extern PyMethodDef dispatcherMethods[];

} // namespace nogil::python
