// type(x), isinstance(x, cls) and hasattr(x, 'name'): questions about a value's type, which
// compiled code knows when compiling. type(x) of a scalar is its type as a value (a dtype,
// so `type(x)(0.5)` converts to it and `type(x) is float` is decided); isinstance() and
// hasattr() are constants, so an `if` on them compiles only the branch taken, as Numba's do.
#include "sema/typer_impl.h"

#include <algorithm>

namespace nogil::sema {

using namespace ast;

namespace {

/// Whether a value of type `value` is an instance of the class `cls` names, as CPython and
/// NumPy answer: bool is an int; np.float64 is a float and np.complex128 a complex, the
/// other sized NumPy scalars are not. Python's int and float are int64 and float64 here, so
/// they are also np.int64 and np.float64. Empty when `cls` is no class compiled code knows.
std::optional<bool> instanceOf(const Type *value, Builtin cls) {
  bool scalar = value->isNumeric() || value->isComplex() || value->isTimeType();
  switch (cls) {
  case Builtin::Int:
    return value == int64Type() || value == boolType();
  case Builtin::Float:
    return value == float64Type();
  case Builtin::Complex:
    return value == complex128Type();
  case Builtin::Bool:
  case Builtin::NpBool:
    return value == boolType();
  case Builtin::NpNdarray:
    return value->isArray();
  case Builtin::NpGeneric:
    return scalar;
  case Builtin::NpNumber:
    return value->isInteger() || value->isFloat() || value->isComplex();
  case Builtin::NpInteger:
    return value->isInteger();
  case Builtin::NpSignedInteger:
    return value->isSigned();
  case Builtin::NpUnsignedInteger:
    return value->isUnsigned();
  case Builtin::NpInexact:
    return value->isFloat() || value->isComplex();
  case Builtin::NpFloating:
    return value->isFloat();
  case Builtin::NpComplexFloating:
    return value->isComplex();
  default:
    if (const Type *exact = numpyScalarType(cls)) // np.float32, np.int64, np.complex64...
      return value == exact;
    return std::nullopt;
  }
}

/// Attributes compiled code reads on a value of type `owner` (methods included), for
/// hasattr(): what typeAttribute and the method calls accept.
bool hasAttribute(const Type *owner, const std::string &name) {
  if (owner->isRecord())
    return owner->field(name) != nullptr;
  if (owner->isDTypeValue()) {
    static const char *const names[] = {"type", "name", "str", "kind", "char", "itemsize"};
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
  }
  if (owner->isArray()) {
    static const char *const names[] = {
        "ndim",    "size",   "shape", "T",       "dtype",    "itemsize",  "nbytes",   "strides",
        "real",    "imag",   "flags", "flat",    "sum",      "min",       "max",      "mean",
        "argmin",  "argmax", "dot",   "copy",    "reshape",  "transpose", "fill",     "ravel",
        "flatten", "astype", "view",  "squeeze", "swapaxes", "item",      "cumsum",   "prod",
        "all",     "any",    "sort",  "argsort", "nonzero",  "conj",      "conjugate"};
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
  }
  if (owner->isNumeric() || owner->isComplex())
    return name == "real" || name == "imag" || name == "dtype" || name == "view" ||
           name == "conjugate" || name == "item";
  return false;
}

} // namespace

std::optional<bool> FunctionTyper::isInstanceOfClass(const Type *value, const Expr *cls) {
  if (auto *tuple = dynCast<TupleExpr>(cls)) { // isinstance(x, (int, float))
    bool any = false;
    for (const Expr *element : tuple->elements) {
      auto each = isInstanceOfClass(value, element);
      if (!each)
        return std::nullopt;
      any |= *each;
    }
    return any;
  }
  const GlobalValue *global = globalOf(cls);
  if (auto builtin = builtinCallee(cls)) {
    if (auto answer = instanceOf(value, *builtin))
      return answer;
  } else if (global && global->kind != GlobalValue::Kind::Constant) {
    // a class compiled code has no values of (str, list, a user's class): reported below
  } else if (const Type *type = typeExpr(cls); type->isDTypeValue()) {
    // A dtype held by a variable or a constant (`T = type(x)`, `a.dtype.type`): that type.
    return value == type->dtype();
  } else if (type->isUnknown()) {
    return std::nullopt; // reported
  }
  report(DiagKind::UnsupportedConstruct, cls->span,
         {"isinstance() with the class '" + sourceText(cls->span) + "' is"});
  return std::nullopt;
}

const Type *FunctionTyper::typeTypeQuery(const CallExpr *call, Builtin builtin) {
  size_t expected = builtin == Builtin::Type ? 1 : 2;
  if (!call->keywordNames.empty() || call->args.size() != expected) {
    size_t given = call->args.size() + call->keywordNames.size();
    report(DiagKind::CallArity, call->span,
           {builtinName(builtin), expected == 1 ? "1 argument" : "2 arguments",
            std::to_string(given) + (given == 1 ? " was" : " were")});
    return record(call, unknownType());
  }
  const Type *value = typeExpr(call->args[0]); // None too: isinstance(None, int) is False
  if (value->isUnknown())
    return record(call, unknownType());
  if (builtin == Builtin::Type) {
    if (value->isNumeric() || value->isComplex() || value->isTimeType())
      return record(call, dtypeValueType(value));
    report(DiagKind::UnsupportedConstruct, call->span,
           {std::string("type() of ") + (value->isNone() ? "None" : value->name()) +
            " (only of a number) is"});
    return record(call, unknownType());
  }
  if (builtin == Builtin::HasAttr) {
    const Type *name = typeExpr(call->args[1]); // 'shape', or a name holding it
    if (name->isUnknown())
      return record(call, unknownType());
    if (!name->isStringLiteral()) {
      report(DiagKind::UnsupportedConstruct, call->args[1]->span,
             {"hasattr() with a name that is not a string constant is"});
      return record(call, unknownType());
    }
    out_->constantComparisons[call->id] = hasAttribute(value, name->literal());
    return record(call, boolType());
  }
  auto answer = isInstanceOfClass(value->isOptional() ? value->dtype() : value, call->args[1]);
  if (!answer)
    return record(call, unknownType());
  if (value->isOptional() && *answer) { // an instance unless None: its flag, read when running
    out_->builtinCalls[call->id] = builtin;
    return record(call, boolType());
  }
  out_->constantComparisons[call->id] = *answer;
  return record(call, boolType());
}

bool isClassBuiltin(Builtin builtin) {
  return builtin >= Builtin::NpNdarray && builtin <= Builtin::NpComplexFloating;
}

} // namespace nogil::sema
