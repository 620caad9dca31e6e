#include "python/array_export.h"

#include "python/numpy_scalars.h"
#include "python/records.h"
#include "runtime/array_memory.h"

#include <atomic>
#include <cstring>
#include <string>
#include <vector>

namespace nogil::python {

namespace {

/// The object NumPy's array keeps as its base: it exports the buffer and owns (or keeps
/// alive) the memory. Immutable after creation.
struct ArrayExport {
  PyObject_HEAD void *data;
  int ndim;
  Py_ssize_t *shape; ///< ndim entries, then ndim strides, in one allocation
  Py_ssize_t *strides;
  Py_ssize_t itemsize;
  const char *format;
  bool readonly;
  NogilArrayMemory *memory; ///< owned, when compiled code allocated the data
  /// Otherwise what the data belongs to: an ndarray argument, or for any other argument
  /// (bytearray, mmap, array.array, memoryview) a memoryview of it, which holds its export
  /// as np.frombuffer's base does, so that the object cannot resize, close or free the
  /// memory while the array lives.
  PyObject *keepAlive;
};

PyTypeObject *exportType = nullptr;

int exportGetBuffer(PyObject *object, Py_buffer *view, int flags) {
  auto *self = reinterpret_cast<ArrayExport *>(object);
  if ((flags & PyBUF_WRITABLE) && self->readonly) {
    PyErr_SetString(PyExc_BufferError, "the array is read-only");
    return -1;
  }
  Py_ssize_t count = 1;
  for (int d = 0; d < self->ndim; ++d)
    count *= self->shape[d];
  view->obj = Py_NewRef(object);
  view->buf = self->data;
  view->len = count * self->itemsize;
  view->readonly = self->readonly;
  view->itemsize = self->itemsize;
  view->format = (flags & PyBUF_FORMAT) ? const_cast<char *>(self->format) : nullptr;
  view->ndim = self->ndim;
  view->shape = self->shape;
  view->strides = self->strides;
  view->suboffsets = nullptr;
  view->internal = nullptr;
  return 0;
}

void exportDealloc(PyObject *object) {
  auto *self = reinterpret_cast<ArrayExport *>(object);
  if (self->memory)
    runtime::freeExportedMemory(self->memory);
  Py_XDECREF(self->keepAlive);
  PyMem_Free(self->shape);
  PyTypeObject *type = Py_TYPE(object);
  type->tp_free(object);
  Py_DECREF(type);
}

const char *formatOf(const sema::Type *dtype) {
  switch (dtype->kind()) {
  case sema::TypeKind::Bool:
    return "?";
  case sema::TypeKind::Int8:
    return "b";
  case sema::TypeKind::Int16:
    return "h";
  case sema::TypeKind::Int32:
    return "i";
  case sema::TypeKind::UInt8:
    return "B";
  case sema::TypeKind::UInt16:
    return "H";
  case sema::TypeKind::UInt32:
    return "I";
  case sema::TypeKind::UInt64:
    return "Q";
  case sema::TypeKind::Float32:
    return "f";
  case sema::TypeKind::Float64:
    return "d";
  case sema::TypeKind::Complex128:
    return "Zd";
  case sema::TypeKind::Complex64:
    return "Zf";
  default:
    return "q";
  }
}

/// numpy.asarray, imported on first use (NumPy is never imported before an array is
/// returned). Guarded by itself, not the GIL: threads that race to import it each get their
/// own reference, the first to publish keeps it (for good: NumPy stays loaded), the others
/// drop theirs.
PyObject *asarray() {
  static std::atomic<PyObject *> published{nullptr};
  if (PyObject *function = published.load(std::memory_order_acquire))
    return function;
  PyObject *numpy = PyImport_ImportModule("numpy");
  if (!numpy)
    return nullptr;
  PyObject *function = PyObject_GetAttrString(numpy, "asarray");
  Py_DECREF(numpy);
  if (!function)
    return nullptr;
  PyObject *expected = nullptr;
  if (published.compare_exchange_strong(expected, function, std::memory_order_acq_rel))
    return function;
  Py_DECREF(function);
  return expected;
}

} // namespace

PyTypeObject *createArrayExportType() {
  static PyType_Slot slots[] = {
      {Py_tp_dealloc, reinterpret_cast<void *>(exportDealloc)},
      {Py_bf_getbuffer, reinterpret_cast<void *>(exportGetBuffer)},
      {Py_tp_doc, const_cast<char *>("The memory behind an array a compiled function returned.")},
      {0, nullptr}};
  static PyType_Spec spec = {"nogil.ArrayMemory", sizeof(ArrayExport), 0,
                             Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION, slots};
  exportType = reinterpret_cast<PyTypeObject *>(PyType_FromSpec(&spec));
  return exportType;
}

namespace {

/// What keeps the data of a view of `argument` alive and in place: the ndarray itself (an
/// ndarray's memory cannot move while it is referenced), or a memoryview of any other object
/// (np.frombuffer's choice: a memoryview of a memoryview shares its export, so the argument
/// may be released while the view lives, and the memory stays). Null with an exception set,
/// BufferError when the object exports other memory than it did for the call.
PyObject *ownerOfArgumentData(PyObject *argument, const BufferHolder *arguments) {
  if (ndarrayClassOf(argument) == NdarrayClass::Plain)
    return Py_NewRef(argument);
  PyObject *view = PyMemoryView_FromObject(argument);
  if (!view)
    return nullptr;
  const HeldBuffer *held = arguments ? arguments->find(argument) : nullptr;
  if (held && held->view.buf != PyMemoryView_GET_BUFFER(view)->buf) {
    Py_DECREF(view);
    PyErr_Format(PyExc_BufferError,
                 "a %s argument exported other memory for the returned array than for the call",
                 Py_TYPE(argument)->tp_name);
    return nullptr;
  }
  return view;
}

} // namespace

PyObject *boxArray(const sema::Type *type, const uint64_t *&slots, const BufferHolder *arguments) {
  int ndim = static_cast<int>(type->ndim());
  void *data = reinterpret_cast<void *>(*slots++);
  auto *dims = static_cast<Py_ssize_t *>(PyMem_Malloc(sizeof(Py_ssize_t) * (2 * ndim + 1)));
  if (!dims)
    return PyErr_NoMemory();
  for (int d = 0; d < 2 * ndim; ++d)
    dims[d] = static_cast<Py_ssize_t>(*slots++);
  auto base = static_cast<uintptr_t>(*slots++);
  // An argument returned whole comes back as itself (bytes as bytes, an ndarray as the same
  // object), as CPython and Numba return it.
  bool copied = base == NOGIL_BASE_COPIED_WHEN_RETURNED;
  if (copied)
    base = 0;
  auto *argument = reinterpret_cast<PyObject *>(base);
  if (!(base & 1) && argument && isWholeArgument(argument, arguments, type, data, dims)) {
    PyMem_Free(dims);
    return Py_NewRef(argument);
  }
  PyObject *function = asarray();
  auto *self = function ? PyObject_New(ArrayExport, exportType) : nullptr;
  if (!self) {
    PyMem_Free(dims);
    return nullptr;
  }
  self->data = data;
  self->ndim = ndim;
  self->shape = dims;
  self->strides = dims + ndim;
  const sema::Type *dtype = type->dtype();
  self->itemsize = dtype->kind() == sema::TypeKind::Bool ? 1 : dtype->bitWidth() / 8;
  // Records leave as their raw bytes, viewed with their dtype below.
  self->format = dtype->isRecord() ? rawRecordFormat(dtype) : formatOf(dtype);
  self->readonly = type->readonly();
  self->memory = nullptr;
  self->keepAlive = nullptr;
  if (base & 1) {
    auto *memory = reinterpret_cast<NogilArrayMemory *>(base & ~uintptr_t{1});
    if (memory->exporter) { // returned twice ((a, a), or a and a view of it): share
      self->keepAlive = Py_NewRef(static_cast<PyObject *>(memory->exporter));
    } else { // memory compiled code allocated: this object takes it over
      self->memory = memory;
      memory->exporter = self;
    }
  } else if (argument && !(self->keepAlive = ownerOfArgumentData(argument, arguments))) {
    Py_DECREF(self);
    return nullptr;
  }
  PyObject *array = PyObject_CallOneArg(function, reinterpret_cast<PyObject *>(self));
  Py_DECREF(self);
  if (array && copied) { // memory only the call could vouch for
    PyObject *copy = PyObject_CallMethod(array, "copy", nullptr);
    Py_DECREF(array);
    array = copy;
  }
  if (array && dtype->isTimeType()) { // exported as int64, which NumPy views as the time type
    std::string spelled = dtype->isDatetime() ? "M8" : "m8";
    if (dtype->unit() != sema::DatetimeUnit::Generic)
      spelled += std::string("[") + sema::unitName(dtype->unit()) + "]";
    PyObject *view = PyObject_CallMethod(array, "view", "s", spelled.c_str());
    Py_DECREF(array);
    return view;
  }
  return dtype->isRecord() ? viewAsRecords(array, dtype) : array;
}

} // namespace nogil::python
