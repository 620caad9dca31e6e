// NumPy's scalar objects (np.int32(5), np.float32(0.5), ...) in and out of compiled code.
// NumPy is never imported to read an argument (an object can only be a NumPy scalar once
// NumPy is loaded), and is imported to return one only when a function returns such a type.
#pragma once

#include "sema/types.h"

#include <Python.h>

#include <cstdint>

namespace nogil::python {

/// The compiled type of a NumPy scalar object, or null when `value` is not one.
const sema::Type *numpyScalarTypeOf(PyObject *value);

/// Whether `value` is a NumPy scalar of any type (an instance of numpy.generic).
bool isNumpyScalar(PyObject *value);

/// The scalar type a NumPy dtype object, Python's float/int/bool/complex, or a NumPy scalar
/// class (np.float32, np.complex128) designates; null for anything else, or a dtype compiled code
/// lacks (complex64, a byte-swapped one). Never imports NumPy: such a value means it is loaded.
const sema::Type *designatedDtype(PyObject *value);

/// What an object is to numpy.ndarray: not an array, an array compiled code reads as it is
/// (numpy.ndarray or numpy.memmap, exactly), or an instance of another subclass, whose
/// indexing or arithmetic may differ from ndarray's (numpy.ma.MaskedArray, numpy.matrix).
enum class NdarrayClass : uint8_t { None, Plain, Subclass };
NdarrayClass ndarrayClassOf(PyObject *value);

/// The native value of a NumPy scalar of `type` as an 8-byte slot: integers extended to 64
/// bits, float32 widened to float64. False with an exception set on failure.
bool unboxNumpyScalar(PyObject *value, const sema::Type *type, uint64_t &slot);

/// A new NumPy scalar of `type` (int8 ... uint64, float32) from its slot, or null with an
/// exception set.
PyObject *boxNumpyScalar(const sema::Type *type, uint64_t slot);

/// A new NumPy complex scalar of `type` (complex64) from its parts, or null with an
/// exception set.
PyObject *boxNumpyComplex(const sema::Type *type, double real, double imag);

} // namespace nogil::python
