#include "python/numpy_scalars.h"

#include <atomic>
#include <cstring>
#include <memory>
#include <utility>

namespace nogil::python {

namespace {

/// NumPy's scalar classes and the compiled type of each, read once NumPy is first seen
/// loaded. Immutable once published; the classes live as long as NumPy (never unloaded).
struct ScalarClasses {
  std::pair<PyObject *, const sema::Type *> classes[13] = {};
  PyTypeObject *generic = nullptr; ///< numpy.generic, the base of every NumPy scalar
  PyTypeObject *ndarray = nullptr;
  PyTypeObject *memmap = nullptr;

  ~ScalarClasses() {
    for (auto &[cls, type] : classes)
      Py_XDECREF(cls);
    Py_XDECREF(generic);
    Py_XDECREF(ndarray);
    Py_XDECREF(memmap);
  }
};

/// The published classes, null until then. Guarded by itself (no GIL reliance): threads that
/// race to fill it each read NumPy into their own copy, the first to publish wins and the
/// others drop theirs; readers acquire the complete struct. Never freed (NumPy stays loaded).
std::atomic<const ScalarClasses *> published{nullptr};

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

/// Reads the classes from `numpy` and publishes them (or finds another thread's); null with
/// an exception set if one is missing.
const ScalarClasses *load(PyObject *numpy) {
  auto cache = std::make_unique<ScalarClasses>();
  for (size_t i = 0; i < std::size(kNames); ++i) {
    PyObject *cls = PyObject_GetAttrString(numpy, kNames[i].first);
    if (!cls)
      return nullptr;
    cache->classes[i] = {cls, sema::typeOf(kNames[i].second)};
  }
  PyTypeObject **classes[] = {&cache->generic, &cache->ndarray, &cache->memmap};
  const char *names[] = {"generic", "ndarray", "memmap"};
  for (size_t i = 0; i < std::size(classes); ++i) {
    PyObject *cls = PyObject_GetAttrString(numpy, names[i]);
    if (!cls)
      return nullptr;
    if (!PyType_Check(cls)) {
      Py_DECREF(cls);
      PyErr_Format(PyExc_TypeError, "numpy.%s is not a class", names[i]);
      return nullptr;
    }
    *classes[i] = reinterpret_cast<PyTypeObject *>(cls);
  }
  const ScalarClasses *expected = nullptr;
  if (published.compare_exchange_strong(expected, cache.get(), std::memory_order_acq_rel))
    return cache.release();
  return expected; // another thread published first: `cache` drops its references
}

/// The classes, loaded if NumPy is imported; null (no exception) when it is not, or lacks one.
const ScalarClasses *loadedIfImported() {
  if (const ScalarClasses *cache = published.load(std::memory_order_acquire))
    return cache;
  PyObject *name = PyUnicode_FromString("numpy");
  PyObject *numpy = name ? PyImport_GetModule(name) : nullptr;
  Py_XDECREF(name);
  if (!numpy) {
    PyErr_Clear();
    return nullptr;
  }
  const ScalarClasses *cache = load(numpy);
  Py_DECREF(numpy);
  if (!cache)
    PyErr_Clear();
  return cache;
}

} // namespace

const sema::Type *numpyScalarTypeOf(PyObject *value) {
  const ScalarClasses *cache = loadedIfImported();
  if (!cache)
    return nullptr;
  for (const auto &[cls, type] : cache->classes)
    if (Py_TYPE(value) == reinterpret_cast<PyTypeObject *>(cls))
      return type;
  return nullptr;
}

bool isNumpyScalar(PyObject *value) {
  const ScalarClasses *cache = loadedIfImported();
  return cache && PyObject_TypeCheck(value, cache->generic);
}

NdarrayClass ndarrayClassOf(PyObject *value) {
  const ScalarClasses *cache = loadedIfImported();
  if (!cache)
    return NdarrayClass::None;
  PyTypeObject *type = Py_TYPE(value);
  if (type == cache->ndarray || type == cache->memmap)
    return NdarrayClass::Plain;
  return PyType_IsSubtype(type, cache->ndarray) ? NdarrayClass::Subclass : NdarrayClass::None;
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
  const ScalarClasses *cache = published.load(std::memory_order_acquire);
  if (!cache) {
    PyObject *numpy = PyImport_ImportModule("numpy");
    if (!numpy)
      return nullptr;
    cache = load(numpy);
    Py_DECREF(numpy);
    if (!cache)
      return nullptr;
  }
  PyObject *cls = nullptr;
  for (const auto &[candidate, candidateType] : cache->classes)
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

const sema::Type *designatedDtype(PyObject *value) {
  // Python's own classes, as NumPy reads them in a dtype= (np.dtype(float) is float64).
  if (value == reinterpret_cast<PyObject *>(&PyFloat_Type))
    return sema::float64Type();
  if (value == reinterpret_cast<PyObject *>(&PyLong_Type))
    return sema::int64Type();
  if (value == reinterpret_cast<PyObject *>(&PyBool_Type))
    return sema::boolType();
  if (value == reinterpret_cast<PyObject *>(&PyComplex_Type))
    return sema::complex128Type();
  PyObject *name = PyUnicode_FromString("numpy");
  if (!name) {
    PyErr_Clear();
    return nullptr;
  }
  PyObject *numpy = PyImport_GetModule(name);
  Py_DECREF(name);
  if (!numpy) {
    PyErr_Clear();
    return nullptr;
  }
  const sema::Type *designated = nullptr;
  PyObject *dtypeClass = PyObject_GetAttrString(numpy, "dtype");
  PyObject *genericClass = PyObject_GetAttrString(numpy, "generic");
  if (dtypeClass && genericClass &&
      (PyObject_IsInstance(value, dtypeClass) == 1 ||
       (PyType_Check(value) && PyObject_IsSubclass(value, genericClass) == 1))) {
    PyObject *dtype = PyObject_CallOneArg(dtypeClass, value);
    PyObject *text = dtype ? PyObject_GetAttrString(dtype, "str") : nullptr;
    const char *spelled = text && PyUnicode_Check(text) ? PyUnicode_AsUTF8(text) : nullptr;
    if (spelled)
      designated = sema::dtypeFromString(spelled);
    Py_XDECREF(text);
    Py_XDECREF(dtype);
  }
  PyErr_Clear();
  Py_XDECREF(genericClass);
  Py_XDECREF(dtypeClass);
  Py_DECREF(numpy);
  return designated;
}

} // namespace nogil::python
