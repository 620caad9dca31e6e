// inspect_types(): the types a specialization gives its locals and returns, line by line.
#pragma once

#include "sema/program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nogil::sema {

/// One annotation: a file line and what is typed there ("a: int64", "return float64").
struct LineAnnotation {
  uint32_t line = 0;
  std::string text;
};

/// Every parameter, every local at each line that assigns it, and every return, in source
/// order.
std::vector<LineAnnotation> annotateTypes(const TypedFunction &typed);

} // namespace nogil::sema
