#include "python/gil_policy.h"
#include "runtime/call_context.h"
#include "runtime/error_record.h"
#include "runtime/hot_thread_local.h"
#include "runtime/interrupt.h"

#include <Python.h>

#include <sys/syscall.h>
#include <unistd.h>

namespace nogil::python {

namespace {

/// Python runs signal handlers on the thread that started the interpreter, which is the
/// process's first thread (its thread id is the process id) when Python is the program.
bool onMainThread() {
  NOGIL_HOT_THREAD_LOCAL int main = -1; // not known yet
  if (main < 0)
    main = syscall(SYS_gettid) == getpid() ? 1 : 0;
  return main == 1;
}

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

NativeCallResult callNative(jit::EntryFunction entry, void *result, const uint64_t *args,
                            GilMode mode) {
  NogilCallContext context =
      runtime::newCallContext(static_cast<NogilGilMode>(mode), onMainThread());
  if (mode == GilMode::Release) {
    context.gilReleased = 1;
    context.threadState = PyEval_SaveThread();
  }
  int32_t status = entry(result, args, &context);
  if (context.gilReleased)
    PyEval_RestoreThread(static_cast<PyThreadState *>(context.threadState));
  return {status, context.gilReleased != 0};
}

void installGilPolicy() {
  static const NogilGilCallbacks callbacks{releaseGil, runSignalHandlers};
  nogil_rt_install_gil_callbacks(&callbacks);
  runtime::ensureInterruptHandler();
}

} // namespace nogil::python
