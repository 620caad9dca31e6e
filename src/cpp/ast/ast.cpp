// Operator spellings, as Python writes them.
#include "ast/ast.h"

#include <functional>

namespace nogil::ast {

const char *spelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return "+";
  case BinaryOp::Sub:
    return "-";
  case BinaryOp::Mul:
    return "*";
  case BinaryOp::Div:
    return "/";
  case BinaryOp::FloorDiv:
    return "//";
  case BinaryOp::Mod:
    return "%";
  case BinaryOp::Pow:
    return "**";
  case BinaryOp::LShift:
    return "<<";
  case BinaryOp::RShift:
    return ">>";
  case BinaryOp::BitOr:
    return "|";
  case BinaryOp::BitXor:
    return "^";
  case BinaryOp::BitAnd:
    return "&";
  case BinaryOp::MatMul:
    return "@";
  }
  return "?";
}

const char *spelling(UnaryOp op) {
  switch (op) {
  case UnaryOp::Neg:
    return "unary -";
  case UnaryOp::Pos:
    return "unary +";
  case UnaryOp::Not:
    return "not";
  case UnaryOp::Invert:
    return "~";
  }
  return "?";
}

const char *spelling(BoolOpKind op) { return op == BoolOpKind::And ? "and" : "or"; }

const char *spelling(CompareOp op) {
  switch (op) {
  case CompareOp::Lt:
    return "<";
  case CompareOp::LtE:
    return "<=";
  case CompareOp::Gt:
    return ">";
  case CompareOp::GtE:
    return ">=";
  case CompareOp::Eq:
    return "==";
  case CompareOp::NotEq:
    return "!=";
  case CompareOp::Is:
    return "is";
  case CompareOp::IsNot:
    return "is not";
  case CompareOp::In:
    return "in";
  case CompareOp::NotIn:
    return "not in";
  }
  return "?";
}

void forEachExpr(const Expr *expr, const std::function<void(const Expr *)> &visit) {
  if (!expr)
    return;
  visit(expr);
  auto all = [&](const std::vector<Expr *> &exprs) {
    for (const Expr *e : exprs)
      forEachExpr(e, visit);
  };
  switch (expr->kind) {
  case ExprKind::FormattedString:
    all(cast<FormattedStringExpr>(expr)->parts);
    return;
  case ExprKind::Binary:
    forEachExpr(cast<BinaryExpr>(expr)->lhs, visit);
    forEachExpr(cast<BinaryExpr>(expr)->rhs, visit);
    return;
  case ExprKind::Unary:
    forEachExpr(cast<UnaryExpr>(expr)->operand, visit);
    return;
  case ExprKind::BoolOp:
    all(cast<BoolOpExpr>(expr)->values);
    return;
  case ExprKind::Compare:
    all(cast<CompareExpr>(expr)->operands);
    return;
  case ExprKind::Call:
    forEachExpr(cast<CallExpr>(expr)->callee, visit);
    all(cast<CallExpr>(expr)->args);
    all(cast<CallExpr>(expr)->keywordValues);
    return;
  case ExprKind::IfElse:
    forEachExpr(cast<IfElseExpr>(expr)->condition, visit);
    forEachExpr(cast<IfElseExpr>(expr)->thenValue, visit);
    forEachExpr(cast<IfElseExpr>(expr)->elseValue, visit);
    return;
  case ExprKind::Tuple:
    all(cast<TupleExpr>(expr)->elements);
    return;
  case ExprKind::Attribute:
    forEachExpr(cast<AttributeExpr>(expr)->value, visit);
    return;
  case ExprKind::Subscript:
    forEachExpr(cast<SubscriptExpr>(expr)->value, visit);
    forEachExpr(cast<SubscriptExpr>(expr)->index, visit);
    return;
  case ExprKind::Slice:
    forEachExpr(cast<SliceExpr>(expr)->lower, visit);
    forEachExpr(cast<SliceExpr>(expr)->upper, visit);
    forEachExpr(cast<SliceExpr>(expr)->step, visit);
    return;
  default:
    return;
  }
}

} // namespace nogil::ast
