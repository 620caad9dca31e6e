// The runtime from many threads at once: what compiled code on parallel Python threads (and,
// later, parallel loops) does. Built and run under ThreadSanitizer by `make test-tsan`.
#include "runtime/array_memory.h"
#include "runtime/call_context.h"
#include "runtime/error_record.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kThreads = 4;

template <typename Work> void onThreads(Work work) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back(work, t);
  for (std::thread &thread : threads)
    thread.join();
}

void *tag(NogilArrayMemory *memory) {
  return reinterpret_cast<void *>(reinterpret_cast<uintptr_t>(memory) | 1);
}

TEST(Concurrency, EachThreadHasItsOwnErrorRecord) {
  static const NogilSite site{"file.py", "f", 1};
  std::atomic<int> wrong{0};
  onThreads([&](int t) {
    for (int i = 0; i < 2000; ++i) {
      nogil_rt_raise_index(t, i, t + i, &site);
      std::string expected = "index " + std::to_string(t) + " is out of bounds for axis " +
                             std::to_string(i) + " with size " + std::to_string(t + i);
      const char *message = nogil::runtime::messageOf(nogil::runtime::currentError());
      if (!message || expected != message)
        ++wrong;
      nogil::runtime::clearError();
    }
  });
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Concurrency, ThreadsAllocateSweepAndShareAnArray) {
  // One array owned by this thread's call, retained and released by every thread at once
  // (a view passed to threads); each thread also allocates and sweeps its own.
  nogil::runtime::AllocationMark mark = nogil::runtime::allocationMark();
  int64_t frame = nogil_rt_array_queue_mark();
  NogilArrayMemory *shared = nullptr;
  ASSERT_NE(nogil_rt_array_alloc(4096, &shared), nullptr);
  nogil_rt_array_retain(tag(shared));
  onThreads([&](int) {
    nogil::runtime::AllocationMark own = nogil::runtime::allocationMark();
    int64_t ownFrame = nogil_rt_array_queue_mark();
    for (int i = 0; i < 2000; ++i) {
      nogil_rt_array_retain(tag(shared));
      NogilArrayMemory *scratch = nullptr;
      nogil_rt_array_alloc(64 + i % 7, &scratch);
      nogil_rt_array_retain(tag(scratch));
      nogil_rt_array_release(tag(scratch));
      nogil_rt_array_sweep(ownFrame);
      nogil_rt_array_release(tag(shared));
    }
    nogil::runtime::releaseAllocationsSince(own);
  });
  EXPECT_EQ(shared->references, 1);
  nogil_rt_array_release(tag(shared));
  nogil_rt_array_sweep(frame);
  nogil::runtime::releaseAllocationsSince(mark);
}

std::atomic<int> releases{0};

void countRelease(NogilCallContext *context) {
  ++releases;
  context->gilReleased = 1;
}

int32_t noSignals(NogilCallContext *) { return 0; }

TEST(Concurrency, AutoCallsOnEveryThreadReleaseOnceEach) {
  static const NogilGilCallbacks callbacks{countRelease, noSignals};
  nogil_rt_install_gil_callbacks(&callbacks);
  releases = 0;
  std::atomic<int> failed{0};
  onThreads([&](int) {
    NogilCallContext context = nogil::runtime::newWorkerCallContext(NOGIL_GIL_AUTO);
    // The first slow poll of short work only starts the clock; a loop charged beyond the
    // threshold releases, once.
    failed += nogil_rt_poll(&context, 1);
    if (context.gilReleased)
      ++failed;
    for (int i = 0; i < 3; ++i)
      failed += nogil_rt_poll(&context, nogil::runtime::kAutoReleaseWork);
    if (context.budget != kNogilPollBudget)
      ++failed;
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(releases.load(), kThreads);
}

} // namespace
