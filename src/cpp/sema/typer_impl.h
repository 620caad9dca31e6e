// The function typer's state, shared by typer.cpp (driver, locals), typer_expr.cpp and
// typer_stmt.cpp. Private to sema.
#pragma once

#include "sema/overloads.h"
#include "sema/typer.h"

#include <unordered_map>

namespace nogil::sema {

class FunctionTyper {
public:
  FunctionTyper(const FunctionUnit &unit, const std::vector<const Type *> &args,
                CalleeResolver &resolver, std::vector<ast::Diagnostic> *diagnostics);
  std::unique_ptr<TypedFunction> run();

private:
  // typer.cpp
  void collectLocals(const ast::StmtList &stmts);
  void declareTarget(const ast::Expr *target);
  int32_t localIndex(const std::string &name) const;
  void report(ast::DiagKind kind, ast::Span span, std::initializer_list<std::string_view> args);
  /// The source text of a span, as the user wrote it, to name the construct in a message:
  /// its first line, shortened when long.
  std::string sourceText(ast::Span span) const;

  // typer_stmt.cpp
  void typeBlock(const ast::StmtList &stmts);
  void typeStmt(const ast::Stmt *stmt);
  void typeAssign(const ast::AssignStmt *assign);
  void typeAugAssign(const ast::AugAssignStmt *assign);
  void typeFor(const ast::ForStmt *loop);
  /// A for loop's sequence: range(...) (int64) or an array (its first axis's elements).
  const Type *typeSequence(const ast::Expr *iterable);
  /// Whether `expr` calls the global of this kind (and builtin, when given).
  bool callsGlobal(const ast::Expr *expr, GlobalValue::Kind kind,
                   std::optional<Builtin> builtin = std::nullopt) const;
  void typeReturn(const ast::ReturnStmt *ret);
  void typeRaise(const ast::RaiseStmt *raise);
  void typeTry(const ast::TryStmt *attempt);
  void assignLocal(const ast::Expr *target, const Type *type);
  // typer_tuples.cpp
  /// `t + u`, `t * 2`, `2 * t`: the tuple they build, or Unknown after a report.
  const Type *typeTupleBinary(ast::BinaryOp op, const Type *lhs, const Type *rhs,
                              const ast::Expr *lhsExpr, const ast::Expr *rhsExpr, ast::Span span);
  /// `t.index(x)`, `t.count(x)`: an int64.
  const Type *typeTupleSearch(const ast::CallExpr *call, const ast::AttributeExpr *method,
                              const Type *tuple);
  /// `t[1:3]`, `t[::-1]`: constant bounds pick the elements.
  const Type *typeTupleSlice(const ast::SubscriptExpr *subscript, const Type *tuple);
  /// `(c, d), e = value`: each target takes its element of the tuple `type`, recursively.
  void unpackInto(const ast::TupleExpr *targets, const Type *type);
  void noteReturn(const Type *type, ast::Span span);

  // typer_expr.cpp
  const Type *typeExpr(const ast::Expr *expr);
  const Type *typeValue(const ast::Expr *expr);
  /// The type of an attribute's, method's or subscript's owner: an optional one read as its
  /// value (checked when running); None, dtypes and other values as they are.
  const Type *typeOwner(const ast::Expr *expr);
  void typeCondition(const ast::Expr *expr);
  const Type *typeName(const ast::NameExpr *name);
  const Type *typeBinary(const ast::BinaryExpr *binary);
  const Type *typeUnary(const ast::UnaryExpr *unary);
  const Type *typeBoolOp(const ast::BoolOpExpr *boolOp);
  const Type *typeCompare(const ast::CompareExpr *compare);
  /// `v is None`, `v is not None`, `v == None`, `v != None`: decided when compiling unless v is
  /// optional (then its flag is read when running); null when `compare` is no such test.
  const Type *typeNoneTest(const ast::CompareExpr *compare);
  const Type *typeCall(const ast::CallExpr *call);
  /// typeCall's work, before the check that no record goes where numbers are expected.
  const Type *typeCallee(const ast::CallExpr *call);
  const Type *typeIfElse(const ast::IfElseExpr *ifElse);
  const Type *typeAttribute(const ast::AttributeExpr *attribute);
  const Type *typeSubscript(const ast::SubscriptExpr *subscript);
  const Type *typeArraySubscript(const ast::SubscriptExpr *subscript, const Type *array);
  /// Whether an index is None or np.newaxis (which is None).
  bool isNewAxis(const ast::Expr *index);
  /// `a[i, j] = value` (and `a[i] += value`): an element store into a writable array.
  void typeElementStore(const ast::SubscriptExpr *target, const Type *value);
  // typer_fancy_index.cpp
  /// Whether a subscript of an array has an array among its indices (`a[mask]`, `a[:, idx]`).
  bool hasArrayIndex(const ast::SubscriptExpr *subscript);
  /// `a[mask]`, `a[i, idx]`, and with `value` the store `a[idx] = value`: a call to the
  /// library's `__getitem__` (`__setitem__`, or `method` for an augmented store such as
  /// `__setitem_iadd__`). The subscript's type (None for a store).
  const Type *typeIndexCall(const ast::SubscriptExpr *subscript, const Type *array,
                            const Type *value, const char *method = nullptr);
  /// The call to the library's `method` for an index of `array` (args[0]), the indices and
  /// the stored value.
  const Type *typeLibraryIndexCall(const ast::SubscriptExpr *subscript, const Type *array,
                                   const std::vector<const ast::Expr *> &args, const char *method,
                                   const Type *value);
  /// In `a.flat[k]` with an int or a 1-d integer array k: the array `a`, else null.
  const ast::Expr *flatIteratorOwner(const ast::SubscriptExpr *subscript);
  /// `a.flat[k]` (`a.flat[k] = value`): the library's `__flat_getitem__`
  /// (`__flat_setitem__`, or `method` for an augmented store such as `__flat__setitem_iadd__`).
  const Type *typeFlatIndexCall(const ast::SubscriptExpr *subscript, const ast::Expr *owner,
                                const Type *value, const char *method = nullptr);
  /// `x in a`, `x not in a` on an array: the library's `__contains__`.
  const Type *typeArrayContains(const ast::CompareExpr *compare);
  // typer_arrays.cpp
  /// `a[1:] = x`, `a[0] = row` on a 2-D array: a store into a part of an array, `value` a
  /// number or an array that broadcasts to it.
  void typeSubarrayStore(const ast::SubscriptExpr *target, const Type *part, const Type *value);
  /// `a += b`, `a[1:] *= 2`: the array `target` (of type `array`) updated in place.
  void typeArrayUpdate(const ast::AugAssignStmt *assign, const Type *array, const Type *value);
  /// np.add(a, b), np.sin(x, out=y), ...: a ufunc on scalars or arrays.
  const Type *typeUfuncCall(const ast::CallExpr *call, Builtin builtin);
  /// The module a name stands for (`math`), or null.
  const GlobalValue *moduleOf(const ast::Expr *expr) const;
  /// The frozen value a free name or a chain through modules names (`np.linalg.norm`), or
  /// null when `expr` is neither or the python layer found nothing there.
  const GlobalValue *globalOf(const ast::Expr *expr) const;
  /// A call to a function chosen by argument types (overload): its implementation for the
  /// arguments' types (`owner` first for a method), or null (reported).
  const FunctionUnit *overloadTarget(const ast::CallExpr *call, const GlobalValue *overload,
                                     const std::string &method, const Type *owner);
  /// A call to a compiled function (or an overload's implementation) `target`.
  const Type *typeFunctionCall(const ast::CallExpr *call, const FunctionUnit &target,
                               const ast::Expr *receiver);
  /// `f(x)` where `f` holds a compiled function or a builtin (a parameter, a local, `t[0]`):
  /// a direct call of what the type names.
  const Type *typeCallThroughValue(const ast::CallExpr *call, const Type *callee);
  /// The type of `builtin` as a value (`abs`, `math.sin` passed on).
  static const Type *builtinValue(Builtin builtin);
  /// The builtin a callee names (`abs`, `math.sqrt`, `sqrt` imported from math), if any.
  std::optional<Builtin> builtinCallee(const ast::Expr *callee);
  const Type *typeBuiltinCall(const ast::CallExpr *call, Builtin builtin);
  /// np.sum(a), a.sum() (`receiver` is `a`), np.dot(a, b), ...
  /// np.dot(a, b), a.dot(b) (`receiver` is `a`), np.matmul, np.vdot, np.inner, np.outer.
  const Type *typeMatrixProduct(const ast::CallExpr *call, Builtin builtin,
                                const ast::Expr *receiver);
  const Type *typeArrayReduction(const ast::CallExpr *call, Builtin builtin,
                                 const ast::Expr *receiver);
  const Type *typeArrayAllocation(const ast::CallExpr *call, Builtin builtin,
                                  const ast::Expr *receiver);
  /// A NumPy array function's arguments by parameter (the receiver of a method call, then
  /// positional ones, then keywords), null where none is given. Reports an argument compiled
  /// code does not take, naming it, and a call NumPy would refuse; false then.
  bool bindNumpyArguments(const ast::CallExpr *call, Builtin builtin, const ast::Expr *receiver,
                          std::vector<const ast::Expr *> &bound);
  /// The element type `expr` designates (np.float32, float, a.dtype), or null.
  const Type *dtypeDesignated(const ast::Expr *expr);
  /// The element type a `dtype=` argument names (np.float32, float, ...), or null (reported).
  const Type *dtypeArgument(const ast::Expr *expr);
  /// Matches a call's positional and keyword arguments, then defaults, to `target`'s
  /// parameters, as Python binds them; reports a mismatch and returns false.
  bool bindCallArguments(const ast::CallExpr *call, const FunctionUnit &target,
                         std::vector<int32_t> &order, bool receiver = false);
  /// Types text: a string literal, an f-string of numbers, or (with `numbersToo`) a number
  /// that print() formats. False when it is none of these (reported when a value is wrong).
  bool typeText(const ast::Expr *expr, bool numbersToo);
  const Type *record(const ast::Expr *expr, const Type *type);

  // typer_records.cpp
  /// The field `index` (a string or int constant) names in `record`; null (reported) when
  /// there is none.
  const RecordField *recordField(const ast::Expr *index, const Type *record);
  /// The type of a field read through a record of type `record` (a sub-array field is a
  /// C-contiguous array view; a nested record keeps the writability).
  static const Type *fieldType(const RecordField &field, const Type *record);
  /// `r['f']`, `r[0]` on a record.
  const Type *typeRecordSubscript(const ast::SubscriptExpr *subscript, const Type *record);
  /// `r.f` on a record.
  const Type *typeRecordAttribute(const ast::AttributeExpr *attribute, const Type *record);
  /// `a['f']` on an array of records: a view of that field of every element.
  const Type *typeFieldView(const ast::SubscriptExpr *subscript, const Type *array);
  /// Whether `index` names a field by a constant (`'f'`): an array subscript that views one.
  static bool namesField(const ast::Expr *index);
  /// The receiver or argument of `call` that is a record or an array of records, when the
  /// callee is neither a compiled function nor len() (NumPy's functions and methods, which
  /// compute on numbers, and print()); else null.
  const ast::Expr *recordOperand(const ast::CallExpr *call);
  /// `r['f'] = value`, `r.f = value` (`field` is the target): a store into a record's field.
  void typeFieldStore(const ast::Expr *target, const Type *value);
  // typer_literals.cpp
  /// `kind == 'mergesort'`, `a.dtype != np.float32`, `side in ('left', 'right')`: a
  /// comparison with a value known when compiling, decided here (constantComparisons). Null
  /// when `compare` is not one.
  const Type *typeLiteralComparison(const ast::CompareExpr *compare);
  /// `not c`, `c and d`, `c or d` over conditions decided when compiling: decided too, so
  /// an `if` on them compiles only the branch taken.
  void foldDecidedCondition(const ast::Expr *expr);
  /// `t.name`, `t.itemsize`, `t.type`... of a dtype value `owner`.
  const Type *typeDtypeAttribute(const ast::AttributeExpr *attribute, const Type *owner);
  /// np.dtype('float32'), np.dtype(np.int8), np.dtype(a.dtype): a dtype value.
  const Type *typeDtypeCall(const ast::CallExpr *call);
  /// `t(x)` where `t` holds a dtype (`a.dtype.type(0)`): its constructor's call.
  const Type *typeDtypeValueCall(const ast::CallExpr *call, const Type *callee);
  /// np.float32((1, 2)), np.int8(a): an array of that dtype from a tuple or an array.
  const Type *typeScalarTypeOfSequence(const ast::CallExpr *call, Builtin builtin,
                                       const Type *sequence);
  /// `x.view(np.uint64)` of a scalar `x` of type `owner`: its bits as a type of the same size.
  const Type *typeScalarView(const ast::CallExpr *call, const Type *owner);
  /// `z.conjugate()`, `n.bit_length()`, `x.is_integer()`: null when `name` is no method of
  /// a number of type `owner` (the caller reports it).
  const Type *typeScalarMethod(const ast::CallExpr *call, const std::string &name,
                               const Type *owner);

  // typer_type_queries.cpp
  /// type(x), isinstance(x, cls), hasattr(x, 'name'): a dtype value, or a bool decided when
  /// compiling (constantComparisons).
  const Type *typeTypeQuery(const ast::CallExpr *call, Builtin builtin);
  /// Whether a value of type `value` is an instance of the class (or tuple of classes) `cls`;
  /// empty (reported) when `cls` is no class compiled code knows.
  std::optional<bool> isInstanceOfClass(const Type *value, const ast::Expr *cls);

  // typer_views.cpp
  /// The view method (or NumPy function, `asFunction`) `name` names, if any.
  static std::optional<ArrayMethod> arrayMethodNamed(const std::string &name, bool asFunction);
  /// The order letter a view or copy method takes (`order`, 'C' 'F' 'A' or 'K'), or false
  /// with the error reported.
  bool methodOrder(ArrayMethod method, const Type *source, const ast::Expr *value, ast::Span span,
                   char &order);
  /// a.reshape(...), np.transpose(a, axes), a.fill(v), ...: `array` is the receiver, or the
  /// first argument of the NumPy function.
  const Type *typeArrayMethod(const ast::CallExpr *call, ArrayMethod method, const ast::Expr *array,
                              bool asFunction);
  /// An int constant or a tuple of them, each an axis of `ndim` dimensions (negative ones
  /// from the end), appended to `axes`; reports anything else and returns false.
  bool constantAxes(const ast::Expr *expr, unsigned ndim, std::vector<unsigned> &axes,
                    const char *what);
  /// a.itemsize, a.nbytes, a.strides, and .real/.imag of a real array; null for others.
  const Type *typeMemoryAttribute(const ast::AttributeExpr *attribute, const Type *owner);
  /// a.flags.c_contiguous and its siblings; null when `attribute` is not one.
  const Type *typeFlag(const ast::AttributeExpr *attribute);

public:
  /// The result type of `lhs op rhs` for numeric operands, or null when the operator does
  /// not take them. Shared with augmented assignment.
  static const Type *binaryResult(ast::BinaryOp op, const Type *lhs, const Type *rhs,
                                  const ast::Expr *rhsExpr);

private:
  const FunctionUnit &unit_;
  const ast::SourceFile &source_;
  CalleeResolver &resolver_;
  std::vector<ast::Diagnostic> *diagnostics_; ///< null except in the reporting pass
  std::unique_ptr<TypedFunction> out_;
  std::unordered_map<std::string, int32_t> locals_;
  /// Per local: where it got its current type (a parameter, or the assignment that widened
  /// it), for the note on a conflicting assignment.
  std::vector<ast::Span> localOrigins_;
  bool localsChanged_ = false;
  int loopDepth_ = 0;
  int handlerDepth_ = 0; ///< `except` clauses around the statement typed: a bare raise needs one
  /// The `as` names of the enclosing except clauses: exception objects, which compiled code
  /// cannot hold, reported where they are used.
  std::vector<std::string> exceptionNames_;
  const Type *returnType_ = nullptr;
  const Type *firstReturnType_ = nullptr;
  ast::Span firstReturnSpan_;
  bool unresolvedRecursion_ = false;
  bool calleeFailed_ = false; ///< a call's callee does not type (CallTarget::failed)
};

/// The element type an operand of an elementwise operation acts as: an array its dtype; a
/// scalar, as NumPy 2 treats a Python number next to an array, the array's dtype when it is
/// of a kind at least as wide (a float32 array times 2.5 stays float32), else its own.
const Type *elementOperand(const Type *operand, const Type *other);
/// The dimensions of the broadcast of two operands (a scalar has none).
unsigned broadcastNdim(const Type *a, const Type *b);
/// Whether `lhs op rhs` compares as Python compares these (tuples lexicographically, element
/// by element; complex numbers for == and != only).
bool tuplesCompare(ast::CompareOp op, const Type *lhs, const Type *rhs);
/// The value of `e` when it is an int constant: `2`, `-1`.
std::optional<int64_t> constantInt(const ast::Expr *e);
/// The layout of the view `array[indices]` gives (basic indexing: ints, slices, ..., and
/// null for a new axis).
Layout subscriptLayout(const Type *array, const std::vector<const ast::Expr *> &indices);
/// Bytes of one element of `dtype` in memory (a bool takes a byte).
uint64_t elementBytes(const Type *dtype);

/// NumPy's array class and abstract scalar classes (np.ndarray, np.floating...): classes
/// isinstance() tests, never called.
bool isClassBuiltin(Builtin builtin);

/// The scalar type a dtype value or a dtype string designates, or null.
const Type *dtypeOfValue(const Type *type);
/// The scalar type a builtin names as a dtype (np.float32, float, int, bool, complex), or null.
const Type *builtinDtype(Builtin builtin);

/// Whether control can run past the end of `stmts` (no return, no endless loop).
bool fallsThrough(const ast::StmtList &stmts);
/// Whether `stmts` break out of the loop they are the body of (nested loops excluded).
bool containsBreak(const ast::StmtList &stmts);

} // namespace nogil::sema
