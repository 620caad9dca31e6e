// Reading plain values out of Python objects, throwing nb::python_error on failure.
#pragma once

#include <nanobind/nanobind.h>

#include <cstdint>
#include <string>

namespace nogil::python {

/// The UTF-8 text of a str.
inline std::string utf8(nanobind::handle value) {
  Py_ssize_t size = 0;
  const char *text = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (!text)
    throw nanobind::python_error();
  return std::string(text, static_cast<size_t>(size));
}

/// A non-negative int that fits in 32 bits (a line or column number).
inline uint32_t u32(nanobind::handle value) {
  unsigned long number = PyLong_AsUnsignedLong(value.ptr());
  if (number == static_cast<unsigned long>(-1) && PyErr_Occurred())
    throw nanobind::python_error();
  return static_cast<uint32_t>(number);
}

} // namespace nogil::python
