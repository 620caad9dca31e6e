// Tests of None: `v is None`, `v is not None`, `v == None`, `v != None`. A value whose type
// is not optional is None exactly when its type is None, so the test is decided when
// compiling and an `if` on it compiles only the branch taken (`if out is None:` with an
// array argument costs nothing); an optional value's test reads its flag when running.
#include "sema/typer_impl.h"

namespace nogil::sema {

using namespace ast;

const Type *FunctionTyper::typeNoneTest(const CompareExpr *compare) {
  if (compare->ops.size() != 1)
    return nullptr;
  CompareOp op = compare->ops[0];
  bool identity = op == CompareOp::Is || op == CompareOp::IsNot;
  bool equality = op == CompareOp::Eq || op == CompareOp::NotEq;
  if (!identity && !equality)
    return nullptr;
  const Type *lhs = typeExpr(compare->operands[0]);
  const Type *rhs = typeExpr(compare->operands[1]);
  if (lhs->isUnknown() || rhs->isUnknown())
    return identity ? record(compare, unknownType()) : nullptr;
  if (!lhs->isNone() && !rhs->isNone())
    return nullptr;
  const Type *other = lhs->isNone() ? rhs : lhs;
  if (other->isOptional()) // read when running (lowerNoneTest)
    return record(compare, boolType());
  if (equality && other->isArray()) // NumPy compares each element with None
    return nullptr;
  bool same = other->isNone();
  out_->constantComparisons[compare->id] = same == (op == CompareOp::Is || op == CompareOp::Eq);
  return record(compare, boolType());
}

} // namespace nogil::sema
