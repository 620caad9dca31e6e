// Typing of statements: assignments widen locals, returns unify, loops check their form.
#include "sema/datetime.h"
#include "sema/typer_impl.h"

#include <utility>

namespace nogil::sema {

using namespace ast;

void FunctionTyper::typeBlock(const StmtList &stmts) {
  for (const Stmt *stmt : stmts) {
    typeStmt(stmt);
    // `if scale is None: return x` decided when compiling: the rest never runs for these
    // types, and may use the value as what it is not.
    if (leavesBlock(stmt, *out_))
      return;
  }
}

bool leavesBlock(const Stmt *stmt, const TypedFunction &typed) {
  auto *branch = dynCast<IfStmt>(stmt);
  if (!branch)
    return false;
  auto decided = typed.constantComparisons.find(branch->condition->id);
  if (decided == typed.constantComparisons.end())
    return false;
  const StmtList &taken = decided->second ? branch->body : branch->orElse;
  if (taken.empty())
    return false;
  const Stmt *last = taken.back();
  return isa<ReturnStmt>(last) || isa<RaiseStmt>(last) || leavesBlock(last, typed);
}

void FunctionTyper::typeStmt(const Stmt *stmt) {
  switch (stmt->kind) {
  case StmtKind::Return:
    typeReturn(cast<ReturnStmt>(stmt));
    return;
  case StmtKind::Assign:
    typeAssign(cast<AssignStmt>(stmt));
    return;
  case StmtKind::AugAssign:
    typeAugAssign(cast<AugAssignStmt>(stmt));
    return;
  case StmtKind::If: {
    auto *branch = cast<IfStmt>(stmt);
    typeCondition(branch->condition);
    // `if axis is None:` decided when compiling: the other branch is not compiled, as it
    // may use the value as what it is not (an int axis when it is None).
    if (auto decided = out_->constantComparisons.find(branch->condition->id);
        decided != out_->constantComparisons.end()) {
      typeBlock(decided->second ? branch->body : branch->orElse);
      return;
    }
    typeBlock(branch->body);
    typeBlock(branch->orElse);
    return;
  }
  case StmtKind::While: {
    auto *loop = cast<WhileStmt>(stmt);
    typeCondition(loop->condition);
    ++loopDepth_;
    typeBlock(loop->body);
    --loopDepth_;
    typeBlock(loop->orElse);
    return;
  }
  case StmtKind::For:
    typeFor(cast<ForStmt>(stmt));
    return;
  case StmtKind::Break:
  case StmtKind::Continue:
    if (loopDepth_ == 0)
      report(DiagKind::LoopControlOutsideLoop, stmt->span,
             {isa<BreakStmt>(stmt) ? "break" : "continue"});
    return;
  case StmtKind::Pass:
    return;
  case StmtKind::ExprStmt:
    typeExpr(cast<ExprStmt>(stmt)->value);
    return;
  case StmtKind::Raise:
    typeRaise(cast<RaiseStmt>(stmt));
    return;
  case StmtKind::Try:
    typeTry(cast<TryStmt>(stmt));
    return;
  case StmtKind::Assert: {
    auto *assertion = cast<AssertStmt>(stmt);
    typeCondition(assertion->test);
    if (assertion->message && !typeText(assertion->message, false))
      report(DiagKind::ExceptionMessage, assertion->message->span, {});
    return;
  }
  case StmtKind::Unsupported:
    report(DiagKind::UnsupportedConstruct, stmt->span, {cast<UnsupportedStmt>(stmt)->what});
    return;
  }
}

void FunctionTyper::typeTry(const TryStmt *attempt) {
  typeBlock(attempt->body);
  for (const ExceptHandler &handler : attempt->handlers) {
    if (handler.type) {
      std::vector<uintptr_t> classes;
      std::vector<const Expr *> named;
      if (auto *tuple = dynCast<TupleExpr>(handler.type))
        named.assign(tuple->elements.begin(), tuple->elements.end());
      else
        named.push_back(handler.type);
      for (const Expr *e : named) {
        auto *name = dynCast<NameExpr>(e);
        auto found = name && localIndex(name->name) < 0 ? unit_.environment.find(name->name)
                                                        : unit_.environment.end();
        if (found == unit_.environment.end() ||
            found->second.kind != GlobalValue::Kind::ExceptionClass) {
          if (name && found == unit_.environment.end() && localIndex(name->name) < 0)
            report(DiagKind::UndefinedName, e->span, {name->name});
          else
            report(DiagKind::NotAnExceptionClass, e->span, {"'" + sourceText(e->span) + "'"});
          continue;
        }
        classes.push_back(found->second.exceptionClass);
      }
      out_->handlerClasses[handler.type->id] = std::move(classes);
    }
    if (!handler.name.empty())
      exceptionNames_.push_back(handler.name);
    ++handlerDepth_;
    typeBlock(handler.body);
    --handlerDepth_;
    if (!handler.name.empty())
      exceptionNames_.pop_back();
  }
  typeBlock(attempt->orElse);
  typeBlock(attempt->finalBody);
}

void FunctionTyper::typeRaise(const RaiseStmt *raise) {
  if (!raise->exception) {
    if (handlerDepth_ == 0)
      report(DiagKind::UnsupportedConstruct, raise->span,
             {"a bare 'raise' outside an 'except' clause is"});
    return;
  }
  const Expr *classExpr = raise->exception;
  auto *call = dynCast<CallExpr>(raise->exception);
  if (call)
    classExpr = call->callee;
  auto *name = dynCast<NameExpr>(classExpr);
  const GlobalValue *value = nullptr;
  if (name && localIndex(name->name) < 0) {
    auto found = unit_.environment.find(name->name);
    if (found == unit_.environment.end()) {
      report(DiagKind::UndefinedName, name->span, {name->name});
      return;
    }
    value = &found->second;
  }
  if (!value || value->kind != GlobalValue::Kind::ExceptionClass) {
    report(DiagKind::RaiseNotException, classExpr->span, {"'" + sourceText(classExpr->span) + "'"});
    return;
  }
  if (call &&
      (call->args.size() > 1 || (call->args.size() == 1 && !typeText(call->args[0], false)))) {
    report(DiagKind::ExceptionMessage, call->args[call->args.size() > 1 ? 1 : 0]->span, {});
    return;
  }
  out_->raisedClasses[raise->exception->id] = value->exceptionClass;
}

void FunctionTyper::typeReturn(const ReturnStmt *ret) {
  if (!ret->value || isa<NoneLiteralExpr>(ret->value)) {
    if (ret->value)
      record(ret->value, noneType());
    noteReturn(noneType(), ret->span);
    return;
  }
  const Type *type = typeExpr(ret->value);
  if (type->isUnknown()) {
    // A provisional recursive result: the other returns decide the type.
    returnType_ = unify(returnType_, type);
    return;
  }
  noteReturn(type, ret->value->span);
}

void FunctionTyper::noteReturn(const Type *type, Span span) {
  const Type *unified = unify(returnType_, type);
  if (!unified) {
    report(DiagKind::ReturnTypeConflict, span, {type->name(), firstReturnType_->name()});
    if (diagnostics_ && !diagnostics_->empty())
      diagnostics_->back().secondary.push_back(
          Label{&source_, firstReturnSpan_,
                std::string("returns ") + firstReturnType_->name() + " here"});
    return;
  }
  if (!firstReturnType_) {
    firstReturnType_ = type;
    firstReturnSpan_ = span;
  }
  returnType_ = unified;
}

bool unpacksDisplay(const AssignStmt *assign) {
  if (!isa<TupleExpr>(assign->value))
    return false;
  for (const Expr *target : assign->targets)
    if (!isa<TupleExpr>(target))
      return false;
  return true;
}

void FunctionTyper::typeAssign(const AssignStmt *assign) {
  // `a, b = b, a + b`: a display unpacked into tuple targets assigns element by element, so
  // it builds no tuple; its own type is still recorded.
  // None and optional values are held as they are (`v = None`, `w = v`).
  const Type *valueType = typeExpr(assign->value);
  if (valueType->isNone() || valueType->isOptional())
    for (const Expr *target : assign->targets)
      if (!isa<NameExpr>(target)) { // an element or a field holds a number
        valueType = typeValue(assign->value);
        break;
      }
  for (const Expr *target : assign->targets) {
    if (isa<TupleExpr>(target) && !valueType->isUnknown() && !valueType->isTuple()) {
      report(DiagKind::UnpackNonTuple, assign->value->span, {valueType->name()});
      continue;
    }
    assignLocal(target, valueType);
  }
}

void FunctionTyper::unpackInto(const TupleExpr *targets, const Type *type) {
  if (type->isUnknown()) {
    for (const Expr *element : targets->elements)
      assignLocal(element, unknownType());
    return;
  }
  if (!type->isTuple()) {
    report(DiagKind::UnpackNonTuple, targets->span, {type->name()});
    return;
  }
  const auto &elements = type->elements();
  if (targets->elements.size() != elements.size()) {
    report(DiagKind::UnpackMismatch, targets->span,
           {std::to_string(elements.size()), std::to_string(targets->elements.size())});
    return;
  }
  for (size_t i = 0; i < elements.size(); ++i)
    assignLocal(targets->elements[i], elements[i]);
}

void FunctionTyper::typeElementStore(const SubscriptExpr *target, const Type *value) {
  if (const Expr *owner = flatIteratorOwner(target)) {
    if (!value->isUnknown())
      typeFlatIndexCall(target, owner, value);
    return;
  }
  std::vector<Diagnostic> *reporting = std::exchange(diagnostics_, nullptr); // a look ahead
  const Type *indexed = typeOwner(target->value);
  diagnostics_ = reporting;
  if (indexed->isRecord()) {
    typeFieldStore(target, value);
    return;
  }
  if (indexed->isArray() && hasArrayIndex(target) &&
      !(indexed->dtype()->isRecord() && namesField(target->index))) {
    if (!value->isUnknown())
      typeIndexCall(target, indexed, value);
    return;
  }
  const Type *element = typeExpr(target);
  const Type *array = out_->typeOf(target->value);
  if (element->isUnknown() || value->isUnknown() || !array || !array->isArray())
    return;
  if (element->isArray()) {
    typeSubarrayStore(target, element, value);
    return;
  }
  // A record stores whole into an element of its own dtype, as NumPy copies it.
  bool sameRecord = element->isRecord() && value->isRecord() &&
                    recordWithAccess(element, false) == recordWithAccess(value, false);
  bool storable = array->dtype()->isTimeType() || value->isTimeType()
                      ? canConvertTime(value, array->dtype())
                      : (value->isNumeric() && !element->isRecord()) || sameRecord ||
                            (value->isComplex() && element->isComplex());
  if (!storable) {
    report(DiagKind::ArrayStoreValue, target->span, {value->name(), array->name()});
    return;
  }
  if (array->readonly())
    report(DiagKind::ReadonlyStore, target->span, {array->name()});
}

namespace {

/// Whether a declared local takes a value of this other type by a cast, as Numba casts:
/// bool, integers and floats to any of them, or to complex.
bool castsTo(const Type *value, const Type *declared) {
  return value->isNumeric() && (declared->isNumeric() || declared->isComplex());
}

} // namespace

void FunctionTyper::assignLocal(const Expr *target, const Type *type) {
  if (auto *targets = dynCast<TupleExpr>(target)) {
    unpackInto(targets, type);
    return;
  }
  if (auto *subscript = dynCast<SubscriptExpr>(target)) {
    typeElementStore(subscript, type);
    return;
  }
  if (auto *attribute = dynCast<AttributeExpr>(target)) {
    std::vector<Diagnostic> *reporting = std::exchange(diagnostics_, nullptr); // a look ahead
    const Type *owner = typeOwner(attribute->value);
    diagnostics_ = reporting;
    if (owner->isRecord() || owner->isUnknown()) {
      typeFieldStore(attribute, type);
      return;
    }
    report(DiagKind::UnsupportedAssignTarget, target->span, {"attributes"});
    return;
  }
  auto *name = dynCast<NameExpr>(target);
  if (!name) {
    if (auto *unsupported = dynCast<UnsupportedExpr>(target))
      report(DiagKind::UnsupportedAssignTarget, target->span, {unsupported->what});
    else
      report(DiagKind::UnsupportedAssignTarget, target->span,
             {"'" + sourceText(target->span) + "'"});
    return;
  }
  int32_t slot = localIndex(name->name);
  out_->localSlots[name->id] = slot;
  const Type *current = out_->localTypes[slot];
  auto declared = unit_.declaredLocals.find(name->name);
  if (declared != unit_.declaredLocals.end() && static_cast<size_t>(slot) >= out_->args.size()) {
    // As Numba: a declared local keeps its type, and a number assigned to it is cast.
    record(name, current);
    bool casts = type == current || type->isUnknown() || castsTo(type, current);
    if (!casts)
      report(DiagKind::VariableTypeConflict, target->span,
             {name->name, type->name(), std::string("declared ") + current->name()});
    return;
  }
  const Type *widened = unify(current, type);
  record(name, widened ? widened : current);
  if (!widened) {
    report(DiagKind::VariableTypeConflict, target->span,
           {name->name, type->name(), current->name()});
    if (diagnostics_ && !diagnostics_->empty())
      diagnostics_->back().secondary.push_back(Label{
          &source_, localOrigins_[slot], "'" + name->name + "' is " + current->name() + " here"});
    return;
  }
  if (widened != current) {
    if (widened == type)
      localOrigins_[slot] = target->span;
    out_->localTypes[slot] = widened;
    localsChanged_ = true;
  }
}

namespace {

/// The library's method for `a[idx] op= v` (src/nogil/lib/indexing.py).
const char *augmentedStoreMethod(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return "__setitem_iadd__";
  case BinaryOp::Sub:
    return "__setitem_isub__";
  case BinaryOp::Mul:
    return "__setitem_imul__";
  case BinaryOp::Div:
    return "__setitem_itruediv__";
  case BinaryOp::FloorDiv:
    return "__setitem_ifloordiv__";
  case BinaryOp::Mod:
    return "__setitem_imod__";
  case BinaryOp::Pow:
    return "__setitem_ipow__";
  case BinaryOp::LShift:
    return "__setitem_ilshift__";
  case BinaryOp::RShift:
    return "__setitem_irshift__";
  case BinaryOp::BitOr:
    return "__setitem_ior__";
  case BinaryOp::BitXor:
    return "__setitem_ixor__";
  case BinaryOp::BitAnd:
    return "__setitem_iand__";
  case BinaryOp::MatMul:
    return "__setitem_imatmul__";
  }
  return "__setitem_imatmul__";
}

} // namespace

void FunctionTyper::typeAugAssign(const AugAssignStmt *assign) {
  auto *name = dynCast<NameExpr>(assign->target);
  auto *element = dynCast<SubscriptExpr>(assign->target);
  auto *field = dynCast<AttributeExpr>(assign->target); // `r.f += 1` on a record
  if (!name && !element && !field) {
    assignLocal(assign->target, unknownType());
    return;
  }
  if (const Expr *owner = element ? flatIteratorOwner(element) : nullptr) {
    // a.flat[k] op= v: the library's a.flat[k] = a.flat[k] op v.
    const Type *value = typeValue(assign->value);
    if (!value->isUnknown())
      typeFlatIndexCall(element, owner, value,
                        ("__flat" + std::string(augmentedStoreMethod(assign->op))).c_str());
    return;
  }
  std::vector<Diagnostic> *reporting = std::exchange(diagnostics_, nullptr); // a look ahead
  const Type *indexed = element ? typeOwner(element->value) : nullptr;
  bool indexedByArray = indexed && indexed->isArray() && hasArrayIndex(element);
  diagnostics_ = reporting;
  if (indexedByArray) {
    // NumPy reads a[idx], updates that copy and stores it back: a repeated index adds once.
    // The library's method for the operator does all three.
    const Type *value = typeValue(assign->value);
    if (!value->isUnknown())
      typeIndexCall(element, indexed, value, augmentedStoreMethod(assign->op));
    return;
  }
  const Type *current = name ? typeName(name) : typeExpr(assign->target);
  const Type *value = typeValue(assign->value);
  if (current->isUnknown() || value->isUnknown())
    return;
  if (current->isArray()) {
    typeArrayUpdate(assign, current, value);
    return;
  }
  const Type *result =
      current->isTuple() || value->isTuple()
          ? typeTupleBinary(assign->op, current, value, assign->target, assign->value, assign->span)
          : binaryResult(assign->op, current, value, assign->value);
  if (result && result->isUnknown())
    return;
  if (!result) {
    report(DiagKind::UnsupportedOperands, assign->span,
           {std::string(spelling(assign->op)) + "=", current->name(), value->name()});
    return;
  }
  if (element || field)
    out_->augmentedResults[assign->target->id] = result;
  assignLocal(assign->target, result);
}

bool FunctionTyper::callsGlobal(const Expr *expr, GlobalValue::Kind kind,
                                std::optional<Builtin> builtin) const {
  auto *call = dynCast<CallExpr>(expr);
  const GlobalValue *global = call ? globalOf(call->callee) : nullptr;
  return global && global->kind == kind && (!builtin || global->builtin == *builtin);
}

const Type *FunctionTyper::typeSequence(const Expr *iterable) {
  if (callsGlobal(iterable, GlobalValue::Kind::Range)) {
    auto *call = cast<CallExpr>(iterable);
    record(call, noneType());
    if (call->args.empty() || call->args.size() > 3)
      report(DiagKind::CallArity, call->span,
             {sourceText(call->callee->span), "1 to 3 arguments",
              std::to_string(call->args.size()) + " were"});
    for (const Expr *arg : call->args) {
      const Type *type = typeValue(arg);
      if (!type->isUnknown() && !type->isIntegral())
        report(DiagKind::RangeArguments, arg->span, {type->name()});
    }
    return int64Type();
  }
  const Type *iterableType = typeExpr(iterable);
  if (iterableType->isArray() && iterableType->ndim() > 0) {
    // Along the first axis: elements of a 1-d array, views of the rest otherwise.
    return iterableType->ndim() == 1
               ? iterableType->dtype()
               : arrayType(iterableType->dtype(), iterableType->ndim() - 1,
                           iterableType->layout() == Layout::C ? Layout::C : Layout::Any,
                           iterableType->readonly());
  }
  if (iterableType->isTuple()) {
    // A run-time loop needs one element type; an empty tuple runs the body zero times.
    const auto &elements = iterableType->elements();
    for (const Type *element : elements)
      if (element != elements.front()) {
        report(DiagKind::HeterogeneousTupleLoop, iterable->span, {iterableType->name()});
        return unknownType();
      }
    return elements.empty() ? int64Type() : elements.front();
  }
  if (!iterableType->isUnknown())
    report(DiagKind::UnsupportedIterable, iterable->span, {iterableType->name()});
  return unknownType();
}

void FunctionTyper::typeFor(const ForStmt *loop) {
  std::vector<const Type *> elements;
  if (callsGlobal(loop->iterable, GlobalValue::Kind::Builtin, Builtin::Enumerate)) {
    auto *call = cast<CallExpr>(loop->iterable);
    record(call, noneType());
    elements = {int64Type(), call->args.empty() ? unknownType() : typeSequence(call->args[0])};
    if (call->args.size() == 2) {
      const Type *start = typeValue(call->args[1]);
      if (!start->isUnknown() && !start->isIntegral())
        report(DiagKind::RangeArguments, call->args[1]->span, {start->name()});
    }
  } else if (callsGlobal(loop->iterable, GlobalValue::Kind::Builtin, Builtin::Zip)) {
    auto *call = cast<CallExpr>(loop->iterable);
    record(call, noneType());
    for (const Expr *arg : call->args)
      elements.push_back(typeSequence(arg));
  } else {
    elements.push_back(typeSequence(loop->iterable));
  }
  auto *tuple = dynCast<TupleExpr>(loop->target);
  if (elements.size() == 1 && (isa<NameExpr>(loop->target) || tuple)) {
    assignLocal(loop->target, elements[0]);
  } else if (elements.size() > 1 && tuple && tuple->elements.size() == elements.size()) {
    for (size_t i = 0; i < elements.size(); ++i)
      assignLocal(tuple->elements[i], elements[i]);
  } else if (tuple && elements.size() > 1) {
    report(DiagKind::UnpackMismatch, loop->target->span,
           {std::to_string(elements.size()), std::to_string(tuple->elements.size())});
  } else {
    report(DiagKind::UnsupportedAssignTarget, loop->target->span,
           {"this loop target; use a single name, or names for enumerate() and zip()"});
  }
  ++loopDepth_;
  typeBlock(loop->body);
  --loopDepth_;
  typeBlock(loop->orElse);
}

} // namespace nogil::sema
