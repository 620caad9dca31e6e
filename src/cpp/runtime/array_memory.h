// Memory for arrays created by compiled code (np.empty, np.zeros, ...), 64-byte aligned.
//
// Two owners, so that memory is freed as soon as nothing uses it and, whatever happens, no
// later than the call that made it:
// - Reference counts. Every local variable (and parameter) holding an array owns a
//   reference to its memory; assigning over it, leaving the function, or leaving by an
//   exception gives the reference back. An allocation whose count is zero is queued, and
//   compiled code sweeps the queue after each statement: what is still unreferenced then
//   (a temporary, or an array no local holds any more) is freed. A frame sweeps only what
//   was queued after it started, so a callee never frees its caller's temporaries.
// - The region. Every allocation also belongs to the thread's current Python -> native
//   call; when that call returns (normally or by an exception), the dispatcher hands the
//   arrays reachable from the result to NumPy (no copy) and frees the rest, counted or not.
//
// Compiled code cannot store an array anywhere that outlives the call, and the allocation
// functions are used by one thread per call (the queue and the region are thread_local).
#pragma once

#include "runtime/error_record.h"

#include <cstddef>
#include <cstdint>

/// The base of a view over memory that no object compiled code holds owns (a sub-array
/// field of a record): an array returned with it is copied when boxed. Untagged (bit 0
/// clear), so reference counting leaves it alone.
#define NOGIL_BASE_COPIED_WHEN_RETURNED ((uintptr_t)2)

extern "C" {

/// One allocation. `exporter` is the Python object that took it over when it was returned
/// (opaque here); a second array over the same memory keeps that object alive.
struct NogilArrayMemory {
  void *data;
  int64_t bytes;
  void *exporter;
  int64_t references; ///< owned by locals of compiled frames; atomic access only
  size_t regionSlot;  ///< index in the thread's region, for removal in constant time
  bool queued;        ///< in the thread's queue of unreferenced allocations
};

/// Allocates `bytes` (64-byte aligned, at least one byte) for the calling thread's current
/// call; returns the data and stores the allocation's handle in `*memory`. The allocation
/// starts unreferenced (queued). Null when the system is out of memory.
void *nogil_rt_array_alloc(int64_t bytes, NogilArrayMemory **memory);

/// Allocates a new array of `ndim` dimensions as NumPy does: ValueError for a negative
/// dimension ("negative dimensions are not allowed") or when the item size times the
/// non-zero dimensions exceeds int64 ("array is too big; ..."), MemoryError (NumPy's
/// message, naming `dtypeName`) when the system refuses the memory. Returns the data, or
/// null with the exception recorded at `site`.
void *nogil_rt_array_new(int64_t ndim, const int64_t *shape, int64_t itemsize,
                         const char *dtypeName, NogilArrayMemory **memory, const NogilSite *site);

/// Takes or gives back a reference. `tagged` is an array's base with the low bit set (the
/// caller checks the tag: untagged bases are Python objects the dispatcher holds).
void nogil_rt_array_retain(void *tagged);
void nogil_rt_array_release(void *tagged);

/// Where a frame's part of the queue starts (taken on entry).
int64_t nogil_rt_array_queue_mark();

/// Frees the allocations queued since `mark` that are still unreferenced and not exported.
void nogil_rt_array_sweep(int64_t mark);

/// Copies an array of `ndim` dimensions (any strides) into `destination`, contiguous in C
/// order.
void nogil_rt_array_copy(char *destination, const char *source, int64_t ndim, const int64_t *shape,
                         const int64_t *strides, int64_t itemsize);
}

namespace nogil::runtime {

/// What the calling thread holds when a call starts: the mark to free back to.
struct AllocationMark {
  size_t allocations;
  size_t queued;
};

AllocationMark allocationMark();

/// Frees every allocation the calling thread made after `mark` that was not exported, and
/// forgets what was queued after it.
void releaseAllocationsSince(AllocationMark mark);

/// Bytes of array memory held now, by every thread, exported arrays included; and the most
/// held at once since the last `resetPeakArrayBytes`.
struct ArrayBytes {
  int64_t live;
  int64_t peak;
};
ArrayBytes arrayBytes();
void resetPeakArrayBytes();

/// Frees an exported allocation (its NumPy array is gone).
void freeExportedMemory(NogilArrayMemory *memory);

} // namespace nogil::runtime
