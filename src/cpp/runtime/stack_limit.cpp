// The stack bound of compiled recursion: each thread's real stack (the main thread's, a
// threading.Thread's of threading.stack_size(), a TBB worker's) minus a margin, looked up
// once per thread with pthread_getattr_np.
#include "runtime/call_context.h"

#include <algorithm>

#include <pthread.h>

namespace {

/// Room kept below the limit: the frames between two checks (non-recursive callees and
/// the runtime functions they call), the error path, and a Python signal handler a poll
/// may run. An eighth of a small stack, so that a thread of threading.stack_size(64 KiB)
/// can still recurse.
constexpr size_t kMaxMargin = 256 * 1024;
constexpr size_t kMarginFraction = 8;

/// The calling thread's stack as far as the check needs it.
struct ThreadStack {
  uintptr_t lowest = 0; ///< the guard's start: below it lies memory of some other use
  uintptr_t limit = 0;  ///< lowest plus the guard and the margin; 0: bounds unknown
};

ThreadStack lookUpThreadStack() {
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0)
    return {}; // unknown bounds: no check rather than a false RecursionError
  void *lowest = nullptr;
  size_t size = 0;
  size_t guard = 0;
  bool known = pthread_attr_getstack(&attributes, &lowest, &size) == 0 &&
               pthread_attr_getguardsize(&attributes, &guard) == 0;
  pthread_attr_destroy(&attributes);
  if (!known || size <= guard)
    return {};
  // glibc counts a thread's guard pages in its stack; the main thread's has none listed.
  size_t usable = size - guard;
  size_t margin = std::min(kMaxMargin, usable / kMarginFraction);
  auto low = reinterpret_cast<uintptr_t>(lowest);
  return {low, low + guard + margin};
}

/// Looked up once per thread: a thread's stack never moves.
thread_local ThreadStack threadStack;
thread_local bool threadStackKnown = false;

const ThreadStack &currentThreadStack() {
  if (!threadStackKnown) {
    threadStack = lookUpThreadStack();
    threadStackKnown = true;
  }
  return threadStack;
}

} // namespace

extern "C" int32_t nogil_rt_stack_exhausted(NogilCallContext *context, uintptr_t stackPointer) {
  const ThreadStack &stack = currentThreadStack();
  context->stackLimit = stack.limit;
  // Below the thread's stack altogether, the code runs on a stack of its own making (a
  // coroutine library's): its bounds are unknown, so it is not checked.
  return stackPointer < stack.limit && stackPointer >= stack.lowest ? 1 : 0;
}
