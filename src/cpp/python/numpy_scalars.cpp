#include "python/numpy_scalars.h"

#include <cstring>
#include <utility>

namespace nogil::python {

namespace {

/// NumPy's scalar classes and the compiled type of each. Filled once, under the GIL, when
/// NumPy is first seen loaded; the classes live as long as NumPy (never unloaded).
struct ScalarClasses {
  bool loaded = false;
  std::pair<PyObject *, const sema::Type *> classes[13] = {};
  PyTypeObject *generic = nullptr; ///< numpy.generic, the base of every NumPy scalar
  PyTypeObject *ndarray = nullptr;
  PyTypeObject *memmap = nullptr;
};

ScalarClasses &scalarClasses() {
  static ScalarClasses instance;
  return instance;
}

constexpr std::pair<const char *, sema::TypeKind> kNames[] = {
    {"bool_", sema::TypeKind::Bool},
    {"int8", sema::TypeKind::Int8},
    {"int16", sema::TypeKind::Int16},
    {"int32", sema::TypeKind::Int32},
    {"int64", sema::TypeKind::Int64},
    {"uint8", sema::TypeKind::UInt8},
    {"uint16", sema::TypeKind::UInt16},
    {"uint32", sema::TypeKind::UInt32},
    {"uint64", sema::TypeKind::UInt64},
    {"float32", sema::TypeKind::Float32},
    {"float64", sema::TypeKind::Float64},
    // Classes of their own beside int64 and uint64 (numpy.long and numpy.ulong on LP64),
    // with the same values: after those, so that boxing finds int64 and uint64 first.
    {"longlong", sema::TypeKind::Int64},
    {"ulonglong", sema::TypeKind::UInt64},
};

/// Reads the classes from `numpy`; false with an exception set if one is missing.
bool load(PyObject *numpy) {
  ScalarClasses &cache = scalarClasses();
  for (size_t i = 0; i < std::size(kNames); ++i) {
    PyObject *cls = PyObject_GetAttrString(numpy, kNames[i].first);
    if (!cls)
      return false;
    cache.classes[i] = {cls, sema::typeOf(kNames[i].second)}; // kept: NumPy stays loaded
  }
  PyTypeObject **classes[] = {&cache.generic, &cache.ndarray, &cache.memmap};
  const char *names[] = {"generic", "ndarray", "memmap"};
  for (size_t i = 0; i < std::size(classes); ++i) {
    PyObject *cls = PyObject_GetAttrString(numpy, names[i]);
    if (!cls)
      return false;
    if (!PyType_Check(cls)) {
      Py_DECREF(cls);
      PyErr_Format(PyExc_TypeError, "numpy.%s is not a class", names[i]);
      return false;
    }
    *classes[i] = reinterpret_cast<PyTypeObject *>(cls); // kept, like the scalar classes
  }
  cache.loaded = true;
  return true;
}

/// Loads the classes if NumPy is imported; false (no exception) when it is not, or lacks one.
bool loadedIfImported() {
  ScalarClasses &cache = scalarClasses();
  if (cache.loaded)
    return true;
  PyObject *name = PyUnicode_FromString("numpy");
  PyObject *numpy = name ? PyImport_GetModule(name) : nullptr;
  Py_XDECREF(name);
  if (!numpy) {
    PyErr_Clear();
    return false;
  }
  bool ok = load(numpy);
  Py_DECREF(numpy);
  if (!ok)
    PyErr_Clear();
  return ok;
}

} // namespace

const sema::Type *numpyScalarTypeOf(PyObject *value) {
  if (!loadedIfImported())
    return nullptr;
  for (const auto &[cls, type] : scalarClasses().classes)
    if (Py_TYPE(value) == reinterpret_cast<PyTypeObject *>(cls))
      return type;
  return nullptr;
}

bool isNumpyScalar(PyObject *value) {
  return loadedIfImported() && PyObject_TypeCheck(value, scalarClasses().generic);
}

NdarrayClass ndarrayClassOf(PyObject *value) {
  if (!loadedIfImported())
    return NdarrayClass::None;
  const ScalarClasses &cache = scalarClasses();
  PyTypeObject *type = Py_TYPE(value);
  if (type == cache.ndarray || type == cache.memmap)
    return NdarrayClass::Plain;
  return PyType_IsSubtype(type, cache.ndarray) ? NdarrayClass::Subclass : NdarrayClass::None;
}

bool unboxNumpyScalar(PyObject *value, const sema::Type *type, uint64_t &slot) {
  if (type->isFloat()) {
    double v = PyFloat_AsDouble(value);
    if (v == -1.0 && PyErr_Occurred())
      return false;
    std::memcpy(&slot, &v, sizeof v);
    return true;
  }
  if (type->kind() == sema::TypeKind::Bool) {
    int truth = PyObject_IsTrue(value);
    if (truth < 0)
      return false;
    slot = static_cast<uint64_t>(truth);
    return true;
  }
  PyObject *integer = PyNumber_Index(value);
  if (!integer)
    return false;
  if (type->isUnsigned()) {
    slot = PyLong_AsUnsignedLongLong(integer);
  } else {
    slot = static_cast<uint64_t>(PyLong_AsLongLong(integer));
  }
  Py_DECREF(integer);
  return !PyErr_Occurred();
}

PyObject *boxNumpyScalar(const sema::Type *type, uint64_t slot) {
  ScalarClasses &cache = scalarClasses();
  if (!cache.loaded) {
    PyObject *numpy = PyImport_ImportModule("numpy");
    if (!numpy)
      return nullptr;
    bool ok = load(numpy);
    Py_DECREF(numpy);
    if (!ok)
      return nullptr;
  }
  PyObject *cls = nullptr;
  for (const auto &[candidate, candidateType] : cache.classes)
    if (!cls && candidateType == type)
      cls = candidate;
  PyObject *number;
  if (type->isFloat()) {
    double v;
    std::memcpy(&v, &slot, sizeof v);
    number = PyFloat_FromDouble(v);
  } else if (type->isUnsigned()) {
    number = PyLong_FromUnsignedLongLong(slot);
  } else {
    number = PyLong_FromLongLong(static_cast<int64_t>(slot));
  }
  if (!number)
    return nullptr;
  PyObject *scalar = PyObject_CallOneArg(cls, number);
  Py_DECREF(number);
  return scalar;
}

} // namespace nogil::python
