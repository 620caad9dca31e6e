#include "sema/annotate.h"

namespace nogil::sema {

using namespace ast;

namespace {

class Annotator {
public:
  explicit Annotator(const TypedFunction &typed) : typed_(typed), source_(*typed.unit->source) {}

  std::vector<LineAnnotation> run() {
    const FunctionAst &function = *typed_.unit->ast;
    for (size_t i = 0; i < function.params.size(); ++i)
      note(function.params[i].span, function.params[i].name + ": " + typed_.args[i]->name());
    block(function.body);
    return std::move(out_);
  }

private:
  void note(Span span, std::string text) {
    out_.push_back({source_.lineColumnOf(span.begin).line, std::move(text)});
  }

  void target(const Expr *expr) {
    if (auto *tuple = dynCast<TupleExpr>(expr)) {
      for (const Expr *element : tuple->elements)
        target(element);
      return;
    }
    int32_t slot = expr->id < typed_.localSlots.size() ? typed_.localOf(expr) : -1;
    if (slot >= 0)
      note(expr->span, typed_.localNames[slot] + ": " + typed_.localTypes[slot]->name());
  }

  void block(const StmtList &stmts) {
    for (const Stmt *stmt : stmts) {
      switch (stmt->kind) {
      case StmtKind::Assign:
        for (const Expr *t : cast<AssignStmt>(stmt)->targets)
          target(t);
        break;
      case StmtKind::AugAssign:
        target(cast<AugAssignStmt>(stmt)->target);
        break;
      case StmtKind::For:
        target(cast<ForStmt>(stmt)->target);
        block(cast<ForStmt>(stmt)->body);
        block(cast<ForStmt>(stmt)->orElse);
        break;
      case StmtKind::If:
        block(cast<IfStmt>(stmt)->body);
        block(cast<IfStmt>(stmt)->orElse);
        break;
      case StmtKind::While:
        block(cast<WhileStmt>(stmt)->body);
        block(cast<WhileStmt>(stmt)->orElse);
        break;
      case StmtKind::Return: {
        auto *ret = cast<ReturnStmt>(stmt);
        const Type *type =
            ret->value && typed_.typeOf(ret->value) ? typed_.typeOf(ret->value) : noneType();
        std::string text = std::string("return ") + type->name();
        if (type != typed_.returnType && !typed_.returnType->isNone())
          text += std::string(" as ") + typed_.returnType->name();
        note(stmt->span, text);
        break;
      }
      default:
        break;
      }
    }
  }

  const TypedFunction &typed_;
  const SourceFile &source_;
  std::vector<LineAnnotation> out_;
};

} // namespace

std::vector<LineAnnotation> annotateTypes(const TypedFunction &typed) {
  return Annotator(typed).run();
}

} // namespace nogil::sema
