#include "runtime/array_memory.h"
#include "runtime/hot_thread_local.h"
#include "runtime/strided.h"

#include <atomic>
#include <cassert>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace {

constexpr size_t kAlignment = 64;

/// A call allocates, runs, sweeps and frees on one thread: these lists are the thread's.
struct ThreadArrays {
  /// The thread's allocations (the region), oldest calls first.
  std::vector<NogilArrayMemory *> allocations;
  /// Allocations whose count dropped to (or started at) zero since their frame's last sweep.
  std::vector<NogilArrayMemory *> unreferenced;
};

/// The calling thread's lists, null until it first allocates. A plain pointer, so that the
/// marks taken around every call from Python are a few loads (a thread_local vector goes
/// through its initialisation guard on each access). Defined and used in this file only:
/// an extern thread_local would be reached through a wrapper function.
NOGIL_HOT_THREAD_LOCAL ThreadArrays *threadArrays = nullptr;

/// Frees the thread's lists when the thread exits (and forgets them, should anything in a
/// later thread-exit destructor allocate).
struct ThreadArraysOwner {
  std::unique_ptr<ThreadArrays> arrays;
  ~ThreadArraysOwner() { threadArrays = nullptr; }
};
thread_local ThreadArraysOwner threadArraysOwner;

ThreadArrays &arrays() {
  if (!threadArrays) [[unlikely]] {
    threadArraysOwner.arrays = std::make_unique<ThreadArrays>();
    threadArrays = threadArraysOwner.arrays.get();
  }
  return *threadArrays;
}

/// Statistics only (relaxed): what tests and users read to see memory come back.
std::atomic<int64_t> liveBytes{0};
std::atomic<int64_t> peakBytes{0};

void freeMemory(NogilArrayMemory *memory) {
  liveBytes.fetch_sub(memory->bytes, std::memory_order_relaxed);
  std::free(memory->data);
  delete memory;
}

void enqueue(NogilArrayMemory *memory) {
  if (memory->queued)
    return;
  memory->queued = true;
  arrays().unreferenced.push_back(memory);
}

NogilArrayMemory *untag(void *tagged) {
  return reinterpret_cast<NogilArrayMemory *>(reinterpret_cast<uintptr_t>(tagged) & ~uintptr_t{1});
}

/// Frees an allocation of the current call before the call ends. Order in the region does
/// not matter within a call, so the last one takes its slot.
void freeEarly(NogilArrayMemory *memory) {
  size_t slot = memory->regionSlot;
  assert(slot < arrays().allocations.size() && arrays().allocations[slot] == memory);
  NogilArrayMemory *last = arrays().allocations.back();
  arrays().allocations[slot] = last;
  last->regionSlot = slot;
  arrays().allocations.pop_back();
  freeMemory(memory);
}

} // namespace

extern "C" void *nogil_rt_array_alloc(int64_t bytes, NogilArrayMemory **memory) {
  size_t rounded =
      (static_cast<size_t>(bytes > 0 ? bytes : 1) + kAlignment - 1) / kAlignment * kAlignment;
  void *data = std::aligned_alloc(kAlignment, rounded);
  if (!data)
    return nullptr;
  auto *allocation =
      new NogilArrayMemory{data, bytes, nullptr, 0, arrays().allocations.size(), false};
  arrays().allocations.push_back(allocation);
  int64_t live = liveBytes.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  int64_t peak = peakBytes.load(std::memory_order_relaxed);
  while (live > peak && !peakBytes.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
  enqueue(allocation);
  *memory = allocation;
  return data;
}

extern "C" void nogil_rt_array_retain(void *tagged) {
  std::atomic_ref<int64_t>(untag(tagged)->references).fetch_add(1, std::memory_order_relaxed);
}

extern "C" void nogil_rt_array_release(void *tagged) {
  NogilArrayMemory *memory = untag(tagged);
  if (std::atomic_ref<int64_t>(memory->references).fetch_sub(1, std::memory_order_acq_rel) == 1)
    enqueue(memory);
}

extern "C" int64_t nogil_rt_array_queue_mark() {
  // Every frame with array locals asks, most of them in threads that never allocate.
  return threadArrays ? static_cast<int64_t>(threadArrays->unreferenced.size()) : 0;
}

extern "C" void nogil_rt_array_sweep(int64_t mark) {
  auto start = static_cast<size_t>(mark);
  for (size_t i = start; i < arrays().unreferenced.size(); ++i) {
    NogilArrayMemory *memory = arrays().unreferenced[i];
    memory->queued = false;
    if (std::atomic_ref<int64_t>(memory->references).load(std::memory_order_acquire) == 0 &&
        !memory->exporter)
      freeEarly(memory);
  }
  if (start < arrays().unreferenced.size())
    arrays().unreferenced.resize(start);
}

extern "C" void nogil_rt_array_copy(char *destination, const char *source, int64_t ndim,
                                    const int64_t *shape, const int64_t *strides,
                                    int64_t itemsize) {
  auto size = static_cast<size_t>(itemsize);
  nogil::runtime::forEachRow(source, ndim, shape, strides, false,
                             [&](const char *row, int64_t n, int64_t stride) {
                               if (stride == itemsize) { // a contiguous run: one copy
                                 std::memcpy(destination, row, size * static_cast<size_t>(n));
                                 destination += size * static_cast<size_t>(n);
                                 return;
                               }
                               for (int64_t i = 0; i < n; ++i, destination += size)
                                 std::memcpy(destination, row + i * stride, size);
                             });
}

namespace nogil::runtime {

AllocationMark allocationMark() {
  const ThreadArrays *own = threadArrays;
  return own ? AllocationMark{own->allocations.size(), own->unreferenced.size()}
             : AllocationMark{0, 0};
}

void releaseAllocationsSince(AllocationMark mark) {
  if (!threadArrays || (threadArrays->allocations.size() == mark.allocations &&
                        threadArrays->unreferenced.size() == mark.queued))
    return;
  ThreadArrays &own = *threadArrays;
  for (size_t i = mark.queued; i < own.unreferenced.size(); ++i)
    own.unreferenced[i]->queued = false;
  if (mark.queued < own.unreferenced.size())
    own.unreferenced.resize(mark.queued);
  for (size_t i = mark.allocations; i < own.allocations.size(); ++i)
    if (!own.allocations[i]->exporter)
      freeMemory(own.allocations[i]);
  own.allocations.resize(mark.allocations);
}

ArrayBytes arrayBytes() {
  return {liveBytes.load(std::memory_order_relaxed), peakBytes.load(std::memory_order_relaxed)};
}

void resetPeakArrayBytes() {
  peakBytes.store(liveBytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

void freeExportedMemory(NogilArrayMemory *memory) { freeMemory(memory); }

} // namespace nogil::runtime
