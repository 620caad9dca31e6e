// The python side of nogil.extending.overload: see overload_bridge.cpp.
#pragma once

#include <Python.h>
#include <nanobind/nanobind.h>

namespace nogil::python {

/// Installs the typer's overload hook and `_core._register_overload_classes`.
void addOverloadBridge(nanobind::module_ &m);

/// Whether `value` is a nogil._overloads.Selector (an overloaded function, frozen).
bool isOverloadSelector(PyObject *value);

/// Whether `value` is a nogil._overloads.Primitive (a builtin of the core, by name).
bool isPrimitive(PyObject *value);

} // namespace nogil::python
