// The thread-local record of an exception raised by compiled code. Compiled functions
// return a non-zero status after filling it; the dispatcher turns it into a Python exception.
#pragma once

#include <cstdint>
#include <string>

extern "C" {

/// A place in the user's source, emitted as a constant by codegen: where an exception was
/// raised, or where a call that propagated one was made.
struct NogilSite {
  const char *file;
  const char *function;
  int32_t line;
};

/// The exception types compiled code can raise; the python layer maps them to classes.
enum NogilErrorKind : int32_t {
  NOGIL_ERROR_NONE = 0,
  NOGIL_ERROR_ZERO_DIVISION = 1,
  NOGIL_ERROR_VALUE = 2,
  NOGIL_ERROR_OVERFLOW = 3,
  NOGIL_ERROR_UNBOUND_LOCAL = 4,
  NOGIL_ERROR_ASSERTION = 5,
  NOGIL_ERROR_INDEX = 7,
  NOGIL_ERROR_MEMORY = 8,
  /// An exception a Python signal handler raised during a poll (KeyboardInterrupt): the
  /// record holds it (ErrorRecord::pythonError). Compiled `except` clauses never catch it.
  NOGIL_ERROR_PYTHON = 9,
  /// A `raise` of a class the record names (ErrorRecord::exceptionClass).
  NOGIL_ERROR_CLASS = 6,
  /// The stack of the thread ran out (deep or unbounded recursion).
  NOGIL_ERROR_RECURSION = 10,
  /// A library compiled code needs could not be loaded (the BLAS of matrix products).
  NOGIL_ERROR_IMPORT = 11,
  /// A value of the wrong type met at run time: an optional value that is None where a
  /// number or an array is needed (`v + 1` with v None).
  NOGIL_ERROR_TYPE = 12,
};

/// Called by compiled code: records an exception raised at `site`. `message` is a constant
/// that lives as long as the compiled code.
void nogil_rt_raise(int32_t kind, const char *message, const NogilSite *site);

/// Called by compiled code for `raise E` (message null) or `raise E("message")`: `exception`
/// is the class object, opaque here, which the python layer keeps alive with the code.
void nogil_rt_raise_class(const void *exception, const char *message, const NogilSite *site);

/// As nogil_rt_raise or nogil_rt_raise_class (for NOGIL_ERROR_CLASS), with the calling
/// thread's text buffer (runtime/text.h) as the message: an f-string's result.
void nogil_rt_raise_text(int32_t kind, const void *exception, const NogilSite *site);

/// Called by compiled code for an index out of bounds: IndexError with NumPy's message,
/// "index 5 is out of bounds for axis 0 with size 3".
void nogil_rt_raise_index(int64_t index, int64_t axis, int64_t size, const NogilSite *site);

/// Called by compiled code for an integer a NumPy type cannot hold: OverflowError with
/// NumPy's message, "Python integer 300 out of bounds for int8". `isUnsigned`: all 64 bits
/// of `value` are magnitude.
void nogil_rt_raise_int_bounds(int64_t value, int32_t isUnsigned, const char *dtype,
                               const NogilSite *site);

/// Called by compiled code when a callee failed: adds the caller's frame to the record.
void nogil_rt_add_frame(const NogilSite *site);
}

namespace nogil::runtime {

inline constexpr int kMaxFrames = 64;

/// One per thread (thread_local): written only by the thread that runs the compiled code.
struct ErrorRecord {
  int32_t kind = NOGIL_ERROR_NONE;
  const char *message = nullptr;        ///< null: the exception is raised without arguments
  const void *exceptionClass = nullptr; ///< for NOGIL_ERROR_CLASS
  /// For NOGIL_ERROR_PYTHON: the exception's type, value and traceback, owned references
  /// the python layer made and takes back.
  void *pythonError[3] = {};
  std::string text; ///< the message, when built at run time
  bool hasText = false;
  /// Innermost first: frames[0] is the raise, the others the calls it propagated through.
  const NogilSite *frames[kMaxFrames] = {};
  int frameCount = 0;
  int framesDropped = 0;
};

/// The calling thread's record.
ErrorRecord &currentError();

/// The message to raise with, or null for an exception without arguments.
inline const char *messageOf(const ErrorRecord &record) {
  return record.hasText ? record.text.c_str() : record.message;
}

/// Forgets the calling thread's pending error.
void clearError();

} // namespace nogil::runtime
