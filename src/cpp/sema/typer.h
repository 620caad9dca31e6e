// Typing of one specialization: every expression and local gets a type.
#pragma once

#include "sema/program.h"

namespace nogil::sema {

/// Answers what a call to another compiled function returns; the program typer implements
/// it, creating the callee's specialization on first use.
class CalleeResolver {
public:
  virtual ~CalleeResolver() = default;
  /// `callSite` is the caller's expression that makes the call, named in the callee's errors.
  virtual CallTarget resolve(const FunctionUnit &callee, const std::vector<const Type *> &args,
                             ast::Span callSite) = 0;
};

/// Types `unit` for `args`. Diagnostics are collected only when `diagnostics` is non-null
/// (the program typer's last pass); earlier passes may see Unknown recursive results.
std::unique_ptr<TypedFunction> typeFunction(const FunctionUnit &unit,
                                            const std::vector<const Type *> &args,
                                            CalleeResolver &resolver,
                                            std::vector<ast::Diagnostic> *diagnostics);

} // namespace nogil::sema
