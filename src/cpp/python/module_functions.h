// The functions of nogil._core (array_memory, cache_info, set_num_threads...).
#pragma once

#include <Python.h>

namespace nogil::python {

/// Adds them to `module`; false with an exception set on failure.
bool addModuleFunctions(PyObject *module);

} // namespace nogil::python
