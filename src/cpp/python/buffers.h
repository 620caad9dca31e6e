// Arrays in: any object that exports the buffer protocol (NumPy arrays, array.array,
// memoryview, bytearray) becomes an array argument, its buffer held for the whole call.
#pragma once

#include "sema/types.h"

#include <Python.h>

#include <deque>
#include <memory>

namespace nogil::python {

class SlotBuffer;

/// The buffers a call's arguments export. Released when the holder goes out of scope, which
/// the dispatcher arranges to be after the native call returns, with the GIL held: so
/// another thread dropping the array cannot free memory compiled code still reads.
class BufferHolder {
public:
  BufferHolder() = default;
  BufferHolder(const BufferHolder &) = delete;
  BufferHolder &operator=(const BufferHolder &) = delete;
  ~BufferHolder();
  Py_buffer &add();
  void dropLast();

private:
  // Most calls take a few arrays: those views live here, without a heap allocation (a
  // std::deque allocates when constructed, on every call). Addresses never change while held.
  static constexpr size_t kInline = 4;
  Py_buffer inline_[kInline];
  size_t count_ = 0;
  std::unique_ptr<std::deque<Py_buffer>> more_; ///< views beyond kInline
};

/// Whether `value` exports a buffer.
bool isBuffer(PyObject *value);

/// Classifies the buffer `value` exports as an array type (element type, ndim, layout,
/// writability) and appends its data pointer, shape and strides to `slots`. On an element
/// type compiled code does not take, sets TypeError naming `function` and `parameter`.
bool unboxBuffer(PyObject *value, const sema::Type *&type, SlotBuffer &slots, BufferHolder &buffers,
                 const char *function, const char *parameter);

} // namespace nogil::python
