// Tuple operations of issue 15: comparisons (lexicographic, as CPython's), `x in t`, `t + u`,
// `t * 2` and constant slices. Every length is known when compiling, so each is straight-line
// code over the elements.
#include "codegen/lower_impl.h"

namespace nogil::codegen {

using namespace ast;
using sema::Type;

// (a0, a1) < (b0, b1)
//   ->
//   a0 == b0 ? (a1 == b1 ? len(a) < len(b) : a1 < b1) : a0 < b0
// CPython stops at the first pair that is not equal (a NaN stops it too) and compares that.
llvm::Value *FunctionLowering::compareTuples(CompareOp op, llvm::Value *lhs, const Type *lhsType,
                                             llvm::Value *rhs, const Type *rhsType) {
  auto &b = builder_;
  const auto &left = lhsType->elements();
  const auto &right = rhsType->elements();
  size_t common = std::min(left.size(), right.size());
  auto element = [&](size_t i, CompareOp elementOp) {
    return compareValues(elementOp, b.CreateExtractValue(lhs, static_cast<unsigned>(i)), left[i],
                         b.CreateExtractValue(rhs, static_cast<unsigned>(i)), right[i]);
  };
  if (op == CompareOp::Eq || op == CompareOp::NotEq) {
    llvm::Value *equal = b.getInt1(left.size() == right.size());
    for (size_t i = 0; left.size() == right.size() && i < common; ++i)
      equal = b.CreateAnd(equal, element(i, CompareOp::Eq));
    return op == CompareOp::Eq ? equal : b.CreateNot(equal);
  }
  bool lengths = false;
  switch (op) {
  case CompareOp::Lt:
    lengths = left.size() < right.size();
    break;
  case CompareOp::LtE:
    lengths = left.size() <= right.size();
    break;
  case CompareOp::Gt:
    lengths = left.size() > right.size();
    break;
  case CompareOp::GtE:
    lengths = left.size() >= right.size();
    break;
  default:
    break;
  }
  llvm::Value *result = b.getInt1(lengths);
  for (size_t i = common; i-- > 0;)
    result = b.CreateSelect(element(i, CompareOp::Eq), result, element(i, op));
  return result;
}

llvm::Value *FunctionLowering::tupleContains(llvm::Value *value, const Type *valueType,
                                             llvm::Value *tuple, const Type *tupleType) {
  llvm::Value *found = builder_.getInt1(false);
  for (unsigned i = 0; i < tupleType->elements().size(); ++i)
    found = builder_.CreateOr(found, compareValues(CompareOp::Eq, value, valueType,
                                                   builder_.CreateExtractValue(tuple, i),
                                                   tupleType->elements()[i]));
  return found;
}

llvm::Value *FunctionLowering::tupleBinary(llvm::Value *lhs, const Type *lhsType, llvm::Value *rhs,
                                           const Type *rhsType, const Type *result) {
  llvm::Value *built = llvm::UndefValue::get(module_.typeOf(result));
  auto length = static_cast<unsigned>(result->elements().size());
  if (lhsType->isTuple() && rhsType->isTuple()) { // t + u
    auto split = static_cast<unsigned>(lhsType->elements().size());
    for (unsigned i = 0; i < length; ++i)
      built = builder_.CreateInsertValue(built,
                                         i < split ? builder_.CreateExtractValue(lhs, i)
                                                   : builder_.CreateExtractValue(rhs, i - split),
                                         i);
    return built;
  }
  // t * n, n * t: the count was a constant, and the result's length says it.
  llvm::Value *tuple = lhsType->isTuple() ? lhs : rhs;
  auto period = static_cast<unsigned>((lhsType->isTuple() ? lhsType : rhsType)->elements().size());
  for (unsigned i = 0; i < length; ++i)
    built = builder_.CreateInsertValue(built, builder_.CreateExtractValue(tuple, i % period), i);
  return built;
}

// t.index(x)
//   ->
//   x == t[0] ? 0 : x == t[1] ? 1 : ... : raise ValueError
llvm::Value *FunctionLowering::lowerTupleSearch(const CallExpr *call, bool index) {
  auto *method = cast<AttributeExpr>(call->callee);
  const Type *tupleType = typed_.typeOf(method->value);
  llvm::Value *tuple = lowerExpr(method->value);
  const Type *valueType = typed_.typeOf(call->args[0]);
  llvm::Value *value = lowerExpr(call->args[0]);
  auto &b = builder_;
  const auto &elements = tupleType->elements();
  llvm::Value *result = b.getInt64(index ? -1 : 0);
  for (size_t k = elements.size(); k-- > 0;) {
    llvm::Value *equal =
        compareValues(CompareOp::Eq, value, valueType,
                      b.CreateExtractValue(tuple, static_cast<unsigned>(k)), elements[k]);
    result = index ? b.CreateSelect(equal, b.getInt64(static_cast<int64_t>(k)), result)
                   : b.CreateAdd(result, b.CreateZExt(equal, b.getInt64Ty()));
  }
  if (index)
    raiseIf(b.CreateICmpSLT(result, b.getInt64(0)), NOGIL_ERROR_VALUE,
            "tuple.index(x): x not in tuple", call->span);
  return result;
}

llvm::Value *FunctionLowering::lowerTupleSlice(const SubscriptExpr *subscript,
                                               const std::vector<uint32_t> &positions) {
  llvm::Value *tuple = lowerExpr(subscript->value);
  llvm::Value *built = llvm::UndefValue::get(module_.typeOf(typed_.typeOf(subscript)));
  for (unsigned i = 0; i < positions.size(); ++i)
    built = builder_.CreateInsertValue(built, builder_.CreateExtractValue(tuple, positions[i]), i);
  return built;
}

} // namespace nogil::codegen
