// Memory for arrays created by compiled code (np.empty, np.zeros, ...), 64-byte aligned.
//
// Ownership is by region: every allocation belongs to the thread's current Python -> native
// call. When that call returns (normally or by an exception), the dispatcher hands the
// arrays reachable from the result to NumPy (no copy) and frees the rest. Compiled code
// cannot store an array anywhere that outlives the call, so nothing is freed too early, and
// loops pay no reference counting. An array allocated in a loop inside one call lives until
// that call returns.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

/// One allocation. `exporter` is the Python object that took it over when it was returned
/// (opaque here); a second array over the same memory keeps that object alive.
struct NogilArrayMemory {
  void *data;
  int64_t bytes;
  void *exporter;
};

/// Allocates `bytes` (64-byte aligned, at least one byte) for the calling thread's current
/// call; returns the data and stores the allocation's handle in `*memory`. Null when the
/// system is out of memory.
void *nogil_rt_array_alloc(int64_t bytes, NogilArrayMemory **memory);

/// Copies an array of `ndim` dimensions (any strides) into `destination`, contiguous in C
/// order.
void nogil_rt_array_copy(char *destination, const char *source, int64_t ndim, const int64_t *shape,
                         const int64_t *strides, int64_t itemsize);
}

namespace nogil::runtime {

/// The number of allocations the calling thread holds: a mark to free back to.
size_t allocationMark();

/// Frees every allocation the calling thread made after `mark` that was not exported.
void releaseAllocationsSince(size_t mark);

/// Frees an exported allocation (its NumPy array is gone).
void freeExportedMemory(NogilArrayMemory *memory);

} // namespace nogil::runtime
