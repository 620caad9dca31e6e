#include "python/buffers.h"
#include "python/boxing.h"
#include "python/ndarray.h"
#include "python/numpy_scalars.h"
#include "python/records.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace nogil::python {

BufferHolder::~BufferHolder() {
  for (size_t i = 0; i < std::min(count_, kInline); ++i)
    PyBuffer_Release(&inline_[i].view);
  if (more_)
    for (HeldBuffer &held : *more_)
      PyBuffer_Release(&held.view);
}

HeldBuffer &BufferHolder::add(PyObject *argument) {
  HeldBuffer *held = nullptr;
  if (count_ < kInline) {
    held = &inline_[count_];
  } else {
    if (!more_)
      more_ = std::make_unique<std::deque<HeldBuffer>>();
    held = &more_->emplace_back();
  }
  ++count_;
  std::memset(held, 0, sizeof(HeldBuffer));
  held->argument = argument;
  return *held;
}

void BufferHolder::dropLast() {
  if (--count_ >= kInline)
    more_->pop_back();
}

const HeldBuffer *BufferHolder::find(PyObject *argument) const {
  for (size_t i = 0; i < std::min(count_, kInline); ++i)
    if (inline_[i].argument == argument)
      return &inline_[i];
  if (more_)
    for (const HeldBuffer &held : *more_)
      if (held.argument == argument)
        return &held;
  return nullptr;
}

bool isBuffer(PyObject *value) { return PyObject_CheckBuffer(value) != 0; }

namespace {

/// The element type of a buffer's struct-module format ("d", "<q", "=l", "?", "Zd") and item
/// size, or null. Integer codes take their width from the item size, which covers native
/// ('@') and standard ('<', '=') sizes alike. Big-endian formats were refused before.
const sema::Type *elementType(std::string_view code, Py_ssize_t itemsize) {
  if (!code.empty() && (code[0] == '@' || code[0] == '=' || code[0] == '<'))
    code.remove_prefix(1);
  using sema::TypeKind;
  if (code == "Zd")
    return itemsize == 16 ? sema::complex128Type() : nullptr;
  if (code == "Zf")
    return itemsize == 8 ? sema::complex64Type() : nullptr;
  if (code.size() != 1)
    return nullptr;
  constexpr std::string_view kSigned = "bhilqn", kUnsigned = "BHILQN";
  constexpr TypeKind kSignedKinds[] = {TypeKind::Int8, TypeKind::Int16, TypeKind::Int32,
                                       TypeKind::Int64};
  constexpr TypeKind kUnsignedKinds[] = {TypeKind::UInt8, TypeKind::UInt16, TypeKind::UInt32,
                                         TypeKind::UInt64};
  int widthIndex = itemsize == 1   ? 0
                   : itemsize == 2 ? 1
                   : itemsize == 4 ? 2
                   : itemsize == 8 ? 3
                                   : -1;
  if (kSigned.find(code[0]) != std::string_view::npos)
    return widthIndex < 0 ? nullptr : sema::typeOf(kSignedKinds[widthIndex]);
  if (kUnsigned.find(code[0]) != std::string_view::npos)
    return widthIndex < 0 ? nullptr : sema::typeOf(kUnsignedKinds[widthIndex]);
  switch (code[0]) {
  case '?':
    return itemsize == 1 ? sema::boolType() : nullptr;
  case 'f':
    return itemsize == 4 ? sema::typeOf(TypeKind::Float32) : nullptr;
  case 'd':
    return itemsize == 8 ? sema::float64Type() : nullptr;
  default:
    return nullptr;
  }
}

/// `module.qualname` of the object's class ("numpy.ma.core.MaskedArray"); its tp_name when
/// either is missing.
std::string classNameOf(PyObject *value) {
  PyTypeObject *type = Py_TYPE(value);
  std::string name = type->tp_name;
  if (!(type->tp_flags & Py_TPFLAGS_HEAPTYPE))
    return name; // static types carry the module in tp_name ("numpy.ndarray")
  PyObject *module = PyObject_GetAttrString(reinterpret_cast<PyObject *>(type), "__module__");
  PyObject *qualname = PyType_GetQualName(type);
  if (module && qualname && PyUnicode_Check(module) && PyUnicode_Check(qualname)) {
    const char *moduleText = PyUnicode_AsUTF8(module);
    const char *qualnameText = PyUnicode_AsUTF8(qualname);
    if (moduleText && qualnameText)
      name = std::string_view(moduleText) == "builtins"
                 ? std::string(qualnameText)
                 : std::string(moduleText) + "." + qualnameText;
  }
  Py_XDECREF(module);
  Py_XDECREF(qualname);
  PyErr_Clear();
  return name;
}

/// "numpy.ndarray of dtype float16" for arrays, "memoryview of format 'c'" for other buffers.
std::string describeBuffer(PyObject *value, const char *format) {
  std::string text = classNameOf(value);
  if (ndarrayClassOf(value) != NdarrayClass::None) {
    PyObject *dtype = PyObject_GetAttrString(value, "dtype");
    PyObject *dtypeText = dtype ? PyObject_Str(dtype) : nullptr;
    const char *utf8 = dtypeText ? PyUnicode_AsUTF8(dtypeText) : nullptr;
    if (utf8)
      text += std::string(" of dtype ") + utf8;
    Py_XDECREF(dtype);
    Py_XDECREF(dtypeText);
    PyErr_Clear();
    if (utf8)
      return text;
  }
  if (format)
    text += std::string(" of format '") + format + "'";
  return text;
}

constexpr const char *kTakenElements =
    "compiled code takes arrays of bool, int8 to int64, uint8 to uint64, float32, float64, "
    "complex64, complex128, datetime64 and timedelta64 in the machine's byte order";

/// Sets TypeError for a buffer whose elements compiled code does not read.
void raiseUnsupportedElements(PyObject *value, const char *format, const char *function,
                              const char *parameter) {
  std::string_view code(format ? format : "B");
  bool bigEndian = !code.empty() && (code[0] == '>' || code[0] == '!');
  std::string described = describeBuffer(value, format);
  PyErr_Format(PyExc_TypeError, "%s() argument '%s' is a %s%s; %s%s", function, parameter,
               described.c_str(), bigEndian ? " (big-endian)" : "", kTakenElements,
               bigEndian && ndarrayClassOf(value) != NdarrayClass::None
                   ? " (convert it with a.astype(a.dtype.newbyteorder('=')))"
                   : "");
}

/// After a failed export: an ndarray's dtype that cannot be exported (datetime64, object
/// with an unusual layout) becomes the TypeError any other unsupported dtype gives. Other
/// exporters' errors (a released memoryview's ValueError) stay as they are.
void explainFailedExport(PyObject *value, const char *function, const char *parameter) {
  if (ndarrayClassOf(value) == NdarrayClass::None ||
      !(PyErr_ExceptionMatches(PyExc_ValueError) || PyErr_ExceptionMatches(PyExc_BufferError)))
    return; // a MemoryError, say, stays what it is
  PyErr_Clear();
  raiseUnsupportedElements(value, nullptr, function, parameter);
}

/// Whether the export's layout is one compiled code reads (no indirection, a shape for each
/// dimension); else TypeError.
bool checkExportLayout(PyObject *value, const Py_buffer &view, const char *function,
                       const char *parameter) {
  const char *problem = nullptr;
  if (view.ndim < 0 || view.ndim > 64)
    problem = "a number of dimensions outside 0 to 64";
  else if (view.ndim > 0 && !view.shape)
    problem = "no shape";
  for (int d = 0; !problem && view.suboffsets && d < view.ndim; ++d)
    if (view.suboffsets[d] >= 0)
      problem = "suboffsets (indirect, PIL-style), which compiled code does not read";
  for (int d = 0; !problem && d < view.ndim; ++d)
    if (view.shape[d] < 0)
      problem = "a negative dimension";
  if (!problem)
    return true;
  std::string described = classNameOf(value);
  PyErr_Format(PyExc_TypeError, "%s() argument '%s' is a %s buffer with %s", function, parameter,
               described.c_str(), problem);
  return false;
}

/// Sets TypeError for an ndarray subclass compiled code would read as a plain array.
void raiseArraySubclass(PyObject *value, const char *function, const char *parameter) {
  std::string name = classNameOf(value);
  PyErr_Format(PyExc_TypeError,
               "%s() argument '%s' is a %s, a subclass of numpy.ndarray whose semantics "
               "compiled code does not follow (it reads numpy.ndarray and numpy.memmap); pass "
               "numpy.asarray(%s) to compile on its data as a plain array",
               function, parameter, name.c_str(), parameter);
}

} // namespace

namespace {

// numpy.ndarray, read directly (python/ndarray.h): the first ndarray the dispatcher sees is
// read both ways, and the direct reader is used only if the two agree (else never). The
// outcome is verifiedNdarrayType.

/// Whether the first ndarray was read both ways yet. Relaxed atomic: threads that check at
/// once reach the same outcome, so checking twice is harmless.
std::atomic<bool> ndarrayReaderChecked{false};

/// What the compiled type of `value`, an ndarray, follows from; false when the buffer path
/// must judge it (a byte order or dtype compiled code does not read directly).
bool classifyNdarray(PyObject *value, NdarrayKey &key, const sema::Type *&dtype) {
  auto *array = reinterpret_cast<NdarrayFields *>(value);
  auto *descr = reinterpret_cast<DescrFields *>(array->descr);
  if (descr->byteorder == '>' || array->nd < 0)
    return false;
  if (!(dtype = elementOfTypeNumber(descr->type_num)))
    return false;
  key.typeNumber = descr->type_num;
  key.ndim = array->nd;
  key.readonly = (array->flags & kNpyWriteable) == 0;
  key.itemsize = dtype->kind() == sema::TypeKind::Complex128 ? 16 : (dtype->bitWidth() + 7) / 8;
  key.layout = layoutOf(array, key.itemsize);
  return true;
}

/// Reads `value`, an ndarray, as unboxBuffer would; false (nothing pushed) when it cannot.
bool readNdarray(PyObject *value, const sema::Type *&type, SlotBuffer &slots) {
  NdarrayKey key;
  const sema::Type *dtype = nullptr;
  if (!classifyNdarray(value, key, dtype))
    return false;
  type = sema::arrayType(dtype, static_cast<unsigned>(key.ndim), key.layout, key.readonly);
  pushNdarray(value, slots);
  return true;
}

/// After the buffer path unboxed the first ndarray (its slots from `firstSlot` on): reads it
/// directly too, and trusts the direct reader from then on only if both agree.
void verifyNdarrayReader(PyObject *value, const sema::Type *type, SlotBuffer &slots,
                         size_t firstSlot) {
  SlotBuffer direct;
  const sema::Type *directType = nullptr;
  bool same = readNdarray(value, directType, direct) && directType == type &&
              direct.size() == slots.size() - firstSlot;
  for (size_t i = 0; same && i < direct.size(); ++i)
    same = direct.data()[i] == slots.data()[firstSlot + i];
  if (same)
    verifiedNdarrayType.store(Py_TYPE(value), std::memory_order_relaxed);
  ndarrayReaderChecked.store(true, std::memory_order_relaxed);
}

/// Reads `value`, when it is a numpy.ndarray compiled code reads from its fields, as
/// unboxBuffer does; false (nothing pushed) when it cannot.
bool readVerifiedNdarray(PyObject *value, const sema::Type *&type, SlotBuffer &slots) {
  return isVerifiedNdarray(value) && readNdarray(value, type, slots);
}

constexpr int kNpyDatetime = 21;
constexpr int kNpyTimedelta = 22;

/// The datetime64 or timedelta64 element type of an ndarray of one of those dtypes (its unit
/// read from the dtype's `str`, "<M8[D]"), or null with TypeError for a unit compiled code has
/// no type for (a multiple such as [10s]).
const sema::Type *timeElementOf(DescrFields *descr, const char *function, const char *parameter) {
  PyObject *text = PyObject_GetAttrString(reinterpret_cast<PyObject *>(descr), "str");
  const char *utf8 = text && PyUnicode_Check(text) ? PyUnicode_AsUTF8(text) : nullptr;
  std::string spelled = utf8 ? utf8 : "";
  Py_XDECREF(text);
  if (!utf8)
    return nullptr;
  std::string_view unitText(spelled);
  size_t open = unitText.find('[');
  unitText = open == std::string_view::npos ? std::string_view()
                                            : unitText.substr(open + 1, unitText.size() - open - 2);
  sema::DatetimeUnit unit = sema::DatetimeUnit::Generic;
  if (open != std::string_view::npos &&
      (unitText.empty() || !sema::unitFromName(std::string(unitText).c_str(), unit))) {
    PyErr_Format(PyExc_TypeError,
                 "%s() argument '%s' is an array of dtype %s; compiled code takes datetime64 "
                 "and timedelta64 of a unit without a multiple",
                 function, parameter, spelled.c_str());
    return nullptr;
  }
  return descr->type_num == kNpyDatetime ? sema::datetimeType(unit) : sema::timedeltaType(unit);
}

/// Reads an ndarray of datetime64 or timedelta64 (which NumPy does not export as a buffer)
/// from its fields; false when `value` is not one. `failed` says whether an exception is set.
bool readTimeNdarray(PyObject *value, const sema::Type *&type, SlotBuffer &slots,
                     const char *function, const char *parameter, bool &failed) {
  failed = false;
  if (ndarrayClassOf(value) != NdarrayClass::Plain)
    return false;
  auto *array = reinterpret_cast<NdarrayFields *>(value);
  auto *descr = reinterpret_cast<DescrFields *>(array->descr);
  if ((descr->type_num != kNpyDatetime && descr->type_num != kNpyTimedelta) ||
      descr->byteorder == '>' || array->nd < 0 || array->nd > 64)
    return false;
  const sema::Type *dtype = timeElementOf(descr, function, parameter);
  if (!dtype) {
    failed = true;
    return true;
  }
  bool readonly = (array->flags & kNpyWriteable) == 0;
  type = sema::arrayType(dtype, static_cast<unsigned>(array->nd), layoutOf(array, 8), readonly);
  pushNdarray(value, slots);
  return true;
}

} // namespace

std::atomic<PyTypeObject *> verifiedNdarrayType{nullptr};

const sema::Type *elementOfTypeNumber(int typeNumber) {
  using sema::TypeKind;
  switch (typeNumber) {
  case 0:
    return sema::boolType();
  case 1:
    return sema::typeOf(TypeKind::Int8);
  case 2:
    return sema::typeOf(TypeKind::UInt8);
  case 3:
    return sema::typeOf(TypeKind::Int16);
  case 4:
    return sema::typeOf(TypeKind::UInt16);
  case 5:
    return sema::typeOf(TypeKind::Int32);
  case 6:
    return sema::typeOf(TypeKind::UInt32);
  case 7:
  case 9:
    return sizeof(long) == 8 || typeNumber == 9 ? sema::int64Type() : sema::typeOf(TypeKind::Int32);
  case 8:
  case 10:
    return sizeof(long) == 8 || typeNumber == 10 ? sema::typeOf(TypeKind::UInt64)
                                                 : sema::typeOf(TypeKind::UInt32);
  case 11:
    return sema::typeOf(TypeKind::Float32);
  case 12:
    return sema::float64Type();
  case 14:
    return sema::complex64Type();
  case 15:
    return sema::complex128Type();
  default:
    return nullptr;
  }
}

bool ndarrayKeyOf(PyObject *value, NdarrayKey &key) {
  const sema::Type *dtype = nullptr;
  return isVerifiedNdarray(value) && classifyNdarray(value, key, dtype);
}

bool isWholeArgument(PyObject *argument, const BufferHolder *buffers, const sema::Type *type,
                     const void *data, const Py_ssize_t *dims) {
  auto ndim = static_cast<int>(type->ndim());
  const Py_ssize_t *strides = dims + ndim;
  if (const HeldBuffer *held = buffers ? buffers->find(argument) : nullptr) {
    const Py_buffer &view = held->view;
    if (!held->type || held->type->dtype() != type->dtype() || view.ndim != ndim ||
        (view.readonly != 0) != type->readonly() || view.buf != data)
      return false;
    Py_ssize_t step = view.itemsize;
    for (int d = ndim - 1; d >= 0; --d) {
      if (view.shape[d] != dims[d] || (view.strides ? view.strides[d] : step) != strides[d])
        return false;
      step *= view.shape[d];
    }
    return true;
  }
  if (ndarrayClassOf(argument) != NdarrayClass::Plain)
    return false;
  auto *array = reinterpret_cast<NdarrayFields *>(argument);
  auto *descr = reinterpret_cast<DescrFields *>(array->descr);
  if (array->data != data || array->nd != ndim || descr->byteorder == '>' ||
      (type->dtype()->isRecord()
           ? recordTypeOfDescr(array->descr, type->readonly()) != type->dtype()
           : elementOfTypeNumber(descr->type_num) != type->dtype()) ||
      ((array->flags & kNpyWriteable) == 0) != type->readonly())
    return false;
  for (int d = 0; d < ndim; ++d)
    if (array->dimensions[d] != dims[d] || array->strides[d] != strides[d])
      return false;
  return true;
}

bool unboxBuffer(PyObject *value, const sema::Type *&type, SlotBuffer &slots, BufferHolder &buffers,
                 const char *function, const char *parameter) {
  if (readVerifiedNdarray(value, type, slots))
    return true;
  if (isRecordArray(value))
    return unboxRecordArray(value, type, slots, function, parameter);
  if (ndarrayClassOf(value) == NdarrayClass::Subclass) {
    raiseArraySubclass(value, function, parameter);
    return false;
  }
  bool failed = false;
  if (readTimeNdarray(value, type, slots, function, parameter, failed))
    return !failed;
  size_t firstSlot = slots.size();
  HeldBuffer &held = buffers.add(value);
  Py_buffer &view = held.view;
  if (PyObject_GetBuffer(value, &view, PyBUF_RECORDS_RO) < 0) {
    buffers.dropLast();
    explainFailedExport(value, function, parameter);
    return false;
  }
  if (!checkExportLayout(value, view, function, parameter)) {
    PyBuffer_Release(&view);
    buffers.dropLast();
    return false;
  }
  std::string_view format(view.format ? view.format : "B");
  const sema::Type *dtype = nullptr;
  if (format.empty() || (format[0] != '>' && format[0] != '!'))
    dtype = elementType(format, view.itemsize);
  if (!dtype) {
    raiseUnsupportedElements(value, view.format ? view.format : "B", function, parameter);
    PyBuffer_Release(&view);
    buffers.dropLast();
    return false;
  }
  auto ndim = static_cast<unsigned>(view.ndim);
  sema::Layout layout = sema::Layout::Any;
  if (PyBuffer_IsContiguous(&view, 'C'))
    layout = sema::Layout::C;
  else if (PyBuffer_IsContiguous(&view, 'F'))
    layout = sema::Layout::F;
  type = sema::arrayType(dtype, ndim, layout, view.readonly != 0);
  held.type = type;
  slots.push(reinterpret_cast<uint64_t>(view.buf));
  for (unsigned d = 0; d < ndim; ++d)
    slots.push(static_cast<uint64_t>(view.shape[d]));
  // No strides (ctypes arrays, NumPy scalars): C-contiguous, as the buffer protocol says.
  uint64_t *strides = slots.extend(ndim);
  auto step = static_cast<uint64_t>(view.itemsize); // the product stays within view.len
  for (unsigned k = 0; k < ndim; ++k) {
    unsigned d = ndim - 1 - k;
    strides[d] = view.strides ? static_cast<uint64_t>(view.strides[d]) : step;
    step *= static_cast<uint64_t>(view.shape[d]);
  }
  // The base: the argument itself, which an array returned from it (a view) keeps alive.
  slots.push(reinterpret_cast<uint64_t>(value));
  if (!ndarrayReaderChecked.load(std::memory_order_relaxed) &&
      std::string_view(Py_TYPE(value)->tp_name) == "numpy.ndarray")
    verifyNdarrayReader(value, type, slots, firstSlot);
  return true;
}

} // namespace nogil::python
