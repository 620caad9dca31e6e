// The C++ AST of one function, imported from CPython's `ast` objects. Nodes carry spans and
// a dense expression id; types live in side tables (sema), so one tree serves every
// specialization. Nodes are owned by the FunctionAst's arena.
#pragma once

#include "ast/source.h"

#include <cassert>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nogil::ast {

enum class ExprKind : uint8_t {
#define NOGIL_EXPR(Kind, Class) Kind,
#include "ast/ast_nodes.def"
};

enum class StmtKind : uint8_t {
#define NOGIL_STMT(Kind, Class) Kind,
#include "ast/ast_nodes.def"
};

enum class BinaryOp : uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  FloorDiv,
  Mod,
  Pow,
  LShift,
  RShift,
  BitOr,
  BitXor,
  BitAnd,
  MatMul
};
enum class UnaryOp : uint8_t { Neg, Pos, Not, Invert };
enum class BoolOpKind : uint8_t { And, Or };
enum class CompareOp : uint8_t { Lt, LtE, Gt, GtE, Eq, NotEq, Is, IsNot, In, NotIn };

/// The Python spelling of an operator ("+", "//", "<=", "and", ...).
const char *spelling(BinaryOp op);
const char *spelling(UnaryOp op);
const char *spelling(BoolOpKind op);
const char *spelling(CompareOp op);

struct Node {
  virtual ~Node() = default;
  Span span;
};

struct Expr : Node {
  Expr(ExprKind kind, Span span, uint32_t id) : kind(kind), id(id) { this->span = span; }
  const ExprKind kind;
  /// Dense index within the function: sema's side tables are vectors indexed by it.
  const uint32_t id;
};

struct Stmt : Node {
  Stmt(StmtKind kind, Span span) : kind(kind) { this->span = span; }
  const StmtKind kind;
};

using StmtList = std::vector<Stmt *>;

#define NOGIL_EXPR_CLASS(Kind)                                                                     \
  static constexpr ExprKind kindOf() { return ExprKind::Kind; }                                    \
  static bool classof(const Expr *e) { return e->kind == ExprKind::Kind; }
#define NOGIL_STMT_CLASS(Kind)                                                                     \
  static constexpr StmtKind kindOf() { return StmtKind::Kind; }                                    \
  static bool classof(const Stmt *s) { return s->kind == StmtKind::Kind; }

struct NameExpr : Expr {
  NOGIL_EXPR_CLASS(Name)
  using Expr::Expr;
  std::string name;
};
struct IntLiteralExpr : Expr {
  NOGIL_EXPR_CLASS(IntLiteral)
  using Expr::Expr;
  int64_t value = 0;
};
struct FloatLiteralExpr : Expr {
  NOGIL_EXPR_CLASS(FloatLiteral)
  using Expr::Expr;
  double value = 0;
};
/// `2j`, `1.5j`: Python's imaginary literals (a real part appears through `+`).
struct ComplexLiteralExpr : Expr {
  NOGIL_EXPR_CLASS(ComplexLiteral)
  using Expr::Expr;
  double real = 0;
  double imag = 0;
};
struct BoolLiteralExpr : Expr {
  NOGIL_EXPR_CLASS(BoolLiteral)
  using Expr::Expr;
  bool value = false;
};
struct NoneLiteralExpr : Expr {
  NOGIL_EXPR_CLASS(NoneLiteral)
  using Expr::Expr;
};
/// `...`: an array index standing for the dimensions not indexed otherwise.
struct EllipsisLiteralExpr : Expr {
  NOGIL_EXPR_CLASS(EllipsisLiteral)
  using Expr::Expr;
};
/// A string literal: a message of `raise` or `assert`, and nothing else yet.
struct StringLiteralExpr : Expr {
  NOGIL_EXPR_CLASS(StringLiteral)
  using Expr::Expr;
  std::string value;
};
/// `f"x is {x}"`: literal text and values, each value converted as str() does.
struct FormattedStringExpr : Expr {
  NOGIL_EXPR_CLASS(FormattedString)
  using Expr::Expr;
  /// Each part is a StringLiteralExpr or a value.
  std::vector<Expr *> parts;
};
struct BinaryExpr : Expr {
  NOGIL_EXPR_CLASS(Binary)
  using Expr::Expr;
  BinaryOp op = BinaryOp::Add;
  Expr *lhs = nullptr;
  Expr *rhs = nullptr;
};
struct UnaryExpr : Expr {
  NOGIL_EXPR_CLASS(Unary)
  using Expr::Expr;
  UnaryOp op = UnaryOp::Neg;
  Expr *operand = nullptr;
};
/// `a and b and c`: Python's BoolOp keeps all operands of one operator together.
struct BoolOpExpr : Expr {
  NOGIL_EXPR_CLASS(BoolOp)
  using Expr::Expr;
  BoolOpKind op = BoolOpKind::And;
  std::vector<Expr *> values;
};
/// `a < b <= c`: operands[i] ops[i] operands[i + 1], each operand evaluated once.
struct CompareExpr : Expr {
  NOGIL_EXPR_CLASS(Compare)
  using Expr::Expr;
  std::vector<Expr *> operands;
  std::vector<CompareOp> ops;
};
struct CallExpr : Expr {
  NOGIL_EXPR_CLASS(Call)
  using Expr::Expr;
  Expr *callee = nullptr;
  std::vector<Expr *> args;
  /// `name=value` arguments, in source order.
  std::vector<std::string> keywordNames;
  std::vector<Expr *> keywordValues;
  std::vector<Span> keywordSpans; ///< `name=value` as written
};
struct IfElseExpr : Expr {
  NOGIL_EXPR_CLASS(IfElse)
  using Expr::Expr;
  Expr *condition = nullptr;
  Expr *thenValue = nullptr;
  Expr *elseValue = nullptr;
};
struct TupleExpr : Expr {
  NOGIL_EXPR_CLASS(Tuple)
  using Expr::Expr;
  std::vector<Expr *> elements;
};
/// `value.attr`: a module's member (`math.pi`, `math.sqrt`).
struct AttributeExpr : Expr {
  NOGIL_EXPR_CLASS(Attribute)
  using Expr::Expr;
  Expr *value = nullptr;
  std::string attr;
};
/// `value[index]`: an element of a tuple.
struct SubscriptExpr : Expr {
  NOGIL_EXPR_CLASS(Subscript)
  using Expr::Expr;
  Expr *value = nullptr;
  Expr *index = nullptr;
};
/// `lower:upper:step` inside a subscript; absent parts are null.
struct SliceExpr : Expr {
  NOGIL_EXPR_CLASS(Slice)
  using Expr::Expr;
  Expr *lower = nullptr;
  Expr *upper = nullptr;
  Expr *step = nullptr;
};
/// A construct outside the language; `what` completes "... not supported" ("lambda
/// expressions are"). Kept in the tree so that the typer reports every one with its span.
struct UnsupportedExpr : Expr {
  NOGIL_EXPR_CLASS(Unsupported)
  using Expr::Expr;
  std::string what;
};

struct ReturnStmt : Stmt {
  NOGIL_STMT_CLASS(Return)
  using Stmt::Stmt;
  Expr *value = nullptr; ///< null for a bare `return`
};
/// `t1 = t2 = value`; each target is a NameExpr, a TupleExpr of them, or UnsupportedExpr.
struct AssignStmt : Stmt {
  NOGIL_STMT_CLASS(Assign)
  using Stmt::Stmt;
  std::vector<Expr *> targets;
  Expr *value = nullptr;
};
struct AugAssignStmt : Stmt {
  NOGIL_STMT_CLASS(AugAssign)
  using Stmt::Stmt;
  Expr *target = nullptr;
  BinaryOp op = BinaryOp::Add;
  Expr *value = nullptr;
};
struct IfStmt : Stmt {
  NOGIL_STMT_CLASS(If)
  using Stmt::Stmt;
  Expr *condition = nullptr;
  StmtList body;
  StmtList orElse;
};
struct WhileStmt : Stmt {
  NOGIL_STMT_CLASS(While)
  using Stmt::Stmt;
  Expr *condition = nullptr;
  StmtList body;
  StmtList orElse;
};
struct ForStmt : Stmt {
  NOGIL_STMT_CLASS(For)
  using Stmt::Stmt;
  Expr *target = nullptr;
  Expr *iterable = nullptr;
  StmtList body;
  StmtList orElse;
};
struct BreakStmt : Stmt {
  NOGIL_STMT_CLASS(Break)
  using Stmt::Stmt;
};
struct ContinueStmt : Stmt {
  NOGIL_STMT_CLASS(Continue)
  using Stmt::Stmt;
};
struct PassStmt : Stmt {
  NOGIL_STMT_CLASS(Pass)
  using Stmt::Stmt;
};
struct ExprStmt : Stmt {
  NOGIL_STMT_CLASS(ExprStmt)
  using Stmt::Stmt;
  Expr *value = nullptr;
};
/// `raise E` or `raise E("message")`; `exception` is null for a bare `raise`.
struct RaiseStmt : Stmt {
  NOGIL_STMT_CLASS(Raise)
  using Stmt::Stmt;
  Expr *exception = nullptr;
};
struct AssertStmt : Stmt {
  NOGIL_STMT_CLASS(Assert)
  using Stmt::Stmt;
  Expr *test = nullptr;
  Expr *message = nullptr; ///< null without one
};
/// One `except` clause: `type` is null for a bare `except:`, else a class name or a tuple of
/// them; `name` is empty without `as name`.
struct ExceptHandler {
  Expr *type = nullptr;
  std::string name;
  Span span;
  StmtList body;
};
struct TryStmt : Stmt {
  NOGIL_STMT_CLASS(Try)
  using Stmt::Stmt;
  StmtList body;
  std::vector<ExceptHandler> handlers;
  StmtList orElse;
  StmtList finalBody;
};
struct UnsupportedStmt : Stmt {
  NOGIL_STMT_CLASS(Unsupported)
  using Stmt::Stmt;
  std::string what;
};

#undef NOGIL_EXPR_CLASS
#undef NOGIL_STMT_CLASS

template <typename T, typename From> bool isa(const From *node) { return T::classof(node); }
template <typename T, typename From> T *cast(From *node) {
  assert(T::classof(node) && "cast to the wrong node class");
  return static_cast<T *>(node);
}
template <typename T, typename From> const T *cast(const From *node) {
  assert(T::classof(node) && "cast to the wrong node class");
  return static_cast<const T *>(node);
}
template <typename T, typename From> T *dynCast(From *node) {
  return node && T::classof(node) ? static_cast<T *>(node) : nullptr;
}
template <typename T, typename From> const T *dynCast(const From *node) {
  return node && T::classof(node) ? static_cast<const T *>(node) : nullptr;
}

struct Param {
  std::string name;
  Span span;
};

/// A parameter form the language does not take (a default value, *args, ...), reported by
/// the typer.
struct UnsupportedParam {
  std::string what;
  Span span;
};

/// One function's tree and the arena that owns its nodes.
class FunctionAst {
public:
  std::string name;
  Span nameSpan;
  Span span;
  std::vector<Param> params;
  std::vector<UnsupportedParam> unsupportedParams;
  /// The default value expressions of the last defaultSpans.size() parameters; their
  /// values come from the function object (FunctionUnit::defaults).
  std::vector<Span> defaultSpans;
  StmtList body;

  template <typename T> T *makeExpr(Span span) {
    auto node = std::make_unique<T>(T::kindOf(), span, exprCount_++);
    T *raw = node.get();
    nodes_.push_back(std::move(node));
    return raw;
  }
  template <typename T> T *makeStmt(Span span) {
    auto node = std::make_unique<T>(T::kindOf(), span);
    T *raw = node.get();
    nodes_.push_back(std::move(node));
    return raw;
  }
  /// Number of expressions: the size of sema's side tables.
  uint32_t exprCount() const { return exprCount_; }

private:
  std::vector<std::unique_ptr<Node>> nodes_;
  uint32_t exprCount_ = 0;
};

/// Calls `visit` for every expression of `expr` (null: none), itself included, parents before
/// their operands.
void forEachExpr(const Expr *expr, const std::function<void(const Expr *)> &visit);

/// A deterministic S-expression dump of a function, for golden tests and debugging.
std::string dump(const FunctionAst &function);

} // namespace nogil::ast
