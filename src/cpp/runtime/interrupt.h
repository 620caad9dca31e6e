// Ctrl-C inside compiled loops. A SIGINT handler in front of Python's sets a flag that the
// poll slow path reads, then hands the signal on to the handler it displaced (Python's, which
// marks the signal for the main thread's next check). Python reinstalls its own C handler
// whenever signal.signal(SIGINT, ...) is called; the slow path notices and chains in front
// again.
#pragma once

namespace nogil::runtime {

/// Puts the handler in front of the current SIGINT handler, unless it is there already.
/// Async-signal-safe state only; call from the main thread.
void ensureInterruptHandler();

/// Whether a SIGINT arrived since the last call, clearing the flag.
bool takeInterrupt();

/// Whether one is pending, without clearing it.
bool interruptPending();

} // namespace nogil::runtime
