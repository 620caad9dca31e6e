// Whole-array expressions (`a + 2.0 * b`, `np.sqrt(a) > c`), fused: the arrays and scalars
// at the leaves are evaluated once, then one loop nest over the broadcast shape computes
// every element of the new array from the leaves' elements, with no temporaries. Division
// by zero and overflow give inf and nan, as in NumPy.
#include "codegen/lower_impl.h"

#include <llvm/IR/Intrinsics.h>

namespace nogil::codegen {

using namespace ast;
using sema::Builtin;
using sema::Type;
using sema::TypeKind;

bool FunctionLowering::isElementwise(const Expr *expr) const {
  const Type *type = typed_.typeOf(expr);
  if (!type || !type->isArray())
    return false;
  switch (expr->kind) {
  case ExprKind::Binary: // `@` is a matrix product, not elementwise
    return cast<BinaryExpr>(expr)->op != BinaryOp::MatMul;
  case ExprKind::Unary:
  case ExprKind::Compare:
    return true;
  case ExprKind::Call: {
    auto builtin = typed_.builtinCalls.find(expr->id);
    return builtin != typed_.builtinCalls.end() && sema::isElementwiseFunction(builtin->second);
  }
  default:
    return false;
  }
}

void FunctionLowering::collectLeaves(const Expr *expr, std::vector<Leaf> &leaves) {
  if (!isElementwise(expr)) {
    const Type *type = typed_.typeOf(expr);
    Leaf leaf{expr, type, lowerExpr(expr), {}};
    if (type->isArray())
      leaf.parts = arrayParts(leaf.value, type);
    leaves.push_back(leaf);
    return;
  }
  if (auto *binary = dynCast<BinaryExpr>(expr)) {
    collectLeaves(binary->lhs, leaves);
    collectLeaves(binary->rhs, leaves);
  } else if (auto *unary = dynCast<UnaryExpr>(expr)) {
    collectLeaves(unary->operand, leaves);
  } else if (auto *compare = dynCast<CompareExpr>(expr)) {
    collectLeaves(compare->operands[0], leaves);
    collectLeaves(compare->operands[1], leaves);
  } else {
    collectLeaves(cast<CallExpr>(expr)->args[0], leaves);
  }
}

llvm::Value *FunctionLowering::elementFunction(Builtin builtin, llvm::Value *x, const Type *from,
                                               const Type *to) {
  auto &b = builder_;
  if (builtin == Builtin::NpAbs || builtin == Builtin::NpAbsolute) {
    if (to->isFloat())
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
    if (to->isUnsigned() || to->kind() == TypeKind::Bool)
      return x;
    return b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, x, b.getFalse());
  }
  if (builtin == Builtin::NpFloor)
    return to->isFloat() ? b.CreateUnaryIntrinsic(llvm::Intrinsic::floor, x) : x;
  llvm::Value *value = convert(x, from, to);
  llvm::Intrinsic::ID id = builtin == Builtin::NpSqrt  ? llvm::Intrinsic::sqrt
                           : builtin == Builtin::NpExp ? llvm::Intrinsic::exp
                           : builtin == Builtin::NpLog ? llvm::Intrinsic::log
                           : builtin == Builtin::NpSin ? llvm::Intrinsic::sin
                                                       : llvm::Intrinsic::cos;
  return b.CreateUnaryIntrinsic(id, value);
}

llvm::Value *FunctionLowering::evaluateElement(const Expr *expr, std::vector<Leaf> &leaves,
                                               size_t &next,
                                               const std::vector<llvm::Value *> &elements) {
  const Type *type = typed_.typeOf(expr);
  const Type *element = type->isArray() ? type->dtype() : type;
  if (!isElementwise(expr)) {
    size_t index = next++;
    return elements[index];
  }
  if (auto *binary = dynCast<BinaryExpr>(expr)) {
    auto [left, right] = typed_.elementOperands.at(binary->id);
    const Type *lhsType = elementTypeOf(binary->lhs);
    llvm::Value *lhs = convert(evaluateElement(binary->lhs, leaves, next, elements), lhsType, left);
    const Type *rhsType = elementTypeOf(binary->rhs);
    llvm::Value *rhs =
        convert(evaluateElement(binary->rhs, leaves, next, elements), rhsType, right);
    return binaryValues(binary->op, lhs, left, rhs, right, element, binary->span);
  }
  if (auto *compare = dynCast<CompareExpr>(expr)) {
    auto [left, right] = typed_.elementOperands.at(compare->id);
    const Type *lhsType = elementTypeOf(compare->operands[0]);
    llvm::Value *lhs =
        convert(evaluateElement(compare->operands[0], leaves, next, elements), lhsType, left);
    const Type *rhsType = elementTypeOf(compare->operands[1]);
    llvm::Value *rhs =
        convert(evaluateElement(compare->operands[1], leaves, next, elements), rhsType, right);
    return compareValues(compare->ops[0], lhs, left, rhs, right);
  }
  if (auto *unary = dynCast<UnaryExpr>(expr)) {
    llvm::Value *value = evaluateElement(unary->operand, leaves, next, elements);
    switch (unary->op) {
    case UnaryOp::Neg:
      return element->isFloat() ? builder_.CreateFNeg(value) : builder_.CreateNeg(value);
    case UnaryOp::Invert:
      return builder_.CreateNot(value);
    default:
      return value;
    }
  }
  auto *call = cast<CallExpr>(expr);
  const Type *argType = elementTypeOf(call->args[0]);
  llvm::Value *value = evaluateElement(call->args[0], leaves, next, elements);
  return elementFunction(typed_.builtinCalls.at(call->id), value, argType, element);
}

const Type *FunctionLowering::elementTypeOf(const Expr *expr) const {
  const Type *type = typed_.typeOf(expr);
  return type->isArray() ? type->dtype() : type;
}

llvm::Value *FunctionLowering::lowerElementwise(const Expr *root) {
  auto &b = builder_;
  std::vector<Leaf> leaves;
  collectLeaves(root, leaves);
  const Type *result = typed_.typeOf(root);
  unsigned ndim = result->ndim();
  // The broadcast shape, aligned from the right: each dimension is the leaves' common size,
  // a size of 1 stretching to it.
  std::vector<llvm::Value *> shape(ndim, b.getInt64(1));
  for (const Leaf &leaf : leaves) {
    if (!leaf.type->isArray())
      continue;
    unsigned offset = ndim - leaf.type->ndim();
    for (unsigned d = 0; d < leaf.type->ndim(); ++d) {
      llvm::Value *&size = shape[offset + d];
      size = b.CreateSelect(b.CreateICmpEQ(size, b.getInt64(1)), leaf.parts.shape[d], size);
    }
  }
  llvm::Value *compatible = b.getTrue();
  std::vector<std::vector<llvm::Value *>> strides(leaves.size());
  for (size_t l = 0; l < leaves.size(); ++l) {
    const Leaf &leaf = leaves[l];
    if (!leaf.type->isArray())
      continue;
    unsigned offset = ndim - leaf.type->ndim();
    strides[l].assign(ndim, b.getInt64(0));
    for (unsigned d = 0; d < leaf.type->ndim(); ++d) {
      llvm::Value *extent = leaf.parts.shape[d];
      llvm::Value *stretched = b.CreateICmpEQ(extent, b.getInt64(1));
      compatible =
          b.CreateAnd(compatible, b.CreateOr(stretched, b.CreateICmpEQ(extent, shape[offset + d])));
      strides[l][offset + d] = b.CreateSelect(stretched, b.getInt64(0), leaf.parts.strides[d]);
    }
  }
  raiseIf(b.CreateNot(compatible), NOGIL_ERROR_VALUE, "operands could not be broadcast together",
          root->span);
  llvm::Value *out = newArray(result, shape, root->span);
  ArrayParts target = arrayParts(out, result);

  // One counted loop per dimension; the innermost computes one element.
  std::vector<llvm::AllocaInst *> counters;
  std::vector<llvm::BasicBlock *> latches;
  std::vector<llvm::BasicBlock *> exits;
  llvm::AllocaInst *flat = entryAlloca(b.getInt64Ty(), "elementwise.flat");
  b.CreateStore(b.getInt64(0), flat);
  for (unsigned d = 0; d < ndim; ++d) {
    llvm::AllocaInst *counter = entryAlloca(b.getInt64Ty(), "elementwise.i");
    b.CreateStore(b.getInt64(0), counter);
    auto *header = newBlock("elementwise.cond");
    auto *body = newBlock("elementwise.body");
    auto *exit = newBlock("elementwise.done");
    b.CreateBr(header);
    b.SetInsertPoint(header);
    b.CreateCondBr(b.CreateICmpSLT(b.CreateLoad(b.getInt64Ty(), counter), shape[d]), body, exit);
    b.SetInsertPoint(body);
    counters.push_back(counter);
    latches.push_back(header);
    exits.push_back(exit);
  }
  std::vector<llvm::Value *> elements;
  for (size_t l = 0; l < leaves.size(); ++l) {
    const Leaf &leaf = leaves[l];
    if (!leaf.type->isArray()) {
      elements.push_back(leaf.value);
      continue;
    }
    llvm::Value *offset = b.getInt64(0);
    for (unsigned d = 0; d < ndim; ++d)
      offset = b.CreateAdd(offset,
                           b.CreateMul(b.CreateLoad(b.getInt64Ty(), counters[d]), strides[l][d]));
    llvm::Value *address = b.CreateGEP(b.getInt8Ty(), leaf.parts.data, offset);
    elements.push_back(loadElement({leaf.type, address, nullptr}));
  }
  bool wasElementwise = inElementwise_;
  inElementwise_ = true;
  size_t next = 0;
  llvm::Value *value = evaluateElement(root, leaves, next, elements);
  inElementwise_ = wasElementwise;
  llvm::Value *index = b.CreateLoad(b.getInt64Ty(), flat);
  const Type *dtype = result->dtype();
  llvm::Type *memoryType = dtype->kind() == TypeKind::Bool ? b.getInt8Ty() : module_.typeOf(dtype);
  if (dtype->kind() == TypeKind::Bool)
    value = b.CreateZExt(value, b.getInt8Ty());
  b.CreateStore(value, b.CreateInBoundsGEP(memoryType, target.data, index));
  b.CreateStore(b.CreateAdd(index, b.getInt64(1)), flat);
  for (unsigned d = ndim; d-- > 0;) {
    b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), counters[d]), b.getInt64(1)),
                  counters[d]);
    b.CreateBr(latches[d]);
    b.SetInsertPoint(exits[d]);
    if (d > 0) // the next outer iteration starts this dimension again
      b.CreateStore(b.getInt64(0), counters[d]);
  }
  return out;
}

} // namespace nogil::codegen
