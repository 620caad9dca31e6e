// Lowering of NumPy's checked conversion of a Python number to an integer type: what an
// element store (`a[i] = x`), np.full's fill value and a constructor such as np.int8(x)
// do. NumPy goes through a Python int: NaN is a ValueError, an infinity or a value past
// C long an OverflowError, and an int the type cannot hold an OverflowError naming it.
// Only conversions that can fail get a check, so stores of an int64 into an int64 array
// compile to the plain store.
#include "codegen/lower_impl.h"

#include <llvm/IR/Intrinsics.h>

namespace nogil::codegen {

using sema::Type;
using sema::TypeKind;

namespace {

constexpr const char *kBeyondCLong = "Python int too large to convert to C long";

/// Whether every value of the integral type `from` is a value of the integer type `to`.
bool holdsEvery(const Type *to, const Type *from) {
  if (from->kind() == TypeKind::Bool)
    return true;
  if (from->isSigned() == to->isSigned())
    return to->bitWidth() >= from->bitWidth();
  return to->isSigned() && to->bitWidth() > from->bitWidth();
}

} // namespace

void FunctionLowering::raiseOutOfBounds(llvm::Value *failed, llvm::Value *value,
                                        llvm::Value *valueIsUnsigned, const Type *to,
                                        ast::Span at) {
  if (auto *constant = llvm::dyn_cast<llvm::ConstantInt>(failed); constant && constant->isZero())
    return;
  auto &b = builder_;
  auto *raise = newBlock("bounds.raise");
  auto *ok = newBlock("bounds.ok");
  llvm::MDBuilder weights(module_.context);
  b.CreateCondBr(failed, raise, ok, weights.createUnlikelyBranchWeights());
  b.SetInsertPoint(raise);
  llvm::Type *i64 = b.getInt64Ty();
  llvm::PointerType *ptr = b.getPtrTy();
  auto report = module_.coldFunction(
      "nogil_rt_raise_int_bounds",
      llvm::FunctionType::get(b.getVoidTy(), {i64, b.getInt32Ty(), ptr, ptr}, false));
  b.CreateCall(report, {value, b.CreateZExt(valueIsUnsigned, b.getInt32Ty()),
                        module_.string(to->name()), module_.site(unit_, at)});
  unwind();
  b.SetInsertPoint(ok);
}

llvm::Value *FunctionLowering::checkedToInteger(llvm::Value *value, const Type *from,
                                                const Type *to, ast::Span at) {
  auto &b = builder_;
  assert(to->isInteger() && from->isNumeric() && "a number converted to an integer type");
  llvm::Type *i64 = b.getInt64Ty();
  llvm::Type *target = module_.typeOf(to);
  bool toSigned = to->isSigned();
  if (from->isFloat()) {
    llvm::Type *f64 = b.getDoubleTy();
    llvm::Value *x = b.CreateFPExt(value, f64);
    raiseIf(isNan(x), NOGIL_ERROR_VALUE, "cannot convert float NaN to integer", at);
    raiseIf(isInf(x), NOGIL_ERROR_OVERFLOW, "cannot convert float infinity to integer", at);
    llvm::Value *whole = b.CreateUnaryIntrinsic(llvm::Intrinsic::trunc, x);
    // NumPy reads the Python int as a C long, or for uint32 and uint64 as an unsigned one
    // when it is not negative.
    bool unsignedLong = !toSigned && to->bitWidth() >= 32;
    llvm::Value *fits = b.CreateAnd(
        b.CreateFCmpOGE(whole, llvm::ConstantFP::get(f64, -0x1p63)),
        b.CreateFCmpOLT(whole, llvm::ConstantFP::get(f64, unsignedLong ? 0x1p64 : 0x1p63)));
    raiseIf(b.CreateNot(fits), NOGIL_ERROR_OVERFLOW, kBeyondCLong, at);
    if (toSigned) {
      value = b.CreateFPToSI(whole, i64);
      from = sema::int64Type();
    } else {
      // Each conversion is used only where it is defined (select does not spread poison).
      llvm::Value *negative = b.CreateFCmpOLT(whole, llvm::ConstantFP::get(f64, 0.0));
      llvm::Value *number =
          b.CreateSelect(negative, b.CreateFPToSI(whole, i64), b.CreateFPToUI(whole, i64));
      llvm::Value *converted = b.CreateTrunc(number, target);
      llvm::Value *beyond = b.CreateICmpNE(b.CreateZExt(converted, i64), number);
      raiseOutOfBounds(b.CreateOr(negative, beyond), number, b.CreateNot(negative), to, at);
      return converted;
    }
  }
  // A NumPy integer scalar (any integer type but int64, which is Python's int) stored as an
  // unsigned type wraps in NumPy, as a cast does.
  bool numpyScalar = from != sema::int64Type();
  if (holdsEvery(to, from) || (numpyScalar && !toSigned))
    return b.CreateIntCast(value, target, from->isSigned());
  bool fromSigned = from->isSigned();
  if (from->kind() == TypeKind::UInt64 && toSigned) // past 2**63: beyond a C long
    raiseIf(b.CreateICmpSLT(value, b.getInt64(0)), NOGIL_ERROR_OVERFLOW, kBeyondCLong, at);
  llvm::Value *converted = b.CreateIntCast(value, target, fromSigned);
  llvm::Value *fits = b.CreateICmpEQ(b.CreateIntCast(converted, value->getType(), toSigned), value);
  llvm::Value *zero = llvm::ConstantInt::get(value->getType(), 0);
  if (fromSigned && !toSigned)
    fits = b.CreateAnd(fits, b.CreateICmpSGE(value, zero));
  if (!fromSigned && toSigned)
    fits = b.CreateAnd(fits, b.CreateICmpSGE(converted, llvm::ConstantInt::get(target, 0)));
  raiseOutOfBounds(b.CreateNot(fits), b.CreateIntCast(value, i64, fromSigned),
                   b.getInt1(!fromSigned), to, at);
  return converted;
}

} // namespace nogil::codegen
