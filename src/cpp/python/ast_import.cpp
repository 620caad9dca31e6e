// CPython ast -> C++ AST, one function per node class.
#include "python/ast_import.h"
#include "jit/compiler_stack.h"
#include "python/py_values.h"

#include <cstring>
#include <string_view>
#include <unordered_map>

namespace nb = nanobind;

namespace nogil::python {

using namespace ast;

namespace {

/// How each Python construct outside the language is named in "... not supported".
const std::unordered_map<std::string_view, const char *> &unsupportedNames() {
  static const std::unordered_map<std::string_view, const char *> names = {
      {"ListComp", "list comprehensions are"},
      {"SetComp", "set comprehensions are"},
      {"DictComp", "dict comprehensions are"},
      {"GeneratorExp",
       "generator expressions, except as the argument of sum(), min(), max(), any() or all(), "
       "are"},
      {"Lambda", "lambda expressions are"},
      {"List", "lists are"},
      {"Dict", "dicts are"},
      {"Set", "sets are"},
      {"Starred", "starred expressions are"},
      {"Await", "'await' expressions are"},
      {"Yield", "'yield', except in a generator that a for loop of compiled code consumes, is"},
      {"YieldFrom", "'yield from' expressions are"},
      {"NamedExpr", "assignment expressions (:=) are"},
      {"FunctionDef", "nested function definitions are"},
      {"AsyncFunctionDef", "nested function definitions are"},
      {"ClassDef", "class definitions are"},
      {"Delete", "'del' statements are"},
      {"With", "'with' statements are"},
      {"AsyncWith", "'async with' statements are"},
      {"AsyncFor", "'async for' loops are"},
      {"TryStar", "'try ... except*' statements are"},
      {"Import", "imports inside compiled functions are"},
      {"ImportFrom", "imports inside compiled functions are"},
      {"Global", "'global' declarations are"},
      {"Nonlocal", "'nonlocal' declarations are"},
      {"Match", "'match' statements are"},
  };
  return names;
}

/// How deep statements and expressions may nest. Every stage after the import walks the
/// tree recursively, on a compiler thread's stack (jit/compiler_stack.h) that holds this
/// depth many times over; CPython's own compiler stops before it (RecursionError). Past
/// it, the node becomes an unsupported construct: a diagnostic with its place.
constexpr int kMaxNestingDepth = 100'000;
constexpr const char *kTooDeepExpressions = "expressions nested more than 100000 levels deep are";
constexpr const char *kTooDeepStatements = "statements nested more than 100000 levels deep are";

class Importer {
public:
  Importer(const SourceFile &source, FunctionAst &function) : source_(source), f_(function) {}

  void function(nb::handle node) {
    f_.name = utf8(node.attr("name"));
    f_.span = span(node);
    f_.nameSpan = nameSpan(f_.span, f_.name);
    nb::handle args = node.attr("args");
    for (nb::handle list : {args.attr("posonlyargs"), args.attr("args")})
      for (nb::handle arg : list)
        f_.params.push_back(Param{utf8(arg.attr("arg")), span(arg)});
    if (!args.attr("vararg").is_none())
      f_.unsupportedParams.push_back({"*args parameters are", span(args.attr("vararg"))});
    if (!args.attr("kwarg").is_none())
      f_.unsupportedParams.push_back({"**kwargs parameters are", span(args.attr("kwarg"))});
    for (nb::handle arg : args.attr("kwonlyargs"))
      f_.unsupportedParams.push_back({"keyword-only parameters are", span(arg)});
    for (nb::handle value : args.attr("defaults"))
      f_.defaultSpans.push_back(span(value));
    f_.body = block(node.attr("body"));
  }

private:
  /// "BinOp" for an ast.BinOp: the class's name without its module.
  static std::string_view className(nb::handle node) {
    std::string_view name(Py_TYPE(node.ptr())->tp_name);
    size_t dot = name.rfind('.');
    return dot == std::string_view::npos ? name : name.substr(dot + 1);
  }

  Span span(nb::handle node) {
    auto line = u32(node.attr("lineno"));
    auto column = u32(node.attr("col_offset"));
    uint32_t begin = source_.offsetOf(line, column);
    nb::object endLine = node.attr("end_lineno");
    nb::object endColumn = node.attr("end_col_offset");
    if (endLine.is_none() || endColumn.is_none())
      return Span{begin, begin + 1};
    return Span{begin, source_.offsetOf(u32(endLine), u32(endColumn))};
  }

  /// The function's name in `def name(`: CPython's tree gives only the statement's span.
  Span nameSpan(Span def, const std::string &name) {
    std::string_view text(source_.text());
    size_t keyword = text.find("def", def.begin);
    size_t at =
        keyword == std::string_view::npos ? std::string_view::npos : text.find(name, keyword + 3);
    if (at == std::string_view::npos || at >= def.end)
      return def;
    return Span{static_cast<uint32_t>(at), static_cast<uint32_t>(at + name.size())};
  }

  StmtList block(nb::handle list) {
    StmtList stmts;
    for (nb::handle node : list)
      if (Stmt *s = stmt(node))
        stmts.push_back(s);
    return stmts;
  }

  Stmt *unsupportedStmt(nb::handle node, const char *what) {
    auto *s = f_.makeStmt<UnsupportedStmt>(span(node));
    s->what = what;
    return s;
  }

  /// A statement, or an unsupported one past the nesting limit.
  Stmt *stmt(nb::handle node) {
    if (depth_ >= kMaxNestingDepth)
      return unsupportedStmt(node, kTooDeepStatements);
    Nested nested(depth_);
    return importStmt(node);
  }

  Stmt *importStmt(nb::handle node) {
    std::string_view kind = className(node);
    if (kind == "Return") {
      auto *s = f_.makeStmt<ReturnStmt>(span(node));
      nb::handle value = node.attr("value");
      s->value = value.is_none() ? nullptr : expr(value);
      return s;
    }
    if (kind == "Assign") {
      auto *s = f_.makeStmt<AssignStmt>(span(node));
      for (nb::handle target : node.attr("targets"))
        s->targets.push_back(assignTarget(target, true));
      s->value = expr(node.attr("value"));
      return s;
    }
    if (kind == "AnnAssign") {
      // `x: int = 1` assigns like `x = 1`; the annotation is for people.
      if (node.attr("value").is_none())
        return nullptr;
      auto *s = f_.makeStmt<AssignStmt>(span(node));
      s->targets.push_back(assignTarget(node.attr("target"), true));
      s->value = expr(node.attr("value"));
      return s;
    }
    if (kind == "AugAssign") {
      auto *s = f_.makeStmt<AugAssignStmt>(span(node));
      s->target = assignTarget(node.attr("target"), true);
      s->op = binaryOp(node.attr("op"));
      s->value = expr(node.attr("value"));
      return s;
    }
    if (kind == "If") {
      auto *s = f_.makeStmt<IfStmt>(span(node));
      s->condition = expr(node.attr("test"));
      s->body = block(node.attr("body"));
      s->orElse = block(node.attr("orelse"));
      return s;
    }
    if (kind == "While") {
      auto *s = f_.makeStmt<WhileStmt>(span(node));
      s->condition = expr(node.attr("test"));
      s->body = block(node.attr("body"));
      s->orElse = block(node.attr("orelse"));
      return s;
    }
    if (kind == "For") {
      auto *s = f_.makeStmt<ForStmt>(span(node));
      s->target = assignTarget(node.attr("target"));
      s->iterable = expr(node.attr("iter"));
      s->body = block(node.attr("body"));
      s->orElse = block(node.attr("orelse"));
      return s;
    }
    if (kind == "Break")
      return f_.makeStmt<BreakStmt>(span(node));
    if (kind == "Continue")
      return f_.makeStmt<ContinueStmt>(span(node));
    if (kind == "Pass")
      return f_.makeStmt<PassStmt>(span(node));
    if (kind == "Expr") {
      nb::handle value = node.attr("value");
      // A string on its own is a docstring or a comment: nothing to run.
      if (className(value) == "Constant" && PyUnicode_Check(value.attr("value").ptr()))
        return nullptr;
      auto *s = f_.makeStmt<ExprStmt>(span(node));
      s->value = expr(value);
      return s;
    }
    if (kind == "Raise") {
      if (!node.attr("cause").is_none())
        return unsupportedStmt(node, "'raise ... from ...' is");
      auto *s = f_.makeStmt<RaiseStmt>(span(node));
      nb::handle exception = node.attr("exc");
      s->exception = exception.is_none() ? nullptr : expr(exception);
      return s;
    }
    if (kind == "Try") {
      auto *s = f_.makeStmt<TryStmt>(span(node));
      s->body = block(node.attr("body"));
      for (nb::handle handler : node.attr("handlers")) {
        ExceptHandler h;
        nb::handle type = handler.attr("type");
        h.type = type.is_none() ? nullptr : expr(type);
        nb::handle name = handler.attr("name");
        h.name = name.is_none() ? std::string() : utf8(name);
        h.span = span(handler);
        h.body = block(handler.attr("body"));
        s->handlers.push_back(std::move(h));
      }
      s->orElse = block(node.attr("orelse"));
      s->finalBody = block(node.attr("finalbody"));
      return s;
    }
    if (kind == "Assert") {
      auto *s = f_.makeStmt<AssertStmt>(span(node));
      s->test = expr(node.attr("test"));
      nb::handle message = node.attr("msg");
      s->message = message.is_none() ? nullptr : expr(message);
      return s;
    }
    auto named = unsupportedNames().find(kind);
    return unsupportedStmt(node,
                           named != unsupportedNames().end() ? named->second : "this statement is");
  }

  Expr *unsupportedExpr(nb::handle node, const char *what) {
    auto *e = f_.makeExpr<UnsupportedExpr>(span(node));
    e->what = what;
    return e;
  }

  /// `attributes`: whether an attribute may be the target (a record's field, `r.f = 1`).
  Expr *assignTarget(nb::handle node, bool attributes = false) {
    std::string_view kind = className(node);
    if (kind == "Name" || kind == "Subscript" || (attributes && kind == "Attribute"))
      return expr(node);
    if (kind == "Tuple" || kind == "List") { // `(c, d), e = ...`, `a[i], a[j] = ...`
      if (depth_ >= kMaxNestingDepth)
        return unsupportedExpr(node, kTooDeepExpressions);
      Nested nested(depth_);
      auto *e = f_.makeExpr<TupleExpr>(span(node));
      for (nb::handle element : node.attr("elts"))
        e->elements.push_back(assignTarget(element, attributes));
      return e;
    }
    return unsupportedExpr(node, targetName(kind));
  }

  static const char *targetName(std::string_view kind) {
    if (kind == "Subscript")
      return "subscripts";
    if (kind == "Attribute")
      return "attributes";
    if (kind == "Starred")
      return "starred targets";
    return "this expression";
  }

  /// An expression, or an unsupported one past the nesting limit.
  Expr *expr(nb::handle node) {
    if (depth_ >= kMaxNestingDepth)
      return unsupportedExpr(node, kTooDeepExpressions);
    Nested nested(depth_);
    return importExpr(node);
  }

  Expr *importExpr(nb::handle node) {
    std::string_view kind = className(node);
    if (kind == "Name") {
      auto *e = f_.makeExpr<NameExpr>(span(node));
      e->name = utf8(node.attr("id"));
      return e;
    }
    if (kind == "Constant")
      return constant(node);
    if (kind == "BinOp") {
      auto *e = f_.makeExpr<BinaryExpr>(span(node));
      e->op = binaryOp(node.attr("op"));
      e->lhs = expr(node.attr("left"));
      e->rhs = expr(node.attr("right"));
      return e;
    }
    if (kind == "UnaryOp") {
      auto *e = f_.makeExpr<UnaryExpr>(span(node));
      std::string_view op = className(node.attr("op"));
      e->op = op == "USub"   ? UnaryOp::Neg
              : op == "UAdd" ? UnaryOp::Pos
              : op == "Not"  ? UnaryOp::Not
                             : UnaryOp::Invert;
      e->operand = expr(node.attr("operand"));
      return e;
    }
    if (kind == "BoolOp") {
      auto *e = f_.makeExpr<BoolOpExpr>(span(node));
      e->op = className(node.attr("op")) == "And" ? BoolOpKind::And : BoolOpKind::Or;
      for (nb::handle value : node.attr("values"))
        e->values.push_back(expr(value));
      return e;
    }
    if (kind == "Compare") {
      auto *e = f_.makeExpr<CompareExpr>(span(node));
      e->operands.push_back(expr(node.attr("left")));
      for (nb::handle op : node.attr("ops"))
        e->ops.push_back(compareOp(op));
      for (nb::handle value : node.attr("comparators"))
        e->operands.push_back(expr(value));
      return e;
    }
    if (kind == "Call")
      return call(node);
    if (kind == "IfExp") {
      auto *e = f_.makeExpr<IfElseExpr>(span(node));
      e->condition = expr(node.attr("test"));
      e->thenValue = expr(node.attr("body"));
      e->elseValue = expr(node.attr("orelse"));
      return e;
    }
    if (kind == "Tuple") {
      auto *e = f_.makeExpr<TupleExpr>(span(node));
      for (nb::handle element : node.attr("elts"))
        e->elements.push_back(expr(element));
      return e;
    }
    if (kind == "JoinedStr")
      return formattedString(node);
    if (kind == "Slice") {
      auto *e = f_.makeExpr<SliceExpr>(span(node));
      auto part = [&](const char *name) -> Expr * {
        nb::handle value = node.attr(name);
        return value.is_none() ? nullptr : expr(value);
      };
      e->lower = part("lower");
      e->upper = part("upper");
      e->step = part("step");
      return e;
    }
    if (kind == "Subscript") {
      nb::handle index = node.attr("slice");
      auto *e = f_.makeExpr<SubscriptExpr>(span(node));
      e->value = expr(node.attr("value"));
      e->index = expr(index);
      return e;
    }
    if (kind == "Attribute") {
      auto *e = f_.makeExpr<AttributeExpr>(span(node));
      e->value = expr(node.attr("value"));
      e->attr = utf8(node.attr("attr"));
      return e;
    }
    auto named = unsupportedNames().find(kind);
    return unsupportedExpr(node, named != unsupportedNames().end() ? named->second
                                                                   : "this expression is");
  }

  Expr *formattedString(nb::handle node) {
    auto *e = f_.makeExpr<FormattedStringExpr>(span(node));
    for (nb::handle part : node.attr("values")) {
      if (className(part) != "FormattedValue") {
        e->parts.push_back(expr(part));
        continue;
      }
      // For the numbers compiled code formats, str(), repr() and ascii() agree.
      // The whole f-string is underlined: before 3.12 (PEP 701) a format spec's node has the
      // f-string's position, so this is the span every supported version gives alike.
      if (!part.attr("format_spec").is_none())
        return unsupportedExpr(node, "format specifications in f-strings are");
      e->parts.push_back(expr(part.attr("value")));
    }
    return e;
  }

  Expr *constant(nb::handle node) {
    PyObject *value = node.attr("value").ptr();
    if (PyBool_Check(value)) {
      auto *e = f_.makeExpr<BoolLiteralExpr>(span(node));
      e->value = value == Py_True;
      return e;
    }
    if (PyLong_Check(value)) {
      int overflow = 0;
      long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
      if (overflow)
        return unsupportedExpr(node, "integer literals beyond the int64 range are");
      auto *e = f_.makeExpr<IntLiteralExpr>(span(node));
      e->value = v;
      return e;
    }
    if (PyFloat_Check(value)) {
      auto *e = f_.makeExpr<FloatLiteralExpr>(span(node));
      e->value = PyFloat_AS_DOUBLE(value);
      return e;
    }
    if (value == Py_None)
      return f_.makeExpr<NoneLiteralExpr>(span(node));
    if (value == Py_Ellipsis)
      return f_.makeExpr<EllipsisLiteralExpr>(span(node));
    if (PyUnicode_Check(value)) {
      auto *e = f_.makeExpr<StringLiteralExpr>(span(node));
      e->value = utf8(node.attr("value"));
      return e;
    }
    if (PyBytes_Check(value))
      return unsupportedExpr(node, "bytes are");
    if (PyComplex_Check(value)) {
      auto *e = f_.makeExpr<ComplexLiteralExpr>(span(node));
      e->real = PyComplex_RealAsDouble(value);
      e->imag = PyComplex_ImagAsDouble(value);
      return e;
    }
    return unsupportedExpr(node, "this constant is");
  }

  Expr *call(nb::handle node) {
    for (nb::handle keyword : node.attr("keywords"))
      if (keyword.attr("arg").is_none())
        return unsupportedExpr(keyword, "'**' arguments are");
    auto *e = f_.makeExpr<CallExpr>(span(node));
    for (nb::handle keyword : node.attr("keywords")) {
      e->keywordNames.push_back(utf8(keyword.attr("arg")));
      e->keywordValues.push_back(expr(keyword.attr("value")));
      e->keywordSpans.push_back(span(keyword));
    }
    e->callee = expr(node.attr("func"));
    for (nb::handle arg : node.attr("args"))
      e->args.push_back(className(arg) == "Starred" ? unsupportedExpr(arg, "starred arguments are")
                                                    : expr(arg));
    return e;
  }

  static BinaryOp binaryOp(nb::handle op) {
    static const std::unordered_map<std::string_view, BinaryOp> ops = {
        {"Add", BinaryOp::Add},           {"Sub", BinaryOp::Sub},
        {"Mult", BinaryOp::Mul},          {"Div", BinaryOp::Div},
        {"FloorDiv", BinaryOp::FloorDiv}, {"Mod", BinaryOp::Mod},
        {"Pow", BinaryOp::Pow},           {"LShift", BinaryOp::LShift},
        {"RShift", BinaryOp::RShift},     {"BitOr", BinaryOp::BitOr},
        {"BitXor", BinaryOp::BitXor},     {"BitAnd", BinaryOp::BitAnd},
        {"MatMult", BinaryOp::MatMul}};
    return ops.at(className(op));
  }

  static CompareOp compareOp(nb::handle op) {
    static const std::unordered_map<std::string_view, CompareOp> ops = {
        {"Lt", CompareOp::Lt},      {"LtE", CompareOp::LtE},     {"Gt", CompareOp::Gt},
        {"GtE", CompareOp::GtE},    {"Eq", CompareOp::Eq},       {"NotEq", CompareOp::NotEq},
        {"Is", CompareOp::Is},      {"IsNot", CompareOp::IsNot}, {"In", CompareOp::In},
        {"NotIn", CompareOp::NotIn}};
    return ops.at(className(op));
  }

  /// One more level of nesting while it lives.
  struct Nested {
    explicit Nested(int &counter) : counter(counter) { ++counter; }
    ~Nested() { --counter; }
    int &counter;
  };

  const SourceFile &source_;
  FunctionAst &f_;
  int depth_ = 0; ///< statements and expressions enclosing the node being imported
};

} // namespace

std::unique_ptr<FunctionAst> importFunction(nb::handle functionDef, const SourceFile &source) {
  auto function = std::make_unique<FunctionAst>();
  // The import recurses as deep as the source nests: on a compiler thread's stack, which
  // takes the GIL while this thread waits without it.
  PyObject *failure[3] = {};
  PyThreadState *saved = PyEval_SaveThread();
  jit::runOnCompilerStack([&] {
    PyGILState_STATE gil = PyGILState_Ensure();
    try {
      Importer(source, *function).function(functionDef);
    } catch (nb::python_error &error) {
      error.restore();
    } catch (std::exception &error) {
      PyErr_SetString(PyExc_RuntimeError, error.what());
    }
    if (PyErr_Occurred())
      PyErr_Fetch(&failure[0], &failure[1], &failure[2]);
    PyGILState_Release(gil);
  });
  PyEval_RestoreThread(saved);
  if (failure[0]) {
    PyErr_Restore(failure[0], failure[1], failure[2]);
    throw nb::python_error();
  }
  return function;
}

} // namespace nogil::python
