// The function typer's driver.
//
// 1. Collect the locals: parameters, then every name assigned anywhere in the body (a name
//    assigned anywhere in a Python function is local everywhere in it).
// 2. Parameters take the argument types; other locals start Unknown.
// 3. Type the body repeatedly; each assignment widens its local by unification (int then
//    float -> float), until no local changes.
// 4. The result: every expression's type, the return type unified over all returns (and
//    None if control can fall off the end), and each call's target.
#include "sema/parallel_loops.h"
#include "sema/typer_impl.h"

#include <algorithm>

namespace nogil::sema {

using namespace ast;

FunctionTyper::FunctionTyper(const FunctionUnit &unit, const std::vector<const Type *> &args,
                             CalleeResolver &resolver, std::vector<Diagnostic> *diagnostics)
    : unit_(unit), source_(*unit.source), resolver_(resolver), diagnostics_(diagnostics) {
  out_ = std::make_unique<TypedFunction>();
  out_->unit = &unit;
  out_->args = args;
}

std::unique_ptr<TypedFunction> FunctionTyper::run() {
  const FunctionAst &function = *unit_.ast;
  for (size_t i = 0; i < function.params.size(); ++i) {
    locals_.emplace(function.params[i].name, static_cast<int32_t>(i));
    out_->localNames.push_back(function.params[i].name);
    out_->localTypes.push_back(i < out_->args.size() ? out_->args[i] : unknownType());
    localOrigins_.push_back(function.params[i].span);
  }
  collectLocals(function.body);
  // locals={name: type}: the declared type from the start; assignments convert to it.
  for (size_t slot = function.params.size(); slot < out_->localNames.size(); ++slot) {
    auto declared = unit_.declaredLocals.find(out_->localNames[slot]);
    if (declared != unit_.declaredLocals.end())
      out_->localTypes[slot] = declared->second;
  }
  for (const UnsupportedParam &param : function.unsupportedParams)
    report(DiagKind::UnsupportedParameter, param.span, {param.what});

  // Only the last pass may report: earlier ones run on provisional local types.
  std::vector<Diagnostic> *reporting = diagnostics_;
  constexpr int kMaxPasses = 8;
  for (int pass = 0; pass <= kMaxPasses; ++pass) {
    bool last = pass == kMaxPasses;
    diagnostics_ = last ? reporting : nullptr;
    out_->exprTypes.assign(function.exprCount(), nullptr);
    out_->localSlots.assign(function.exprCount(), -1);
    out_->calls.clear();
    out_->optionalUnwraps.clear();
    out_->indexCallArgs.clear();
    returnType_ = unknownType();
    firstReturnType_ = nullptr;
    unresolvedRecursion_ = calleeFailed_ = false;
    localsChanged_ = false;
    typeBlock(function.body);
    if (fallsThrough(function.body))
      noteReturn(noneType(), function.nameSpan);
    if (last)
      break;
    if (!localsChanged_)
      pass = kMaxPasses - 1; // one more pass, the reporting one
  }
  if (returnType_->isUnknown() && !unresolvedRecursion_)
    returnType_ = noneType(); // never returns normally (endless loop)
  if (returnType_->isUnknown() && !calleeFailed_ && diagnostics_ && diagnostics_->empty())
    report(DiagKind::RecursiveReturnType, function.nameSpan, {unit_.qualname});
  out_->returnType = returnType_;
  analyseParallelLoops(unit_, *out_, diagnostics_);
  return std::move(out_);
}

void FunctionTyper::collectLocals(const StmtList &stmts) {
  for (const Stmt *stmt : stmts) {
    switch (stmt->kind) {
    case StmtKind::Assign:
      for (const Expr *target : cast<AssignStmt>(stmt)->targets)
        declareTarget(target);
      break;
    case StmtKind::AugAssign:
      declareTarget(cast<AugAssignStmt>(stmt)->target);
      break;
    case StmtKind::For: {
      auto *loop = cast<ForStmt>(stmt);
      declareTarget(loop->target);
      collectLocals(loop->body);
      collectLocals(loop->orElse);
      break;
    }
    case StmtKind::If:
      collectLocals(cast<IfStmt>(stmt)->body);
      collectLocals(cast<IfStmt>(stmt)->orElse);
      break;
    case StmtKind::While:
      collectLocals(cast<WhileStmt>(stmt)->body);
      collectLocals(cast<WhileStmt>(stmt)->orElse);
      break;
    case StmtKind::Try: {
      auto *attempt = cast<TryStmt>(stmt);
      collectLocals(attempt->body);
      for (const ExceptHandler &handler : attempt->handlers)
        collectLocals(handler.body);
      collectLocals(attempt->orElse);
      collectLocals(attempt->finalBody);
      break;
    }
    case StmtKind::Return:
    case StmtKind::Break:
    case StmtKind::Continue:
    case StmtKind::Pass:
    case StmtKind::ExprStmt:
    case StmtKind::Raise:
    case StmtKind::Assert:
    case StmtKind::Unsupported:
      break;
    }
  }
}

void FunctionTyper::declareTarget(const Expr *target) {
  if (auto *name = dynCast<NameExpr>(target)) {
    if (locals_.emplace(name->name, static_cast<int32_t>(out_->localNames.size())).second) {
      out_->localNames.push_back(name->name);
      out_->localTypes.push_back(unknownType());
      localOrigins_.push_back(name->span);
    }
  } else if (auto *tuple = dynCast<TupleExpr>(target)) {
    for (const Expr *element : tuple->elements)
      declareTarget(element);
  }
}

int32_t FunctionTyper::localIndex(const std::string &name) const {
  auto found = locals_.find(name);
  return found == locals_.end() ? -1 : found->second;
}

void FunctionTyper::report(DiagKind kind, Span span, std::initializer_list<std::string_view> args) {
  if (diagnostics_)
    diagnostics_->push_back(Diagnostic::at(kind, source_, span, args));
}

std::string FunctionTyper::sourceText(Span span) const {
  constexpr size_t kLongest = 40;
  std::string_view text(source_.text());
  text = text.substr(span.begin, span.end - span.begin);
  size_t lineEnd = text.find('\n');
  bool cut = lineEnd != std::string_view::npos || text.size() > kLongest;
  size_t keep = std::min(lineEnd, kLongest);
  while (keep < text.size() && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80)
    --keep; // not inside a UTF-8 sequence
  text = text.substr(0, keep);
  return std::string(text) + (cut ? "..." : "");
}

bool containsBreak(const StmtList &stmts) {
  for (const Stmt *stmt : stmts) {
    if (isa<BreakStmt>(stmt))
      return true;
    if (auto *branch = dynCast<IfStmt>(stmt))
      if (containsBreak(branch->body) || containsBreak(branch->orElse))
        return true;
    // A loop's else clause belongs to the enclosing loop's level.
    if (auto *loop = dynCast<WhileStmt>(stmt))
      if (containsBreak(loop->orElse))
        return true;
    if (auto *loop = dynCast<ForStmt>(stmt))
      if (containsBreak(loop->orElse))
        return true;
    if (auto *attempt = dynCast<TryStmt>(stmt)) {
      bool inHandler = false;
      for (const ExceptHandler &handler : attempt->handlers)
        inHandler |= containsBreak(handler.body);
      if (inHandler || containsBreak(attempt->body) || containsBreak(attempt->orElse) ||
          containsBreak(attempt->finalBody))
        return true;
    }
  }
  return false;
}

bool fallsThrough(const StmtList &stmts) {
  for (const Stmt *stmt : stmts) {
    switch (stmt->kind) {
    case StmtKind::Return:
    case StmtKind::Raise:
      return false;
    case StmtKind::If: {
      auto *branch = cast<IfStmt>(stmt);
      if (!fallsThrough(branch->body) && !fallsThrough(branch->orElse))
        return false;
      break;
    }
    case StmtKind::Try: {
      auto *attempt = cast<TryStmt>(stmt);
      bool completes = fallsThrough(attempt->body) && fallsThrough(attempt->orElse);
      for (const ExceptHandler &handler : attempt->handlers)
        completes |= fallsThrough(handler.body);
      if (!completes || !fallsThrough(attempt->finalBody))
        return false;
      break;
    }
    case StmtKind::While: {
      // `while True:` without a break never completes normally.
      auto *loop = cast<WhileStmt>(stmt);
      auto *literal = dynCast<BoolLiteralExpr>(loop->condition);
      auto *intLiteral = dynCast<IntLiteralExpr>(loop->condition);
      bool endless = (literal && literal->value) || (intLiteral && intLiteral->value != 0);
      if (endless && !containsBreak(loop->body))
        return false;
      break;
    }
    default:
      break;
    }
  }
  return true;
}

} // namespace nogil::sema

namespace nogil::sema {

std::unique_ptr<TypedFunction> typeFunction(const FunctionUnit &unit,
                                            const std::vector<const Type *> &args,
                                            CalleeResolver &resolver,
                                            std::vector<ast::Diagnostic> *diagnostics) {
  return FunctionTyper(unit, args, resolver, diagnostics).run();
}

} // namespace nogil::sema
