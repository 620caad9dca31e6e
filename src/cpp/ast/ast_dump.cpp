// S-expression dump of a FunctionAst: deterministic, no addresses, one statement a line.
#include "ast/ast.h"

#include <cstdio>

namespace nogil::ast {

namespace {

class Dumper {
public:
  std::string out;

  void function(const FunctionAst &f) {
    out += "(def " + f.name + " (";
    for (size_t i = 0; i < f.params.size(); ++i)
      out += (i ? " " : "") + f.params[i].name;
    out += ")\n";
    block(f.body, 1);
    out += ")\n";
  }

private:
  void block(const StmtList &stmts, int depth) {
    for (const Stmt *s : stmts)
      stmt(s, depth);
  }

  void line(int depth, const std::string &text) {
    out += std::string(depth * 2, ' ') + text + "\n";
  }

  void stmt(const Stmt *s, int depth) {
    switch (s->kind) {
    case StmtKind::Return: {
      auto *r = cast<ReturnStmt>(s);
      line(depth, r->value ? "(return " + expr(r->value) + ")" : "(return)");
      return;
    }
    case StmtKind::Assign: {
      auto *a = cast<AssignStmt>(s);
      std::string text = "(assign";
      for (const Expr *t : a->targets)
        text += " " + expr(t);
      line(depth, text + " " + expr(a->value) + ")");
      return;
    }
    case StmtKind::AugAssign: {
      auto *a = cast<AugAssignStmt>(s);
      line(depth, std::string("(augassign ") + spelling(a->op) + " " + expr(a->target) + " " +
                      expr(a->value) + ")");
      return;
    }
    case StmtKind::If: {
      auto *i = cast<IfStmt>(s);
      compound(depth, "if " + expr(i->condition), i->body, i->orElse);
      return;
    }
    case StmtKind::While: {
      auto *w = cast<WhileStmt>(s);
      compound(depth, "while " + expr(w->condition), w->body, w->orElse);
      return;
    }
    case StmtKind::For: {
      auto *f = cast<ForStmt>(s);
      compound(depth, "for " + expr(f->target) + " " + expr(f->iterable), f->body, f->orElse);
      return;
    }
    case StmtKind::Break:
      line(depth, "(break)");
      return;
    case StmtKind::Continue:
      line(depth, "(continue)");
      return;
    case StmtKind::Pass:
      line(depth, "(pass)");
      return;
    case StmtKind::ExprStmt:
      line(depth, "(expr " + expr(cast<ExprStmt>(s)->value) + ")");
      return;
    case StmtKind::Raise: {
      auto *r = cast<RaiseStmt>(s);
      line(depth, r->exception ? "(raise " + expr(r->exception) + ")" : "(raise)");
      return;
    }
    case StmtKind::Assert: {
      auto *a = cast<AssertStmt>(s);
      line(depth, "(assert " + expr(a->test) + (a->message ? " " + expr(a->message) : "") + ")");
      return;
    }
    case StmtKind::Try: {
      auto *t = cast<TryStmt>(s);
      line(depth, "(try");
      block(t->body, depth + 1);
      for (const ExceptHandler &h : t->handlers) {
        line(depth, "except" + (h.type ? " " + expr(h.type) : std::string()) +
                        (h.name.empty() ? "" : " as " + h.name));
        block(h.body, depth + 1);
      }
      if (!t->orElse.empty()) {
        line(depth, "else");
        block(t->orElse, depth + 1);
      }
      if (!t->finalBody.empty()) {
        line(depth, "finally");
        block(t->finalBody, depth + 1);
      }
      line(depth, ")");
      return;
    }
    case StmtKind::Unsupported:
      line(depth, "(unsupported \"" + cast<UnsupportedStmt>(s)->what + "\")");
      return;
    }
  }

  void compound(int depth, const std::string &head, const StmtList &body, const StmtList &orElse) {
    line(depth, "(" + head);
    block(body, depth + 1);
    if (!orElse.empty()) {
      line(depth, " else");
      block(orElse, depth + 1);
    }
    line(depth, ")");
  }

  std::string list(const std::vector<Expr *> &exprs) {
    std::string text;
    for (const Expr *e : exprs)
      text += " " + expr(e);
    return text;
  }

  std::string expr(const Expr *e) {
    switch (e->kind) {
    case ExprKind::Name:
      return cast<NameExpr>(e)->name;
    case ExprKind::IntLiteral:
      return std::to_string(cast<IntLiteralExpr>(e)->value);
    case ExprKind::FloatLiteral: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", cast<FloatLiteralExpr>(e)->value);
      return buffer;
    }
    case ExprKind::BoolLiteral:
      return cast<BoolLiteralExpr>(e)->value ? "True" : "False";
    case ExprKind::NoneLiteral:
      return "None";
    case ExprKind::EllipsisLiteral:
      return "...";
    case ExprKind::Binary: {
      auto *b = cast<BinaryExpr>(e);
      return std::string("(") + spelling(b->op) + " " + expr(b->lhs) + " " + expr(b->rhs) + ")";
    }
    case ExprKind::Unary: {
      auto *u = cast<UnaryExpr>(e);
      return std::string("(") + spelling(u->op) + " " + expr(u->operand) + ")";
    }
    case ExprKind::BoolOp: {
      auto *b = cast<BoolOpExpr>(e);
      return std::string("(") + spelling(b->op) + list(b->values) + ")";
    }
    case ExprKind::Compare: {
      auto *c = cast<CompareExpr>(e);
      std::string text = "(compare " + expr(c->operands[0]);
      for (size_t i = 0; i < c->ops.size(); ++i)
        text += std::string(" ") + spelling(c->ops[i]) + " " + expr(c->operands[i + 1]);
      return text + ")";
    }
    case ExprKind::Call: {
      auto *c = cast<CallExpr>(e);
      std::string keywords;
      for (size_t i = 0; i < c->keywordNames.size(); ++i)
        keywords += " " + c->keywordNames[i] + "=" + expr(c->keywordValues[i]);
      return "(call " + expr(c->callee) + list(c->args) + keywords + ")";
    }
    case ExprKind::IfElse: {
      auto *i = cast<IfElseExpr>(e);
      return "(ifelse " + expr(i->condition) + " " + expr(i->thenValue) + " " + expr(i->elseValue) +
             ")";
    }
    case ExprKind::Tuple:
      return "(tuple" + list(cast<TupleExpr>(e)->elements) + ")";
    case ExprKind::Attribute: {
      auto *a = cast<AttributeExpr>(e);
      return "(attr " + expr(a->value) + " " + a->attr + ")";
    }
    case ExprKind::FormattedString:
      return "(fstring" + list(cast<FormattedStringExpr>(e)->parts) + ")";
    case ExprKind::ComplexLiteral: {
      auto *c = cast<ComplexLiteralExpr>(e);
      return "(complex " + std::to_string(c->real) + " " + std::to_string(c->imag) + ")";
    }
    case ExprKind::StringLiteral:
      return "(str \"" + cast<StringLiteralExpr>(e)->value + "\")";
    case ExprKind::Subscript: {
      auto *s = cast<SubscriptExpr>(e);
      return "(subscript " + expr(s->value) + " " + expr(s->index) + ")";
    }
    case ExprKind::Slice: {
      auto *s = cast<SliceExpr>(e);
      auto part = [&](const Expr *p) { return p ? expr(p) : std::string("_"); };
      return "(slice " + part(s->lower) + " " + part(s->upper) + " " + part(s->step) + ")";
    }
    case ExprKind::Unsupported:
      return "(unsupported \"" + cast<UnsupportedExpr>(e)->what + "\")";
    }
    return "?";
  }
};

} // namespace

std::string dump(const FunctionAst &function) {
  Dumper dumper;
  dumper.function(function);
  return dumper.out;
}

} // namespace nogil::ast
