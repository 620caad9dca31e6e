// NumPy's ufuncs as data (ufuncs.def): how their inputs' dtypes choose a loop, and which
// kernel computes an element. The typer and the lowering both read this one table.
#pragma once

#include "sema/builtins.h"

#include <optional>
#include <string_view>

namespace nogil::sema {

/// How the inputs' dtypes (promoted together, NumPy 2's rules) choose the loop's types.
enum class UfuncLoops : uint8_t {
  Arithmetic, ///< the promoted type, bool included (add on bools is `or`)
  NoBool,     ///< the promoted type; bool refused (subtract, negative, sign)
  BoolAsInt8, ///< the promoted type, bool computed as int8 (square, power, remainder)
  TrueDivide, ///< floats keep their type, integers give float64
  Float64,    ///< float64 always (float_power)
  Float,      ///< floats keep their type, small integers float32, the others float64
  Magnitude,  ///< absolute: the type itself; of a complex its float
  Rounding,   ///< floor, ceil, trunc: the type itself (an integer is already integral)
  Ldexp,      ///< a float (as Float) and an integer exponent
  Integer,    ///< integers only (gcd, lcm)
  Bitwise,    ///< bool and integers
  Shift,      ///< integers, bool as int8
  Compare,    ///< any real numbers, compared in the promoted type; bool result
  Equality,   ///< as Compare, complex numbers too
  Logical,    ///< each input's truth; bool result
  Predicate,  ///< isnan and friends: bool result, complex inputs too
};

/// How one element is computed from the loop's inputs.
enum class UfuncKernel : uint8_t {
  Add,
  Sub,
  Mul,
  TrueDiv,
  FloorDiv,
  Mod,
  Pow,
  BitAnd,
  BitOr,
  BitXor,
  LShift,
  RShift,
  Gt,
  GtE,
  Lt,
  LtE,
  NotEq,
  Eq,
  Math, ///< the LLVM intrinsic or libm function the row names, on floats
  Fmod,
  Negative,
  Identity,
  Absolute,
  Sign,
  Conjugate,
  Square,
  Reciprocal,
  LogAddExp,
  LogAddExp2,
  Scale,
  Spacing,
  Ldexp,
  Gcd,
  Lcm,
  Invert,
  LogicalAnd,
  LogicalOr,
  LogicalXor,
  LogicalNot,
  Maximum,
  Minimum,
  Fmax,
  Fmin,
  IsFinite,
  IsInf,
  IsNan,
  SignBit,
  IsNat, ///< datetime64 and timedelta64 only
};

struct UfuncInfo {
  const char *name; ///< NumPy's: "add"
  unsigned inputs;
  UfuncLoops loops;
  UfuncKernel kernel;
  const char *implementation; ///< "llvm.sqrt", "atan2", a Scale's factor; or ""
};

/// The ufunc a builtin is, or null when it is not one.
const UfuncInfo *ufuncInfo(Builtin builtin);

/// The types of a ufunc's loop: its inputs are converted to `operand` (`operands[i]`), and it
/// gives `result`.
struct UfuncLoop {
  const Type *operands[2] = {nullptr, nullptr};
  const Type *result = nullptr;
};

/// The loop for inputs of these element types (the second null for a unary ufunc), or
/// nothing when the ufunc has no loop for them (NumPy's "ufunc 'x' not supported for the
/// input types").
std::optional<UfuncLoop> resolveUfuncLoop(const UfuncInfo &ufunc, const Type *first,
                                          const Type *second);

/// Whether NumPy has a complex loop for the Math kernel implemented by `implementation`
/// (exp, log, sqrt, the trigonometric functions...; not cbrt, arctan2, floor...).
bool hasComplexLoop(std::string_view implementation);

/// Whether NumPy's 'same_kind' casting allows `from` into `to` (a ufunc's `out`, `a += b`).
bool canCastSameKind(const Type *from, const Type *to);

/// NumPy's casting rules (a ufunc's `casting=`), strictest first.
enum class UfuncCasting : uint8_t { No, Equiv, Safe, SameKind, Unsafe };

/// The rule a `casting=` string names, or nothing for another string.
std::optional<UfuncCasting> parseUfuncCasting(std::string_view name);

/// The rule's name, as `casting=` spells it.
const char *ufuncCastingName(UfuncCasting casting);

/// Whether the rule allows casting a value of `from` into `to`.
bool canCastUfunc(const Type *from, const Type *to, UfuncCasting casting);

} // namespace nogil::sema
