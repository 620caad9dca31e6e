// Tuple operations of issue 15: `t + u`, `t * 2`, `t[1:3]`, comparisons and `x in t`. A
// tuple's length is part of its type, so every length these produce is decided when
// compiling: repeat counts and slice bounds are constants, as in Numba.
#include "sema/typer_impl.h"

#include <algorithm>

namespace nogil::sema {

using namespace ast;

namespace {

/// Longest tuple a repetition or concatenation builds: each element is one LLVM value.
constexpr int64_t kLongestBuiltTuple = 1024;

/// Python's slice.indices(length) for constant bounds: the positions the slice picks.
std::vector<uint32_t> slicePositions(std::optional<int64_t> lower, std::optional<int64_t> upper,
                                     int64_t step, int64_t length) {
  auto clamp = [&](std::optional<int64_t> bound, int64_t fallback) {
    if (!bound)
      return fallback;
    int64_t value = *bound < 0 ? *bound + length : *bound;
    if (step > 0)
      return std::clamp<int64_t>(value, 0, length);
    return std::clamp<int64_t>(value, -1, length - 1);
  };
  int64_t start = clamp(lower, step > 0 ? 0 : length - 1);
  int64_t stop = clamp(upper, step > 0 ? length : -1);
  std::vector<uint32_t> positions;
  for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
    positions.push_back(static_cast<uint32_t>(i));
  return positions;
}

} // namespace

bool tuplesCompare(CompareOp op, const Type *lhs, const Type *rhs) {
  bool equality = op == CompareOp::Eq || op == CompareOp::NotEq;
  if (lhs->isTuple() != rhs->isTuple())
    return false;
  if (!lhs->isTuple()) {
    if (lhs->isComplex() || rhs->isComplex())
      return equality && (lhs->isNumeric() || lhs->isComplex()) &&
             (rhs->isNumeric() || rhs->isComplex());
    return lhs->isNumeric() && rhs->isNumeric();
  }
  size_t common = std::min(lhs->elements().size(), rhs->elements().size());
  for (size_t i = 0; i < common; ++i) {
    // An ordering stops at the first unequal pair, which may be any of them.
    if (!tuplesCompare(CompareOp::Eq, lhs->elements()[i], rhs->elements()[i]) ||
        !tuplesCompare(op, lhs->elements()[i], rhs->elements()[i]))
      return false;
  }
  return true;
}

const Type *FunctionTyper::typeTupleBinary(BinaryOp op, const Type *lhs, const Type *rhs,
                                           const Expr *lhsExpr, const Expr *rhsExpr, Span span) {
  std::vector<const Type *> elements;
  if (op == BinaryOp::Add && lhs->isTuple() && rhs->isTuple()) {
    elements = lhs->elements();
    elements.insert(elements.end(), rhs->elements().begin(), rhs->elements().end());
  } else if (op == BinaryOp::Mul && (lhs->isTuple() != rhs->isTuple())) {
    const Type *tuple = lhs->isTuple() ? lhs : rhs;
    const Type *count = lhs->isTuple() ? rhs : lhs;
    const Expr *countExpr = lhs->isTuple() ? rhsExpr : lhsExpr;
    if (!count->isIntegral()) {
      report(DiagKind::UnsupportedOperands, span, {"*", lhs->name(), rhs->name()});
      return unknownType();
    }
    std::optional<int64_t> times = constantInt(countExpr);
    if (!times) {
      report(DiagKind::TupleRepeatCount, countExpr->span, {tuple->name()});
      return unknownType();
    }
    auto length = static_cast<int64_t>(tuple->elements().size());
    if (*times > 0 && length > 0 && *times > kLongestBuiltTuple / length) {
      report(DiagKind::TupleTooLong, span, {std::to_string(kLongestBuiltTuple)});
      return unknownType();
    }
    for (int64_t k = 0; k < *times; ++k)
      elements.insert(elements.end(), tuple->elements().begin(), tuple->elements().end());
  } else {
    report(DiagKind::UnsupportedOperands, span, {spelling(op), lhs->name(), rhs->name()});
    return unknownType();
  }
  if (static_cast<int64_t>(elements.size()) > kLongestBuiltTuple) {
    report(DiagKind::TupleTooLong, span, {std::to_string(kLongestBuiltTuple)});
    return unknownType();
  }
  return tupleType(elements);
}

const Type *FunctionTyper::typeTupleSearch(const CallExpr *call, const AttributeExpr *method,
                                           const Type *tuple) {
  bool index = method->attr == "index";
  if (!index && method->attr != "count") {
    report(DiagKind::UnsupportedConstruct, method->span,
           {"the tuple method '" + method->attr + "' is"});
    return record(call, unknownType());
  }
  if (call->args.size() != 1 || !call->keywordNames.empty()) {
    report(DiagKind::CallArity, call->span,
           {"tuple." + method->attr, "1 argument",
            std::to_string(call->args.size() + call->keywordNames.size()) + " were"});
    return record(call, unknownType());
  }
  const Type *value = typeValue(call->args[0]);
  if (value->isUnknown())
    return record(call, unknownType());
  for (const Type *element : tuple->elements())
    if (!tuplesCompare(CompareOp::Eq, value, element)) {
      report(DiagKind::UnsupportedOperands, call->span, {"==", value->name(), element->name()});
      return record(call, unknownType());
    }
  out_->tupleSearches[call->id] = index;
  return record(call, int64Type());
}

const Type *FunctionTyper::typeTupleSlice(const SubscriptExpr *subscript, const Type *tuple) {
  auto *slice = cast<SliceExpr>(subscript->index);
  record(slice, noneType());
  std::optional<int64_t> bounds[3];
  const Expr *parts[3] = {slice->lower, slice->upper, slice->step};
  for (int k = 0; k < 3; ++k) {
    if (!parts[k] || isa<NoneLiteralExpr>(parts[k])) {
      if (parts[k])
        record(parts[k], noneType());
      continue;
    }
    const Type *type = typeValue(parts[k]);
    bounds[k] = constantInt(parts[k]);
    if (!type->isUnknown() && !bounds[k]) {
      report(DiagKind::TupleSliceBounds, parts[k]->span, {tuple->name()});
      return record(subscript, unknownType());
    }
  }
  int64_t step = bounds[2].value_or(1);
  if (step == 0) {
    report(DiagKind::TupleSliceStep, slice->step->span, {});
    return record(subscript, unknownType());
  }
  std::vector<uint32_t> positions =
      slicePositions(bounds[0], bounds[1], step, static_cast<int64_t>(tuple->elements().size()));
  std::vector<const Type *> elements;
  for (uint32_t position : positions)
    elements.push_back(tuple->elements()[position]);
  out_->tupleSlices[subscript->id] = std::move(positions);
  return record(subscript, tupleType(elements));
}

} // namespace nogil::sema
