// Lowering of the array methods that give views or copies (reshape, ravel, transpose,
// squeeze, astype, view, fill, item) and of the attributes that describe an array's memory
// (itemsize, nbytes, strides, flags). A view is new {data, shape, strides} over the same
// base; a copy is a new C-contiguous array filled by the runtime's strided copy.
#include "codegen/lower_impl.h"

namespace nogil::codegen {

using namespace ast;
using sema::ArrayMethod;
using sema::Type;
using sema::TypeKind;

namespace {

/// Bytes of one element in memory (a bool takes a byte).
uint64_t itemBytes(const Type *dtype) {
  return dtype->kind() == TypeKind::Bool ? 1 : dtype->bitWidth() / 8;
}

} // namespace

llvm::Value *FunctionLowering::contiguous(const ArrayParts &parts, const Type *type, bool fortran) {
  auto &b = builder_;
  sema::Layout wanted = fortran ? sema::Layout::F : sema::Layout::C;
  if (type->layout() == wanted || type->ndim() == 0)
    return b.getTrue();
  // NumPy's rule: axes of length one may have any stride; an empty array is contiguous.
  llvm::Value *expected = b.getInt64(itemBytes(type->dtype()));
  llvm::Value *matches = b.getTrue();
  llvm::Value *empty = b.getFalse();
  unsigned ndim = type->ndim();
  for (unsigned k = 0; k < ndim; ++k) {
    unsigned d = fortran ? k : ndim - 1 - k;
    llvm::Value *one = b.CreateICmpEQ(parts.shape[d], b.getInt64(1));
    matches = b.CreateAnd(matches, b.CreateOr(one, b.CreateICmpEQ(parts.strides[d], expected)));
    empty = b.CreateOr(empty, b.CreateICmpEQ(parts.shape[d], b.getInt64(0)));
    expected = b.CreateMul(expected, parts.shape[d]);
  }
  return b.CreateOr(matches, empty);
}

llvm::Value *FunctionLowering::spillExtents(const std::vector<llvm::Value *> &values,
                                            const char *name) {
  auto *dims = llvm::ArrayType::get(builder_.getInt64Ty(), std::max<size_t>(values.size(), 1));
  llvm::AllocaInst *spill = entryAlloca(dims, name);
  for (unsigned d = 0; d < values.size(); ++d)
    builder_.CreateStore(values[d], builder_.CreateConstInBoundsGEP2_64(dims, spill, 0, d));
  return spill;
}

llvm::Value *FunctionLowering::copyInCOrder(const ArrayParts &from, const Type *sourceType,
                                            const Type *result,
                                            const std::vector<llvm::Value *> &shape, Span at) {
  auto &b = builder_;
  llvm::Value *array = newArray(result, shape, at);
  llvm::Value *data = b.CreateExtractValue(array, 0);
  llvm::PointerType *ptr = b.getPtrTy();
  llvm::Type *i64 = b.getInt64Ty();
  auto copy = module_.module.getOrInsertFunction("nogil_rt_array_copy", b.getVoidTy(), ptr, ptr,
                                                 i64, ptr, ptr, i64);
  b.CreateCall(copy,
               {data, from.data, b.getInt64(sourceType->ndim()),
                spillExtents(from.shape, "copy.shape"), spillExtents(from.strides, "copy.strides"),
                b.getInt64(itemBytes(sourceType->dtype()))});
  return array;
}

std::vector<llvm::Value *> FunctionLowering::cStrides(const std::vector<llvm::Value *> &shape,
                                                      const Type *dtype) {
  std::vector<llvm::Value *> strides(shape.size());
  llvm::Value *stride = builder_.getInt64(itemBytes(dtype));
  for (size_t d = shape.size(); d-- > 0;) {
    strides[d] = stride;
    stride = builder_.CreateMul(stride, shape[d]);
  }
  return strides;
}

void FunctionLowering::forEachElement(const ArrayParts &parts,
                                      const std::function<void(llvm::Value *)> &body) {
  // Nested loops in C order, the outermost axis first; each level walks a byte address.
  auto &b = builder_;
  std::function<void(unsigned, llvm::Value *)> level = [&](unsigned axis, llvm::Value *address) {
    if (axis == parts.shape.size()) {
      body(address);
      return;
    }
    llvm::AllocaInst *counter = entryAlloca(b.getInt64Ty(), "each.i");
    b.CreateStore(b.getInt64(0), counter);
    auto *header = newBlock("each.cond");
    auto *loop = newBlock("each.body");
    auto *done = newBlock("each.done");
    b.CreateBr(header);
    b.SetInsertPoint(header);
    llvm::Value *i = b.CreateLoad(b.getInt64Ty(), counter);
    b.CreateCondBr(b.CreateICmpSLT(i, parts.shape[axis]), loop, done);
    b.SetInsertPoint(loop);
    level(axis + 1, b.CreateGEP(b.getInt8Ty(), address, b.CreateMul(i, parts.strides[axis])));
    b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), counter), b.getInt64(1)), counter);
    b.CreateBr(header);
    b.SetInsertPoint(done);
  };
  level(0, parts.data);
}

void FunctionLowering::forEachElementPair(
    const ArrayParts &from, const ArrayParts &to, bool fortran,
    const std::function<void(llvm::Value *, llvm::Value *)> &body) {
  auto &b = builder_;
  auto ndim = static_cast<unsigned>(from.shape.size());
  std::function<void(unsigned, llvm::Value *, llvm::Value *)> level =
      [&](unsigned k, llvm::Value *source, llvm::Value *target) {
        if (k == ndim) {
          body(source, target);
          return;
        }
        unsigned axis = fortran ? ndim - 1 - k : k; // the innermost loop walks `to` by one
        llvm::AllocaInst *counter = entryAlloca(b.getInt64Ty(), "pair.i");
        b.CreateStore(b.getInt64(0), counter);
        auto *header = newBlock("pair.cond");
        auto *loop = newBlock("pair.body");
        auto *done = newBlock("pair.done");
        b.CreateBr(header);
        b.SetInsertPoint(header);
        llvm::Value *i = b.CreateLoad(b.getInt64Ty(), counter);
        b.CreateCondBr(b.CreateICmpSLT(i, from.shape[axis]), loop, done);
        b.SetInsertPoint(loop);
        level(k + 1, b.CreateGEP(b.getInt8Ty(), source, b.CreateMul(i, from.strides[axis])),
              b.CreateGEP(b.getInt8Ty(), target, b.CreateMul(i, to.strides[axis])));
        b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), counter), b.getInt64(1)), counter);
        b.CreateBr(header);
        b.SetInsertPoint(done);
      };
  level(0, from.data, to.data);
}

llvm::Value *FunctionLowering::lowerArrayMethod(const CallExpr *call,
                                                const sema::ArrayMethodCall &info) {
  auto &b = builder_;
  const Type *sourceType = typed_.typeOf(info.array);
  const Type *result = typed_.typeOf(call);
  llvm::Value *source = lowerExpr(info.array);
  ArrayParts parts = arrayParts(source, sourceType);
  if (info.fortran) { // F order is C order on the reversed axes: work on a.T
    sourceType = sema::transposedType(sourceType);
    std::reverse(parts.shape.begin(), parts.shape.end());
    std::reverse(parts.strides.begin(), parts.strides.end());
  }
  llvm::Value *size = b.getInt64(1);
  for (llvm::Value *extent : parts.shape)
    size = b.CreateMul(size, extent);
  switch (info.method) {
  case ArrayMethod::Reshape: {
    if (!info.fortran)
      return lowerReshape(call, info, sourceType, result, parts, size);
    // a.reshape(shape, order='F') is a.T.reshape(reversed shape).T
    const Type *transposed = sema::transposedType(result);
    llvm::Value *reshaped =
        lowerReshape(call, info, sourceType, transposed, parts, size, /*reversed=*/true);
    ArrayParts view = arrayParts(reshaped, transposed);
    std::reverse(view.shape.begin(), view.shape.end());
    std::reverse(view.strides.begin(), view.strides.end());
    return makeView(result, view.data, view.base, view.shape, view.strides);
  }
  case ArrayMethod::Ravel:
  case ArrayMethod::Flatten: {
    std::vector<llvm::Value *> flat{size};
    if (info.method == ArrayMethod::Ravel && sourceType->layout() == sema::Layout::C)
      return makeView(result, parts.data, parts.base, flat, cStrides(flat, result->dtype()));
    if (info.method == ArrayMethod::Flatten)
      return copyInCOrder(parts, sourceType, result, flat, call->span);
    // ravel: a view when the memory is C-contiguous, else a copy.
    llvm::AllocaInst *out = entryAlloca(module_.typeOf(result), "ravel.result");
    auto *view = newBlock("ravel.view");
    auto *copy = newBlock("ravel.copy");
    auto *done = newBlock("ravel.done");
    b.CreateCondBr(contiguous(parts, sourceType, false), view, copy);
    b.SetInsertPoint(view);
    b.CreateStore(makeView(result, parts.data, parts.base, flat, cStrides(flat, result->dtype())),
                  out);
    b.CreateBr(done);
    b.SetInsertPoint(copy);
    b.CreateStore(copyInCOrder(parts, sourceType, result, flat, call->span), out);
    b.CreateBr(done);
    b.SetInsertPoint(done);
    return b.CreateLoad(module_.typeOf(result), out);
  }
  case ArrayMethod::Transpose:
  case ArrayMethod::SwapAxes: {
    std::vector<llvm::Value *> shape;
    std::vector<llvm::Value *> strides;
    for (unsigned axis : info.axes) {
      shape.push_back(parts.shape[axis]);
      strides.push_back(parts.strides[axis]);
    }
    return makeView(result, parts.data, parts.base, shape, strides);
  }
  case ArrayMethod::Squeeze: {
    std::vector<llvm::Value *> shape;
    std::vector<llvm::Value *> strides;
    for (unsigned d = 0; d < sourceType->ndim(); ++d) {
      if (std::find(info.axes.begin(), info.axes.end(), d) != info.axes.end()) {
        raiseIf(b.CreateICmpNE(parts.shape[d], b.getInt64(1)), NOGIL_ERROR_VALUE,
                "cannot select an axis to squeeze out which has size not equal to one", call->span);
        continue;
      }
      shape.push_back(parts.shape[d]);
      strides.push_back(parts.strides[d]);
    }
    return makeView(result, parts.data, parts.base, shape, strides);
  }
  case ArrayMethod::ExpandDims: {
    std::vector<llvm::Value *> shape;
    std::vector<llvm::Value *> strides;
    unsigned next = 0;
    for (unsigned d = 0; d < result->ndim(); ++d) {
      if (std::find(info.axes.begin(), info.axes.end(), d) != info.axes.end()) {
        shape.push_back(b.getInt64(1));
        strides.push_back(nullptr); // the stride the following axis spans, as reshape gives
        continue;
      }
      shape.push_back(parts.shape[next]);
      strides.push_back(parts.strides[next++]);
    }
    llvm::Value *span = b.getInt64(itemBytes(result->dtype()));
    for (size_t d = shape.size(); d-- > 0;) {
      if (!strides[d])
        strides[d] = span;
      else
        span = b.CreateMul(strides[d], shape[d]);
    }
    return makeView(result, parts.data, parts.base, shape, strides);
  }
  case ArrayMethod::Fill: {
    const Type *valueType = typed_.typeOf(info.operands[0]);
    llvm::Value *value = lowerExpr(info.operands[0]);
    // Convert (and check) once, then store the element's bits everywhere.
    llvm::AllocaInst *element = entryAlloca(sourceType->dtype()->kind() == TypeKind::Bool
                                                ? b.getInt8Ty()
                                                : module_.typeOf(sourceType->dtype()),
                                            "fill.value");
    storeElement({sourceType, element, nullptr}, value, valueType, call->span);
    llvm::Type *stored = element->getAllocatedType();
    llvm::Value *bits = b.CreateLoad(stored, element);
    forEachElement(parts, [&](llvm::Value *address) { b.CreateStore(bits, address); });
    return nullptr;
  }
  case ArrayMethod::Item:
    return lowerItem(call, info, parts, size);
  case ArrayMethod::AsType: {
    if (result->layout() != sema::Layout::C) { // order 'F', or 'A'/'K' of a non-C array
      char order = typed_.allocationOrders.at(call->id);
      std::vector<llvm::Value *> strides;
      if (result->layout() == sema::Layout::Any)
        strides = likeStrides(parts, sourceType->dtype(), result->dtype(), order);
      llvm::Value *array =
          newArray(result, parts.shape, call->span, strides.empty() ? nullptr : &strides);
      forEachElementPair(parts, arrayParts(array, result), result->layout() == sema::Layout::F,
                         [&](llvm::Value *from, llvm::Value *to) {
                           llvm::Value *value = convert(loadElement({sourceType, from, nullptr}),
                                                        sourceType->dtype(), result->dtype());
                           if (result->dtype()->kind() == TypeKind::Bool)
                             value = b.CreateZExt(value, b.getInt8Ty());
                           b.CreateStore(value, to);
                         });
      return array;
    }
    llvm::Value *array = newArray(result, parts.shape, call->span);
    llvm::Value *data = b.CreateExtractValue(array, 0);
    llvm::AllocaInst *next = entryAlloca(b.getInt64Ty(), "astype.i");
    b.CreateStore(b.getInt64(0), next);
    ElementAccess from{sourceType, nullptr, nullptr};
    forEachElement(parts, [&](llvm::Value *address) {
      from.address = address;
      llvm::Value *i = b.CreateLoad(b.getInt64Ty(), next);
      llvm::Value *value = convert(loadElement(from), sourceType->dtype(), result->dtype());
      if (result->dtype()->kind() == TypeKind::Bool)
        b.CreateStore(b.CreateZExt(value, b.getInt8Ty()), b.CreateGEP(b.getInt8Ty(), data, i));
      else
        b.CreateStore(value, b.CreateGEP(module_.typeOf(result->dtype()), data, i));
      b.CreateStore(b.CreateAdd(i, b.getInt64(1)), next);
    });
    return array;
  }
  case ArrayMethod::View:
    return lowerDtypeView(call, parts, size);
  case ArrayMethod::DataAddress:
    return b.CreatePtrToInt(parts.data, b.getInt64Ty());
  case ArrayMethod::StridedView: {
    std::vector<llvm::Value *> extents[2];
    for (unsigned k = 0; k < 2; ++k) {
      const Type *tuple = typed_.typeOf(info.operands[k]);
      llvm::Value *value = lowerExpr(info.operands[k]);
      for (unsigned d = 0; d < tuple->elements().size(); ++d)
        extents[k].push_back(
            convert(b.CreateExtractValue(value, d), tuple->elements()[d], sema::int64Type()));
    }
    for (llvm::Value *extent : extents[0])
      raiseIf(b.CreateICmpSLT(extent, b.getInt64(0)), NOGIL_ERROR_VALUE,
              "negative dimensions are not allowed", call->span);
    return makeView(result, parts.data, parts.base, extents[0], extents[1]);
  }
  }
  return nullptr;
}

llvm::Value *FunctionLowering::lowerReshape(const CallExpr *call, const sema::ArrayMethodCall &info,
                                            const Type *sourceType, const Type *result,
                                            const ArrayParts &parts, llvm::Value *size,
                                            bool reversed) {
  auto &b = builder_;
  std::vector<llvm::Value *> extents;
  for (const Expr *operand : info.operands) {
    const Type *type = typed_.typeOf(operand);
    llvm::Value *value = lowerExpr(operand);
    if (type->isTuple()) {
      for (unsigned d = 0; d < type->elements().size(); ++d)
        extents.push_back(
            convert(b.CreateExtractValue(value, d), type->elements()[d], sema::int64Type()));
    } else {
      extents.push_back(convert(value, type, sema::int64Type()));
    }
  }
  if (reversed)
    std::reverse(extents.begin(), extents.end());
  llvm::Value *shapeSpill = spillExtents(extents, "reshape.shape");
  llvm::PointerType *ptr = b.getPtrTy();
  llvm::Type *i64 = b.getInt64Ty();
  auto complete = module_.module.getOrInsertFunction("nogil_rt_reshape_shape", b.getInt32Ty(), i64,
                                                     i64, ptr, ptr);
  llvm::Value *status = b.CreateCall(
      complete, {size, b.getInt64(extents.size()), shapeSpill, module_.site(unit_, call->span)});
  unwindIf(b.CreateICmpNE(status, b.getInt32(0)), nullptr);
  auto *dims = llvm::ArrayType::get(i64, std::max<size_t>(extents.size(), 1));
  std::vector<llvm::Value *> shape;
  for (unsigned d = 0; d < extents.size(); ++d)
    shape.push_back(b.CreateLoad(i64, b.CreateConstInBoundsGEP2_64(dims, shapeSpill, 0, d)));
  if (sourceType->layout() == sema::Layout::C)
    return makeView(result, parts.data, parts.base, shape, cStrides(shape, result->dtype()));
  // Strided memory: a view where NumPy finds one, else a C-contiguous copy.
  llvm::AllocaInst *strideSpill = entryAlloca(dims, "reshape.strides");
  auto attempt = module_.module.getOrInsertFunction("nogil_rt_reshape_strides", b.getInt32Ty(), i64,
                                                    ptr, ptr, i64, ptr, ptr, i64);
  llvm::Value *viewable = b.CreateCall(
      attempt, {b.getInt64(sourceType->ndim()), spillExtents(parts.shape, "reshape.old"),
                spillExtents(parts.strides, "reshape.oldstrides"), b.getInt64(extents.size()),
                shapeSpill, strideSpill, b.getInt64(itemBytes(sourceType->dtype()))});
  llvm::AllocaInst *out = entryAlloca(module_.typeOf(result), "reshape.result");
  auto *view = newBlock("reshape.view");
  auto *copy = newBlock("reshape.copy");
  auto *done = newBlock("reshape.done");
  b.CreateCondBr(b.CreateICmpNE(viewable, b.getInt32(0)), view, copy);
  b.SetInsertPoint(view);
  std::vector<llvm::Value *> strides;
  for (unsigned d = 0; d < extents.size(); ++d)
    strides.push_back(b.CreateLoad(i64, b.CreateConstInBoundsGEP2_64(dims, strideSpill, 0, d)));
  b.CreateStore(makeView(result, parts.data, parts.base, shape, strides), out);
  b.CreateBr(done);
  b.SetInsertPoint(copy);
  b.CreateStore(copyInCOrder(parts, sourceType, result, shape, call->span), out);
  b.CreateBr(done);
  b.SetInsertPoint(done);
  return b.CreateLoad(module_.typeOf(result), out);
}

llvm::Value *FunctionLowering::lowerItem(const CallExpr *call, const sema::ArrayMethodCall &info,
                                         const ArrayParts &parts, llvm::Value *size) {
  auto &b = builder_;
  const Type *sourceType = typed_.typeOf(info.array);
  llvm::Value *offset = b.getInt64(0);
  if (info.operands.empty()) {
    raiseIf(b.CreateICmpNE(size, b.getInt64(1)), NOGIL_ERROR_VALUE,
            "can only convert an array of size 1 to a Python scalar", call->span);
  } else if (info.operands.size() == 1) {
    // A flat index in C order, NumPy's message naming the size.
    llvm::Value *index = lowerAs(info.operands[0], sema::int64Type());
    llvm::Value *wrapped =
        b.CreateSelect(b.CreateICmpSLT(index, b.getInt64(0)), b.CreateAdd(index, size), index);
    auto *outside = newBlock("item.outside");
    auto *inside = newBlock("item.inside");
    b.CreateCondBr(b.CreateICmpUGE(wrapped, size), outside, inside);
    b.SetInsertPoint(outside);
    auto raise = module_.module.getOrInsertFunction("nogil_rt_raise_flat_index", b.getVoidTy(),
                                                    b.getInt64Ty(), b.getInt64Ty(), b.getPtrTy());
    b.CreateCall(raise, {index, size, module_.site(unit_, call->span)});
    unwind();
    b.SetInsertPoint(inside);
    llvm::Value *rest = wrapped;
    for (unsigned d = sourceType->ndim(); d-- > 0;) {
      llvm::Value *extent = parts.shape[d];
      offset = b.CreateAdd(offset, b.CreateMul(b.CreateURem(rest, extent), parts.strides[d]));
      rest = b.CreateUDiv(rest, extent);
    }
  } else {
    for (unsigned d = 0; d < info.operands.size(); ++d) {
      llvm::Value *index = lowerAs(info.operands[d], sema::int64Type());
      llvm::Value *position = checkedIndex(index, parts.shape[d], d, call->span);
      offset = b.CreateAdd(offset, b.CreateMul(position, parts.strides[d]));
    }
  }
  ElementAccess access{sourceType, b.CreateGEP(b.getInt8Ty(), parts.data, offset), nullptr};
  return convert(loadElement(access), sourceType->dtype(), typed_.typeOf(call));
}

llvm::Value *FunctionLowering::lowerDtypeView(const CallExpr *call, const ArrayParts &parts,
                                              llvm::Value *size) {
  auto &b = builder_;
  const Type *result = typed_.typeOf(call);
  const Type *sourceType = typed_.typeOf(cast<AttributeExpr>(call->callee)->value);
  uint64_t from = itemBytes(sourceType->dtype());
  uint64_t to = itemBytes(result->dtype());
  std::vector<llvm::Value *> shape = parts.shape;
  std::vector<llvm::Value *> strides = parts.strides;
  if (from == to)
    return makeView(result, parts.data, parts.base, shape, strides);
  // NumPy's rules for a new item size: the last axis changes its length, and must be
  // contiguous for that.
  if (shape.empty()) {
    raiseIf(b.getTrue(), NOGIL_ERROR_VALUE,
            "Changing the dtype of a 0d array is only supported if the itemsize is unchanged",
            call->span);
    return llvm::UndefValue::get(module_.typeOf(result));
  }
  llvm::Value *&last = shape.back();
  llvm::Value *&lastStride = strides.back();
  raiseIf(b.CreateAnd(
              b.CreateAnd(b.CreateICmpNE(last, b.getInt64(1)), b.CreateICmpNE(size, b.getInt64(0))),
              b.CreateICmpNE(lastStride, b.getInt64(from))),
          NOGIL_ERROR_VALUE,
          "To change to a dtype of a different size, the last axis must be contiguous", call->span);
  if (to < from) {
    if (from % to != 0)
      raiseIf(b.getTrue(), NOGIL_ERROR_VALUE,
              "When changing to a smaller dtype, its size must be a divisor of the size of "
              "original dtype",
              call->span);
    last = b.CreateMul(last, b.getInt64(from / to));
  } else {
    llvm::Value *bytes = b.CreateMul(last, b.getInt64(from));
    raiseIf(b.CreateICmpNE(b.CreateURem(bytes, b.getInt64(to)), b.getInt64(0)), NOGIL_ERROR_VALUE,
            "When changing to a larger dtype, its size must be a divisor of the total size in "
            "bytes of the last axis of the array.",
            call->span);
    last = b.CreateUDiv(bytes, b.getInt64(to));
  }
  lastStride = b.getInt64(to);
  return makeView(result, parts.data, parts.base, shape, strides);
}

llvm::Value *FunctionLowering::lowerMemoryAttribute(const AttributeExpr *attribute,
                                                    llvm::Value *array) {
  auto &b = builder_;
  const Type *type = typed_.typeOf(attribute->value);
  const std::string &name = attribute->attr;
  uint64_t itemsize = itemBytes(type->dtype());
  if (name == "itemsize")
    return b.getInt64(itemsize);
  if (name == "real" && !type->dtype()->isComplex())
    return array;
  ArrayParts parts = arrayParts(array, type);
  if ((name == "real" || name == "imag") && type->dtype()->isComplex()) {
    llvm::Value *data = parts.data;
    if (name == "imag") // the second part of each element
      data = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), data, itemsize / 2);
    return makeView(typed_.typeOf(attribute), data, parts.base, parts.shape, parts.strides);
  }
  if (name == "nbytes") {
    llvm::Value *bytes = b.getInt64(itemsize);
    for (llvm::Value *extent : parts.shape)
      bytes = b.CreateMul(bytes, extent);
    return bytes;
  }
  if (name == "strides") {
    // The strides stored, not those a contiguous layout implies: NumPy reports any stride
    // of an axis of length one, or of an empty array, as the buffer has it.
    llvm::Value *tuple = llvm::UndefValue::get(module_.typeOf(typed_.typeOf(attribute)));
    for (unsigned d = 0; d < parts.strides.size(); ++d)
      tuple = b.CreateInsertValue(tuple, b.CreateExtractValue(array, {2u, d}), d);
    return tuple;
  }
  if (name == "flat") { // a view of C-contiguous memory, else a C-order copy (read-only)
    const Type *result = typed_.typeOf(attribute);
    llvm::Value *size = b.getInt64(1);
    for (llvm::Value *extent : parts.shape)
      size = b.CreateMul(size, extent);
    std::vector<llvm::Value *> flat{size};
    if (type->layout() == sema::Layout::C)
      return makeView(result, parts.data, parts.base, flat, cStrides(flat, result->dtype()));
    llvm::AllocaInst *out = entryAlloca(module_.typeOf(result), "flat.result");
    auto *view = newBlock("flat.view");
    auto *copy = newBlock("flat.copy");
    auto *done = newBlock("flat.done");
    b.CreateCondBr(contiguous(parts, type, false), view, copy);
    b.SetInsertPoint(view);
    b.CreateStore(makeView(result, parts.data, parts.base, flat, cStrides(flat, result->dtype())),
                  out);
    b.CreateBr(done);
    b.SetInsertPoint(copy);
    b.CreateStore(copyInCOrder(parts, type, result, flat, attribute->span), out);
    b.CreateBr(done);
    b.SetInsertPoint(done);
    return b.CreateLoad(module_.typeOf(result), out);
  }
  if (name == "imag") { // zeros of the same shape
    const Type *result = typed_.typeOf(attribute);
    llvm::Value *zeros = newArray(result, parts.shape, attribute->span);
    llvm::Value *bytes = b.getInt64(itemsize);
    for (llvm::Value *extent : parts.shape)
      bytes = b.CreateMul(bytes, extent);
    b.CreateMemSet(b.CreateExtractValue(zeros, 0), b.getInt8(0), bytes, llvm::MaybeAlign(64));
    return zeros;
  }
  return nullptr;
}

llvm::Value *FunctionLowering::lowerFlag(const AttributeExpr *attribute) {
  auto *flags = cast<AttributeExpr>(attribute->value);
  const Type *type = typed_.typeOf(flags->value);
  llvm::Value *array = lowerExpr(flags->value);
  const std::string &name = attribute->attr;
  if (name == "writeable")
    return builder_.getInt1(!type->readonly());
  ArrayParts parts = arrayParts(array, type);
  if (name == "f_contiguous")
    return contiguous(parts, type, true);
  return contiguous(parts, type, false); // c_contiguous, contiguous
}

} // namespace nogil::codegen
