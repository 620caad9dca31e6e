// The Dispatcher type. Hot path: classify arguments into interned types (no allocation for
// scalars), find a specialization by comparing type arrays, unbox into slots, call, box.
#include "python/dispatcher_impl.h"
#include "runtime/array_memory.h"

#include "jit/compiler_stack.h"
#include "python/argument_binding.h"
#include "python/ast_import.h"
#include "python/boxing.h"
#include "python/gil_policy.h"
#include "python/numpy_scalars.h"
#include "python/overload_bridge.h"
#include "python/py_values.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <structmember.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace nb = nanobind;

namespace nogil::python {

namespace {

/// Keeps a dispatcher (and so its unit) alive for the rest of the process, once: a function
/// value's type names its unit, and specializations keyed on that type call its code, so both
/// must outlive every caller.
void keepForTheProcess(DispatcherObject *dispatcher) {
  if (!dispatcher->state->usedAsValue.exchange(true))
    Py_INCREF(reinterpret_cast<PyObject *>(dispatcher));
}

PyTypeObject *dispatcherType = nullptr;
std::atomic<uint64_t> nextUnitId{1};

constexpr size_t kInlineArgs = 16;

/// The builtin a Python object is: `abs`, `int`, `math.sqrt` (however it was imported).
std::optional<sema::Builtin> builtinOf(PyObject *value) {
  if (value == reinterpret_cast<PyObject *>(&PyLong_Type))
    return sema::Builtin::Int;
  if (value == reinterpret_cast<PyObject *>(&PyFloat_Type))
    return sema::Builtin::Float;
  if (value == reinterpret_cast<PyObject *>(&PyBool_Type))
    return sema::Builtin::Bool;
  if (value == reinterpret_cast<PyObject *>(&PyComplex_Type))
    return sema::Builtin::Complex;
  if (value == reinterpret_cast<PyObject *>(&PyEnum_Type))
    return sema::Builtin::Enumerate;
  if (value == reinterpret_cast<PyObject *>(&PyZip_Type))
    return sema::Builtin::Zip;
  if (value == reinterpret_cast<PyObject *>(&PyType_Type))
    return sema::Builtin::Type;
  if (value == reinterpret_cast<PyObject *>(&PyTuple_Type))
    return sema::Builtin::Tuple;
  if (PyType_Check(value)) { // np.int32 imported by name: its class is "numpy.int32"
    std::string_view name = reinterpret_cast<PyTypeObject *>(value)->tp_name;
    if (name.starts_with("numpy."))
      return sema::findBuiltin("numpy", name.substr(6));
    return std::nullopt;
  }
  if (std::string_view(Py_TYPE(value)->tp_name) == "numpy.ufunc") { // `from numpy import sin`
    PyObject *name = PyObject_GetAttrString(value, "__name__");
    const char *text = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : nullptr;
    std::optional<sema::Builtin> found;
    if (text)
      found = sema::findBuiltin("numpy", text);
    Py_XDECREF(name);
    PyErr_Clear();
    return found;
  }
  if (!PyCFunction_Check(value))
    return std::nullopt;
  auto *function = reinterpret_cast<PyCFunctionObject *>(value);
  PyObject *module = function->m_module;
  if (!module || !PyUnicode_Check(module))
    return std::nullopt;
  const char *moduleName = PyUnicode_AsUTF8(module);
  if (!moduleName) {
    PyErr_Clear();
    return std::nullopt;
  }
  return sema::findBuiltin(moduleName, function->m_ml->ml_name);
}

/// `module.qualname` of a class ("builtins.ValueError"); its tp_name when either is missing.
std::string qualifiedClassName(PyObject *cls) {
  std::string name = reinterpret_cast<PyTypeObject *>(cls)->tp_name;
  PyObject *module = PyObject_GetAttrString(cls, "__module__");
  PyObject *qualname = module ? PyObject_GetAttrString(cls, "__qualname__") : nullptr;
  if (module && qualname && PyUnicode_Check(module) && PyUnicode_Check(qualname)) {
    const char *moduleText = PyUnicode_AsUTF8(module);
    const char *qualnameText = PyUnicode_AsUTF8(qualname);
    if (moduleText && qualnameText)
      name = std::string(moduleText) + "." + qualnameText;
  }
  Py_XDECREF(module);
  Py_XDECREF(qualname);
  PyErr_Clear();
  return name;
}

/// How a result of `type`, boxed as `boxAs`, is boxed: inline for the usual scalars.
ScalarResult scalarResultOf(const sema::Type *type, const sema::Type *boxAs) {
  if (boxAs != type)
    return ScalarResult::Other;
  switch (type->kind()) {
  case sema::TypeKind::Int64:
    return ScalarResult::Int64;
  case sema::TypeKind::Float64:
    return ScalarResult::Float64;
  case sema::TypeKind::Bool:
    return ScalarResult::Bool;
  default:
    return ScalarResult::Other;
  }
}

/// nogil.prange, registered at import (under the GIL, before any compile); a strong reference.
PyObject *parallelRange = nullptr;

/// Whether a value of `type` holds an array or None somewhere (no constant global can).
bool holdsNonNumber(const sema::Type *type) {
  if (type->isTuple())
    return std::any_of(type->elements().begin(), type->elements().end(), holdsNonNumber);
  return !type->isNumeric() && !type->isComplex() && !type->isTimeType();
}

/// A NumPy scalar (datetime64 and timedelta64 included), complex or tuple of numbers, frozen
/// as a constant of its type, as Numba freezes global values; anything else (a tuple holding
/// an array, a str...) stays
/// Unsupported and is reported where it is used.
sema::GlobalValue constantOf(PyObject *value) {
  sema::GlobalValue global;
  global.kind = sema::GlobalValue::Kind::Unsupported;
  global.typeName = Py_TYPE(value)->tp_name;
  SlotBuffer slots;
  BufferHolder buffers;
  const sema::Type *type = nullptr;
  if (!unboxArgument(value, type, slots, buffers, "a global", "value")) {
    PyErr_Clear();
    return global;
  }
  if (holdsNonNumber(type))
    return global;
  global.kind = sema::GlobalValue::Kind::Constant;
  global.constantType = type;
  global.constantSlots.assign(slots.data(), slots.data() + slots.size());
  return global;
}

/// A NumPy array frozen as Numba freezes a global array: its elements when the function
/// first compiles, C-ordered, in a read-only array of the compiled code. Unsupported (reported
/// where it is used) when compiled code has no type for it.
sema::GlobalValue frozenArrayOf(PyObject *value) {
  sema::GlobalValue global;
  global.kind = sema::GlobalValue::Kind::Unsupported;
  global.typeName = Py_TYPE(value)->tp_name;
  SlotBuffer slots;
  BufferHolder buffers;
  const sema::Type *type = nullptr;
  if (!unboxArgument(value, type, slots, buffers, "a global", "value") || !type->isArray()) {
    PyErr_Clear();
    return global;
  }
  PyObject *bytes = PyObject_CallMethod(value, "tobytes", "s", "C");
  if (!bytes || !PyBytes_Check(bytes)) {
    Py_XDECREF(bytes);
    PyErr_Clear();
    return global;
  }
  global.arrayBytes.assign(PyBytes_AS_STRING(bytes), static_cast<size_t>(PyBytes_GET_SIZE(bytes)));
  Py_DECREF(bytes);
  global.kind = sema::GlobalValue::Kind::Constant;
  global.constantType = sema::arrayType(type->dtype(), type->ndim(), sema::Layout::C, true);
  const uint64_t *shape = slots.data() + 1; // after the data pointer (see ndarray.h)
  global.constantSlots.assign(shape, shape + type->ndim());
  return global;
}

sema::GlobalValue globalValueOf(PyObject *value) {
  sema::GlobalValue global;
  if (PyBool_Check(value)) {
    global.kind = sema::GlobalValue::Kind::Bool;
    global.intValue = value == Py_True;
  } else if (PyLong_Check(value)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    global.kind = overflow ? sema::GlobalValue::Kind::Unsupported : sema::GlobalValue::Kind::Int;
    global.intValue = v;
    global.typeName = "int (beyond int64)";
  } else if (PyFloat_Check(value)) {
    global.kind = sema::GlobalValue::Kind::Float;
    global.floatValue = PyFloat_AS_DOUBLE(value);
  } else if (PyTuple_Check(value) || PyComplex_Check(value) || isNumpyScalar(value)) {
    return constantOf(value);
  } else if (ndarrayClassOf(value) == NdarrayClass::Plain) {
    return frozenArrayOf(value);
  } else if (Py_TYPE(value) == dispatcherType) {
    auto *dispatcher = reinterpret_cast<DispatcherObject *>(value);
    global.kind = sema::GlobalValue::Kind::Function;
    global.function = loadUnit(dispatcher);
    if (!global.function)
      throw nb::python_error();
    // A free name's function may be passed on as a value (a lambda lifted out of its caller
    // is such a name), and its type is keyed on the unit's address: a unit freed and another
    // allocated there would find the first one's specializations.
    keepForTheProcess(dispatcher);
  } else if (value == reinterpret_cast<PyObject *>(&PyRange_Type)) {
    global.kind = sema::GlobalValue::Kind::Range;
  } else if (value == parallelRange) {
    global.kind = sema::GlobalValue::Kind::Range;
    global.parallelRange = true;
  } else if (auto builtin = builtinOf(value)) {
    global.kind = sema::GlobalValue::Kind::Builtin;
    global.builtin = *builtin;
  } else if (PyType_Check(value) &&
             PyType_IsSubtype(reinterpret_cast<PyTypeObject *>(value),
                              reinterpret_cast<PyTypeObject *>(PyExc_BaseException))) {
    // The class stays alive through the dispatcher's frozen free values (freeValues).
    registerExceptionClass(value);
    global.kind = sema::GlobalValue::Kind::ExceptionClass;
    global.exceptionClass = reinterpret_cast<uintptr_t>(value);
    global.typeName = reinterpret_cast<PyTypeObject *>(value)->tp_name;
    global.className = qualifiedClassName(value);
  } else if (PyModule_Check(value)) {
    // Its members compiled code uses were frozen by the front end as dotted names
    // (`np.linalg.norm`); math's and numpy's are also known to the typer by name.
    const char *name = PyModule_GetName(value);
    if (!name)
      throw nb::python_error();
    global.kind = sema::GlobalValue::Kind::Module;
    global.moduleName = name;
  } else if (value == Py_None) {
    global.kind = sema::GlobalValue::Kind::None;
  } else if (PyUnicode_Check(value)) { // a string constant: its own type, no slots
    Py_ssize_t size = 0;
    const char *text = PyUnicode_AsUTF8AndSize(value, &size);
    if (!text) { // lone surrogates have no UTF-8
      PyErr_Clear();
      global.kind = sema::GlobalValue::Kind::Unsupported;
      global.typeName = "str";
      return global;
    }
    global.kind = sema::GlobalValue::Kind::Constant;
    global.constantType = sema::stringLiteralType(std::string(text, static_cast<size_t>(size)));
  } else if (const sema::Type *dtype = designatedDtype(value)) {
    global.kind = sema::GlobalValue::Kind::Constant;
    global.constantType = sema::dtypeValueType(dtype);
  } else if (isOverloadSelector(value)) {
    // Kept alive by the dispatcher's frozen free values and by nogil._overloads.
    global.kind = sema::GlobalValue::Kind::Overload;
    global.overload = reinterpret_cast<uintptr_t>(value);
    global.typeName = utf8(nb::handle(value).attr("name"));
    global.overloadKey = utf8(nb::handle(value).attr("key"));
  } else if (isPrimitive(value)) {
    std::string name = utf8(nb::handle(value).attr("name"));
    size_t dot = name.rfind('.');
    auto builtin = dot == std::string::npos
                       ? std::nullopt
                       : sema::findBuiltin(std::string_view(name).substr(0, dot),
                                           std::string_view(name).substr(dot + 1));
    global.kind = builtin ? sema::GlobalValue::Kind::Builtin : sema::GlobalValue::Kind::Unsupported;
    global.builtin = builtin.value_or(sema::Builtin::Abs);
    global.typeName = name;
  } else {
    global.kind = sema::GlobalValue::Kind::Unsupported;
    global.typeName = Py_TYPE(value)->tp_name;
  }
  return global;
}

} // namespace

bool callableValueOf(PyObject *value, const sema::Type *&type) {
  type = nullptr;
  if (Py_TYPE(value) == dispatcherType) {
    auto *dispatcher = reinterpret_cast<DispatcherObject *>(value);
    const sema::FunctionUnit *unit = loadUnit(dispatcher);
    if (!unit)
      return false;
    keepForTheProcess(dispatcher);
    type = sema::functionValueType(unit);
    return true;
  }
  if (auto builtin = builtinOf(value))
    type = sema::builtinValueType(static_cast<unsigned>(*builtin), sema::builtinName(*builtin));
  return true;
}

/// Who is loading units: one thread at a time, process-wide, which may load any number
/// (a function's callees, recursively). Per-dispatcher loads would deadlock when two threads
/// each start loading one of two mutually recursive functions: each load needs the other's
/// complete unit. Loading is short and mostly Python code, which the GIL serialises anyway.
struct UnitLoading {
  /// Guards the members below and every DispatcherState::unit and abandonedUnits. Held for a
  /// few instructions only: never across Python code or a wait.
  std::mutex mutex;
  unsigned long thread = 0; ///< PyThread_get_thread_ident of the loading thread; 0: none
  int depth = 0;            ///< its loads in progress (nested through callees)
};

UnitLoading &unitLoading() {
  static auto *instance = new UnitLoading(); // never destroyed: dispatchers may outlive statics
  return *instance;
}

/// Sets aside a unit whose loading failed, so that the next compile tries again. Kept, not
/// freed: units loaded meanwhile (its callees) may point to it.
void abandonUnit(DispatcherState &state) {
  std::lock_guard lock(unitLoading().mutex);
  if (state.unit)
    state.abandonedUnits.push_back(std::move(state.unit));
}

const sema::FunctionUnit *loadDispatcherUnit(PyObject *object) {
  if (Py_TYPE(object) != dispatcherType) {
    PyErr_Format(PyExc_TypeError, "an overload returned %s, not a function to compile",
                 Py_TYPE(object)->tp_name);
    return nullptr;
  }
  return loadUnit(reinterpret_cast<DispatcherObject *>(object));
}

/// Captures the function's source, tree and free names (once). The unit is published before
/// its names are resolved, so recursion and mutual recursion find it. Returns null with a
/// Python exception set on failure.
const sema::FunctionUnit *loadUnit(DispatcherObject *self) {
  DispatcherState &state = *self->state;
  UnitLoading &loading = unitLoading();
  unsigned long me = PyThread_get_thread_ident();
  // Loading runs Python code, so another thread may get here meanwhile: it waits (without
  // the GIL, and without the mutex) until no thread loads, since compiles read units without
  // the GIL. The loading thread itself gets partial units back, for recursion.
  {
    std::unique_lock lock(loading.mutex);
    while (loading.thread != 0 && loading.thread != me) {
      lock.unlock();
      PyThreadState *saved = PyEval_SaveThread();
      std::this_thread::sleep_for(std::chrono::microseconds(50));
      PyEval_RestoreThread(saved);
      lock.lock();
    }
    if (state.unit)
      return state.unit.get();
    loading.thread = me;
    ++loading.depth;
  }
  struct DoneLoading {
    UnitLoading &loading;
    ~DoneLoading() {
      std::lock_guard lock(loading.mutex);
      if (--loading.depth == 0)
        loading.thread = 0;
    }
  } done{loading};
  try {
    nb::tuple loaded = nb::cast<nb::tuple>(nb::borrow(self->loader)(nb::handle(self->pyFunc)));
    auto filename = utf8(loaded[0]);
    auto firstLine = u32(loaded[1]);
    auto source = utf8(loaded[2]);
    auto unit = std::make_shared<sema::FunctionUnit>();
    unit->id = nextUnitId++;
    unit->qualname = state.name;
    unit->numpyErrorModel = state.numpyErrorModel;
    unit->boundsCheck = state.boundsCheck;
    unit->parallel = state.parallel;
    unit->fastMath = state.fastMath;
    unit->inlining = state.inlining;
    unit->declaredLocals = state.declaredLocals;
    unit->optimize = static_cast<int>(u32(loaded[5]));
    unit->source = std::make_unique<ast::SourceFile>(filename, std::move(source), firstLine);
    unit->ast = importFunction(loaded[3], *unit->source);
    nb::dict values = nb::cast<nb::dict>(loaded[4]);
    {
      std::lock_guard lock(loading.mutex);
      state.unit = unit;
    }
    Py_XSETREF(self->freeValues, values.inc_ref().ptr());
    for (auto [name, value] : values)
      unit->environment[utf8(name)] = globalValueOf(value.ptr());
    if (self->defaults)
      for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(self->defaults); ++i)
        unit->defaults.push_back(globalValueOf(PyTuple_GET_ITEM(self->defaults, i)));
    return unit.get();
  } catch (nb::python_error &error) {
    abandonUnit(state);
    error.restore();
  } catch (std::exception &error) {
    abandonUnit(state);
    PyErr_SetString(PyExc_RuntimeError, error.what());
  }
  return nullptr;
}

nb::list diagnosticTuples(const std::vector<ast::Diagnostic> &diagnostics) {
  nb::list raw;
  for (const ast::Diagnostic &d : diagnostics) {
    const ast::SourceFile &file = *d.primary.file;
    ast::LineColumn begin = file.lineColumnOf(d.primary.span.begin);
    ast::LineColumn end = file.lineColumnOf(d.primary.span.end);
    raw.append(nb::make_tuple(std::string(ast::diagCode(d.kind)), d.message, file.filename(),
                              begin.line, begin.column, end.line, end.column, ast::render(d)));
  }
  return raw;
}

void raiseTypingError(const std::vector<ast::Diagnostic> &diagnostics) {
  std::string report;
  for (const ast::Diagnostic &d : diagnostics)
    report += (report.empty() ? "" : "\n") + ast::render(d);
  raiseTypingError(report, diagnostics);
}

void raiseTypingError(const std::string &report, const std::vector<ast::Diagnostic> &diagnostics) {
  try {
    nb::list raw = diagnosticTuples(diagnostics);
    nb::object factory = nb::module_::import_("nogil.errors").attr("_typing_error");
    nb::object error = factory(report, raw);
    PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(error.ptr())), error.ptr());
  } catch (nb::python_error &error) {
    error.restore();
  }
}

const Specialization *findSpecialization(const DispatcherState &state,
                                         const sema::Type *const *types, size_t count) {
  // Types are interned: pointers compare. A plain loop: std::equal on pointers calls memcmp.
  // Acquire pairs with publishSpecialization's release: the records read are complete.
  for (const Specialization *spec = state.newest.load(std::memory_order_acquire); spec;
       spec = spec->older) {
    if (spec->argTypes.size() != count)
      continue;
    size_t i = 0;
    while (i < count && spec->argTypes[i] == types[i])
      ++i;
    if (i == count)
      return spec;
  }
  return nullptr;
}

/// Publishes a compiled specialization (or the one another thread published for the same
/// types meanwhile).
const Specialization *publishSpecialization(DispatcherState &state,
                                            std::vector<const sema::Type *> args,
                                            const NativeTarget &target);

/// Compiles the specialization for `types` and records it. Null with an exception set.
const Specialization *compileSpecialization(DispatcherObject *self, const sema::Type *const *types,
                                            size_t count, const sema::Type *boxAs) {
  const sema::FunctionUnit *unit = loadUnit(self);
  if (!unit)
    return nullptr;
  std::vector<const sema::Type *> args(types, types + count);
  // Without the GIL: other threads run meanwhile, and compiles of other functions proceed
  // at once (jit::compile touches no Python object; the unit is immutable once loaded).
  jit::CompileResult result;
  DispatcherState &state = *self->state;
  // NOGIL_CACHE_DIR is read at each compile, so a program may set it after importing nogil.
  std::string cacheDirectory = state.cache ? jit::cacheDirectory(unit->source->filename()) : "";
  auto started = std::chrono::steady_clock::now();
  PyThreadState *saved = PyEval_SaveThread();
  jit::runOnCompilerStack([&] {
    result =
        state.cache ? jit::compileCached(*unit, args, cacheDirectory) : jit::compile(*unit, args);
  });
  PyEval_RestoreThread(saved);
  {
    std::lock_guard lock(state.mutex);
    // Counted when this call did the work: a thread that waited for another's compile of the
    // same specialization finds it done.
    if (!result.created.empty() || !result.diagnostics.empty() || !result.internalError.empty()) {
      ++state.compiles;
      state.compileSeconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    state.cacheHits += result.cache == jit::CacheOutcome::Hit;
    state.cacheMisses += result.cache == jit::CacheOutcome::Miss;
  }
  if (!result.diagnostics.empty()) {
    raiseTypingError(result.diagnostics);
    return nullptr;
  }
  if (!result.spec) {
    PyErr_Format(PyExc_RuntimeError, "nogil internal error while compiling %s: %s",
                 self->state->name.c_str(), result.internalError.c_str());
    return nullptr;
  }
  const sema::Type *returnType = result.spec->returnType;
  if (const sema::FunctionUnit *closure = sema::closureBody(returnType)) {
    raiseTypingError("error: " + state.name + "() returns the function " + closure->qualname +
                         " defined inside compiled code (a closure or lambda): it exists only "
                         "in compiled code, which may pass it on, store it and return it to a "
                         "compiled caller, not to Python",
                     {});
    return nullptr;
  }
  if (returnType->holdsCompileTimeValue()) {
    raiseTypingError("error: " + state.name + "() returns " + returnType->name() +
                         ": strings, dtypes and functions are values known when compiling, "
                         "which compiled code cannot return to Python (a function may be "
                         "returned to a compiled caller)",
                     {});
    return nullptr;
  }
  // A number is cast to a declared number, as Numba casts it ("float32(float32)" on x + 1.0
  // returns a float32); anything else must convert without loss (an array to `[:]`).
  bool casts = boxAs && returnType->isNumeric() && boxAs->isNumeric();
  if (boxAs && !casts && sema::unify(returnType, boxAs) != boxAs) {
    raiseTypingError("error: " + state.name + "() returns " + returnType->name() +
                         ", which its declared return type " + boxAs->name() + " cannot hold",
                     {});
    return nullptr;
  }
  NativeTarget target{
      result.spec->entry,         returnType,
      boxAs ? boxAs : returnType, sema::leafCount(returnType),
      result.spec->allocates,     scalarResultOf(returnType, boxAs ? boxAs : returnType)};
  return publishSpecialization(state, std::move(args), target);
}

const Specialization *publishSpecialization(DispatcherState &state,
                                            std::vector<const sema::Type *> args,
                                            const NativeTarget &target) {
  std::lock_guard lock(state.mutex);
  // Another thread may have published the same specialization while this one compiled (or
  // waited) without the GIL: publish each one once.
  if (const Specialization *existing = findSpecialization(state, args.data(), args.size()))
    return existing;
  auto spec = std::make_unique<Specialization>(
      Specialization{std::move(args), target, state.newest.load(std::memory_order_relaxed)});
  // Release: a call that finds the new head reads the complete record.
  state.newest.store(spec.get(), std::memory_order_release);
  state.specializations.push_back(std::move(spec));
  return state.specializations.back().get();
}

namespace {

/// Whether an argument of type `from` (its slots at `slots`) converts to the signature's
/// `to` as Numba converts arguments: numbers only where nothing is lost (bool -> int64 ->
/// float64), arrays of the same dtype and dimensions to a layout that admits them (any
/// layout to `[:]`, C to C, F to F) and to readonly, tuples element by element. Converts the
/// slots when `apply`; advances `slots` past the argument.
bool convertsTo(const sema::Type *from, const sema::Type *to, uint64_t *&slots, bool apply) {
  if (from == to) {
    slots += sema::leafCount(from);
    return true;
  }
  if (from->isArray() || to->isArray()) {
    if (!from->isArray() || !to->isArray() || from->dtype() != to->dtype() ||
        from->ndim() != to->ndim() || (from->readonly() && !to->readonly()))
      return false;
    slots += sema::leafCount(from); // every layout has the same slots
    return to->layout() == sema::Layout::Any || to->layout() == from->layout();
  }
  if (from->isTuple() || to->isTuple()) {
    if (!from->isTuple() || !to->isTuple() || from->elements().size() != to->elements().size())
      return false;
    for (size_t i = 0; i < from->elements().size(); ++i)
      if (!convertsTo(from->elements()[i], to->elements()[i], slots, apply))
        return false;
    return true;
  }
  if (from->isComplex() || to->isComplex() || from->isNone() || to->isNone())
    return false;
  uint64_t probe = *slots;
  if (!convertSlot(from->kind(), to->kind(), probe))
    return false;
  if (apply)
    *slots = probe;
  ++slots;
  return true;
}

/// The first explicit signature every argument converts to (see convertsTo), with `slots`
/// converted; null with TypeError set when there is none.
const Specialization *convertToExplicitSignature(const DispatcherState &state,
                                                 const sema::Type *const *types, uint64_t *slots,
                                                 size_t count) {
  for (const Specialization *candidate = state.newest.load(std::memory_order_acquire); candidate;
       candidate = candidate->older) {
    const Specialization &spec = *candidate;
    bool converts = true;
    uint64_t *cursor = slots;
    for (size_t i = 0; i < count && converts; ++i)
      converts = convertsTo(types[i], spec.argTypes[i], cursor, false);
    if (!converts)
      continue;
    cursor = slots;
    for (size_t i = 0; i < count; ++i)
      convertsTo(types[i], spec.argTypes[i], cursor, true);
    return candidate;
  }
  std::string given;
  for (size_t i = 0; i < count; ++i)
    given += std::string(i ? ", " : "") + types[i]->name();
  PyErr_Format(PyExc_TypeError,
               "%s() has no compiled signature for (%s); it was compiled for explicit signatures "
               "only (see .signatures)",
               state.name.c_str(), given.c_str());
  return nullptr;
}

/// Compiles for the arguments given, so that the typer reports the parameter it cannot take.
PyObject *reportUnsupportedParameters(DispatcherObject *self, PyObject *const *args,
                                      size_t positional) {
  const DispatcherState &state = *self->state;
  std::vector<const sema::Type *> types(state.paramNames.size(), sema::int64Type());
  SlotBuffer slots;
  BufferHolder buffers;
  for (size_t i = 0; i < types.size() && i < positional; ++i)
    if (!unboxArgument(args[i], types[i], slots, buffers, state.name.c_str(),
                       state.paramNames[i].c_str()))
      return nullptr;
  if (compileSpecialization(self, types.data(), types.size()))
    PyErr_Format(PyExc_RuntimeError, "nogil internal error: %s() compiled despite its *args",
                 state.name.c_str());
  return nullptr;
}

void rememberFastCall(DispatcherObject *self, const Specialization &spec, PyObject *const *args,
                      size_t count);
PyObject *tryFastCall(DispatcherObject *self, PyObject *const *args, size_t positional,
                      bool &handled);
/// Runs a specialization on unboxed arguments and boxes its result (null with an exception
/// set when it raised). `buffers`: the arguments' exports, null when there are none.
PyObject *callSpecialization(DispatcherObject *self, NativeTarget target, uint64_t *argSlots,
                             const BufferHolder *buffers);

/// Every call the fast path does not take: binds keywords and defaults, classifies each
/// argument, finds or compiles the specialization. Out of line, so that the fast path's frame
/// stays small.
[[gnu::noinline]] PyObject *generalCall(DispatcherObject *self, PyObject *const *args,
                                        size_t positional, PyObject *kwnames);

PyObject *dispatcherVectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                               PyObject *kwnames) {
  auto *self = reinterpret_cast<DispatcherObject *>(callable);
  size_t positional = PyVectorcall_NARGS(nargsf);
  if (!kwnames) {
    bool handled = false;
    PyObject *result = tryFastCall(self, args, positional, handled);
    if (handled)
      return result;
  }
  return generalCall(self, args, positional, kwnames);
}

PyObject *generalCall(DispatcherObject *self, PyObject *const *args, size_t positional,
                      PyObject *kwnames) {
  const DispatcherState &state = *self->state;
  size_t count = state.paramNames.size();

  PyObject *inlineBound[kInlineArgs];
  const sema::Type *inlineTypes[kInlineArgs];
  std::vector<PyObject *> heapBound;
  std::vector<const sema::Type *> heapTypes;
  PyObject **bound = inlineBound;
  const sema::Type **types = inlineTypes;
  if (count > kInlineArgs) {
    heapBound.resize(count);
    heapTypes.resize(count);
    bound = heapBound.data();
    types = heapTypes.data();
  }
  SlotBuffer slots;
  // Declared before anything that can fail: the buffers are released on every way out,
  // after the native call.
  BufferHolder buffers;

  if (state.variadic)
    return reportUnsupportedParameters(self, args, positional);
  PyObject *const *ordered = args;
  bool hasKeywords = kwnames && PyTuple_GET_SIZE(kwnames) > 0;
  if (hasKeywords || positional != count) {
    if (!bindArguments(ParameterList{state.name.c_str(), state.paramNames, state.positionalOnly},
                       self->defaults, args, positional, kwnames, bound))
      return nullptr;
    ordered = bound;
  }
  for (size_t i = 0; i < count; ++i)
    if (!unboxArgument(ordered[i], types[i], slots, buffers, state.name.c_str(),
                       state.paramNames[i].c_str()))
      return nullptr;

  const Specialization *spec = findSpecialization(state, types, count);
  if (spec && ordered == args)
    rememberFastCall(self, *spec, args, count);
  if (!spec && state.explicitOnly.load(std::memory_order_relaxed) &&
      !(spec = convertToExplicitSignature(state, types, slots.data(), count)))
    return nullptr;
  if (!spec && !(spec = compileSpecialization(self, types, count)))
    return nullptr;
  return callSpecialization(self, spec->target, slots.data(), &buffers);
}

/// The constructed state's fast path: one that matches no call.
const FastPath kNoFastPath{};

bool sameKey(const NdarrayKey &a, const NdarrayKey &b) {
  return a.typeNumber == b.typeNumber && a.ndim == b.ndim && a.readonly == b.readonly &&
         a.layout == b.layout && a.itemsize == b.itemsize;
}

} // namespace

bool FastPath::sameAs(const FastPath &other) const {
  if (count != other.count || target.entry != other.target.entry ||
      target.boxAs != other.target.boxAs || target.returnType != other.target.returnType)
    return false;
  for (size_t i = 0; i < kMaxArgs; ++i)
    if (types[i] != other.types[i] || !sameKey(arrays[i], other.arrays[i]))
      return false;
  return true;
}

namespace {

/// Makes `remembered` the fast path. Records are immutable once published and kept until the
/// dispatcher dies (a call may be reading the one replaced); one is reused when the same
/// path comes back, so that calls alternating between argument types allocate nothing and
/// the records stay as few as the distinct paths.
void publishFastPath(DispatcherObject *self, const FastPath &remembered) {
  DispatcherState &state = *self->state;
  std::lock_guard lock(state.mutex);
  const FastPath *record = nullptr;
  for (const auto &known : state.fastPaths)
    if (known->sameAs(remembered))
      record = known.get();
  if (!record) {
    state.fastPaths.push_back(std::make_unique<FastPath>(remembered));
    record = state.fastPaths.back().get();
  }
  // Release: a call that reads the new pointer reads the complete record.
  std::atomic_ref<const FastPath *>(self->fast).store(record, std::memory_order_release);
}

/// Remembers `spec` for calls with arguments of the same exact types as `args`, when they
/// are all int, float, bool or numpy.ndarray objects.
void rememberFastCall(DispatcherObject *self, const Specialization &spec, PyObject *const *args,
                      size_t count) {
  if (count > FastPath::kMaxArgs)
    return;
  FastPath remembered;
  size_t slots = 0;
  for (size_t i = 0; i < count; ++i) {
    PyTypeObject *type = Py_TYPE(args[i]);
    bool scalar = type == &PyLong_Type || type == &PyFloat_Type || type == &PyBool_Type;
    if (!scalar && !ndarrayKeyOf(args[i], remembered.arrays[i]))
      return;
    slots += scalar ? 1 : ndarraySlots(static_cast<size_t>(remembered.arrays[i].ndim));
    remembered.types[i] = type;
  }
  if (slots > FastPath::kMaxSlots)
    return;
  remembered.count = count;
  remembered.target = spec.target;
  // Nothing to publish (nor lock) when the call repeats the current path.
  if (!currentFastPath(self).sameAs(remembered))
    publishFastPath(self, remembered);
}

/// The call through `fast`, when the arguments fit it; else `handled` stays false and
/// nothing is raised (another type, an int beyond int64, an array of another layout): the
/// general path then handles them.
PyObject *tryFastCall(DispatcherObject *self, PyObject *const *args, size_t positional,
                      bool &handled) {
  const FastPath &fast = currentFastPath(self);
  handled = false;
  if (positional != fast.count)
    return nullptr;
  uint64_t slots[FastPath::kMaxSlots]; // rememberFastCall checked that they fit
  size_t used = 0;
  for (size_t i = 0; i < positional; ++i) {
    PyObject *arg = args[i];
    PyTypeObject *type = Py_TYPE(arg);
    if (type != fast.types[i])
      return nullptr;
    if (type == &PyLong_Type) {
      int overflow = 0;
      long long value = PyLong_AsLongLongAndOverflow(arg, &overflow);
      if (overflow)
        return nullptr;
      slots[used++] = static_cast<uint64_t>(value);
    } else if (type == &PyFloat_Type) {
      double value = PyFloat_AS_DOUBLE(arg);
      std::memcpy(&slots[used++], &value, sizeof value);
    } else if (type == &PyBool_Type) {
      slots[used++] = arg == Py_True;
    } else if (readNdarrayWithKey(arg, fast.arrays[i], slots + used)) {
      used += ndarraySlots(static_cast<size_t>(fast.arrays[i].ndim));
    } else {
      return nullptr;
    }
  }
  handled = true;
  return callSpecialization(self, fast.target, slots, nullptr);
}

PyObject *callSpecialization(DispatcherObject *self, NativeTarget target, uint64_t *argSlots,
                             const BufferHolder *buffers) {
  const DispatcherState &state = *self->state;
  // One slot per leaf of the result (a tuple's elements flattened); at least one.
  uint64_t inlineResult[kInlineArgs];
  std::unique_ptr<uint64_t[]> heapResult;
  uint64_t *result = inlineResult;
  if (target.resultLeaves > kInlineArgs) {
    heapResult = std::make_unique<uint64_t[]>(target.resultLeaves);
    result = heapResult.get();
  }
  // Arrays the call allocates belong to it: those in the result go to NumPy, the rest are
  // freed below, on every way out. Code that cannot allocate skips the bookkeeping.
  struct ReleaseAllocations {
    bool marked;
    runtime::AllocationMark mark;
    ~ReleaseAllocations() {
      if (marked)
        runtime::releaseAllocationsSince(mark);
    }
  } release{target.allocates,
            target.allocates ? runtime::allocationMark() : runtime::AllocationMark{0, 0}};
  NativeCallResult call = callNative(target.entry, result, argSlots, state.mode);
  if (call.released && state.mode == GilMode::Auto)
    self->state->autoReleases.fetch_add(1, std::memory_order_relaxed);
  if (call.status != 0) {
    raiseFromErrorRecord();
    return nullptr;
  }
  switch (target.scalar) {
  case ScalarResult::Int64:
    return PyLong_FromLongLong(static_cast<int64_t>(result[0]));
  case ScalarResult::Float64: {
    double value;
    std::memcpy(&value, result, sizeof value);
    return PyFloat_FromDouble(value);
  }
  case ScalarResult::Bool:
    return PyBool_FromLong(*reinterpret_cast<const uint8_t *>(result) & 1);
  case ScalarResult::Other:
    break;
  }
  return boxResult(target.returnType, target.boxAs, result, buffers);
}

/// An int attribute of an object (a code object's co_argcount, co_flags...) through its Python
/// interface: the fields of PyCodeObject are no stable API and change between versions.
bool intAttribute(PyObject *object, const char *name, long &value) {
  PyObject *attribute = PyObject_GetAttrString(object, name);
  if (!attribute)
    return false;
  value = PyLong_AsLong(attribute);
  Py_DECREF(attribute);
  return !(value == -1 && PyErr_Occurred());
}

PyObject *dispatcherNew(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
  PyObject *pyFunc;
  int mode;
  PyObject *loader;
  int numpyErrorModel = 0;
  int boundsCheck = 1;
  int parallel = 0;
  int cache = 0;
  unsigned int fastMath = 0;
  int inlining = 0;
  PyObject *declaredLocals = nullptr;
  static const char *keywords[] = {"py_func",     "nogil_mode", "loader", "numpy_error_model",
                                   "boundscheck", "parallel",   "cache",  "fastmath",
                                   "inline",      "locals",     nullptr};
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OiO|ppppIiO!", const_cast<char **>(keywords),
                                   &pyFunc, &mode, &loader, &numpyErrorModel, &boundsCheck,
                                   &parallel, &cache, &fastMath, &inlining, &PyDict_Type,
                                   &declaredLocals))
    return nullptr;
  if (inlining < 0 || inlining > static_cast<int>(sema::InlineMode::Never)) {
    PyErr_SetString(PyExc_ValueError, "unknown inline mode");
    return nullptr;
  }
  std::unordered_map<std::string, const sema::Type *> locals;
  if (declaredLocals) {
    PyObject *key, *value;
    Py_ssize_t position = 0;
    while (PyDict_Next(declaredLocals, &position, &key, &value)) {
      const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : nullptr;
      const char *typeName = PyUnicode_Check(value) ? PyUnicode_AsUTF8(value) : nullptr;
      const sema::Type *type = name && typeName ? typeNamed(typeName) : nullptr;
      if (!type) {
        if (!PyErr_Occurred())
          PyErr_SetString(PyExc_TypeError, "locals must map names to type names");
        return nullptr;
      }
      locals.emplace(name, type);
    }
  }
  if (mode != static_cast<int>(GilMode::Hold) && mode != static_cast<int>(GilMode::Release) &&
      mode != static_cast<int>(GilMode::Auto)) {
    PyErr_SetString(PyExc_ValueError, "unknown GIL mode");
    return nullptr;
  }
  PyObject *code = PyObject_GetAttrString(pyFunc, "__code__");
  if (!code)
    return nullptr;
  if (!PyCode_Check(code)) {
    PyErr_Format(PyExc_TypeError,
                 "expected a Python function, whose __code__ is a code object, not %s",
                 Py_TYPE(code)->tp_name);
    Py_DECREF(code);
    return nullptr;
  }
  long argCount = 0, flags = 0, kwOnlyCount = 0, posOnlyCount = 0;
  if (!intAttribute(code, "co_argcount", argCount) || !intAttribute(code, "co_flags", flags) ||
      !intAttribute(code, "co_kwonlyargcount", kwOnlyCount) ||
      !intAttribute(code, "co_posonlyargcount", posOnlyCount)) {
    Py_DECREF(code);
    return nullptr;
  }
  std::vector<std::string> paramNames;
  PyObject *varnames = PyCode_GetVarnames(reinterpret_cast<PyCodeObject *>(code));
  if (!varnames) {
    Py_DECREF(code);
    return nullptr;
  }
  for (long i = 0; i < argCount; ++i)
    paramNames.emplace_back(PyUnicode_AsUTF8(PyTuple_GET_ITEM(varnames, i)));
  Py_DECREF(varnames);
  bool variadic = (flags & (CO_VARARGS | CO_VARKEYWORDS)) != 0 || kwOnlyCount > 0;
  auto positionalOnly = static_cast<size_t>(posOnlyCount);
  Py_DECREF(code);
  PyObject *qualname = PyObject_GetAttrString(pyFunc, "__qualname__");
  if (!qualname)
    return nullptr;
  std::string name = PyUnicode_AsUTF8(qualname);
  Py_DECREF(qualname);

  auto *self = reinterpret_cast<DispatcherObject *>(type->tp_alloc(type, 0));
  if (!self)
    return nullptr;
  self->vectorcall = dispatcherVectorcall;
  self->fast = &kNoFastPath; // before the object is shared: a plain store
  self->pyFunc = Py_NewRef(pyFunc);
  self->loader = Py_NewRef(loader);
  PyObject *defaults = PyObject_GetAttrString(pyFunc, "__defaults__");
  if (!defaults) {
    Py_DECREF(self);
    return nullptr;
  }
  if (defaults == Py_None)
    Py_DECREF(defaults);
  else
    self->defaults = defaults;
  self->state = new DispatcherState();
  self->state->mode = static_cast<GilMode>(mode);
  self->state->name = name;
  self->state->paramNames = std::move(paramNames);
  self->state->variadic = variadic;
  self->state->positionalOnly = positionalOnly;
  self->state->numpyErrorModel = numpyErrorModel != 0;
  self->state->boundsCheck = boundsCheck != 0;
  self->state->parallel = parallel != 0;
  self->state->cache = cache != 0;
  self->state->fastMath = fastMath;
  self->state->inlining = static_cast<sema::InlineMode>(inlining);
  self->state->declaredLocals = std::move(locals);
  return reinterpret_cast<PyObject *>(self);
}

int dispatcherTraverse(PyObject *object, visitproc visit, void *arg) {
  auto *self = reinterpret_cast<DispatcherObject *>(object);
  Py_VISIT(Py_TYPE(object));
  Py_VISIT(self->dict);
  Py_VISIT(self->pyFunc);
  Py_VISIT(self->loader);
  Py_VISIT(self->freeValues);
  Py_VISIT(self->defaults);
  return 0;
}

int dispatcherClear(PyObject *object) {
  auto *self = reinterpret_cast<DispatcherObject *>(object);
  Py_CLEAR(self->dict);
  Py_CLEAR(self->pyFunc);
  Py_CLEAR(self->loader);
  Py_CLEAR(self->freeValues);
  Py_CLEAR(self->defaults);
  return 0;
}

void dispatcherDealloc(PyObject *object) {
  auto *self = reinterpret_cast<DispatcherObject *>(object);
  PyTypeObject *type = Py_TYPE(object);
  PyObject_GC_UnTrack(object);
  if (self->weakrefs)
    PyObject_ClearWeakRefs(object);
  dispatcherClear(object);
  delete self->state;
  type->tp_free(object);
  Py_DECREF(type);
}

PyObject *getPyFunc(PyObject *object, void *) {
  return Py_NewRef(reinterpret_cast<DispatcherObject *>(object)->pyFunc);
}

PyObject *getSignatures(PyObject *object, void *) {
  const DispatcherState &state = *reinterpret_cast<DispatcherObject *>(object)->state;
  std::vector<const Specialization *> published;
  for (const Specialization *spec = state.newest.load(std::memory_order_acquire); spec;
       spec = spec->older)
    published.push_back(spec);
  PyObject *list = PyList_New(0);
  // Oldest first, like Numba's `signatures`.
  for (auto spec = published.rbegin(); spec != published.rend(); ++spec) {
    const std::vector<const sema::Type *> &argTypes = (*spec)->argTypes;
    PyObject *names = PyTuple_New(static_cast<Py_ssize_t>(argTypes.size()));
    for (size_t i = 0; i < argTypes.size(); ++i)
      PyTuple_SET_ITEM(names, i, PyUnicode_FromString(argTypes[i]->name()));
    PyList_Append(list, names);
    Py_DECREF(names);
  }
  return list;
}

PyObject *dispatcherRepr(PyObject *object) {
  return PyUnicode_FromFormat("<nogil.Dispatcher %s>",
                              reinterpret_cast<DispatcherObject *>(object)->state->name.c_str());
}

PyObject *dispatcherGet(PyObject *self, PyObject *instance, PyObject *) {
  // A compiled function stored on a class stays a plain function, like a staticmethod.
  return Py_NewRef(self);
}

PyMemberDef dispatcherMembers[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(DispatcherObject, vectorcall), READONLY, nullptr},
    {"__dictoffset__", T_PYSSIZET, offsetof(DispatcherObject, dict), READONLY, nullptr},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(DispatcherObject, weakrefs), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr}};

PyObject *getStats(PyObject *object, void *) {
  DispatcherState &state = *reinterpret_cast<DispatcherObject *>(object)->state;
  unsigned long long compiles, cacheHits, cacheMisses;
  Py_ssize_t specializations;
  double compileSeconds;
  {
    std::lock_guard lock(state.mutex); // a consistent set of counters
    compiles = state.compiles;
    cacheHits = state.cacheHits;
    cacheMisses = state.cacheMisses;
    specializations = static_cast<Py_ssize_t>(state.specializations.size());
    compileSeconds = state.compileSeconds;
  }
  return Py_BuildValue(
      "{sKsKsnsKsKsd}", "compiles", compiles, "auto_gil_releases",
      static_cast<unsigned long long>(state.autoReleases.load(std::memory_order_relaxed)),
      "specializations", specializations, "cache_hits", cacheHits, "cache_misses", cacheMisses,
      "compile_seconds", compileSeconds);
}

PyGetSetDef dispatcherGetSet[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, nullptr, nullptr},
    {"py_func", getPyFunc, nullptr, "The original Python function.", nullptr},
    {"signatures", getSignatures, nullptr,
     "The argument types of each compiled specialization, oldest first.", nullptr},
    {"stats", getStats, nullptr,
     "Counters: compiles (specializations compiled or loaded from the cache, failed ones\n"
     "included), auto_gil_releases (calls under nogil=\"auto\" that ran long enough to release\n"
     "the GIL), specializations, cache_hits and cache_misses (cache=True: specializations\n"
     "loaded from disk, and compiled because no valid entry was there), compile_seconds\n"
     "(time spent compiling or loading).",
     nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};

} // namespace

PyTypeObject *createDispatcherType() {
  static PyType_Slot slots[] = {
      {Py_tp_new, reinterpret_cast<void *>(dispatcherNew)},
      {Py_tp_dealloc, reinterpret_cast<void *>(dispatcherDealloc)},
      {Py_tp_traverse, reinterpret_cast<void *>(dispatcherTraverse)},
      {Py_tp_clear, reinterpret_cast<void *>(dispatcherClear)},
      {Py_tp_call, reinterpret_cast<void *>(PyVectorcall_Call)},
      {Py_tp_repr, reinterpret_cast<void *>(dispatcherRepr)},
      {Py_tp_descr_get, reinterpret_cast<void *>(dispatcherGet)},
      {Py_tp_members, dispatcherMembers},
      {Py_tp_getset, dispatcherGetSet},
      {Py_tp_methods, dispatcherMethods},
      {Py_tp_doc, const_cast<char *>("A function compiled by nogil on its first call with each "
                                     "new argument types.")},
      {0, nullptr}};
  static PyType_Spec spec = {"nogil.Dispatcher", sizeof(DispatcherObject), 0,
                             Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
                             slots};
  dispatcherType = reinterpret_cast<PyTypeObject *>(PyType_FromSpec(&spec));
  return dispatcherType;
}

void registerParallelRange(PyObject *prange) { Py_XSETREF(parallelRange, Py_NewRef(prange)); }

} // namespace nogil::python
