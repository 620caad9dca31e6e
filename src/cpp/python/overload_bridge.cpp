// The python side of overloads (nogil.extending): the typer's hook, which asks
// nogil._overloads for the implementation of a call from its argument types, and the
// classes of the objects the front end freezes for overloaded functions and primitives.
#include "python/overload_bridge.h"

#include "python/dispatcher_impl.h"
#include "sema/overloads.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

namespace nb = nanobind;

namespace nogil::python {

namespace {

/// nogil._overloads.Selector and .Primitive, registered at its import; strong references.
PyObject *selectorClass = nullptr;
PyObject *primitiveClass = nullptr;

std::string currentErrorText() {
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  std::string text = "an error while choosing the implementation";
  if (value) {
    PyObject *shown = PyObject_Str(value);
    const char *utf8 = shown ? PyUnicode_AsUTF8(shown) : nullptr;
    if (utf8)
      text = std::string(reinterpret_cast<PyTypeObject *>(type)->tp_name) + ": " + utf8;
    Py_XDECREF(shown);
  }
  PyErr_Clear();
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(traceback);
  return text;
}

/// Runs on a compiler thread, without the GIL, from the typer (which holds the compiler's
/// registry lock: no thread holding the GIL ever waits for that lock, so this cannot
/// deadlock). The chosen implementation is a Dispatcher kept alive by nogil._overloads.
sema::OverloadChoice chooseInPython(const sema::OverloadRequest &request) {
  PyGILState_STATE gil = PyGILState_Ensure();
  sema::OverloadChoice choice;
  try {
    nb::list types;
    for (const sema::Type *type : request.args)
      types.append(nb::str(type->name()));
    nb::list keywords;
    for (const std::string &keyword : request.keywords)
      keywords.append(nb::str(keyword.c_str()));
    nb::list literals;
    for (const std::string &literal : request.literals)
      literals.append(nb::str(literal.c_str()));
    nb::object selector =
        request.overload ? nb::borrow(reinterpret_cast<PyObject *>(request.overload)) : nb::none();
    nb::object chosen =
        nb::module_::import_("nogil._overloads")
            .attr("choose")(selector, nb::str(request.method.c_str()), types, keywords, literals);
    if (PyUnicode_Check(chosen.ptr()))
      choice.error = nb::cast<std::string>(chosen);
    else if (!chosen.is_none()) {
      choice.unit = loadDispatcherUnit(chosen.ptr());
      if (!choice.unit)
        choice.error = currentErrorText();
      else
        choice.unit->chosenByTypes.store(true);
    }
  } catch (nb::python_error &error) {
    error.restore();
    choice.error = currentErrorText();
  } catch (std::exception &error) {
    choice.error = error.what();
  }
  PyGILState_Release(gil);
  return choice;
}

void registerOverloadClasses(nb::handle selector, nb::handle primitive) {
  Py_XSETREF(selectorClass, Py_NewRef(selector.ptr()));
  Py_XSETREF(primitiveClass, Py_NewRef(primitive.ptr()));
}

} // namespace

bool isOverloadSelector(PyObject *value) {
  return selectorClass && reinterpret_cast<PyObject *>(Py_TYPE(value)) == selectorClass;
}

bool isPrimitive(PyObject *value) {
  return primitiveClass && reinterpret_cast<PyObject *>(Py_TYPE(value)) == primitiveClass;
}

void addOverloadBridge(nb::module_ &m) {
  sema::setOverloadResolver(chooseInPython);
  m.def("_register_overload_classes", &registerOverloadClasses);
}

} // namespace nogil::python
