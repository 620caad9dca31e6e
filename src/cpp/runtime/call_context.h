// The state of one Python -> native call that compiled code carries to every frame: the
// polling budget and the GIL's state. Compiled loops spend the budget at their back edges;
// when it runs out they call nogil_rt_poll, the slow path, which handles Ctrl-C and the
// "auto" GIL policy. The runtime includes no CPython header: it reaches the GIL through the
// callback table the python layer installs.
#pragma once

#include <cstdint>

extern "C" {

/// How a call treats the GIL (nogil=False, True, "auto").
enum NogilGilMode : int32_t {
  NOGIL_GIL_HOLD = 0,
  NOGIL_GIL_RELEASE = 1,
  NOGIL_GIL_AUTO = 2,
};

/// On the dispatcher's stack for the duration of one call; written only by the thread that
/// runs the call (a parallel loop's tasks get contexts of their own).
struct NogilCallContext {
  /// Work left before the next slow-path poll; compiled code subtracts loop iterations.
  int64_t budget;
  int32_t gilMode;
  /// Whether the call runs without the GIL now (from the start with nogil=True, after the
  /// first slow polls with "auto").
  int32_t gilReleased;
  /// The python layer's saved thread state while the GIL is released.
  void *threadState;
  /// When the first slow poll ran (steady clock, ns), 0 before: "auto" releases the GIL
  /// once the call has worked for a while.
  int64_t firstPollNanos;
  /// Slow polls so far.
  int64_t polls;
  /// Whether the call runs on the main thread, where Python runs its signal handlers: 1 or
  /// 0, or -1 for "the calling thread's, not looked at yet" (see callerOnMainThread): most
  /// calls never reach a slow poll, so they never ask.
  int32_t onMainThread;
  /// The lowest stack address a recursive function may start at (the thread's stack bottom
  /// plus a margin for the error path and the caller), or kNogilStackLimitUnknown until the
  /// first check of the call looks it up (see nogil_rt_stack_exhausted): calls that never
  /// recurse never ask.
  uintptr_t stackLimit;
};

/// NogilCallContext::stackLimit before the call's first check: above every stack address, so
/// that check takes the slow path, which fills in the thread's limit.
inline constexpr uintptr_t kNogilStackLimitUnknown = UINTPTR_MAX;

/// The slow path of the check at the entry of a function that can recurse, taken when the
/// stack pointer `stackPointer` is below context->stackLimit. Fills in the limit of the
/// calling thread (runtime/stack_limit.cpp: its stack's lowest usable address plus a margin
/// for the frames the check does not see, the error path and a signal handler a poll may
/// run); non-zero when the stack is exhausted, in which case the caller raises
/// RecursionError.
int32_t nogil_rt_stack_exhausted(NogilCallContext *context, uintptr_t stackPointer);

/// The budget a call starts with and each slow poll refills: about 10-40 µs of the
/// simplest loops between slow polls.
inline constexpr int64_t kNogilPollBudget = 1 << 15;

/// The slow path, called when `work` (loop iterations, charged before or after they run)
/// overdrew the budget. Runs pending signal handlers (on the main thread) and applies the
/// auto GIL policy. Non-zero: an exception (KeyboardInterrupt) is recorded; unwind.
int32_t nogil_rt_poll(NogilCallContext *context, int64_t work);

/// What the runtime needs from Python, installed once by the python layer.
struct NogilGilCallbacks {
  /// Releases the GIL the calling thread holds: sets threadState and gilReleased.
  void (*release)(NogilCallContext *context);
  /// Runs Python's pending signal handlers, taking the GIL for it if the call released it.
  /// Non-zero: a handler raised; the exception is in the thread's error record.
  int32_t (*runSignalHandlers)(NogilCallContext *context);
};
void nogil_rt_install_gil_callbacks(const NogilGilCallbacks *callbacks);
}

namespace nogil::runtime {

/// After this much work (wall time from the first slow poll, plus the budget before it),
/// an "auto" call releases the GIL.
inline constexpr int64_t kAutoReleaseNanos = 40'000;

/// A loop charged this much at once is long enough to release the GIL before it starts.
inline constexpr int64_t kAutoReleaseWork = 4 * kNogilPollBudget;

/// A fresh context for a call in `mode`, on a thread that may be the main thread.
inline NogilCallContext newCallContext(NogilGilMode mode) {
  return NogilCallContext{kNogilPollBudget, mode, 0, nullptr, 0, 0, -1, kNogilStackLimitUnknown};
}

/// A fresh context for code that must not run Python's signal handlers (a parallel loop's
/// ranges, whichever thread runs them).
inline NogilCallContext newWorkerCallContext(NogilGilMode mode) {
  return NogilCallContext{kNogilPollBudget, mode, 0, nullptr, 0, 0, 0, kNogilStackLimitUnknown};
}

/// Whether `context`'s call runs on the process's main thread (resolved once per context).
bool callerOnMainThread(NogilCallContext *context);

/// Before a parallel loop: an "auto" call releases the GIL now, whatever the loop's length
/// (its other threads never need it, and the calling thread waits on them).
void releaseGilForParallelLoop(NogilCallContext *context);

} // namespace nogil::runtime
