// numpy.ndarray read from its own fields, without NumPy's headers or its buffer export
// (which builds a format string and fills a Py_buffer on every call: most of what a call with
// an array cost, docs/performance.md). The fields below have kept their offsets since NumPy
// 1.7, in NumPy 2 too; the first ndarray the dispatcher sees is read both ways, and the direct
// reader is used only if the two agree (buffers.cpp). Inline: it is on every call's path.
#pragma once

#include "python/boxing.h"
#include "sema/types.h"

#include <Python.h>

#include <atomic>
#include <cstdint>
#include <cstring>

namespace nogil::python {

/// NumPy's PyArrayObject_fields, up to the flags.
struct NdarrayFields {
  PyObject_HEAD char *data;
  int nd;
  Py_ssize_t *dimensions;
  Py_ssize_t *strides;
  PyObject *base;
  PyObject *descr;
  int flags;
};
/// NumPy's PyArray_Descr, up to the type number.
struct DescrFields {
  PyObject_HEAD PyTypeObject *typeobj;
  char kind;
  char type;
  char byteorder;
  char flags;
  int type_num;
};
constexpr int kNpyWriteable = 0x0400;

/// numpy.ndarray once the direct reader agreed with the buffer protocol on the first array;
/// null before, and for good if it did not. Atomic, not GIL-guarded: it is written once
/// (threads that verify at once write the same class) and read relaxed, since the class is
/// all a reader needs from it (a plain load on x86 and ARM, as before).
extern std::atomic<PyTypeObject *> verifiedNdarrayType;

/// Whether `value` is a numpy.ndarray (exactly) that can be read from its fields.
inline bool isVerifiedNdarray(PyObject *value) {
  PyTypeObject *verified = verifiedNdarrayType.load(std::memory_order_relaxed);
  return verified && Py_TYPE(value) == verified;
}

/// Whether dimensions and strides are contiguous in `order`, as PyBuffer_IsContiguous
/// decides (dimensions of one element may have any stride; an empty array is contiguous).
inline bool contiguous(int ndim, const Py_ssize_t *shape, const Py_ssize_t *strides,
                       Py_ssize_t itemsize, char order) {
  for (int d = 0; d < ndim; ++d)
    if (shape[d] == 0)
      return true;
  Py_ssize_t expected = itemsize;
  for (int k = 0; k < ndim; ++k) {
    int d = order == 'C' ? ndim - 1 - k : k;
    if (shape[d] > 1 && strides[d] != expected)
      return false;
    expected *= shape[d];
  }
  return true;
}

inline sema::Layout layoutOf(const NdarrayFields *array, Py_ssize_t itemsize) {
  if (array->nd == 1) // the usual argument: C and F contiguity coincide
    return array->dimensions[0] <= 1 || array->strides[0] == itemsize ? sema::Layout::C
                                                                      : sema::Layout::Any;
  if (contiguous(array->nd, array->dimensions, array->strides, itemsize, 'C'))
    return sema::Layout::C;
  if (contiguous(array->nd, array->dimensions, array->strides, itemsize, 'F'))
    return sema::Layout::F;
  return sema::Layout::Any;
}

/// What a verified ndarray's compiled type follows from: equal keys, equal types.
struct NdarrayKey {
  int typeNumber = -1; ///< NumPy's, with a native byte order
  int ndim = -1;
  bool readonly = false;
  sema::Layout layout = sema::Layout::Any;
  Py_ssize_t itemsize = 0;
};

/// How many slots an array of `ndim` dimensions takes: data, shape, strides, base.
constexpr size_t ndarraySlots(size_t ndim) { return 2 * ndim + 2; }

/// Writes the array's slots: data, shape, strides, and the array itself as the base.
inline void writeNdarray(PyObject *value, uint64_t *slot) {
  auto *array = reinterpret_cast<NdarrayFields *>(value);
  auto ndim = static_cast<size_t>(array->nd);
  slot[0] = reinterpret_cast<uint64_t>(array->data);
  for (size_t d = 0; d < ndim; ++d) { // a loop, not memcpy: ndim is small
    slot[1 + d] = static_cast<uint64_t>(array->dimensions[d]);
    slot[1 + ndim + d] = static_cast<uint64_t>(array->strides[d]);
  }
  slot[2 * ndim + 1] = reinterpret_cast<uint64_t>(value);
}

inline void pushNdarray(PyObject *value, SlotBuffer &slots) {
  auto ndim = static_cast<size_t>(reinterpret_cast<NdarrayFields *>(value)->nd);
  writeNdarray(value, slots.extend(ndarraySlots(ndim)));
}

/// Writes `value`'s ndarraySlots(key.ndim) slots as the general path would when its key
/// equals `key` (then its compiled type is the one that key was taken with), without
/// classifying it again; false, nothing written, otherwise.
inline bool readNdarrayWithKey(PyObject *value, const NdarrayKey &key, uint64_t *slots) {
  if (!isVerifiedNdarray(value))
    return false;
  auto *array = reinterpret_cast<NdarrayFields *>(value);
  auto *descr = reinterpret_cast<DescrFields *>(array->descr);
  if (descr->type_num != key.typeNumber || descr->byteorder == '>' || array->nd != key.ndim ||
      ((array->flags & kNpyWriteable) == 0) != key.readonly ||
      layoutOf(array, key.itemsize) != key.layout)
    return false;
  writeNdarray(value, slots);
  return true;
}

/// The key of `value` when it is a verified ndarray compiled code reads directly.
bool ndarrayKeyOf(PyObject *value, NdarrayKey &key);

} // namespace nogil::python
