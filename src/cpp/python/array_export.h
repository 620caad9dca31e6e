// Arrays out: an array a compiled function returns becomes a NumPy array over the same
// memory, without a copy. Memory compiled code allocated is handed over to it; a view of an
// argument keeps that argument alive, and its memory exported, for as long as it lives.
#pragma once

#include "python/buffers.h"
#include "sema/types.h"

#include <Python.h>

#include <cstdint>

namespace nogil::python {

/// Creates the exporter type; null with an exception set on failure.
PyTypeObject *createArrayExportType();

/// The NumPy array for an array of `type` whose data pointer, shape, strides and base start
/// at `slots` (advanced past them); the argument itself when it is one returned whole.
/// `arguments`: the call's exports (null when it held none). Imports NumPy on first use.
/// Null with an exception set.
PyObject *boxArray(const sema::Type *type, const uint64_t *&slots, const BufferHolder *arguments);

} // namespace nogil::python
