// Typing of NumPy's ufuncs (np.add, np.sin(x, out=y)) and of stores into parts of arrays
// (`u[1:-1] = expr`, `a += b`): elementwise kernels evaluated into a destination.
#include "sema/datetime.h"
#include "sema/typer_impl.h"

namespace nogil::sema {

using namespace ast;

namespace {

bool isNumberOrArray(const Type *type) {
  const Type *element = type->isArray() ? type->dtype() : type;
  return element->isNumeric() || element->isComplex() || element->isTimeType();
}

} // namespace

const Type *FunctionTyper::typeUfuncCall(const CallExpr *call, Builtin builtin) {
  const UfuncInfo &ufunc = *ufuncInfo(builtin);
  const Expr *outArg = call->args.size() > ufunc.inputs ? call->args[ufunc.inputs] : nullptr;
  for (size_t k = 0; k < call->keywordNames.size(); ++k) {
    if (call->keywordNames[k] == "out" && !outArg) {
      outArg = call->keywordValues[k];
      continue;
    }
    report(
        DiagKind::UnsupportedConstruct, call->keywordSpans[k],
        {"keyword argument '" + call->keywordNames[k] + "' of " + builtinName(builtin) + "() is"});
    return record(call, unknownType());
  }
  if (call->args.size() < ufunc.inputs || call->args.size() > ufunc.inputs + 1) {
    size_t given = call->args.size();
    report(DiagKind::CallArity, call->span,
           {builtinName(builtin),
            std::to_string(ufunc.inputs) + (ufunc.inputs == 1 ? " argument" : " arguments"),
            std::to_string(given) + (given == 1 ? " was" : " were")});
    return record(call, unknownType());
  }
  std::vector<const Type *> inputs;
  for (unsigned i = 0; i < ufunc.inputs; ++i)
    inputs.push_back(typeValue(call->args[i]));
  const Type *out = outArg ? typeValue(outArg) : nullptr;
  for (const Type *input : inputs)
    if (input->isUnknown())
      return record(call, unknownType());
  if (out && out->isUnknown())
    return record(call, unknownType());
  for (const Type *input : inputs)
    if (!isNumberOrArray(input)) {
      report(DiagKind::BuiltinArgumentType, call->span, {builtinName(builtin), input->name()});
      return record(call, unknownType());
    }
  const Type *first = inputs[0];
  const Type *second = inputs.size() > 1 ? inputs[1] : first;
  const Type *left = elementOperand(first, second);
  // ldexp's exponent stays an integer next to a float array (its own loop, not promotion).
  const Type *right = inputs.size() < 2 ? nullptr
                      : ufunc.loops == UfuncLoops::Ldexp
                          ? (second->isArray() ? second->dtype() : second)
                          : elementOperand(second, first);
  std::optional<UfuncLoop> loop = resolveUfuncLoop(ufunc, left, right);
  if (!loop) {
    const Type *bad = right && isNumberOrArray(first) && unify(left, right) ? second : first;
    report(DiagKind::BuiltinArgumentType, call->span, {builtinName(builtin), bad->name()});
    return record(call, unknownType());
  }
  unsigned ndim = broadcastNdim(first, second);
  if (out) {
    // NumPy writes into `out` when its casting rule 'same_kind' allows the result's type,
    // and its shape is the broadcast shape (checked when running, with NumPy's ValueError).
    bool castable = out->isArray() && (loop->result->isTimeType() || out->dtype()->isTimeType()
                                           ? canConvertTime(loop->result, out->dtype())
                                           : canCastSameKind(loop->result, out->dtype()));
    if (!castable) {
      report(DiagKind::BuiltinArgumentType, outArg->span, {builtinName(builtin), out->name()});
      return record(call, unknownType());
    }
    if (out->readonly()) {
      report(DiagKind::ReadonlyStore, outArg->span, {out->name()});
      return record(call, unknownType());
    }
  }
  out_->builtinCalls[call->id] = builtin;
  out_->ufuncLoops[call->id] = *loop;
  if (out)
    return record(call, out);
  if (first->isArray() || second->isArray())
    return record(call, arrayType(loop->result, ndim, Layout::C, false));
  return record(call, loop->result);
}

void FunctionTyper::typeSubarrayStore(const SubscriptExpr *target, const Type *part,
                                      const Type *value) {
  const Type *element = value->isArray() ? value->dtype() : value;
  bool timeRefused = (element->isTimeType() || part->dtype()->isTimeType()) &&
                     !canConvertTime(element, part->dtype());
  if (part->dtype()->isRecord() || !isNumberOrArray(value) || timeRefused ||
      (value->isArray() && !part->dtype()->isComplex() && value->dtype()->isComplex()) ||
      (value->isComplex() && !part->dtype()->isComplex())) {
    report(DiagKind::ArrayStoreValue, target->span, {value->name(), part->name()});
    return;
  }
  if (part->readonly())
    report(DiagKind::ReadonlyStore, target->span, {part->name()});
}

void FunctionTyper::typeArrayUpdate(const AugAssignStmt *assign, const Type *array,
                                    const Type *value) {
  const Type *element = nullptr;
  if (isNumberOrArray(value)) {
    const Type *right = elementOperand(value, array);
    element = binaryResult(assign->op, array->dtype(), right, assign->value);
    // `a += b` is np.add(a, b, out=a): NumPy casts the result with the rule 'same_kind'.
    bool timeStore = element && (element->isTimeType() || array->dtype()->isTimeType());
    if (element && (timeStore ? !canConvertTime(element, array->dtype())
                              : !canCastSameKind(element, array->dtype())))
      element = nullptr;
  }
  if (!element) {
    report(DiagKind::UnsupportedOperands, assign->span,
           {std::string(spelling(assign->op)) + "=", array->name(), value->name()});
    return;
  }
  if (array->readonly()) {
    report(DiagKind::ReadonlyStore, assign->target->span, {array->name()});
    return;
  }
  out_->augmentedResults[assign->target->id] = element;
}

} // namespace nogil::sema
