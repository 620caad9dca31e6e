#include "python/numpy_scalars.h"

#include <cstring>
#include <utility>

namespace nogil::python {

namespace {

/// NumPy's scalar classes and the compiled type of each. Filled once, under the GIL, when
/// NumPy is first seen loaded; the classes live as long as NumPy (never unloaded).
struct ScalarClasses {
  bool loaded = false;
  std::pair<PyObject *, const sema::Type *> classes[11] = {};
};

ScalarClasses &scalarClasses() {
  static ScalarClasses instance;
  return instance;
}

constexpr std::pair<const char *, sema::TypeKind> kNames[] = {
    {"bool_", sema::TypeKind::Bool},      {"int8", sema::TypeKind::Int8},
    {"int16", sema::TypeKind::Int16},     {"int32", sema::TypeKind::Int32},
    {"int64", sema::TypeKind::Int64},     {"uint8", sema::TypeKind::UInt8},
    {"uint16", sema::TypeKind::UInt16},   {"uint32", sema::TypeKind::UInt32},
    {"uint64", sema::TypeKind::UInt64},   {"float32", sema::TypeKind::Float32},
    {"float64", sema::TypeKind::Float64},
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
  cache.loaded = true;
  return true;
}

} // namespace

const sema::Type *numpyScalarTypeOf(PyObject *value) {
  ScalarClasses &cache = scalarClasses();
  if (!cache.loaded) {
    PyObject *name = PyUnicode_FromString("numpy");
    PyObject *numpy = name ? PyImport_GetModule(name) : nullptr;
    Py_XDECREF(name);
    if (!numpy) {
      PyErr_Clear();
      return nullptr;
    }
    bool ok = load(numpy);
    Py_DECREF(numpy);
    if (!ok) {
      PyErr_Clear();
      return nullptr;
    }
  }
  for (const auto &[cls, type] : cache.classes)
    if (Py_TYPE(value) == reinterpret_cast<PyTypeObject *>(cls))
      return type;
  return nullptr;
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
    if (candidateType == type)
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
