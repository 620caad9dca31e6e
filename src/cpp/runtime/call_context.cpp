#include "runtime/call_context.h"
#include "runtime/hot_thread_local.h"
#include "runtime/interrupt.h"

#include <chrono>

#include <sys/syscall.h>
#include <unistd.h>

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
  if (nogil::runtime::callerOnMainThread(context)) {
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

bool callerOnMainThread(NogilCallContext *context) {
  if (context->onMainThread < 0) {
    // The main thread is the process's first: its thread id is the process id. Cached per
    // thread (-1: not known yet); trivially initialised, so one load.
    NOGIL_HOT_THREAD_LOCAL int cached = -1;
    if (cached < 0)
      cached = syscall(SYS_gettid) == getpid() ? 1 : 0;
    context->onMainThread = cached;
  }
  return context->onMainThread == 1;
}

void releaseGilForParallelLoop(NogilCallContext *context) {
  if (context->gilMode == NOGIL_GIL_AUTO && !context->gilReleased && gilCallbacks.release)
    gilCallbacks.release(context);
}

} // namespace nogil::runtime
