#include "python/gil_policy.h"
#include "runtime/call_context.h"
#include "runtime/error_record.h"
#include "runtime/interrupt.h"

#include <Python.h>

namespace nogil::python {

namespace {

void releaseGil(NogilCallContext *context) {
  context->threadState = PyEval_SaveThread();
  context->gilReleased = 1;
}

int32_t runSignalHandlers(NogilCallContext *context) {
  if (context->gilReleased)
    PyEval_RestoreThread(static_cast<PyThreadState *>(context->threadState));
  int32_t raised = 0;
  if (PyErr_CheckSignals() != 0) {
    runtime::ErrorRecord &record = runtime::currentError();
    record = runtime::ErrorRecord{};
    record.kind = NOGIL_ERROR_PYTHON;
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    record.pythonError[0] = type;
    record.pythonError[1] = value;
    record.pythonError[2] = traceback;
    raised = 1;
  }
  if (context->gilReleased)
    context->threadState = PyEval_SaveThread();
  return raised;
}

} // namespace

void installGilPolicy() {
  static const NogilGilCallbacks callbacks{releaseGil, runSignalHandlers};
  nogil_rt_install_gil_callbacks(&callbacks);
  runtime::ensureInterruptHandler();
}

} // namespace nogil::python
