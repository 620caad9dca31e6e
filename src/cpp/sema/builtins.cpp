#include "sema/builtins.h"
#include "sema/ufuncs.h"

#include <cmath>
#include <numbers>
#include <string_view>
#include <utility>

namespace nogil::sema {

namespace {
/// What hash() takes: a number, a complex number or a tuple of those (nested too).
bool isHashable(const Type *type) {
  if (type->isNumeric() || type->isComplex())
    return true;
  if (!type->isTuple())
    return false;
  for (const Type *element : type->elements())
    if (!isHashable(element))
      return false;
  return true;
}
} // namespace

namespace {

struct BuiltinInfo {
  const char *name;
  int minArgs;
  int maxArgs; ///< -1: any number
};

constexpr BuiltinInfo kBuiltins[] = {
#define NOGIL_BUILTIN(Id, Name, MinArgs, MaxArgs) {Name, MinArgs, MaxArgs},
#include "sema/builtins.def"
};

const BuiltinInfo &info(Builtin builtin) { return kBuiltins[static_cast<size_t>(builtin)]; }

std::string arityText(const BuiltinInfo &info) {
  auto count = [](int n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); };
  if (info.maxArgs < 0)
    return std::to_string(info.minArgs) + " or more arguments";
  if (info.minArgs == info.maxArgs)
    return count(info.minArgs);
  return std::to_string(info.minArgs) + " to " + count(info.maxArgs);
}

BuiltinTyping misuseOf(const Type *arg) {
  return {nullptr, BuiltinMisuse{BuiltinMisuse::Kind::ArgumentType, "", arg}};
}

} // namespace

const char *builtinName(Builtin builtin) { return info(builtin).name; }

std::optional<Builtin> findBuiltin(std::string_view module, std::string_view name) {
  if (module == "numpy" && name == "bool") // np.bool_'s class is numpy.bool in NumPy 2
    name = "bool_";
  if (module == "numpy") {
    // NumPy's C-named aliases of its sized types (on the 64-bit platforms nogil runs on).
    static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
        {"intc", "int32"},     {"uintc", "uint32"},     {"intp", "int64"},
        {"uintp", "uint64"},   {"int_", "int64"},       {"uint", "uint64"},
        {"longlong", "int64"}, {"ulonglong", "uint64"}, {"short", "int16"},
        {"ushort", "uint16"},  {"byte", "int8"},        {"ubyte", "uint8"},
        {"double", "float64"}, {"single", "float32"},   {"long", "int64"},
        {"ulong", "uint64"},   {"csingle", "complex64"}};
    for (const auto &[alias, canonical] : kAliases)
      if (name == alias)
        name = canonical;
    // np.complex128 is a subclass of Python's complex, with its value and arithmetic.
    if (name == "complex128" || name == "cdouble")
      return findBuiltin("builtins", "complex");
  }
  std::string qualified =
      module == "builtins" ? std::string(name) : std::string(module) + "." + std::string(name);
  for (size_t i = 0; i < std::size(kBuiltins); ++i)
    if (qualified == kBuiltins[i].name)
      return static_cast<Builtin>(i);
  return std::nullopt;
}

std::optional<double> findModuleConstant(std::string_view module, std::string_view name) {
  if (module != "math" && module != "cmath" && module != "numpy")
    return std::nullopt;
  if (name == "pi")
    return std::numbers::pi;
  if (name == "e")
    return std::numbers::e;
  if (name == "tau")
    return 2 * std::numbers::pi;
  if (name == "inf")
    return HUGE_VAL;
  if (name == "nan")
    return std::nan("");
  return std::nullopt;
}

bool isElementwiseFunction(Builtin builtin) { return ufuncInfo(builtin) != nullptr; }

bool isArrayAllocation(Builtin builtin) {
  return builtin >= Builtin::NpEmpty && builtin <= Builtin::NpCopy;
}

bool isArrayReduction(Builtin builtin) {
  switch (builtin) {
  case Builtin::ArraySum:
  case Builtin::ArrayMin:
  case Builtin::ArrayMax:
  case Builtin::ArrayAmin:
  case Builtin::ArrayAmax:
  case Builtin::ArrayMean:
  case Builtin::ArrayArgmin:
  case Builtin::ArrayArgmax:
    return true;
  default:
    return false;
  }
}

bool isMatrixProduct(Builtin builtin) {
  switch (builtin) {
  case Builtin::ArrayDot:
  case Builtin::NpMatmul:
  case Builtin::NpVdot:
  case Builtin::NpInner:
  case Builtin::NpOuter:
    return true;
  default:
    return false;
  }
}

const Type *matrixProductType(Builtin builtin, const Type *a, const Type *b) {
  if (!a->isArray() || !b->isArray())
    return nullptr;
  bool vectorsOnly = builtin == Builtin::NpVdot || builtin == Builtin::NpOuter;
  for (const Type *operand : {a, b})
    if (operand->ndim() < 1 || operand->ndim() > (vectorsOnly ? 1u : 2u))
      return nullptr;
  const Type *x = a->dtype(), *y = b->dtype();
  const Type *dtype = x == boolType() && y == boolType() ? boolType() : unify(x, y);
  if (!dtype)
    return nullptr;
  unsigned ndim = builtin == Builtin::NpOuter  ? 2
                  : builtin == Builtin::NpVdot ? 0
                                               : (a->ndim() - 1) + (b->ndim() - 1);
  return ndim == 0 ? dtype : arrayType(dtype, ndim, Layout::C, false);
}

const Type *arrayReductionType(Builtin builtin, const std::vector<const Type *> &args) {
  for (const Type *arg : args)
    // complex reductions: not yet; datetime ones (NaT propagates) are the library layer's
    if (!arg->isArray() || arg->dtype()->isComplex() || arg->dtype()->isTimeType())
      return nullptr;
  const Type *dtype = args[0]->dtype();
  switch (builtin) {
  case Builtin::ArraySum:
    if (dtype->isFloat())
      return dtype;
    return dtype->isUnsigned() ? typeOf(TypeKind::UInt64) : int64Type();
  case Builtin::ArrayMean:
    return dtype->kind() == TypeKind::Float32 ? dtype : float64Type();
  case Builtin::ArrayArgmin:
  case Builtin::ArrayArgmax:
    return int64Type();
  default: // min, max
    return dtype;
  }
}

NumpyParameters numpyParameters(Builtin builtin) {
  switch (builtin) {
  case Builtin::ArraySum:
    return {{"a", "axis", "dtype", "out", "keepdims", "initial", "where"}, 1, false};
  case Builtin::ArrayMin:
  case Builtin::ArrayMax:
  case Builtin::ArrayAmin:
  case Builtin::ArrayAmax:
    return {{"a", "axis", "out", "keepdims", "initial", "where"}, 1, false};
  case Builtin::ArrayMean:
    return {{"a", "axis", "dtype", "out", "keepdims", "where"}, 1, false};
  case Builtin::ArrayArgmin:
  case Builtin::ArrayArgmax:
    return {{"a", "axis", "out", "keepdims"}, 1, false};
  case Builtin::ArrayDot:
    return {{"a", "b", "out"}, 3, false};
  case Builtin::NpOuter:
    return {{"a", "b", "out"}, 2, false};
  case Builtin::NpMatmul:
    return {{"x1", "x2", "out"}, 3, false};
  case Builtin::NpVdot:
  case Builtin::NpInner:
    return {{"a", "b"}, 2, false};
  case Builtin::NpEmpty:
  case Builtin::NpZeros:
  case Builtin::NpOnes:
    return {{"shape", "dtype", "order", "like"}, 1, true};
  case Builtin::NpFull:
    return {{"shape", "fill_value", "dtype", "order", "like"}, 2, true};
  case Builtin::NpEmptyLike:
    return {{"prototype", "dtype", "order", "subok", "shape"}, 1, true};
  case Builtin::NpZerosLike:
  case Builtin::NpOnesLike:
    return {{"a", "dtype", "order", "subok", "shape"}, 1, true};
  case Builtin::NpFullLike:
    return {{"a", "fill_value", "dtype", "order", "subok", "shape"}, 2, true};
  case Builtin::NpArange: // arange([start,] stop[, step], dtype): positions, not names
    return {{"start", "stop", "step", "dtype", "like"}, 3, true};
  case Builtin::NpCopy:
    return {{"a", "order", "subok"}, 1, false};
  default:
    return {};
  }
}

Layout allocationLayout(char order, const Type *source, unsigned ndim) {
  if (ndim <= 1 || order == 'C')
    return Layout::C; // one dimension is contiguous both ways: NumPy flags it C
  if (order == 'F')
    return Layout::F;
  // 'A' and 'K' follow the source: its layout when its type knows it, else at run time
  return source->layout();
}

std::string_view untakenParameter(Builtin builtin, size_t index) {
  if (builtin == Builtin::Int && index == 1)
    return "base";
  return {};
}

const Type *numpyScalarType(Builtin builtin) {
  switch (builtin) {
  case Builtin::NpBool:
    return boolType();
  case Builtin::NpInt8:
    return typeOf(TypeKind::Int8);
  case Builtin::NpInt16:
    return typeOf(TypeKind::Int16);
  case Builtin::NpInt32:
    return typeOf(TypeKind::Int32);
  case Builtin::NpInt64:
    return int64Type();
  case Builtin::NpUInt8:
    return typeOf(TypeKind::UInt8);
  case Builtin::NpUInt16:
    return typeOf(TypeKind::UInt16);
  case Builtin::NpUInt32:
    return typeOf(TypeKind::UInt32);
  case Builtin::NpUInt64:
    return typeOf(TypeKind::UInt64);
  case Builtin::NpFloat32:
    return typeOf(TypeKind::Float32);
  case Builtin::NpFloat64:
    return float64Type();
  case Builtin::NpComplex64:
    return complex64Type();
  default:
    return nullptr;
  }
}

BuiltinTyping typeBuiltin(Builtin builtin, const std::vector<const Type *> &args,
                          bool secondArgIsNegativeLiteral) {
  const BuiltinInfo &about = info(builtin);
  int count = static_cast<int>(args.size());
  if (count < about.minArgs || (about.maxArgs >= 0 && count > about.maxArgs))
    return {nullptr, BuiltinMisuse{BuiltinMisuse::Kind::Arity, arityText(about), nullptr}};
  // abs() of a timedelta64, min() and max() of datetime64s or timedelta64s (of units that
  // combine), compared as NumPy compares them.
  bool timeArguments =
      (builtin == Builtin::Abs && args[0]->isTimedelta()) ||
      ((builtin == Builtin::Min || builtin == Builtin::Max) && args[0]->isTimeType());
  // complex(z) and np.complex64(z) take one complex number; everything else takes reals.
  bool complexArgument = (builtin == Builtin::Complex || builtin == Builtin::NpComplex64) &&
                         count == 1 && args[0]->isComplex();
  // pow(z, w) of complex numbers, as z ** w
  bool complexPower = builtin == Builtin::Pow && count == 2 &&
                      (args[0]->isComplex() || args[1]->isComplex()) &&
                      (args[0]->isNumeric() || args[0]->isComplex()) &&
                      (args[1]->isNumeric() || args[1]->isComplex());
  if (complexPower)
    return {unify(args[0], args[1]), {}};
  if (builtin >= Builtin::CmathPhase && builtin <= Builtin::CmathSqrt) {
    for (const Type *arg : args)
      if (!arg->isNumeric() && !arg->isComplex())
        return misuseOf(arg);
    switch (builtin) {
    case Builtin::CmathPhase:
      return {float64Type(), {}};
    case Builtin::CmathPolar:
      return {tupleType({float64Type(), float64Type()}), {}};
    case Builtin::CmathSqrt:
      return {complex128Type(), {}};
    default: // the tests
      return {boolType(), {}};
    }
  }
  // hash() of a complex number or a tuple of hashable values, as CPython computes it
  if (builtin == Builtin::Hash && count == 1 && isHashable(args[0]))
    return {int64Type(), {}};
  for (const Type *arg : args)
    if (!arg->isNumeric() && !timeArguments && !complexArgument)
      return misuseOf(arg);
  if (timeArguments && builtin != Builtin::Abs) {
    const Type *result = args[0];
    for (const Type *arg : args)
      if (!(result = unify(result, arg)) || !result->isTimeType())
        return misuseOf(arg);
    return {result, {}};
  }

  if (const Type *scalar = numpyScalarType(builtin))
    return {scalar, {}};
  // Two bools give an int in arithmetic, as in Python; otherwise NumPy's promotion.
  auto promoted = [&](const Type *a, const Type *b) {
    return a == boolType() && b == boolType() ? int64Type() : unify(a, b);
  };
  switch (builtin) {
  case Builtin::Abs:
    return {args[0] == boolType() ? int64Type() : args[0], {}};
  case Builtin::Min:
  case Builtin::Max: {
    const Type *result = args[0];
    for (const Type *arg : args)
      result = unify(result, arg);
    return {result, {}};
  }
  case Builtin::Int:
  case Builtin::Hash:
    return {int64Type(), {}};
  case Builtin::Float:
    return {float64Type(), {}};
  case Builtin::Bool:
    return {boolType(), {}};
  case Builtin::Complex:
    return {complex128Type(), {}};
  case Builtin::Print:
    return {noneType(), {}};
  case Builtin::Tuple: // of a tuple, typed by the typer; a number is not iterable
  case Builtin::Len:   // of a tuple, typed by the typer; a number has no length
    return misuseOf(args[0]);
  case Builtin::DivMod: {
    const Type *part = promoted(args[0], args[1]);
    return {tupleType({part, part}), {}};
  }
  case Builtin::Round:
    if (count == 2 && args[1]->isFloat())
      return misuseOf(args[1]);
    // round(x) is an int; round(x, n) keeps a float's type.
    return {count == 2 && args[0]->isFloat() ? args[0] : int64Type(), {}};
  case Builtin::Pow: {
    if (count == 3) { // pow(base, exp, mod): integers only, as in Python
      for (const Type *arg : args)
        if (!arg->isIntegral())
          return misuseOf(arg);
      return {int64Type(), {}};
    }
    bool integral = args[0]->isIntegral() && args[1]->isIntegral();
    return {integral && secondArgIsNegativeLiteral ? float64Type() : promoted(args[0], args[1]),
            {}};
  }
  case Builtin::Floor:
  case Builtin::Ceil:
  case Builtin::Trunc:
    return {int64Type(), {}};
  case Builtin::IsNan:
  case Builtin::IsInf:
  case Builtin::IsFinite:
    return {boolType(), {}};
  case Builtin::Gcd:
  case Builtin::Factorial:
  case Builtin::Comb:
  case Builtin::Perm:
  case Builtin::Isqrt:
    for (const Type *arg : args)
      if (arg->isFloat()) // CPython: "'float' object cannot be interpreted as an integer"
        return misuseOf(arg);
    return {int64Type(), {}};
  case Builtin::Ldexp:
    if (!args[1]->isIntegral())
      return misuseOf(args[1]);
    return {float64Type(), {}};
  case Builtin::Frexp:
    return {tupleType({float64Type(), int64Type()}), {}};
  case Builtin::Modf:
    return {tupleType({float64Type(), float64Type()}), {}};
  case Builtin::IsClose:
    return {boolType(), {}};
  default:
    return {float64Type(), {}};
  }
}

} // namespace nogil::sema
