// The runtime's parallel-for, with loop bodies written by hand the way codegen emits them.
// Built and run under ThreadSanitizer by `make test-tsan` too.
#include "runtime/array_memory.h"
#include "runtime/error_record.h"
#include "runtime/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using nogil::runtime::currentError;

NogilCallContext callerContext() {
  NogilCallContext context = nogil::runtime::newWorkerCallContext(NOGIL_GIL_RELEASE);
  context.gilReleased = 1;
  return context;
}

// --- an integer sum: partial is one int64 --------------------------------------------------

void initSum(void *partial) { *static_cast<int64_t *>(partial) = 0; }
void combineSum(void *into, const void *from) {
  *static_cast<int64_t *>(into) += *static_cast<const int64_t *>(from);
}
int32_t sumIndices(const void *, void *partial, int64_t begin, int64_t end, NogilCallContext *) {
  for (int64_t i = begin; i < end; ++i)
    *static_cast<int64_t *>(partial) += i;
  return 0;
}

int64_t parallelSum(int64_t count,
                    int32_t (*body)(const void *, void *, int64_t, int64_t,
                                    NogilCallContext *) = sumIndices,
                    const void *closure = nullptr, int32_t *status = nullptr) {
  int64_t total = 0;
  NogilParallelLoop loop{body, initSum, combineSum, closure, &total, sizeof total, count};
  NogilCallContext context = callerContext();
  int32_t result = nogil_rt_parallel_for(&loop, &context);
  if (status)
    *status = result;
  return total;
}

TEST(ParallelFor, SumsEveryIterationOnce) {
  for (int64_t count : {0, 1, 2, 7, 1023, 1024, 1025, 100'000, 1'000'003})
    EXPECT_EQ(parallelSum(count), count * (count - 1) / 2) << count;
}

TEST(ParallelFor, RunsEachIterationOnceWithoutReductions) {
  constexpr int64_t kCount = 50'000;
  std::vector<std::atomic<int>> runs(kCount);
  auto body = [](const void *closure, void *partial, int64_t begin, int64_t end,
                 NogilCallContext *) -> int32_t {
    auto &counters = *static_cast<std::vector<std::atomic<int>> *>(const_cast<void *>(closure));
    EXPECT_EQ(partial, nullptr);
    for (int64_t i = begin; i < end; ++i)
      counters[i].fetch_add(1, std::memory_order_relaxed);
    return 0;
  };
  NogilParallelLoop loop{body, nullptr, nullptr, &runs, nullptr, 0, kCount};
  NogilCallContext context = callerContext();
  ASSERT_EQ(nogil_rt_parallel_for(&loop, &context), 0);
  for (int64_t i = 0; i < kCount; ++i)
    ASSERT_EQ(runs[i].load(), 1) << i;
}

// --- a float sum: the same bits whatever the number of threads -----------------------------

void initFloat(void *partial) { *static_cast<double *>(partial) = -0.0; }
void combineFloat(void *into, const void *from) {
  *static_cast<double *>(into) += *static_cast<const double *>(from);
}
int32_t sumReciprocals(const void *, void *partial, int64_t begin, int64_t end,
                       NogilCallContext *) {
  for (int64_t i = begin; i < end; ++i)
    *static_cast<double *>(partial) += 1.0 / static_cast<double>(i + 1);
  return 0;
}

double floatSum(int64_t count) {
  double total = -0.0;
  NogilParallelLoop loop{sumReciprocals, initFloat,    combineFloat, nullptr,
                         &total,         sizeof total, count};
  NogilCallContext context = callerContext();
  EXPECT_EQ(nogil_rt_parallel_for(&loop, &context), 0);
  return total;
}

TEST(ParallelFor, FloatReductionsAreDeterministic) {
  constexpr int64_t kCount = 1'000'000;
  double first = floatSum(kCount);
  EXPECT_NEAR(first, std::log(static_cast<double>(kCount)) + 0.5772156649, 1e-6);
  for (int round = 0; round < 5; ++round)
    EXPECT_EQ(floatSum(kCount), first);
  ASSERT_TRUE(nogil::runtime::setNumThreads(1));
  double serial = floatSum(kCount);
  ASSERT_TRUE(nogil::runtime::setNumThreads(nogil::runtime::threadLimit()));
  EXPECT_EQ(serial, first);
}

// --- exceptions ------------------------------------------------------------------------------

const NogilSite kRaiseSite{"loop.py", "kernel", 7};

int32_t raiseAt777(const void *, void *partial, int64_t begin, int64_t end, NogilCallContext *) {
  for (int64_t i = begin; i < end; ++i) {
    if (i == 777) {
      nogil_rt_raise(NOGIL_ERROR_VALUE, "bad iteration", &kRaiseSite);
      return 1;
    }
    *static_cast<int64_t *>(partial) += i;
  }
  return 0;
}

TEST(ParallelFor, AnExceptionIsRaisedOnceInTheCaller) {
  for (int round = 0; round < 20; ++round) {
    int32_t status = 0;
    parallelSum(100'000, raiseAt777, nullptr, &status);
    ASSERT_EQ(status, 1);
    const nogil::runtime::ErrorRecord &record = currentError();
    EXPECT_EQ(record.kind, NOGIL_ERROR_VALUE);
    EXPECT_STREQ(nogil::runtime::messageOf(record), "bad iteration");
    ASSERT_EQ(record.frameCount, 1);
    EXPECT_EQ(record.frames[0], &kRaiseSite);
    nogil::runtime::clearError();
    // The pool is still usable, and no worker kept a stale error.
    EXPECT_EQ(parallelSum(10'000), 10'000LL * 9'999 / 2);
    EXPECT_EQ(currentError().kind, NOGIL_ERROR_NONE);
  }
}

// A body that raises at once wherever its range starts, and notes the ranges it was given.
std::mutex seenMutex;
std::vector<std::pair<int64_t, int64_t>> seenRanges; // guarded by seenMutex
int32_t raiseAtOnce(const void *, void *, int64_t begin, int64_t end, NogilCallContext *) {
  {
    std::lock_guard lock(seenMutex);
    seenRanges.emplace_back(begin, end);
  }
  nogil_rt_raise(NOGIL_ERROR_VALUE, "bad iteration", &kRaiseSite);
  return 1;
}

// Counts near INT64_MAX: the split's arithmetic wrapped and the loop never ended.
TEST(ParallelFor, CountsUpToTheInt64LimitSplitWithoutOverflow) {
  for (int64_t count : {INT64_MAX, INT64_MAX - 1, INT64_MAX - 1023, (int64_t{1} << 62) + 1}) {
    seenRanges.clear();
    int32_t status = 0;
    parallelSum(count, raiseAtOnce, nullptr, &status);
    ASSERT_EQ(status, 1) << count;
    nogil::runtime::clearError();
    std::lock_guard lock(seenMutex);
    ASSERT_FALSE(seenRanges.empty());
    for (auto [begin, end] : seenRanges) {
      EXPECT_LE(0, begin);
      EXPECT_LT(begin, end);
      EXPECT_LE(end, count);
    }
  }
}

// --- nesting and many callers ----------------------------------------------------------------

int32_t sumOfInnerSums(const void *, void *partial, int64_t begin, int64_t end,
                       NogilCallContext *context) {
  for (int64_t i = begin; i < end; ++i) {
    int64_t inner = 0;
    NogilParallelLoop loop{sumIndices, initSum, combineSum, nullptr, &inner, sizeof inner, i};
    if (nogil_rt_parallel_for(&loop, context) != 0)
      return 1;
    *static_cast<int64_t *>(partial) += inner;
  }
  return 0;
}

TEST(ParallelFor, NestedLoopsComplete) {
  constexpr int64_t kOuter = 300;
  int64_t expected = 0;
  for (int64_t i = 0; i < kOuter; ++i)
    expected += i * (i - 1) / 2;
  EXPECT_EQ(parallelSum(kOuter, sumOfInnerSums), expected);
}

TEST(ParallelFor, ManyThreadsStartLoopsAtOnce) {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        int64_t count = 1000 + 97 * t + round;
        if (parallelSum(count) != count * (count - 1) / 2)
          ++wrong;
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// --- threads -------------------------------------------------------------------------------

TEST(ParallelFor, OneThreadRunsEverythingOnTheCaller) {
  struct Seen {
    std::mutex mutex;
    std::set<std::thread::id> threads;
  } seen;
  auto body = [](const void *closure, void *, int64_t, int64_t, NogilCallContext *) -> int32_t {
    auto &state = *static_cast<Seen *>(const_cast<void *>(closure));
    std::lock_guard lock(state.mutex);
    state.threads.insert(std::this_thread::get_id());
    return 0;
  };
  ASSERT_TRUE(nogil::runtime::setNumThreads(1));
  EXPECT_EQ(nogil::runtime::numThreads(), 1);
  NogilParallelLoop loop{body, nullptr, nullptr, &seen, nullptr, 0, 100'000};
  NogilCallContext context = callerContext();
  ASSERT_EQ(nogil_rt_parallel_for(&loop, &context), 0);
  ASSERT_TRUE(nogil::runtime::setNumThreads(nogil::runtime::threadLimit()));
  EXPECT_EQ(seen.threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(ParallelFor, ThreadCountsOutsideTheLimitAreRefused) {
  EXPECT_FALSE(nogil::runtime::setNumThreads(0));
  EXPECT_FALSE(nogil::runtime::setNumThreads(nogil::runtime::threadLimit() + 1));
  EXPECT_EQ(nogil::runtime::numThreads(), nogil::runtime::threadLimit());
}

// --- memory --------------------------------------------------------------------------------

int32_t allocateEachIteration(const void *, void *, int64_t begin, int64_t end,
                              NogilCallContext *) {
  for (int64_t i = begin; i < end; ++i) {
    NogilArrayMemory *memory = nullptr;
    void *data = nogil_rt_array_alloc(1024, &memory);
    if (!data)
      return 1;
    std::memset(data, static_cast<int>(i), 1024);
  }
  return 0;
}

TEST(ParallelFor, WhatIterationsAllocateIsFreedWithTheirRange) {
  int64_t before = nogil::runtime::arrayBytes().live;
  NogilParallelLoop loop{allocateEachIteration, nullptr, nullptr, nullptr, nullptr, 0, 20'000};
  NogilCallContext context = callerContext();
  ASSERT_EQ(nogil_rt_parallel_for(&loop, &context), 0);
  EXPECT_EQ(nogil::runtime::arrayBytes().live, before);
}

} // namespace
