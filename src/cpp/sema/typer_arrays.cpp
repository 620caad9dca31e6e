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
  const Expr *whereArg = nullptr;
  const Expr *castingArg = nullptr;
  const Expr *dtypeArg = nullptr;
  for (size_t k = 0; k < call->keywordNames.size(); ++k) {
    const std::string &keyword = call->keywordNames[k];
    const Expr **slot = keyword == "out"       ? &outArg
                        : keyword == "where"   ? &whereArg
                        : keyword == "casting" ? &castingArg
                        : keyword == "dtype"   ? &dtypeArg
                                               : nullptr;
    if (slot && !*slot) {
      *slot = call->keywordValues[k];
      continue;
    }
    report(DiagKind::UnsupportedConstruct, call->keywordSpans[k],
           {"keyword argument '" + keyword + "' of " + builtinName(builtin) + "() is"});
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
  std::optional<UfuncCasting> casting = UfuncCasting::SameKind;
  if (castingArg) {
    auto *literal = dynCast<StringLiteralExpr>(castingArg);
    casting = literal ? parseUfuncCasting(literal->value) : std::nullopt;
    if (!casting) {
      report(DiagKind::UfuncKeyword, castingArg->span,
             {std::string("casting= of ") + builtinName(builtin) +
              "() is one of the strings 'no', 'equiv', 'safe', 'same_kind', 'unsafe'"});
      return record(call, unknownType());
    }
  }
  const Type *dtype = nullptr;
  if (dtypeArg && !(dtype = dtypeArgument(dtypeArg)))
    return record(call, unknownType());
  // NumPy leaves the elements `where` masks off uninitialized in a new result: compiled code
  // asks for the array they keep their values in.
  if (whereArg && !outArg) {
    report(DiagKind::UfuncKeyword, whereArg->span,
           {std::string("where= of ") + builtinName(builtin) +
            "() needs out= (the elements it masks off keep out's values; NumPy leaves them "
            "uninitialized without out=)"});
    return record(call, unknownType());
  }
  std::vector<const Type *> inputs;
  for (unsigned i = 0; i < ufunc.inputs; ++i)
    inputs.push_back(typeValue(call->args[i]));
  const Type *out = outArg ? typeValue(outArg) : nullptr;
  const Type *mask = whereArg ? typeValue(whereArg) : nullptr;
  for (const Type *input : inputs)
    if (input->isUnknown())
      return record(call, unknownType());
  if ((out && out->isUnknown()) || (mask && mask->isUnknown()))
    return record(call, unknownType());
  for (const Type *input : inputs)
    if (!isNumberOrArray(input)) {
      report(DiagKind::BuiltinArgumentType, call->span, {builtinName(builtin), input->name()});
      return record(call, unknownType());
    }
  if (mask && (mask->isArray() ? mask->dtype() : mask) != boolType()) {
    report(DiagKind::BuiltinArgumentType, whereArg->span, {builtinName(builtin), mask->name()});
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
  // dtype= chooses the loop by the type it computes in (NumPy's signature (dtype, ...) ->
  // dtype); the inputs are cast to it by the casting rule.
  std::optional<UfuncLoop> loop =
      dtype ? resolveUfuncLoop(ufunc, dtype,
                               right && ufunc.loops != UfuncLoops::Ldexp ? dtype : right)
            : resolveUfuncLoop(ufunc, left, right);
  if (dtype && loop && loop->result != dtype)
    loop.reset();
  if (!loop) {
    if (dtype) {
      report(DiagKind::UfuncKeyword, dtypeArg->span,
             {"ufunc '" + std::string(ufunc.name) + "' has no loop computing in " + dtype->name()});
      return record(call, unknownType());
    }
    const Type *bad = right && isNumberOrArray(first) && unify(left, right) ? second : first;
    report(DiagKind::BuiltinArgumentType, call->span, {builtinName(builtin), bad->name()});
    return record(call, unknownType());
  }
  const Type *operands[2] = {left, right};
  for (unsigned i = 0; i < ufunc.inputs; ++i)
    if (loop->operands[i] && !canCastUfunc(operands[i], loop->operands[i], *casting)) {
      report(DiagKind::UfuncCasting, call->args[i]->span,
             {ufunc.name, "input " + std::to_string(i), operands[i]->name(),
              loop->operands[i]->name(), ufuncCastingName(*casting)});
      return record(call, unknownType());
    }
  unsigned ndim = broadcastNdim(first, second);
  if (out) {
    // NumPy writes into `out` when the casting rule ('same_kind' unless given) allows the
    // result's type, and its shape is the broadcast shape (checked when running, with
    // NumPy's ValueError).
    if (!out->isArray()) {
      report(DiagKind::BuiltinArgumentType, outArg->span, {builtinName(builtin), out->name()});
      return record(call, unknownType());
    }
    bool timeCast = loop->result->isTimeType() || out->dtype()->isTimeType();
    if (timeCast ? !canConvertTime(loop->result, out->dtype())
                 : !canCastUfunc(loop->result, out->dtype(), *casting)) {
      if (castingArg || dtypeArg)
        report(DiagKind::UfuncCasting, outArg->span,
               {ufunc.name, "output", loop->result->name(), out->dtype()->name(),
                ufuncCastingName(*casting)});
      else
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
