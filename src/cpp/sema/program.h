// The typed program: every specialization a compile needs, typed, with its call targets.
#pragma once

#include "ast/diagnostics.h"
#include "sema/environment.h"
#include "sema/types.h"
#include "sema/ufuncs.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nogil::sema {

/// What codegen needs to call a specialization: its symbol and signature.
struct CallTarget {
  std::string symbol;
  std::vector<const Type *> params;
  const Type *returnType = nullptr;
  /// The callee does not type: its own errors are reported, so its callers report nothing
  /// about its result (which would only repeat them, less clearly).
  bool failed = false;
};

/// How a prange reduction combines: `+=`, `min(v, x)`, ...
enum class ReductionOp : uint8_t { Add, Sub, Mul, BitOr, BitAnd, BitXor, Min, Max };

/// How the body of a prange loop uses the function's locals (sema/parallel_loops.cpp).
struct ParallelLoop {
  int32_t target = -1;           ///< the loop variable (private)
  std::vector<int32_t> shared;   ///< read in the body, never assigned there
  std::vector<int32_t> privates; ///< assigned before being read, in every iteration
  std::vector<std::pair<int32_t, ReductionOp>> reductions; ///< combined across iterations
};

/// The array methods that reshape a view or copy an array (sema/typer_views.cpp,
/// codegen/lower_views.cpp), as methods (`a.reshape(2, 3)`) or NumPy functions
/// (`np.reshape(a, (2, 3))`).
enum class ArrayMethod : uint8_t {
  Reshape,
  Ravel,
  Flatten,
  Transpose,
  SwapAxes,
  Squeeze,
  ExpandDims,
  Fill,
  Item,
  AsType,
  View,
  StridedView,
  DataAddress,
};

/// A call of an ArrayMethod: its array, the operands read at run time (reshape's extents,
/// fill's value, item's indices) and the axes fixed when compiling (a permutation for
/// transpose and swapaxes, the axes squeeze removes or expand_dims inserts, sorted).
/// The methods of numbers compiled code calls (on Python's and NumPy's scalars alike).
enum class ScalarMethod : uint8_t { Conjugate, BitLength, IsInteger };

struct ArrayMethodCall {
  ArrayMethod method;
  const ast::Expr *array = nullptr;
  std::vector<const ast::Expr *> operands;
  std::vector<unsigned> axes;
  /// reshape, ravel or flatten in F order: their C order on the reversed axes
  bool fortran = false;
};

/// One specialization of one function: the types of all its expressions and locals.
struct TypedFunction {
  const FunctionUnit *unit = nullptr;
  std::vector<const Type *> args;
  const Type *returnType = nullptr;
  std::string symbol;

  std::vector<const Type *> exprTypes; ///< by Expr::id; null for expressions never typed
  std::vector<int32_t> localSlots;     ///< by Expr::id: the local a NameExpr names, or -1
  std::vector<std::string> localNames; ///< parameters first, in order
  std::vector<const Type *> localTypes;
  std::unordered_map<uint32_t, CallTarget> calls; ///< by the id of each CallExpr
  /// For each call to a compiled function, by its id: the argument of each parameter, in
  /// parameter order: an index into the call's positional then keyword arguments, or
  /// -1 - k for the callee's k-th default value.
  std::unordered_map<uint32_t, std::vector<int32_t>> argumentOrder;
  std::unordered_map<uint32_t, Builtin> builtinCalls;         ///< by the id of each CallExpr
  std::unordered_map<uint32_t, ArrayMethodCall> arrayMethods; ///< by the id of each CallExpr
  std::unordered_map<uint32_t, double> constants; ///< module constants (`math.pi`), by id
  /// For a tuple subscript with a constant index: the element, by the SubscriptExpr's id
  /// (a subscript not listed indexes a homogeneous tuple at run time).
  std::unordered_map<uint32_t, uint32_t> constantIndices;
  /// `t.index(x)` (true) and `t.count(x)` (false), by the CallExpr's id.
  std::unordered_map<uint32_t, bool> tupleSearches;
  /// For a tuple slice (`t[1:3]`): the positions it picks, by the SubscriptExpr's id.
  std::unordered_map<uint32_t, std::vector<uint32_t>> tupleSlices;
  /// For an elementwise binary operation or comparison on arrays: the element types its two
  /// operands act as (a Python scalar next to an array may take the array's dtype).
  std::unordered_map<uint32_t, std::pair<const Type *, const Type *>> elementOperands;
  /// `a.dtype == np.float64` and the like, decided when compiling, by the comparison's id.
  std::unordered_map<uint32_t, bool> constantComparisons;
  /// A name or call of an optional type read where its value is needed (`v + 1`), by its id:
  /// that optional type. Its recorded type is the value's; lowering checks it is not None
  /// (TypeError, as CPython's `None + 1`) and takes the value.
  std::unordered_map<uint32_t, const Type *> optionalUnwraps;
  /// `z.conjugate()`, `n.bit_length()`, `x.is_integer()` on a number, by CallExpr id.
  std::unordered_map<uint32_t, ScalarMethod> scalarMethods;
  /// `x.view(np.uint64)` of a scalar: the type its bits are read as, by CallExpr id.
  std::unordered_map<uint32_t, const Type *> scalarViews;
  /// For a matrix product call (np.dot, a.dot, np.matmul...), by its id: its operands and
  /// its `out=` array (null when not given), whether passed by position or keyword.
  std::unordered_map<uint32_t, std::array<const ast::Expr *, 3>> productOperands;
  /// The element type of each array an allocation call creates, by the call's id.
  std::unordered_map<uint32_t, const Type *> allocationTypes;
  /// The layout letter of an allocation that is not C-ordered ('F'; 'A' or 'K' for a copy
  /// or a _like of an array whose layout is known only at run time), by the call's id.
  std::unordered_map<uint32_t, char> allocationOrders;
  /// A ufunc call's loop (its operands' and result's element types), by the call's id.
  std::unordered_map<uint32_t, UfuncLoop> ufuncLoops;
  /// `a[i] op= v`: the type `a[i] op v` computes in, by the id of the target subscript; for
  /// an array target (`a += b`, `a[1:] *= 2`) the element type, by the target's id.
  std::unordered_map<uint32_t, const Type *> augmentedResults;
  /// For each call to a compiled function or an overload's implementation: the callee.
  std::unordered_map<uint32_t, const FunctionUnit *> callees;
  /// `a[mask]`, `a[:, idx]`, `a[idx] = v`: a subscript with an array index, a call to the
  /// library's `__getitem__`/`__setitem__` (in `calls` and `callees` by the subscript's id)
  /// with these arguments: the array, then each index (null for a whole slice `:`, passed
  /// as None), then for a store the value stored. `x in a` is the same for `__contains__`
  /// (by the comparison's id): the array, then x.
  std::unordered_map<uint32_t, std::vector<const ast::Expr *>> indexCallArgs;
  /// The field a record subscript or attribute reads or writes (`r['f']`, `r.f`, `r[0]`),
  /// or an array subscript views (`a['f']`), by the expression's id.
  std::unordered_map<uint32_t, const RecordField *> recordFields;
  /// For a method call bound to an overload (`a.cumsum()`): the receiver, passed first.
  std::unordered_map<uint32_t, const ast::Expr *> receivers;
  /// A constant reached through a module (`np.pi`, `np.newaxis`, `mod.N`), by expression id.
  std::unordered_map<uint32_t, GlobalValue> globalConstants;
  /// The classes each `except` clause catches, by the id of its type expression.
  std::unordered_map<uint32_t, std::vector<uintptr_t>> handlerClasses;
  /// The class each `raise` raises, by the id of its exception expression.
  std::unordered_map<uint32_t, uintptr_t> raisedClasses;

  /// The prange loops of a parallel=True function: how each body uses the locals.
  std::unordered_map<const ast::ForStmt *, ParallelLoop> parallelLoops;

  const Type *typeOf(const ast::Expr *e) const { return exprTypes[e->id]; }
  int32_t localOf(const ast::Expr *e) const { return localSlots[e->id]; }
};

/// The frozen value a free name or a dotted chain through modules names, or null.
const GlobalValue *globalOf(const FunctionUnit &unit, const TypedFunction &typed,
                            const ast::Expr *expr);

/// Whether `stmt` is an `if` decided when compiling (`if axis is None:`) whose branch taken
/// ends in a return or raise: the statements after it in its block are not compiled.
bool leavesBlock(const ast::Stmt *stmt, const TypedFunction &typed);

/// The type of a default parameter value; Unknown when compiled code cannot hold it.
const Type *defaultType(const GlobalValue &value);

/// Whether `assign` unpacks a tuple display into tuple targets only (`a, b = b, a + b`),
/// which lowers element by element without building the tuple.
bool unpacksDisplay(const ast::AssignStmt *assign);

/// A specialization compiled earlier in the process, which a new one may call.
struct CompiledSignature {
  std::string symbol;
  const Type *returnType = nullptr;
};

/// The registry of compiled specializations, as sema sees it.
class ExistingSpecs {
public:
  virtual ~ExistingSpecs() = default;
  virtual std::optional<CompiledSignature> find(const FunctionUnit &unit,
                                                const std::vector<const Type *> &args) const = 0;
};

/// The result of typing a root specialization and everything new it calls.
struct Program {
  /// Specializations that need code: functions[0] is the root, the rest its new callees.
  std::vector<std::unique_ptr<TypedFunction>> functions;
  std::vector<ast::Diagnostic> diagnostics;

  bool ok() const { return diagnostics.empty(); }
};

/// Types `root` for `args` and, transitively, every specialization it calls that `existing`
/// does not have yet. Recursive return types are found by iterating to a fixed point.
Program typeProgram(const FunctionUnit &root, const std::vector<const Type *> &args,
                    const ExistingSpecs &existing);

/// The symbol of a specialization: unique in the process, readable in IR dumps.
std::string symbolName(const FunctionUnit &unit, const std::vector<const Type *> &args);

} // namespace nogil::sema
