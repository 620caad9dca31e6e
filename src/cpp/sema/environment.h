// What a compiled function's free names mean: values frozen when it is first compiled.
#pragma once

#include "ast/ast.h"
#include "sema/builtins.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nogil::sema {

struct FunctionUnit;

/// fastmath's flags, one bit each (Numba's names, LLVM's fast-math flags).
namespace fastmath {
constexpr uint32_t kReassoc = 1, kNoNaNs = 2, kNoInfs = 4, kNoSignedZeros = 8,
                   kAllowReciprocal = 16, kAllowContract = 32, kApproxFunc = 64;
} // namespace fastmath

/// inline="always" | "never" | unspecified (LLVM's own cost model decides).
enum class InlineMode : uint8_t { Default, Always, Never };

/// The value of one free name.
struct GlobalValue {
  enum class Kind : uint8_t {
    Int,            ///< a module-level int, a compile-time constant
    Float,          ///< a float constant
    Bool,           ///< a bool constant
    Function,       ///< another compiled function
    Range,          ///< the builtin `range`, or nogil.prange (parallelRange)
    Builtin,        ///< a builtin function or `math` function (`abs`, `sqrt` from math)
    Module,         ///< a module whose members compiled code may use (`math`)
    ExceptionClass, ///< a class derived from BaseException, to raise
    Constant,       ///< a NumPy scalar, complex, tuple of numbers or array, frozen
    None,           ///< None (np.newaxis)
    Overload,       ///< a function with implementations chosen by argument types (overload)
    Unsupported,    ///< anything else: an error where it is used
  };
  Kind kind = Kind::Unsupported;
  int64_t intValue = 0;
  double floatValue = 0;
  const FunctionUnit *function = nullptr;
  Builtin builtin = Builtin::Abs;
  /// For Range: nogil.prange, whose loops run in parallel in a parallel=True function (and
  /// as range() elsewhere).
  bool parallelRange = false;
  std::string moduleName; ///< for Module: "math"
  /// For ExceptionClass: the class object, opaque to the compiler, kept alive by the
  /// python layer for as long as the code that raises it. typeName holds its name.
  uintptr_t exceptionClass = 0;
  /// For ExceptionClass: `module.qualname`, which names the class across processes (the
  /// on-disk cache keys on it).
  std::string className;
  std::string typeName; ///< the Python type of an Unsupported value, for the message
  /// For Constant: its type (a number, a tuple of them, or a readonly C array) and its value
  /// in the entry ABI's slots (one per scalar, integers extended to 64 bits, floats as
  /// doubles); for an array, the slots are its shape and `arrayBytes` its elements.
  const Type *constantType = nullptr;
  std::vector<uint64_t> constantSlots;
  std::string arrayBytes;
  /// For Overload: the python layer's selector object, opaque to the compiler and kept alive
  /// by it; typeName holds the name users call it by (`numpy.cumsum`), and overloadKey the
  /// sources of its implementations, which the on-disk cache keys on.
  uintptr_t overload = 0;
  std::string overloadKey;
};

/// The names `expr` reads from the environment: `x` or a dotted chain rooted at a free name
/// (`np.linalg.norm`), as the python layer froze them; nullopt for anything else.
/// `isLocal` says whether a plain name is a local of the function.
template <typename IsLocal>
std::optional<std::string> dottedGlobalName(const ast::Expr *expr, IsLocal isLocal) {
  if (auto *name = ast::dynCast<ast::NameExpr>(expr))
    return isLocal(name) ? std::nullopt : std::optional<std::string>(name->name);
  auto *attribute = ast::dynCast<ast::AttributeExpr>(expr);
  if (!attribute)
    return std::nullopt;
  auto base = dottedGlobalName(attribute->value, isLocal);
  if (!base)
    return std::nullopt;
  return *base + "." + attribute->attr;
}

using Environment = std::unordered_map<std::string, GlobalValue>;

/// One Python function as the compiler sees it: its source, tree and environment.
/// Immutable once published to sema; shared by all its specializations.
struct FunctionUnit {
  uint64_t id = 0; ///< unique in the process; part of every symbol name
  std::string qualname;
  std::unique_ptr<ast::SourceFile> source;
  std::unique_ptr<ast::FunctionAst> ast;
  Environment environment;
  /// error_model="numpy": division and modulo by zero give inf, nan or 0, as NumPy (and
  /// Numba in that mode) do, instead of raising ZeroDivisionError.
  bool numpyErrorModel = false;
  /// boundscheck=False drops the index checks (negative indices still count from the end).
  bool boundsCheck = true;
  /// parallel=True: prange loops run on the thread pool.
  bool parallel = false;
  /// fastmath: the fastmath:: flags every float operation and math call of the function
  /// carries (0: IEEE semantics).
  uint32_t fastMath = 0;
  /// inline=: whether callers always, never or (by LLVM's cost model) may inline it.
  InlineMode inlining = InlineMode::Default;
  /// locals={name: type}: the declared types of these locals; assignments convert to them.
  std::unordered_map<std::string, const Type *> declaredLocals;
  /// Python's optimization level when the function was loaded (python -O): at 1 and above
  /// the tree has no assert statements, as CPython's code has none.
  int optimize = 0;
  /// The values of the last defaults.size() parameters' defaults, from the function object
  /// (Int, Float or Bool; anything else is Unsupported and reported where it is needed).
  std::vector<GlobalValue> defaults;
  /// An overload's implementation (set by the python layer when one is chosen): a caller's
  /// on-disk cache key, computed before typing, does not cover it.
  mutable std::atomic<bool> chosenByTypes{false};

  std::vector<std::string> paramNames() const;
};

/// The first parameter of a function the front end lifted out of another one (an inner
/// `def` or a lambda, see _closures.py): it receives the closure value itself.
inline constexpr const char *kClosureParam = "$closure";

/// The lifted function a closure value calls, or null when `type` is not a closure. A
/// closure is a tuple (lifted function, captured values...): it is passed, stored and
/// returned as any tuple, and a call through it passes the tuple as the first argument, so
/// it is a direct call that LLVM inlines.
const FunctionUnit *closureBody(const Type *type);

} // namespace nogil::sema
