#include "runtime/parallel_for.h"

#include "runtime/array_memory.h"
#include "runtime/error_record.h"
#include "runtime/interrupt.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void *address);
extern "C" void __tsan_release(void *address);
#endif

namespace nogil::runtime {

namespace {

// TBB's scheduler (a library ThreadSanitizer does not see into) orders a loop's start before
// its tasks and its tasks before its end, but not the tasks among themselves; these say so
// to ThreadSanitizer, which would otherwise report every handoff through TBB as a race.
void handOff(void *edge) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(edge);
#else
  (void)edge;
#endif
}
void takeOver(void *edge) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(edge);
#else
  (void)edge;
#endif
}

/// 0 until set: the machine's concurrency.
std::atomic<int> configuredLimit{0};
/// The calling thread's choice (set_num_threads); 0: the limit.
thread_local int chosenThreads = 0;
/// Loop bodies running on this thread now: non-zero, a loop started here is nested.
thread_local int bodiesRunning = 0;

/// One arena per thread count in use. Guarded by arenasMutex; the arenas are never
/// destroyed (at exit they would race TBB's own teardown).
std::mutex arenasMutex;
std::map<int, tbb::task_arena *> arenas;

tbb::task_arena &arenaFor(int threads) {
  std::lock_guard lock(arenasMutex);
  tbb::task_arena *&arena = arenas[threads];
  if (!arena)
    arena = new tbb::task_arena(threads);
  return *arena;
}

using Range = tbb::blocked_range<int64_t>;

/// A partial result of the loop's reductions, in storage aligned for any scalar.
class Partial {
public:
  explicit Partial(const NogilParallelLoop &loop)
      : storage_(loop.initPartial
                     ? new std::max_align_t[(loop.partialBytes + sizeof(std::max_align_t) - 1) /
                                            sizeof(std::max_align_t)]
                     : nullptr) {
    if (loop.initPartial)
      loop.initPartial(storage_.get());
  }
  void *get() const { return storage_.get(); }

private:
  std::unique_ptr<std::max_align_t[]> storage_;
};

/// One run of a loop: what its ranges share.
class LoopRun {
public:
  LoopRun(const NogilParallelLoop &loop, bool watchInterrupt)
      : loop_(loop), watchInterrupt_(watchInterrupt) {}

  /// Runs [begin, end) on the calling thread, accumulating into `partial`. A loop that
  /// Ctrl-C may stop runs it in slices of about kSliceNanos, checking between them, and
  /// notes where it stopped.
  void runRange(int64_t begin, int64_t end, void *partial) {
    int64_t slice = watchInterrupt_ ? 1 : end - begin; // iterations per call, doubling
    for (int64_t at = begin; at < end;) {
      if (watchInterrupt_ && interruptPending()) {
        std::lock_guard lock(mutex_);
        skipped_.emplace_back(at, end);
        return;
      }
      int64_t stop = end - at <= slice ? end : at + slice;
      auto started = std::chrono::steady_clock::now();
      if (!runBody(at, stop, partial))
        return fail();
      if (std::chrono::steady_clock::now() - started < kSlice && slice <= (end - begin) / 2)
        slice *= 2;
      at = stop;
    }
  }

  /// Runs `ranges` on the pool (or, with `serial`, on the calling thread alone), combining
  /// their reductions into the loop's partial.
  void run(const std::vector<std::pair<int64_t, int64_t>> &ranges, bool serial) {
    takeOver(&begun_);
    std::vector<Partial> partials;
    if (loop_.initPartial) {
      partials.reserve(ranges.size());
      for (size_t i = 0; i < ranges.size(); ++i)
        partials.emplace_back(loop_);
    }
    auto runRanges = [&](const Range &r) {
      takeOver(&begun_);
      for (int64_t i = r.begin(); i != r.end() && !group_.is_group_execution_cancelled(); ++i)
        runRange(ranges[i].first, ranges[i].second, partials.empty() ? nullptr : partials[i].get());
      handOff(&ended_);
    };
    Range all(0, static_cast<int64_t>(ranges.size()), 1);
    handOff(&begun_);
    if (serial)
      runRanges(all);
    else
      tbb::parallel_for(all, runRanges, tbb::simple_partitioner(), group_);
    takeOver(&ended_);
    // In order, so the same ranges always combine the same way.
    for (const Partial &partial : partials)
      loop_.combinePartial(loop_.partial, partial.get());
    handOff(&ended_);
  }

  /// For ThreadSanitizer: the caller's side of the start and the end of a run.
  void started() { handOff(&begun_); }
  void ended() { takeOver(&ended_); }

  /// Takes the ranges a SIGINT made the loop skip.
  std::vector<std::pair<int64_t, int64_t>> takeSkipped() {
    std::lock_guard lock(mutex_);
    std::sort(skipped_.begin(), skipped_.end());
    return std::exchange(skipped_, {});
  }

  /// Moves the exception the loop raised, if any, into the calling thread's record.
  bool raised() {
    std::lock_guard lock(mutex_);
    if (!failed_)
      return false;
    currentError() = std::move(failure_);
    return true;
  }

private:
  /// Slices of a loop that Ctrl-C may stop: the longest wait for the handlers.
  static constexpr std::chrono::milliseconds kSlice{2};

  bool runBody(int64_t begin, int64_t end, void *partial) {
    // A task of its own: polls only refill the budget (Ctrl-C is the loop's business, and
    // the GIL is not this thread's to release).
    NogilCallContext context = newWorkerCallContext(NOGIL_GIL_RELEASE);
    context.gilReleased = 1;
    AllocationMark mark = allocationMark();
    ++bodiesRunning;
    int32_t status = loop_.body(loop_.closure, partial, begin, end, &context);
    --bodiesRunning;
    // What the iterations allocated and did not free dies with them: nothing the body
    // writes can hold an array beyond an iteration.
    releaseAllocationsSince(mark);
    return status == 0;
  }

  void fail() {
    {
      std::lock_guard lock(mutex_);
      if (!failed_) {
        failed_ = true;
        failure_ = std::move(currentError());
      }
    }
    clearError();
    group_.cancel_group_execution();
  }

  const NogilParallelLoop &loop_;
  const bool watchInterrupt_;
  /// Cancels the loop's outstanding ranges; bound to the enclosing loop's when nested.
  tbb::task_group_context group_;
  std::mutex mutex_; ///< guards failed_, failure_ and skipped_
  bool failed_ = false;
  ErrorRecord failure_;
  std::vector<std::pair<int64_t, int64_t>> skipped_;
  /// Addresses for ThreadSanitizer's happens-before edges only.
  char begun_ = 0;
  char ended_ = 0;
};

/// The ranges of a loop of `count` iterations: a function of the count alone.
/// Counts up to INT64_MAX: no step may overflow (a wrapped size never ended the loop).
std::vector<std::pair<int64_t, int64_t>> splitIterations(int64_t count) {
  int64_t size = count / kMaxParallelRanges + (count % kMaxParallelRanges != 0 ? 1 : 0);
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (int64_t begin = 0; begin < count;) {
    int64_t end = count - begin <= size ? count : begin + size;
    ranges.emplace_back(begin, end);
    begin = end;
  }
  return ranges;
}

} // namespace

int threadLimit() {
  int limit = configuredLimit.load(std::memory_order_relaxed);
  return limit > 0 ? limit : tbb::info::default_concurrency();
}

void setThreadLimit(int limit) {
  // TBB's pool has the machine's size; a larger limit must raise TBB's own. Kept for the
  // life of the process (leaked: destroyed at exit it would race TBB's teardown).
  if (limit > tbb::info::default_concurrency())
    new tbb::global_control(tbb::global_control::max_allowed_parallelism,
                            static_cast<size_t>(limit));
  configuredLimit.store(limit, std::memory_order_relaxed);
}

int numThreads() { return chosenThreads > 0 ? chosenThreads : threadLimit(); }

bool setNumThreads(int threads) {
  if (threads < 1 || threads > threadLimit())
    return false;
  chosenThreads = threads;
  return true;
}

} // namespace nogil::runtime

extern "C" int32_t nogil_rt_parallel_for(const NogilParallelLoop *loop, NogilCallContext *context) {
  using namespace nogil::runtime;
  if (loop->count <= 0)
    return 0;
  releaseGilForParallelLoop(context);
  LoopRun run(*loop, callerOnMainThread(context));
  std::vector<std::pair<int64_t, int64_t>> ranges = splitIterations(loop->count);
  // Inside a parallel loop already: share its arena (its threads and its cancellation).
  bool nested = bodiesRunning > 0;
  int threads = numThreads();
  run.started();
  while (!ranges.empty()) {
    if (nested || threads == 1)
      run.run(ranges, !nested);
    else
      arenaFor(threads).execute([&] { run.run(ranges, false); });
    run.ended();
    if (run.raised())
      return 1;
    ranges = run.takeSkipped();
    if (ranges.empty())
      break;
    // A SIGINT stopped the loop: Python's handlers run now (KeyboardInterrupt by default);
    // if none raises, the skipped iterations run after all.
    if (nogil_rt_poll(context, 0) != 0)
      return 1;
  }
  return 0;
}
