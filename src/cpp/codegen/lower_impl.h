// Lowering state shared by lower.cpp, lower_expr.cpp, lower_stmt.cpp and trampoline.cpp.
// Private to codegen.
#pragma once

#include "codegen/lower.h"
#include "runtime/error_record.h"
#include "sema/ufuncs.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/MDBuilder.h>

#include <functional>
#include <map>
#include <set>
#include <unordered_set>

namespace nogil::codegen {

/// The symbols of `program`'s functions that can call themselves, directly or through
/// others of the program (specializations compiled earlier cannot call back into it).
std::unordered_set<std::string> recursiveSymbols(const sema::Program &program);

/// Bytes of one array element in memory (a bool takes a byte).
uint64_t elementSize(const sema::Type *dtype);

/// Whether a value of `type` is an array or a tuple holding one (lower_references.cpp).
bool holdsArrays(const sema::Type *type);

/// A ufunc call's keyword argument `name`, or null when not given.
inline const ast::Expr *ufuncKeywordArgument(const ast::CallExpr *call, std::string_view name) {
  for (size_t k = 0; k < call->keywordNames.size(); ++k)
    if (call->keywordNames[k] == name)
      return call->keywordValues[k];
  return nullptr;
}

/// The array a ufunc call (of `inputs` inputs) writes into: its `out`, positional or
/// keyword; null when it makes a new result.
inline const ast::Expr *ufuncOutArgument(const ast::CallExpr *call, unsigned inputs) {
  return call->args.size() > inputs ? call->args[inputs] : ufuncKeywordArgument(call, "out");
}

/// LLVM's fast-math flags for a FunctionUnit::fastMath bit set.
llvm::FastMathFlags fastMathFlags(uint32_t flags);

/// Tuples this long whose elements share one type are LLVM arrays, not structs (see
/// ModuleLowering::typeOf).
inline constexpr size_t kArrayTupleLength = 16;

/// Module-wide pieces: runtime declarations, constants, helpers, function declarations.
class ModuleLowering {
public:
  /// `classSymbols`: see lowerProgram.
  ModuleLowering(llvm::Module &module,
                 const std::unordered_map<uintptr_t, std::string> *classSymbols = nullptr);

  llvm::Module &module;
  llvm::LLVMContext &context;

  llvm::Type *typeOf(const sema::Type *type);
  /// The internal ABI: i32 (ptr result, args...).
  llvm::FunctionType *functionType(const std::vector<const sema::Type *> &params);
  llvm::Function *function(const std::string &symbol,
                           const std::vector<const sema::Type *> &params);

  /// A NogilSite constant for a span of `unit`'s source.
  llvm::Constant *site(const sema::FunctionUnit &unit, ast::Span span);
  llvm::Constant *string(const std::string &text);
  /// A pointer to the exception class at `address` (see lowerProgram's classSymbols).
  llvm::Constant *exceptionClass(uintptr_t address);

  /// A runtime function on the exceptional path: cold, and it does not unwind.
  llvm::FunctionCallee coldFunction(const char *name, llvm::FunctionType *type);
  llvm::FunctionCallee raiseFunction();
  llvm::FunctionCallee addFrameFunction();
  /// i64 ipow(i64 base, i64 exponent) for exponent >= 0, wrapping like every int64 op.
  llvm::Function *intPowFunction();
  /// The ipow helper if something asked for it, else null.
  const llvm::Function *intPowFunctionIfAny() const { return intPow_; }

  /// The symbols of the program's specializations that lie on a cycle of calls (recursion,
  /// direct or mutual): they check the stack at entry.
  std::unordered_set<std::string> recursive;
  /// The elements of each frozen global array, one constant per global value and module.
  std::map<const sema::GlobalValue *, llvm::GlobalVariable *> frozenArrays;

private:
  std::map<std::string, llvm::Constant *> strings_;
  std::map<std::pair<const sema::FunctionUnit *, uint32_t>, llvm::Constant *> sites_;
  llvm::StructType *siteType_;
  llvm::Function *intPow_ = nullptr;
  const std::unordered_map<uintptr_t, std::string> *classSymbols_;
};

/// Lowers one typed function into its llvm::Function.
class FunctionLowering {
public:
  /// Lowers into `function` when given (an outlined prange body), else the typed function's.
  FunctionLowering(ModuleLowering &module, const sema::TypedFunction &typed,
                   llvm::Function *function = nullptr);
  void lower();

private:
  /// A frozen global's value (GlobalValue::Constant) from its slots, advancing them.
  llvm::Value *constantValue(const sema::Type *type, const uint64_t *&slots);
  /// A frozen global array: its elements as a constant of the module, read-only.
  llvm::Value *constantArray(const sema::GlobalValue &value);

private:
  // lower_stmt.cpp
  void lowerBlock(const ast::StmtList &stmts);
  void lowerStmt(const ast::Stmt *stmt);
  void lowerAssign(const ast::AssignStmt *assign);
  void lowerAugAssign(const ast::AugAssignStmt *assign);
  void lowerIf(const ast::IfStmt *branch);
  void lowerWhile(const ast::WhileStmt *loop);
  void lowerFor(const ast::ForStmt *loop);
  /// What a for loop walks: `count` elements of type `element`, the k-th computed by `at`.
  struct Sequence {
    llvm::Value *count;
    const sema::Type *element;
    std::function<llvm::Value *(llvm::Value *)> at;
    std::vector<llvm::AllocaInst *> held; ///< arrays walked: kept alive until the loop ends
  };
  /// range(...), an array's first axis or a homogeneous tuple.
  Sequence lowerSequence(const ast::Expr *iterable);
  /// The elements of a homogeneous tuple, spilled to an array the loop indexes.
  Sequence tupleSequence(const ast::Expr *iterable, const sema::Type *type);
  /// range(start, stop, step)'s arguments, checked as range() checks them, and its length.
  struct RangeBounds {
    llvm::Value *start;
    llvm::Value *step;
    llvm::Value *count;
  };
  RangeBounds rangeBounds(const ast::CallExpr *call);
  // lower_range_checks.cpp
  /// The index checks of an innermost range loop's body that can be decided before it
  /// starts: adds each (subscript id, axis) to `proven` and returns whether they all hold
  /// (i1); null when there are none.
  llvm::Value *provableRangeChecks(const ast::ForStmt *loop, const RangeBounds &range,
                                   std::set<std::pair<uint32_t, unsigned>> &proven);

  // lower_parallel.cpp
  /// A prange loop: its body outlined, run by the runtime's parallel-for.
  void lowerParallelFor(const ast::ForStmt *loop, const sema::ParallelLoop &parallel);
  /// Fills this (outlined) function with iterations [begin, end) of `loop`.
  void lowerParallelBody(const ast::ForStmt *loop, const sema::ParallelLoop &parallel,
                         llvm::StructType *closureType, llvm::StructType *partialType);
  /// Whether `call` calls the builtin `builtin` through a global name (enumerate, zip).
  bool isGlobalCall(const ast::CallExpr *call, sema::Builtin builtin) const;
  /// A for loop of `count` iterations, k = 0, 1, ...: `bindTarget(k)` assigns the target.
  /// `range`: the bounds of a `for i in range(...)`, whose index checks may be proven first.
  void lowerCountedLoop(const ast::ForStmt *loop, llvm::Value *count,
                        const std::function<void(llvm::Value *)> &bindTarget,
                        const RangeBounds *range = nullptr);
  /// An innermost loop: unchunked when short, else chunked (see lower_polls.cpp).
  void emitInnermostLoop(const ast::ForStmt *loop, llvm::Value *count,
                         const std::function<void(llvm::Value *)> &bindTarget,
                         llvm::BasicBlock *orElse, llvm::BasicBlock *done);
  /// Gives back the arrays the loops over `sequences` held.
  void dropHeld(const std::vector<Sequence> &sequences);
  void lowerReturn(const ast::ReturnStmt *ret);
  void lowerRaise(const ast::RaiseStmt *raise);
  void lowerTry(const ast::TryStmt *attempt);
  void lowerTryExcept(const ast::TryStmt *attempt);
  /// Leaves by an exception: to the innermost try's handler, or out of the function.
  void unwind();
  /// Runs the pending finally bodies above `depth`, innermost first, for a jump out of them.
  void runFinallies(size_t depth);
  /// Raises `kind` (with `exceptionClass` for NOGIL_ERROR_CLASS) and the message: null, a
  /// string literal or an f-string. Leaves the builder in a fresh unreachable block.
  void raiseWithMessage(NogilErrorKind kind, llvm::Value *exceptionClass, const ast::Expr *message,
                        ast::Span at);
  /// Appends text to the thread's text buffer: a string literal, an f-string, or a number
  /// as str() spells it (as format() does inside an f-string). `begin` empties the buffer
  /// first.
  void appendText(const ast::Expr *text, bool begin, bool inFormattedString = false);
  void storeLocal(const ast::Expr *target, llvm::Value *value, const sema::Type *type);

  // lower_expr.cpp
  llvm::Value *lowerExpr(const ast::Expr *expr);
  llvm::Value *lowerAs(const ast::Expr *expr, const sema::Type *type);
  llvm::Value *lowerCondition(const ast::Expr *expr);
  llvm::Value *lowerName(const ast::NameExpr *name);
  llvm::Value *lowerBinary(const ast::BinaryExpr *binary);
  llvm::Value *lowerUnary(const ast::UnaryExpr *unary);
  llvm::Value *lowerBoolOp(const ast::BoolOpExpr *boolOp);
  llvm::Value *lowerCompare(const ast::CompareExpr *compare);
  llvm::Value *lowerCall(const ast::CallExpr *call);
  llvm::Value *lowerIfElse(const ast::IfElseExpr *ifElse);
  llvm::Value *lowerSubscript(const ast::SubscriptExpr *subscript);
  /// Calls the compiled `target` with `args` (the result slot and the context first), and
  /// passes a failure up with this call in the traceback; its result, or null.
  llvm::Value *emitCompiledCall(const sema::CallTarget &target,
                                const std::vector<llvm::Value *> &args, llvm::AllocaInst *result,
                                ast::Span at);
  // lower_fancy_index.cpp
  /// `a[mask]`, `a[:, idx]` (`stored` null), `a[idx] = stored`: the library's __getitem__
  /// or __setitem__ the typer chose.
  llvm::Value *lowerIndexCall(const ast::Expr *subscript, llvm::Value *stored,
                              const sema::Type *storedType);
  llvm::Value *lowerArrayContains(const ast::CompareExpr *compare);

  // lower_arrays.cpp
  struct ArrayParts {
    llvm::Value *data;
    llvm::Value *base; ///< what keeps the memory alive; views carry it along
    std::vector<llvm::Value *> shape;
    std::vector<llvm::Value *> strides; ///< in bytes; computed from the shape when contiguous
  };
  ArrayParts arrayParts(llvm::Value *array, const sema::Type *type);
  /// `index`, negative ones counted from the end, checked against `size` (IndexError with
  /// NumPy's message) unless bounds checks are off.
  llvm::Value *checkedIndex(llvm::Value *index, llvm::Value *size, unsigned axis, ast::Span at);
  struct ElementAccess {
    const sema::Type *array;
    llvm::Value *address; ///< of the element, or of the view's first element
    llvm::Value *view;    ///< the view, when fewer indices than dimensions were given
    bool packed = false;  ///< a record's field: its address may not be aligned
  };
  ElementAccess arrayAccess(const ast::SubscriptExpr *subscript);
  // lower_records.cpp
  /// A record's field (`r['f']`, `r.f`: `array` is a 0-d array type of the field's type, or
  /// the view of a sub-array field) or the view of a field of an array of records (`a['f']`).
  ElementAccess fieldAccess(const ast::Expr *expr);
  /// Copies a record of `record`'s type from `from` into `to` (they may be the same).
  void copyRecord(llvm::Value *to, llvm::Value *from, const sema::Type *record);
  struct SliceBounds {
    llvm::Value *start;
    llvm::Value *length;
    llvm::Value *step;
  };
  /// A slice's first index, element count and step along a dimension of `size`.
  SliceBounds sliceBounds(const ast::SliceExpr *slice, llvm::Value *size);
  /// A slice's bound or step as int64, a uint64 beyond int64 clamped to int64's largest.
  llvm::Value *sliceIndex(const ast::Expr *bound);
  llvm::Value *loadElement(const ElementAccess &access);
  /// Stores `value` of `type` converted to the element type, as NumPy's setitem does: a
  /// float an integer element cannot hold raises; an integer wraps (see docs/design.md).
  void storeElement(const ElementAccess &access, llvm::Value *value, const sema::Type *type,
                    ast::Span at);
  llvm::Value *lowerArrayAttribute(const ast::AttributeExpr *attribute);
  /// An array value of `type` over `data`, kept alive by `base`.
  llvm::Value *makeView(const sema::Type *type, llvm::Value *data, llvm::Value *base,
                        const std::vector<llvm::Value *> &shape,
                        const std::vector<llvm::Value *> &strides);
  /// A call's arrays and arguments in order: `a.sum()` gives (a), `np.sum(a)` too.
  std::vector<const ast::Expr *> arrayCallOperands(const ast::CallExpr *call) const;
  /// A new contiguous array of `type` and this shape, from the runtime's allocator: in C
  /// or F order as its type's layout says, else with `strides` (for a layout known at run
  /// time).
  llvm::Value *newArray(const sema::Type *type, const std::vector<llvm::Value *> &shape,
                        ast::Span at, const std::vector<llvm::Value *> *strides = nullptr);
  /// The strides of a new array like `sourceType`'s `source` in NumPy's order 'A' or 'K'.
  std::vector<llvm::Value *> likeStrides(const ArrayParts &source, const sema::Type *sourceDtype,
                                         const sema::Type *dtype, char order);
  /// Copies `source` into the new contiguous array `destination` of the same shape.
  void copyInto(const ArrayParts &destination, const ArrayParts &source, const sema::Type *dtype,
                bool cOrder);
  /// Stores `valueAt(i)` into element i of a new (C-contiguous) array, for every i.
  void fillArray(llvm::Value *array, const sema::Type *type,
                 const std::function<llvm::Value *(llvm::Value *)> &valueAt);
  llvm::Value *lowerArrayAllocation(const ast::CallExpr *call, sema::Builtin builtin);
  llvm::Value *lowerArange(const ast::CallExpr *call,
                           const std::vector<const ast::Expr *> &operands,
                           const sema::Type *result);
  /// np.arange's element count for bounds and step in int64 (`integral`) or float64, with
  /// NumPy's errors (a zero step, NaN, a count beyond int64).
  llvm::Value *arangeLength(llvm::Value *start, llvm::Value *stop, llvm::Value *step, bool integral,
                            ast::Span at);
  // lower_views.cpp
  /// Whether the memory is C-contiguous (`fortran`: Fortran-contiguous) by NumPy's rule.
  llvm::Value *contiguous(const ArrayParts &parts, const sema::Type *type, bool fortran);
  /// An alloca of int64s holding `values` (shapes and strides for the runtime).
  llvm::Value *spillExtents(const std::vector<llvm::Value *> &values, const char *name);
  /// A new C-contiguous array of type `result` and `shape`, holding `from`'s elements in C
  /// order.
  llvm::Value *copyInCOrder(const ArrayParts &from, const sema::Type *sourceType,
                            const sema::Type *result, const std::vector<llvm::Value *> &shape,
                            ast::Span at);
  /// The strides of a C-contiguous array of this shape.
  std::vector<llvm::Value *> cStrides(const std::vector<llvm::Value *> &shape,
                                      const sema::Type *dtype);
  /// Calls `body` with the address of each element, in C order.
  void forEachElement(const ArrayParts &parts, const std::function<void(llvm::Value *)> &body);
  llvm::Value *lowerArrayMethod(const ast::CallExpr *call, const sema::ArrayMethodCall &info);
  llvm::Value *lowerReshape(const ast::CallExpr *call, const sema::ArrayMethodCall &info,
                            const sema::Type *sourceType, const sema::Type *result,
                            const ArrayParts &parts, llvm::Value *size, bool reversed = false);
  /// Nested loops over `shape` walking two arrays' elements together (`body(from, to)`),
  /// in the order of `to`'s memory when its strides are C's or F's.
  void forEachElementPair(const ArrayParts &from, const ArrayParts &to, bool fortran,
                          const std::function<void(llvm::Value *, llvm::Value *)> &body);
  llvm::Value *lowerItem(const ast::CallExpr *call, const sema::ArrayMethodCall &info,
                         const ArrayParts &parts, llvm::Value *size);
  /// `x.view(np.uint64)` of a scalar: its bits as `target`.
  llvm::Value *lowerScalarView(const ast::CallExpr *call, const sema::Type *target);
  /// z ** w of two complex numbers of one type, as CPython computes it (lower_math.cpp).
  llvm::Value *complexPower(llvm::Value *z, llvm::Value *w, ast::Span at);
  /// `z.conjugate()`, `n.bit_length()`, `x.is_integer()` (lower_math.cpp).
  llvm::Value *lowerScalarMethod(const ast::CallExpr *call, sema::ScalarMethod method);
  llvm::Value *lowerDtypeView(const ast::CallExpr *call, const ArrayParts &parts,
                              llvm::Value *size);
  /// a.itemsize, a.nbytes, a.strides, .real/.imag of a real array; null for other names.
  llvm::Value *lowerMemoryAttribute(const ast::AttributeExpr *attribute, llvm::Value *array);
  /// a.flags.c_contiguous and its siblings.
  llvm::Value *lowerFlag(const ast::AttributeExpr *attribute);

  // lower_elementwise.cpp
  struct Leaf {
    const ast::Expr *expr;
    const sema::Type *type;
    llvm::Value *value;
    ArrayParts parts; ///< when the leaf is an array
  };
  /// One input of an elementwise loop: an expression (fused when it is elementwise itself)
  /// or a value already lowered (`value` set).
  struct Operand {
    const ast::Expr *expr;
    llvm::Value *value = nullptr;
    const sema::Type *type = nullptr;
  };
  /// An element of the loop from its operands' elements (each with its element type).
  using ElementCompute = std::function<llvm::Value *(const std::vector<llvm::Value *> &,
                                                     const std::vector<const sema::Type *> &)>;
  /// Whether `expr` is a node of a whole-array expression (computed element by element).
  bool isElementwise(const ast::Expr *expr) const;
  void collectLeaves(const ast::Expr *expr, std::vector<Leaf> &leaves);
  llvm::Value *evaluateElement(const ast::Expr *expr, std::vector<Leaf> &leaves, size_t &next,
                               const std::vector<llvm::Value *> &elements);
  const sema::Type *elementTypeOf(const ast::Expr *expr) const;
  llvm::Value *lowerElementwise(const ast::Expr *root);
  /// The leaves of `operands` (ranges of `leaves`, one per operand, in `firstLeaf`).
  void gatherLeaves(const std::vector<Operand> &operands, std::vector<Leaf> &leaves,
                    std::vector<size_t> &firstLeaf);
  /// The broadcast shape of the array leaves (`ndim` dimensions, aligned from the right);
  /// raises NumPy's ValueError when they do not broadcast together.
  /// `outputShape`: a ufunc's `out`, which NumPy names in the message.
  std::vector<llvm::Value *>
  broadcastShape(const std::vector<Leaf> &leaves, unsigned ndim, ast::Span at,
                 const std::vector<llvm::Value *> *outputShape = nullptr);
  /// Raises NumPy's "operands could not be broadcast together with shapes ...".
  void raiseOperandsError(const std::vector<Leaf> &leaves,
                          const std::vector<llvm::Value *> *outputShape, ast::Span at);
  /// Appends "(3, 4)" (NumPy's spelling of a shape) to the thread's text buffer.
  void appendShapeText(const std::vector<llvm::Value *> &shape);
  /// Stores, into every element of `dest` (an array of `destType`), `compute` of the
  /// operands' elements broadcast to it, converted to dest's dtype. An operand that may
  /// overlap dest in memory (and is not dest itself, element for element) is copied first,
  /// so the result is NumPy's. `shapeOf` is the shape the operands broadcast to (their
  /// `ndim` dimensions), checked to fit dest: `outputOperand` says how NumPy words the error.
  void evaluateInto(llvm::Value *dest, const sema::Type *destType,
                    const std::vector<Operand> &operands, const ElementCompute &compute,
                    bool outputOperand, ast::Span at);
  /// The loop nest itself, over `shape` (dest's), leaves' strides given per dimension.
  void
  emitElementLoop(const std::vector<llvm::Value *> &shape, const std::vector<Leaf> &leaves,
                  const std::vector<std::vector<llvm::Value *>> &strides, const ArrayParts &dest,
                  const sema::Type *destType,
                  const std::function<llvm::Value *(const std::vector<llvm::Value *> &)> &body);
  /// Each leaf's strides along `ndim` destination dimensions, aligned from the right: 0
  /// where it stretches, and along dimensions it does not have.
  std::vector<std::vector<llvm::Value *>> broadcastStrides(const std::vector<Leaf> &leaves,
                                                           unsigned ndim);
  /// Whether the bytes two arrays' elements span intersect (i1).
  llvm::Value *mayOverlap(const ArrayParts &a, const sema::Type *aType, const ArrayParts &b,
                          const sema::Type *bType);
  /// An element stored by NumPy's unsafe casting (`a[:] = b` with b of another dtype).
  llvm::Value *castForStore(llvm::Value *value, const sema::Type *from, const sema::Type *to);
  /// Raises `kind` with the thread's text buffer as its message.
  void raiseBufferText(NogilErrorKind kind, ast::Span at);
  /// `a[1:] = x` (value lowered already, or `valueExpr` fused), `a[0] = row`.
  void storeIntoPart(const ast::SubscriptExpr *target, const ast::Expr *valueExpr,
                     llvm::Value *value, const sema::Type *valueType);
  /// `a += b`, `a[1:] *= 2`: the array updated in place, as NumPy's ufunc with out=a.
  void lowerArrayUpdate(const ast::AugAssignStmt *assign);
  /// np.add(a, b, out=c) and friends: evaluated into `out`, which is the call's value.
  llvm::Value *lowerUfuncInto(const ast::CallExpr *call, sema::Builtin builtin);

  // lower_ufuncs.cpp
  /// One element of `ufunc`'s `loop` from inputs of the given (element) types.
  llvm::Value *ufuncElement(const sema::UfuncInfo &ufunc, const sema::UfuncLoop &loop,
                            std::vector<llvm::Value *> args,
                            const std::vector<const sema::Type *> &argTypes, ast::Span at);
  /// The LLVM intrinsic ("llvm.sqrt") or libm function (float32's with its `f` suffix).
  llvm::Value *mathFunction(const char *name, std::vector<llvm::Value *> args);
  /// A complex ufunc of the Math kernel (`name` as in ufuncs.def) through libm's C99 complex
  /// functions; `w` the exponent of pow.
  llvm::Value *complexMath(std::string_view name, llvm::Value *z, llvm::Value *w);
  /// |z| computed as NumPy's absolute loop does.
  llvm::Value *complexMagnitude(llvm::Value *z);
  llvm::Value *makeComplex(llvm::Value *re, llvm::Value *im);
  /// The greatest common divisor of two unsigned values (Euclid's loop).
  llvm::Value *euclid(llvm::Value *x, llvm::Value *y);
  /// A ufunc on scalars.
  llvm::Value *lowerUfuncScalar(const ast::CallExpr *call, sema::Builtin builtin);

  /// np.sum(a), a.max(), np.dot(a, b), ... through the runtime's reductions.
  llvm::Value *lowerArrayReduction(const ast::CallExpr *call, sema::Builtin builtin);
  /// lower_matmul.cpp: a @ b (as np.matmul), np.dot, a.dot(b), np.vdot, np.inner, np.outer;
  /// `out` is the call's `out=` array, or null.
  llvm::Value *lowerMatrixProduct(sema::Builtin builtin, const ast::Expr *lhs, const ast::Expr *rhs,
                                  const ast::Expr *out, const sema::Type *result, ast::Span at);
  /// An Int, Float or Bool module constant or default value.
  llvm::Value *globalConstant(const sema::GlobalValue &value);

  // lower_builtins.cpp
  llvm::Value *lowerBuiltinCall(const ast::CallExpr *call, sema::Builtin builtin);
  /// A function defined outside the module (libm, the runtime), declared once, pure.
  llvm::FunctionCallee externalFunction(const char *name, llvm::Type *result,
                                        std::vector<llvm::Type *> params);
  /// `libm(x)` with math_1's checks: NaN from non-NaN is a domain error; infinity from a
  /// finite x a range error when `canOverflow`, else a domain error.
  llvm::Value *checkedMath1(const char *libm, bool canOverflow, llvm::Value *x, ast::Span at);
  // lower_math.cpp
  /// The math functions issue 15 added (erf, gamma, ldexp, comb, ...) and pow(b, e, mod);
  /// null when `builtin` is none of them.
  llvm::Value *lowerMathBuiltin(const ast::CallExpr *call, sema::Builtin builtin);
  /// The cmath functions (phase, polar, isnan, isinf, isfinite, isclose, sqrt).
  llvm::Value *lowerCmath(const ast::CallExpr *call, sema::Builtin builtin);
  /// math.gamma or math.lgamma of x: libm's, with CPython's errors.
  llvm::Value *lowerGamma(sema::Builtin builtin, llvm::Value *x, ast::Span at);
  /// math.comb, math.perm (`k` null: perm(n)), math.factorial, math.isqrt of int64s.
  llvm::Value *lowerIntegerMath(sema::Builtin builtin, llvm::Value *n, llvm::Value *k,
                                ast::Span at);
  // lower_conversions.cpp
  /// `value` of the number type `from` as the integer type `to`, checked as NumPy converts a
  /// Python int or float (an element store, np.full's value, np.int8(x)): ValueError for
  /// NaN, OverflowError for an infinity or a value `to` cannot hold; floats truncate.
  llvm::Value *checkedToInteger(llvm::Value *value, const sema::Type *from, const sema::Type *to,
                                ast::Span at);
  /// Raises NumPy's "Python integer V out of bounds for T" when `failed` holds.
  /// `value` is an i64; `valueIsUnsigned` an i1 saying how to print it.
  void raiseOutOfBounds(llvm::Value *failed, llvm::Value *value, llvm::Value *valueIsUnsigned,
                        const sema::Type *to, ast::Span at);
  /// A float already rounded to an integral value, as int64; NaN, infinities and values
  /// beyond int64 raise as CPython's int() does (or, beyond int64, as int64 cannot hold it).
  llvm::Value *floatToInt(llvm::Value *x, ast::Span at);
  /// A runtime text function (runtime/text.h): void, and it writes the thread's buffer.
  llvm::FunctionCallee textFunction(const char *name, std::vector<llvm::Type *> params);
  llvm::Value *isNan(llvm::Value *x);
  llvm::Value *isInf(llvm::Value *x);
  llvm::Value *isFinite(llvm::Value *x);
  llvm::Value *compareValues(ast::CompareOp op, llvm::Value *lhs, const sema::Type *lhsType,
                             llvm::Value *rhs, const sema::Type *rhsType);
  // lower_tuples.cpp
  /// Two tuples compared as CPython compares them: lexicographically.
  llvm::Value *compareTuples(ast::CompareOp op, llvm::Value *lhs, const sema::Type *lhsType,
                             llvm::Value *rhs, const sema::Type *rhsType);
  /// `value in tuple`: equal to some element.
  llvm::Value *tupleContains(llvm::Value *value, const sema::Type *valueType, llvm::Value *tuple,
                             const sema::Type *tupleType);
  /// `t + u`, `t * n` or `n * t` (n a constant): the tuple of type `result`.
  llvm::Value *tupleBinary(llvm::Value *lhs, const sema::Type *lhsType, llvm::Value *rhs,
                           const sema::Type *rhsType, const sema::Type *result);
  /// `t.index(x)` (raising ValueError when absent) or `t.count(x)`.
  llvm::Value *lowerTupleSearch(const ast::CallExpr *call, bool index);
  /// `t[1:3]`: the elements at `positions`.
  llvm::Value *lowerTupleSlice(const ast::SubscriptExpr *subscript,
                               const std::vector<uint32_t> &positions);

public:
  /// `lhs op rhs`, operands of the given types, result of `result` type; raises at `at`.
  llvm::Value *binaryValues(ast::BinaryOp op, llvm::Value *lhs, const sema::Type *lhsType,
                            llvm::Value *rhs, const sema::Type *rhsType, const sema::Type *result,
                            ast::Span at);

private:
  llvm::Value *complexBinary(ast::BinaryOp op, llvm::Value *lhs, llvm::Value *rhs, ast::Span at);
  llvm::Value *intBinary(ast::BinaryOp op, llvm::Value *lhs, llvm::Value *rhs, bool isSigned,
                         ast::Span at);
  llvm::Value *floatBinary(ast::BinaryOp op, llvm::Value *lhs, llvm::Value *rhs, ast::Span at);

  // lower_datetime.cpp
  /// Whether a datetime64 or timedelta64 value is NaT.
  llvm::Value *isNat(llvm::Value *value);
  /// A datetime64 or timedelta64 (or an integer, as a count of `to`'s unit) in `to`'s unit,
  /// which the typer chose finer; NaT stays NaT.
  llvm::Value *convertTime(llvm::Value *value, const sema::Type *from, const sema::Type *to);
  /// A double as a timedelta64 count: NaT when `nat` holds or the value has no int64.
  llvm::Value *floatToTimedelta(llvm::Value *x, llvm::Value *nat);
  /// `lhs op rhs` when an operand is a datetime64 or timedelta64 (sema::timeBinaryResult).
  llvm::Value *timeBinary(ast::BinaryOp op, llvm::Value *lhs, const sema::Type *lhsType,
                          llvm::Value *rhs, const sema::Type *rhsType, const sema::Type *result);
  /// A comparison where an operand is a datetime64 or timedelta64.
  llvm::Value *timeCompare(ast::CompareOp op, llvm::Value *lhs, const sema::Type *lhsType,
                           llvm::Value *rhs, const sema::Type *rhsType);

  // lower_polls.cpp
  /// Spends `work` of the call's budget; when it runs out, takes the runtime's slow path and
  /// unwinds if that recorded an exception (KeyboardInterrupt).
  void poll(llvm::Value *work);
  void pollAtEntry();
  /// At the entry of a function that can recurse: RecursionError when the thread's stack is
  /// nearly exhausted (NogilCallContext::stackLimit), instead of a crash.
  void checkStackAtEntry();
  /// The two shapes of a counted loop (see lower_polls.cpp); both leave to `orElse` when the
  /// count is reached and to `done` on break.
  void emitPlainLoop(const ast::ForStmt *loop, llvm::Value *count,
                     const std::function<void(llvm::Value *)> &bindTarget, llvm::BasicBlock *orElse,
                     llvm::BasicBlock *done);
  /// k (in `index`) from where it is up to `end` (at most `count`), binding the target and
  /// running the body; leaves to `exit` at `end` and to `done` on break.
  void emitIndexLoop(const ast::ForStmt *loop, llvm::AllocaInst *index, llvm::Value *end,
                     llvm::Value *count, const std::function<void(llvm::Value *)> &bindTarget,
                     llvm::BasicBlock *exit, llvm::BasicBlock *done);
  void emitChunkedLoop(const ast::ForStmt *loop, llvm::Value *count,
                       const std::function<void(llvm::Value *)> &bindTarget,
                       llvm::BasicBlock *orElse, llvm::BasicBlock *done);

  // lower_references.cpp
  /// Decides whether the function handles arrays at all; if so, takes its queue mark.
  void startReferences();
  /// Retains or releases every array in `value` (an array or a tuple holding some).
  void changeReferences(llvm::Value *value, const sema::Type *type, bool retain);
  /// Retains or releases one array's base, when it is the runtime's (tagged).
  void changeBase(llvm::Value *base, bool retain);
  /// Notes that an allocation may have become unreferenced since the last sweep.
  void markGarbage();
  /// Frees what this frame left unreferenced, if anything may be; after each statement.
  void sweepGarbage();
  /// Stores into local `slot`, moving the reference from its old array to the new one.
  void replaceLocal(int32_t slot, llvm::Value *value);
  /// Keeps an array alive across statements (a for loop's iterable) in a hidden local.
  llvm::AllocaInst *holdArray(llvm::Value *base);
  void dropHeldArray(llvm::AllocaInst *slot);
  /// The block that leaves the function with `status` (0 returned, 1 raised), releasing what
  /// the frame holds; filled by finishExits once the body is lowered.
  llvm::BasicBlock *exitBlock(int32_t status);
  void finishExits();
  /// Removes the sweeps and the queue mark of a frame that cannot queue an array of its own
  /// (see lower_references.cpp).
  void dropSweepsThatFreeNothing();

  // lower.cpp
  llvm::Value *convert(llvm::Value *value, const sema::Type *from, const sema::Type *to);

  // lower_builtins.cpp
  /// CPython's hash() of `value`, of a number, complex or tuple type.
  llvm::Value *hashOf(llvm::Value *value, const sema::Type *type);

  // lower_optional.cpp
  /// None, a value or an optional to an optional (`v = None`, `v = 3`), or an optional to
  /// its value (already checked by unwrapOptional).
  llvm::Value *convertOptional(llvm::Value *value, const sema::Type *from, const sema::Type *to);
  /// The value of `optional` (of type `type`), raising TypeError at `at` when it is None.
  llvm::Value *unwrapOptional(llvm::Value *optional, const sema::Type *type, ast::Span at);
  /// `v is None` and its siblings on an optional v (sema/typer_optional.cpp); null when
  /// `compare` is not one.
  llvm::Value *lowerNoneTest(const ast::CompareExpr *compare);
  /// The expression lowerExpr lowers as its optional self before unwrapping it.
  const ast::Expr *optionalLowered_ = nullptr;
  llvm::Value *truth(llvm::Value *value, const sema::Type *type);
  llvm::AllocaInst *entryAlloca(llvm::Type *type, const char *name);
  /// Branches to a block that raises `kind` with `message` when `failed` holds.
  void raiseIf(llvm::Value *failed, NogilErrorKind kind, const char *message, ast::Span at);
  /// Leaves by an exception already recorded when `failed` holds, adding `callSite` (a
  /// NogilSite, or null) to the traceback on the way.
  void unwindIf(llvm::Value *failed, llvm::Value *callSite);
  /// Raises UnboundLocalError, as CPython does, when local `slot` is read before it is assigned.
  void checkBound(int32_t slot, ast::Span at);
  /// Stores into local `slot` and marks it assigned.
  void storeSlot(int32_t slot, llvm::Value *value);
  llvm::Value *loadLocal(int32_t slot, const char *name = "");
  llvm::BasicBlock *newBlock(const char *name);
  /// Starts a fresh block after a terminator, so code after return/break still has a home.
  void continueInDeadBlock();

  /// Whether division by zero and float overflow give NumPy's inf, nan and 0 rather than
  /// raising: with error_model="numpy", and always inside whole-array expressions.
  bool numpyErrors() const { return unit_.numpyErrorModel || inElementwise_; }
  bool inElementwise_ = false;

  ModuleLowering &module_;
  const sema::TypedFunction &typed_;
  const sema::FunctionUnit &unit_;
  llvm::Function *function_;
  llvm::IRBuilder<> builder_;
  llvm::Value *resultSlot_ = nullptr;
  llvm::Value *context_ = nullptr; ///< the call's NogilCallContext, passed to every callee
  /// Each local's storage; in an outlined prange body, null for locals it never touches.
  std::vector<llvm::Value *> locals_;
  /// Whether this frame owns the local's array references (releasing them when it exits):
  /// all of them, except in a prange body, which owns only its private locals.
  std::vector<bool> ownsLocal_;
  bool managesArrays_ = false;          ///< whether any value of the function holds an array
  llvm::AllocaInst *garbage_ = nullptr; ///< true when a sweep may free something
  llvm::Value *queueMark_ = nullptr;    ///< this frame's start in the unreferenced queue
  std::vector<llvm::AllocaInst *> heldBases_;
  llvm::BasicBlock *returnBlock_ = nullptr;
  llvm::BasicBlock *raiseBlock_ = nullptr;
  /// Per local that is not a parameter: whether it holds a value yet. Where every path
  /// assigns before reading, mem2reg and constant folding remove the flag and its checks.
  std::vector<llvm::Value *> bound_;
  struct LoopTargets {
    llvm::BasicBlock *continueTarget;
    llvm::BasicBlock *breakTarget;
    size_t finallyDepth; ///< finallies_.size() at the loop: break and continue run those above
  };
  std::vector<LoopTargets> loops_;
  /// (subscript id, axis) of the indices known to be within bounds in the code being
  /// lowered (the unchecked twin of a loop, lower_range_checks.cpp): wrapped, not checked.
  std::set<std::pair<uint32_t, unsigned>> provenIndices_;
  /// Where an exception raised here goes: the innermost `try`'s except dispatch or finally
  /// landing; empty: out of the function (return status 1).
  std::vector<llvm::BasicBlock *> unwindTargets_;
  /// The `finally` bodies around the code being lowered, innermost last, which a return,
  /// break or continue runs on its way out.
  struct PendingFinally {
    const ast::StmtList *body;
    size_t unwindDepth; ///< unwindTargets_.size() outside the try
  };
  std::vector<PendingFinally> finallies_;
};

/// Defines `<symbol>.entry` for a lowered function (trampoline.cpp).
void lowerEntry(ModuleLowering &module, const sema::TypedFunction &typed);

/// Whether statements contain a loop (a loop whose body does is not innermost).
bool containsLoop(const ast::StmtList &stmts);

} // namespace nogil::codegen
