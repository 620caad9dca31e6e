// FunctionUnit helpers.
#include "sema/environment.h"

namespace nogil::sema {

std::vector<std::string> FunctionUnit::paramNames() const {
  std::vector<std::string> names;
  for (const ast::Param &p : ast->params)
    names.push_back(p.name);
  return names;
}

} // namespace nogil::sema
