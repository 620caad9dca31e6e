#include "runtime/array_memory.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace {

using nogil::runtime::allocationMark;
using nogil::runtime::arrayBytes;
using nogil::runtime::releaseAllocationsSince;

void *tag(NogilArrayMemory *memory) {
  return reinterpret_cast<void *>(reinterpret_cast<uintptr_t>(memory) | 1);
}

/// One Python -> native call's worth of allocations, released when the test ends.
class ArrayMemoryTest : public ::testing::Test {
protected:
  void SetUp() override { mark_ = allocationMark(); }
  void TearDown() override {
    releaseAllocationsSince(mark_);
    EXPECT_EQ(arrayBytes().live, liveAtStart_);
  }
  NogilArrayMemory *allocate(int64_t bytes) {
    NogilArrayMemory *memory = nullptr;
    void *data = nogil_rt_array_alloc(bytes, &memory);
    EXPECT_NE(data, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(data) % 64, 0u);
    return memory;
  }
  int64_t live() const { return arrayBytes().live - liveAtStart_; }

  nogil::runtime::AllocationMark mark_{};
  int64_t liveAtStart_ = arrayBytes().live;
};

TEST_F(ArrayMemoryTest, AnUnreferencedAllocationIsFreedByTheNextSweep) {
  int64_t frame = nogil_rt_array_queue_mark();
  allocate(1000);
  EXPECT_EQ(live(), 1000);
  nogil_rt_array_sweep(frame);
  EXPECT_EQ(live(), 0);
}

TEST_F(ArrayMemoryTest, AReferencedAllocationLivesUntilItsLastRelease) {
  int64_t frame = nogil_rt_array_queue_mark();
  NogilArrayMemory *memory = allocate(64);
  nogil_rt_array_retain(tag(memory));
  nogil_rt_array_retain(tag(memory));
  nogil_rt_array_sweep(frame);
  EXPECT_EQ(live(), 64);
  nogil_rt_array_release(tag(memory));
  nogil_rt_array_sweep(frame);
  EXPECT_EQ(live(), 64);
  nogil_rt_array_release(tag(memory));
  nogil_rt_array_sweep(frame);
  EXPECT_EQ(live(), 0);
}

TEST_F(ArrayMemoryTest, ACalleeSweepLeavesItsCallersTemporaries) {
  int64_t caller = nogil_rt_array_queue_mark();
  allocate(100); // the caller's temporary, passed to the callee
  int64_t callee = nogil_rt_array_queue_mark();
  allocate(10); // the callee's own garbage
  nogil_rt_array_sweep(callee);
  EXPECT_EQ(live(), 100);
  nogil_rt_array_sweep(caller);
  EXPECT_EQ(live(), 0);
}

TEST_F(ArrayMemoryTest, ReleasingTwiceToZeroQueuesOnce) {
  int64_t frame = nogil_rt_array_queue_mark();
  NogilArrayMemory *memory = allocate(8);
  nogil_rt_array_retain(tag(memory));
  nogil_rt_array_release(tag(memory)); // back to zero while still queued from allocation
  EXPECT_EQ(nogil_rt_array_queue_mark(), frame + 1);
  nogil_rt_array_sweep(frame); // a second entry would be freed twice
  EXPECT_EQ(live(), 0);
}

TEST_F(ArrayMemoryTest, EarlyFreesKeepTheRegionConsistent) {
  int64_t frame = nogil_rt_array_queue_mark();
  NogilArrayMemory *kept[3];
  for (int i = 0; i < 6; ++i) {
    NogilArrayMemory *memory = allocate(1);
    if (i % 2 == 0) {
      nogil_rt_array_retain(tag(memory));
      kept[i / 2] = memory;
    }
  }
  nogil_rt_array_sweep(frame); // frees the middle of the region, not only its end
  EXPECT_EQ(live(), 3);
  for (NogilArrayMemory *memory : kept)
    nogil_rt_array_release(tag(memory));
  nogil_rt_array_sweep(frame);
  EXPECT_EQ(live(), 0);
}

TEST_F(ArrayMemoryTest, TheEndOfTheCallFreesWhatReferencesStillHold) {
  NogilArrayMemory *memory = allocate(500);
  nogil_rt_array_retain(tag(memory)); // a frame left by an exception never released it
  releaseAllocationsSince(mark_);
  EXPECT_EQ(live(), 0);
  EXPECT_EQ(nogil_rt_array_queue_mark(), static_cast<int64_t>(mark_.queued));
}

TEST_F(ArrayMemoryTest, ExportedMemorySurvivesSweepsAndTheEndOfTheCall) {
  int64_t frame = nogil_rt_array_queue_mark();
  NogilArrayMemory *memory = allocate(256);
  int owner = 0;
  memory->exporter = &owner;
  nogil_rt_array_sweep(frame);
  releaseAllocationsSince(mark_);
  EXPECT_EQ(live(), 256);
  nogil::runtime::freeExportedMemory(memory);
  EXPECT_EQ(live(), 0);
}

TEST_F(ArrayMemoryTest, ThePeakIsTheMostHeldAtOnce) {
  nogil::runtime::resetPeakArrayBytes();
  int64_t frame = nogil_rt_array_queue_mark();
  for (int i = 0; i < 10; ++i) {
    allocate(1 << 20);
    nogil_rt_array_sweep(frame);
  }
  EXPECT_EQ(arrayBytes().peak - liveAtStart_, 1 << 20);
}

} // namespace
