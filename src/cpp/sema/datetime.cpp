// NumPy's datetime64 and timedelta64 typing rules.
#include "sema/datetime.h"

#include <algorithm>

namespace nogil::sema {

namespace {

bool nonlinear(DatetimeUnit unit) {
  return unit == DatetimeUnit::Year || unit == DatetimeUnit::Month;
}

const Type *sameKind(const Type *like, DatetimeUnit unit) {
  return like->isDatetime() ? datetimeType(unit) : timedeltaType(unit);
}

} // namespace

std::optional<DatetimeUnit> commonUnit(DatetimeUnit a, bool aIsDatetime, DatetimeUnit b,
                                       bool bIsDatetime) {
  if (a == DatetimeUnit::Generic)
    return b;
  if (b == DatetimeUnit::Generic)
    return a;
  if (nonlinear(a) && nonlinear(b)) // 12 months a year
    return std::max(a, b);
  // A year or month of a timedelta has no fixed length; a datetime's does (its calendar).
  if ((nonlinear(a) && !aIsDatetime) || (nonlinear(b) && !bIsDatetime))
    return std::nullopt;
  return std::max(a, b);
}

const Type *commonTimeType(const Type *a, const Type *b) {
  if (a->kind() != b->kind() || !a->isTimeType())
    return nullptr;
  auto unit = commonUnit(a->unit(), a->isDatetime(), b->unit(), b->isDatetime());
  return unit ? sameKind(a, *unit) : nullptr;
}

std::optional<int64_t> unitFactor(DatetimeUnit from, DatetimeUnit to) {
  if (from == DatetimeUnit::Generic || from == to)
    return 1;
  int64_t factor = 1;
  auto code = static_cast<int>(from);
  while (code < static_cast<int>(to)) {
    switch (static_cast<DatetimeUnit>(code)) {
    case DatetimeUnit::Year:
      factor *= 12, code = static_cast<int>(DatetimeUnit::Month);
      break;
    case DatetimeUnit::Week:
      factor *= 7, code = static_cast<int>(DatetimeUnit::Day);
      break;
    case DatetimeUnit::Day:
      factor *= 24, ++code;
      break;
    case DatetimeUnit::Hour:
    case DatetimeUnit::Minute:
      factor *= 60, ++code;
      break;
    case DatetimeUnit::Second:
    case DatetimeUnit::Millisecond:
    case DatetimeUnit::Microsecond:
    case DatetimeUnit::Nanosecond:
    case DatetimeUnit::Picosecond:
    case DatetimeUnit::Femtosecond:
      factor *= 1000, ++code;
      break;
    case DatetimeUnit::Month:
    case DatetimeUnit::Attosecond:
    case DatetimeUnit::Generic:
      return std::nullopt;
    }
  }
  if (code != static_cast<int>(to))
    return std::nullopt;
  return factor;
}

bool canConvertTime(const Type *from, const Type *to) {
  if (from->isIntegral())
    return to->isTimeType();
  if (from->kind() != to->kind() || !from->isTimeType())
    return false;
  DatetimeUnit a = from->unit();
  DatetimeUnit b = to->unit();
  if (a == DatetimeUnit::Generic || a == b)
    return true;
  if (b == DatetimeUnit::Generic)
    return false;
  if (from->isDatetime() && nonlinear(a) && !nonlinear(b))
    return true;
  return unitFactor(a, b) || unitFactor(b, a);
}

const Type *asTimeOperand(const Type *type) {
  return type->isIntegral() ? timedeltaType(DatetimeUnit::Generic) : type;
}

const Type *timeBinaryResult(ast::BinaryOp op, const Type *lhs, const Type *rhs) {
  using ast::BinaryOp;
  const Type *left = asTimeOperand(lhs);
  const Type *right = asTimeOperand(rhs);
  auto common = [](const Type *a, const Type *b, bool datetimeResult) -> const Type * {
    auto unit = commonUnit(a->unit(), a->isDatetime(), b->unit(), b->isDatetime());
    if (!unit)
      return nullptr;
    return datetimeResult ? datetimeType(*unit) : timedeltaType(*unit);
  };
  bool realNumber = [&] {
    const Type *number = lhs->isTimeType() ? rhs : lhs;
    return number->isInteger() || number->isFloat();
  }();
  switch (op) {
  case BinaryOp::Add:
    if (left->isTimeType() && right->isTimeType() && !(left->isDatetime() && right->isDatetime()))
      return common(left, right, left->isDatetime() || right->isDatetime());
    return nullptr;
  case BinaryOp::Sub:
    if (left->isDatetime() && right->isTimeType())
      return common(left, right, !right->isDatetime());
    if (left->isTimedelta() && right->isTimedelta())
      return common(left, right, false);
    return nullptr;
  case BinaryOp::Mul:
    if (lhs->isTimedelta() && (rhs->isIntegral() || rhs->isFloat()))
      return lhs;
    if (rhs->isTimedelta() && (lhs->isIntegral() || lhs->isFloat()))
      return rhs;
    return nullptr;
  case BinaryOp::Div:
  case BinaryOp::FloorDiv:
    if (lhs->isTimedelta() && rhs->isTimedelta()) {
      if (!commonTimeType(lhs, rhs))
        return nullptr;
      return op == BinaryOp::Div ? float64Type() : int64Type();
    }
    if (lhs->isTimedelta() && realNumber)
      return lhs;
    return nullptr;
  case BinaryOp::Mod:
    return lhs->isTimedelta() && rhs->isTimedelta() ? commonTimeType(lhs, rhs) : nullptr;
  case BinaryOp::Pow:
  case BinaryOp::LShift:
  case BinaryOp::RShift:
  case BinaryOp::BitOr:
  case BinaryOp::BitXor:
  case BinaryOp::BitAnd:
  case BinaryOp::MatMul:
    return nullptr;
  }
  return nullptr;
}

const Type *timeCompareType(const Type *lhs, const Type *rhs) {
  const Type *left = asTimeOperand(lhs);
  const Type *right = asTimeOperand(rhs);
  if (left->isTimedelta() && right->isTimedelta())
    return commonTimeType(left, right);
  if (lhs->isDatetime() && rhs->isDatetime())
    return commonTimeType(lhs, rhs);
  return nullptr;
}

} // namespace nogil::sema
