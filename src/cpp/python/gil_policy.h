// The GIL at the Python -> native boundary: the three policies, and the callbacks through
// which the runtime's poll slow path releases the GIL ("auto") and runs Python's signal
// handlers (Ctrl-C).
#pragma once

#include "jit/compiler.h"
#include "python/dispatcher.h"
#include "runtime/call_context.h"

#include <Python.h>

#include <cstdint>

namespace nogil::python {

struct NativeCallResult {
  int32_t status;
  bool released; ///< the call ran without the GIL for some or all of its time
};

/// Calls `entry` under `mode`; the GIL is held again when it returns. Called with the GIL.
/// Inline: it is most of what a small call costs.
inline NativeCallResult callNative(jit::EntryFunction entry, void *result, const uint64_t *args,
                                   GilMode mode) {
  NogilCallContext context = runtime::newCallContext(static_cast<NogilGilMode>(mode));
  if (mode == GilMode::Release) {
    context.gilReleased = 1;
    context.threadState = PyEval_SaveThread();
  }
  int32_t status = entry(result, args, &context);
  if (context.gilReleased)
    PyEval_RestoreThread(static_cast<PyThreadState *>(context.threadState));
  return {status, context.gilReleased != 0};
}

/// Installs the runtime's GIL callbacks and the SIGINT handler; once, at import.
void installGilPolicy();

} // namespace nogil::python
