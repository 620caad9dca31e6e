// NumPy's ufunc kernels: one element of a ufunc's loop, from the row of sema/ufuncs.def that
// names it. Errors are NumPy's: IEEE results for floats, 0 for an integer divided by zero.
#include "codegen/lower_impl.h"

#include <llvm/IR/Intrinsics.h>

#include <numbers>
#include <string>

namespace nogil::codegen {

using namespace ast;
using sema::Type;
using sema::TypeKind;
using sema::UfuncKernel;

namespace {

std::optional<BinaryOp> operatorOf(UfuncKernel kernel) {
  switch (kernel) {
  case UfuncKernel::Add:
    return BinaryOp::Add;
  case UfuncKernel::Sub:
    return BinaryOp::Sub;
  case UfuncKernel::Mul:
    return BinaryOp::Mul;
  case UfuncKernel::TrueDiv:
    return BinaryOp::Div;
  case UfuncKernel::FloorDiv:
    return BinaryOp::FloorDiv;
  case UfuncKernel::Mod:
    return BinaryOp::Mod;
  case UfuncKernel::Pow:
    return BinaryOp::Pow;
  case UfuncKernel::BitAnd:
    return BinaryOp::BitAnd;
  case UfuncKernel::BitOr:
    return BinaryOp::BitOr;
  case UfuncKernel::BitXor:
    return BinaryOp::BitXor;
  case UfuncKernel::LShift:
    return BinaryOp::LShift;
  case UfuncKernel::RShift:
    return BinaryOp::RShift;
  default:
    return std::nullopt;
  }
}

std::optional<CompareOp> comparisonOf(UfuncKernel kernel) {
  switch (kernel) {
  case UfuncKernel::Gt:
    return CompareOp::Gt;
  case UfuncKernel::GtE:
    return CompareOp::GtE;
  case UfuncKernel::Lt:
    return CompareOp::Lt;
  case UfuncKernel::LtE:
    return CompareOp::LtE;
  case UfuncKernel::NotEq:
    return CompareOp::NotEq;
  case UfuncKernel::Eq:
    return CompareOp::Eq;
  default:
    return std::nullopt;
  }
}

} // namespace

llvm::Value *FunctionLowering::mathFunction(const char *name, std::vector<llvm::Value *> args) {
  auto &b = builder_;
  llvm::Type *type = args[0]->getType();
  std::string_view text = name;
  if (text.starts_with("llvm.")) {
    llvm::Intrinsic::ID id = llvm::Function::lookupIntrinsicID(text);
    assert(id != llvm::Intrinsic::not_intrinsic && "ufuncs.def names an LLVM intrinsic");
    return b.CreateIntrinsic(id, {type}, args);
  }
  std::string symbol(text);
  if (type->isFloatTy())
    symbol += 'f';
  std::vector<llvm::Type *> params(args.size(), type);
  return b.CreateCall(externalFunction(symbol.c_str(), type, params), args);
}

llvm::Value *FunctionLowering::ufuncElement(const sema::UfuncInfo &ufunc,
                                            const sema::UfuncLoop &loop,
                                            std::vector<llvm::Value *> args,
                                            const std::vector<const Type *> &argTypes, Span at) {
  auto &b = builder_;
  const Type *operand = loop.operands[0];
  const Type *result = loop.result;
  bool logical =
      ufunc.loops == sema::UfuncLoops::Logical || ufunc.loops == sema::UfuncLoops::Predicate;
  if (!logical)
    for (size_t i = 0; i < args.size(); ++i)
      args[i] = convert(args[i], argTypes[i], loop.operands[i]);
  llvm::Value *x = args[0];
  llvm::Value *y = args.size() > 1 ? args[1] : nullptr;
  bool isBool = operand->kind() == TypeKind::Bool;
  bool isFloat = operand->isFloat();
  llvm::Type *type = x->getType();
  auto fconst = [&](double v) { return llvm::ConstantFP::get(type, v); };
  auto iconst = [&](int64_t v) { return llvm::ConstantInt::get(type, v, true); };
  bool wasElementwise = inElementwise_;
  inElementwise_ = true; // NumPy's errors: no exceptions from arithmetic
  struct Restore {
    bool &flag;
    bool value;
    ~Restore() { flag = value; }
  } restore{inElementwise_, wasElementwise};

  auto complexParts = [&](llvm::Value *z) {
    return std::pair{b.CreateExtractValue(z, 0), b.CreateExtractValue(z, 1)};
  };
  auto maxOrMin = [&](bool max, bool nanFromFirst) -> llvm::Value * {
    if (isBool)
      return max ? b.CreateOr(x, y) : b.CreateAnd(x, y);
    if (!isFloat) {
      llvm::Value *firstWins = operand->isSigned()
                                   ? (max ? b.CreateICmpSGE(x, y) : b.CreateICmpSLE(x, y))
                                   : (max ? b.CreateICmpUGE(x, y) : b.CreateICmpULE(x, y));
      return b.CreateSelect(firstWins, x, y);
    }
    // NumPy's loops: maximum keeps a NaN from either side; fmax takes the number.
    llvm::Value *ordered = max ? b.CreateFCmpOGE(x, y) : b.CreateFCmpOLE(x, y);
    llvm::Value *firstWins = b.CreateOr(ordered, nanFromFirst ? isNan(x) : b.CreateFCmpUNO(y, y));
    return b.CreateSelect(firstWins, x, y);
  };
  if (operand->isTimeType()) {
    switch (ufunc.kernel) {
    case UfuncKernel::IsNat:
      return isNat(x);
    case UfuncKernel::Negative:
      return b.CreateNeg(x); // NaT, the most negative int64, is its own negation
    case UfuncKernel::Identity:
      return x;
    case UfuncKernel::Absolute:
      return b.CreateSelect(b.CreateICmpSLT(x, iconst(0)), b.CreateNeg(x), x);
    case UfuncKernel::Maximum:
    case UfuncKernel::Minimum:
    case UfuncKernel::Fmax:
    case UfuncKernel::Fmin: {
      // maximum and minimum propagate NaT, as NaN; fmax and fmin take the other operand.
      bool max = ufunc.kernel == UfuncKernel::Maximum || ufunc.kernel == UfuncKernel::Fmax;
      bool propagate = ufunc.kernel == UfuncKernel::Maximum || ufunc.kernel == UfuncKernel::Minimum;
      llvm::Value *larger = max ? b.CreateICmpSGE(x, y) : b.CreateICmpSLE(x, y);
      llvm::Value *firstWins =
          propagate ? b.CreateOr(larger, isNat(x))
                    : b.CreateAnd(b.CreateNot(isNat(x)), b.CreateOr(larger, isNat(y)));
      if (propagate)
        firstWins =
            b.CreateAnd(firstWins, b.CreateNot(b.CreateAnd(isNat(y), b.CreateNot(isNat(x)))));
      return b.CreateSelect(firstWins, x, y);
    }
    default:
      break;
    }
  }
  if (operand->isComplex()) {
    if (ufunc.kernel == UfuncKernel::Math || ufunc.kernel == UfuncKernel::Pow)
      return complexMath(ufunc.kernel == UfuncKernel::Pow ? "llvm.pow" : ufunc.implementation, x,
                         y);
    if (ufunc.kernel == UfuncKernel::Sign || ufunc.kernel == UfuncKernel::Square ||
        ufunc.kernel == UfuncKernel::Reciprocal) {
      auto [re, im] = complexParts(x);
      llvm::Value *zero = llvm::ConstantFP::get(re->getType(), 0.0);
      llvm::Value *one = llvm::ConstantFP::get(re->getType(), 1.0);
      if (ufunc.kernel == UfuncKernel::Square) // NumPy's loop: (a*a - b*b, a*b + b*a)
        return makeComplex(b.CreateFSub(b.CreateFMul(re, re), b.CreateFMul(im, im)),
                           b.CreateFAdd(b.CreateFMul(re, im), b.CreateFMul(im, re)));
      if (ufunc.kernel == UfuncKernel::Reciprocal)
        return complexBinary(BinaryOp::Div, makeComplex(one, zero), x, at);
      // z / |z|, and 0 for 0 (NumPy 2)
      llvm::Value *magnitude = mathFunction("hypot", {re, im});
      llvm::Value *isZero = b.CreateFCmpOEQ(magnitude, zero);
      llvm::Value *safe = b.CreateSelect(isZero, one, magnitude);
      return makeComplex(b.CreateSelect(isZero, zero, b.CreateFDiv(re, safe)),
                         b.CreateSelect(isZero, zero, b.CreateFDiv(im, safe)));
    }
  }
  if (auto op = operatorOf(ufunc.kernel)) {
    if (isBool && (*op == BinaryOp::Add || *op == BinaryOp::Mul))
      return *op == BinaryOp::Add ? b.CreateOr(x, y) : b.CreateAnd(x, y);
    return binaryValues(*op, x, operand, y, loop.operands[1], result, at);
  }
  if (auto op = comparisonOf(ufunc.kernel))
    return compareValues(*op, x, operand, y, loop.operands[1]);
  switch (ufunc.kernel) {
  case UfuncKernel::IsNat:
    break;                // resolved for datetimes only
  case UfuncKernel::Math: // of an integer only floor, ceil and trunc: already integral
    return isFloat ? mathFunction(ufunc.implementation, args) : x;
  case UfuncKernel::Fmod: {
    if (isFloat)
      return b.CreateFRem(x, y);
    llvm::Value *byZero = b.CreateICmpEQ(y, iconst(0));
    // C's remainder (sign of the dividend); MIN % -1 and a zero divisor give 0.
    llvm::Value *safe =
        b.CreateSelect(b.CreateOr(byZero, b.CreateICmpEQ(y, iconst(-1))), iconst(1), y);
    if (!operand->isSigned())
      return b.CreateSelect(byZero, iconst(0),
                            b.CreateURem(x, b.CreateSelect(byZero, iconst(1), y)));
    return b.CreateSRem(x, safe);
  }
  case UfuncKernel::Negative:
    if (operand->isComplex()) {
      auto [re, im] = complexParts(x);
      llvm::Value *z = b.CreateInsertValue(x, b.CreateFNeg(re), 0);
      return b.CreateInsertValue(z, b.CreateFNeg(im), 1);
    }
    return isFloat ? b.CreateFNeg(x) : b.CreateNeg(x);
  case UfuncKernel::Identity:
    return x;
  case UfuncKernel::Absolute:
    if (operand->isComplex())
      return complexMagnitude(x);
    if (isFloat)
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
    if (!operand->isSigned())
      return x;
    return b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, x, b.getFalse());
  case UfuncKernel::Sign:
    if (isFloat) // NaN stays NaN; -0.0 gives 0.0
      return b.CreateSelect(
          b.CreateFCmpOGT(x, fconst(0)), fconst(1),
          b.CreateSelect(b.CreateFCmpOLT(x, fconst(0)), fconst(-1),
                         b.CreateSelect(b.CreateFCmpOEQ(x, fconst(0)), fconst(0), x)));
    if (!operand->isSigned())
      return b.CreateZExt(b.CreateICmpNE(x, iconst(0)), type);
    return b.CreateSub(b.CreateZExt(b.CreateICmpSGT(x, iconst(0)), type),
                       b.CreateZExt(b.CreateICmpSLT(x, iconst(0)), type));
  case UfuncKernel::Conjugate:
    if (operand->isComplex()) {
      auto [re, im] = complexParts(x);
      return b.CreateInsertValue(x, b.CreateFNeg(im), 1);
    }
    return x;
  case UfuncKernel::Square:
    return binaryValues(BinaryOp::Mul, x, operand, x, operand, result, at);
  case UfuncKernel::Reciprocal: {
    if (isFloat)
      return b.CreateFDiv(fconst(1), x);
    // Integer 1 / x: 0 for |x| > 1. NumPy computes 1.0 / x and casts it to the type: for
    // x == 0 the cast of an infinity, which x86-64 makes the 32- or 64-bit minimum (so 0
    // once truncated to 8 or 16 bits).
    llvm::Value *byZero = b.CreateICmpEQ(x, iconst(0));
    llvm::Value *safe = b.CreateSelect(byZero, iconst(1), x);
    llvm::Value *quotient =
        operand->isSigned() ? b.CreateSDiv(iconst(1), safe) : b.CreateUDiv(iconst(1), safe);
    unsigned bits = type->getIntegerBitWidth();
    llvm::Value *atZero = bits >= 32 && operand->isSigned()
                              ? llvm::ConstantInt::get(type, llvm::APInt::getSignedMinValue(bits))
                              : iconst(0);
    return b.CreateSelect(byZero, atZero, quotient);
  }
  case UfuncKernel::LogAddExp:
  case UfuncKernel::LogAddExp2: {
    // NumPy's npy_logaddexp: equal inputs (infinities too) give x + log(2); otherwise the
    // larger plus log1p(exp(-|x - y|)), NaN when the difference is NaN.
    bool base2 = ufunc.kernel == UfuncKernel::LogAddExp2;
    llvm::Value *difference = b.CreateFSub(x, y);
    llvm::Value *larger = b.CreateSelect(b.CreateFCmpOGT(difference, fconst(0)), x, y);
    llvm::Value *negAbs = b.CreateFNeg(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, difference));
    llvm::Value *tail =
        base2 ? b.CreateFDiv(mathFunction("log1p", {mathFunction("llvm.exp2", {negAbs})}),
                             fconst(std::numbers::ln2))
              : mathFunction("log1p", {mathFunction("llvm.exp", {negAbs})});
    llvm::Value *general =
        b.CreateSelect(isNan(difference), difference, b.CreateFAdd(larger, tail));
    llvm::Value *same = b.CreateFAdd(x, fconst(base2 ? 1.0 : std::numbers::ln2));
    return b.CreateSelect(b.CreateFCmpOEQ(x, y), same, general);
  }
  case UfuncKernel::Scale:
    return b.CreateFMul(x, fconst(std::stod(ufunc.implementation)));
  case UfuncKernel::Spacing: {
    llvm::Value *inf = llvm::ConstantFP::getInfinity(type);
    // NumPy steps away from zero, and up from either zero.
    llvm::Value *toward =
        b.CreateSelect(b.CreateFCmpOEQ(x, fconst(0)), inf,
                       b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, inf, x));
    llvm::Value *step = b.CreateFSub(mathFunction("nextafter", {x, toward}), x);
    return b.CreateSelect(isInf(x), llvm::ConstantFP::getNaN(type), step);
  }
  case UfuncKernel::Ldexp: {
    std::string symbol = type->isFloatTy() ? "ldexpf" : "ldexp";
    return b.CreateCall(externalFunction(symbol.c_str(), type, {type, b.getInt32Ty()}), {x, y});
  }
  case UfuncKernel::Gcd:
  case UfuncKernel::Lcm: {
    llvm::Value *magnitudeX =
        operand->isSigned() ? b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, x, b.getFalse()) : x;
    llvm::Value *magnitudeY =
        operand->isSigned() ? b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, y, b.getFalse()) : y;
    llvm::Value *gcd = euclid(magnitudeX, magnitudeY);
    if (ufunc.kernel == UfuncKernel::Gcd)
      return gcd;
    llvm::Value *zero = b.CreateICmpEQ(gcd, iconst(0));
    llvm::Value *quotient = b.CreateUDiv(magnitudeX, b.CreateSelect(zero, iconst(1), gcd));
    return b.CreateSelect(zero, iconst(0), b.CreateMul(quotient, magnitudeY));
  }
  case UfuncKernel::Invert:
    return b.CreateNot(x);
  case UfuncKernel::LogicalAnd:
    return b.CreateAnd(truth(x, argTypes[0]), truth(y, argTypes[1]));
  case UfuncKernel::LogicalOr:
    return b.CreateOr(truth(x, argTypes[0]), truth(y, argTypes[1]));
  case UfuncKernel::LogicalXor:
    return b.CreateXor(truth(x, argTypes[0]), truth(y, argTypes[1]));
  case UfuncKernel::LogicalNot:
    return b.CreateNot(truth(x, argTypes[0]));
  case UfuncKernel::Maximum:
    return maxOrMin(true, true);
  case UfuncKernel::Minimum:
    return maxOrMin(false, true);
  case UfuncKernel::Fmax:
    return maxOrMin(true, false);
  case UfuncKernel::Fmin:
    return maxOrMin(false, false);
  case UfuncKernel::IsFinite:
  case UfuncKernel::IsInf:
  case UfuncKernel::IsNan:
  case UfuncKernel::SignBit: {
    const Type *from = argTypes[0];
    auto test = [&](llvm::Value *v) -> llvm::Value * {
      switch (ufunc.kernel) {
      case UfuncKernel::IsFinite:
        return isFinite(v);
      case UfuncKernel::IsInf:
        return isInf(v);
      case UfuncKernel::IsNan:
        return isNan(v);
      default: {
        llvm::Type *bits = b.getIntNTy(v->getType()->getPrimitiveSizeInBits());
        return b.CreateICmpSLT(b.CreateBitCast(v, bits), llvm::ConstantInt::get(bits, 0));
      }
      }
    };
    if (from->isFloat())
      return test(x);
    if (from->isComplex()) {
      auto [re, im] = complexParts(x);
      if (ufunc.kernel == UfuncKernel::IsFinite)
        return b.CreateAnd(test(re), test(im));
      return b.CreateOr(test(re), test(im));
    }
    if (ufunc.kernel == UfuncKernel::SignBit)
      return from->isSigned() ? b.CreateICmpSLT(x, llvm::ConstantInt::get(x->getType(), 0))
                              : b.getFalse();
    return b.getInt1(ufunc.kernel == UfuncKernel::IsFinite);
  }
  default:
    break;
  }
  assert(false && "every kernel of ufuncs.def is lowered above");
  return nullptr;
}

llvm::Value *FunctionLowering::complexMagnitude(llvm::Value *z) {
  // NumPy's absolute loop for complex arrays (OpCabs), so that results agree to the bit:
  // an infinite part makes both infinite, then a NaN part both NaN; then
  // larger * sqrt(fma(r, r, 1)) with r = smaller / larger, and r = 0 where larger is 0 or
  // smaller infinite.
  auto &b = builder_;
  llvm::Value *re = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, b.CreateExtractValue(z, 0));
  llvm::Value *im = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, b.CreateExtractValue(z, 1));
  llvm::Type *type = re->getType();
  llvm::Value *inf = llvm::ConstantFP::getInfinity(type);
  llvm::Value *nan = llvm::ConstantFP::getNaN(type);
  llvm::Value *zero = llvm::ConstantFP::get(type, 0.0);
  llvm::Value *reInf = b.CreateFCmpOEQ(re, inf);
  llvm::Value *imInf = b.CreateFCmpOEQ(im, inf);
  im = b.CreateSelect(reInf, inf, im);
  re = b.CreateSelect(imInf, inf, re);
  llvm::Value *reNan = b.CreateFCmpUNO(re, re);
  llvm::Value *imNan = b.CreateFCmpUNO(im, im);
  im = b.CreateSelect(reNan, nan, im);
  re = b.CreateSelect(imNan, nan, re);
  llvm::Value *larger = b.CreateSelect(b.CreateFCmpOGT(re, im), re, im);
  llvm::Value *smaller = b.CreateSelect(b.CreateFCmpOLT(im, re), im, re);
  llvm::Value *divides =
      b.CreateNot(b.CreateOr(b.CreateFCmpOEQ(larger, zero), b.CreateFCmpOEQ(smaller, inf)));
  llvm::Value *ratio =
      b.CreateSelect(divides, b.CreateFDiv(smaller, b.CreateSelect(divides, larger, inf)), zero);
  llvm::Value *root = b.CreateUnaryIntrinsic(
      llvm::Intrinsic::sqrt, b.CreateIntrinsic(llvm::Intrinsic::fma, {type},
                                               {ratio, ratio, llvm::ConstantFP::get(type, 1.0)}));
  return b.CreateFMul(root, larger);
}

llvm::Value *FunctionLowering::makeComplex(llvm::Value *re, llvm::Value *im) {
  llvm::Value *z = llvm::UndefValue::get(llvm::StructType::get(re->getType(), re->getType()));
  z = builder_.CreateInsertValue(z, re, 0);
  return builder_.CreateInsertValue(z, im, 1);
}

llvm::Value *FunctionLowering::complexMath(std::string_view name, llvm::Value *z, llvm::Value *w) {
  auto &b = builder_;
  llvm::Type *f64 = b.getDoubleTy();
  llvm::Type *part = b.CreateExtractValue(z, 0)->getType();
  if (part != f64) {
    // complex64: computed by libm's double functions and rounded once, which is within an
    // ulp of NumPy's float loops (cexpf and friends, whose C ABI differs across targets).
    auto widen = [&](llvm::Value *value) {
      return value ? makeComplex(b.CreateFPExt(b.CreateExtractValue(value, 0), f64),
                                 b.CreateFPExt(b.CreateExtractValue(value, 1), f64))
                   : nullptr;
    };
    llvm::Value *wide = complexMath(name, widen(z), widen(w));
    return makeComplex(b.CreateFPTrunc(b.CreateExtractValue(wide, 0), part),
                       b.CreateFPTrunc(b.CreateExtractValue(wide, 1), part));
  }
  // libm's complex functions (C99 <complex.h>): a double _Complex is passed as two doubles
  // and returned as a pair in the x86-64 and AArch64 C ABIs.
  auto libm = [&](const char *symbol, std::vector<llvm::Value *> values) {
    std::vector<llvm::Value *> parts;
    for (llvm::Value *value : values) {
      parts.push_back(b.CreateExtractValue(value, 0));
      parts.push_back(b.CreateExtractValue(value, 1));
    }
    std::vector<llvm::Type *> params(parts.size(), f64);
    llvm::Value *pair =
        b.CreateCall(externalFunction(symbol, llvm::StructType::get(f64, f64), params), parts);
    return makeComplex(b.CreateExtractValue(pair, 0), b.CreateExtractValue(pair, 1));
  };
  auto scale = [&](llvm::Value *value, double factor) {
    llvm::Value *k = llvm::ConstantFP::get(f64, factor);
    return makeComplex(b.CreateFMul(b.CreateExtractValue(value, 0), k),
                       b.CreateFMul(b.CreateExtractValue(value, 1), k));
  };
  auto plus = [&](llvm::Value *value, double addend) {
    return b.CreateInsertValue(
        value, b.CreateFAdd(b.CreateExtractValue(value, 0), llvm::ConstantFP::get(f64, addend)), 0);
  };
  if (name.starts_with("llvm."))
    name.remove_prefix(5);
  if (name == "pow") { // z ** 0 is 1, for z = 0 too (NumPy's special case; cpow gives NaN)
    llvm::Value *zero = llvm::ConstantFP::get(f64, 0.0);
    llvm::Value *zeroExponent = b.CreateAnd(b.CreateFCmpOEQ(b.CreateExtractValue(w, 0), zero),
                                            b.CreateFCmpOEQ(b.CreateExtractValue(w, 1), zero));
    return b.CreateSelect(zeroExponent, makeComplex(llvm::ConstantFP::get(f64, 1.0), zero),
                          libm("cpow", {z, w}));
  }
  if (name == "exp2")
    return libm("cexp", {scale(z, std::numbers::ln2)});
  if (name == "expm1")
    return plus(libm("cexp", {z}), -1.0);
  if (name == "log2")
    return scale(libm("clog", {z}), 1 / std::numbers::ln2);
  if (name == "log10")
    return scale(libm("clog", {z}), 1 / std::numbers::ln10);
  if (name == "log1p")
    return libm("clog", {plus(z, 1.0)});
  if (name == "rint")
    return makeComplex(mathFunction("llvm.rint", {b.CreateExtractValue(z, 0)}),
                       mathFunction("llvm.rint", {b.CreateExtractValue(z, 1)}));
  std::string symbol = "c" + std::string(name);
  return libm(symbol.c_str(), {z});
}

llvm::Value *FunctionLowering::euclid(llvm::Value *x, llvm::Value *y) {
  auto &b = builder_;
  llvm::Type *type = x->getType();
  llvm::BasicBlock *before = b.GetInsertBlock();
  auto *header = newBlock("gcd.cond");
  auto *body = newBlock("gcd.body");
  auto *done = newBlock("gcd.done");
  b.CreateBr(header);
  b.SetInsertPoint(header);
  llvm::PHINode *a = b.CreatePHI(type, 2);
  llvm::PHINode *c = b.CreatePHI(type, 2);
  a->addIncoming(x, before);
  c->addIncoming(y, before);
  b.CreateCondBr(b.CreateICmpEQ(c, llvm::ConstantInt::get(type, 0)), done, body);
  b.SetInsertPoint(body);
  llvm::Value *remainder = b.CreateURem(a, c);
  a->addIncoming(c, body);
  c->addIncoming(remainder, body);
  b.CreateBr(header);
  b.SetInsertPoint(done);
  return a;
}

llvm::Value *FunctionLowering::lowerUfuncScalar(const CallExpr *call, sema::Builtin builtin) {
  const sema::UfuncInfo &ufunc = *sema::ufuncInfo(builtin);
  std::vector<llvm::Value *> args;
  std::vector<const Type *> types;
  for (unsigned i = 0; i < ufunc.inputs; ++i) {
    args.push_back(lowerExpr(call->args[i]));
    types.push_back(typed_.typeOf(call->args[i]));
  }
  return ufuncElement(ufunc, typed_.ufuncLoops.at(call->id), args, types, call->span);
}

} // namespace nogil::codegen
