// datetime64 and timedelta64 values: an int64 count of the type's unit, INT64_MIN for NaT.
// Operators follow NumPy's datetime loops (numpy/_core/src/umath/loops.c.src): NaT in, NaT
// out (NaN for a float result, 0 for timedelta // timedelta), comparisons false except !=.
#include "codegen/lower_impl.h"
#include "sema/datetime.h"

#include <cstdint>
#include <limits>

namespace nogil::codegen {

using ast::BinaryOp;
using ast::CompareOp;
using sema::DatetimeUnit;
using sema::Type;

namespace {

constexpr int64_t kNat = std::numeric_limits<int64_t>::min();

bool nonlinear(DatetimeUnit unit) {
  return unit == DatetimeUnit::Year || unit == DatetimeUnit::Month;
}

} // namespace

llvm::Value *FunctionLowering::isNat(llvm::Value *value) {
  return builder_.CreateICmpEQ(value, builder_.getInt64(kNat));
}

llvm::Value *FunctionLowering::convertTime(llvm::Value *value, const Type *from, const Type *to) {
  auto &b = builder_;
  if (!from->isTimeType()) // an integer or a bool: a count of `to`'s unit
    return b.CreateIntCast(value, b.getInt64Ty(), from->isSigned());
  DatetimeUnit source = from->unit();
  DatetimeUnit target = to->unit();
  if (source == target || source == DatetimeUnit::Generic || target == DatetimeUnit::Generic)
    return value;
  if (from->isDatetime() && nonlinear(source) && !nonlinear(target)) {
    // Years and months since 1970 to a finer unit go through the calendar.
    llvm::FunctionCallee calendar = externalFunction(
        "nogil_rt_datetime_from_months", b.getInt64Ty(), {b.getInt64Ty(), b.getInt32Ty()});
    llvm::Value *months =
        source == DatetimeUnit::Year
            ? b.CreateSelect(isNat(value), value, b.CreateMul(value, b.getInt64(12)))
            : value;
    return b.CreateCall(calendar, {months, b.getInt32(static_cast<int32_t>(target))});
  }
  if (std::optional<int64_t> factor = sema::unitFactor(source, target)) {
    if (*factor == 1)
      return value;
    return b.CreateSelect(isNat(value), value, b.CreateMul(value, b.getInt64(*factor)));
  }
  // To a coarser unit (a store into an array of it), rounding down as NumPy's cast does.
  std::optional<int64_t> factor = sema::unitFactor(target, source);
  assert(factor && "the typer converts only between units NumPy converts");
  if (!factor)
    return value;
  llvm::Value *divisor = b.getInt64(*factor);
  llvm::Value *quotient = b.CreateSDiv(value, divisor);
  llvm::Value *remainder = b.CreateSRem(value, divisor);
  llvm::Value *floored = b.CreateSub(
      quotient, b.CreateZExt(b.CreateICmpSLT(remainder, b.getInt64(0)), b.getInt64Ty()));
  return b.CreateSelect(isNat(value), value, floored);
}

llvm::Value *FunctionLowering::floatToTimedelta(llvm::Value *x, llvm::Value *nat) {
  // NaN, infinities and values beyond int64 give NaT, as NumPy's cast does on x86-64.
  auto &b = builder_;
  llvm::Value *inRange = b.CreateFCmpOLT(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x),
                                         llvm::ConstantFP::get(b.getDoubleTy(), 0x1p63));
  llvm::Value *truncated = b.CreateFPToSI(x, b.getInt64Ty());
  return b.CreateSelect(b.CreateOr(nat, b.CreateNot(inRange)), b.getInt64(kNat), truncated);
}

llvm::Value *FunctionLowering::timeBinary(BinaryOp op, llvm::Value *lhs, const Type *lhsType,
                                          llvm::Value *rhs, const Type *rhsType,
                                          const Type *result) {
  auto &b = builder_;
  llvm::Value *nat = b.getInt64(kNat);
  llvm::Type *f64 = b.getDoubleTy();
  if (op == BinaryOp::Mul || ((op == BinaryOp::Div || op == BinaryOp::FloorDiv) &&
                              !(lhsType->isTimedelta() && rhsType->isTimedelta()))) {
    // A timedelta times or over a number keeps its unit.
    bool timeFirst = lhsType->isTimedelta();
    llvm::Value *time = timeFirst ? lhs : rhs;
    llvm::Value *number = timeFirst ? rhs : lhs;
    const Type *numberType = timeFirst ? rhsType : lhsType;
    llvm::Value *timeIsNat = isNat(time);
    if (numberType->isFloat()) {
      llvm::Value *x = b.CreateSIToFP(time, f64);
      llvm::Value *y = b.CreateFPExt(number, f64);
      return floatToTimedelta(op == BinaryOp::Mul ? b.CreateFMul(x, y) : b.CreateFDiv(x, y),
                              timeIsNat);
    }
    llvm::Value *n = b.CreateIntCast(number, b.getInt64Ty(), numberType->isSigned());
    if (op == BinaryOp::Mul)
      return b.CreateSelect(timeIsNat, nat, b.CreateMul(time, n));
    // Division truncates, as NumPy's m8 / integer loop; by zero gives NaT.
    llvm::Value *bad = b.CreateOr(timeIsNat, b.CreateICmpEQ(n, b.getInt64(0)));
    llvm::Value *divisor = b.CreateSelect(bad, b.getInt64(1), n);
    return b.CreateSelect(bad, nat, b.CreateSDiv(time, divisor));
  }
  // Both operands in the common unit: a datetime stays one, a number becomes a timedelta.
  DatetimeUnit unit =
      result->isTimeType() ? result->unit() : sema::timeCompareType(lhsType, rhsType)->unit();
  auto inUnit = [&](llvm::Value *value, const Type *type) {
    const Type *target = type->isDatetime() ? sema::datetimeType(unit) : sema::timedeltaType(unit);
    return convertTime(value, type, target);
  };
  llvm::Value *x = inUnit(lhs, lhsType);
  llvm::Value *y = inUnit(rhs, rhsType);
  llvm::Value *eitherNat = b.CreateOr(isNat(x), isNat(y));
  switch (op) {
  case BinaryOp::Add:
    return b.CreateSelect(eitherNat, nat, b.CreateAdd(x, y));
  case BinaryOp::Sub:
    return b.CreateSelect(eitherNat, nat, b.CreateSub(x, y));
  case BinaryOp::Div: // timedelta / timedelta: a float, NaN for NaT
    return b.CreateSelect(eitherNat, llvm::ConstantFP::getNaN(f64),
                          b.CreateFDiv(b.CreateSIToFP(x, f64), b.CreateSIToFP(y, f64)));
  case BinaryOp::FloorDiv:
  case BinaryOp::Mod: {
    // Python's floor rules; NaT or a zero divisor give 0 for // and NaT for %.
    llvm::Value *bad = b.CreateOr(eitherNat, b.CreateICmpEQ(y, b.getInt64(0)));
    llvm::Value *divisor = b.CreateSelect(bad, b.getInt64(1), y);
    llvm::Value *dividend = b.CreateSelect(bad, b.getInt64(0), x);
    llvm::Value *quotient = b.CreateSDiv(dividend, divisor);
    llvm::Value *remainder = b.CreateSRem(dividend, divisor);
    llvm::Value *adjust =
        b.CreateAnd(b.CreateICmpNE(remainder, b.getInt64(0)),
                    b.CreateICmpSLT(b.CreateXor(remainder, divisor), b.getInt64(0)));
    if (op == BinaryOp::FloorDiv)
      return b.CreateSub(quotient, b.CreateZExt(adjust, b.getInt64Ty()));
    llvm::Value *floored = b.CreateSelect(adjust, b.CreateAdd(remainder, divisor), remainder);
    return b.CreateSelect(bad, nat, floored);
  }
  default:
    break;
  }
  assert(false && "the typer refuses other operators on datetimes");
  return nat;
}

llvm::Value *FunctionLowering::timeCompare(CompareOp op, llvm::Value *lhs, const Type *lhsType,
                                           llvm::Value *rhs, const Type *rhsType) {
  auto &b = builder_;
  const Type *common = sema::timeCompareType(lhsType, rhsType);
  llvm::Value *x = convertTime(lhs, lhsType, common);
  llvm::Value *y = convertTime(rhs, rhsType, common);
  llvm::Value *eitherNat = b.CreateOr(isNat(x), isNat(y));
  llvm::Value *holds = nullptr;
  switch (op) {
  case CompareOp::Lt:
    holds = b.CreateICmpSLT(x, y);
    break;
  case CompareOp::LtE:
    holds = b.CreateICmpSLE(x, y);
    break;
  case CompareOp::Gt:
    holds = b.CreateICmpSGT(x, y);
    break;
  case CompareOp::GtE:
    holds = b.CreateICmpSGE(x, y);
    break;
  case CompareOp::Eq:
    holds = b.CreateICmpEQ(x, y);
    break;
  case CompareOp::NotEq:
    return b.CreateOr(eitherNat, b.CreateICmpNE(x, y));
  default:
    assert(false && "the typer rejects identity and membership tests");
    return b.getFalse();
  }
  return b.CreateAnd(b.CreateNot(eitherNat), holds);
}

} // namespace nogil::codegen
