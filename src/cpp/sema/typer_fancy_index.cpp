// Typing of subscripts with an array index: boolean masks (`a[a > 0]`, `a[m] = 0`) and
// integer arrays along one axis (`a[idx]`, `a[:, idx]`, `a[i, idx] = v`). They are calls to
// the library layer's `__getitem__` and `__setitem__` of arrays (src/nogil/lib/indexing.py),
// chosen by the index types as any overload; the core keeps basic indexing. `x in a` is
// the library's `__contains__` likewise.
#include "sema/typer_impl.h"

#include <algorithm>
#include <utility>

namespace nogil::sema {

using namespace ast;

namespace {

std::vector<const Expr *> indicesOf(const SubscriptExpr *subscript) {
  if (auto *tuple = dynCast<TupleExpr>(subscript->index))
    return {tuple->elements.begin(), tuple->elements.end()};
  return {subscript->index};
}

/// A typing function's refusal without the "TypeError: " its class adds.
std::string withoutClass(const std::string &refusal) {
  const std::string prefix = "TypeError: ";
  return refusal.rfind(prefix, 0) == 0 ? refusal.substr(prefix.size()) : refusal;
}

bool isWholeSlice(const Expr *index) {
  auto *slice = dynCast<SliceExpr>(index);
  return slice && !slice->lower && !slice->upper && !slice->step;
}

} // namespace

bool FunctionTyper::hasArrayIndex(const SubscriptExpr *subscript) {
  // A look ahead: the subscript's typing proper types the indices again and reports.
  std::vector<ast::Diagnostic> *reporting = std::exchange(diagnostics_, nullptr);
  bool found = false;
  for (const Expr *index : indicesOf(subscript)) {
    if (isa<SliceExpr>(index) || isa<EllipsisLiteralExpr>(index) || isNewAxis(index))
      continue;
    found = found || typeValue(index)->isArray();
  }
  diagnostics_ = reporting;
  return found;
}

const Type *FunctionTyper::typeIndexCall(const SubscriptExpr *subscript, const Type *array,
                                         const Type *value, const char *method) {
  std::vector<const Expr *> args{subscript->value};
  const Expr *ellipsis = nullptr;
  size_t ellipsisAt = 0;
  int64_t axesTaken = 0; // by the indices other than `...`: a k-d boolean array takes k
  for (const Expr *index : indicesOf(subscript)) {
    if (isWholeSlice(index)) {
      record(index, noneType());
      args.push_back(nullptr);
      ++axesTaken;
      continue;
    }
    if (isa<EllipsisLiteralExpr>(index) && !ellipsis) {
      record(index, noneType());
      ellipsis = index;
      ellipsisAt = args.size();
      continue;
    }
    if (isa<SliceExpr>(index) || isa<EllipsisLiteralExpr>(index) || isNewAxis(index)) {
      report(DiagKind::UnsupportedConstruct, index->span,
             {"a slice other than ':', a second '...' or a new axis next to an array index is"});
      return record(subscript, unknownType());
    }
    const Type *type = typeValue(index);
    axesTaken += type->isArray() && type->dtype()->kind() == TypeKind::Bool ? type->ndim() : 1;
    args.push_back(index);
  }
  if (ellipsis) // `...` stands for as many whole slices as the other indices leave
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(ellipsisAt),
                static_cast<size_t>(std::max<int64_t>(0, array->ndim() - axesTaken)), nullptr);
  return typeLibraryIndexCall(subscript, array, args,
                              method  ? method
                              : value ? "__setitem__"
                                      : "__getitem__",
                              value);
}

const Expr *FunctionTyper::flatIteratorOwner(const SubscriptExpr *subscript) {
  auto *attribute = dynCast<AttributeExpr>(subscript->value);
  if (!attribute || attribute->attr != "flat" || moduleOf(attribute->value))
    return nullptr;
  std::vector<ast::Diagnostic> *reporting = std::exchange(diagnostics_, nullptr);
  const Type *owner = typeExpr(attribute->value);
  const Type *index = isa<SliceExpr>(subscript->index) || isa<TupleExpr>(subscript->index)
                          ? unknownType()
                          : typeValue(subscript->index);
  diagnostics_ = reporting;
  // NumPy's flatiter rules (its messages, values repeated) and no copy of a strided array:
  // the library's; slices index the C-order elements `a.flat` is typed as.
  bool integers =
      index->isInteger() || (index->isArray() && index->ndim() == 1 && index->dtype()->isInteger());
  return owner->isArray() && owner->ndim() >= 1 && integers ? attribute->value : nullptr;
}

const Type *FunctionTyper::typeFlatIndexCall(const SubscriptExpr *subscript, const Expr *owner,
                                             const Type *value, const char *method) {
  const Type *array = typeValue(owner);
  record(subscript->value, noneType());
  if (!method)
    method = value ? "__flat_setitem__" : "__flat_getitem__";
  return typeLibraryIndexCall(subscript, array, {owner, subscript->index}, method, value);
}

const Type *FunctionTyper::typeLibraryIndexCall(const SubscriptExpr *subscript, const Type *array,
                                                const std::vector<const Expr *> &args,
                                                const char *method, const Type *value) {
  OverloadRequest request;
  request.method = method;
  for (const Expr *arg : args) {
    const Type *type = arg == args[0] ? array : arg ? typeValue(arg) : noneType();
    if (type->isUnknown())
      return record(subscript, unknownType());
    request.args.push_back(type);
  }
  if (value)
    request.args.push_back(value);
  OverloadChoice choice = resolveOverload(request);
  if (!choice.unit) {
    std::string types;
    for (size_t i = 1; i < request.args.size() - (value ? 1 : 0); ++i)
      types += std::string(types.empty() ? "" : ", ") + request.args[i]->name();
    std::string what = (value ? "storing " + std::string(request.args.back()->name()) + " into "
                              : std::string("indexing ")) +
                       array->name() + " with [" + types + "]" +
                       (choice.error.empty() ? "" : " (" + withoutClass(choice.error) + ")") +
                       " is";
    report(DiagKind::UnsupportedConstruct, subscript->span, {what});
    return record(subscript, unknownType());
  }
  if (value && array->readonly()) { // said here, not inside the library's implementation
    report(DiagKind::ReadonlyStore, subscript->span, {array->name()});
    return record(subscript, unknownType());
  }
  CallTarget resolved = resolver_.resolve(*choice.unit, request.args, subscript->span);
  if (resolved.failed) { // its own errors say why
    unresolvedRecursion_ = calleeFailed_ = true;
    return record(subscript, unknownType());
  }
  out_->indexCallArgs[subscript->id] = args;
  out_->callees[subscript->id] = choice.unit;
  out_->calls[subscript->id] = resolved;
  return record(subscript, value ? noneType() : resolved.returnType);
}

const Type *FunctionTyper::typeArrayContains(const CompareExpr *compare) {
  const Type *needle = typeValue(compare->operands[0]);
  const Type *array = typeValue(compare->operands[1]);
  if (needle->isUnknown() || array->isUnknown())
    return record(compare, unknownType());
  OverloadRequest request;
  request.method = "__contains__";
  request.args = {array, needle};
  OverloadChoice choice = resolveOverload(request);
  if (!choice.unit) {
    report(DiagKind::UnsupportedOperands, compare->span,
           {spelling(compare->ops[0]), needle->name(), array->name()});
    return record(compare, unknownType());
  }
  CallTarget resolved = resolver_.resolve(*choice.unit, request.args, compare->span);
  if (resolved.failed) {
    unresolvedRecursion_ = calleeFailed_ = true;
    return record(compare, unknownType());
  }
  out_->indexCallArgs[compare->id] = {compare->operands[1], compare->operands[0]};
  out_->callees[compare->id] = choice.unit;
  out_->calls[compare->id] = resolved;
  return record(compare, boolType());
}

} // namespace nogil::sema
