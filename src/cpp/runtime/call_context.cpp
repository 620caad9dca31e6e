#include "runtime/call_context.h"
#include "runtime/interrupt.h"

#include <chrono>

namespace {

/// Installed once at import, before any call, and never changed: read without a lock.
NogilGilCallbacks gilCallbacks{};

int64_t steadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// How often (in slow polls) a main-thread call checks that the SIGINT handler is still ours.
constexpr int64_t kHandlerCheckEvery = 1024;

} // namespace

extern "C" void nogil_rt_install_gil_callbacks(const NogilGilCallbacks *callbacks) {
  gilCallbacks = *callbacks;
}

extern "C" int32_t nogil_rt_poll(NogilCallContext *context, int64_t work) {
  context->budget = kNogilPollBudget;
  int64_t polls = context->polls++;
  if (context->onMainThread) {
    if (polls % kHandlerCheckEvery == 0)
      nogil::runtime::ensureInterruptHandler(); // signal.signal may have displaced it
    if (nogil::runtime::takeInterrupt() && gilCallbacks.runSignalHandlers &&
        gilCallbacks.runSignalHandlers(context))
      return 1;
  }
  if (context->gilMode == NOGIL_GIL_AUTO && !context->gilReleased && gilCallbacks.release) {
    int64_t now = steadyNanos();
    if (work >= nogil::runtime::kAutoReleaseWork) {
      gilCallbacks.release(context);
    } else if (context->firstPollNanos == 0) {
      context->firstPollNanos = now;
    } else if (now - context->firstPollNanos >= nogil::runtime::kAutoReleaseNanos) {
      gilCallbacks.release(context);
    }
  }
  return 0;
}

namespace nogil::runtime {

void releaseGilForParallelLoop(NogilCallContext *context) {
  if (context->gilMode == NOGIL_GIL_AUTO && !context->gilReleased && gilCallbacks.release)
    gilCallbacks.release(context);
}

} // namespace nogil::runtime
