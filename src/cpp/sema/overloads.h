// Functions implemented by argument types (nogil.extending.overload): the typer asks the
// python layer, through a hook it installs at start-up, which implementation a call takes.
#pragma once

#include "sema/environment.h"
#include "sema/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nogil::sema {

/// One call to resolve: an overloaded function (`overload`, the python layer's selector) or
/// a method of the first argument's type (`method`, with `overload` 0).
struct OverloadRequest {
  uintptr_t overload = 0;
  std::string method;
  /// Positional then keyword arguments' types (a method's receiver first).
  std::vector<const Type *> args;
  std::vector<std::string> keywords; ///< the names of the last keywords.size() arguments
  /// Per argument, "True" or "False" when it is written as that constant (Numba's literal
  /// types: `keepdims=True` decides the result's dimensions), else empty.
  std::vector<std::string> literals;
};

/// The implementation chosen, or none: `error` says why when an implementation refused
/// the types (its message), empty when none applies.
struct OverloadChoice {
  const FunctionUnit *unit = nullptr;
  std::string error;
};

using OverloadResolver = OverloadChoice (*)(const OverloadRequest &request);

/// Installs the hook (once, at start-up, before any compile).
void setOverloadResolver(OverloadResolver resolver);

/// The implementation for `request`; none when no hook is installed (C++ tests).
OverloadChoice resolveOverload(const OverloadRequest &request);

} // namespace nogil::sema
