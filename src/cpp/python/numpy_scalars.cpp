#include "python/numpy_scalars.h"

#include <atomic>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>

namespace nogil::python {

namespace {

/// NumPy's scalar classes and the compiled type of each, read once NumPy is first seen
/// loaded. Immutable once published; the classes live as long as NumPy (never unloaded).
struct ScalarClasses {
  std::pair<PyObject *, const sema::Type *> classes[14] = {};
  PyTypeObject *generic = nullptr; ///< numpy.generic, the base of every NumPy scalar
  PyTypeObject *ndarray = nullptr;
  PyTypeObject *memmap = nullptr;
  PyTypeObject *datetime64 = nullptr;
  PyTypeObject *timedelta64 = nullptr;

  ~ScalarClasses() {
    for (auto &[cls, type] : classes)
      Py_XDECREF(cls);
    Py_XDECREF(generic);
    Py_XDECREF(ndarray);
    Py_XDECREF(memmap);
    Py_XDECREF(datetime64);
    Py_XDECREF(timedelta64);
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
    {"complex64", sema::TypeKind::Complex64}, // complex128 is a Python complex: boxing.cpp
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
  PyTypeObject **classes[] = {&cache->generic, &cache->ndarray, &cache->memmap, &cache->datetime64,
                              &cache->timedelta64};
  const char *names[] = {"generic", "ndarray", "memmap", "datetime64", "timedelta64"};
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

/// NumPy's PyDatetimeScalarObject (numpy/ndarraytypes.h), the same for timedelta64: the
/// count, then the unit and its multiple. Unchanged since NumPy 1.7, in NumPy 2 too.
struct DatetimeScalarFields {
  PyObject_HEAD int64_t value;
  int unit; ///< NPY_DATETIMEUNIT, which sema::DatetimeUnit numbers alike
  int multiple;
};

/// The compiled type of a datetime64 or timedelta64 scalar, or null (no exception) when it
/// has a unit compiled code has no type for (a multiple such as [10s], business days).
const sema::Type *timeScalarType(PyObject *value, bool datetime) {
  auto *fields = reinterpret_cast<DatetimeScalarFields *>(value);
  if (fields->multiple != 1 || fields->unit < 0 ||
      fields->unit > static_cast<int>(sema::DatetimeUnit::Generic) || fields->unit == 3)
    return nullptr;
  auto unit = static_cast<sema::DatetimeUnit>(fields->unit);
  return datetime ? sema::datetimeType(unit) : sema::timedeltaType(unit);
}

} // namespace

const sema::Type *numpyScalarTypeOf(PyObject *value) {
  const ScalarClasses *cache = loadedIfImported();
  if (!cache)
    return nullptr;
  for (const auto &[cls, type] : cache->classes)
    if (Py_TYPE(value) == reinterpret_cast<PyTypeObject *>(cls))
      return type;
  if (Py_TYPE(value) == cache->datetime64 || Py_TYPE(value) == cache->timedelta64)
    return timeScalarType(value, Py_TYPE(value) == cache->datetime64);
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
  if (type->isTimeType()) {
    slot = static_cast<uint64_t>(reinterpret_cast<DatetimeScalarFields *>(value)->value);
    return true;
  }
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

namespace {

/// np.datetime64(count, unit) or np.timedelta64(count, unit); NaT as "NaT", which is the
/// only generic datetime64 there is.
PyObject *boxTimeScalar(const ScalarClasses *cache, const sema::Type *type, int64_t count) {
  auto *cls =
      reinterpret_cast<PyObject *>(type->isDatetime() ? cache->datetime64 : cache->timedelta64);
  bool nat = count == std::numeric_limits<int64_t>::min();
  if (type->unit() == sema::DatetimeUnit::Generic)
    return nat ? PyObject_CallFunction(cls, "s", "NaT") : PyObject_CallFunction(cls, "L", count);
  const char *unit = sema::unitName(type->unit());
  return nat ? PyObject_CallFunction(cls, "ss", "NaT", unit)
             : PyObject_CallFunction(cls, "Ls", static_cast<long long>(count), unit);
}

/// The published scalar classes, NumPy imported if it was not; null with an exception set if
/// that fails.
const ScalarClasses *loadedClasses() {
  if (const ScalarClasses *cache = published.load(std::memory_order_acquire))
    return cache;
  PyObject *numpy = PyImport_ImportModule("numpy");
  if (!numpy)
    return nullptr;
  const ScalarClasses *cache = load(numpy);
  Py_DECREF(numpy);
  return cache;
}

/// The NumPy scalar class of `type` in `cache`; null with an exception set if there is none.
PyObject *scalarClass(const ScalarClasses *cache, const sema::Type *type) {
  for (const auto &[candidate, candidateType] : cache->classes)
    if (candidateType == type)
      return candidate;
  PyErr_Format(PyExc_SystemError, "no NumPy scalar class for %s", type->name());
  return nullptr;
}

} // namespace

PyObject *boxNumpyComplex(const sema::Type *type, double real, double imag) {
  const ScalarClasses *cache = loadedClasses();
  PyObject *cls = cache ? scalarClass(cache, type) : nullptr;
  if (!cls)
    return nullptr;
  PyObject *number = PyComplex_FromDoubles(real, imag);
  if (!number)
    return nullptr;
  PyObject *scalar = PyObject_CallOneArg(cls, number);
  Py_DECREF(number);
  return scalar;
}

PyObject *boxNumpyScalar(const sema::Type *type, uint64_t slot) {
  const ScalarClasses *cache = loadedClasses();
  if (!cache)
    return nullptr;
  if (type->isTimeType())
    return boxTimeScalar(cache, type, static_cast<int64_t>(slot));
  PyObject *cls = scalarClass(cache, type);
  if (!cls)
    return nullptr;
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
