// Typing of expressions. An expression whose type cannot be known yet (a recursive call
// being resolved) or that was already reported is Unknown, and Unknown operands make the
// result Unknown silently, so one mistake gives one diagnostic.
#include "sema/datetime.h"
#include "sema/typer_impl.h"

#include <algorithm>
#include <limits>

namespace nogil::sema {

using namespace ast;

namespace {

/// `x ** -3`: a negative integer constant exponent makes the result a float, as in Python.
bool isNegativeIntConstant(const Expr *e) {
  if (auto *unary = dynCast<UnaryExpr>(e))
    if (unary->op == UnaryOp::Neg)
      if (auto *literal = dynCast<IntLiteralExpr>(unary->operand))
        return literal->value > 0;
  return false;
}

const char *pythonTypeName(const GlobalValue &value) {
  switch (value.kind) {
  case GlobalValue::Kind::Int:
    return "int";
  case GlobalValue::Kind::Float:
    return "float";
  case GlobalValue::Kind::Bool:
    return "bool";
  case GlobalValue::Kind::Function:
    return "function";
  case GlobalValue::Kind::Range:
    return "type";
  case GlobalValue::Kind::Builtin:
    return "builtin_function_or_method";
  case GlobalValue::Kind::Module:
    return "module";
  case GlobalValue::Kind::ExceptionClass:
    return "type";
  case GlobalValue::Kind::Constant:
    return value.constantType->name();
  case GlobalValue::Kind::None:
    return "NoneType";
  case GlobalValue::Kind::Overload:
    return "function";
  case GlobalValue::Kind::Unsupported:
    return value.typeName.c_str();
  }
  return "?";
}

} // namespace

const Type *FunctionTyper::record(const Expr *expr, const Type *type) {
  out_->exprTypes[expr->id] = type;
  return type;
}

const Type *FunctionTyper::typeValue(const Expr *expr) {
  const Type *type = typeExpr(expr);
  if (type->isNone()) {
    report(DiagKind::UnsupportedValue, expr->span, {"None"});
    return record(expr, unknownType());
  }
  if (type->isOptional()) {
    // `v + 1` with v None or a number: its value, checked when running, as Numba does.
    if (isa<NameExpr>(expr) || isa<CallExpr>(expr)) {
      out_->optionalUnwraps[expr->id] = type;
      return record(expr, type->dtype());
    }
    report(DiagKind::UnsupportedValue, expr->span,
           {"'" + sourceText(expr->span) + "', of type " + type->name() + ", (None or a value)"});
    return record(expr, unknownType());
  }
  return type;
}

const Type *FunctionTyper::typeOwner(const Expr *expr) {
  const Type *type = typeExpr(expr);
  return type->isOptional() ? typeValue(expr) : type;
}

void FunctionTyper::typeCondition(const Expr *expr) {
  const Type *type = typeExpr(expr);
  if (type->isOptional()) // `if v:`, false when None
    type = type->dtype();
  if (type->isNone() || type->isArray() || type->isRecord() || // ambiguous in NumPy too
      type->isCompileTimeValue())
    report(DiagKind::UnsupportedCondition, expr->span, {type->isNone() ? "None" : type->name()});
  foldDecidedCondition(expr);
}

const Type *FunctionTyper::typeExpr(const Expr *expr) {
  out_->optionalUnwraps.erase(expr->id); // typeValue marks it again where a value is needed
  switch (expr->kind) {
  case ExprKind::Name:
    return typeName(cast<NameExpr>(expr));
  case ExprKind::IntLiteral:
    return record(expr, int64Type());
  case ExprKind::ComplexLiteral:
    return record(expr, complex128Type());
  case ExprKind::FloatLiteral:
    return record(expr, float64Type());
  case ExprKind::BoolLiteral:
    return record(expr, boolType());
  case ExprKind::NoneLiteral:
    return record(expr, noneType());
  case ExprKind::EllipsisLiteral:
    report(DiagKind::UnsupportedConstruct, expr->span, {"'...' outside an array index is"});
    return record(expr, unknownType());
  case ExprKind::Binary:
    return typeBinary(cast<BinaryExpr>(expr));
  case ExprKind::Unary:
    return typeUnary(cast<UnaryExpr>(expr));
  case ExprKind::BoolOp:
    return typeBoolOp(cast<BoolOpExpr>(expr));
  case ExprKind::Compare:
    return typeCompare(cast<CompareExpr>(expr));
  case ExprKind::Call:
    return typeCall(cast<CallExpr>(expr));
  case ExprKind::IfElse:
    return typeIfElse(cast<IfElseExpr>(expr));
  case ExprKind::Tuple: {
    std::vector<const Type *> elements;
    bool unknown = false;
    for (const Expr *element : cast<TupleExpr>(expr)->elements) {
      elements.push_back(typeValue(element));
      unknown |= elements.back()->isUnknown();
    }
    return record(expr, unknown ? unknownType() : tupleType(elements));
  }
  case ExprKind::Subscript:
    return typeSubscript(cast<SubscriptExpr>(expr));
  case ExprKind::Slice: // only inside an array subscript, typed there
    report(DiagKind::UnsupportedConstruct, expr->span, {"slices outside an array subscript are"});
    return record(expr, unknownType());
  case ExprKind::Attribute:
    return typeAttribute(cast<AttributeExpr>(expr));
  case ExprKind::StringLiteral: // a value known when compiling: 'mergesort', 'f8'
    return record(expr, stringLiteralType(cast<StringLiteralExpr>(expr)->value));
  case ExprKind::FormattedString:
    report(DiagKind::UnsupportedConstruct, expr->span, {"strings are"});
    return record(expr, unknownType());
  case ExprKind::Unsupported:
    report(DiagKind::UnsupportedConstruct, expr->span, {cast<UnsupportedExpr>(expr)->what});
    return record(expr, unknownType());
  }
  return record(expr, unknownType());
}

const Type *FunctionTyper::typeName(const NameExpr *name) {
  int32_t slot = localIndex(name->name);
  if (slot >= 0) {
    out_->localSlots[name->id] = slot;
    const Type *type = out_->localTypes[slot];
    if (type->isUnknown() && !unresolvedRecursion_ && diagnostics_ && diagnostics_->empty())
      report(DiagKind::UnboundLocal, name->span, {name->name});
    return record(name, type);
  }
  if (std::find(exceptionNames_.begin(), exceptionNames_.end(), name->name) !=
      exceptionNames_.end()) {
    report(DiagKind::ExceptionObjectUsed, name->span, {name->name});
    return record(name, unknownType());
  }
  auto found = unit_.environment.find(name->name);
  if (found == unit_.environment.end()) {
    report(DiagKind::UndefinedName, name->span, {name->name});
    return record(name, unknownType());
  }
  const GlobalValue &value = found->second;
  switch (value.kind) {
  case GlobalValue::Kind::Int:
    return record(name, int64Type());
  case GlobalValue::Kind::Float:
    return record(name, float64Type());
  case GlobalValue::Kind::Bool:
    return record(name, boolType());
  case GlobalValue::Kind::Constant:
    return record(name, value.constantType);
  case GlobalValue::Kind::None:
    return record(name, noneType());
  case GlobalValue::Kind::Builtin: // np.float32, float, ...: a dtype as a value
    if (const Type *dtype = builtinDtype(value.builtin))
      return record(name, dtypeValueType(dtype));
    return record(name, builtinValue(value.builtin));
  case GlobalValue::Kind::Function:
    return record(name, functionValueType(value.function));
  case GlobalValue::Kind::Range:
  case GlobalValue::Kind::Overload:
    report(DiagKind::FunctionAsValue, name->span, {name->name});
    return record(name, unknownType());
  case GlobalValue::Kind::Module:
  case GlobalValue::Kind::ExceptionClass:
  case GlobalValue::Kind::Unsupported:
    report(DiagKind::UnsupportedGlobal, name->span, {name->name, pythonTypeName(value)});
    return record(name, unknownType());
  }
  return record(name, unknownType());
}

const Type *FunctionTyper::binaryResult(BinaryOp op, const Type *lhs, const Type *rhs,
                                        const Expr *rhsExpr) {
  if (lhs->isTimeType() || rhs->isTimeType())
    return timeBinaryResult(op, lhs, rhs);
  if (lhs->isComplex() || rhs->isComplex()) {
    bool operands =
        (lhs->isNumeric() || lhs->isComplex()) && (rhs->isNumeric() || rhs->isComplex());
    bool arithmetic = op == BinaryOp::Add || op == BinaryOp::Sub || op == BinaryOp::Mul ||
                      op == BinaryOp::Div || op == BinaryOp::Pow;
    return operands && arithmetic ? unify(lhs, rhs) : nullptr;
  }
  if (!lhs->isNumeric() || !rhs->isNumeric())
    return nullptr;
  bool integral = lhs->isIntegral() && rhs->isIntegral();
  // Arithmetic on two bools gives an int, as in Python; otherwise NumPy's promotion (which
  // for Python's int and float, int64 and float64, is Python's).
  const Type *promoted = lhs == boolType() && rhs == boolType() ? int64Type() : unify(lhs, rhs);
  switch (op) {
  case BinaryOp::Add:
  case BinaryOp::Sub:
  case BinaryOp::Mul:
  case BinaryOp::FloorDiv:
  case BinaryOp::Mod:
    return promoted;
  case BinaryOp::Div:
    // Integers divide as float64; floats keep their promoted width (float32 / float32).
    return integral ? float64Type() : promoted;
  case BinaryOp::Pow:
    return integral && isNegativeIntConstant(rhsExpr) ? float64Type() : promoted;
  case BinaryOp::BitAnd:
  case BinaryOp::BitOr:
  case BinaryOp::BitXor:
    // A signed integer and a uint64 promote to float64, which has no bits to combine (NumPy
    // refuses them too).
    if (!integral || !promoted->isIntegral())
      return nullptr;
    return lhs == boolType() && rhs == boolType() ? boolType() : promoted;
  case BinaryOp::LShift:
  case BinaryOp::RShift:
    return integral && promoted->isIntegral() ? promoted : nullptr;
  case BinaryOp::MatMul:
    return nullptr;
  }
  return nullptr;
}

namespace {

/// bool < integers < floats: the kinds NumPy promotes a Python scalar across.
int kindRank(const Type *type) {
  return type->isComplex() ? 3 : type->isFloat() ? 2 : type->isInteger() ? 1 : 0;
}

/// A number compiled code computes with: real or complex, or a datetime64 or timedelta64.
bool isNumber(const Type *type) {
  return type->isNumeric() || type->isComplex() || type->isTimeType();
}

} // namespace

/// The element type an operand of an elementwise operation acts as: an array its dtype; a
/// scalar, as NumPy 2 treats a Python number next to an array, the array's dtype when it is
/// of a kind at least as wide (a float32 array times 2.5 stays float32), else its own.
const Type *elementOperand(const Type *operand, const Type *other) {
  if (operand->isArray())
    return operand->dtype();
  const Type *array = other->isArray() ? other->dtype() : nullptr;
  // Datetimes keep their units and an int next to them counts in their unit (datetime.h).
  if (array && !array->isTimeType() && !operand->isTimeType() &&
      kindRank(operand) <= kindRank(array))
    return array;
  if (array && operand->isComplex() && array->kind() == TypeKind::Float32)
    return complex64Type(); // a float32 array times 1j: complex64, as NumPy 2
  return operand;
}

unsigned broadcastNdim(const Type *a, const Type *b) {
  return std::max(a->isArray() ? a->ndim() : 0u, b->isArray() ? b->ndim() : 0u);
}

const Type *FunctionTyper::typeBinary(const BinaryExpr *binary) {
  const Type *lhs = typeValue(binary->lhs);
  const Type *rhs = typeValue(binary->rhs);
  if (lhs->isUnknown() || rhs->isUnknown())
    return record(binary, unknownType());
  if (lhs->isTuple() || rhs->isTuple())
    return record(binary,
                  typeTupleBinary(binary->op, lhs, rhs, binary->lhs, binary->rhs, binary->span));
  if (binary->op == BinaryOp::MatMul && (lhs->isArray() || rhs->isArray())) {
    const Type *product = matrixProductType(Builtin::NpMatmul, lhs, rhs);
    if (!product)
      report(DiagKind::UnsupportedOperands, binary->span, {"@", lhs->name(), rhs->name()});
    return record(binary, product ? product : unknownType());
  }
  if (lhs->isArray() || rhs->isArray()) {
    // Elementwise, with broadcasting: the element types promote, the result is a new array.
    const Type *left = elementOperand(lhs, rhs);
    const Type *right = elementOperand(rhs, lhs);
    // Complex `**` of arrays is NumPy's np.power (its own algorithm), not CPython's.
    bool complexPower = binary->op == BinaryOp::Pow && (left->isComplex() || right->isComplex());
    const Type *element = isNumber(left) && isNumber(right) && !complexPower
                              ? binaryResult(binary->op, left, right, nullptr)
                              : nullptr;
    if (!element) {
      report(DiagKind::UnsupportedOperands, binary->span,
             {spelling(binary->op), lhs->name(), rhs->name()});
      return record(binary, unknownType());
    }
    out_->elementOperands[binary->id] = {left, right};
    return record(binary, arrayType(element, broadcastNdim(lhs, rhs), Layout::C, false));
  }
  const Type *result = binaryResult(binary->op, lhs, rhs, binary->rhs);
  if (!result) {
    report(DiagKind::UnsupportedOperands, binary->span,
           {spelling(binary->op), lhs->name(), rhs->name()});
    return record(binary, unknownType());
  }
  return record(binary, result);
}

const Type *FunctionTyper::typeUnary(const UnaryExpr *unary) {
  if (unary->op == UnaryOp::Not) {
    typeCondition(unary->operand);
    return record(unary, boolType());
  }
  const Type *operand = typeValue(unary->operand);
  if (operand->isUnknown())
    return record(unary, unknownType());
  if (operand->isArray()) {
    const Type *dtype = operand->dtype();
    // ~ of bools is `not`; - and + of bools are errors in NumPy, ~ of floats everywhere; a
    // timedelta takes - and +, a datetime neither.
    bool refused = dtype->kind() == TypeKind::Bool ? unary->op != UnaryOp::Invert
                   : dtype->isTimeType()
                       ? dtype->isDatetime() || unary->op == UnaryOp::Invert
                       : (dtype->isFloat() || dtype->isComplex()) && unary->op == UnaryOp::Invert;
    if (refused) {
      report(DiagKind::UnsupportedOperand, unary->span, {spelling(unary->op), operand->name()});
      return record(unary, unknownType());
    }
    return record(unary, arrayType(dtype, operand->ndim(), Layout::C, false));
  }
  if ((operand->isFloat() || operand->isComplex() || operand->isTimedelta()) &&
      unary->op != UnaryOp::Invert)
    return record(unary, operand);
  if (operand->isIntegral()) // -True is -1, as in Python
    return record(unary, operand == boolType() ? int64Type() : operand);
  report(DiagKind::UnsupportedOperand, unary->span, {spelling(unary->op), operand->name()});
  return record(unary, unknownType());
}

const Type *FunctionTyper::typeBoolOp(const BoolOpExpr *boolOp) {
  const Type *result = unknownType();
  bool unknown = false;
  bool known = false;
  for (const Expr *value : boolOp->values) {
    const Type *type = typeValue(value);
    foldDecidedCondition(value); // `(kind == 'a' or kind == 'b') and ...`
    known |= !type->isUnknown();
    unknown |= type->isUnknown();
    if (type->isArray()) { // `and`/`or` need a truth value, which an array does not have
      report(DiagKind::UnsupportedCondition, value->span, {type->name()});
      return record(boolOp, unknownType());
    }
    const Type *unified = unify(result, type);
    if (!unified) {
      report(DiagKind::UnsupportedOperands, boolOp->span,
             {spelling(boolOp->op), result->name(), type->name()});
      return record(boolOp, unknownType());
    }
    result = unified;
  }
  // As in typeIfElse: operands that do not recurse seed a recursion's fixed point.
  if (unknown && known && unresolvedRecursion_)
    return record(boolOp, result);
  return record(boolOp, unknown ? unknownType() : result);
}

const Type *FunctionTyper::typeCompare(const CompareExpr *compare) {
  // `a.dtype == np.float64`, `kind == 'mergesort'`: decided when compiling, as each dtype
  // and each string constant is its own specialization.
  if (const Type *decided = typeLiteralComparison(compare))
    return decided;
  // `axis is None`: a value whose type is not None never is None, so the test is decided
  // when compiling, and `if axis is None:` compiles only the branch taken.
  if (const Type *tested = typeNoneTest(compare))
    return tested;
  if (compare->ops.size() == 1 &&
      (compare->ops[0] == CompareOp::In || compare->ops[0] == CompareOp::NotIn) &&
      typeValue(compare->operands[1])->isArray())
    return typeArrayContains(compare);
  std::vector<const Type *> operands;
  for (const Expr *operand : compare->operands)
    operands.push_back(typeValue(operand));
  bool anyArray = false;
  for (const Type *operand : operands)
    anyArray |= operand->isArray();
  if (anyArray) {
    const Type *lhs = operands[0];
    const Type *rhs = operands[1];
    for (CompareOp op : compare->ops)
      if (op == CompareOp::Is || op == CompareOp::IsNot || op == CompareOp::In ||
          op == CompareOp::NotIn) {
        report(DiagKind::UnsupportedConstruct, compare->span,
               {std::string("'") + spelling(op) + "' with an array operand is"});
        return record(compare, unknownType());
      }
    if (compare->ops.size() > 1) {
      report(DiagKind::UnsupportedConstruct, compare->span, {"chained comparisons of arrays are"});
      return record(compare, unknownType());
    }
    if (lhs->isUnknown() || rhs->isUnknown())
      return record(compare, unknownType());
    const Type *left = elementOperand(lhs, rhs);
    const Type *right = elementOperand(rhs, lhs);
    bool complexEquality =
        (left->isComplex() || right->isComplex()) &&
        (compare->ops[0] == CompareOp::Eq || compare->ops[0] == CompareOp::NotEq);
    bool timeRefused = (left->isTimeType() || right->isTimeType()) && !timeCompareType(left, right);
    if (!isNumber(left) || !isNumber(right) || timeRefused ||
        ((left->isComplex() || right->isComplex()) && !complexEquality)) {
      report(DiagKind::UnsupportedOperands, compare->span,
             {spelling(compare->ops[0]), lhs->name(), rhs->name()});
      return record(compare, unknownType());
    }
    out_->elementOperands[compare->id] = {left, right};
    return record(compare, arrayType(boolType(), broadcastNdim(lhs, rhs), Layout::C, false));
  }
  bool unknown = false;
  for (size_t i = 0; i < compare->ops.size(); ++i) {
    CompareOp op = compare->ops[i];
    const Type *lhs = operands[i];
    const Type *rhs = operands[i + 1];
    bool membership = op == CompareOp::In || op == CompareOp::NotIn;
    if (lhs->isUnknown() || rhs->isUnknown()) {
      unknown = true;
      continue;
    }
    if (membership && rhs->isTuple()) { // `x in t`: x == some element, as Python tests it
      for (const Type *element : rhs->elements())
        if (!tuplesCompare(CompareOp::Eq, lhs, element)) {
          report(DiagKind::UnsupportedOperands, compare->span,
                 {spelling(op), lhs->name(), rhs->name()});
          break;
        }
      continue;
    }
    if (op == CompareOp::Is || op == CompareOp::IsNot || membership) {
      report(DiagKind::UnsupportedConstruct, compare->span,
             {std::string("'") + spelling(op) + "' comparisons are"});
      return record(compare, unknownType());
    }
    if (lhs->isTuple() || rhs->isTuple()) {
      if (!tuplesCompare(op, lhs, rhs))
        report(DiagKind::UnsupportedOperands, compare->span,
               {spelling(op), lhs->name(), rhs->name()});
      continue;
    }
    bool complexEquality = (lhs->isComplex() || rhs->isComplex()) &&
                           (op == CompareOp::Eq || op == CompareOp::NotEq) &&
                           sema::unify(lhs, rhs) && sema::unify(lhs, rhs)->isComplex();
    if (lhs->isTimeType() || rhs->isTimeType()) {
      if (!timeCompareType(lhs, rhs))
        report(DiagKind::UnsupportedOperands, compare->span,
               {spelling(op), lhs->name(), rhs->name()});
      continue;
    }
    if (!complexEquality && (!lhs->isNumeric() || !rhs->isNumeric()))
      report(DiagKind::UnsupportedOperands, compare->span,
             {spelling(op), lhs->name(), rhs->name()});
  }
  return record(compare, unknown ? unknownType() : boolType());
}

const Type *FunctionTyper::typeIfElse(const IfElseExpr *ifElse) {
  typeCondition(ifElse->condition);
  // `x if c else None`: None and optional values too, as an assignment takes them.
  const Type *thenType = typeExpr(ifElse->thenValue);
  const Type *elseType = typeExpr(ifElse->elseValue);
  // While a recursion resolves, the branch that does not recurse seeds the fixed point
  // (`0 if n == 0 else d(n - 1) + 1`); later passes unify in the recursive branch's type.
  if (unresolvedRecursion_ && thenType->isUnknown() != elseType->isUnknown())
    return record(ifElse, thenType->isUnknown() ? elseType : thenType);
  if (thenType->isUnknown() || elseType->isUnknown())
    return record(ifElse, unknownType());
  const Type *result = unify(thenType, elseType);
  if (!result) {
    report(DiagKind::UnsupportedOperands, ifElse->span,
           {"if-else", thenType->name(), elseType->name()});
    return record(ifElse, unknownType());
  }
  return record(ifElse, result);
}

const GlobalValue *FunctionTyper::globalOf(const Expr *expr) const {
  auto dotted =
      dottedGlobalName(expr, [&](const NameExpr *name) { return localIndex(name->name) >= 0; });
  if (!dotted)
    return nullptr;
  auto found = unit_.environment.find(*dotted);
  return found == unit_.environment.end() ? nullptr : &found->second;
}

const GlobalValue *globalOf(const FunctionUnit &unit, const TypedFunction &typed,
                            const Expr *expr) {
  auto dotted =
      dottedGlobalName(expr, [&](const NameExpr *name) { return typed.localOf(name) >= 0; });
  if (!dotted)
    return nullptr;
  auto found = unit.environment.find(*dotted);
  return found == unit.environment.end() ? nullptr : &found->second;
}

const GlobalValue *FunctionTyper::moduleOf(const Expr *expr) const {
  const GlobalValue *value = globalOf(expr);
  return value && value->kind == GlobalValue::Kind::Module ? value : nullptr;
}

const Type *FunctionTyper::typeAttribute(const AttributeExpr *attribute) {
  if (const GlobalValue *global = globalOf(attribute);
      global && global->kind != GlobalValue::Kind::Module) {
    std::string dotted = sourceText(attribute->span);
    switch (global->kind) {
    case GlobalValue::Kind::Int:
    case GlobalValue::Kind::Float:
    case GlobalValue::Kind::Bool:
    case GlobalValue::Kind::None:
      out_->globalConstants[attribute->id] = *global;
      return record(attribute, global->kind == GlobalValue::Kind::None    ? noneType()
                               : global->kind == GlobalValue::Kind::Int   ? int64Type()
                               : global->kind == GlobalValue::Kind::Float ? float64Type()
                                                                          : boolType());
    case GlobalValue::Kind::Constant:
      if (global->constantType->isCompileTimeValue()) // np.complex128, module.KIND = 'stable'
        return record(attribute, global->constantType);
      if (global->constantType->isComplex()) { // cmath.infj: frozen as a float is
        out_->globalConstants[attribute->id] = *global;
        return record(attribute, global->constantType);
      }
      break;
    case GlobalValue::Kind::Builtin:
      if (const Type *dtype = builtinDtype(global->builtin)) // np.float32 as a value
        return record(attribute, dtypeValueType(dtype));
      return record(attribute, builtinValue(global->builtin));
    case GlobalValue::Kind::Function: // module.func
      return record(attribute, functionValueType(global->function));
    case GlobalValue::Kind::Range:
    case GlobalValue::Kind::Overload:
      report(DiagKind::FunctionAsValue, attribute->span, {dotted});
      return record(attribute, unknownType());
    default:
      break;
    }
    report(DiagKind::UnsupportedGlobal, attribute->span, {dotted, pythonTypeName(*global)});
    return record(attribute, unknownType());
  }
  const GlobalValue *module = moduleOf(attribute->value);
  if (!module) {
    if (const Type *flag = typeFlag(attribute))
      return flag;
    const Type *owner = typeOwner(attribute->value);
    if (owner->isUnknown())
      return record(attribute, unknownType());
    if (owner->isRecord())
      return typeRecordAttribute(attribute, owner);
    if (owner->isDTypeValue())
      return typeDtypeAttribute(attribute, owner);
    if (attribute->attr == "dtype" &&
        (owner->isArray() || owner->isNumeric() || owner->isComplex()))
      return record(attribute, dtypeValueType(owner->isArray() ? owner->dtype() : owner));
    if (attribute->attr == "real" || attribute->attr == "imag") {
      if (owner->isComplex())
        return record(attribute, complexPartType(owner));
      if (owner->isNumeric()) // (2.5).imag is 0.0; a bool's parts are ints
        return record(attribute, owner == boolType() ? int64Type() : owner);
    }
    if (owner->isArray()) {
      if (const Type *memory = typeMemoryAttribute(attribute, owner))
        return memory;
      const std::string &name = attribute->attr;
      if (name == "ndim" || name == "size")
        return record(attribute, int64Type());
      if (name == "shape")
        return record(attribute, tupleType(std::vector<const Type *>(owner->ndim(), int64Type())));
      if (name == "T") { // a view with the axes reversed: C order becomes Fortran order
        Layout layout = owner->layout() == Layout::C   ? Layout::F
                        : owner->layout() == Layout::F ? Layout::C
                                                       : Layout::Any;
        if (owner->ndim() <= 1)
          layout = owner->layout();
        return record(attribute,
                      arrayType(owner->dtype(), owner->ndim(), layout, owner->readonly()));
      }
      report(DiagKind::UnknownArrayAttribute, attribute->span, {name});
      return record(attribute, unknownType());
    }
    report(DiagKind::UnsupportedConstruct, attribute->span, {"attribute access is"});
    return record(attribute, unknownType());
  }
  if (auto constant = findModuleConstant(module->moduleName, attribute->attr)) {
    out_->constants[attribute->id] = *constant;
    return record(attribute, float64Type());
  }
  if (auto builtin = findBuiltin(module->moduleName, attribute->attr)) {
    if (const Type *dtype = builtinDtype(*builtin))
      return record(attribute, dtypeValueType(dtype));
    return record(attribute, builtinValue(*builtin)); // math.sin as a value
  } else {
    report(DiagKind::UnknownModuleMember, attribute->span, {module->moduleName, attribute->attr});
  }
  return record(attribute, unknownType());
}

std::optional<Builtin> FunctionTyper::builtinCallee(const Expr *callee) {
  if (const GlobalValue *global = globalOf(callee))
    return global->kind == GlobalValue::Kind::Builtin ? std::optional(global->builtin)
                                                      : std::nullopt;
  if (auto *attribute = dynCast<AttributeExpr>(callee)) {
    const GlobalValue *module = moduleOf(attribute->value);
    if (!module)
      return std::nullopt;
    auto builtin = findBuiltin(module->moduleName, attribute->attr);
    if (!builtin && !findModuleConstant(module->moduleName, attribute->attr))
      report(DiagKind::UnknownModuleMember, attribute->span, {module->moduleName, attribute->attr});
    return builtin;
  }
  auto *name = dynCast<NameExpr>(callee);
  if (!name || localIndex(name->name) >= 0)
    return std::nullopt;
  auto found = unit_.environment.find(name->name);
  if (found == unit_.environment.end() || found->second.kind != GlobalValue::Kind::Builtin)
    return std::nullopt;
  return found->second.builtin;
}

/// The value of `e` when it is an int constant: `2`, `-1`.
std::optional<int64_t> constantInt(const Expr *e) {
  if (auto *literal = dynCast<IntLiteralExpr>(e))
    return literal->value;
  if (auto *unary = dynCast<UnaryExpr>(e); unary && unary->op == UnaryOp::Neg)
    if (auto *literal = dynCast<IntLiteralExpr>(unary->operand))
      return -literal->value;
  return std::nullopt;
}

bool FunctionTyper::isNewAxis(const Expr *index) {
  if (isa<NoneLiteralExpr>(index))
    return true;
  auto *attribute = dynCast<AttributeExpr>(index);
  const GlobalValue *module = attribute ? moduleOf(attribute->value) : nullptr;
  return module && module->moduleName == "numpy" && attribute->attr == "newaxis";
}

const Type *FunctionTyper::typeArraySubscript(const SubscriptExpr *subscript, const Type *array) {
  if (array->dtype()->isRecord() && namesField(subscript->index))
    return typeFieldView(subscript, array);
  if (const Expr *owner = flatIteratorOwner(subscript))
    return typeFlatIndexCall(subscript, owner, nullptr);
  if (hasArrayIndex(subscript))
    return typeIndexCall(subscript, array, nullptr);
  std::vector<const Expr *> indices;
  if (auto *tuple = dynCast<TupleExpr>(subscript->index))
    indices.assign(tuple->elements.begin(), tuple->elements.end());
  else
    indices.push_back(subscript->index);
  size_t slices = 0;
  size_t newAxes = 0;
  size_t consumed = 0; // dimensions of the array that integers and slices index
  const Expr *ellipsis = nullptr;
  std::vector<const Expr *> layoutIndices; // new axes as null
  for (const Expr *index : indices) {
    layoutIndices.push_back(isNewAxis(index) ? nullptr : index);
    if (isNewAxis(index)) {
      ++newAxes;
      record(index, noneType());
      continue;
    }
    if (isa<EllipsisLiteralExpr>(index)) {
      if (ellipsis) { // NumPy's IndexError, found when compiling
        report(DiagKind::UnsupportedConstruct, index->span,
               {"an index with more than one ellipsis ('...') is"});
        return record(subscript, unknownType());
      }
      ellipsis = index;
      record(index, noneType());
      continue;
    }
    ++consumed;
    std::vector<const Expr *> parts{index};
    if (auto *slice = dynCast<SliceExpr>(index)) {
      ++slices;
      record(slice, noneType());
      parts = {slice->lower, slice->upper, slice->step};
    }
    for (const Expr *part : parts) {
      if (!part)
        continue;
      const Type *type = typeValue(part);
      if (type->isUnknown())
        return record(subscript, unknownType());
      if (!type->isIntegral()) {
        report(DiagKind::ArrayIndexType, part->span, {type->name()});
        return record(subscript, unknownType());
      }
      // NumPy reads a[True] as a new axis of length 1 (a[False]: of length 0), not as a[1].
      if (type->kind() == TypeKind::Bool && part == index) {
        report(DiagKind::UnsupportedConstruct, part->span,
               {"indexing an array with a bool (NumPy's a[True] adds an axis) is"});
        return record(subscript, unknownType());
      }
    }
  }
  if (consumed > array->ndim()) {
    report(DiagKind::ArrayIndexCount, subscript->index->span,
           {array->name(), std::to_string(consumed)});
    return record(subscript, unknownType());
  }
  if (consumed == array->ndim() && slices == 0 && newAxes == 0 && !ellipsis)
    return record(subscript, array->dtype());
  return record(subscript,
                arrayType(array->dtype(),
                          static_cast<unsigned>(newAxes + array->ndim() - (consumed - slices)),
                          subscriptLayout(array, layoutIndices), array->readonly()));
}

Layout subscriptLayout(const Type *array, const std::vector<const Expr *> &indices) {
  // New axes have length one: they never break contiguity. A C-order array stays C-order
  // when integers come first, then at most one slice without a step, then only whole
  // dimensions; an index of whole dimensions only keeps any layout.
  bool keepsCOrder = array->layout() == Layout::C;
  bool wholeOnly = true;
  bool sliced = false;
  for (const Expr *index : indices) {
    if (!index) // a new axis
      continue;
    if (isa<EllipsisLiteralExpr>(index)) {
      sliced = true;
      continue;
    }
    if (auto *slice = dynCast<SliceExpr>(index)) {
      bool whole = !slice->lower && !slice->upper && !slice->step;
      keepsCOrder &= whole || (!sliced && !slice->step);
      wholeOnly &= whole;
      sliced = true;
      continue;
    }
    keepsCOrder &= !sliced;
    wholeOnly = false;
  }
  if (wholeOnly)
    return array->layout();
  return keepsCOrder ? Layout::C : Layout::Any;
}

const Type *FunctionTyper::typeSubscript(const SubscriptExpr *subscript) {
  const Type *value = typeValue(subscript->value);
  if (value->isArray())
    return typeArraySubscript(subscript, value);
  if (value->isRecord())
    return typeRecordSubscript(subscript, value);
  if (value->isTuple() && isa<SliceExpr>(subscript->index))
    return typeTupleSlice(subscript, value);
  const Type *index = typeValue(subscript->index);
  if (value->isUnknown() || index->isUnknown())
    return record(subscript, unknownType());
  if (!value->isTuple()) {
    report(DiagKind::UnsupportedConstruct, subscript->span,
           {std::string("subscripts of ") + value->name() + " are"});
    return record(subscript, unknownType());
  }
  if (!index->isIntegral()) {
    report(DiagKind::TupleIndexType, subscript->index->span, {index->name()});
    return record(subscript, unknownType());
  }
  const auto &elements = value->elements();
  if (auto constant = constantInt(subscript->index)) {
    auto size = static_cast<int64_t>(elements.size());
    int64_t position = *constant < 0 ? *constant + size : *constant;
    if (position < 0 || position >= size) {
      report(DiagKind::TupleIndex, subscript->index->span,
             {std::to_string(*constant), value->name()});
      return record(subscript, unknownType());
    }
    out_->constantIndices[subscript->id] = static_cast<uint32_t>(position);
    return record(subscript, elements[static_cast<size_t>(position)]);
  }
  for (const Type *element : elements)
    if (element != elements.front()) {
      report(DiagKind::DynamicTupleIndex, subscript->index->span, {value->name()});
      return record(subscript, unknownType());
    }
  if (elements.empty()) {
    report(DiagKind::TupleIndex, subscript->index->span, {"any", value->name()});
    return record(subscript, unknownType());
  }
  return record(subscript, elements.front());
}

bool FunctionTyper::typeText(const Expr *expr, bool numbersToo) {
  if (isa<StringLiteralExpr>(expr))
    return true;
  if (isa<UnsupportedExpr>(expr)) { // an f-string with a format spec, reported as such
    typeExpr(expr);
    return true;
  }
  if (auto *formatted = dynCast<FormattedStringExpr>(expr)) {
    bool ok = true;
    for (const Expr *part : formatted->parts)
      ok &= typeText(part, true);
    return ok;
  }
  if (!numbersToo) // a string constant by name: `raise ValueError(MESSAGE)`
    return typeExpr(expr)->isStringLiteral();
  const Type *type = typeValue(expr);
  if (type->isArray() || type->isTuple() || type->isComplex() || type->isTimeType()) {
    report(DiagKind::UnsupportedConstruct, expr->span,
           {std::string("printing or formatting ") +
            (type->isArray()     ? "arrays"
             : type->isTuple()   ? "tuples"
             : type->isComplex() ? "complex numbers"
                                 : "datetime64 and timedelta64 values") +
            " is"});
    return true; // reported
  }
  return !type->isUnknown();
}

const Type *FunctionTyper::typeBuiltinCall(const CallExpr *call, Builtin builtin) {
  if (builtin == Builtin::NpDtype)
    return typeDtypeCall(call);
  if (builtin == Builtin::Type || builtin == Builtin::IsInstance || builtin == Builtin::HasAttr)
    return typeTypeQuery(call, builtin);
  if (isClassBuiltin(builtin)) {
    report(DiagKind::UnsupportedConstruct, call->span,
           {std::string("calling ") + builtinName(builtin) + " is"});
    return record(call, unknownType());
  }
  if (numpyScalarType(builtin) && call->args.size() == 1 && call->keywordNames.empty()) {
    const Type *arg = typeExpr(call->args[0]);
    if (arg->isTuple() || arg->isArray()) // np.float32((1, 2)) is an array, as in NumPy
      return typeScalarTypeOfSequence(call, builtin, arg);
  }
  if (builtin == Builtin::Enumerate || builtin == Builtin::Zip) {
    report(DiagKind::UnsupportedConstruct, call->span,
           {std::string(builtinName(builtin)) + "() outside a 'for' loop is"});
    return record(call, unknownType());
  }
  if (isArrayReduction(builtin))
    return typeArrayReduction(call, builtin, nullptr);
  if (isMatrixProduct(builtin))
    return typeMatrixProduct(call, builtin, nullptr);
  if (isArrayAllocation(builtin))
    return typeArrayAllocation(call, builtin, nullptr);
  if (isElementwiseFunction(builtin))
    return typeUfuncCall(call, builtin);
  if (!call->keywordNames.empty()) {
    report(DiagKind::UnsupportedConstruct, call->keywordSpans.front(),
           {"keyword argument '" + call->keywordNames.front() + "' of " + builtinName(builtin) +
            "() is"});
    return record(call, unknownType());
  }
  if (std::string_view untaken = untakenParameter(builtin, call->args.size() - 1);
      !call->args.empty() && !untaken.empty()) {
    report(DiagKind::UnsupportedConstruct, call->args.back()->span,
           {"argument '" + std::string(untaken) + "' of " + builtinName(builtin) + "() is"});
    return record(call, unknownType());
  }
  if ((builtin == Builtin::Min || builtin == Builtin::Max) && call->args.size() == 1) {
    report(DiagKind::UnsupportedConstruct, call->span,
           {std::string(builtinName(builtin)) + "() of one iterable (use numpy." +
            builtinName(builtin) + "() for an array) is"});
    return record(call, unknownType());
  }
  if (builtin == Builtin::Len && call->args.size() == 1) {
    const Type *arg = typeValue(call->args[0]);
    if (arg->isUnknown())
      return record(call, unknownType());
    if (arg->isTuple() || (arg->isArray() && arg->ndim() > 0)) {
      out_->builtinCalls[call->id] = builtin;
      return record(call, int64Type());
    }
  }
  if (builtin == Builtin::Tuple && call->args.size() <= 1) { // tuple(), tuple(t) of a tuple
    const Type *arg = call->args.empty() ? tupleType({}) : typeValue(call->args[0]);
    if (arg->isUnknown())
      return record(call, unknownType());
    if (arg->isTuple()) {
      out_->builtinCalls[call->id] = builtin;
      return record(call, arg);
    }
  }
  if (builtin == Builtin::Print) {
    for (const Expr *arg : call->args)
      typeText(arg, true);
    out_->builtinCalls[call->id] = builtin;
    return record(call, noneType());
  }
  std::vector<const Type *> argTypes;
  for (const Expr *arg : call->args) {
    argTypes.push_back(typeValue(arg));
    if (argTypes.back()->isUnknown())
      return record(call, unknownType());
  }
  if (builtin == Builtin::Abs && argTypes.size() == 1 && argTypes[0]->isComplex()) {
    out_->builtinCalls[call->id] = builtin;
    return record(call, complexPartType(argTypes[0]));
  }
  bool negativeExponent = call->args.size() == 2 && isNegativeIntConstant(call->args[1]);
  BuiltinTyping typing = typeBuiltin(builtin, argTypes, negativeExponent);
  if (typing.misuse) {
    const BuiltinMisuse &misuse = *typing.misuse;
    if (misuse.kind == BuiltinMisuse::Kind::Arity) {
      size_t given = call->args.size();
      report(DiagKind::CallArity, call->span,
             {builtinName(builtin), misuse.expected,
              std::to_string(given) + (given == 1 ? " was" : " were")});
    } else {
      report(DiagKind::BuiltinArgumentType, call->span,
             {builtinName(builtin), misuse.badArg->name()});
    }
    return record(call, unknownType());
  }
  out_->builtinCalls[call->id] = builtin;
  return record(call, typing.result);
}

const Type *defaultType(const GlobalValue &value) {
  switch (value.kind) {
  case GlobalValue::Kind::Int:
    return int64Type();
  case GlobalValue::Kind::Float:
    return float64Type();
  case GlobalValue::Kind::Bool:
    return boolType();
  case GlobalValue::Kind::Constant:
    return value.constantType;
  case GlobalValue::Kind::None:
    return noneType();
  case GlobalValue::Kind::Builtin: // `dtype=np.float32`
    if (const Type *dtype = builtinDtype(value.builtin))
      return dtypeValueType(dtype);
    return unknownType();
  default:
    return unknownType();
  }
}

bool FunctionTyper::bindCallArguments(const CallExpr *call, const FunctionUnit &target,
                                      std::vector<int32_t> &order, bool receiver) {
  const auto &params = target.ast->params;
  const std::string &name = target.qualname;
  size_t positional = call->args.size() + (receiver ? 1 : 0);
  if (positional > params.size()) {
    auto plural = [](size_t n, const char *one, const char *many) {
      return std::to_string(n) + (n == 1 ? one : many);
    };
    report(DiagKind::CallArity, call->span,
           {name, plural(params.size(), " positional argument", " positional arguments"),
            plural(positional, " was", " were")});
    return false;
  }
  constexpr int32_t kUnbound = std::numeric_limits<int32_t>::min();
  order.assign(params.size(), kUnbound);
  for (size_t i = 0; i < positional; ++i)
    order[i] = static_cast<int32_t>(i);
  for (size_t k = 0; k < call->keywordNames.size(); ++k) {
    const std::string &keyword = call->keywordNames[k];
    size_t param = 0;
    while (param < params.size() && params[param].name != keyword)
      ++param;
    if (param == params.size()) {
      report(DiagKind::UnexpectedKeyword, call->keywordSpans[k], {name, keyword});
      return false;
    }
    if (order[param] != kUnbound) {
      report(DiagKind::DuplicateArgument, call->keywordSpans[k], {name, keyword});
      return false;
    }
    order[param] = static_cast<int32_t>(positional + k);
  }
  size_t firstDefault = params.size() - target.defaults.size();
  for (size_t param = 0; param < params.size(); ++param) {
    if (order[param] != kUnbound)
      continue;
    if (param < firstDefault) {
      report(DiagKind::MissingArgument, call->span, {name, params[param].name});
      return false;
    }
    size_t k = param - firstDefault;
    if (defaultType(target.defaults[k])->isUnknown()) {
      report(DiagKind::UnsupportedDefault, call->span,
             {params[param].name, target.defaults[k].typeName});
      return false;
    }
    order[param] = -1 - static_cast<int32_t>(k);
  }
  return true;
}

const Type *FunctionTyper::dtypeDesignated(const Expr *expr) {
  return dtypeOfValue(typeExpr(expr));
}

const Type *FunctionTyper::dtypeArgument(const Expr *expr) {
  const Type *type = typeExpr(expr);
  if (type->isUnknown()) // reported where it went wrong
    return nullptr;
  if (const Type *dtype = dtypeOfValue(type))
    return dtype;
  report(DiagKind::DtypeArgument, expr->span, {});
  return nullptr;
}

bool FunctionTyper::bindNumpyArguments(const CallExpr *call, Builtin builtin, const Expr *receiver,
                                       std::vector<const Expr *> &bound) {
  NumpyParameters params = numpyParameters(builtin);
  std::string name = builtinName(builtin);
  auto taken = [&](size_t i) {
    return i < params.supported || (params.takesDtype && i == params.supported);
  };
  std::vector<const Expr *> positional;
  if (receiver)
    positional.push_back(receiver);
  positional.insert(positional.end(), call->args.begin(), call->args.end());
  bound.assign(params.names.size(), nullptr);
  if (positional.size() > params.names.size()) {
    size_t given = positional.size();
    report(DiagKind::CallArity, call->span,
           {name, "at most " + std::to_string(params.names.size()) + " arguments",
            std::to_string(given) + (given == 1 ? " was" : " were")});
    return false;
  }
  // order= names the layout of the new array, as NumPy's letters: 'C' or 'F' for a new
  // shape; 'A' and 'K' too for a copy or a _like, which follow the source's layout. The
  // letter is kept for the lowering when it is not 'C'.
  auto orderTaken = [&](size_t i, const Expr *value, Span span) {
    if (params.names[i] != "order")
      return false;
    const Type *order = typeExpr(value);
    if (order->isUnknown())
      return false;
    bool like = builtin != Builtin::NpEmpty && builtin != Builtin::NpZeros &&
                builtin != Builtin::NpOnes && builtin != Builtin::NpFull;
    std::string letter = order->isStringLiteral() ? order->literal() : "";
    if (order->isNone())
      letter = like && !receiver ? "K" : "C";
    if (!order->isStringLiteral() && !order->isNone()) {
      report(DiagKind::InvalidOrder, span,
             {name + "(): order must be a str constant, not " + order->name()});
      return false;
    }
    if (letter.size() == 1 && std::string_view("cfak").find(letter[0]) != std::string::npos)
      letter[0] = static_cast<char>(letter[0] - 'a' + 'A'); // NumPy takes either case
    bool known = letter == "C" || letter == "F" || letter == "A" || letter == "K";
    if (!known) {
      report(DiagKind::InvalidOrder, span,
             {name + "(): order must be one of 'C', 'F', 'A', or 'K' (got '" + letter + "')"});
      return false;
    }
    if (!like && letter != "C" && letter != "F") {
      report(DiagKind::InvalidOrder, span,
             {name + "(): only 'C' or 'F' order is permitted (got '" + letter + "')"});
      return false;
    }
    out_->allocationOrders[call->id] = letter[0];
    return true;
  };
  for (size_t i = 0; i < positional.size(); ++i) {
    if (params.names[i] == "order") {
      if (!orderTaken(i, positional[i], positional[i]->span))
        return false;
      continue;
    }
    if (!taken(i)) {
      report(DiagKind::UnsupportedConstruct, positional[i]->span,
             {"argument '" + std::string(params.names[i]) + "' of " + name + "() is"});
      return false;
    }
    bound[i] = positional[i];
  }
  for (size_t k = 0; k < call->keywordNames.size(); ++k) {
    const std::string &keyword = call->keywordNames[k];
    auto at = std::find(params.names.begin(), params.names.end(), keyword);
    if (at == params.names.end()) {
      report(DiagKind::UnexpectedKeyword, call->keywordSpans[k], {name, keyword});
      return false;
    }
    auto i = static_cast<size_t>(at - params.names.begin());
    if (bound[i]) {
      report(DiagKind::DuplicateArgument, call->keywordSpans[k], {name, keyword});
      return false;
    }
    if (keyword == "order") {
      if (!orderTaken(i, call->keywordValues[k], call->keywordSpans[k]))
        return false;
      continue;
    }
    // Only dtype by keyword: the lowering takes the values by position.
    if (!params.takesDtype || i != params.supported) {
      report(DiagKind::UnsupportedConstruct, call->keywordSpans[k],
             {"keyword argument '" + keyword + "' of " + name + "() is"});
      return false;
    }
    bound[i] = call->keywordValues[k];
  }
  size_t required = builtin == Builtin::NpArange ? 1 : params.supported;
  for (size_t i = 0; i < required; ++i)
    if (!bound[i]) {
      std::string_view missing = builtin == Builtin::NpArange ? "stop" : params.names[i];
      report(DiagKind::MissingArgument, call->span, {name, missing});
      return false;
    }
  return true;
}

const Type *FunctionTyper::typeArrayAllocation(const CallExpr *call, Builtin builtin,
                                               const Expr *receiver) {
  std::vector<const Expr *> bound;
  if (!bindNumpyArguments(call, builtin, receiver, bound))
    return record(call, unknownType());
  NumpyParameters params = numpyParameters(builtin);
  std::vector<const Expr *> args;
  for (size_t i = 0; i < params.supported && bound[i]; ++i)
    args.push_back(bound[i]);
  const Type *dtype = nullptr;
  if (params.takesDtype && bound[params.supported] &&
      !(dtype = dtypeArgument(bound[params.supported])))
    return record(call, unknownType());
  std::vector<const Type *> types;
  for (const Expr *arg : args) {
    types.push_back(typeValue(arg));
    if (types.back()->isUnknown())
      return record(call, unknownType());
  }
  bool like = builtin == Builtin::NpEmptyLike || builtin == Builtin::NpZerosLike ||
              builtin == Builtin::NpOnesLike || builtin == Builtin::NpFullLike ||
              builtin == Builtin::NpCopy;
  unsigned ndim = 1;
  if (like) {
    if (!types[0]->isArray()) {
      report(DiagKind::BuiltinArgumentType, call->span, {builtinName(builtin), types[0]->name()});
      return record(call, unknownType());
    }
    ndim = types[0]->ndim();
    if (!dtype)
      dtype = types[0]->dtype();
  } else if (builtin == Builtin::NpArange) {
    bool integral = true;
    for (const Type *type : types) {
      if (!type->isNumeric()) {
        report(DiagKind::BuiltinArgumentType, call->span, {"numpy.arange", type->name()});
        return record(call, unknownType());
      }
      integral &= type->isIntegral();
    }
    if (!dtype)
      dtype = integral ? int64Type() : float64Type();
  } else {
    const Type *shape = types[0];
    bool valid = shape->isIntegral();
    if (shape->isTuple()) {
      valid = true;
      for (const Type *extent : shape->elements())
        valid &= extent->isIntegral();
      ndim = static_cast<unsigned>(shape->elements().size());
    }
    if (!valid) {
      report(DiagKind::ArrayShape, args[0]->span, {shape->name()});
      return record(call, unknownType());
    }
  }
  if (builtin == Builtin::NpFull || builtin == Builtin::NpFullLike) {
    if (!types[1]->isNumeric()) {
      report(DiagKind::BuiltinArgumentType, call->span, {builtinName(builtin), types[1]->name()});
      return record(call, unknownType());
    }
    if (!dtype) // np.full(shape, 7) is an int64 array, np.full(shape, 0.5) a float64 one
      dtype = types[1];
  }
  if (!dtype)
    dtype = float64Type();
  out_->builtinCalls[call->id] = builtin;
  out_->allocationTypes[call->id] = dtype;
  char order = like && !receiver ? 'K' : 'C'; // np.copy and the _likes keep the layout
  if (auto given = out_->allocationOrders.find(call->id); given != out_->allocationOrders.end())
    order = given->second;
  Layout layout = allocationLayout(order, like ? types[0] : nullptr, ndim);
  if (layout == Layout::C && order != 'C')
    order = 'C';
  if (order == 'C')
    out_->allocationOrders.erase(call->id);
  else
    out_->allocationOrders[call->id] = order;
  return record(call, arrayType(dtype, ndim, layout, false));
}

const Type *FunctionTyper::typeMatrixProduct(const CallExpr *call, Builtin builtin,
                                             const Expr *receiver) {
  // Bound here rather than by bindNumpyArguments: `out=` is usually given by keyword.
  NumpyParameters params = numpyParameters(builtin);
  std::string name = builtinName(builtin);
  std::array<const Expr *, 3> bound{};
  std::vector<const Expr *> positional;
  if (receiver)
    positional.push_back(receiver);
  positional.insert(positional.end(), call->args.begin(), call->args.end());
  if (positional.size() > params.names.size()) {
    size_t given = positional.size();
    report(DiagKind::CallArity, call->span,
           {name, "at most " + std::to_string(params.names.size()) + " arguments",
            std::to_string(given) + (given == 1 ? " was" : " were")});
    return record(call, unknownType());
  }
  for (size_t i = 0; i < positional.size(); ++i)
    bound[i] = positional[i];
  for (size_t k = 0; k < call->keywordNames.size(); ++k) {
    const std::string &keyword = call->keywordNames[k];
    auto at = std::find(params.names.begin(), params.names.end(), keyword);
    if (at == params.names.end()) {
      report(DiagKind::UnexpectedKeyword, call->keywordSpans[k], {name, keyword});
      return record(call, unknownType());
    }
    auto i = static_cast<size_t>(at - params.names.begin());
    if (bound[i]) {
      report(DiagKind::DuplicateArgument, call->keywordSpans[k], {name, keyword});
      return record(call, unknownType());
    }
    bound[i] = call->keywordValues[k];
  }
  for (size_t i = 0; i < 2; ++i)
    if (!bound[i]) {
      report(DiagKind::MissingArgument, call->span, {name, params.names[i]});
      return record(call, unknownType());
    }
  if (bound[2] && params.supported < 3) {
    report(DiagKind::UnsupportedConstruct, bound[2]->span, {"argument 'out' of " + name + "() is"});
    return record(call, unknownType());
  }
  const Type *a = typeValue(bound[0]);
  const Type *b = typeValue(bound[1]);
  const Type *out = bound[2] ? typeValue(bound[2]) : nullptr;
  if (a->isUnknown() || b->isUnknown() || (out && out->isUnknown()))
    return record(call, unknownType());
  const Type *result = matrixProductType(builtin, a, b);
  if (!result) {
    bool aFits = matrixProductType(builtin, a, a) != nullptr;
    report(DiagKind::BuiltinArgumentType, call->span, {name, (aFits ? b : a)->name()});
    return record(call, unknownType());
  }
  if (out) {
    // The result is written into `out` and `out` returned: an array of the result's dtype
    // and dimensions (NumPy's dot demands as much; matmul's casting into another dtype and
    // broadcasting into more dimensions are not taken).
    bool fits = out->isArray() && !out->readonly() && result->isArray() &&
                out->dtype() == result->dtype() && out->ndim() == result->ndim();
    if (!fits) {
      report(DiagKind::BuiltinArgumentType, bound[2]->span, {name, out->name()});
      return record(call, unknownType());
    }
    result = out;
  }
  out_->builtinCalls[call->id] = builtin;
  out_->productOperands[call->id] = bound;
  return record(call, result);
}

const Type *FunctionTyper::typeArrayReduction(const CallExpr *call, Builtin builtin,
                                              const Expr *receiver) {
  std::vector<const Expr *> bound;
  if (!bindNumpyArguments(call, builtin, receiver, bound))
    return record(call, unknownType());
  std::vector<const Type *> argTypes;
  for (size_t i = 0; i < numpyParameters(builtin).supported; ++i)
    argTypes.push_back(typeValue(bound[i]));
  for (const Type *type : argTypes)
    if (type->isUnknown())
      return record(call, unknownType());
  const Type *result = arrayReductionType(builtin, argTypes);
  if (!result) {
    const Type *bad = argTypes[0]->isArray() && argTypes.size() > 1 ? argTypes[1] : argTypes[0];
    report(DiagKind::BuiltinArgumentType, call->span, {builtinName(builtin), bad->name()});
    return record(call, unknownType());
  }
  out_->builtinCalls[call->id] = builtin;
  return record(call, result);
}

const Type *FunctionTyper::typeScalarMethod(const CallExpr *call, const std::string &name,
                                            const Type *owner) {
  std::optional<ScalarMethod> method;
  const Type *result = nullptr;
  if (name == "conjugate") { // a real number is its own conjugate; a bool's is an int
    method = ScalarMethod::Conjugate;
    result = owner == boolType() ? int64Type() : owner;
  } else if (name == "bit_length" && owner->isIntegral()) {
    method = ScalarMethod::BitLength;
    result = int64Type();
  } else if (name == "is_integer" && (owner->isFloat() || owner->isInteger())) {
    method = ScalarMethod::IsInteger;
    result = boolType();
  }
  if (!method)
    return nullptr;
  if (!call->args.empty() || !call->keywordNames.empty()) {
    size_t given = call->args.size() + call->keywordNames.size();
    report(DiagKind::CallArity, call->span,
           {name, "no arguments", std::to_string(given) + (given == 1 ? " was" : " were")});
    return record(call, unknownType());
  }
  out_->scalarMethods[call->id] = *method;
  return record(call, result);
}

const Type *FunctionTyper::typeCall(const CallExpr *call) {
  const Type *type = typeCallee(call);
  // Checked once the operands are typed (a look ahead would type nested calls
  // exponentially often).
  if (const Expr *operand = recordOperand(call)) {
    report(DiagKind::UnsupportedConstruct, operand->span,
           {"passing a record or an array of records to " + sourceText(call->callee->span) +
            "() (compiled code reads their fields: `r['f']`, `a['f']`) is"});
    return record(call, unknownType());
  }
  return type;
}

const Type *FunctionTyper::typeCallee(const CallExpr *call) {
  // a.sum(), a.cumsum(axis=0), ...: methods of arrays, from the library layer's overloads
  // (overload_method, or the overload of np.<name> with the array first), else the
  // reductions np.sum(a) and friends compute.
  if (auto *method = dynCast<AttributeExpr>(call->callee);
      method && !moduleOf(method->value) && !globalOf(method)) {
    const Type *owner = typeOwner(method->value);
    if (owner->isUnknown())
      return record(call, unknownType());
    if (method->attr == "view" && (owner->isNumeric() || owner->isComplex()))
      return typeScalarView(call, owner);
    if (owner->isNumeric() || owner->isComplex())
      if (const Type *result = typeScalarMethod(call, method->attr, owner))
        return result;
    if (owner->isTuple())
      return typeTupleSearch(call, method, owner);
    if (owner->isArray()) {
      if (auto viewMethod = arrayMethodNamed(method->attr, false))
        return typeArrayMethod(call, *viewMethod, method->value, false);
      auto builtin = findBuiltin("numpy", method->attr);
      // The core's reductions know real numbers; datetimes' (NaT propagates) and complex
      // numbers' are the library's.
      bool primitive = builtin && call->keywordNames.empty() && call->args.empty() &&
                       !owner->dtype()->isTimeType() &&
                       !(owner->dtype()->isComplex() && *builtin != Builtin::NpCopy) &&
                       ((isArrayReduction(*builtin) && *builtin != Builtin::ArrayDot) ||
                        *builtin == Builtin::NpCopy);
      if (!primitive)
        if (const FunctionUnit *target = overloadTarget(call, nullptr, method->attr, owner))
          return typeFunctionCall(call, *target, method->value);
      if (builtin && isArrayReduction(*builtin) && *builtin != Builtin::ArrayDot)
        return typeArrayReduction(call, *builtin, method->value);
      if (builtin == Builtin::ArrayDot)
        return typeMatrixProduct(call, *builtin, method->value);
      if (builtin == Builtin::NpCopy && call->args.size() <= 1) // a.copy(), a.copy('F')
        return typeArrayAllocation(call, *builtin, method->value);
      report(DiagKind::UnknownArrayAttribute, method->span, {method->attr});
      return record(call, unknownType());
    }
  }
  if (auto *function = dynCast<AttributeExpr>(call->callee); function && !call->args.empty())
    if (const GlobalValue *module = moduleOf(function->value);
        module && module->moduleName == "numpy")
      if (auto viewMethod = arrayMethodNamed(function->attr, true))
        return typeArrayMethod(call, *viewMethod, call->args[0], true);
  if (auto builtin = builtinCallee(call->callee))
    return typeBuiltinCall(call, *builtin);
  const GlobalValue *global = globalOf(call->callee);
  auto *callee = dynCast<NameExpr>(call->callee);
  if (!global && !callee) {
    if (isa<AttributeExpr>(call->callee) && moduleOf(cast<AttributeExpr>(call->callee)->value))
      return record(call, unknownType()); // an unknown module member, reported above
    const Type *calleeType = typeExpr(call->callee);
    if (calleeType->isDTypeValue()) // a.dtype.type(0)
      return typeDtypeValueCall(call, calleeType);
    if (calleeType->isCallableValue()) // t[0](x), make()(x)
      return typeCallThroughValue(call, calleeType);
    if (const FunctionUnit *body = closureBody(calleeType)) // make_adder(2)(x)
      return typeFunctionCall(call, *body, call->callee);
    for (const Expr *arg : call->args)
      typeExpr(arg);
    // An unknown callee was reported where it went wrong (`type(x)` in `type(x)(1)`).
    if (!calleeType->isUnknown() && !isa<UnsupportedExpr>(call->callee) &&
        !isa<AttributeExpr>(call->callee))
      report(DiagKind::NotCallable, call->callee->span, {sourceText(call->callee->span)});
    return record(call, unknownType());
  }
  std::string calleeName = sourceText(call->callee->span);
  if (callee && localIndex(callee->name) >= 0) {
    const Type *calleeType = typeExpr(callee);
    if (calleeType->isDTypeValue()) // t(x)
      return typeDtypeValueCall(call, calleeType);
    if (calleeType->isCallableValue()) // f(x) with f a function passed in or bound locally
      return typeCallThroughValue(call, calleeType);
    if (const FunctionUnit *body = closureBody(calleeType)) // f(x) with f a closure
      return typeFunctionCall(call, *body, callee);
    if (calleeType->isUnknown()) {
      for (const Expr *arg : call->args)
        typeExpr(arg);
      return record(call, unknownType());
    }
    for (const Expr *arg : call->args)
      typeExpr(arg);
    report(DiagKind::NotCallable, callee->span, {callee->name});
    return record(call, unknownType());
  }
  if (!global) {
    for (const Expr *arg : call->args)
      typeExpr(arg);
    report(DiagKind::UndefinedName, callee->span, {callee->name});
    return record(call, unknownType());
  }
  const GlobalValue &value = *global;
  switch (value.kind) {
  case GlobalValue::Kind::Function:
    return typeFunctionCall(call, *value.function, nullptr);
  case GlobalValue::Kind::Overload:
    if (const FunctionUnit *target = overloadTarget(call, &value, "", nullptr))
      return typeFunctionCall(call, *target, nullptr);
    return record(call, unknownType());
  case GlobalValue::Kind::Range:
    report(DiagKind::UnsupportedConstruct, call->span, {"range() outside a 'for' loop is"});
    return record(call, unknownType());
  case GlobalValue::Kind::Unsupported:
    if (value.typeName == "function")
      report(DiagKind::PythonFunctionCall, call->callee->span, {calleeName});
    else
      report(DiagKind::UnsupportedGlobal, call->callee->span, {calleeName, pythonTypeName(value)});
    return record(call, unknownType());
  case GlobalValue::Kind::Int:
  case GlobalValue::Kind::Float:
  case GlobalValue::Kind::Bool:
  case GlobalValue::Kind::Constant:
  case GlobalValue::Kind::None:
  case GlobalValue::Kind::Builtin: // handled above
  case GlobalValue::Kind::Module:
  case GlobalValue::Kind::ExceptionClass: // only in `raise`
    report(DiagKind::NotCallable, call->callee->span, {calleeName});
    return record(call, unknownType());
  }
  return record(call, unknownType());
}

const Type *FunctionTyper::builtinValue(Builtin builtin) {
  return builtinValueType(static_cast<unsigned>(builtin), builtinName(builtin));
}

const Type *FunctionTyper::typeCallThroughValue(const CallExpr *call, const Type *callee) {
  if (callee->isBuiltinValue())
    return typeBuiltinCall(call, static_cast<Builtin>(callee->builtinCode()));
  return typeFunctionCall(call, *callee->function(), nullptr);
}

/// Types of a call's arguments: the receiver of a method call, then positional, then
/// keyword ones. None is a value here: a library function tests `axis is None`.
static std::vector<const ast::Expr *> givenArguments(const CallExpr *call, const Expr *receiver) {
  std::vector<const Expr *> given;
  if (receiver)
    given.push_back(receiver);
  given.insert(given.end(), call->args.begin(), call->args.end());
  given.insert(given.end(), call->keywordValues.begin(), call->keywordValues.end());
  return given;
}

const FunctionUnit *FunctionTyper::overloadTarget(const CallExpr *call, const GlobalValue *overload,
                                                  const std::string &method, const Type *owner) {
  OverloadRequest request;
  request.overload = overload ? overload->overload : 0;
  request.method = method;
  if (owner)
    request.args.push_back(owner);
  for (const Expr *arg : call->args)
    request.args.push_back(typeExpr(arg));
  for (const Expr *arg : call->keywordValues)
    request.args.push_back(typeExpr(arg));
  request.keywords = call->keywordNames;
  request.literals.resize(request.args.size());
  size_t first = owner ? 1 : 0;
  for (const auto *arg : givenArguments(call, nullptr)) {
    if (auto *constant = dynCast<BoolLiteralExpr>(arg))
      request.literals[first] = constant->value ? "True" : "False";
    ++first;
  }
  for (const Type *type : request.args)
    if (type->isUnknown())
      return nullptr;
  OverloadChoice choice = resolveOverload(request);
  if (choice.unit)
    return choice.unit;
  if (!overload && choice.error.empty())
    return nullptr; // no such method: the caller reports it
  std::string types;
  for (const Type *type : request.args)
    types += std::string(types.empty() ? "" : ", ") + type->name();
  std::string name = overload ? sourceText(call->callee->span) : "array." + method;
  report(
      DiagKind::NoMatchingOverload, call->span,
      {name, types, choice.error.empty() ? "no implementation takes these types" : choice.error});
  return nullptr;
}

const Type *FunctionTyper::typeFunctionCall(const CallExpr *call, const FunctionUnit &target,
                                            const Expr *receiver) {
  std::vector<const Expr *> given = givenArguments(call, receiver);
  std::vector<const Type *> argTypes;
  bool unknown = false;
  for (const Expr *arg : given) {
    const Type *type = typeExpr(arg);
    argTypes.push_back(type);
    unknown |= type->isUnknown();
  }
  std::vector<int32_t> order;
  if (!bindCallArguments(call, target, order, receiver != nullptr))
    return record(call, unknownType());
  out_->argumentOrder[call->id] = order;
  out_->callees[call->id] = &target;
  if (receiver)
    out_->receivers[call->id] = receiver;
  if (unknown)
    return record(call, unknownType());
  std::vector<const Type *> paramTypes;
  for (int32_t index : order)
    paramTypes.push_back(index >= 0
                             ? argTypes[static_cast<size_t>(index)]
                             : defaultType(target.defaults[static_cast<size_t>(-1 - index)]));
  CallTarget resolved = resolver_.resolve(target, paramTypes, call->span);
  if (resolved.failed) { // its own errors say why; its result is unknown, not None
    unresolvedRecursion_ = calleeFailed_ = true;
    return record(call, unknownType());
  }
  if (resolved.returnType->isUnknown()) {
    unresolvedRecursion_ = true;
    if (diagnostics_)
      report(DiagKind::RecursiveReturnType, call->span, {target.qualname});
  }
  out_->calls[call->id] = resolved;
  return record(call, resolved.returnType);
}

} // namespace nogil::sema
