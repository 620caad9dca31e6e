#include "runtime/exception_classes.h"

#include "runtime/error_record.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <shared_mutex>

namespace nogil::runtime {

namespace {

/// Registered classes and kinds. `mutex` guards both maps: written (rarely) by the python
/// layer under the GIL, read by compiled code on any thread without it.
struct Registry {
  std::shared_mutex mutex;
  std::map<const void *, std::vector<const void *>> mro;
  std::map<int32_t, const void *> kindClass;
};

Registry &registry() {
  static auto *instance = new Registry(); // never destroyed: compiled code may outlive statics
  return *instance;
}

} // namespace

void registerExceptionClass(const void *exceptionClass, std::vector<const void *> mro) {
  Registry &r = registry();
  std::unique_lock lock(r.mutex);
  r.mro.emplace(exceptionClass, std::move(mro));
}

void registerErrorKindClass(int32_t kind, const void *exceptionClass) {
  Registry &r = registry();
  std::unique_lock lock(r.mutex);
  r.kindClass[kind] = exceptionClass;
}

} // namespace nogil::runtime

extern "C" int32_t nogil_rt_error_matches(const void *handlerClass) {
  const auto &record = nogil::runtime::currentError();
  auto &r = nogil::runtime::registry();
  std::shared_lock lock(r.mutex);
  const void *raised = record.exceptionClass;
  if (record.kind != NOGIL_ERROR_CLASS) {
    auto found = r.kindClass.find(record.kind);
    raised = found == r.kindClass.end() ? nullptr : found->second;
  }
  auto mro = r.mro.find(raised);
  if (mro == r.mro.end())
    return raised == handlerClass;
  return std::find(mro->second.begin(), mro->second.end(), handlerClass) != mro->second.end();
}

extern "C" int32_t nogil_rt_error_catchable() {
  return nogil::runtime::currentError().kind != NOGIL_ERROR_PYTHON;
}

extern "C" void nogil_rt_clear_error() { nogil::runtime::clearError(); }
