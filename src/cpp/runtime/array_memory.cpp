#include "runtime/array_memory.h"
#include "runtime/strided.h"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr size_t kAlignment = 64;

/// The calling thread's allocations, oldest first (thread_local: a call allocates, returns
/// and frees on one thread).
thread_local std::vector<NogilArrayMemory *> threadAllocations;

void freeMemory(NogilArrayMemory *memory) {
  std::free(memory->data);
  delete memory;
}

} // namespace

extern "C" void *nogil_rt_array_alloc(int64_t bytes, NogilArrayMemory **memory) {
  size_t rounded =
      (static_cast<size_t>(bytes > 0 ? bytes : 1) + kAlignment - 1) / kAlignment * kAlignment;
  void *data = std::aligned_alloc(kAlignment, rounded);
  if (!data)
    return nullptr;
  auto *allocation = new NogilArrayMemory{data, bytes, nullptr};
  threadAllocations.push_back(allocation);
  *memory = allocation;
  return data;
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

size_t allocationMark() { return threadAllocations.size(); }

void releaseAllocationsSince(size_t mark) {
  for (size_t i = mark; i < threadAllocations.size(); ++i)
    if (!threadAllocations[i]->exporter)
      freeMemory(threadAllocations[i]);
  threadAllocations.resize(mark);
}

void freeExportedMemory(NogilArrayMemory *memory) { freeMemory(memory); }

} // namespace nogil::runtime
