// FunctionUnit helpers.
#include "sema/environment.h"
#include "sema/types.h"

namespace nogil::sema {

std::vector<std::string> FunctionUnit::paramNames() const {
  std::vector<std::string> names;
  for (const ast::Param &p : ast->params)
    names.push_back(p.name);
  return names;
}

const FunctionUnit *closureBody(const Type *type) {
  if (!type->isTuple() || type->elements().empty() || !type->elements()[0]->isFunctionValue())
    return nullptr;
  const FunctionUnit *body = type->elements()[0]->function();
  if (!body->ast || body->ast->params.empty() || body->ast->params[0].name != kClosureParam)
    return nullptr;
  return body;
}

} // namespace nogil::sema
