// NumPy's datetime64 and timedelta64 typing rules: which units combine, into what, and which
// operators they take (NumPy's ufunc type resolution for datetimes, datetime.c).
#pragma once

#include "ast/ast.h"
#include "sema/types.h"

#include <cstdint>
#include <optional>

namespace nogil::sema {

/// The unit a value of `from` converts to when it meets `other`: NumPy's common metadata
/// divisor. Years and months convert to each other (12 months a year); a datetime of years or
/// months also converts to a finer unit through the calendar, a timedelta of years or months
/// does not (NumPy's "incompatible nonlinear base time units"). Generic takes the other's unit.
std::optional<DatetimeUnit> commonUnit(DatetimeUnit a, bool aIsDatetime, DatetimeUnit b,
                                       bool bIsDatetime);

/// The common type of two datetime64 (or two timedelta64) types; null when they do not combine.
const Type *commonTimeType(const Type *a, const Type *b);

/// The factor from a linear unit (weeks and finer) or a timedelta of years to a finer one
/// (1 from generic), or nothing when the conversion is not a multiplication.
std::optional<int64_t> unitFactor(DatetimeUnit from, DatetimeUnit to);

/// Whether a value of `from` (an integer, a bool, or a datetime64 or timedelta64) converts to
/// the datetime64 or timedelta64 `to`, as NumPy stores it into an array of `to`: an integer
/// as a count of `to`'s unit; a time value of the same kind to a finer unit exactly, to a
/// coarser one rounding down (NumPy's cast), a datetime of years or months to any unit.
bool canConvertTime(const Type *from, const Type *to);

/// What an operand acts as next to a datetime64 or timedelta64: an integer or a bool is a
/// timedelta64 of generic unit, as in NumPy; any other type is itself.
const Type *asTimeOperand(const Type *type);

/// The type of `lhs op rhs` when one of them is a datetime64 or timedelta64, as NumPy's
/// ufuncs resolve it; null when NumPy refuses the operands.
const Type *timeBinaryResult(ast::BinaryOp op, const Type *lhs, const Type *rhs);

/// The type both operands of a comparison convert to when one of them is a datetime64 or
/// timedelta64; null when NumPy refuses to compare them.
const Type *timeCompareType(const Type *lhs, const Type *rhs);

} // namespace nogil::sema
