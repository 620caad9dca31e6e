#include "python/buffers.h"
#include "python/boxing.h"
#include "python/ndarray.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace nogil::python {

BufferHolder::~BufferHolder() {
  for (size_t i = 0; i < std::min(count_, kInline); ++i)
    PyBuffer_Release(&inline_[i]);
  if (more_)
    for (Py_buffer &view : *more_)
      PyBuffer_Release(&view);
}

Py_buffer &BufferHolder::add() {
  Py_buffer *view = nullptr;
  if (count_ < kInline) {
    view = &inline_[count_];
  } else {
    if (!more_)
      more_ = std::make_unique<std::deque<Py_buffer>>();
    view = &more_->emplace_back();
  }
  ++count_;
  std::memset(view, 0, sizeof(Py_buffer));
  return *view;
}

void BufferHolder::dropLast() {
  if (--count_ >= kInline)
    more_->pop_back();
}

bool isBuffer(PyObject *value) { return PyObject_CheckBuffer(value) != 0; }

namespace {

/// The element type of a struct-module format ("d", "<i4" is "<i" here, "?"), or null.
const sema::Type *elementType(const char *format, Py_ssize_t itemsize) {
  std::string_view code(format ? format : "B");
  // Native or little-endian byte order only: this build targets little-endian CPUs.
  if (!code.empty() && (code[0] == '@' || code[0] == '=' || code[0] == '<'))
    code.remove_prefix(1);
  if (code == "Zd")
    return sema::complex128Type();
  if (code.size() != 1)
    return nullptr;
  using sema::TypeKind;
  switch (code[0]) {
  case '?':
    return sema::boolType();
  case 'b':
    return sema::typeOf(TypeKind::Int8);
  case 'B':
    return sema::typeOf(TypeKind::UInt8);
  case 'h':
    return sema::typeOf(TypeKind::Int16);
  case 'H':
    return sema::typeOf(TypeKind::UInt16);
  case 'i':
    return sema::typeOf(TypeKind::Int32);
  case 'I':
    return sema::typeOf(TypeKind::UInt32);
  case 'l':
  case 'q':
    return itemsize == 8 ? sema::int64Type() : sema::typeOf(TypeKind::Int32);
  case 'L':
  case 'Q':
    return itemsize == 8 ? sema::typeOf(TypeKind::UInt64) : sema::typeOf(TypeKind::UInt32);
  case 'f':
    return sema::typeOf(TypeKind::Float32);
  case 'd':
    return sema::float64Type();
  case 'Z': // "Zd": complex128
    return nullptr;
  default:
    return nullptr;
  }
}

} // namespace

namespace {

// numpy.ndarray, read directly (python/ndarray.h): the first ndarray the dispatcher sees is
// read both ways, and the direct reader is used only if the two agree (else never). Guarded
// by the GIL, like every argument conversion. The outcome is verifiedNdarrayType.

/// Whether the first ndarray was read both ways yet.
bool ndarrayReaderChecked = false;

/// The element type of a NumPy type number (LP64 Linux: long is 64 bits), or null.
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
  case 15:
    return sema::complex128Type();
  default:
    return nullptr;
  }
}

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
  key.itemsize = dtype->isComplex() ? 16 : (dtype->bitWidth() + 7) / 8;
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
  ndarrayReaderChecked = true;
  if (same)
    verifiedNdarrayType = Py_TYPE(value);
}

/// Reads `value`, when it is a numpy.ndarray compiled code reads from its fields, as
/// unboxBuffer does; false (nothing pushed) when it cannot.
bool readVerifiedNdarray(PyObject *value, const sema::Type *&type, SlotBuffer &slots) {
  return isVerifiedNdarray(value) && readNdarray(value, type, slots);
}

} // namespace

PyTypeObject *verifiedNdarrayType = nullptr;

bool ndarrayKeyOf(PyObject *value, NdarrayKey &key) {
  const sema::Type *dtype = nullptr;
  return isVerifiedNdarray(value) && classifyNdarray(value, key, dtype);
}

bool unboxBuffer(PyObject *value, const sema::Type *&type, SlotBuffer &slots, BufferHolder &buffers,
                 const char *function, const char *parameter) {
  if (readVerifiedNdarray(value, type, slots))
    return true;
  size_t firstSlot = slots.size();
  Py_buffer &view = buffers.add();
  if (PyObject_GetBuffer(value, &view, PyBUF_RECORDS_RO) < 0) {
    buffers.dropLast();
    return false;
  }
  const sema::Type *dtype = elementType(view.format, view.itemsize);
  if (!dtype) {
    PyErr_Format(PyExc_TypeError,
                 "%s() argument '%s' is a buffer of unsupported dtype (format '%s'); compiled "
                 "code takes bool, int8 to int64, uint8 to uint64, float32 and float64",
                 function, parameter, view.format ? view.format : "B");
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
  slots.push(reinterpret_cast<uint64_t>(view.buf));
  for (unsigned d = 0; d < ndim; ++d)
    slots.push(static_cast<uint64_t>(view.shape[d]));
  for (unsigned d = 0; d < ndim; ++d)
    slots.push(static_cast<uint64_t>(view.strides[d]));
  // The base: the argument itself, which an array returned from it (a view) keeps alive.
  slots.push(reinterpret_cast<uint64_t>(value));
  if (!ndarrayReaderChecked && std::string_view(Py_TYPE(value)->tp_name) == "numpy.ndarray")
    verifyNdarrayReader(value, type, slots, firstSlot);
  return true;
}

} // namespace nogil::python
