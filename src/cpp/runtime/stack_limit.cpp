// The stack bound of compiled recursion: each thread's real stack (the main thread's, a
// threading.Thread's of threading.stack_size(), a TBB worker's) minus a margin, looked up
// once per thread with pthread_getattr_np.
#include "runtime/call_context.h"
#include "runtime/hot_thread_local.h"

#include <algorithm>

#include <pthread.h>

namespace {

/// Room kept below the limit: the frames between two checks (non-recursive callees and
/// the runtime functions they call), the error path, and a Python signal handler a poll
/// may run. An eighth of a small stack, so that a thread of threading.stack_size(64 KiB)
/// can still recurse.
constexpr size_t kMaxMargin = 256 * 1024;
constexpr size_t kMarginFraction = 8;

uintptr_t lookUpStackLimit() {
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0)
    return 0; // unknown bounds: no check rather than a false RecursionError
  void *lowest = nullptr;
  size_t size = 0;
  size_t guard = 0;
  bool known = pthread_attr_getstack(&attributes, &lowest, &size) == 0 &&
               pthread_attr_getguardsize(&attributes, &guard) == 0;
  pthread_attr_destroy(&attributes);
  if (!known || size <= guard)
    return 0;
  // glibc counts a thread's guard pages in its stack; the main thread's has none listed.
  size_t usable = size - guard;
  size_t margin = std::min(kMaxMargin, usable / kMarginFraction);
  return reinterpret_cast<uintptr_t>(lowest) + guard + margin;
}

} // namespace

extern "C" int32_t nogil_rt_stack_exhausted(NogilCallContext *context, uintptr_t stackPointer) {
  if (context->stackLimit == kNogilStackLimitUnknown)
    context->stackLimit = nogil::runtime::threadStackLimit();
  return stackPointer < context->stackLimit ? 1 : 0;
}

namespace nogil::runtime {

uintptr_t threadStackLimit() {
  // kNogilStackLimitUnknown: not looked up yet on this thread (trivially initialised, so one
  // load; a thread's stack never moves).
  NOGIL_HOT_THREAD_LOCAL uintptr_t cached = kNogilStackLimitUnknown;
  if (cached == kNogilStackLimitUnknown)
    cached = lookUpStackLimit();
  return cached;
}

} // namespace nogil::runtime
