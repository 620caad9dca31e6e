// The typer on hand-built trees: unification of locals and returns, recursion, errors.
#include "sema/program.h"

#include <gtest/gtest.h>

using namespace nogil;
using namespace nogil::ast;
using namespace nogil::sema;

namespace {

/// Builds a FunctionUnit's tree by hand; spans all point at the start of the source.
class UnitBuilder {
public:
  explicit UnitBuilder(const std::string &name, std::vector<std::string> params) {
    unit_.id = nextId_++;
    unit_.qualname = name;
    unit_.source = std::make_unique<SourceFile>("t.py", "def " + name + "(): pass\n", 1);
    unit_.ast = std::make_unique<FunctionAst>();
    unit_.ast->name = name;
    unit_.ast->nameSpan = Span{4, 5};
    for (auto &p : params)
      unit_.ast->params.push_back(Param{p, Span{0, 1}});
  }
  FunctionAst &f() { return *unit_.ast; }
  FunctionUnit &unit() { return unit_; }

  Expr *name(const std::string &n) {
    auto *e = f().makeExpr<NameExpr>(Span{0, 1});
    e->name = n;
    return e;
  }
  Expr *integer(int64_t v) {
    auto *e = f().makeExpr<IntLiteralExpr>(Span{0, 1});
    e->value = v;
    return e;
  }
  Expr *real(double v) {
    auto *e = f().makeExpr<FloatLiteralExpr>(Span{0, 1});
    e->value = v;
    return e;
  }
  Expr *binary(BinaryOp op, Expr *l, Expr *r) {
    auto *e = f().makeExpr<BinaryExpr>(Span{0, 1});
    e->op = op;
    e->lhs = l;
    e->rhs = r;
    return e;
  }
  Expr *call(const std::string &callee, std::vector<Expr *> args) {
    auto *e = f().makeExpr<CallExpr>(Span{0, 1});
    e->callee = name(callee);
    e->args = std::move(args);
    return e;
  }
  Stmt *assign(const std::string &target, Expr *value) {
    auto *s = f().makeStmt<AssignStmt>(Span{0, 1});
    s->targets.push_back(name(target));
    s->value = value;
    return s;
  }
  Stmt *ret(Expr *value) {
    auto *s = f().makeStmt<ReturnStmt>(Span{0, 1});
    s->value = value;
    return s;
  }
  Stmt *ifThen(Expr *condition, StmtList body) {
    auto *s = f().makeStmt<IfStmt>(Span{0, 1});
    s->condition = condition;
    s->body = std::move(body);
    return s;
  }

private:
  static inline uint64_t nextId_ = 1;
  FunctionUnit unit_;
};

struct NoExistingSpecs : ExistingSpecs {
  std::optional<CompiledSignature> find(const FunctionUnit &,
                                        const std::vector<const Type *> &) const override {
    return std::nullopt;
  }
};

GlobalValue functionValue(const FunctionUnit &unit) {
  GlobalValue value;
  value.kind = GlobalValue::Kind::Function;
  value.function = &unit;
  return value;
}

} // namespace

TEST(Typer, WidensALocalAssignedIntThenFloat) {
  UnitBuilder b("f", {"n"});
  b.f().body = {b.assign("x", b.integer(1)),
                b.assign("x", b.binary(BinaryOp::Add, b.name("x"), b.real(1.5))),
                b.ret(b.name("x"))};
  Program program = typeProgram(b.unit(), {int64Type()}, NoExistingSpecs());
  ASSERT_TRUE(program.ok());
  const TypedFunction &typed = *program.functions[0];
  EXPECT_EQ(typed.returnType, float64Type());
  EXPECT_EQ(typed.localTypes[1], float64Type());
}

TEST(Typer, TrueDivisionOfIntsIsFloat) {
  UnitBuilder b("f", {"a", "b"});
  b.f().body = {b.ret(b.binary(BinaryOp::Div, b.name("a"), b.name("b")))};
  Program program = typeProgram(b.unit(), {int64Type(), int64Type()}, NoExistingSpecs());
  ASSERT_TRUE(program.ok());
  EXPECT_EQ(program.functions[0]->returnType, float64Type());
}

TEST(Typer, FindsARecursiveReturnTypeFromTheBaseCase) {
  // def f(n): if n: return f(n - 1) * 2.0 ... return 1
  UnitBuilder b("f", {"n"});
  b.unit().environment["f"] = functionValue(b.unit());
  b.f().body = {
      b.ifThen(b.name("n"),
               {b.ret(b.binary(BinaryOp::Mul,
                               b.call("f", {b.binary(BinaryOp::Sub, b.name("n"), b.integer(1))}),
                               b.real(2.0)))}),
      b.ret(b.integer(1))};
  Program program = typeProgram(b.unit(), {int64Type()}, NoExistingSpecs());
  ASSERT_TRUE(program.ok());
  EXPECT_EQ(program.functions.size(), 1u);
  EXPECT_EQ(program.functions[0]->returnType, float64Type());
}

TEST(Typer, ReportsRecursionWithoutABaseCase) {
  UnitBuilder b("f", {"n"});
  b.unit().environment["f"] = functionValue(b.unit());
  b.f().body = {b.ret(b.call("f", {b.name("n")}))};
  Program program = typeProgram(b.unit(), {int64Type()}, NoExistingSpecs());
  ASSERT_FALSE(program.ok());
  EXPECT_EQ(program.diagnostics[0].kind, DiagKind::RecursiveReturnType);
}

TEST(Typer, TypesEachCalleeSpecializationOnce) {
  UnitBuilder g("g", {"x"});
  g.f().body = {g.ret(g.binary(BinaryOp::Mul, g.name("x"), g.integer(2)))};
  UnitBuilder b("f", {"n"});
  b.unit().environment["g"] = functionValue(g.unit());
  b.f().body = {
      b.ret(b.binary(BinaryOp::Add, b.call("g", {b.name("n")}), b.call("g", {b.real(1.0)})))};
  Program program = typeProgram(b.unit(), {int64Type()}, NoExistingSpecs());
  ASSERT_TRUE(program.ok());
  ASSERT_EQ(program.functions.size(), 3u); // f(int64), g(int64), g(float64)
  EXPECT_EQ(program.functions[0]->returnType, float64Type());
}

TEST(Typer, ReportsAnUndefinedNameWithTheSignatureNote) {
  UnitBuilder b("f", {"n"});
  b.f().body = {b.ret(b.name("missing"))};
  Program program = typeProgram(b.unit(), {int64Type()}, NoExistingSpecs());
  ASSERT_EQ(program.diagnostics.size(), 1u);
  EXPECT_EQ(program.diagnostics[0].message, "name 'missing' is not defined");
  EXPECT_EQ(program.diagnostics[0].notes.back(), "while compiling f(n: int64)");
}

TEST(Typer, ReportsLoopControlOutsideALoop) {
  // CPython refuses such a function before it exists; the typer still guards trees built
  // elsewhere ("N0105").
  UnitBuilder b("f", {"n"});
  b.f().body = {b.ifThen(b.name("n"), {b.f().makeStmt<BreakStmt>(Span{0, 1})}), b.ret(b.name("n"))};
  Program program = typeProgram(b.unit(), {int64Type()}, NoExistingSpecs());
  ASSERT_EQ(program.diagnostics.size(), 1u);
  EXPECT_EQ(program.diagnostics[0].kind, DiagKind::LoopControlOutsideLoop);
  EXPECT_EQ(program.diagnostics[0].message, "'break' outside loop");
}

TEST(Typer, ACalleeThatFailsReportsOnlyItsOwnErrorsFirst) {
  // def g(x): return missing
  // def f(n): y = g(n); return y + 1
  UnitBuilder g("g", {"x"});
  g.f().body = {g.ret(g.name("missing"))};
  UnitBuilder b("f", {"n"});
  b.unit().environment["g"] = functionValue(g.unit());
  b.f().body = {b.assign("y", b.call("g", {b.name("n")})),
                b.ret(b.binary(BinaryOp::Add, b.name("y"), b.integer(1)))};
  Program program = typeProgram(b.unit(), {int64Type()}, NoExistingSpecs());
  ASSERT_EQ(program.diagnostics.size(), 1u);
  EXPECT_EQ(program.diagnostics[0].message, "name 'missing' is not defined");
  // Then where the caller calls it (the test's builder puts every node at 1:1).
  ASSERT_EQ(program.diagnostics[0].notes.size(), 2u);
  EXPECT_EQ(program.diagnostics[0].notes[0], "while compiling g(x: int64)");
  EXPECT_EQ(program.diagnostics[0].notes[1], "called from f(n: int64) at t.py:1:1");
}

TEST(Typer, ACallerKeepsItsOwnErrorsAfterAFailingCallee) {
  UnitBuilder g("g", {"x"});
  g.f().body = {g.ret(g.name("missing"))};
  UnitBuilder b("f", {"n"});
  b.unit().environment["g"] = functionValue(g.unit());
  b.f().body = {b.assign("y", b.call("g", {b.name("n")})), b.ret(b.name("absent"))};
  Program program = typeProgram(b.unit(), {int64Type()}, NoExistingSpecs());
  ASSERT_EQ(program.diagnostics.size(), 2u);
  EXPECT_EQ(program.diagnostics[0].message, "name 'missing' is not defined");
  EXPECT_EQ(program.diagnostics[1].message, "name 'absent' is not defined");
}
