// The hook through which the typer finds overloads' implementations.
#include "sema/overloads.h"

#include <atomic>

namespace nogil::sema {

namespace {
std::atomic<OverloadResolver> installed{nullptr};
} // namespace

void setOverloadResolver(OverloadResolver resolver) { installed.store(resolver); }

OverloadChoice resolveOverload(const OverloadRequest &request) {
  OverloadResolver resolver = installed.load();
  return resolver ? resolver(request) : OverloadChoice{};
}

} // namespace nogil::sema
