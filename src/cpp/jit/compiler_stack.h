// The stack compiles run on. The compiler's walks over the tree (typing, lowering, the
// dumps) recurse once per level of nesting, and Python accepts expressions nested tens of
// thousands deep (`x + 1 + 1 + ...`), far more than a thread's default stack holds (8 MiB
// on the main thread, less on others). Compiles therefore run on threads of their own with
// a large stack, kept for the process so each keeps its TargetMachine.
#pragma once

#include <cstddef>
#include <functional>

namespace nogil::jit {

/// The stack of a compiler thread: reserved address space, committed as it is touched.
inline constexpr size_t kCompilerStackBytes = size_t{1} << 30;

/// Runs `work` on a compiler thread (see above) and waits for it; an exception it throws is
/// rethrown here. Runs `work` on the calling thread when no compiler thread can be
/// started (address space exhausted). Thread-safe: concurrent calls run on different
/// compiler threads.
void runOnCompilerStack(const std::function<void()> &work);

/// Whether the calling thread is a compiler thread (and so has kCompilerStackBytes).
bool onCompilerStack();

} // namespace nogil::jit
