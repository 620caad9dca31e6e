// Unboxing arguments, boxing results, and turning the runtime's error record into a
// Python exception.
#include "python/boxing.h"
#include "python/array_export.h"
#include "python/dispatcher.h"
#include "python/numpy_scalars.h"
#include "python/records.h"

#include "runtime/error_record.h"
#include "runtime/exception_classes.h"

#include <frameobject.h> // PyFrame_New: not included by Python.h

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

namespace nogil::python {

namespace {

/// The most elements a tuple argument holds, nested tuples' included. Compiled code keeps a
/// tuple as one value in registers, and LLVM's time to generate code for it grows
/// quadratically with its size (a 256-tuple indexed at run time: 0.6 s; 1000: 13 s):
/// longer sequences belong in arrays.
constexpr size_t kMaxTupleElements = 256;
/// The longest tuple whose elements differ in type: it is an LLVM struct, whose constant
/// propagation is cubic in the fields (0.5 s at 128, 2.6 s at 192). Tuples of one element
/// type are LLVM arrays (codegen's kArrayTupleLength), which it does not track.
constexpr Py_ssize_t kMaxMixedTupleLength = 128;

bool unboxValue(PyObject *value, const sema::Type *&type, SlotBuffer &slots, BufferHolder &buffers,
                const char *function, const char *parameter, size_t &tupleElements);

/// Adds a tuple's `length` to the elements an argument holds so far: false, with TypeError,
/// past the limit.
bool countTupleElements(Py_ssize_t length, size_t &tupleElements, const char *function,
                        const char *parameter) {
  tupleElements += static_cast<size_t>(length);
  if (tupleElements <= kMaxTupleElements)
    return true;
  if (static_cast<size_t>(length) > kMaxTupleElements)
    PyErr_Format(PyExc_TypeError,
                 "%s() argument '%s': a tuple of %zd elements is longer than compiled code "
                 "takes (at most %zu elements, nested tuples' included); use an array",
                 function, parameter, length, kMaxTupleElements);
  else
    PyErr_Format(PyExc_TypeError,
                 "%s() argument '%s': nested tuples of more than %zu elements in all are "
                 "more than compiled code takes; use an array",
                 function, parameter, kMaxTupleElements);
  return false;
}

/// False, with TypeError, for a tuple of `length` elements of different types past the limit.
bool checkMixedTuple(Py_ssize_t length, bool mixed, const char *function, const char *parameter) {
  if (!mixed || length <= kMaxMixedTupleLength)
    return true;
  PyErr_Format(PyExc_TypeError,
               "%s() argument '%s': a tuple of %zd elements of different types is longer "
               "than compiled code takes (at most %zd, or %zu of one type)",
               function, parameter, length, kMaxMixedTupleLength, kMaxTupleElements);
  return false;
}

bool checkTupleType(const sema::Type *type, size_t &tupleElements, const char *function,
                    const char *parameter) {
  if (!type->isTuple())
    return true;
  const auto &elements = type->elements();
  auto length = static_cast<Py_ssize_t>(elements.size());
  if (!countTupleElements(length, tupleElements, function, parameter))
    return false;
  bool mixed = false;
  for (const sema::Type *element : elements) {
    mixed |= element != elements.front();
    if (!checkTupleType(element, tupleElements, function, parameter))
      return false;
  }
  return checkMixedTuple(length, mixed, function, parameter);
}

bool unboxTuple(PyObject *value, const sema::Type *&type, SlotBuffer &slots, BufferHolder &buffers,
                const char *function, const char *parameter, size_t &tupleElements) {
  // Counted before the elements are read, so that a deeply nested tuple stops here before
  // the recursion goes deep: each level but the innermost holds at least one element.
  Py_ssize_t length = PyTuple_GET_SIZE(value);
  if (!countTupleElements(length, tupleElements, function, parameter))
    return false;
  std::vector<const sema::Type *> elements;
  elements.reserve(static_cast<size_t>(length));
  bool mixed = false;
  for (Py_ssize_t i = 0; i < length; ++i) {
    const sema::Type *element = nullptr;
    if (!unboxValue(PyTuple_GET_ITEM(value, i), element, slots, buffers, function, parameter,
                    tupleElements))
      return false;
    mixed |= !elements.empty() && element != elements.front();
    elements.push_back(element);
  }
  if (!checkMixedTuple(length, mixed, function, parameter))
    return false;
  type = sema::tupleType(elements);
  return true;
}

} // namespace

bool checkTupleLimits(const sema::Type *type, const char *function, const char *parameter) {
  size_t tupleElements = 0;
  return checkTupleType(type, tupleElements, function, parameter);
}

bool unboxArgument(PyObject *value, const sema::Type *&type, SlotBuffer &slots,
                   BufferHolder &buffers, const char *function, const char *parameter) {
  size_t tupleElements = 0;
  return unboxValue(value, type, slots, buffers, function, parameter, tupleElements);
}

namespace {

bool unboxValue(PyObject *value, const sema::Type *&type, SlotBuffer &slots, BufferHolder &buffers,
                const char *function, const char *parameter, size_t &tupleElements) {
  // bool first: it is a subclass of int.
  if (PyBool_Check(value)) {
    type = sema::boolType();
    slots.push(value == Py_True);
    return true;
  }
  if (PyLong_Check(value)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow) {
      PyErr_Format(PyExc_OverflowError,
                   "%s() argument '%s': int %R does not fit in int64, the type of compiled ints",
                   function, parameter, value);
      return false;
    }
    type = sema::int64Type();
    slots.push(static_cast<uint64_t>(v));
    return true;
  }
  if (PyFloat_Check(value)) {
    double v = PyFloat_AS_DOUBLE(value);
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof v);
    type = sema::float64Type();
    slots.push(bits);
    return true;
  }
  if (PyComplex_Check(value)) { // Python's complex and NumPy's complex128
    double parts[2] = {PyComplex_RealAsDouble(value), PyComplex_ImagAsDouble(value)};
    for (double part : parts) {
      uint64_t bits;
      std::memcpy(&bits, &part, sizeof part);
      slots.push(bits);
    }
    type = sema::complex128Type();
    return true;
  }
  if (value == Py_None) { // its own type, holding nothing: `if out is None:` is decided
    type = sema::noneType();
    return true;
  }
  if (PyTuple_Check(value))
    return unboxTuple(value, type, slots, buffers, function, parameter, tupleElements);
  if (isRecordScalar(value))
    return unboxRecordScalar(value, type, slots, function, parameter);
  if (const sema::Type *scalar = numpyScalarTypeOf(value)) {
    if (scalar->isComplex()) { // np.complex64: its parts, each widened to a float64 slot
      Py_complex z = PyComplex_AsCComplex(value);
      if (z.real == -1.0 && PyErr_Occurred())
        return false;
      for (double part : {z.real, z.imag}) {
        uint64_t bits;
        std::memcpy(&bits, &part, sizeof part);
        slots.push(bits);
      }
      type = scalar;
      return true;
    }
    uint64_t slot = 0;
    if (!unboxNumpyScalar(value, scalar, slot))
      return false;
    type = scalar;
    slots.push(slot);
    return true;
  }
  // Other NumPy scalars (datetime64, float16, str_, bytes_...) export their bytes as a
  // buffer: read as an array of them, they would give wrong answers.
  if (isBuffer(value) && !isNumpyScalar(value))
    return unboxBuffer(value, type, slots, buffers, function, parameter);
  if (const sema::Type *dtype = designatedDtype(value)) { // np.float32, np.dtype('f8')
    type = sema::dtypeValueType(dtype);
    return true;
  }
  if (!callableValueOf(value, type)) // a Dispatcher or a builtin: no slots
    return false;
  if (type)
    return true;
  PyErr_Format(PyExc_TypeError,
               "%s() argument '%s' has unsupported type '%s'; compiled functions take int, float, "
               "bool, complex, dtypes, NumPy scalars of bool, int8 to int64, uint8 to uint64, "
               "float32, float64, complex64, complex128, datetime64 and timedelta64 (of one "
               "unit), arrays of those (objects with the buffer protocol), compiled functions, "
               "builtins and tuples of them",
               function, parameter, Py_TYPE(value)->tp_name);
  return false;
}

} // namespace

bool convertSlot(sema::TypeKind from, sema::TypeKind to, uint64_t &slot) {
  if (from == to)
    return true;
  // Only widening: bool -> int64 -> float64, as Numba converts to an explicit signature.
  if (to == sema::TypeKind::Int64 && from == sema::TypeKind::Bool)
    return true; // a bool slot already holds 0 or 1
  if (to == sema::TypeKind::Float64 &&
      (from == sema::TypeKind::Int64 || from == sema::TypeKind::Bool)) {
    double value = static_cast<double>(static_cast<int64_t>(slot));
    std::memcpy(&slot, &value, sizeof value);
    return true;
  }
  return false;
}

namespace {

PyObject *boxLeaves(const sema::Type *type, const uint64_t *&slots, const BufferHolder *arguments) {
  switch (type->kind()) {
  case sema::TypeKind::Bool:
    return PyBool_FromLong(*reinterpret_cast<const uint8_t *>(slots++) & 1);
  case sema::TypeKind::Int64:
    return PyLong_FromLongLong(static_cast<int64_t>(*slots++));
  case sema::TypeKind::Float64: {
    double v;
    std::memcpy(&v, slots++, sizeof v);
    return PyFloat_FromDouble(v);
  }
  case sema::TypeKind::Tuple: {
    PyObject *tuple = PyTuple_New(static_cast<Py_ssize_t>(type->elements().size()));
    if (!tuple)
      return nullptr;
    for (size_t i = 0; i < type->elements().size(); ++i) {
      PyObject *item = boxLeaves(type->elements()[i], slots, arguments);
      if (!item) {
        Py_DECREF(tuple);
        return nullptr;
      }
      PyTuple_SET_ITEM(tuple, static_cast<Py_ssize_t>(i), item);
    }
    return tuple;
  }
  case sema::TypeKind::Int8:
  case sema::TypeKind::Int16:
  case sema::TypeKind::Int32:
  case sema::TypeKind::UInt8:
  case sema::TypeKind::UInt16:
  case sema::TypeKind::UInt32:
  case sema::TypeKind::UInt64:
  case sema::TypeKind::Float32:
  case sema::TypeKind::Datetime:
  case sema::TypeKind::Timedelta:
    return boxNumpyScalar(type, *slots++);
  case sema::TypeKind::Array:
    return boxArray(type, slots, arguments);
  case sema::TypeKind::Record:
    return boxRecord(type, reinterpret_cast<const void *>(*slots++));
  case sema::TypeKind::Complex128: {
    double parts[2];
    std::memcpy(parts, slots, sizeof parts);
    slots += 2;
    return PyComplex_FromDoubles(parts[0], parts[1]);
  }
  case sema::TypeKind::Complex64: {
    double parts[2];
    std::memcpy(parts, slots, sizeof parts);
    slots += 2;
    return boxNumpyComplex(type, parts[0], parts[1]);
  }
  case sema::TypeKind::Optional: {
    bool present = (*slots++ & 1) != 0;
    if (present)
      return boxLeaves(type->dtype(), slots, arguments);
    slots += sema::leafCount(type->dtype());
    break;
  }
  case sema::TypeKind::None:
  case sema::TypeKind::Unknown:
  case sema::TypeKind::StringLiteral: // refused as results before the call (dispatcher.cpp)
  case sema::TypeKind::DType:
  case sema::TypeKind::Function:
  case sema::TypeKind::BuiltinFunction:
    break;
  }
  Py_RETURN_NONE;
}

} // namespace

bool castScalarSlot(const sema::Type *from, const sema::Type *to, uint64_t &slot) {
  if (!from->isNumeric() || !to->isNumeric())
    return false;
  // Slots hold floats as doubles and integers extended to 64 bits (numpy_scalars.cpp).
  double real = 0;
  if (from->isFloat())
    std::memcpy(&real, &slot, sizeof real);
  uint64_t bits = from->kind() == sema::TypeKind::Bool ? (slot & 1) : slot;
  if (to->kind() == sema::TypeKind::Bool) {
    slot = from->isFloat() ? real != 0 : bits != 0;
    return true;
  }
  if (to->isFloat()) {
    double value = from->isFloat()      ? real
                   : from->isUnsigned() ? static_cast<double>(bits)
                                        : static_cast<double>(static_cast<int64_t>(bits));
    if (to->kind() == sema::TypeKind::Float32)
      value = static_cast<float>(value);
    std::memcpy(&slot, &value, sizeof value);
    return true;
  }
  unsigned width = to->bitWidth();
  if (from->isFloat()) { // saturating, as llvm.fptosi.sat / fptoui.sat in compiled casts
    long double low = to->isSigned() ? -std::ldexp(1.0L, static_cast<int>(width) - 1) : 0;
    long double high = to->isSigned() ? std::ldexp(1.0L, static_cast<int>(width) - 1) - 1
                                      : std::ldexp(1.0L, static_cast<int>(width)) - 1;
    long double value = std::isnan(real) ? 0 : std::clamp<long double>(real, low, high);
    bits = to->isSigned() ? static_cast<uint64_t>(static_cast<int64_t>(value))
                          : static_cast<uint64_t>(value);
  }
  if (width < 64) { // wraps to the width, then extends as the slot holds it
    uint64_t mask = (uint64_t{1} << width) - 1;
    bits &= mask;
    if (to->isSigned() && (bits >> (width - 1)) != 0)
      bits |= ~mask;
  }
  slot = bits;
  return true;
}

PyObject *boxResult(const sema::Type *type, const sema::Type *boxAs, const uint64_t *slots,
                    const BufferHolder *arguments) {
  if (boxAs != type && type->isNumeric() && boxAs->isNumeric()) {
    uint64_t converted = slots[0];
    castScalarSlot(type, boxAs, converted);
    const uint64_t *cursor = &converted;
    return boxLeaves(boxAs, cursor, arguments);
  }
  return boxLeaves(type, slots, arguments);
}

namespace {

/// The Python class of each builtin error kind of the runtime.
const std::pair<int32_t, PyObject **> kKindClasses[] = {
    {NOGIL_ERROR_ZERO_DIVISION, &PyExc_ZeroDivisionError},
    {NOGIL_ERROR_VALUE, &PyExc_ValueError},
    {NOGIL_ERROR_OVERFLOW, &PyExc_OverflowError},
    {NOGIL_ERROR_UNBOUND_LOCAL, &PyExc_UnboundLocalError},
    {NOGIL_ERROR_ASSERTION, &PyExc_AssertionError},
    {NOGIL_ERROR_INDEX, &PyExc_IndexError},
    {NOGIL_ERROR_MEMORY, &PyExc_MemoryError},
    {NOGIL_ERROR_RECURSION, &PyExc_RecursionError},
    {NOGIL_ERROR_IMPORT, &PyExc_ImportError},
    {NOGIL_ERROR_TYPE, &PyExc_TypeError},
};

/// The runtime's own messages that the running CPython words differently: compiled code (and
/// the objects cache=True stores) raises CPython 3.11's wording, the message the interpreter
/// the extension is built for would give replaces it. Only for the runtime's builtin kinds
/// with constant messages: a user's `raise ZeroDivisionError("float modulo")` stays as written.
struct Rewording {
  std::string_view message;
  const char *current;
};
constexpr Rewording kRewordings[] = {
#if PY_VERSION_HEX >= 0x030D0000
    {"float modulo", "float modulo by zero"},
#endif
    {"", nullptr}, // ends the list (and keeps it non-empty on every version)
};

/// The message to raise for a builtin kind's constant `message`.
const char *currentWording(const char *message) {
  for (const Rewording &rewording : kRewordings)
    if (rewording.current && rewording.message == message)
      return rewording.current;
  return message;
}

/// Adds the entry of one compiled frame on top of the pending exception's traceback, as the
/// interpreter does when an exception leaves a Python frame: a frame of an empty code object
/// that carries the site's file, function and line (the one its line table gives every
/// instruction). Public API from 3.11 on; CPython's private _PyTraceback_Add does the same.
/// Should building the entry fail (memory), the user's exception stays, without the entry.
void addTracebackEntry(const NogilSite &site) {
  PyObject *type, *value, *traceback;
  // Decoding the file name may run Python code, which must not start with an error set.
  PyErr_Fetch(&type, &value, &traceback);
  PyCodeObject *code = PyCode_NewEmpty(site.file, site.function, site.line);
  PyObject *globals = code ? PyDict_New() : nullptr; // PyFrame_New takes the builtins from it
  PyFrameObject *frame =
      globals ? PyFrame_New(PyThreadState_Get(), code, globals, nullptr) : nullptr;
  Py_XDECREF(globals);
  Py_XDECREF(code);
  PyErr_Clear();
  PyErr_Restore(type, value, traceback);
  if (frame) {
    PyTraceBack_Here(frame);
    Py_DECREF(frame);
  }
}

} // namespace

void registerExceptionClass(PyObject *exceptionClass) {
  PyObject *mro = reinterpret_cast<PyTypeObject *>(exceptionClass)->tp_mro;
  std::vector<const void *> classes;
  for (Py_ssize_t i = 0; mro && i < PyTuple_GET_SIZE(mro); ++i)
    classes.push_back(PyTuple_GET_ITEM(mro, i));
  runtime::registerExceptionClass(exceptionClass, std::move(classes));
}

void registerErrorKindClasses() {
  for (const auto &[kind, exceptionClass] : kKindClasses) {
    registerExceptionClass(*exceptionClass);
    runtime::registerErrorKindClass(kind, *exceptionClass);
  }
}

void raiseFromErrorRecord() {
  runtime::ErrorRecord &record = runtime::currentError();
  PyObject *type = PyExc_RuntimeError;
  if (record.kind == NOGIL_ERROR_CLASS)
    type = static_cast<PyObject *>(const_cast<void *>(record.exceptionClass));
  for (const auto &[kind, exceptionClass] : kKindClasses)
    if (record.kind == kind)
      type = *exceptionClass;
  if (record.kind == NOGIL_ERROR_PYTHON) // raised by a signal handler: the record owns it
    PyErr_Restore(static_cast<PyObject *>(record.pythonError[0]),
                  static_cast<PyObject *>(record.pythonError[1]),
                  static_cast<PyObject *>(record.pythonError[2]));
  else if (const char *message = runtime::messageOf(record))
    PyErr_SetString(type, record.kind == NOGIL_ERROR_CLASS || record.hasText
                              ? message
                              : currentWording(message));
  else
    PyErr_SetNone(type);
  // Innermost first: each call adds an entry above the previous one, as unwinding does.
  for (int i = 0; i < record.frameCount; ++i)
    addTracebackEntry(*record.frames[i]);
  runtime::clearError();
}

} // namespace nogil::python
