// Python values <-> the native ABI's 8-byte slots.
#pragma once

#include "sema/types.h"

#include <Python.h>

#include <cstdint>

namespace nogil::python {

/// Classifies `value` as a compiled-code type and writes its native form into `slot`.
/// On failure sets TypeError (unsupported type) or OverflowError (an int beyond int64),
/// naming `function` and `parameter`, and returns false.
bool unboxArgument(PyObject *value, sema::TypeKind &kind, uint64_t &slot, const char *function,
                   const char *parameter);

/// Converts an argument slot of kind `from` for a parameter of kind `to`, only where that
/// loses nothing (bool -> int64 -> float64). False when it would.
bool convertSlot(sema::TypeKind from, sema::TypeKind to, uint64_t &slot);

/// The Python object for a native result of type `type` held in `slot`, as type `boxAs`
/// (a declared return type at least as wide).
PyObject *boxResult(const sema::Type *type, const sema::Type *boxAs, const uint64_t &slot);

/// Sets the Python exception recorded by compiled code on this thread, with a traceback
/// entry for each compiled frame it passed through, and clears the record.
void raiseFromErrorRecord();

} // namespace nogil::python
