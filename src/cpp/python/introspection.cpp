// The Dispatcher's methods for explicit signatures, checking and inspection. nogil's Python
// layer (decorators.py, inspection.py) wraps them with the public names.
#include "jit/compiler_stack.h"
#include "jit/inspect.h"
#include "python/boxing.h"
#include "python/dispatcher_impl.h"
#include "python/py_values.h"

#include <nanobind/nanobind.h>

#include <cctype>
#include <charconv>
#include <optional>
#include <string>

namespace nb = nanobind;

namespace nogil::python {

namespace {

DispatcherObject *asDispatcher(PyObject *self) {
  return reinterpret_cast<DispatcherObject *>(self);
}

const sema::Type *scalarNamed(std::string_view name) {
  using sema::TypeKind;
  for (TypeKind kind :
       {TypeKind::Bool, TypeKind::Int8, TypeKind::Int16, TypeKind::Int32, TypeKind::Int64,
        TypeKind::UInt8, TypeKind::UInt16, TypeKind::UInt32, TypeKind::UInt64, TypeKind::Float32,
        TypeKind::Float64, TypeKind::Complex64, TypeKind::Complex128})
    if (name == sema::typeOf(kind)->name())
      return sema::typeOf(kind);
  return nullptr;
}

/// "datetime64[D]", "timedelta64" (generic) and the other scalar names at the start of
/// `text`, advancing it past the name (and the unit).
const sema::Type *parseScalar(std::string_view &text, std::string_view name) {
  for (bool datetime : {true, false}) {
    if (name != (datetime ? "datetime64" : "timedelta64"))
      continue;
    sema::DatetimeUnit unit = sema::DatetimeUnit::Generic;
    if (text.starts_with("[")) {
      size_t close = text.find(']');
      if (close == std::string_view::npos)
        return nullptr;
      std::string unitText(text.substr(1, close - 1));
      if (unitText.empty() || !sema::unitFromName(unitText.c_str(), unit))
        return nullptr;
      text.remove_prefix(close + 1);
    }
    return datetime ? sema::datetimeType(unit) : sema::timedeltaType(unit);
  }
  return scalarNamed(name);
}

/// A type from the name `.signatures` shows for it: "int64", "tuple[int64, float64]",
/// "readonly array(float64, 2d, C)". Parses a prefix of `text`, advancing it; null when it
/// is none of these, or when tuples nest deeper than an argument's can (see boxing.cpp).
const sema::Type *parseType(std::string_view &text, int depth = 0) {
  constexpr int kMaxDepth = 256;
  if (depth > kMaxDepth)
    return nullptr;
  auto skipSpaces = [&] {
    while (!text.empty() && text.front() == ' ')
      text.remove_prefix(1);
  };
  auto take = [&](std::string_view word) {
    skipSpaces();
    if (!text.starts_with(word))
      return false;
    text.remove_prefix(word.size());
    return true;
  };
  auto word = [&] {
    skipSpaces();
    size_t end = 0;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
      ++end;
    std::string_view found = text.substr(0, end);
    text.remove_prefix(end);
    return found;
  };
  if (take("tuple[")) {
    std::vector<const sema::Type *> elements;
    while (!take("]")) {
      const sema::Type *element = parseType(text, depth + 1);
      if (!element)
        return nullptr;
      elements.push_back(element);
      take(",");
    }
    return sema::tupleType(elements);
  }
  bool readonly = take("readonly ");
  if (take("array(")) {
    const sema::Type *dtype = parseScalar(text, word());
    std::string_view dims = (take(","), word());
    std::string_view layout = (take(","), word());
    if (!dtype || !take(")") || dims.empty() || dims.back() != 'd')
      return nullptr;
    // NumPy's arrays have at most 64 dimensions; anything else is not a type name.
    unsigned ndim = 0;
    std::string_view digits = dims.substr(0, dims.size() - 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), ndim);
    if (error != std::errc() || end != digits.data() + digits.size() || ndim > 64)
      return nullptr;
    sema::Layout order = layout == "C"   ? sema::Layout::C
                         : layout == "F" ? sema::Layout::F
                                         : sema::Layout::Any;
    return sema::arrayType(dtype, ndim, order, readonly);
  }
  std::string_view name = word();
  if (name == "None" && !readonly) // a None argument (an optional(t) signature's other half)
    return sema::noneType();
  return parseScalar(text, name);
}

} // namespace

const sema::Type *typeNamed(std::string_view name) {
  const sema::Type *type = parseType(name);
  return type && name.find_first_not_of(' ') == std::string_view::npos ? type : nullptr;
}

namespace {

/// The argument kinds named by a tuple of type names ("int64", "float64", "bool"), checked
/// against the function's parameters. Empty with an exception set when they do not fit.
std::optional<std::vector<const sema::Type *>> argumentTypes(DispatcherObject *self,
                                                             PyObject *names) {
  if (!PyTuple_Check(names)) {
    PyErr_SetString(PyExc_TypeError, "argument types must be a tuple of type names");
    return std::nullopt;
  }
  const DispatcherState &state = *self->state;
  size_t count = static_cast<size_t>(PyTuple_GET_SIZE(names));
  if (count != state.paramNames.size() && !state.variadic) {
    PyErr_Format(PyExc_TypeError, "%s() takes %zu argument(s) but the signature gives %zu",
                 state.name.c_str(), state.paramNames.size(), count);
    return std::nullopt;
  }
  std::vector<const sema::Type *> types;
  for (size_t i = 0; i < count; ++i) {
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, static_cast<Py_ssize_t>(i)));
    if (!name)
      return std::nullopt;
    const sema::Type *type = typeNamed(name);
    // A function value (`function(f)`) has no spelling of its own: one a specialization was
    // compiled for names it, as `.signatures` shows it.
    for (const Specialization *spec = state.newest.load(std::memory_order_acquire); !type && spec;
         spec = spec->older)
      if (i < spec->argTypes.size() && std::string_view(spec->argTypes[i]->name()) == name)
        type = spec->argTypes[i];
    if (!type) {
      PyErr_Format(PyExc_TypeError, "unknown argument type '%s'", name);
      return std::nullopt;
    }
    std::string parameter = i < state.paramNames.size() ? state.paramNames[i] : "*args";
    if (!checkTupleLimits(type, state.name.c_str(), parameter.c_str()))
      return std::nullopt;
    types.push_back(type);
  }
  return types;
}

/// `_compile(arg_types, return_type)`: compiles one signature now. A declared return type
/// must hold the inferred one without loss (int64 declared float64 comes back as a float).
PyObject *compileMethod(PyObject *self, PyObject *args) {
  PyObject *names;
  PyObject *returnName;
  if (!PyArg_ParseTuple(args, "OO", &names, &returnName))
    return nullptr;
  auto types = argumentTypes(asDispatcher(self), names);
  if (!types)
    return nullptr;
  const sema::Type *declared = nullptr;
  if (returnName != Py_None) {
    const char *name = PyUnicode_AsUTF8(returnName);
    if (!name)
      return nullptr;
    if (std::string_view(name) == "none")
      declared = sema::noneType();
    else if (!(declared = typeNamed(name)))
      return PyErr_Format(PyExc_TypeError, "unknown return type '%s'", name);
  }
  DispatcherObject *dispatcher = asDispatcher(self);
  const Specialization *spec =
      compileSpecialization(dispatcher, types->data(), types->size(), declared);
  if (!spec)
    return nullptr;
  // compileSpecialization checked a new one; one published before (by a call) is kept.
  bool casts = declared && spec->returnType()->isNumeric() && declared->isNumeric();
  if (declared && !casts && sema::unify(spec->returnType(), declared) != declared) {
    raiseTypingError("error: " + dispatcher->state->name + "() returns " +
                         spec->returnType()->name() + ", which its declared return type " +
                         declared->name() + " cannot hold",
                     {});
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject *setExplicitMethod(PyObject *self, PyObject *) {
  asDispatcher(self)->state->explicitOnly.store(true, std::memory_order_relaxed);
  Py_RETURN_NONE;
}

/// `_argument_types(args, names)`: the compiled-code type name of each argument (named by
/// `names` in errors), as a call classifies it (a generator's frame is typed for them before
/// its first step).
PyObject *argumentTypesMethod(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
  if (nargs != 2 || !PyTuple_Check(args[0]) || !PyTuple_Check(args[1]) ||
      PyTuple_GET_SIZE(args[0]) != PyTuple_GET_SIZE(args[1])) {
    PyErr_SetString(PyExc_TypeError, "_argument_types expects two tuples of one length");
    return nullptr;
  }
  const char *function = asDispatcher(self)->state->name.c_str();
  Py_ssize_t count = PyTuple_GET_SIZE(args[0]);
  PyObject *names = PyTuple_New(count);
  if (!names)
    return nullptr;
  SlotBuffer slots;
  BufferHolder buffers;
  for (Py_ssize_t i = 0; i < count; ++i) {
    const sema::Type *type = nullptr;
    const char *parameter = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args[1], i));
    PyObject *name = nullptr;
    if (parameter &&
        unboxArgument(PyTuple_GET_ITEM(args[0], i), type, slots, buffers, function, parameter))
      name = PyUnicode_FromString(type->name());
    if (!name) {
      Py_DECREF(names);
      return nullptr;
    }
    PyTuple_SET_ITEM(names, i, name);
  }
  return names;
}

/// A generator function's call from Python: the factory set by `_call_as_generator` (kept in
/// the instance dict, which the GC already traverses) builds the iterator object.
PyObject *generatorVectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                              PyObject *kwnames) {
  PyObject *dict = asDispatcher(callable)->dict;
  PyObject *factory = dict ? PyDict_GetItemString(dict, "_generator_factory") : nullptr;
  if (!factory) {
    PyErr_SetString(PyExc_RuntimeError, "nogil: a generator function lost its factory");
    return nullptr;
  }
  return PyObject_Vectorcall(factory, args, nargsf, kwnames);
}

/// `_call_as_generator(factory)`: calls from Python go to `factory(*args, **kwargs)` from now
/// on; compiled callers still inline the generator (they never go through the vectorcall).
PyObject *callAsGeneratorMethod(PyObject *self, PyObject *factory) {
  if (PyObject_SetAttrString(self, "_generator_factory", factory) < 0)
    return nullptr;
  asDispatcher(self)->vectorcall = generatorVectorcall;
  Py_RETURN_NONE;
}

/// Runs `inspect` for the argument types after loading the unit. Null with an exception set.
template <typename Inspect>
std::optional<jit::Inspection> inspectWith(PyObject *self, PyObject *names, Inspect inspect) {
  DispatcherObject *dispatcher = asDispatcher(self);
  auto types = argumentTypes(dispatcher, names);
  if (!types)
    return std::nullopt;
  const sema::FunctionUnit *unit = loadUnit(dispatcher);
  if (!unit)
    return std::nullopt;
  jit::Inspection inspection;
  // As a compile: on a compiler thread's stack, without the GIL (no Python object is read).
  PyThreadState *saved = PyEval_SaveThread();
  jit::runOnCompilerStack([&] { inspection = inspect(*unit, *types); });
  PyEval_RestoreThread(saved);
  if (!inspection.internalError.empty()) {
    PyErr_Format(PyExc_RuntimeError, "nogil internal error while inspecting %s: %s",
                 dispatcher->state->name.c_str(), inspection.internalError.c_str());
    return std::nullopt;
  }
  return inspection;
}

/// `_check(arg_types)`: every diagnostic, as tuples; no code is generated.
PyObject *checkMethod(PyObject *self, PyObject *names) {
  auto inspection = inspectWith(self, names, jit::typesOf);
  if (!inspection)
    return nullptr;
  try {
    return diagnosticTuples(inspection->diagnostics).release().ptr();
  } catch (nb::python_error &error) {
    error.restore();
    return nullptr;
  }
}

/// `_inspect_types(arg_types)`: (return type, [(line, annotation)]).
PyObject *inspectTypesMethod(PyObject *self, PyObject *names) {
  auto inspection = inspectWith(self, names, jit::typesOf);
  if (!inspection)
    return nullptr;
  if (!inspection->diagnostics.empty()) {
    raiseTypingError(inspection->diagnostics);
    return nullptr;
  }
  try {
    nb::list annotations;
    for (const sema::LineAnnotation &note : inspection->annotations)
      annotations.append(nb::make_tuple(note.line, nb::str(note.text.c_str())));
    return nb::make_tuple(nb::str(inspection->returnType->name()), annotations).release().ptr();
  } catch (nb::python_error &error) {
    error.restore();
    return nullptr;
  }
}

template <jit::Inspection (*Inspect)(const sema::FunctionUnit &,
                                     const std::vector<const sema::Type *> &)>
PyObject *inspectTextMethod(PyObject *self, PyObject *names) {
  auto inspection = inspectWith(self, names, Inspect);
  if (!inspection)
    return nullptr;
  if (!inspection->diagnostics.empty()) {
    raiseTypingError(inspection->diagnostics);
    return nullptr;
  }
  return PyUnicode_FromStringAndSize(inspection->text.data(),
                                     static_cast<Py_ssize_t>(inspection->text.size()));
}

} // namespace

PyMethodDef dispatcherMethods[] = {
    {"_compile", compileMethod, METH_VARARGS, "Compiles (arg_types, return_type) now."},
    {"_set_explicit", setExplicitMethod, METH_NOARGS,
     "Dispatches to explicit signatures only, converting arguments."},
    {"_argument_types",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(argumentTypesMethod)),
     METH_FASTCALL, "Each argument's type name."},
    {"_call_as_generator", callAsGeneratorMethod, METH_O,
     "Calls from Python go to factory(*args, **kwargs)."},
    {"_check", checkMethod, METH_O, "Diagnostics for arg_types, without compiling."},
    {"_inspect_types", inspectTypesMethod, METH_O, "(return type, [(line, note)])."},
    {"_inspect_llvm", inspectTextMethod<jit::llvmOf>, METH_O, "Optimised LLVM IR."},
    {"_inspect_asm", inspectTextMethod<jit::asmOf>, METH_O, "Assembly for this CPU."},
    {nullptr, nullptr, 0, nullptr}};

} // namespace nogil::python
