// The thread-local error record behind nogil_rt_raise.
#include "runtime/error_record.h"
#include "runtime/text.h"

namespace nogil::runtime {

namespace {
thread_local ErrorRecord threadError;

void pushFrame(ErrorRecord &record, const NogilSite *site) {
  if (record.frameCount < kMaxFrames)
    record.frames[record.frameCount++] = site;
  else
    ++record.framesDropped;
}
} // namespace

ErrorRecord &currentError() { return threadError; }

void clearError() { threadError = ErrorRecord{}; }

} // namespace nogil::runtime

extern "C" void nogil_rt_raise(int32_t kind, const char *message, const NogilSite *site) {
  auto &record = nogil::runtime::currentError();
  record = nogil::runtime::ErrorRecord{};
  record.kind = kind;
  record.message = message;
  nogil::runtime::pushFrame(record, site);
}

extern "C" void nogil_rt_raise_class(const void *exception, const char *message,
                                     const NogilSite *site) {
  nogil_rt_raise(NOGIL_ERROR_CLASS, message, site);
  nogil::runtime::currentError().exceptionClass = exception;
}

extern "C" void nogil_rt_raise_text(int32_t kind, const void *exception, const NogilSite *site) {
  nogil_rt_raise(kind, nullptr, site);
  auto &record = nogil::runtime::currentError();
  record.exceptionClass = exception;
  record.text = nogil::runtime::textBuffer();
  record.hasText = true;
}

extern "C" void nogil_rt_raise_index(int64_t index, int64_t axis, int64_t size,
                                     const NogilSite *site) {
  nogil_rt_raise(NOGIL_ERROR_INDEX, nullptr, site);
  auto &record = nogil::runtime::currentError();
  record.text = "index " + std::to_string(index) + " is out of bounds for axis " +
                std::to_string(axis) + " with size " + std::to_string(size);
  record.hasText = true;
}

extern "C" void nogil_rt_raise_int_bounds(int64_t value, int32_t isUnsigned, const char *dtype,
                                          const NogilSite *site) {
  nogil_rt_raise(NOGIL_ERROR_OVERFLOW, nullptr, site);
  auto &record = nogil::runtime::currentError();
  std::string digits =
      isUnsigned ? std::to_string(static_cast<uint64_t>(value)) : std::to_string(value);
  record.text = "Python integer " + digits + " out of bounds for " + dtype;
  record.hasText = true;
}

extern "C" void nogil_rt_add_frame(const NogilSite *site) {
  nogil::runtime::pushFrame(nogil::runtime::currentError(), site);
}
