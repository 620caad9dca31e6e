// The extension module nogil._core.
#include "python/array_export.h"
#include "python/boxing.h"
#include "python/dispatcher.h"
#include "python/gil_policy.h"
#include "python/module_functions.h"
#include "python/overload_bridge.h"
#include "python/stdout.h"

#include <nanobind/nanobind.h>

namespace nb = nanobind;

NB_MODULE(_core, m) {
  m.doc() = "nogil's compiler and dispatcher";
  PyTypeObject *dispatcher = nogil::python::createDispatcherType();
  if (!dispatcher)
    throw nb::python_error();
  m.attr("Dispatcher") = nb::steal(reinterpret_cast<PyObject *>(dispatcher));
  m.attr("NOGIL_HOLD") = static_cast<int>(nogil::python::GilMode::Hold);
  m.attr("NOGIL_RELEASE") = static_cast<int>(nogil::python::GilMode::Release);
  m.attr("NOGIL_AUTO") = static_cast<int>(nogil::python::GilMode::Auto);
  PyTypeObject *arrayMemory = nogil::python::createArrayExportType();
  if (!arrayMemory)
    throw nb::python_error();
  m.attr("ArrayMemory") = nb::steal(reinterpret_cast<PyObject *>(arrayMemory));
  if (!nogil::python::addModuleFunctions(m.ptr()))
    throw nb::python_error();
  nogil::python::installPrintHook();
  nogil::python::installGilPolicy();
  nogil::python::registerErrorKindClasses();
  nogil::python::addOverloadBridge(m);
}
