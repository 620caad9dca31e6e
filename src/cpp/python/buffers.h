// Arrays in: any object that exports the buffer protocol (NumPy arrays, array.array,
// memoryview, bytearray) becomes an array argument, its buffer held for the whole call.
#pragma once

#include "sema/types.h"

#include <Python.h>

#include <deque>
#include <memory>

namespace nogil::python {

class SlotBuffer;

/// One argument's export, held for the call.
struct HeldBuffer {
  Py_buffer view;
  PyObject *argument;     ///< the object exporting it (borrowed: the caller holds it)
  const sema::Type *type; ///< the array type it was read as
};

/// The buffers a call's arguments export. Released when the holder goes out of scope, which
/// the dispatcher arranges to be after the native call returns and its result is boxed, with
/// the GIL held: so another thread dropping the array cannot free memory compiled code still
/// reads.
class BufferHolder {
public:
  BufferHolder() = default;
  BufferHolder(const BufferHolder &) = delete;
  BufferHolder &operator=(const BufferHolder &) = delete;
  ~BufferHolder();
  HeldBuffer &add(PyObject *argument);
  void dropLast();
  /// The export of `argument`, or null when it was read without one (a plain ndarray).
  const HeldBuffer *find(PyObject *argument) const;

private:
  // Most calls take a few arrays: those views live here, without a heap allocation (a
  // std::deque allocates when constructed, on every call). Addresses never change while held.
  static constexpr size_t kInline = 4;
  HeldBuffer inline_[kInline];
  size_t count_ = 0;
  std::unique_ptr<std::deque<HeldBuffer>> more_; ///< views beyond kInline
};

/// The element type of a NumPy type number (LP64 Linux: long is 64 bits), or null.
const sema::Type *elementOfTypeNumber(int typeNumber);

/// Whether `value` exports a buffer.
bool isBuffer(PyObject *value);

/// Classifies the buffer `value` exports as an array type (element type, ndim, layout,
/// writability) and appends its data pointer, shape and strides to `slots`. On an element
/// type compiled code does not take, sets TypeError naming `function` and `parameter`.
bool unboxBuffer(PyObject *value, const sema::Type *&type, SlotBuffer &slots, BufferHolder &buffers,
                 const char *function, const char *parameter);

/// Whether an array of `type` over `data`, with `dims` (its shape, then its strides), is
/// exactly the argument `argument` as the call read it (an export in `buffers`, else a plain
/// ndarray): the same memory, shape, strides, dtype and writability.
bool isWholeArgument(PyObject *argument, const BufferHolder *buffers, const sema::Type *type,
                     const void *data, const Py_ssize_t *dims);

} // namespace nogil::python
