// Lowering of calls to builtins and `math` functions, with CPython's errors: a NaN from a
// non-NaN argument is a ValueError ("math domain error"), an infinity from finite arguments
// an OverflowError or a ValueError depending on the function, as math_1 in mathmodule.c.
#include "codegen/lower_impl.h"

#include <llvm/IR/Intrinsics.h>

#include <optional>

namespace nogil::codegen {

using namespace ast;
using sema::Builtin;
using sema::Type;

namespace {

/// The libm function behind a one-argument math builtin, and whether an infinite result
/// from a finite argument is an overflow (OverflowError) rather than a pole (ValueError).
struct MathFunction {
  const char *libm;
  bool canOverflow;
};

std::optional<MathFunction> unaryMath(Builtin builtin) {
  switch (builtin) {
  case Builtin::Sqrt:
    return MathFunction{"sqrt", false};
  case Builtin::Exp:
    return MathFunction{"exp", true};
  case Builtin::Expm1:
    return MathFunction{"expm1", true};
  case Builtin::Log:
    return MathFunction{"log", false};
  case Builtin::Log1p:
    return MathFunction{"log1p", false};
  case Builtin::Log2:
    return MathFunction{"log2", false};
  case Builtin::Log10:
    return MathFunction{"log10", false};
  case Builtin::Sin:
    return MathFunction{"sin", false};
  case Builtin::Cos:
    return MathFunction{"cos", false};
  case Builtin::Tan:
    return MathFunction{"tan", false};
  case Builtin::Asin:
    return MathFunction{"asin", false};
  case Builtin::Acos:
    return MathFunction{"acos", false};
  case Builtin::Atan:
    return MathFunction{"atan", false};
  case Builtin::Sinh:
    return MathFunction{"sinh", true};
  case Builtin::Cosh:
    return MathFunction{"cosh", true};
  case Builtin::Tanh:
    return MathFunction{"tanh", false};
  case Builtin::Asinh:
    return MathFunction{"asinh", false};
  case Builtin::Acosh:
    return MathFunction{"acosh", false};
  case Builtin::Atanh:
    return MathFunction{"atanh", false};
  case Builtin::Fabs:
    return MathFunction{"fabs", false};
  default:
    return std::nullopt;
  }
}

constexpr const char *kDomainError = "math domain error";
constexpr const char *kRangeError = "math range error";

} // namespace

llvm::FunctionCallee FunctionLowering::externalFunction(const char *name, llvm::Type *result,
                                                        std::vector<llvm::Type *> params) {
  llvm::FunctionCallee callee =
      module_.module.getOrInsertFunction(name, llvm::FunctionType::get(result, params, false));
  if (auto *function = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    // Neither libm (errno is never read) nor the runtime helpers touch memory the caller sees.
    function->setDoesNotAccessMemory();
    function->setDoesNotThrow();
    function->setWillReturn();
  }
  return callee;
}

llvm::FunctionCallee FunctionLowering::textFunction(const char *name,
                                                    std::vector<llvm::Type *> params) {
  return module_.module.getOrInsertFunction(
      name, llvm::FunctionType::get(builder_.getVoidTy(), params, false));
}

void FunctionLowering::appendText(const Expr *text, bool begin, bool inFormattedString) {
  auto &b = builder_;
  if (begin)
    b.CreateCall(textFunction("nogil_rt_text_begin", {}), {});
  if (auto *literal = dynCast<StringLiteralExpr>(text)) {
    b.CreateCall(textFunction("nogil_rt_text_str", {b.getPtrTy()}),
                 {module_.string(literal->value)});
    return;
  }
  if (auto *formatted = dynCast<FormattedStringExpr>(text)) {
    for (const Expr *part : formatted->parts)
      appendText(part, false, true);
    return;
  }
  const Type *type = typed_.typeOf(text);
  if (type->isCompileTimeValue()) { // print(kind), f"{a.dtype}": the text str() gives
    std::string shown = type->isStringLiteral() ? type->literal() : type->dtype()->name();
    b.CreateCall(textFunction("nogil_rt_text_str", {b.getPtrTy()}), {module_.string(shown)});
    return;
  }
  llvm::Value *value = lowerExpr(text);
  // str() of a NumPy float32 has its own digits; an f-string formats it as a float64.
  if (inFormattedString && type->kind() == sema::TypeKind::Float32) {
    type = sema::float64Type();
    value = b.CreateFPExt(value, b.getDoubleTy());
  }
  if (type->kind() == sema::TypeKind::Float32)
    b.CreateCall(textFunction("nogil_rt_text_float32", {b.getFloatTy()}), {value});
  else if (type->isFloat())
    b.CreateCall(textFunction("nogil_rt_text_float", {b.getDoubleTy()}), {value});
  else if (type->kind() == sema::TypeKind::Bool)
    b.CreateCall(textFunction("nogil_rt_text_bool", {b.getInt32Ty()}),
                 {b.CreateZExt(value, b.getInt32Ty())});
  else if (type->isUnsigned())
    b.CreateCall(textFunction("nogil_rt_text_uint", {b.getInt64Ty()}),
                 {b.CreateZExt(value, b.getInt64Ty())});
  else
    b.CreateCall(textFunction("nogil_rt_text_int", {b.getInt64Ty()}),
                 {b.CreateSExt(value, b.getInt64Ty())});
}

llvm::Value *FunctionLowering::isNan(llvm::Value *x) { return builder_.CreateFCmpUNO(x, x); }

llvm::Value *FunctionLowering::isInf(llvm::Value *x) {
  llvm::Value *magnitude = builder_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
  return builder_.CreateFCmpOEQ(magnitude, llvm::ConstantFP::getInfinity(x->getType()));
}

llvm::Value *FunctionLowering::isFinite(llvm::Value *x) {
  llvm::Value *magnitude = builder_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
  return builder_.CreateFCmpOLT(magnitude, llvm::ConstantFP::getInfinity(x->getType()));
}

llvm::Value *FunctionLowering::floatToInt(llvm::Value *x, Span at) {
  raiseIf(isNan(x), NOGIL_ERROR_VALUE, "cannot convert float NaN to integer", at);
  raiseIf(isInf(x), NOGIL_ERROR_OVERFLOW, "cannot convert float infinity to integer", at);
  // [-2**63, 2**63) is what int64 holds; CPython would give a larger int.
  llvm::Type *f64 = builder_.getDoubleTy();
  llvm::Value *fits =
      builder_.CreateAnd(builder_.CreateFCmpOGE(x, llvm::ConstantFP::get(f64, -0x1p63)),
                         builder_.CreateFCmpOLT(x, llvm::ConstantFP::get(f64, 0x1p63)));
  raiseIf(builder_.CreateNot(fits), NOGIL_ERROR_OVERFLOW,
          "float too large to convert to int64, the type of compiled ints", at);
  return builder_.CreateFPToSI(x, builder_.getInt64Ty());
}

llvm::Value *FunctionLowering::checkedMath1(const char *libm, bool canOverflow, llvm::Value *x,
                                            Span at) {
  llvm::Type *f64 = builder_.getDoubleTy();
  llvm::Value *result = builder_.CreateCall(externalFunction(libm, f64, {f64}), {x});
  if (numpyErrors()) // NumPy's and Numba's answer: libm's nan or infinity
    return result;
  raiseIf(builder_.CreateAnd(isNan(result), builder_.CreateNot(isNan(x))), NOGIL_ERROR_VALUE,
          kDomainError, at);
  raiseIf(builder_.CreateAnd(isInf(result), isFinite(x)),
          canOverflow ? NOGIL_ERROR_OVERFLOW : NOGIL_ERROR_VALUE,
          canOverflow ? kRangeError : kDomainError, at);
  return result;
}

llvm::Value *FunctionLowering::lowerBuiltinCall(const CallExpr *call, Builtin builtin) {
  auto &b = builder_;
  llvm::Type *f64 = b.getDoubleTy();
  llvm::Type *i64 = b.getInt64Ty();
  const Type *result = typed_.typeOf(call);
  Span at = call->span;
  auto argType = [&](size_t i) { return typed_.typeOf(call->args[i]); };
  auto asFloat = [&](size_t i) { return lowerAs(call->args[i], sema::float64Type()); };
  auto asInt = [&](size_t i) { return lowerAs(call->args[i], sema::int64Type()); };

  if (sema::isArrayReduction(builtin))
    return lowerArrayReduction(call, builtin);
  if (sema::isMatrixProduct(builtin)) {
    const auto &operands = typed_.productOperands.at(call->id);
    return lowerMatrixProduct(builtin, operands[0], operands[1], operands[2], typed_.typeOf(call),
                              call->span);
  }
  if (sema::isArrayAllocation(builtin))
    return lowerArrayAllocation(call, builtin);
  if (const sema::UfuncInfo *ufunc = sema::ufuncInfo(builtin)) {
    // With `out` it writes there; without, arrays go through lowerElementwise.
    if (ufuncOutArgument(call, ufunc->inputs))
      return lowerUfuncInto(call, builtin);
    return lowerUfuncScalar(call, builtin);
  }
  if (const Type *scalar = sema::numpyScalarType(builtin)) {
    if (call->args.empty())
      return llvm::Constant::getNullValue(module_.typeOf(scalar));
    if (call->args.size() == 2) { // np.complex64(real, imag): as complex(real, imag), rounded
      llvm::Value *z = llvm::UndefValue::get(module_.typeOf(sema::complex128Type()));
      z = b.CreateInsertValue(z, asFloat(0), 0);
      z = b.CreateInsertValue(z, asFloat(1), 1);
      return convert(z, sema::complex128Type(), scalar);
    }
    // A Python int or float converts checked (np.int8(300) is an OverflowError); a NumPy
    // scalar of another type is cast, wrapping as NumPy's casts do.
    const Type *from = argType(0);
    bool python = from == sema::int64Type() || from == sema::float64Type();
    return scalar->isInteger() && python
               ? checkedToInteger(lowerExpr(call->args[0]), from, scalar, at)
               : lowerAs(call->args[0], scalar);
  }
  if (llvm::Value *value = lowerMathBuiltin(call, builtin))
    return value;
  if (auto math = unaryMath(builtin)) {
    llvm::Value *x = asFloat(0);
    if (builtin == Builtin::Fabs)
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
    llvm::Value *value = checkedMath1(math->libm, math->canOverflow, x, at);
    if (builtin == Builtin::Log && call->args.size() == 2) {
      llvm::Value *base = checkedMath1("log", false, asFloat(1), at);
      if (numpyErrors())
        return b.CreateFDiv(value, base);
      raiseIf(b.CreateFCmpOEQ(base, llvm::ConstantFP::get(f64, 0.0)), NOGIL_ERROR_ZERO_DIVISION,
              "float division by zero", at);
      return b.CreateFDiv(value, base);
    }
    return value;
  }

  switch (builtin) {
  case Builtin::Abs: {
    if (argType(0)->isComplex()) { // CPython's complex abs: hypot, OverflowError past float64
      llvm::Value *z = lowerExpr(call->args[0]);
      llvm::Value *re = b.CreateExtractValue(z, 0);
      llvm::Value *im = b.CreateExtractValue(z, 1);
      if (argType(0)->kind() == sema::TypeKind::Complex64) // NumPy's scalar abs: hypotf, no error
        return mathFunction("hypot", {re, im});
      llvm::Value *magnitude = b.CreateCall(externalFunction("hypot", f64, {f64, f64}), {re, im});
      raiseIf(b.CreateAnd(isInf(magnitude), b.CreateAnd(isFinite(re), isFinite(im))),
              NOGIL_ERROR_OVERFLOW, "absolute value too large", at);
      return magnitude;
    }
    llvm::Value *x = lowerAs(call->args[0], result);
    if (result->isFloat())
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
    if (result->isUnsigned())
      return x;
    // abs(-2**63) wraps to itself, like every int64 operation (and NumPy's abs).
    return b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, x, b.getFalse());
  }
  case Builtin::Min:
  case Builtin::Max: {
    // CPython keeps the first of equal items and replaces the current one only when the next
    // compares strictly less (greater): so min(nan, 1) is nan and min(1, nan) is 1.
    llvm::Value *best = lowerAs(call->args[0], result);
    for (size_t i = 1; i < call->args.size(); ++i) {
      llvm::Value *next = lowerAs(call->args[i], result);
      CompareOp op = builtin == Builtin::Min ? CompareOp::Lt : CompareOp::Gt;
      best = b.CreateSelect(compareValues(op, next, result, best, result), next, best);
    }
    return best;
  }
  case Builtin::Int:
    if (call->args.empty())
      return b.getInt64(0);
    if (argType(0)->isFloat())
      return floatToInt(b.CreateUnaryIntrinsic(llvm::Intrinsic::trunc, asFloat(0)), at);
    return asInt(0);
  case Builtin::Float:
    return call->args.empty() ? llvm::ConstantFP::get(f64, 0.0) : asFloat(0);
  case Builtin::Bool:
    return call->args.empty() ? b.getFalse() : lowerCondition(call->args[0]);
  case Builtin::Complex: {
    if (call->args.size() == 1 && argType(0)->isComplex())
      return lowerAs(call->args[0], result);
    llvm::Value *z = llvm::UndefValue::get(module_.typeOf(result));
    z = b.CreateInsertValue(z, call->args.empty() ? llvm::ConstantFP::get(f64, 0) : asFloat(0), 0);
    return b.CreateInsertValue(
        z, call->args.size() < 2 ? llvm::ConstantFP::get(f64, 0) : asFloat(1), 1);
  }
  case Builtin::Round:
    if (call->args.size() == 1)
      return argType(0)->isFloat()
                 ? floatToInt(b.CreateUnaryIntrinsic(llvm::Intrinsic::roundeven, asFloat(0)), at)
                 : asInt(0);
    if (argType(0)->isFloat()) {
      llvm::Value *x = asFloat(0);
      llvm::Value *rounded =
          b.CreateCall(externalFunction("nogil_rt_round_float", f64, {f64, i64}), {x, asInt(1)});
      raiseIf(b.CreateAnd(isInf(rounded), isFinite(x)), NOGIL_ERROR_OVERFLOW,
              "rounded value too large to represent", at);
      return convert(rounded, sema::float64Type(), result); // float32 rounds in float64
    }
    return b.CreateCall(externalFunction("nogil_rt_round_int", i64, {i64, i64}),
                        {asInt(0), asInt(1)});
  case Builtin::Pow:
    return binaryValues(BinaryOp::Pow, lowerExpr(call->args[0]), argType(0),
                        lowerExpr(call->args[1]), argType(1), result, at);
  case Builtin::Print: {
    b.CreateCall(textFunction("nogil_rt_text_begin", {}), {});
    for (size_t i = 0; i < call->args.size(); ++i) {
      if (i > 0)
        b.CreateCall(textFunction("nogil_rt_text_str", {b.getPtrTy()}), {module_.string(" ")});
      appendText(call->args[i], false);
    }
    b.CreateCall(textFunction("nogil_rt_print", {}), {});
    return nullptr;
  }
  case Builtin::Len:
    if (argType(0)->isArray())
      return b.CreateExtractValue(lowerExpr(call->args[0]), {1u, 0u});
    lowerExpr(call->args[0]);
    return b.getInt64(static_cast<int64_t>(argType(0)->elements().size()));
  case Builtin::DivMod: {
    // CPython checks the divisor once, with divmod's own message for floats.
    const Type *part = result->elements()[0];
    llvm::Value *lhs = lowerAs(call->args[0], part);
    llvm::Value *rhs = lowerAs(call->args[1], part);
    if (part->isFloat() && !numpyErrors())
      raiseIf(b.CreateFCmpOEQ(rhs, llvm::ConstantFP::get(rhs->getType(), 0.0)),
              NOGIL_ERROR_ZERO_DIVISION, "float divmod()", at);
    llvm::Value *quotient = binaryValues(BinaryOp::FloorDiv, lhs, part, rhs, part, part, at);
    llvm::Value *remainder = binaryValues(BinaryOp::Mod, lhs, part, rhs, part, part, at);
    llvm::Value *pair = llvm::UndefValue::get(module_.typeOf(result));
    pair = b.CreateInsertValue(pair, quotient, 0);
    return b.CreateInsertValue(pair, remainder, 1);
  }
  case Builtin::Tuple:
    if (call->args.empty())
      return llvm::UndefValue::get(module_.typeOf(result));
    return lowerExpr(call->args[0]);
  case Builtin::Hash:
    return hashOf(lowerExpr(call->args[0]), argType(0));
  case Builtin::Atan2:
    return b.CreateCall(externalFunction("atan2", f64, {f64, f64}), {asFloat(0), asFloat(1)});
  case Builtin::Hypot:
    return b.CreateCall(externalFunction("hypot", f64, {f64, f64}), {asFloat(0), asFloat(1)});
  case Builtin::Copysign:
    return b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, asFloat(0), asFloat(1));
  case Builtin::Fmod: {
    llvm::Value *x = asFloat(0);
    llvm::Value *y = asFloat(1);
    llvm::Value *value = b.CreateCall(externalFunction("fmod", f64, {f64, f64}), {x, y});
    if (numpyErrors())
      return value;
    raiseIf(b.CreateAnd(isNan(value), b.CreateNot(b.CreateOr(isNan(x), isNan(y)))),
            NOGIL_ERROR_VALUE, kDomainError, at);
    return value;
  }
  case Builtin::MathPow: {
    llvm::Value *x = asFloat(0);
    llvm::Value *y = asFloat(1);
    // C99 pow gives CPython's answers for every non-finite operand; finite ones check.
    llvm::Value *value = b.CreateCall(externalFunction("pow", f64, {f64, f64}), {x, y});
    if (numpyErrors())
      return value;
    llvm::Value *finiteArgs = b.CreateAnd(isFinite(x), isFinite(y));
    llvm::Value *zeroBase = b.CreateFCmpOEQ(x, llvm::ConstantFP::get(f64, 0.0));
    raiseIf(b.CreateAnd(finiteArgs, b.CreateOr(isNan(value), b.CreateAnd(isInf(value), zeroBase))),
            NOGIL_ERROR_VALUE, kDomainError, at);
    raiseIf(b.CreateAnd(finiteArgs, isInf(value)), NOGIL_ERROR_OVERFLOW, kRangeError, at);
    return value;
  }
  case Builtin::Floor:
  case Builtin::Ceil:
  case Builtin::Trunc: {
    if (!argType(0)->isFloat())
      return asInt(0);
    llvm::Intrinsic::ID id = builtin == Builtin::Floor  ? llvm::Intrinsic::floor
                             : builtin == Builtin::Ceil ? llvm::Intrinsic::ceil
                                                        : llvm::Intrinsic::trunc;
    return floatToInt(b.CreateUnaryIntrinsic(id, asFloat(0)), at);
  }
  case Builtin::IsNan:
    return argType(0)->isFloat() ? isNan(asFloat(0)) : (lowerExpr(call->args[0]), b.getFalse());
  case Builtin::IsInf:
    return argType(0)->isFloat() ? isInf(asFloat(0)) : (lowerExpr(call->args[0]), b.getFalse());
  case Builtin::IsFinite:
    return argType(0)->isFloat() ? isFinite(asFloat(0)) : (lowerExpr(call->args[0]), b.getTrue());
  case Builtin::Gcd: {
    llvm::Value *gcd = b.getInt64(0);
    for (size_t i = 0; i < call->args.size(); ++i)
      gcd = b.CreateCall(externalFunction("nogil_rt_gcd", i64, {i64, i64}), {gcd, asInt(i)});
    return gcd;
  }
  default:
    break;
  }
  assert(false && "every builtin the typer accepts has a lowering");
  return nullptr;
}

// CPython's hash(): of a float, an int (also uint64), a complex number (real part plus
// 1000003 times the imaginary part's) and a tuple (the xxHash-based tuplehash of 3.8+).
llvm::Value *FunctionLowering::hashOf(llvm::Value *value, const sema::Type *type) {
  auto &b = builder_;
  llvm::Type *i64 = b.getInt64Ty();
  llvm::Type *f64 = b.getDoubleTy();
  if (type->isFloat())
    return b.CreateCall(externalFunction("nogil_rt_hash_float", i64, {f64}),
                        {convert(value, type, sema::float64Type())});
  if (type->kind() == sema::TypeKind::UInt64)
    return b.CreateCall(externalFunction("nogil_rt_hash_uint", i64, {i64}), {value});
  if (type->isComplex()) {
    llvm::Value *z = convert(value, type, sema::complex128Type());
    llvm::Value *real = hashOf(b.CreateExtractValue(z, 0), sema::float64Type());
    llvm::Value *imag = hashOf(b.CreateExtractValue(z, 1), sema::float64Type());
    llvm::Value *combined = b.CreateAdd(real, b.CreateMul(imag, b.getInt64(1000003)));
    return b.CreateSelect(b.CreateICmpEQ(combined, b.getInt64(-1)), b.getInt64(-2), combined);
  }
  if (type->isTuple()) {
    const uint64_t prime1 = 11400714785074694791ULL;
    const uint64_t prime2 = 14029467366897019727ULL;
    const uint64_t prime5 = 2870177450012600261ULL;
    llvm::Value *acc = b.getInt64(prime5);
    const auto &elements = type->elements();
    for (size_t i = 0; i < elements.size(); ++i) {
      llvm::Value *lane =
          hashOf(b.CreateExtractValue(value, static_cast<unsigned>(i)), elements[i]);
      acc = b.CreateAdd(acc, b.CreateMul(lane, b.getInt64(prime2)));
      acc = b.CreateIntrinsic(llvm::Intrinsic::fshl, {i64}, {acc, acc, b.getInt64(31)});
      acc = b.CreateMul(acc, b.getInt64(prime1));
    }
    acc = b.CreateAdd(acc, b.getInt64(elements.size() ^ (prime5 ^ 3527539ULL)));
    return b.CreateSelect(b.CreateICmpEQ(acc, b.getInt64(-1)), b.getInt64(1546275796), acc);
  }
  return b.CreateCall(externalFunction("nogil_rt_hash_int", i64, {i64}),
                      {convert(value, type, sema::int64Type())});
}

} // namespace nogil::codegen
