// Lowering of the math functions added by issue 15 (erf, gamma, ldexp, frexp, isclose, comb,
// factorial, ...) and of pow(base, exp, mod): libm calls or LLVM intrinsics with CPython's
// errors, and runtime helpers for the integer functions (integer_math.h).
#include "codegen/lower_impl.h"

#include "runtime/complex_math.h"

#include <llvm/IR/Intrinsics.h>

#include <numbers>

namespace nogil::codegen {

using namespace ast;
using sema::Builtin;
using sema::Type;

namespace {

constexpr const char *kDomainError = "math domain error";
constexpr const char *kRangeError = "math range error";

} // namespace

llvm::Value *FunctionLowering::lowerGamma(Builtin builtin, llvm::Value *x, Span at) {
  auto &b = builder_;
  llvm::Type *f64 = b.getDoubleTy();
  llvm::Value *value = nullptr;
  if (builtin == Builtin::Gamma) {
    value = b.CreateCall(externalFunction("tgamma", f64, {f64}), {x});
  } else {
    // lgamma_r, not lgamma, which writes the global `signgam` from every thread at once.
    llvm::Value *sign = entryAlloca(b.getInt32Ty(), "lgamma.sign");
    llvm::FunctionCallee lgamma = module_.module.getOrInsertFunction(
        "lgamma_r", llvm::FunctionType::get(f64, {f64, b.getPtrTy()}, false));
    value = b.CreateCall(lgamma, {x, sign});
  }
  if (numpyErrors())
    return value;
  raiseIf(b.CreateAnd(isNan(value), b.CreateNot(isNan(x))), NOGIL_ERROR_VALUE, kDomainError, at);
  // An infinity from a finite x: a pole (0, -1, -2, ...) is a domain error, as in CPython's
  // m_tgamma and m_lgamma; anything else overflowed.
  llvm::Value *pole =
      b.CreateAnd(b.CreateFCmpOLE(x, llvm::ConstantFP::get(f64, 0.0)),
                  b.CreateFCmpOEQ(x, b.CreateUnaryIntrinsic(llvm::Intrinsic::floor, x)));
  llvm::Value *infinite = b.CreateAnd(isInf(value), isFinite(x));
  raiseIf(b.CreateAnd(infinite, pole), NOGIL_ERROR_VALUE, kDomainError, at);
  raiseIf(infinite, NOGIL_ERROR_OVERFLOW, kRangeError, at);
  return value;
}

llvm::Value *FunctionLowering::lowerIntegerMath(Builtin builtin, llvm::Value *n, llvm::Value *k,
                                                Span at) {
  auto &b = builder_;
  llvm::Type *i64 = b.getInt64Ty();
  llvm::Value *zero = b.getInt64(0);
  switch (builtin) {
  case Builtin::Factorial:
    raiseIf(b.CreateICmpSLT(n, zero), NOGIL_ERROR_VALUE,
            "factorial() not defined for negative values", at);
    break;
  case Builtin::Isqrt:
    raiseIf(b.CreateICmpSLT(n, zero), NOGIL_ERROR_VALUE, "isqrt() argument must be nonnegative",
            at);
    return b.CreateCall(externalFunction("nogil_rt_isqrt", i64, {i64}), {n});
  default: // comb, perm
    raiseIf(b.CreateICmpSLT(n, zero), NOGIL_ERROR_VALUE, "n must be a non-negative integer", at);
    if (k)
      raiseIf(b.CreateICmpSLT(k, zero), NOGIL_ERROR_VALUE, "k must be a non-negative integer", at);
    break;
  }
  llvm::Value *result =
      builtin == Builtin::Comb
          ? b.CreateCall(externalFunction("nogil_rt_comb", i64, {i64, i64}), {n, k})
      : builtin == Builtin::Perm && k
          ? b.CreateCall(externalFunction("nogil_rt_perm", i64, {i64, i64}), {n, k})
          : b.CreateCall(externalFunction("nogil_rt_factorial", i64, {i64}), {n});
  raiseIf(b.CreateICmpSLT(result, zero), NOGIL_ERROR_OVERFLOW,
          builtin == Builtin::Comb   ? "comb() result does not fit in int64, the type of "
                                       "compiled ints"
          : builtin == Builtin::Perm ? "perm() result does not fit in int64, the type of "
                                       "compiled ints"
                                     : "factorial() result does not fit in int64, the type of "
                                       "compiled ints",
          at);
  return result;
}

llvm::Value *FunctionLowering::complexPower(llvm::Value *z, llvm::Value *w, Span at) {
  auto &b = builder_;
  llvm::Type *f64 = b.getDoubleTy();
  llvm::Type *part = b.CreateExtractValue(z, 0)->getType();
  std::vector<llvm::Value *> args;
  for (llvm::Value *operand : {z, w})
    for (unsigned i = 0; i < 2; ++i) // complex64 computes in double, rounded once
      args.push_back(b.CreateFPExt(b.CreateExtractValue(operand, i), f64));
  llvm::Value *out = entryAlloca(llvm::ArrayType::get(f64, 2), "complex.pow");
  args.push_back(out);
  // Not externalFunction: it writes through `out`.
  llvm::FunctionCallee power = module_.module.getOrInsertFunction(
      "nogil_rt_complex_pow",
      llvm::FunctionType::get(b.getInt32Ty(), {f64, f64, f64, f64, b.getPtrTy()}, false));
  llvm::Value *status = b.CreateCall(power, args);
  if (!numpyErrors()) {
    raiseIf(b.CreateICmpEQ(status, b.getInt32(NOGIL_COMPLEX_ZERO_POWER)), NOGIL_ERROR_ZERO_DIVISION,
            "0.0 to a negative or complex power", at);
    raiseIf(b.CreateICmpEQ(status, b.getInt32(NOGIL_COMPLEX_OVERFLOW)), NOGIL_ERROR_OVERFLOW,
            "complex exponentiation", at);
  }
  llvm::Value *re = b.CreateLoad(f64, out);
  llvm::Value *im = b.CreateLoad(f64, b.CreateConstGEP1_64(f64, out, 1));
  return makeComplex(b.CreateFPTrunc(re, part), b.CreateFPTrunc(im, part));
}

llvm::Value *FunctionLowering::lowerScalarMethod(const CallExpr *call, sema::ScalarMethod method) {
  auto &b = builder_;
  const Expr *receiver = cast<AttributeExpr>(call->callee)->value;
  const Type *owner = typed_.typeOf(receiver);
  llvm::Value *x = lowerExpr(receiver);
  switch (method) {
  case sema::ScalarMethod::Conjugate:
    if (owner->isComplex())
      return b.CreateInsertValue(x, b.CreateFNeg(b.CreateExtractValue(x, 1)), 1);
    return convert(x, owner, typed_.typeOf(call));
  case sema::ScalarMethod::BitLength: {
    // The bits of |n| (of 2**63 for -2**63), from the int64 value as Python's int has it.
    llvm::Value *n = convert(x, owner, sema::int64Type());
    if (owner->isSigned())
      n = b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, n, b.getFalse());
    llvm::Value *zeros = b.CreateBinaryIntrinsic(llvm::Intrinsic::ctlz, n, b.getFalse());
    return b.CreateSub(b.getInt64(64), zeros);
  }
  case sema::ScalarMethod::IsInteger:
    if (!owner->isFloat())
      return b.getTrue();
    return b.CreateAnd(isFinite(x),
                       b.CreateFCmpOEQ(x, b.CreateUnaryIntrinsic(llvm::Intrinsic::floor, x)));
  }
  return nullptr;
}

llvm::Value *FunctionLowering::lowerCmath(const CallExpr *call, Builtin builtin) {
  auto &b = builder_;
  llvm::Type *f64 = b.getDoubleTy();
  Span at = call->span;
  auto parts = [&](size_t i) {
    llvm::Value *z = lowerAs(call->args[i], sema::complex128Type());
    return std::pair{b.CreateExtractValue(z, 0), b.CreateExtractValue(z, 1)};
  };
  // CPython's _Py_c_abs: hypot, an OverflowError when finite parts give an infinity.
  auto magnitude = [&](llvm::Value *re, llvm::Value *im, bool checked) {
    llvm::Value *value = b.CreateCall(externalFunction("hypot", f64, {f64, f64}), {re, im});
    if (checked && !numpyErrors())
      raiseIf(b.CreateAnd(isInf(value), b.CreateAnd(isFinite(re), isFinite(im))),
              NOGIL_ERROR_OVERFLOW, kRangeError, at);
    return value;
  };
  auto phase = [&](llvm::Value *re, llvm::Value *im) {
    return b.CreateCall(externalFunction("atan2", f64, {f64, f64}), {im, re});
  };
  switch (builtin) {
  case Builtin::CmathPhase: {
    auto [re, im] = parts(0);
    llvm::Value *angle = phase(re, im);
    // CPython raises what libm's errno says: glibc's atan2 sets ERANGE when a non-zero y
    // over a finite x underflows to 0 (phase(1e300 + 1e-300j)).
    llvm::Value *zero = llvm::ConstantFP::get(f64, 0.0);
    if (!numpyErrors())
      raiseIf(b.CreateAnd(b.CreateAnd(b.CreateFCmpOEQ(angle, zero), b.CreateFCmpONE(im, zero)),
                          isFinite(re)),
              NOGIL_ERROR_OVERFLOW, kRangeError, at);
    return angle;
  }
  case Builtin::CmathPolar: {
    auto [re, im] = parts(0);
    llvm::Value *pair = llvm::UndefValue::get(module_.typeOf(typed_.typeOf(call)));
    pair = b.CreateInsertValue(pair, magnitude(re, im, true), 0);
    return b.CreateInsertValue(pair, phase(re, im), 1);
  }
  case Builtin::CmathIsNan: {
    auto [re, im] = parts(0);
    return b.CreateOr(isNan(re), isNan(im));
  }
  case Builtin::CmathIsInf: {
    auto [re, im] = parts(0);
    return b.CreateOr(isInf(re), isInf(im));
  }
  case Builtin::CmathIsFinite: {
    auto [re, im] = parts(0);
    return b.CreateAnd(isFinite(re), isFinite(im));
  }
  case Builtin::CmathIsClose: { // rel_tol=1e-09, abs_tol=0.0, as CPython's cmath.isclose
    auto [ar, ai] = parts(0);
    auto [br, bi] = parts(1);
    llvm::Value *equal = b.CreateAnd(b.CreateFCmpOEQ(ar, br), b.CreateFCmpOEQ(ai, bi));
    llvm::Value *infinite =
        b.CreateOr(b.CreateOr(isInf(ar), isInf(ai)), b.CreateOr(isInf(br), isInf(bi)));
    llvm::Value *diff = magnitude(b.CreateFSub(ar, br), b.CreateFSub(ai, bi), false);
    llvm::Value *relTol = llvm::ConstantFP::get(f64, 1e-09);
    llvm::Value *close = b.CreateOr(
        b.CreateOr(b.CreateFCmpOLE(diff, b.CreateFMul(relTol, magnitude(br, bi, false))),
                   b.CreateFCmpOLE(diff, b.CreateFMul(relTol, magnitude(ar, ai, false)))),
        b.CreateFCmpOLE(diff, llvm::ConstantFP::get(f64, 0.0)));
    return b.CreateOr(equal, b.CreateAnd(b.CreateNot(infinite), close));
  }
  case Builtin::CmathSqrt: {
    auto [re, im] = parts(0);
    llvm::Value *root = b.CreateCall(
        externalFunction("nogil_rt_cmath_sqrt", llvm::StructType::get(f64, f64), {f64, f64}),
        {re, im});
    return makeComplex(b.CreateExtractValue(root, 0), b.CreateExtractValue(root, 1));
  }
  default:
    return nullptr;
  }
}

llvm::Value *FunctionLowering::lowerMathBuiltin(const CallExpr *call, Builtin builtin) {
  auto &b = builder_;
  llvm::Type *f64 = b.getDoubleTy();
  llvm::Type *i32 = b.getInt32Ty();
  llvm::Type *i64 = b.getInt64Ty();
  Span at = call->span;
  auto asFloat = [&](size_t i) { return lowerAs(call->args[i], sema::float64Type()); };
  auto asInt = [&](size_t i) { return lowerAs(call->args[i], sema::int64Type()); };
  auto constant = [&](double value) { return llvm::ConstantFP::get(f64, value); };
  switch (builtin) {
  case Builtin::Erf:
    return b.CreateCall(externalFunction("erf", f64, {f64}), {asFloat(0)});
  case Builtin::Erfc:
    return b.CreateCall(externalFunction("erfc", f64, {f64}), {asFloat(0)});
  case Builtin::Cbrt:
    return b.CreateCall(externalFunction("cbrt", f64, {f64}), {asFloat(0)});
  case Builtin::Exp2:
    return checkedMath1("exp2", true, asFloat(0), at);
  case Builtin::Gamma:
  case Builtin::Lgamma:
    return lowerGamma(builtin, asFloat(0), at);
  case Builtin::Degrees: // CPython's radToDeg and degToRad, rounded once like these
    return b.CreateFMul(asFloat(0), constant(180.0 / std::numbers::pi));
  case Builtin::Radians:
    return b.CreateFMul(asFloat(0), constant(std::numbers::pi / 180.0));
  case Builtin::Ulp: {
    // CPython's math.ulp: the gap to the next float away from zero, or below the largest.
    llvm::Value *x = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, asFloat(0));
    llvm::FunctionCallee nextAfter = externalFunction("nextafter", f64, {f64, f64});
    llvm::Value *inf = llvm::ConstantFP::getInfinity(f64);
    llvm::Value *up = b.CreateCall(nextAfter, {x, inf});
    llvm::Value *down = b.CreateCall(nextAfter, {x, b.CreateFNeg(inf)});
    llvm::Value *gap = b.CreateSelect(isInf(up), b.CreateFSub(x, down), b.CreateFSub(up, x));
    return b.CreateSelect(isFinite(x), gap, x); // nan and inf are their own ulp
  }
  case Builtin::Remainder: {
    llvm::Value *x = asFloat(0);
    llvm::Value *y = asFloat(1);
    llvm::Value *value = b.CreateCall(externalFunction("remainder", f64, {f64, f64}), {x, y});
    if (!numpyErrors()) // remainder(inf, y) and remainder(x, 0)
      raiseIf(b.CreateAnd(isNan(value), b.CreateNot(b.CreateOr(isNan(x), isNan(y)))),
              NOGIL_ERROR_VALUE, kDomainError, at);
    return value;
  }
  case Builtin::NextAfter:
    return b.CreateCall(externalFunction("nextafter", f64, {f64, f64}), {asFloat(0), asFloat(1)});
  case Builtin::Ldexp: {
    llvm::Value *x = asFloat(0);
    // Past +-20000 every finite non-zero x overflows or underflows alike: ldexp's int suffices.
    llvm::Value *exponent = b.CreateBinaryIntrinsic(
        llvm::Intrinsic::smax,
        b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, asInt(1), b.getInt64(20000)),
        b.getInt64(-20000));
    llvm::Value *value =
        b.CreateIntrinsic(llvm::Intrinsic::ldexp, {f64, i32}, {x, b.CreateTrunc(exponent, i32)});
    if (!numpyErrors())
      raiseIf(b.CreateAnd(isInf(value), isFinite(x)), NOGIL_ERROR_OVERFLOW, kRangeError, at);
    return value;
  }
  case Builtin::Frexp: {
    llvm::Value *x = asFloat(0);
    llvm::Value *parts = b.CreateIntrinsic(llvm::Intrinsic::frexp, {f64, i32}, {x});
    llvm::Value *exponent = b.CreateSExt(b.CreateExtractValue(parts, 1), i64);
    // inf and nan: (x, 0), as CPython; the intrinsic leaves their exponent unspecified.
    exponent = b.CreateSelect(isFinite(x), exponent, b.getInt64(0));
    llvm::Value *pair = llvm::UndefValue::get(module_.typeOf(typed_.typeOf(call)));
    pair = b.CreateInsertValue(pair, b.CreateExtractValue(parts, 0), 0);
    return b.CreateInsertValue(pair, exponent, 1);
  }
  case Builtin::Modf: {
    llvm::Value *x = asFloat(0);
    llvm::Value *whole = b.CreateUnaryIntrinsic(llvm::Intrinsic::trunc, x);
    // x - trunc(x) is exact; an infinity's fraction is 0; the fraction keeps x's sign.
    llvm::Value *fraction = b.CreateSelect(isInf(x), constant(0.0), b.CreateFSub(x, whole));
    fraction = b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, fraction, x);
    llvm::Value *pair = llvm::UndefValue::get(module_.typeOf(typed_.typeOf(call)));
    pair = b.CreateInsertValue(pair, fraction, 0);
    return b.CreateInsertValue(pair, whole, 1);
  }
  case Builtin::IsClose: {
    // CPython's math.isclose with rel_tol=1e-09 and abs_tol=0.0.
    llvm::Value *x = asFloat(0);
    llvm::Value *y = asFloat(1);
    llvm::Value *relTol = constant(1e-09);
    llvm::Value *diff = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, b.CreateFSub(y, x));
    auto scaled = [&](llvm::Value *v) {
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, b.CreateFMul(relTol, v));
    };
    llvm::Value *close =
        b.CreateOr(b.CreateOr(b.CreateFCmpOLE(diff, scaled(y)), b.CreateFCmpOLE(diff, scaled(x))),
                   b.CreateFCmpOLE(diff, constant(0.0)));
    llvm::Value *infinite = b.CreateOr(isInf(x), isInf(y));
    return b.CreateOr(b.CreateFCmpOEQ(x, y), b.CreateAnd(b.CreateNot(infinite), close));
  }
  case Builtin::CmathPhase:
  case Builtin::CmathPolar:
  case Builtin::CmathIsNan:
  case Builtin::CmathIsInf:
  case Builtin::CmathIsFinite:
  case Builtin::CmathIsClose:
  case Builtin::CmathSqrt:
    return lowerCmath(call, builtin);
  case Builtin::Factorial:
  case Builtin::Isqrt:
    return lowerIntegerMath(builtin, asInt(0), nullptr, at);
  case Builtin::Comb:
  case Builtin::Perm:
    return lowerIntegerMath(builtin, asInt(0), call->args.size() == 2 ? asInt(1) : nullptr, at);
  case Builtin::Pow: {
    if (call->args.size() != 3)
      return nullptr;
    llvm::Value *base = asInt(0);
    llvm::Value *exponent = asInt(1);
    llvm::Value *modulus = asInt(2);
    raiseIf(b.CreateICmpEQ(modulus, b.getInt64(0)), NOGIL_ERROR_VALUE,
            "pow() 3rd argument cannot be 0", at);
    llvm::Value *gcd =
        b.CreateCall(externalFunction("nogil_rt_gcd", i64, {i64, i64}), {base, modulus});
    raiseIf(
        b.CreateAnd(b.CreateICmpSLT(exponent, b.getInt64(0)), b.CreateICmpNE(gcd, b.getInt64(1))),
        NOGIL_ERROR_VALUE, "base is not invertible for the given modulus", at);
    return b.CreateCall(externalFunction("nogil_rt_pow_mod", i64, {i64, i64, i64}),
                        {base, exponent, modulus});
  }
  default:
    return nullptr;
  }
}

} // namespace nogil::codegen
