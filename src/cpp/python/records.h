// NumPy's structured dtypes in and out of compiled code: arrays of records (a structured
// ndarray) and record scalars (numpy.void) as arguments, records and record arrays as results.
#pragma once

#include "python/boxing.h"
#include "sema/types.h"

#include <Python.h>

namespace nogil::python {

/// Whether `value` is a numpy.ndarray (or memmap) whose dtype has fields.
bool isRecordArray(PyObject *value);
/// Whether `value` is a numpy.void scalar whose dtype has fields.
bool isRecordScalar(PyObject *value);

/// Reads a structured ndarray: its array type (a Record dtype) and its data, shape, strides
/// and itself as the base in `slots`. TypeError naming `function` and `parameter` when a
/// field's type is one compiled code does not read.
bool unboxRecordArray(PyObject *value, const sema::Type *&type, SlotBuffer &slots,
                      const char *function, const char *parameter);
/// Reads a numpy.void record: its Record type and the address of its bytes (where NumPy
/// writes `rec['f'] = v` too: the array it came from, or its own copy).
bool unboxRecordScalar(PyObject *value, const sema::Type *&type, SlotBuffer &slots,
                       const char *function, const char *parameter);

/// The Record type of an ndarray's dtype (`descr`, a numpy.dtype), when it has fields;
/// null (nothing raised) otherwise or when compiled code does not read one of its fields.
const sema::Type *recordTypeOfDescr(PyObject *descr, bool readonly);

/// The numpy.dtype a Record type was read from (borrowed, kept for the process), or null.
PyObject *dtypeOfRecord(const sema::Type *record);

/// A new numpy.void holding a copy of the record at `data`, as Numba boxes one.
PyObject *boxRecord(const sema::Type *record, const void *data);

/// An array exported with the raw bytes of each record ("16s") given the record's dtype
/// (a view of the same memory); steals `raw`.
PyObject *viewAsRecords(PyObject *raw, const sema::Type *record);

/// The struct format of a record's raw bytes ("16s"), kept for the process.
const char *rawRecordFormat(const sema::Type *record);

} // namespace nogil::python
