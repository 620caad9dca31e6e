// The builtin functions and `math` members compiled code can call, and their typing rules.
#pragma once

#include "sema/types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nogil::sema {

enum class Builtin : uint8_t {
#define NOGIL_BUILTIN(Id, Name, MinArgs, MaxArgs) Id,
#include "sema/builtins.def"
};

/// "math.sqrt" or "abs": the name a user writes, for messages.
const char *builtinName(Builtin builtin);

/// The builtin a Python object stands for, by its module and name: ("builtins", "abs"),
/// ("math", "sqrt"). Empty when compiled code cannot call it.
std::optional<Builtin> findBuiltin(std::string_view module, std::string_view name);

/// Whether `builtin` reduces arrays (np.sum, a.max(), np.dot, ...).
bool isArrayReduction(Builtin builtin);

/// Whether `builtin` is a matrix product (np.dot, np.matmul, np.vdot, np.inner, np.outer;
/// `@` types as np.matmul).
bool isMatrixProduct(Builtin builtin);

/// The result of matrix product `builtin` of arrays `a` and `b`: NumPy's (a scalar for two
/// vectors), or null when it takes no such operands (ndim outside 1..2, 1 for vdot and
/// outer; a dtype that does not promote).
const Type *matrixProductType(Builtin builtin, const Type *a, const Type *b);

/// The result type of an array reduction over `args`, or null when they are not arrays it
/// takes (np.dot takes two 1-d float64 arrays).
const Type *arrayReductionType(Builtin builtin, const std::vector<const Type *> &args);

/// Whether `builtin` is one of NumPy's ufuncs (np.sqrt, np.add, ...; see ufuncs.h).
bool isElementwiseFunction(Builtin builtin);

/// Whether `builtin` creates an array (np.empty, np.zeros_like, np.arange, a.copy(), ...).
bool isArrayAllocation(Builtin builtin);

/// NumPy's parameters of an array function (np.sum: a, axis, dtype, out, ...), in order,
/// and how many of the first ones compiled code takes (`dtype` of an allocation too, by
/// name). Empty for the other builtins.
struct NumpyParameters {
  std::vector<std::string_view> names;
  size_t supported = 0; ///< names[0, supported) are taken (dtype: see `takesDtype`)
  bool takesDtype = false;
};
NumpyParameters numpyParameters(Builtin builtin);

/// The layout of an array allocated with NumPy's order letter `order` ('C', 'F', 'A', 'K')
/// and `ndim` dimensions, `source` the array a copy or a _like follows (null otherwise):
/// Layout::Any when only the source's strides at run time decide.
Layout allocationLayout(char order, const Type *source, unsigned ndim);

/// The type of `array.T`: the same dtype and dimensions, the layout of the reversed axes.
const Type *transposedType(const Type *array);

/// The name of a builtin's parameter compiled code does not take (int's `base`, pow's
/// `mod`, a ufunc's `out`), by position; empty when Python has none there either.
std::string_view untakenParameter(Builtin builtin, size_t index);

/// The scalar type a NumPy constructor builtin makes (np.int32 -> int32), or null.
const Type *numpyScalarType(Builtin builtin);

/// The value of a constant member of a module (`math.pi`), or empty.
std::optional<double> findModuleConstant(std::string_view module, std::string_view name);

/// Why a call was rejected, for the typer's diagnostic.
struct BuiltinMisuse {
  enum class Kind : uint8_t { Arity, ArgumentType } kind;
  std::string expected;         ///< for Arity: "1 argument", "2 or more arguments"
  const Type *badArg = nullptr; ///< for ArgumentType
};

/// The result of calling `builtin` with arguments of these types, or the misuse.
/// `secondArgIsNegativeLiteral` tells `pow(x, -2)` (a float, as `x ** -2`) from `pow(x, n)`.
struct BuiltinTyping {
  const Type *result = nullptr;
  std::optional<BuiltinMisuse> misuse;
};
BuiltinTyping typeBuiltin(Builtin builtin, const std::vector<const Type *> &args,
                          bool secondArgIsNegativeLiteral);

} // namespace nogil::sema
