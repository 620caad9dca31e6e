// Values known when compiling: string literals ('mergesort') and dtypes (np.float32, float,
// a.dtype, np.dtype('f8')). Each value is a type of its own and holds nothing at run time;
// comparing them with ==, != or `in` is decided here, so library code that branches on
// `kind == 'mergesort'` compiles only the branch taken, as `axis is None` does.
#include "sema/typer_impl.h"

namespace nogil::sema {

using namespace ast;

const Type *dtypeOfValue(const Type *type) {
  if (type->isDTypeValue())
    return type->dtype();
  if (type->isStringLiteral())
    return dtypeFromString(type->literal());
  return nullptr;
}

const Type *builtinDtype(Builtin builtin) {
  if (const Type *scalar = numpyScalarType(builtin))
    return scalar;
  switch (builtin) {
  case Builtin::Int:
    return int64Type();
  case Builtin::Float:
    return float64Type();
  case Builtin::Bool:
    return boolType();
  case Builtin::Complex:
    return complex128Type();
  default:
    return nullptr;
  }
}

/// The constructor compiled code calls for `t(x)` when `t` holds the dtype `dtype`.
static std::optional<Builtin> dtypeConstructor(const Type *dtype) {
  switch (dtype->kind()) {
  case TypeKind::Bool:
    return Builtin::NpBool;
  case TypeKind::Int8:
    return Builtin::NpInt8;
  case TypeKind::Int16:
    return Builtin::NpInt16;
  case TypeKind::Int32:
    return Builtin::NpInt32;
  case TypeKind::Int64:
    return Builtin::NpInt64;
  case TypeKind::UInt8:
    return Builtin::NpUInt8;
  case TypeKind::UInt16:
    return Builtin::NpUInt16;
  case TypeKind::UInt32:
    return Builtin::NpUInt32;
  case TypeKind::UInt64:
    return Builtin::NpUInt64;
  case TypeKind::Float32:
    return Builtin::NpFloat32;
  case TypeKind::Float64:
    return Builtin::NpFloat64;
  case TypeKind::Complex128:
    return Builtin::Complex;
  case TypeKind::Complex64:
    return Builtin::NpComplex64;
  default:
    return std::nullopt;
  }
}

/// `a == b` when either is a value known when compiling, as Python and NumPy answer it: a
/// dtype equals a dtype of the same type and a string naming it (`a.dtype == 'f8'`); a
/// string equals the same string; anything else is unequal (`'C' == 1` is False). Empty
/// when neither operand is such a value.
static std::optional<bool> literalEquality(const Type *a, const Type *b) {
  if (!a->isCompileTimeValue() && !b->isCompileTimeValue())
    return std::nullopt;
  if (a == b)
    return true;
  if (a->isDTypeValue() || b->isDTypeValue()) {
    const Type *left = dtypeOfValue(a);
    const Type *right = dtypeOfValue(b);
    return left && right && left == right;
  }
  return false;
}

const Type *FunctionTyper::typeLiteralComparison(const CompareExpr *compare) {
  if (compare->ops.size() != 1)
    return nullptr;
  CompareOp op = compare->ops[0];
  bool equality = op == CompareOp::Eq || op == CompareOp::NotEq;
  bool membership = op == CompareOp::In || op == CompareOp::NotIn;
  bool identity = op == CompareOp::Is || op == CompareOp::IsNot; // `type(x) is float`
  if (!equality && !membership && !identity)
    return nullptr;
  const Type *lhs = typeExpr(compare->operands[0]);
  const Type *rhs = typeExpr(compare->operands[1]);
  if (lhs->isUnknown() || rhs->isUnknown() || lhs->isArray() || rhs->isArray())
    return nullptr;
  std::optional<bool> result;
  if (identity) {
    if (!lhs->isDTypeValue() || !rhs->isDTypeValue())
      return nullptr;
    result = lhs == rhs;
  } else if (equality) {
    result = literalEquality(lhs, rhs);
  } else if (lhs->isCompileTimeValue() || rhs->isStringLiteral()) {
    if (rhs->isTuple()) { // `kind in ('quicksort', 'mergesort')`
      bool found = false;
      for (const Type *element : rhs->elements())
        found |= literalEquality(lhs, element).value_or(false);
      result = found;
    } else if (lhs->isStringLiteral() && rhs->isStringLiteral()) { // a substring, as in Python
      result = rhs->literal().find(lhs->literal()) != std::string::npos;
    } else {
      report(DiagKind::UnsupportedOperands, compare->span,
             {spelling(op), lhs->name(), rhs->name()});
      return record(compare, unknownType());
    }
  }
  if (!result)
    return nullptr;
  bool negated = op == CompareOp::NotEq || op == CompareOp::NotIn || op == CompareOp::IsNot;
  out_->constantComparisons[compare->id] = *result != negated;
  return record(compare, boolType());
}

void FunctionTyper::foldDecidedCondition(const Expr *expr) {
  auto decided = [&](const Expr *operand) -> std::optional<bool> {
    auto found = out_->constantComparisons.find(operand->id);
    return found == out_->constantComparisons.end() ? std::nullopt
                                                    : std::optional<bool>(found->second);
  };
  if (auto *unary = dynCast<UnaryExpr>(expr); unary && unary->op == UnaryOp::Not) {
    if (auto operand = decided(unary->operand))
      out_->constantComparisons[expr->id] = !*operand;
    return;
  }
  auto *boolOp = dynCast<BoolOpExpr>(expr);
  if (!boolOp)
    return;
  // Only when every operand is decided: an undecided one may have effects Python runs.
  bool isAnd = boolOp->op == BoolOpKind::And;
  bool result = isAnd;
  for (const Expr *value : boolOp->values) {
    auto operand = decided(value);
    if (!operand)
      return;
    result = isAnd ? result && *operand : result || *operand;
  }
  out_->constantComparisons[expr->id] = result;
}

const Type *FunctionTyper::typeDtypeAttribute(const AttributeExpr *attribute, const Type *owner) {
  const Type *dtype = owner->dtype();
  const std::string &name = attribute->attr;
  if (name == "type") // np.dtype('f8').type is np.float64, a dtype value here too
    return record(attribute, owner);
  if (name == "name" || name == "str" || name == "kind" || name == "char") {
    // NumPy's spellings of each compiled dtype, on the little-endian machines nogil runs on.
    struct Spelling {
      TypeKind kind;
      const char *str, *kindChar, *charCode;
    };
    static const Spelling spellings[] = {
        {TypeKind::Bool, "|b1", "b", "?"},    {TypeKind::Int8, "|i1", "i", "b"},
        {TypeKind::Int16, "<i2", "i", "h"},   {TypeKind::Int32, "<i4", "i", "i"},
        {TypeKind::Int64, "<i8", "i", "l"},   {TypeKind::UInt8, "|u1", "u", "B"},
        {TypeKind::UInt16, "<u2", "u", "H"},  {TypeKind::UInt32, "<u4", "u", "I"},
        {TypeKind::UInt64, "<u8", "u", "L"},  {TypeKind::Float32, "<f4", "f", "f"},
        {TypeKind::Float64, "<f8", "f", "d"}, {TypeKind::Complex128, "<c16", "c", "D"},
    };
    for (const Spelling &spelling : spellings)
      if (spelling.kind == dtype->kind()) {
        std::string text = name == "name"   ? dtype->name()
                           : name == "str"  ? spelling.str
                           : name == "kind" ? spelling.kindChar
                                            : spelling.charCode;
        return record(attribute, stringLiteralType(text));
      }
  }
  if (name == "itemsize") {
    GlobalValue size;
    size.kind = GlobalValue::Kind::Int;
    size.intValue = static_cast<int64_t>(elementBytes(dtype));
    out_->globalConstants[attribute->id] = size;
    return record(attribute, int64Type());
  }
  report(DiagKind::UnsupportedConstruct, attribute->span,
         {"attribute '" + name + "' of a dtype is"});
  return record(attribute, unknownType());
}

const Type *FunctionTyper::typeDtypeCall(const CallExpr *call) {
  if (call->args.size() != 1 || !call->keywordNames.empty()) {
    report(DiagKind::CallArity, call->span,
           {"numpy.dtype", "one argument (a dtype)",
            std::to_string(call->args.size() + call->keywordNames.size()) +
                (call->args.size() + call->keywordNames.size() == 1 ? " was" : " were")});
    return record(call, unknownType());
  }
  const Type *dtype = dtypeArgument(call->args[0]);
  return record(call, dtype ? dtypeValueType(dtype) : unknownType());
}

const Type *FunctionTyper::typeDtypeValueCall(const CallExpr *call, const Type *callee) {
  auto constructor = dtypeConstructor(callee->dtype());
  if (!constructor) {
    report(DiagKind::NotCallable, call->callee->span, {sourceText(call->callee->span)});
    return record(call, unknownType());
  }
  return typeBuiltinCall(call, *constructor);
}

const Type *FunctionTyper::typeScalarView(const CallExpr *call, const Type *owner) {
  const Expr *given =
      call->args.size() == 1 && call->keywordNames.empty() ? call->args[0]
      : call->args.empty() && call->keywordNames.size() == 1 && call->keywordNames[0] == "dtype"
          ? call->keywordValues[0]
          : nullptr;
  if (!given) {
    report(DiagKind::CallArity, call->span,
           {"view", "one argument (a dtype)",
            std::to_string(call->args.size() + call->keywordNames.size()) +
                (call->args.size() + call->keywordNames.size() == 1 ? " was" : " were")});
    return record(call, unknownType());
  }
  const Type *target = dtypeArgument(given);
  if (!target)
    return record(call, unknownType());
  if (elementBytes(target) != elementBytes(owner)) {
    report(DiagKind::ScalarViewSize, call->span,
           {owner->name(), target->name(), std::to_string(elementBytes(owner)),
            std::to_string(elementBytes(target))});
    return record(call, unknownType());
  }
  out_->scalarViews[call->id] = target;
  return record(call, target);
}

const Type *FunctionTyper::typeScalarTypeOfSequence(const CallExpr *call, Builtin builtin,
                                                    const Type *sequence) {
  // The library's implementation (lib/creation.py), chosen like a method of the sequence
  // with the dtype as a second argument, and called with the call's one argument.
  OverloadRequest request;
  request.method = "__numpy_scalar_call__";
  request.args = {sequence, dtypeValueType(numpyScalarType(builtin))};
  OverloadChoice choice = resolveOverload(request);
  if (!choice.unit) {
    report(DiagKind::NoMatchingOverload, call->span,
           {builtinName(builtin), sequence->name(),
            choice.error.empty() ? "no implementation takes these types" : choice.error});
    return record(call, unknownType());
  }
  return typeFunctionCall(call, *choice.unit, nullptr);
}

} // namespace nogil::sema
