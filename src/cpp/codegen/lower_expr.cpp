// Lowering of expressions, with Python's arithmetic rules: floor division and modulo follow
// the divisor's sign, division by zero raises, int64 wraps.
#include "codegen/lower_impl.h"

#include <cstring>

#include <llvm/IR/Intrinsics.h>

namespace nogil::codegen {

using namespace ast;
using sema::Type;
using sema::TypeKind;

llvm::Value *FunctionLowering::lowerAs(const Expr *expr, const Type *type) {
  return convert(lowerExpr(expr), typed_.typeOf(expr), type);
}

llvm::Value *FunctionLowering::lowerCondition(const Expr *expr) {
  return truth(lowerExpr(expr), typed_.typeOf(expr));
}

llvm::Value *FunctionLowering::lowerExpr(const Expr *expr) {
  if (expr != optionalLowered_)
    if (auto unwrap = typed_.optionalUnwraps.find(expr->id);
        unwrap != typed_.optionalUnwraps.end()) {
      const Expr *outer = std::exchange(optionalLowered_, expr);
      llvm::Value *optional = lowerExpr(expr);
      optionalLowered_ = outer;
      return unwrapOptional(optional, unwrap->second, expr->span);
    }
  // A string constant or a dtype holds nothing at run time: what it decides was decided when
  // typing (comparisons, the callee chosen for it, the dtype of an allocation).
  if (const Type *type = typed_.typeOf(expr); type && type->isCompileTimeValue()) {
    // A compiled function returning a function (`make()`) still runs, for what it does.
    if (expr->kind == ExprKind::Call && typed_.calls.count(expr->id))
      lowerCall(cast<CallExpr>(expr));
    return builder_.getInt64(0);
  }
  if (isElementwise(expr))
    return lowerElementwise(expr);
  switch (expr->kind) {
  case ExprKind::Name:
    return lowerName(cast<NameExpr>(expr));
  case ExprKind::IntLiteral:
    return builder_.getInt64(cast<IntLiteralExpr>(expr)->value);
  case ExprKind::ComplexLiteral: {
    auto *literal = cast<ComplexLiteralExpr>(expr);
    llvm::Type *f64 = builder_.getDoubleTy();
    return llvm::ConstantStruct::getAnon(
        {llvm::ConstantFP::get(f64, literal->real), llvm::ConstantFP::get(f64, literal->imag)});
  }
  case ExprKind::FloatLiteral:
    return llvm::ConstantFP::get(builder_.getDoubleTy(), cast<FloatLiteralExpr>(expr)->value);
  case ExprKind::BoolLiteral:
    return builder_.getInt1(cast<BoolLiteralExpr>(expr)->value);
  case ExprKind::NoneLiteral:
  case ExprKind::EllipsisLiteral:
    return nullptr;
  case ExprKind::Binary:
    return lowerBinary(cast<BinaryExpr>(expr));
  case ExprKind::Unary:
    return lowerUnary(cast<UnaryExpr>(expr));
  case ExprKind::BoolOp:
    return lowerBoolOp(cast<BoolOpExpr>(expr));
  case ExprKind::Compare:
    return lowerCompare(cast<CompareExpr>(expr));
  case ExprKind::Call:
    return lowerCall(cast<CallExpr>(expr));
  case ExprKind::IfElse:
    return lowerIfElse(cast<IfElseExpr>(expr));
  case ExprKind::StringLiteral: // only messages and print(), lowered by appendText
  case ExprKind::FormattedString:
    break;
  case ExprKind::Attribute: {
    auto *attribute = cast<AttributeExpr>(expr);
    if (typed_.recordFields.count(attribute->id)) { // r.f
      ElementAccess access = fieldAccess(attribute);
      return access.view ? access.view : loadElement(access);
    }
    const Type *owner = typed_.typeOf(attribute->value);
    if (auto *flags = dynCast<AttributeExpr>(attribute->value);
        flags && flags->attr == "flags" && owner && owner->isNone())
      return lowerFlag(attribute);
    if (owner && owner->isArray())
      return lowerArrayAttribute(attribute);
    if (owner && owner->isComplex())
      return builder_.CreateExtractValue(lowerExpr(attribute->value),
                                         attribute->attr == "real" ? 0u : 1u);
    if (owner && owner->isNumeric()) { // x.real is x, x.imag is 0
      const Type *type = typed_.typeOf(attribute);
      llvm::Value *value = convert(lowerExpr(attribute->value), owner, type);
      return attribute->attr == "real" ? value : llvm::Constant::getNullValue(module_.typeOf(type));
    }
    if (auto global = typed_.globalConstants.find(expr->id); global != typed_.globalConstants.end())
      return globalConstant(global->second);
    return llvm::ConstantFP::get(builder_.getDoubleTy(), typed_.constants.at(expr->id));
  }
  case ExprKind::Tuple: {
    const Type *type = typed_.typeOf(expr);
    llvm::Value *tuple = llvm::UndefValue::get(module_.typeOf(type));
    const auto &elements = cast<TupleExpr>(expr)->elements;
    for (unsigned i = 0; i < elements.size(); ++i)
      tuple = builder_.CreateInsertValue(tuple, lowerExpr(elements[i]), i);
    return tuple;
  }
  case ExprKind::Subscript:
    return lowerSubscript(cast<SubscriptExpr>(expr));
  case ExprKind::Slice: // lowered by the subscript that holds it
  case ExprKind::Unsupported:
    break;
  }
  assert(false && "the typer rejects this expression before lowering");
  return nullptr;
}

llvm::Value *FunctionLowering::globalConstant(const sema::GlobalValue &value) {
  switch (value.kind) {
  case sema::GlobalValue::Kind::Float:
    return llvm::ConstantFP::get(builder_.getDoubleTy(), value.floatValue);
  case sema::GlobalValue::Kind::Bool:
    return builder_.getInt1(value.intValue != 0);
  case sema::GlobalValue::Kind::Constant: {
    if (value.constantType->isCompileTimeValue()) // a str or dtype default: no slots
      return builder_.getInt64(0);
    if (value.constantType->isArray())
      return constantArray(value);
    const uint64_t *slots = value.constantSlots.data();
    return constantValue(value.constantType, slots);
  }
  default:
    return builder_.getInt64(value.intValue);
  }
}

llvm::Value *FunctionLowering::constantArray(const sema::GlobalValue &value) {
  // The elements as a private constant of the module (so the on-disk cache keeps them too);
  // base stays null: no reference count, and nothing for Python to keep alive but the code.
  const Type *type = value.constantType;
  llvm::GlobalVariable *&data = module_.frozenArrays[&value];
  if (!data) {
    auto *bytes = llvm::ConstantDataArray::getRaw(value.arrayBytes, value.arrayBytes.size(),
                                                  builder_.getInt8Ty());
    data = new llvm::GlobalVariable(module_.module, bytes->getType(), true,
                                    llvm::GlobalValue::PrivateLinkage, bytes, "frozen");
    data->setAlignment(llvm::Align(64));
  }
  llvm::Value *array = llvm::UndefValue::get(module_.typeOf(type));
  array = builder_.CreateInsertValue(array, data, 0);
  const Type *dtype = type->dtype();
  uint64_t stride = dtype->kind() == TypeKind::Bool ? 1 : dtype->bitWidth() / 8;
  for (unsigned d = type->ndim(); d-- > 0;) {
    array = builder_.CreateInsertValue(array, builder_.getInt64(value.constantSlots[d]), {1, d});
    array = builder_.CreateInsertValue(array, builder_.getInt64(stride), {2, d});
    stride *= value.constantSlots[d];
  }
  return builder_.CreateInsertValue(array, llvm::ConstantPointerNull::get(builder_.getPtrTy()), 3);
}

llvm::Value *FunctionLowering::constantValue(const Type *type, const uint64_t *&slots) {
  if (type->isTuple() || type->isComplex()) {
    llvm::Value *aggregate = llvm::UndefValue::get(module_.typeOf(type));
    if (type->isComplex()) {
      for (unsigned part = 0; part < 2; ++part)
        aggregate = builder_.CreateInsertValue(
            aggregate, constantValue(sema::complexPartType(type), slots), part);
      return aggregate;
    }
    for (unsigned i = 0; i < type->elements().size(); ++i)
      aggregate =
          builder_.CreateInsertValue(aggregate, constantValue(type->elements()[i], slots), i);
    return aggregate;
  }
  uint64_t slot = *slots++;
  if (type->isFloat()) {
    double value;
    std::memcpy(&value, &slot, sizeof value);
    return llvm::ConstantFP::get(module_.typeOf(type), value);
  }
  if (type->kind() == TypeKind::Bool)
    return builder_.getInt1((slot & 1) != 0);
  return llvm::ConstantInt::get(module_.typeOf(type), slot, type->isSigned());
}

llvm::Value *FunctionLowering::lowerName(const NameExpr *name) {
  int32_t slot = typed_.localOf(name);
  if (slot >= 0) {
    checkBound(slot, name->span);
    return loadLocal(slot, name->name.c_str());
  }
  const sema::GlobalValue &value = unit_.environment.at(name->name);
  switch (value.kind) {
  case sema::GlobalValue::Kind::Int:
    return builder_.getInt64(value.intValue);
  case sema::GlobalValue::Kind::Float:
    return llvm::ConstantFP::get(builder_.getDoubleTy(), value.floatValue);
  case sema::GlobalValue::Kind::Bool:
    return builder_.getInt1(value.intValue != 0);
  case sema::GlobalValue::Kind::Constant:
    return globalConstant(value);
  case sema::GlobalValue::Kind::None:
    return builder_.getInt64(0); // None holds no value
  case sema::GlobalValue::Kind::Overload:
  case sema::GlobalValue::Kind::Function:
  case sema::GlobalValue::Kind::Range:
  case sema::GlobalValue::Kind::Builtin:
  case sema::GlobalValue::Kind::Module:
  case sema::GlobalValue::Kind::ExceptionClass:
  case sema::GlobalValue::Kind::Unsupported:
    break;
  }
  assert(false && "the typer rejects non-constant globals as values");
  return nullptr;
}

llvm::Value *FunctionLowering::lowerScalarView(const CallExpr *call, const Type *target) {
  // `x.view(np.uint64)`: the same bits read as another type of the same size; a bool is a
  // byte in memory, so it becomes an int8/uint8 with zero extension and back with != 0.
  auto *method = cast<AttributeExpr>(call->callee);
  const Type *source = typed_.typeOf(method->value);
  llvm::Value *value = lowerExpr(method->value);
  if (source == target)
    return value;
  if (source->kind() == TypeKind::Bool)
    return builder_.CreateZExt(value, module_.typeOf(target));
  if (target->kind() == TypeKind::Bool)
    return builder_.CreateICmpNE(value, llvm::ConstantInt::get(value->getType(), 0));
  return builder_.CreateBitCast(value, module_.typeOf(target));
}

llvm::Value *FunctionLowering::lowerBinary(const BinaryExpr *binary) {
  if (binary->op == BinaryOp::MatMul)
    return lowerMatrixProduct(sema::Builtin::NpMatmul, binary->lhs, binary->rhs, nullptr,
                              typed_.typeOf(binary), binary->span);
  const Type *lhsType = typed_.typeOf(binary->lhs);
  llvm::Value *lhs = lowerExpr(binary->lhs);
  const Type *rhsType = typed_.typeOf(binary->rhs);
  llvm::Value *rhs = lowerExpr(binary->rhs);
  return binaryValues(binary->op, lhs, lhsType, rhs, rhsType, typed_.typeOf(binary), binary->span);
}

llvm::Value *FunctionLowering::binaryValues(BinaryOp op, llvm::Value *lhs, const Type *lhsType,
                                            llvm::Value *rhs, const Type *rhsType,
                                            const Type *result, Span at) {
  if (result->isTuple())
    return tupleBinary(lhs, lhsType, rhs, rhsType, result);
  if (lhsType->isTimeType() || rhsType->isTimeType())
    return timeBinary(op, lhs, lhsType, rhs, rhsType, result);
  if (result->isComplex() && op == BinaryOp::Pow)
    return complexPower(convert(lhs, lhsType, result), convert(rhs, rhsType, result), at);
  if (result->isComplex())
    return complexBinary(op, convert(lhs, lhsType, result), convert(rhs, rhsType, result), at);
  if (result->kind() == TypeKind::Bool) // & | ^ of two bools
    return op == BinaryOp::BitAnd  ? builder_.CreateAnd(lhs, rhs)
           : op == BinaryOp::BitOr ? builder_.CreateOr(lhs, rhs)
                                   : builder_.CreateXor(lhs, rhs);
  bool floatMath =
      result->isFloat() && (op != BinaryOp::Div || lhsType->isFloat() || rhsType->isFloat());
  if (op == BinaryOp::Div && !floatMath) {
    // int / int: Python checks the integer divisor, then divides as floats.
    if (!numpyErrors())
      raiseIf(builder_.CreateNot(truth(rhs, rhsType)), NOGIL_ERROR_ZERO_DIVISION,
              "division by zero", at);
    return builder_.CreateFDiv(convert(lhs, lhsType, result), convert(rhs, rhsType, result));
  }
  // Both operands in the promoted type, which the typer made the result's.
  lhs = convert(lhs, lhsType, result);
  rhs = convert(rhs, rhsType, result);
  if (floatMath)
    return floatBinary(op, lhs, rhs, at);
  return intBinary(op, lhs, rhs, result->isSigned(), at);
}

llvm::Value *FunctionLowering::complexBinary(BinaryOp op, llvm::Value *lhs, llvm::Value *rhs,
                                             Span at) {
  auto &b = builder_;
  llvm::Value *a = b.CreateExtractValue(lhs, 0);
  llvm::Value *ai = b.CreateExtractValue(lhs, 1);
  llvm::Value *c = b.CreateExtractValue(rhs, 0);
  llvm::Value *ci = b.CreateExtractValue(rhs, 1);
  llvm::Value *real = nullptr;
  llvm::Value *imag = nullptr;
  switch (op) {
  case BinaryOp::Add:
    real = b.CreateFAdd(a, c);
    imag = b.CreateFAdd(ai, ci);
    break;
  case BinaryOp::Sub:
    real = b.CreateFSub(a, c);
    imag = b.CreateFSub(ai, ci);
    break;
  case BinaryOp::Mul: // CPython's _Py_c_prod
    real = b.CreateFSub(b.CreateFMul(a, c), b.CreateFMul(ai, ci));
    imag = b.CreateFAdd(b.CreateFMul(a, ci), b.CreateFMul(ai, c));
    break;
  default: { // Div: CPython's _Py_c_quot, scaled by the larger part of the divisor
    llvm::Value *zero = llvm::ConstantFP::get(c->getType(), 0.0);
    llvm::Value *absReal = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, c);
    llvm::Value *absImag = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, ci);
    llvm::Value *realLarger = b.CreateFCmpOGE(absReal, absImag);
    if (!numpyErrors())
      raiseIf(b.CreateAnd(realLarger, b.CreateFCmpOEQ(absReal, zero)), NOGIL_ERROR_ZERO_DIVISION,
              "complex division by zero", at);
    llvm::Value *ratio1 = b.CreateFDiv(ci, c);
    llvm::Value *denom1 = b.CreateFAdd(c, b.CreateFMul(ci, ratio1));
    llvm::Value *real1 = b.CreateFDiv(b.CreateFAdd(a, b.CreateFMul(ai, ratio1)), denom1);
    llvm::Value *imag1 = b.CreateFDiv(b.CreateFSub(ai, b.CreateFMul(a, ratio1)), denom1);
    llvm::Value *ratio2 = b.CreateFDiv(c, ci);
    llvm::Value *denom2 = b.CreateFAdd(b.CreateFMul(c, ratio2), ci);
    llvm::Value *real2 = b.CreateFDiv(b.CreateFAdd(b.CreateFMul(a, ratio2), ai), denom2);
    llvm::Value *imag2 = b.CreateFDiv(b.CreateFSub(b.CreateFMul(ai, ratio2), a), denom2);
    llvm::Value *imagLarger = b.CreateFCmpOGE(absImag, absReal);
    llvm::Value *nan = llvm::ConstantFP::getNaN(c->getType());
    real = b.CreateSelect(realLarger, real1, b.CreateSelect(imagLarger, real2, nan));
    imag = b.CreateSelect(realLarger, imag1, b.CreateSelect(imagLarger, imag2, nan));
    break;
  }
  }
  llvm::Value *result = llvm::UndefValue::get(lhs->getType());
  result = b.CreateInsertValue(result, real, 0);
  return b.CreateInsertValue(result, imag, 1);
}

llvm::Value *FunctionLowering::intBinary(BinaryOp op, llvm::Value *lhs, llvm::Value *rhs,
                                         bool isSigned, Span at) {
  auto &b = builder_;
  llvm::Type *type = lhs->getType();
  unsigned bits = type->getIntegerBitWidth();
  auto constant = [&](int64_t value) { return llvm::ConstantInt::get(type, value, true); };
  switch (op) {
  case BinaryOp::Add:
    return b.CreateAdd(lhs, rhs);
  case BinaryOp::Sub:
    return b.CreateSub(lhs, rhs);
  case BinaryOp::Mul:
    return b.CreateMul(lhs, rhs);
  case BinaryOp::BitAnd:
    return b.CreateAnd(lhs, rhs);
  case BinaryOp::BitOr:
    return b.CreateOr(lhs, rhs);
  case BinaryOp::BitXor:
    return b.CreateXor(lhs, rhs);
  case BinaryOp::FloorDiv:
  case BinaryOp::Mod: {
    bool isDiv = op == BinaryOp::FloorDiv;
    llvm::Value *byZero = b.CreateICmpEQ(rhs, constant(0));
    if (!numpyErrors())
      raiseIf(byZero, NOGIL_ERROR_ZERO_DIVISION,
              isDiv ? "integer division or modulo by zero" : "integer modulo by zero", at);
    if (!isSigned) { // unsigned: C's division already floors
      llvm::Value *divisor = b.CreateSelect(byZero, constant(1), rhs);
      llvm::Value *result = isDiv ? b.CreateUDiv(lhs, divisor) : b.CreateURem(lhs, divisor);
      return numpyErrors() ? b.CreateSelect(byZero, constant(0), result) : result;
    }
    // MIN / -1 traps in hardware: divide by 1 instead and fix the result up below. (With
    // error_model="numpy" a zero divisor gets here too: it divides by 1, and the result is
    // 0, as NumPy gives.)
    llvm::Value *minusOne = b.CreateICmpEQ(rhs, constant(-1));
    llvm::Value *divisor = b.CreateSelect(b.CreateOr(minusOne, byZero), constant(1), rhs);
    llvm::Value *quotient = b.CreateSDiv(lhs, divisor);
    llvm::Value *remainder = b.CreateSRem(lhs, divisor);
    // C truncates toward zero; Python floors: adjust when the remainder's sign differs from
    // the divisor's.
    llvm::Value *adjust = b.CreateAnd(b.CreateICmpNE(remainder, constant(0)),
                                      b.CreateICmpSLT(b.CreateXor(remainder, rhs), constant(0)));
    llvm::Value *result;
    if (isDiv) {
      llvm::Value *floored = b.CreateSub(quotient, b.CreateZExt(adjust, type));
      result = b.CreateSelect(minusOne, b.CreateNeg(lhs), floored);
    } else {
      llvm::Value *floored = b.CreateAdd(remainder, b.CreateSelect(adjust, rhs, constant(0)));
      result = b.CreateSelect(minusOne, constant(0), floored);
    }
    return numpyErrors() ? b.CreateSelect(byZero, constant(0), result) : result;
  }
  case BinaryOp::Pow: {
    if (isSigned)
      raiseIf(b.CreateICmpSLT(rhs, constant(0)), NOGIL_ERROR_VALUE,
              "integer to a negative integer power: the result would be a float; use a float "
              "base",
              at);
    // Wrapping arithmetic is the same modulo 2**bits at any width: compute in 64 bits.
    llvm::Value *power =
        b.CreateCall(module_.intPowFunction(), {b.CreateIntCast(lhs, b.getInt64Ty(), isSigned),
                                                b.CreateIntCast(rhs, b.getInt64Ty(), isSigned)});
    return b.CreateTrunc(power, type);
  }
  case BinaryOp::LShift:
  case BinaryOp::RShift: {
    if (isSigned)
      raiseIf(b.CreateICmpSLT(rhs, constant(0)), NOGIL_ERROR_VALUE, "negative shift count", at);
    // Shifting by the width or more is poison in LLVM; Python's and NumPy's answer is 0, or
    // the sign for a right shift of a negative number.
    llvm::Value *tooFar = b.CreateICmpUGE(rhs, constant(bits));
    llvm::Value *count = b.CreateSelect(tooFar, constant(bits - 1), rhs);
    if (op == BinaryOp::RShift)
      return isSigned ? b.CreateAShr(lhs, count)
                      : b.CreateSelect(tooFar, constant(0), b.CreateLShr(lhs, count));
    return b.CreateSelect(tooFar, constant(0), b.CreateShl(lhs, count));
  }
  case BinaryOp::Div:
  case BinaryOp::MatMul:
    break;
  }
  assert(false && "the typer routes this operator elsewhere");
  return nullptr;
}

llvm::Value *FunctionLowering::floatBinary(BinaryOp op, llvm::Value *lhs, llvm::Value *rhs,
                                           Span at) {
  auto &b = builder_;
  // float64, or float32 when both operands are NumPy float32.
  llvm::Type *f64 = lhs->getType();
  llvm::Value *zero = llvm::ConstantFP::get(f64, 0.0);
  auto intrinsic = [&](llvm::Intrinsic::ID id, std::vector<llvm::Value *> args) {
    return b.CreateIntrinsic(id, {f64}, args);
  };
  switch (op) {
  case BinaryOp::Add:
    return b.CreateFAdd(lhs, rhs);
  case BinaryOp::Sub:
    return b.CreateFSub(lhs, rhs);
  case BinaryOp::Mul:
    return b.CreateFMul(lhs, rhs);
  case BinaryOp::Div:
    if (!numpyErrors())
      raiseIf(b.CreateFCmpOEQ(rhs, zero), NOGIL_ERROR_ZERO_DIVISION, "float division by zero", at);
    return b.CreateFDiv(lhs, rhs);
  case BinaryOp::Mod: {
    // By zero with error_model="numpy": fmod gives NaN, which the steps below keep.
    if (!numpyErrors())
      raiseIf(b.CreateFCmpOEQ(rhs, zero), NOGIL_ERROR_ZERO_DIVISION, "float modulo", at);
    // CPython's float_rem: fmod, moved into the divisor's sign; a zero takes its sign.
    llvm::Value *mod = b.CreateFRem(lhs, rhs);
    llvm::Value *signsDiffer = b.CreateXor(b.CreateFCmpOLT(rhs, zero), b.CreateFCmpOLT(mod, zero));
    llvm::Value *nonZero = b.CreateFCmpUNE(mod, zero);
    llvm::Value *moved =
        b.CreateSelect(b.CreateAnd(nonZero, signsDiffer), b.CreateFAdd(mod, rhs), mod);
    return b.CreateSelect(nonZero, moved, intrinsic(llvm::Intrinsic::copysign, {zero, rhs}));
  }
  case BinaryOp::FloorDiv: {
    if (!numpyErrors())
      raiseIf(b.CreateFCmpOEQ(rhs, zero), NOGIL_ERROR_ZERO_DIVISION, "float floor division by zero",
              at);
    // CPython's float_floor_div (via _float_div_mod), step for step.
    llvm::Value *mod = b.CreateFRem(lhs, rhs);
    llvm::Value *div = b.CreateFDiv(b.CreateFSub(lhs, mod), rhs);
    llvm::Value *signsDiffer = b.CreateXor(b.CreateFCmpOLT(rhs, zero), b.CreateFCmpOLT(mod, zero));
    llvm::Value *nonZeroMod = b.CreateFCmpUNE(mod, zero);
    div = b.CreateSelect(b.CreateAnd(nonZeroMod, signsDiffer),
                         b.CreateFSub(div, llvm::ConstantFP::get(f64, 1.0)), div);
    llvm::Value *floor = intrinsic(llvm::Intrinsic::floor, {div});
    llvm::Value *roundUp =
        b.CreateFCmpOGT(b.CreateFSub(div, floor), llvm::ConstantFP::get(f64, 0.5));
    floor = b.CreateSelect(roundUp, b.CreateFAdd(floor, llvm::ConstantFP::get(f64, 1.0)), floor);
    llvm::Value *signedZero = intrinsic(llvm::Intrinsic::copysign, {zero, b.CreateFDiv(lhs, rhs)});
    llvm::Value *result = b.CreateSelect(b.CreateFCmpUNE(div, zero), floor, signedZero);
    if (!numpyErrors())
      return result;
    // By zero, NumPy's floor_divide gives what true division gives: inf, -inf or nan.
    return b.CreateSelect(b.CreateFCmpOEQ(rhs, zero), b.CreateFDiv(lhs, rhs), result);
  }
  case BinaryOp::Pow: {
    // CPython's float_pow errors; everything else is C99 pow, as CPython defers to it.
    llvm::Value *inf = llvm::ConstantFP::getInfinity(f64);
    auto finite = [&](llvm::Value *v) {
      return b.CreateFCmpOLT(intrinsic(llvm::Intrinsic::fabs, {v}), inf);
    };
    if (numpyErrors()) // NumPy: inf and nan, no exceptions
      return intrinsic(llvm::Intrinsic::pow, {lhs, rhs});
    // 0.0 ** -inf is inf in CPython: only a finite negative exponent is an error.
    raiseIf(b.CreateAnd(b.CreateFCmpOEQ(lhs, zero),
                        b.CreateAnd(b.CreateFCmpOLT(rhs, zero), finite(rhs))),
            NOGIL_ERROR_ZERO_DIVISION, "0.0 cannot be raised to a negative power", at);
    llvm::Value *fractional = b.CreateFCmpUNE(intrinsic(llvm::Intrinsic::floor, {rhs}), rhs);
    raiseIf(b.CreateAnd(b.CreateAnd(b.CreateFCmpOLT(lhs, zero), finite(lhs)),
                        b.CreateAnd(finite(rhs), fractional)),
            NOGIL_ERROR_VALUE,
            "negative number cannot be raised to a fractional power (the result is complex)", at);
    llvm::Value *power = intrinsic(llvm::Intrinsic::pow, {lhs, rhs});
    // CPython's OverflowError is for Python floats; NumPy's float32 overflows to inf.
    if (f64->isDoubleTy())
      raiseIf(b.CreateAnd(b.CreateFCmpOEQ(intrinsic(llvm::Intrinsic::fabs, {power}), inf),
                          b.CreateAnd(finite(lhs), finite(rhs))),
              NOGIL_ERROR_OVERFLOW, "(34, 'Numerical result out of range')", at);
    return power;
  }
  case BinaryOp::MatMul:
  case BinaryOp::LShift:
  case BinaryOp::RShift:
  case BinaryOp::BitAnd:
  case BinaryOp::BitOr:
  case BinaryOp::BitXor:
    break;
  }
  assert(false && "the typer rejects this operator on floats");
  return nullptr;
}

llvm::Value *FunctionLowering::lowerUnary(const UnaryExpr *unary) {
  const Type *operandType = typed_.typeOf(unary->operand);
  if (unary->op == UnaryOp::Not)
    return builder_.CreateNot(lowerCondition(unary->operand));
  llvm::Value *operand = lowerExpr(unary->operand);
  if (operandType->isFloat())
    return unary->op == UnaryOp::Neg ? builder_.CreateFNeg(operand) : operand;
  if (operandType->isComplex()) {
    if (unary->op != UnaryOp::Neg)
      return operand;
    llvm::Value *negated = builder_.CreateInsertValue(
        operand, builder_.CreateFNeg(builder_.CreateExtractValue(operand, 0)), 0);
    return builder_.CreateInsertValue(
        negated, builder_.CreateFNeg(builder_.CreateExtractValue(operand, 1)), 1);
  }
  llvm::Value *value = convert(operand, operandType, typed_.typeOf(unary));
  switch (unary->op) {
  case UnaryOp::Neg:
    return builder_.CreateNeg(value);
  case UnaryOp::Invert:
    return builder_.CreateNot(value);
  case UnaryOp::Pos:
  case UnaryOp::Not:
    return value;
  }
  return value;
}

llvm::Value *FunctionLowering::lowerBoolOp(const BoolOpExpr *boolOp) {
  // `a or b`: the first operand that decides, converted to the unified type.
  const Type *type = typed_.typeOf(boolOp);
  llvm::AllocaInst *result = entryAlloca(module_.typeOf(type), "boolop");
  auto *done = newBlock("boolop.done");
  for (size_t i = 0; i < boolOp->values.size(); ++i) {
    const Expr *operand = boolOp->values[i];
    llvm::Value *value = lowerExpr(operand);
    builder_.CreateStore(convert(value, typed_.typeOf(operand), type), result);
    if (i + 1 == boolOp->values.size()) {
      builder_.CreateBr(done);
      break;
    }
    llvm::Value *decides = truth(value, typed_.typeOf(operand));
    if (boolOp->op == BoolOpKind::And)
      decides = builder_.CreateNot(decides);
    auto *next = newBlock("boolop.next");
    builder_.CreateCondBr(decides, done, next);
    builder_.SetInsertPoint(next);
  }
  builder_.SetInsertPoint(done);
  return builder_.CreateLoad(result->getAllocatedType(), result);
}

llvm::Value *FunctionLowering::compareValues(CompareOp op, llvm::Value *lhs, const Type *lhsType,
                                             llvm::Value *rhs, const Type *rhsType) {
  if (op == CompareOp::In || op == CompareOp::NotIn) {
    llvm::Value *found = tupleContains(lhs, lhsType, rhs, rhsType);
    return op == CompareOp::In ? found : builder_.CreateNot(found);
  }
  if (lhsType->isTuple())
    return compareTuples(op, lhs, lhsType, rhs, rhsType);
  if (lhsType->isTimeType() || rhsType->isTimeType())
    return timeCompare(op, lhs, lhsType, rhs, rhsType);
  const Type *common = sema::unify(lhsType, rhsType);
  if (common->isComplex()) { // == and != only: both parts equal
    lhs = convert(lhs, lhsType, common);
    rhs = convert(rhs, rhsType, common);
    llvm::Value *equal =
        builder_.CreateAnd(builder_.CreateFCmpOEQ(builder_.CreateExtractValue(lhs, 0),
                                                  builder_.CreateExtractValue(rhs, 0)),
                           builder_.CreateFCmpOEQ(builder_.CreateExtractValue(lhs, 1),
                                                  builder_.CreateExtractValue(rhs, 1)));
    return op == CompareOp::Eq ? equal : builder_.CreateNot(equal);
  }
  if (common->isFloat() && !(lhsType->isIntegral() && rhsType->isIntegral())) {
    lhs = convert(lhs, lhsType, common);
    rhs = convert(rhs, rhsType, common);
    switch (op) {
    case CompareOp::Lt:
      return builder_.CreateFCmpOLT(lhs, rhs);
    case CompareOp::LtE:
      return builder_.CreateFCmpOLE(lhs, rhs);
    case CompareOp::Gt:
      return builder_.CreateFCmpOGT(lhs, rhs);
    case CompareOp::GtE:
      return builder_.CreateFCmpOGE(lhs, rhs);
    case CompareOp::Eq:
      return builder_.CreateFCmpOEQ(lhs, rhs);
    case CompareOp::NotEq:
      return builder_.CreateFCmpUNE(lhs, rhs);
    default:
      break;
    }
  } else {
    // Integers compare exactly: int64 against uint64 (whose common type is float64) in 65
    // bits, everything else in the common integer type.
    bool isSigned = common->isFloat() || common->isSigned();
    llvm::Type *type = common->isFloat() ? builder_.getIntNTy(65) : module_.typeOf(common);
    lhs = builder_.CreateIntCast(lhs, type, lhsType->isSigned());
    rhs = builder_.CreateIntCast(rhs, type, rhsType->isSigned());
    switch (op) {
    case CompareOp::Lt:
      return isSigned ? builder_.CreateICmpSLT(lhs, rhs) : builder_.CreateICmpULT(lhs, rhs);
    case CompareOp::LtE:
      return isSigned ? builder_.CreateICmpSLE(lhs, rhs) : builder_.CreateICmpULE(lhs, rhs);
    case CompareOp::Gt:
      return isSigned ? builder_.CreateICmpSGT(lhs, rhs) : builder_.CreateICmpUGT(lhs, rhs);
    case CompareOp::GtE:
      return isSigned ? builder_.CreateICmpSGE(lhs, rhs) : builder_.CreateICmpUGE(lhs, rhs);
    case CompareOp::Eq:
      return builder_.CreateICmpEQ(lhs, rhs);
    case CompareOp::NotEq:
      return builder_.CreateICmpNE(lhs, rhs);
    default:
      break;
    }
  }
  assert(false && "the typer rejects identity and membership tests");
  return builder_.getFalse();
}

llvm::Value *FunctionLowering::lowerCompare(const CompareExpr *compare) {
  if (auto constant = typed_.constantComparisons.find(compare->id);
      constant != typed_.constantComparisons.end())
    return builder_.getInt1(constant->second);
  if (llvm::Value *tested = lowerNoneTest(compare))
    return tested;
  if (typed_.indexCallArgs.count(compare->id))
    return lowerArrayContains(compare);
  // `a < b < c` is `a < b and b < c` with b evaluated once.
  llvm::AllocaInst *result = entryAlloca(builder_.getInt1Ty(), "compare");
  auto *done = newBlock("compare.done");
  llvm::Value *lhs = lowerExpr(compare->operands[0]);
  for (size_t i = 0; i < compare->ops.size(); ++i) {
    const Expr *lhsExpr = compare->operands[i];
    const Expr *rhsExpr = compare->operands[i + 1];
    llvm::Value *rhs = lowerExpr(rhsExpr);
    llvm::Value *holds =
        compareValues(compare->ops[i], lhs, typed_.typeOf(lhsExpr), rhs, typed_.typeOf(rhsExpr));
    builder_.CreateStore(holds, result);
    if (i + 1 == compare->ops.size()) {
      builder_.CreateBr(done);
      break;
    }
    auto *next = newBlock("compare.next");
    builder_.CreateCondBr(holds, next, done);
    builder_.SetInsertPoint(next);
    lhs = rhs;
  }
  builder_.SetInsertPoint(done);
  return builder_.CreateLoad(builder_.getInt1Ty(), result);
}

llvm::Value *FunctionLowering::lowerIfElse(const IfElseExpr *ifElse) {
  const Type *type = typed_.typeOf(ifElse);
  llvm::AllocaInst *result = entryAlloca(module_.typeOf(type), "ifelse");
  auto *thenBlock = newBlock("ifelse.then");
  auto *elseBlock = newBlock("ifelse.else");
  auto *done = newBlock("ifelse.done");
  builder_.CreateCondBr(lowerCondition(ifElse->condition), thenBlock, elseBlock);
  builder_.SetInsertPoint(thenBlock);
  builder_.CreateStore(lowerAs(ifElse->thenValue, type), result);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(elseBlock);
  builder_.CreateStore(lowerAs(ifElse->elseValue, type), result);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return builder_.CreateLoad(result->getAllocatedType(), result);
}

llvm::Value *FunctionLowering::lowerSubscript(const SubscriptExpr *subscript) {
  if (typed_.indexCallArgs.count(subscript->id))
    return lowerIndexCall(subscript, nullptr, nullptr);
  if (typed_.typeOf(subscript->value)->isArray() || typed_.recordFields.count(subscript->id)) {
    ElementAccess access = arrayAccess(subscript);
    return access.view ? access.view : loadElement(access);
  }
  if (auto slice = typed_.tupleSlices.find(subscript->id); slice != typed_.tupleSlices.end())
    return lowerTupleSlice(subscript, slice->second);
  llvm::Value *tuple = lowerExpr(subscript->value);
  auto constant = typed_.constantIndices.find(subscript->id);
  if (constant != typed_.constantIndices.end()) {
    lowerExpr(subscript->index);
    return builder_.CreateExtractValue(tuple, constant->second);
  }
  // A homogeneous tuple indexed at run time: spill it, check the index as Python does.
  const Type *tupleType = typed_.typeOf(subscript->value);
  auto size = static_cast<int64_t>(tupleType->elements().size());
  llvm::Value *index = lowerAs(subscript->index, sema::int64Type());
  llvm::Value *wrapped =
      builder_.CreateSelect(builder_.CreateICmpSLT(index, builder_.getInt64(0)),
                            builder_.CreateAdd(index, builder_.getInt64(size)), index);
  raiseIf(builder_.CreateICmpUGE(wrapped, builder_.getInt64(size)), NOGIL_ERROR_INDEX,
          "tuple index out of range", subscript->span);
  llvm::Type *elementType = module_.typeOf(tupleType->elements().front());
  llvm::AllocaInst *spill = entryAlloca(llvm::ArrayType::get(elementType, size), "tuple.spill");
  if (tuple->getType() == spill->getAllocatedType()) { // a long tuple, already an array
    builder_.CreateStore(tuple, spill);
  } else {
    for (unsigned i = 0; i < tupleType->elements().size(); ++i)
      builder_.CreateStore(
          builder_.CreateExtractValue(tuple, i),
          builder_.CreateConstInBoundsGEP2_64(spill->getAllocatedType(), spill, 0, i));
  }
  llvm::Value *element =
      builder_.CreateInBoundsGEP(spill->getAllocatedType(), spill, {builder_.getInt64(0), wrapped});
  return builder_.CreateLoad(elementType, element);
}

llvm::Value *FunctionLowering::lowerCall(const CallExpr *call) {
  // isinstance(x, int), hasattr(a, 'shape'): decided when typing.
  if (auto constant = typed_.constantComparisons.find(call->id);
      constant != typed_.constantComparisons.end())
    return builder_.getInt1(constant->second);
  // `make()(x)`: the callee's own call runs first, as in Python.
  if (const Type *callee = typed_.typeOf(call->callee);
      callee && callee->isCallableValue() && call->callee->kind == ExprKind::Call)
    lowerExpr(call->callee);
  if (auto method = typed_.arrayMethods.find(call->id); method != typed_.arrayMethods.end())
    return lowerArrayMethod(call, method->second);
  if (auto search = typed_.tupleSearches.find(call->id); search != typed_.tupleSearches.end())
    return lowerTupleSearch(call, search->second);
  if (auto builtin = typed_.builtinCalls.find(call->id); builtin != typed_.builtinCalls.end()) {
    if (builtin->second == sema::Builtin::IsInstance) // of an optional: an instance unless None
      return builder_.CreateExtractValue(lowerExpr(call->args[0]), 0);
    return lowerBuiltinCall(call, builtin->second);
  }
  if (auto view = typed_.scalarViews.find(call->id); view != typed_.scalarViews.end())
    return lowerScalarView(call, view->second);
  if (auto method = typed_.scalarMethods.find(call->id); method != typed_.scalarMethods.end())
    return lowerScalarMethod(call, method->second);
  const sema::CallTarget &target = typed_.calls.at(call->id);
  std::vector<llvm::Value *> args;
  llvm::AllocaInst *result = nullptr;
  if (!target.returnType->isNone())
    result = entryAlloca(module_.typeOf(target.returnType), "call.result");
  args.push_back(result ? static_cast<llvm::Value *>(result)
                        : llvm::ConstantPointerNull::get(builder_.getPtrTy()));
  args.push_back(context_);
  // Python evaluates positional then keyword arguments in source order, and binds them to
  // parameters after; defaults are constants.
  // A method bound to an overload (`a.cumsum()`) passes its receiver first.
  std::vector<const Expr *> given;
  if (auto receiver = typed_.receivers.find(call->id); receiver != typed_.receivers.end())
    given.push_back(receiver->second);
  given.insert(given.end(), call->args.begin(), call->args.end());
  given.insert(given.end(), call->keywordValues.begin(), call->keywordValues.end());
  std::vector<llvm::Value *> values;
  for (const Expr *arg : given) {
    llvm::Value *value = lowerExpr(arg);
    values.push_back(value ? value : builder_.getInt64(0)); // None holds no value
  }
  const std::vector<int32_t> &order = typed_.argumentOrder.at(call->id);
  const sema::FunctionUnit &callee = *typed_.callees.at(call->id);
  for (size_t param = 0; param < order.size(); ++param) {
    int32_t index = order[param];
    if (index >= 0) {
      auto at = static_cast<size_t>(index);
      args.push_back(convert(values[at], typed_.typeOf(given[at]), target.params[param]));
      continue;
    }
    const sema::GlobalValue &value = callee.defaults[static_cast<size_t>(-1 - index)];
    args.push_back(convert(globalConstant(value), sema::defaultType(value), target.params[param]));
  }
  return emitCompiledCall(target, args, result, call->span);
}

llvm::Value *FunctionLowering::emitCompiledCall(const sema::CallTarget &target,
                                                const std::vector<llvm::Value *> &args,
                                                llvm::AllocaInst *result, Span at) {
  llvm::Value *status = builder_.CreateCall(module_.function(target.symbol, target.params), args);
  // A failed callee: add this call to the traceback and pass its status up.
  unwindIf(builder_.CreateICmpNE(status, builder_.getInt32(0)), module_.site(unit_, at));
  // The callee gave back its references: its result and our arguments may be unreferenced.
  bool passesArrays = holdsArrays(target.returnType);
  for (const sema::Type *param : target.params)
    passesArrays = passesArrays || holdsArrays(param);
  if (passesArrays)
    markGarbage();
  return result ? builder_.CreateLoad(result->getAllocatedType(), result) : nullptr;
}

} // namespace nogil::codegen
