#include "python/buffers.h"
#include "python/boxing.h"

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

bool unboxBuffer(PyObject *value, const sema::Type *&type, SlotBuffer &slots, BufferHolder &buffers,
                 const char *function, const char *parameter) {
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
  return true;
}

} // namespace nogil::python
