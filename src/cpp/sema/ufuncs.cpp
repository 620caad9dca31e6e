#include "sema/ufuncs.h"
#include "sema/datetime.h"

namespace nogil::sema {

namespace {

constexpr UfuncInfo kUfuncs[] = {
#define NOGIL_UFUNC(Id, Name, Inputs, Loops, Kernel, Impl)                                         \
  {Name, Inputs, UfuncLoops::Loops, UfuncKernel::Kernel, Impl},
#include "sema/ufuncs.def"
};

constexpr Builtin kFirstUfunc = Builtin::NpAdd;

/// NumPy computes small integers in float16, which compiled code does not have: float32.
const Type *floatFor(const Type *type) {
  if (type->isFloat() || type->isComplex())
    return type;
  return type->bitWidth() <= 16 ? typeOf(TypeKind::Float32) : float64Type();
}

/// bool < integers < floats < complex: NumPy's kinds, in casting order.
int kindOrder(const Type *type) {
  return type->isComplex()    ? 4
         : type->isFloat()    ? 3
         : type->isSigned()   ? 2
         : type->isUnsigned() ? 1
                              : 0;
}

/// The loop of a ufunc with a datetime64 or timedelta64 input: the inputs keep their types
/// (the kernels convert units as the operators do), the result is the operator's.
std::optional<UfuncLoop> resolveTimeLoop(const UfuncInfo &ufunc, const Type *first,
                                         const Type *second) {
  auto binary = [&](ast::BinaryOp op) -> std::optional<UfuncLoop> {
    const Type *result = second ? timeBinaryResult(op, first, second) : nullptr;
    if (!result)
      return std::nullopt;
    return UfuncLoop{{first, second}, result};
  };
  switch (ufunc.kernel) {
  case UfuncKernel::IsNat:
    return UfuncLoop{{first, nullptr}, boolType()};
  case UfuncKernel::Add:
    return binary(ast::BinaryOp::Add);
  case UfuncKernel::Sub:
    return binary(ast::BinaryOp::Sub);
  case UfuncKernel::Mul:
    return binary(ast::BinaryOp::Mul);
  case UfuncKernel::TrueDiv:
    return binary(ast::BinaryOp::Div);
  case UfuncKernel::FloorDiv:
    return binary(ast::BinaryOp::FloorDiv);
  case UfuncKernel::Mod:
    return binary(ast::BinaryOp::Mod);
  case UfuncKernel::Gt:
  case UfuncKernel::GtE:
  case UfuncKernel::Lt:
  case UfuncKernel::LtE:
  case UfuncKernel::NotEq:
  case UfuncKernel::Eq:
    if (!second || !timeCompareType(first, second))
      return std::nullopt;
    return UfuncLoop{{first, second}, boolType()};
  case UfuncKernel::Maximum:
  case UfuncKernel::Minimum:
  case UfuncKernel::Fmax:
  case UfuncKernel::Fmin: {
    const Type *common = second ? commonTimeType(first, second) : nullptr;
    if (!common)
      return std::nullopt;
    return UfuncLoop{{common, common}, common};
  }
  case UfuncKernel::Negative:
  case UfuncKernel::Identity:
  case UfuncKernel::Absolute:
    if (!first->isTimedelta())
      return std::nullopt;
    return UfuncLoop{{first, nullptr}, first};
  default:
    return std::nullopt;
  }
}

} // namespace

bool hasComplexLoop(std::string_view implementation) {
  for (std::string_view name :
       {"llvm.exp", "llvm.exp2", "expm1",     "llvm.log", "llvm.log2", "llvm.log10",
        "log1p",    "llvm.sqrt", "llvm.sin",  "llvm.cos", "tan",       "asin",
        "acos",     "atan",      "sinh",      "cosh",     "tanh",      "asinh",
        "acosh",    "atanh",     "llvm.rint", "llvm.pow"})
    if (implementation == name)
      return true;
  return false;
}

const UfuncInfo *ufuncInfo(Builtin builtin) {
  auto index = static_cast<size_t>(builtin) - static_cast<size_t>(kFirstUfunc);
  if (builtin < kFirstUfunc || index >= std::size(kUfuncs))
    return nullptr;
  return &kUfuncs[index];
}

std::optional<UfuncLoop> resolveUfuncLoop(const UfuncInfo &ufunc, const Type *first,
                                          const Type *second) {
  if (first->isTimeType() || (second && second->isTimeType()))
    return resolveTimeLoop(ufunc, first, second);
  if (ufunc.kernel == UfuncKernel::IsNat) // NumPy: only defined for datetime64 and timedelta64
    return std::nullopt;
  for (const Type *input : {first, second})
    if (input && !input->isNumeric() && !input->isComplex())
      return std::nullopt;
  const Type *promoted = second ? unify(first, second) : first;
  if (!promoted)
    return std::nullopt;
  bool isComplex = promoted->isComplex();
  bool isBool = promoted->kind() == TypeKind::Bool;
  auto same = [&](const Type *type) -> std::optional<UfuncLoop> {
    return UfuncLoop{{type, second ? type : nullptr}, type};
  };
  auto complexKernel = [&] {
    switch (ufunc.kernel) {
    case UfuncKernel::Add:
    case UfuncKernel::Sub:
    case UfuncKernel::Mul:
    case UfuncKernel::TrueDiv:
    case UfuncKernel::Negative:
    case UfuncKernel::Identity:
    case UfuncKernel::Conjugate:
    case UfuncKernel::Square:
    case UfuncKernel::Absolute:
    case UfuncKernel::Eq:
    case UfuncKernel::NotEq:
    case UfuncKernel::IsNan:
    case UfuncKernel::IsInf:
    case UfuncKernel::IsFinite:
    case UfuncKernel::Sign:
    case UfuncKernel::Pow:
    case UfuncKernel::Reciprocal:
    case UfuncKernel::LogicalAnd:
    case UfuncKernel::LogicalOr:
    case UfuncKernel::LogicalXor:
    case UfuncKernel::LogicalNot:
      return true;
    case UfuncKernel::Math:
      return hasComplexLoop(ufunc.implementation);
    default:
      return false;
    }
  };
  if (isComplex && !complexKernel())
    return std::nullopt;
  switch (ufunc.loops) {
  case UfuncLoops::Arithmetic:
    return same(promoted);
  case UfuncLoops::NoBool:
    if (isBool)
      return std::nullopt;
    return same(promoted);
  case UfuncLoops::BoolAsInt8:
    return same(isBool ? typeOf(TypeKind::Int8) : promoted);
  case UfuncLoops::TrueDivide:
    return same(promoted->isFloat() || isComplex ? promoted : float64Type());
  case UfuncLoops::Float64:
    return same(isComplex ? promoted : float64Type());
  case UfuncLoops::Float:
    return same(floatFor(promoted));
  case UfuncLoops::Magnitude:
    if (isComplex)
      return UfuncLoop{{promoted, nullptr}, complexPartType(promoted)};
    return same(promoted);
  case UfuncLoops::Rounding:
    return same(promoted);
  case UfuncLoops::Ldexp: {
    // the exponent is a C int: uint64 does not cast to it safely (NumPy refuses it too)
    if (!second->isIntegral() || second->kind() == TypeKind::UInt64 || first->isComplex())
      return std::nullopt;
    const Type *mantissa = floatFor(first);
    return UfuncLoop{{mantissa, typeOf(TypeKind::Int32)}, mantissa};
  }
  case UfuncLoops::Integer:
    if (!promoted->isInteger())
      return std::nullopt;
    return same(promoted);
  case UfuncLoops::Bitwise:
    if (!promoted->isIntegral())
      return std::nullopt;
    return same(promoted);
  case UfuncLoops::Shift:
    if (!promoted->isIntegral())
      return std::nullopt;
    return same(isBool ? typeOf(TypeKind::Int8) : promoted);
  case UfuncLoops::Compare:
  case UfuncLoops::Equality:
    return UfuncLoop{{promoted, promoted}, boolType()};
  case UfuncLoops::Logical:
    return UfuncLoop{{first, second}, boolType()};
  case UfuncLoops::Predicate:
    return UfuncLoop{{first, nullptr}, boolType()};
  }
  return std::nullopt;
}

bool canCastSameKind(const Type *from, const Type *to) {
  if (from == to)
    return true;
  int fromKind = kindOrder(from);
  int toKind = kindOrder(to);
  if (fromKind == 2 && toKind == 1) // a signed integer into an unsigned one
    return false;
  return fromKind <= toKind;
}

std::optional<UfuncCasting> parseUfuncCasting(std::string_view name) {
  for (UfuncCasting casting : {UfuncCasting::No, UfuncCasting::Equiv, UfuncCasting::Safe,
                               UfuncCasting::SameKind, UfuncCasting::Unsafe})
    if (name == ufuncCastingName(casting))
      return casting;
  return std::nullopt;
}

const char *ufuncCastingName(UfuncCasting casting) {
  switch (casting) {
  case UfuncCasting::No:
    return "no";
  case UfuncCasting::Equiv:
    return "equiv";
  case UfuncCasting::Safe:
    return "safe";
  case UfuncCasting::SameKind:
    return "same_kind";
  case UfuncCasting::Unsafe:
    return "unsafe";
  }
  return "same_kind";
}

bool canCastUfunc(const Type *from, const Type *to, UfuncCasting casting) {
  switch (casting) {
  case UfuncCasting::No:
  case UfuncCasting::Equiv: // byte order aside (compiled arrays are native), as 'no'
    return from == to;
  case UfuncCasting::Safe: // NumPy's: promoting the two gives `to`
    return from == to || unify(from, to) == to;
  case UfuncCasting::SameKind:
    return canCastSameKind(from, to);
  case UfuncCasting::Unsafe:
    return true;
  }
  return false;
}

} // namespace nogil::sema
