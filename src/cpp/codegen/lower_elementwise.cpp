// Whole-array expressions (`a + 2.0 * b`, `np.sqrt(a) > c`, `np.add(a, b, out=c)`), fused: the
// arrays and scalars at the leaves are evaluated once, then one loop nest over the broadcast
// shape computes every element of the destination from the leaves' elements, with no
// temporaries. The destination is a new array, a part of one (`u[1:-1] = expr`), the array an
// in-place operator updates (`a += b`) or a ufunc's `out`. Division by zero and overflow give
// inf and nan (0 for integers), as in NumPy.
#include "codegen/lower_impl.h"

#include <llvm/IR/Intrinsics.h>

namespace nogil::codegen {

using namespace ast;
using sema::Builtin;
using sema::Type;
using sema::TypeKind;

namespace {

/// Whether a ufunc call passes `out` (then it writes there and is not fused into its parent).
bool passesOut(const CallExpr *call, unsigned inputs) {
  return ufuncOutArgument(call, inputs) != nullptr;
}

const Type *elementOf(const Type *type) { return type->isArray() ? type->dtype() : type; }

} // namespace

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
    if (builtin == typed_.builtinCalls.end())
      return false;
    const sema::UfuncInfo *ufunc = sema::ufuncInfo(builtin->second);
    return ufunc && !passesOut(cast<CallExpr>(expr), ufunc->inputs);
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
    auto *call = cast<CallExpr>(expr);
    for (const Expr *arg : call->args)
      collectLeaves(arg, leaves);
  }
}

llvm::Value *FunctionLowering::evaluateElement(const Expr *expr, std::vector<Leaf> &leaves,
                                               size_t &next,
                                               const std::vector<llvm::Value *> &elements) {
  const Type *type = typed_.typeOf(expr);
  const Type *element = elementOf(type);
  if (!isElementwise(expr))
    return elements[next++];
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
      if (element->isComplex()) {
        value = builder_.CreateInsertValue(
            value, builder_.CreateFNeg(builder_.CreateExtractValue(value, 0)), 0);
        return builder_.CreateInsertValue(
            value, builder_.CreateFNeg(builder_.CreateExtractValue(value, 1)), 1);
      }
      return element->isFloat() ? builder_.CreateFNeg(value) : builder_.CreateNeg(value);
    case UnaryOp::Invert:
      return builder_.CreateNot(value);
    default:
      return value;
    }
  }
  auto *call = cast<CallExpr>(expr);
  std::vector<llvm::Value *> args;
  std::vector<const Type *> types;
  for (const Expr *arg : call->args) {
    types.push_back(elementTypeOf(arg));
    args.push_back(evaluateElement(arg, leaves, next, elements));
  }
  const sema::UfuncInfo &ufunc = *sema::ufuncInfo(typed_.builtinCalls.at(call->id));
  return ufuncElement(ufunc, typed_.ufuncLoops.at(call->id), args, types, call->span);
}

const Type *FunctionLowering::elementTypeOf(const Expr *expr) const {
  return elementOf(typed_.typeOf(expr));
}

std::vector<llvm::Value *>
FunctionLowering::broadcastShape(const std::vector<Leaf> &leaves, unsigned ndim, Span at,
                                 const std::vector<llvm::Value *> *outputShape) {
  auto &b = builder_;
  // Aligned from the right: each dimension is the leaves' common size, 1 stretching to it.
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
  size_t arrays = 0;
  for (const Leaf &leaf : leaves) {
    if (!leaf.type->isArray())
      continue;
    ++arrays;
    unsigned offset = ndim - leaf.type->ndim();
    for (unsigned d = 0; d < leaf.type->ndim(); ++d) {
      llvm::Value *extent = leaf.parts.shape[d];
      compatible = b.CreateAnd(compatible, b.CreateOr(b.CreateICmpEQ(extent, b.getInt64(1)),
                                                      b.CreateICmpEQ(extent, shape[offset + d])));
    }
  }
  if (arrays < 2)
    return shape;
  auto *failed = newBlock("broadcast.failed");
  auto *ok = newBlock("broadcast.ok");
  b.CreateCondBr(compatible, ok, failed);
  b.SetInsertPoint(failed);
  raiseOperandsError(leaves, outputShape, at);
  b.SetInsertPoint(ok);
  return shape;
}

void FunctionLowering::raiseOperandsError(const std::vector<Leaf> &leaves,
                                          const std::vector<llvm::Value *> *outputShape, Span at) {
  auto &b = builder_;
  auto text = [&](const char *s) {
    b.CreateCall(textFunction("nogil_rt_text_str", {b.getPtrTy()}), {module_.string(s)});
  };
  b.CreateCall(textFunction("nogil_rt_text_begin", {}), {});
  text("operands could not be broadcast together with shapes ");
  // NumPy lists every operand of a ufunc with `out` (a scalar as "()"), then the output.
  for (const Leaf &leaf : leaves) {
    if (leaf.type->isArray())
      appendShapeText(leaf.parts.shape);
    else if (outputShape)
      text("()");
    else
      continue;
    text(" ");
  }
  if (outputShape) {
    appendShapeText(*outputShape);
    text(" ");
  }
  raiseBufferText(NOGIL_ERROR_VALUE, at);
}

void FunctionLowering::raiseBufferText(NogilErrorKind kind, Span at) {
  auto &b = builder_;
  llvm::PointerType *ptr = b.getPtrTy();
  auto raiseText = module_.module.getOrInsertFunction("nogil_rt_raise_text", b.getVoidTy(),
                                                      b.getInt32Ty(), ptr, ptr);
  b.CreateCall(raiseText,
               {b.getInt32(kind), llvm::ConstantPointerNull::get(ptr), module_.site(unit_, at)});
  unwind();
}

void FunctionLowering::appendShapeText(const std::vector<llvm::Value *> &shape) {
  auto &b = builder_;
  auto text = [&](const char *s) {
    b.CreateCall(textFunction("nogil_rt_text_str", {b.getPtrTy()}), {module_.string(s)});
  };
  text("(");
  for (size_t d = 0; d < shape.size(); ++d) {
    if (d > 0)
      text(",");
    b.CreateCall(textFunction("nogil_rt_text_int", {b.getInt64Ty()}), {shape[d]});
  }
  text(shape.size() == 1 ? ",)" : ")");
}

void FunctionLowering::emitElementLoop(
    const std::vector<llvm::Value *> &shape, const std::vector<Leaf> &leaves,
    const std::vector<std::vector<llvm::Value *>> &strides, const ArrayParts &dest,
    const Type *destType,
    const std::function<llvm::Value *(const std::vector<llvm::Value *> &)> &body) {
  auto &b = builder_;
  llvm::Type *i64 = b.getInt64Ty();
  unsigned ndim = shape.size();
  const Type *dtype = destType->dtype();
  // The outer dimensions: counted loops; each leaf's and dest's row start is their offset.
  std::vector<llvm::AllocaInst *> counters;
  std::vector<llvm::BasicBlock *> latches;
  std::vector<llvm::BasicBlock *> exits;
  for (unsigned d = 0; d + 1 < ndim; ++d) {
    llvm::AllocaInst *counter = entryAlloca(i64, "elementwise.i");
    b.CreateStore(b.getInt64(0), counter);
    auto *header = newBlock("elementwise.cond");
    auto *loopBody = newBlock("elementwise.body");
    auto *exit = newBlock("elementwise.done");
    b.CreateBr(header);
    b.SetInsertPoint(header);
    b.CreateCondBr(b.CreateICmpSLT(b.CreateLoad(i64, counter), shape[d]), loopBody, exit);
    b.SetInsertPoint(loopBody);
    counters.push_back(counter);
    latches.push_back(header);
    exits.push_back(exit);
  }
  auto rowStart = [&](llvm::Value *data, const std::vector<llvm::Value *> &stride) {
    llvm::Value *offset = b.getInt64(0);
    for (unsigned d = 0; d + 1 < ndim; ++d)
      offset = b.CreateAdd(offset, b.CreateMul(b.CreateLoad(i64, counters[d]), stride[d]));
    return b.CreateGEP(b.getInt8Ty(), data, offset);
  };
  std::vector<llvm::Value *> rows(leaves.size(), nullptr);
  for (size_t l = 0; l < leaves.size(); ++l)
    if (leaves[l].type->isArray())
      rows[l] = rowStart(leaves[l].parts.data, strides[l]);
  llvm::Value *destRow = rowStart(dest.data, dest.strides);
  // One element at byte offsets given by `offsetOf(leaf or dest's stride)`.
  auto element = [&](const std::function<llvm::Value *(llvm::Value *, size_t)> &address) {
    std::vector<llvm::Value *> elements;
    for (size_t l = 0; l < leaves.size(); ++l) {
      const Leaf &leaf = leaves[l];
      if (!leaf.type->isArray()) {
        elements.push_back(leaf.value);
        continue;
      }
      elements.push_back(loadElement({leaf.type, address(rows[l], l), nullptr}));
    }
    llvm::Value *value = body(elements);
    if (dtype->kind() == TypeKind::Bool)
      value = b.CreateZExt(value, b.getInt8Ty());
    b.CreateStore(value, address(destRow, leaves.size()));
  };
  if (ndim == 0) {
    element([&](llvm::Value *row, size_t) { return row; });
  } else {
    // The innermost dimension runs twice over: with every stride its element's size (then
    // the addresses are `row + i * size` with constants, which LLVM vectorizes), or with
    // the strides read at run time.
    llvm::Value *count = shape[ndim - 1];
    llvm::Value *unit = b.CreateICmpEQ(dest.strides[ndim - 1], b.getInt64(elementSize(dtype)));
    for (size_t l = 0; l < leaves.size(); ++l)
      if (leaves[l].type->isArray())
        unit = b.CreateAnd(unit, b.CreateICmpEQ(strides[l][ndim - 1],
                                                b.getInt64(elementSize(leaves[l].type->dtype()))));
    auto *contiguous = newBlock("elementwise.contiguous");
    auto *strided = newBlock("elementwise.strided");
    auto *rowDone = newBlock("elementwise.row.done");
    b.CreateCondBr(unit, contiguous, strided);
    for (bool isUnit : {true, false}) {
      b.SetInsertPoint(isUnit ? contiguous : strided);
      llvm::BasicBlock *before = b.GetInsertBlock();
      auto *header = newBlock("elementwise.inner");
      auto *loopBody = newBlock("elementwise.inner.body");
      b.CreateBr(header);
      b.SetInsertPoint(header);
      llvm::PHINode *i = b.CreatePHI(i64, 2, "i");
      i->addIncoming(b.getInt64(0), before);
      b.CreateCondBr(b.CreateICmpSLT(i, count), loopBody, rowDone);
      b.SetInsertPoint(loopBody);
      element([&](llvm::Value *row, size_t l) -> llvm::Value * {
        const Type *type = l < leaves.size() ? leaves[l].type->dtype() : dtype;
        llvm::Type *memory = type->kind() == TypeKind::Bool ? b.getInt8Ty() : module_.typeOf(type);
        if (isUnit)
          return b.CreateInBoundsGEP(memory, row, i);
        llvm::Value *stride = l < leaves.size() ? strides[l][ndim - 1] : dest.strides[ndim - 1];
        return b.CreateGEP(b.getInt8Ty(), row, b.CreateMul(i, stride));
      });
      llvm::Value *nextI = b.CreateAdd(i, b.getInt64(1));
      i->addIncoming(nextI, b.GetInsertBlock());
      b.CreateBr(header);
    }
    b.SetInsertPoint(rowDone);
  }
  for (unsigned d = counters.size(); d-- > 0;) {
    b.CreateStore(b.CreateAdd(b.CreateLoad(i64, counters[d]), b.getInt64(1)), counters[d]);
    b.CreateBr(latches[d]);
    b.SetInsertPoint(exits[d]);
    if (d > 0) // the next outer iteration starts this dimension again
      b.CreateStore(b.getInt64(0), counters[d]);
  }
}

llvm::Value *FunctionLowering::lowerElementwise(const Expr *root) {
  std::vector<Leaf> leaves;
  collectLeaves(root, leaves);
  const Type *result = typed_.typeOf(root);
  std::vector<llvm::Value *> shape = broadcastShape(leaves, result->ndim(), root->span);
  llvm::Value *out = newArray(result, shape, root->span);
  ArrayParts target = arrayParts(out, result);
  auto strides = broadcastStrides(leaves, shape.size());
  bool wasElementwise = inElementwise_;
  inElementwise_ = true;
  emitElementLoop(shape, leaves, strides, target, result,
                  [&](const std::vector<llvm::Value *> &elements) {
                    size_t next = 0;
                    return evaluateElement(root, leaves, next, elements);
                  });
  inElementwise_ = wasElementwise;
  return out;
}

std::vector<std::vector<llvm::Value *>>
FunctionLowering::broadcastStrides(const std::vector<Leaf> &leaves, unsigned ndim) {
  auto &b = builder_;
  std::vector<std::vector<llvm::Value *>> strides(leaves.size());
  for (size_t l = 0; l < leaves.size(); ++l) {
    const Leaf &leaf = leaves[l];
    if (!leaf.type->isArray())
      continue;
    strides[l].assign(ndim, b.getInt64(0));
    int offset = static_cast<int>(ndim) - static_cast<int>(leaf.type->ndim());
    for (unsigned d = 0; d < leaf.type->ndim(); ++d) {
      if (static_cast<int>(d) + offset < 0) // a leading dimension of 1 beyond dest's
        continue;
      llvm::Value *stretched = b.CreateICmpEQ(leaf.parts.shape[d], b.getInt64(1));
      strides[l][d + offset] = b.CreateSelect(stretched, b.getInt64(0), leaf.parts.strides[d]);
    }
  }
  return strides;
}

void FunctionLowering::gatherLeaves(const std::vector<Operand> &operands, std::vector<Leaf> &leaves,
                                    std::vector<size_t> &firstLeaf) {
  for (const Operand &operand : operands) {
    firstLeaf.push_back(leaves.size());
    if (operand.value) {
      Leaf leaf{operand.expr, operand.type, operand.value, {}};
      if (operand.type->isArray())
        leaf.parts = arrayParts(operand.value, operand.type);
      leaves.push_back(leaf);
    } else {
      collectLeaves(operand.expr, leaves);
    }
  }
}

llvm::Value *FunctionLowering::mayOverlap(const ArrayParts &a, const Type *aType,
                                          const ArrayParts &b2, const Type *bType) {
  auto &b = builder_;
  // The bytes an array's elements span: [lo, hi), empty when a dimension is 0.
  auto extent = [&](const ArrayParts &parts, const Type *type) {
    llvm::Value *start = b.CreatePtrToInt(parts.data, b.getInt64Ty());
    llvm::Value *lo = start;
    llvm::Value *hi = b.CreateAdd(start, b.getInt64(elementSize(type->dtype())));
    llvm::Value *empty = b.getFalse();
    for (size_t d = 0; d < parts.shape.size(); ++d) {
      llvm::Value *span = b.CreateMul(b.CreateSub(parts.shape[d], b.getInt64(1)), parts.strides[d]);
      llvm::Value *negative = b.CreateICmpSLT(span, b.getInt64(0));
      lo = b.CreateAdd(lo, b.CreateSelect(negative, span, b.getInt64(0)));
      hi = b.CreateAdd(hi, b.CreateSelect(negative, b.getInt64(0), span));
      empty = b.CreateOr(empty, b.CreateICmpSLE(parts.shape[d], b.getInt64(0)));
    }
    return std::tuple{lo, hi, empty};
  };
  auto [loA, hiA, emptyA] = extent(a, aType);
  auto [loB, hiB, emptyB] = extent(b2, bType);
  llvm::Value *intersect = b.CreateAnd(b.CreateICmpULT(loA, hiB), b.CreateICmpULT(loB, hiA));
  return b.CreateAnd(intersect, b.CreateNot(b.CreateOr(emptyA, emptyB)));
}

void FunctionLowering::evaluateInto(llvm::Value *dest, const Type *destType,
                                    const std::vector<Operand> &operands,
                                    const ElementCompute &compute, bool outputOperand, Span at) {
  auto &b = builder_;
  ArrayParts target = arrayParts(dest, destType);
  unsigned ndim = destType->ndim();
  std::vector<Leaf> leaves;
  std::vector<size_t> firstLeaf;
  gatherLeaves(operands, leaves, firstLeaf);
  unsigned valueNdim = 0;
  for (const Leaf &leaf : leaves)
    if (leaf.type->isArray())
      valueNdim = std::max(valueNdim, leaf.type->ndim());
  std::vector<llvm::Value *> valueShape =
      broadcastShape(leaves, valueNdim, at, outputOperand ? &target.shape : nullptr);
  // The operands' shape must stretch to dest's (leading dimensions of 1 beyond it drop).
  // A ufunc's `out` takes part in the broadcast: a size it does not share is the operands'
  // error; a size it would have to stretch to, the output's.
  llvm::Value *fits = b.getTrue();
  llvm::Value *clash = b.getFalse();
  for (unsigned k = 0; k < valueNdim; ++k) {
    int d = static_cast<int>(k) - static_cast<int>(valueNdim) + static_cast<int>(ndim);
    llvm::Value *one = b.CreateICmpEQ(valueShape[k], b.getInt64(1));
    if (d < 0) {
      fits = b.CreateAnd(fits, one);
      continue;
    }
    llvm::Value *equal = b.CreateICmpEQ(valueShape[k], target.shape[d]);
    fits = b.CreateAnd(fits, b.CreateOr(one, equal));
    llvm::Value *destOne = b.CreateICmpEQ(target.shape[d], b.getInt64(1));
    clash = b.CreateOr(clash, b.CreateNot(b.CreateOr(b.CreateOr(one, destOne), equal)));
  }
  if (valueNdim > 0) {
    auto *failed = newBlock("store.shape.failed");
    auto *ok = newBlock("store.shape.ok");
    b.CreateCondBr(fits, ok, failed);
    b.SetInsertPoint(failed);
    if (outputOperand) {
      auto *operandsFailed = newBlock("store.shape.operands");
      auto *outputFailed = newBlock("store.shape.output");
      b.CreateCondBr(clash, operandsFailed, outputFailed);
      b.SetInsertPoint(operandsFailed);
      raiseOperandsError(leaves, &target.shape, at);
      b.SetInsertPoint(outputFailed);
    }
    b.CreateCall(textFunction("nogil_rt_text_begin", {}), {});
    auto text = [&](const char *s) {
      b.CreateCall(textFunction("nogil_rt_text_str", {b.getPtrTy()}), {module_.string(s)});
    };
    if (outputOperand) {
      text("non-broadcastable output operand with shape ");
      appendShapeText(target.shape);
      text(" doesn't match the broadcast shape ");
      appendShapeText(valueShape);
    } else {
      text("could not broadcast input array from shape ");
      appendShapeText(valueShape);
      text(" into shape ");
      appendShapeText(target.shape);
    }
    raiseBufferText(NOGIL_ERROR_VALUE, at);
    b.SetInsertPoint(ok);
  }
  // An operand sharing memory with dest, other than dest itself element for element, is
  // read from a copy (`a[1:] = a[:-1]`), as NumPy does; the test is on the bytes spanned.
  for (Leaf &leaf : leaves) {
    if (!leaf.type->isArray())
      continue;
    llvm::Value *overlap = mayOverlap(leaf.parts, leaf.type, target, destType);
    if (leaf.type->ndim() == ndim && leaf.type->dtype() == destType->dtype()) {
      llvm::Value *same = b.CreateICmpEQ(leaf.parts.data, target.data);
      for (unsigned d = 0; d < ndim; ++d)
        same = b.CreateAnd(same,
                           b.CreateAnd(b.CreateICmpEQ(leaf.parts.shape[d], target.shape[d]),
                                       b.CreateICmpEQ(leaf.parts.strides[d], target.strides[d])));
      overlap = b.CreateAnd(overlap, b.CreateNot(same));
    }
    llvm::BasicBlock *before = b.GetInsertBlock();
    auto *copy = newBlock("store.overlap.copy");
    auto *join = newBlock("store.overlap.done");
    llvm::MDBuilder weights(module_.context);
    b.CreateCondBr(overlap, copy, join, weights.createUnlikelyBranchWeights());
    b.SetInsertPoint(copy);
    const Type *copyType =
        sema::arrayType(leaf.type->dtype(), leaf.type->ndim(), sema::Layout::C, false);
    llvm::Value *copied = newArray(copyType, leaf.parts.shape, at);
    ArrayParts copyParts = arrayParts(copied, copyType);
    std::vector<Leaf> source{leaf};
    std::vector<std::vector<llvm::Value *>> sourceStrides{leaf.parts.strides};
    emitElementLoop(leaf.parts.shape, source, sourceStrides, copyParts, copyType,
                    [](const std::vector<llvm::Value *> &elements) { return elements[0]; });
    llvm::BasicBlock *copied_end = b.GetInsertBlock();
    b.CreateBr(join);
    b.SetInsertPoint(join);
    auto merge = [&](llvm::Value *original, llvm::Value *replacement) {
      llvm::PHINode *phi = b.CreatePHI(original->getType(), 2);
      phi->addIncoming(original, before);
      phi->addIncoming(replacement, copied_end);
      return phi;
    };
    leaf.parts.data = merge(leaf.parts.data, copyParts.data);
    for (unsigned d = 0; d < leaf.type->ndim(); ++d)
      leaf.parts.strides[d] = merge(leaf.parts.strides[d], copyParts.strides[d]);
  }
  auto strides = broadcastStrides(leaves, ndim);
  bool wasElementwise = inElementwise_;
  inElementwise_ = true;
  emitElementLoop(target.shape, leaves, strides, target, destType,
                  [&](const std::vector<llvm::Value *> &elements) {
                    std::vector<llvm::Value *> values;
                    std::vector<const Type *> types;
                    for (size_t i = 0; i < operands.size(); ++i) {
                      const Operand &operand = operands[i];
                      size_t next = firstLeaf[i];
                      if (operand.value) {
                        values.push_back(elements[next]);
                        types.push_back(elementOf(operand.type));
                      } else {
                        values.push_back(evaluateElement(operand.expr, leaves, next, elements));
                        types.push_back(elementTypeOf(operand.expr));
                      }
                    }
                    return compute(values, types);
                  });
  inElementwise_ = wasElementwise;
}

llvm::Value *FunctionLowering::castForStore(llvm::Value *value, const Type *from, const Type *to) {
  if (!from->isFloat() || !to->isInteger())
    return convert(value, from, to);
  // NumPy's unsafe cast of a float to a narrow integer goes through a C long on x86-64, so
  // that it wraps (300.0 into int8 is 44, -3.0 into uint8 253) where a direct cast saturates.
  auto &b = builder_;
  llvm::Type *i64 = b.getInt64Ty();
  llvm::Value *wide =
      b.CreateIntrinsic(llvm::Intrinsic::fptosi_sat, {i64, value->getType()}, {value});
  if (to->kind() == TypeKind::UInt64) {
    llvm::Value *large = b.CreateFCmpOGE(value, llvm::ConstantFP::get(value->getType(), 0x1p63));
    llvm::Value *unsignedWide =
        b.CreateIntrinsic(llvm::Intrinsic::fptoui_sat, {i64, value->getType()}, {value});
    wide = b.CreateSelect(large, unsignedWide, wide);
  }
  return b.CreateTrunc(wide, module_.typeOf(to));
}

void FunctionLowering::storeIntoPart(const SubscriptExpr *target, const Expr *valueExpr,
                                     llvm::Value *value, const Type *valueType) {
  const Type *destType = typed_.typeOf(target);
  const Type *dtype = destType->dtype();
  Operand operand{valueExpr, value, valueType};
  if (!isElementwise(valueExpr) && !value) {
    operand.value = lowerExpr(valueExpr);
  }
  // A number is converted once, as NumPy's setitem converts it: a float an integer array
  // cannot hold raises (`a[:] = np.nan`).
  if (!valueType->isArray() && dtype->isInteger() && valueType->isFloat()) {
    operand.value = checkedToInteger(operand.value, valueType, dtype, target->span);
    operand.type = dtype;
  }
  llvm::Value *dest = lowerExpr(target);
  evaluateInto(
      dest, destType, {operand},
      [&](const std::vector<llvm::Value *> &values, const std::vector<const Type *> &types) {
        return castForStore(values[0], types[0], dtype);
      },
      false, target->span);
}

void FunctionLowering::lowerArrayUpdate(const AugAssignStmt *assign) {
  const Type *destType = typed_.typeOf(assign->target);
  llvm::Value *dest;
  if (auto *name = dynCast<NameExpr>(assign->target)) {
    int32_t slot = typed_.localOf(name);
    checkBound(slot, name->span);
    dest = loadLocal(slot);
  } else {
    dest = lowerExpr(assign->target);
  }
  const Type *result = typed_.augmentedResults.at(assign->target->id);
  const Type *dtype = destType->dtype();
  evaluateInto(
      dest, destType, {Operand{assign->target, dest, destType}, Operand{assign->value}},
      [&](const std::vector<llvm::Value *> &values, const std::vector<const Type *> &types) {
        llvm::Value *combined = binaryValues(assign->op, values[0], types[0], values[1], types[1],
                                             result, assign->span);
        return convert(combined, result, dtype);
      },
      true, assign->span);
}

llvm::Value *FunctionLowering::lowerUfuncInto(const CallExpr *call, Builtin builtin) {
  const sema::UfuncInfo &ufunc = *sema::ufuncInfo(builtin);
  const Expr *outArg = ufuncOutArgument(call, ufunc.inputs);
  const Expr *whereArg = ufuncKeywordArgument(call, "where");
  const Type *outType = typed_.typeOf(outArg);
  std::vector<Operand> operands;
  for (unsigned i = 0; i < ufunc.inputs; ++i)
    operands.push_back(Operand{call->args[i]});
  llvm::Value *out = lowerExpr(outArg);
  const sema::UfuncLoop &loop = typed_.ufuncLoops.at(call->id);
  if (whereArg) {
    // Where the mask is False, out keeps its element: out is an operand (read before the
    // store, element for element) and the mask one more, broadcast with the inputs.
    operands.push_back(Operand{outArg, out, outType});
    operands.push_back(Operand{whereArg});
  }
  unsigned inputs = ufunc.inputs;
  evaluateInto(
      out, outType, operands,
      [&](const std::vector<llvm::Value *> &values, const std::vector<const Type *> &types) {
        if (!whereArg) {
          llvm::Value *value = ufuncElement(ufunc, loop, values, types, call->span);
          return convert(value, loop.result, outType->dtype());
        }
        std::vector<llvm::Value *> inputValues(values.begin(), values.begin() + inputs);
        std::vector<const Type *> inputTypes(types.begin(), types.begin() + inputs);
        llvm::Value *value = ufuncElement(ufunc, loop, inputValues, inputTypes, call->span);
        value = convert(value, loop.result, outType->dtype());
        llvm::Value *keep = values[inputs];
        llvm::Value *mask = truth(values[inputs + 1], types[inputs + 1]);
        return builder_.CreateSelect(mask, value, keep);
      },
      true, call->span);
  return out;
}

} // namespace nogil::codegen
