#include "runtime/interrupt.h"

#include <atomic>
#include <csignal>

namespace nogil::runtime {

namespace {

// Written by the signal handler: lock-free atomics only.
std::atomic<bool> pending{false};
static_assert(std::atomic<bool>::is_always_lock_free);

/// The handler ours displaced; written only by ensureInterruptHandler (main thread) before
/// ours is installed, read by ours.
struct sigaction displaced{};

void onInterrupt(int signal, siginfo_t *info, void *context) {
  pending.store(true, std::memory_order_relaxed);
  if (displaced.sa_flags & SA_SIGINFO) {
    if (displaced.sa_sigaction)
      displaced.sa_sigaction(signal, info, context);
  } else if (displaced.sa_handler != SIG_DFL && displaced.sa_handler != SIG_IGN) {
    displaced.sa_handler(signal);
  } else if (displaced.sa_handler == SIG_DFL) {
    // What the default would have done: end the process. Restore it and raise again.
    sigaction(SIGINT, &displaced, nullptr);
    raise(SIGINT);
  }
}

} // namespace

void ensureInterruptHandler() {
  struct sigaction current{};
  if (sigaction(SIGINT, nullptr, &current) != 0)
    return;
  if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == onInterrupt)
    return;
  if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_IGN)
    return; // the program ignores Ctrl-C: so do we
  struct sigaction ours{};
  ours.sa_sigaction = onInterrupt;
  ours.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&ours.sa_mask);
  displaced = current;
  sigaction(SIGINT, &ours, nullptr);
}

bool takeInterrupt() { return pending.exchange(false, std::memory_order_relaxed); }

bool interruptPending() { return pending.load(std::memory_order_relaxed); }

} // namespace nogil::runtime
