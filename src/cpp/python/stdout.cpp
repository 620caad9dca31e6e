// print() in compiled code writes through sys.stdout, so that its output interleaves with
// Python's own in order and follows redirection (pytest's capsys, contextlib.redirect_stdout).
#include "python/stdout.h"
#include "runtime/text.h"

#include <Python.h>

namespace nogil::python {

namespace {

void writeToStdout(const char *text, size_t size) {
  // The calling thread may hold the GIL (nogil=False) or not (nogil=True): Ensure does both.
  PyGILState_STATE gil = PyGILState_Ensure();
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyObject *stdoutFile = PySys_GetObject("stdout"); // borrowed
  if (stdoutFile && stdoutFile != Py_None) {
    PyObject *line = PyUnicode_FromStringAndSize(text, static_cast<Py_ssize_t>(size));
    if (!line || PyFile_WriteObject(line, stdoutFile, Py_PRINT_RAW) < 0)
      PyErr_WriteUnraisable(stdoutFile);
    Py_XDECREF(line);
  }
  PyErr_Restore(type, value, traceback);
  PyGILState_Release(gil);
}

} // namespace

void installPrintHook() { runtime::setPrintHook(writeToStdout); }

} // namespace nogil::python
