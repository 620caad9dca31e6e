// Parallel loops (`prange` in functions compiled with parallel=True): compiled code outlines
// the loop body into a function over a range of iterations and hands it to this parallel-for,
// built on oneTBB (work stealing; a parallel loop inside another nests rather than deadlocks;
// any number of threads may start loops at once).
//
// Iterations are split into at most kMaxParallelRanges ranges, always the same way for a
// given count, and reductions are combined in a fixed tree: a float sum gives the same bits
// on every run and for every number of threads.
#pragma once

#include "runtime/call_context.h"

#include <cstdint>

extern "C" {

/// One `prange` loop, as compiled code describes it.
struct NogilParallelLoop {
  /// Runs iterations [begin, end) (0-based) and accumulates the loop's reductions into
  /// `partial`. Non-zero: an exception was recorded in the thread's error record.
  int32_t (*body)(const void *closure, void *partial, int64_t begin, int64_t end,
                  NogilCallContext *context);
  /// Sets a partial to the identities of the reductions (0 for +=, 1 for *=, ...); null
  /// when the loop has no reductions.
  void (*initPartial)(void *partial);
  /// `into = into (op) from`, reduction by reduction.
  void (*combinePartial)(void *into, const void *from);
  /// The caller's variables the body reads (and the range's start and step).
  const void *closure;
  /// Initialised by the caller; receives the combination of every iteration's reductions.
  void *partial;
  int64_t partialBytes;
  int64_t count;
};

/// Runs every iteration of `loop` on the thread pool; `context` is the calling frame's, whose
/// GIL the loop releases (nogil="auto"). An iteration that raises cancels the rest and its
/// exception is raised once, in the caller (non-zero return). A SIGINT during a loop called
/// from the main thread stops it; Python's handlers then run in the caller, and if none
/// raises, the iterations that were skipped run after all.
int32_t nogil_rt_parallel_for(const NogilParallelLoop *loop, NogilCallContext *context);
}

namespace nogil::runtime {

/// At most this many ranges per loop (the units of work stealing).
inline constexpr int64_t kMaxParallelRanges = 1024;

/// The most threads a loop may use: set once, from NOGIL_NUM_THREADS by the python layer
/// (before any loop runs), else the machine's.
int threadLimit();
void setThreadLimit(int limit);

/// The threads loops started by the calling thread use (a per-thread setting, as in Numba;
/// loops nested inside a parallel loop share the outer loop's threads). False: `threads` is
/// not within 1..threadLimit().
int numThreads();
bool setNumThreads(int threads);

} // namespace nogil::runtime
