// Python values <-> the native ABI's 8-byte slots.
#pragma once

#include "python/buffers.h"
#include "sema/types.h"

#include <Python.h>

#include <cstdint>
#include <vector>

namespace nogil::python {

/// The entry ABI's argument slots: 8 bytes per scalar, tuples flattened. Inline for the
/// usual handful, so that a call allocates nothing.
class SlotBuffer {
public:
  void push(uint64_t value) {
    if (size_ < kInline) [[likely]] { // never spilled while under kInline
      inline_[size_++] = value;
      return;
    }
    pushSpilled(value);
  }
  /// `count` new slots to fill, in order.
  uint64_t *extend(size_t count) {
    if (size_ + count <= kInline) [[likely]] {
      size_ += count;
      return inline_ + size_ - count;
    }
    for (size_t i = 0; i < count; ++i)
      pushSpilled(0);
    return heap_.data() + size_ - count;
  }
  uint64_t *data() { return heap_.empty() ? inline_ : heap_.data(); }
  size_t size() const { return size_; }

private:
  /// Kept out of line, so that push() inlines into the call path.
  [[gnu::noinline]] void pushSpilled(uint64_t value) {
    if (heap_.empty())
      heap_.assign(inline_, inline_ + size_);
    heap_.push_back(value);
    ++size_;
  }

  static constexpr size_t kInline = 32;
  uint64_t inline_[kInline];
  std::vector<uint64_t> heap_;
  size_t size_ = 0;
};

/// Classifies `value` as a compiled-code type and appends its native form to `slots`.
/// On failure sets TypeError (unsupported type) or OverflowError (an int beyond int64),
/// naming `function` and `parameter`, and returns false.
bool unboxArgument(PyObject *value, const sema::Type *&type, SlotBuffer &slots,
                   BufferHolder &buffers, const char *function, const char *parameter);

/// Whether `type`, named in a signature, is within the limits of tuple arguments (see
/// boxing.cpp); else sets the TypeError unboxing such a tuple would and returns false.
bool checkTupleLimits(const sema::Type *type, const char *function, const char *parameter);

/// Converts an argument slot of kind `from` for a parameter of kind `to`, only where that
/// loses nothing (bool -> int64 -> float64). False when it would.
bool convertSlot(sema::TypeKind from, sema::TypeKind to, uint64_t &slot);

/// Casts a numeric result slot of type `from` to `to` as compiled code casts (NumPy's rules:
/// integers wrap, floats to integers truncate and saturate, NaN gives 0), for a declared
/// return type. False when either is no bool, integer or float.
bool castScalarSlot(const sema::Type *from, const sema::Type *to, uint64_t &slot);

/// The Python object for a native result of type `type` held in `slots` (one per leaf), as
/// type `boxAs` (a declared return type, numbers cast to it). `arguments`: the call's buffer
/// exports, which views of arguments in the result refer to (null when it held none).
PyObject *boxResult(const sema::Type *type, const sema::Type *boxAs, const uint64_t *slots,
                    const BufferHolder *arguments);

/// Tells the runtime `exceptionClass`'s MRO, so that compiled `except` clauses can match
/// instances of it without the GIL. Idempotent.
void registerExceptionClass(PyObject *exceptionClass);

/// Registers the classes of the runtime's builtin error kinds; called once at import.
void registerErrorKindClasses();

/// Sets the Python exception recorded by compiled code on this thread, with a traceback
/// entry for each compiled frame it passed through, and clears the record.
void raiseFromErrorRecord();

} // namespace nogil::python
