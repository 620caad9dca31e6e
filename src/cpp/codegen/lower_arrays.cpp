// Lowering of array access: element addresses with bounds checks, views, shape and stores.
// C- and Fortran-contiguous arrays compute their strides from the shape and the element
// size, so the innermost stride is a constant and loops over them vectorize; the checks are
// plain compares of the index against the length, which LLVM folds where a loop's range
// already bounds the index.
#include "codegen/lower_impl.h"

#include <llvm/IR/Intrinsics.h>

#include <cstdint>

namespace nogil::codegen {

using namespace ast;
using sema::Type;
using sema::TypeKind;

uint64_t elementSize(const Type *dtype) {
  return dtype->kind() == TypeKind::Bool ? 1 : dtype->bitWidth() / 8;
}

FunctionLowering::ArrayParts FunctionLowering::arrayParts(llvm::Value *array, const Type *type) {
  ArrayParts parts;
  parts.data = builder_.CreateExtractValue(array, 0);
  parts.base = builder_.CreateExtractValue(array, 3);
  unsigned ndim = type->ndim();
  for (unsigned d = 0; d < ndim; ++d)
    parts.shape.push_back(builder_.CreateExtractValue(array, {1u, d}));
  parts.strides.resize(ndim);
  llvm::Value *itemsize = builder_.getInt64(elementSize(type->dtype()));
  switch (type->layout()) {
  case sema::Layout::C: {
    llvm::Value *stride = itemsize;
    for (unsigned d = ndim; d-- > 0;) {
      parts.strides[d] = stride;
      stride = builder_.CreateMul(stride, parts.shape[d]);
    }
    break;
  }
  case sema::Layout::F: {
    llvm::Value *stride = itemsize;
    for (unsigned d = 0; d < ndim; ++d) {
      parts.strides[d] = stride;
      stride = builder_.CreateMul(stride, parts.shape[d]);
    }
    break;
  }
  case sema::Layout::Any:
    for (unsigned d = 0; d < ndim; ++d)
      parts.strides[d] = builder_.CreateExtractValue(array, {2u, d});
    break;
  }
  return parts;
}

llvm::Value *FunctionLowering::checkedIndex(llvm::Value *index, llvm::Value *size, unsigned axis,
                                            Span at) {
  // Negative indices count from the end, as in Python and NumPy.
  llvm::Value *wrapped = builder_.CreateSelect(builder_.CreateICmpSLT(index, builder_.getInt64(0)),
                                               builder_.CreateAdd(index, size), index);
  if (!unit_.boundsCheck)
    return wrapped;
  auto *outside = newBlock("index.outside");
  auto *inside = newBlock("index.inside");
  llvm::MDBuilder weights(module_.context);
  builder_.CreateCondBr(builder_.CreateICmpUGE(wrapped, size), outside, inside,
                        weights.createUnlikelyBranchWeights());
  builder_.SetInsertPoint(outside);
  llvm::PointerType *ptr = builder_.getPtrTy();
  llvm::Type *i64 = builder_.getInt64Ty();
  auto raise = module_.module.getOrInsertFunction("nogil_rt_raise_index", builder_.getVoidTy(), i64,
                                                  i64, i64, ptr);
  builder_.CreateCall(raise, {index, builder_.getInt64(axis), size, module_.site(unit_, at)});
  unwind();
  builder_.SetInsertPoint(inside);
  return wrapped;
}

FunctionLowering::ElementAccess FunctionLowering::arrayAccess(const SubscriptExpr *subscript) {
  if (typed_.recordFields.count(subscript->id))
    return fieldAccess(subscript);
  const Type *arrayType = typed_.typeOf(subscript->value);
  llvm::Value *array = lowerExpr(subscript->value);
  std::vector<const Expr *> indices;
  if (auto *tuple = dynCast<TupleExpr>(subscript->index))
    indices.assign(tuple->elements.begin(), tuple->elements.end());
  else
    indices.push_back(subscript->index);
  ArrayParts parts = arrayParts(array, arrayType);
  llvm::Value *offset = builder_.getInt64(0);
  std::vector<llvm::Value *> viewShape;
  std::vector<llvm::Value *> viewStrides;
  // None and np.newaxis are typed None, as are `...` and slices (which are not new axes).
  auto newAxis = [&](const Expr *index) {
    return typed_.typeOf(index)->isNone() && !isa<SliceExpr>(index) &&
           !isa<EllipsisLiteralExpr>(index);
  };
  unsigned consumed = 0;
  for (const Expr *index : indices)
    consumed += !newAxis(index) && !isa<EllipsisLiteralExpr>(index);
  unsigned axis = 0;
  for (const Expr *index : indices) {
    if (newAxis(index)) { // a new axis of length one, stride 0 as in NumPy
      viewShape.push_back(builder_.getInt64(1));
      viewStrides.push_back(builder_.getInt64(0));
      continue;
    }
    if (isa<EllipsisLiteralExpr>(index)) { // every dimension no other index takes
      for (unsigned end = axis + arrayType->ndim() - consumed; axis < end; ++axis) {
        viewShape.push_back(parts.shape[axis]);
        viewStrides.push_back(parts.strides[axis]);
      }
      continue;
    }
    if (auto *slice = dynCast<SliceExpr>(index)) {
      SliceBounds bounds = sliceBounds(slice, parts.shape[axis]);
      offset = builder_.CreateAdd(offset, builder_.CreateMul(bounds.start, parts.strides[axis]));
      viewShape.push_back(bounds.length);
      viewStrides.push_back(builder_.CreateMul(bounds.step, parts.strides[axis]));
      ++axis;
      continue;
    }
    llvm::Value *position = lowerAs(index, sema::int64Type());
    if (typed_.typeOf(index)->kind() == TypeKind::UInt64) // beyond int64: as NumPy
      raiseIf(builder_.CreateICmpSLT(position, builder_.getInt64(0)), NOGIL_ERROR_OVERFLOW,
              "Python int too large to convert to C long", subscript->span);
    if (provenIndices_.count({subscript->id, axis})) // within [-size, size): wrapped only
      position = builder_.CreateSelect(builder_.CreateICmpSLT(position, builder_.getInt64(0)),
                                       builder_.CreateAdd(position, parts.shape[axis]), position);
    else
      position = checkedIndex(position, parts.shape[axis], axis, subscript->span);
    offset = builder_.CreateAdd(offset, builder_.CreateMul(position, parts.strides[axis]));
    ++axis;
  }
  // An offset into an empty slice may point one past the end; it is never dereferenced.
  llvm::Value *address = builder_.CreateGEP(builder_.getInt8Ty(), parts.data, offset);
  ElementAccess access{arrayType, address, nullptr};
  const Type *result = typed_.typeOf(subscript);
  if (result->isArray()) { // a view: the sliced and new dimensions, then those not indexed
    for (; axis < arrayType->ndim(); ++axis) {
      viewShape.push_back(parts.shape[axis]);
      viewStrides.push_back(parts.strides[axis]);
    }
    access.view = makeView(result, address, parts.base, viewShape, viewStrides);
  }
  return access;
}

llvm::Value *FunctionLowering::sliceIndex(const Expr *bound) {
  llvm::Value *value = lowerAs(bound, sema::int64Type());
  if (typed_.typeOf(bound)->kind() != TypeKind::UInt64)
    return value;
  // A uint64 past int64 is a huge Python int, which a slice clamps to the largest index
  // (PySlice_Unpack), rather than a negative one.
  return builder_.CreateSelect(builder_.CreateICmpSLT(value, builder_.getInt64(0)),
                               builder_.getInt64(INT64_MAX), value);
}

FunctionLowering::SliceBounds FunctionLowering::sliceBounds(const SliceExpr *slice,
                                                            llvm::Value *size) {
  // CPython's PySlice_Unpack and PySlice_AdjustIndices, which NumPy uses: defaults, negative
  // bounds from the end, clamping, and a length computed without overflow for any int64
  // bounds and step.
  auto &b = builder_;
  llvm::Value *zero = b.getInt64(0);
  llvm::Value *one = b.getInt64(1);
  llvm::Value *step = slice->step ? sliceIndex(slice->step) : one;
  if (slice->step) {
    raiseIf(b.CreateICmpEQ(step, zero), NOGIL_ERROR_VALUE, "slice step cannot be zero",
            slice->span);
    // -step must exist: -2**63 counts as -(2**63 - 1), as in CPython.
    step =
        b.CreateSelect(b.CreateICmpEQ(step, b.getInt64(INT64_MIN)), b.getInt64(-INT64_MAX), step);
  }
  llvm::Value *negative = b.CreateICmpSLT(step, zero);
  llvm::Value *minusOne = b.getInt64(-1);
  // Where a bound clamps to: [0, n] going forward, [-1, n - 1] going backward.
  llvm::Value *low = b.CreateSelect(negative, minusOne, zero);
  llvm::Value *high = b.CreateSelect(negative, b.CreateSub(size, one), size);
  auto clamp = [&](const Expr *bound, llvm::Value *fallback) -> llvm::Value * {
    if (!bound)
      return fallback;
    llvm::Value *value = sliceIndex(bound);
    llvm::Value *fromEnd = b.CreateAdd(value, size); // a negative value: no overflow
    llvm::Value *adjusted = b.CreateSelect(b.CreateICmpSLT(value, zero), fromEnd, value);
    adjusted = b.CreateSelect(b.CreateICmpSLT(adjusted, low), low, adjusted);
    return b.CreateSelect(b.CreateICmpSGT(adjusted, high), high, adjusted);
  };
  llvm::Value *start = clamp(slice->lower, b.CreateSelect(negative, high, zero));
  llvm::Value *stop = clamp(slice->upper, b.CreateSelect(negative, minusOne, size));
  // Both bounds lie in [-1, n], so their distance cannot overflow; adding step - 1 could.
  llvm::Value *forward = b.CreateSelect(
      b.CreateICmpSLT(start, stop),
      b.CreateAdd(b.CreateSDiv(b.CreateSub(b.CreateSub(stop, start), one), step), one), zero);
  llvm::Value *backward = b.CreateSelect(
      b.CreateICmpSLT(stop, start),
      b.CreateAdd(b.CreateSDiv(b.CreateSub(b.CreateSub(start, stop), one), b.CreateNeg(step)), one),
      zero);
  return {start, b.CreateSelect(negative, backward, forward), step};
}

llvm::Value *FunctionLowering::loadElement(const ElementAccess &access) {
  const Type *dtype = access.array->dtype();
  if (dtype->isRecord()) // a record is its address
    return access.address;
  llvm::MaybeAlign align = access.packed ? llvm::MaybeAlign(1) : llvm::MaybeAlign();
  if (dtype->kind() == TypeKind::Bool)
    return builder_.CreateICmpNE(
        builder_.CreateAlignedLoad(builder_.getInt8Ty(), access.address, align),
        builder_.getInt8(0));
  return builder_.CreateAlignedLoad(module_.typeOf(dtype), access.address, align);
}

void FunctionLowering::storeElement(const ElementAccess &access, llvm::Value *value,
                                    const Type *type, Span at) {
  const Type *dtype = access.array->dtype();
  if (dtype->isRecord()) { // `a[i] = r`: NumPy copies the record's bytes
    copyRecord(access.address, value, dtype);
    return;
  }
  // NumPy's setitem converts a float through a Python int: NaN, infinities and values the
  // element type cannot hold raise rather than saturate. An int wraps: most are results of
  // arithmetic on elements (a[i] = a[i] * 2), which NumPy computes in the element's type.
  bool checked = dtype->isInteger() && type->isFloat();
  llvm::Value *converted =
      checked ? checkedToInteger(value, type, dtype, at) : convert(value, type, dtype);
  if (dtype->kind() == TypeKind::Bool)
    converted = builder_.CreateZExt(converted, builder_.getInt8Ty());
  builder_.CreateAlignedStore(converted, access.address,
                              access.packed ? llvm::MaybeAlign(1) : llvm::MaybeAlign());
}

namespace {

/// The suffix of the runtime's reductions for an element type (runtime/reductions.h).
const char *reductionSuffix(const Type *dtype) {
  switch (dtype->kind()) {
  case TypeKind::Bool:
    return "b";
  case TypeKind::Int8:
    return "i8";
  case TypeKind::Int16:
    return "i16";
  case TypeKind::Int32:
    return "i32";
  case TypeKind::UInt8:
    return "u8";
  case TypeKind::UInt16:
    return "u16";
  case TypeKind::UInt32:
    return "u32";
  case TypeKind::UInt64:
    return "u64";
  case TypeKind::Float32:
    return "f32";
  case TypeKind::Float64:
    return "f64";
  default:
    return "i64";
  }
}

} // namespace

std::vector<const Expr *> FunctionLowering::arrayCallOperands(const CallExpr *call) const {
  std::vector<const Expr *> operands(call->args.begin(), call->args.end());
  if (auto *method = dynCast<AttributeExpr>(call->callee)) {
    const Type *owner = typed_.typeOf(method->value);
    if (owner && owner->isArray()) // a.sum(): the array comes first, as in np.sum(a)
      operands.insert(operands.begin(), method->value);
  }
  return operands;
}

llvm::Value *FunctionLowering::makeView(const Type *type, llvm::Value *data, llvm::Value *base,
                                        const std::vector<llvm::Value *> &shape,
                                        const std::vector<llvm::Value *> &strides) {
  llvm::Value *view = llvm::UndefValue::get(module_.typeOf(type));
  view = builder_.CreateInsertValue(view, data, 0);
  view = builder_.CreateInsertValue(view, base, 3);
  for (unsigned d = 0; d < shape.size(); ++d) {
    view = builder_.CreateInsertValue(view, shape[d], {1u, d});
    view = builder_.CreateInsertValue(view, strides[d], {2u, d});
  }
  return view;
}

llvm::Value *FunctionLowering::lowerArrayReduction(const CallExpr *call, sema::Builtin builtin) {
  using sema::Builtin;
  auto &b = builder_;
  std::vector<const Expr *> operands = arrayCallOperands(call);
  const Type *type = typed_.typeOf(operands[0]);
  ArrayParts parts = arrayParts(lowerExpr(operands[0]), type);
  llvm::Type *i64 = b.getInt64Ty();
  llvm::PointerType *ptr = b.getPtrTy();
  // The shape and strides, spilled for the runtime (at least one slot, for 0-d arrays).
  unsigned ndim = type->ndim();
  auto *dims = llvm::ArrayType::get(i64, std::max(ndim, 1u));
  llvm::AllocaInst *shape = entryAlloca(dims, "reduce.shape");
  llvm::AllocaInst *strides = entryAlloca(dims, "reduce.strides");
  llvm::Value *size = b.getInt64(1);
  for (unsigned d = 0; d < ndim; ++d) {
    b.CreateStore(parts.shape[d], b.CreateConstInBoundsGEP2_64(dims, shape, 0, d));
    b.CreateStore(parts.strides[d], b.CreateConstInBoundsGEP2_64(dims, strides, 0, d));
    size = b.CreateMul(size, parts.shape[d]);
  }
  const Type *dtype = type->dtype();
  std::string suffix = reductionSuffix(dtype);
  auto call4 = [&](const std::string &name, llvm::Type *result) {
    auto function = module_.module.getOrInsertFunction("nogil_rt_" + name + "_" + suffix, result,
                                                       ptr, i64, ptr, ptr);
    if (auto *f = llvm::dyn_cast<llvm::Function>(function.getCallee()))
      f->setOnlyReadsMemory();
    return b.CreateCall(function, {parts.data, b.getInt64(ndim), shape, strides});
  };
  // Elements come back in their own type; a bool as the byte C returns it in.
  llvm::Type *elementType = dtype->kind() == TypeKind::Bool ? b.getInt8Ty() : module_.typeOf(dtype);
  auto asElement = [&](llvm::Value *value) {
    return dtype->kind() == TypeKind::Bool ? b.CreateICmpNE(value, b.getInt8(0)) : value;
  };
  llvm::Value *empty = b.CreateICmpEQ(size, b.getInt64(0));
  switch (builtin) {
  case Builtin::ArraySum:
    return call4("sum", module_.typeOf(typed_.typeOf(call)));
  case Builtin::ArrayMean: {
    const Type *result = typed_.typeOf(call);
    llvm::Value *total =
        dtype->isFloat() ? call4("sum", module_.typeOf(dtype)) : call4("fsum", b.getDoubleTy());
    // An empty mean is nan, as NumPy's (which warns).
    return b.CreateFDiv(total, b.CreateSIToFP(size, module_.typeOf(result)));
  }
  case Builtin::ArrayMin:
  case Builtin::ArrayAmin:
    raiseIf(empty, NOGIL_ERROR_VALUE,
            "zero-size array to reduction operation minimum which has no identity", call->span);
    return asElement(call4("min", elementType));
  case Builtin::ArrayMax:
  case Builtin::ArrayAmax:
    raiseIf(empty, NOGIL_ERROR_VALUE,
            "zero-size array to reduction operation maximum which has no identity", call->span);
    return asElement(call4("max", elementType));
  case Builtin::ArrayArgmin:
    raiseIf(empty, NOGIL_ERROR_VALUE, "attempt to get argmin of an empty sequence", call->span);
    return call4("argmin", i64);
  case Builtin::ArrayArgmax:
    raiseIf(empty, NOGIL_ERROR_VALUE, "attempt to get argmax of an empty sequence", call->span);
    return call4("argmax", i64);
  default:
    break;
  }
  assert(false && "every array reduction has a lowering");
  return nullptr;
}

llvm::Value *FunctionLowering::newArray(const Type *type, const std::vector<llvm::Value *> &shape,
                                        Span at, const std::vector<llvm::Value *> *strides) {
  auto &b = builder_;
  // The runtime checks the shape as NumPy does (negative dimensions, a byte count beyond
  // int64) before it allocates: one call per array, nothing per element.
  llvm::Type *i64 = b.getInt64Ty();
  auto *dims = llvm::ArrayType::get(i64, std::max<size_t>(shape.size(), 1));
  llvm::AllocaInst *extents = entryAlloca(dims, "array.shape");
  for (unsigned d = 0; d < shape.size(); ++d)
    b.CreateStore(shape[d], b.CreateConstInBoundsGEP2_64(dims, extents, 0, d));
  llvm::PointerType *ptr = b.getPtrTy();
  llvm::AllocaInst *memory = entryAlloca(ptr, "array.memory");
  auto alloc =
      module_.module.getOrInsertFunction("nogil_rt_array_new", ptr, i64, ptr, i64, ptr, ptr, ptr);
  llvm::Value *data = b.CreateCall(
      alloc, {b.getInt64(shape.size()), extents, b.getInt64(elementSize(type->dtype())),
              module_.string(type->dtype()->name()), memory, module_.site(unit_, at)});
  unwindIf(b.CreateIsNull(data), nullptr);
  markGarbage(); // unreferenced until a local takes it
  // The base is the runtime's allocation, tagged with the low bit (see ModuleLowering::typeOf).
  llvm::Value *base = b.CreateIntToPtr(
      b.CreateOr(b.CreatePtrToInt(b.CreateLoad(ptr, memory), b.getInt64Ty()), b.getInt64(1)), ptr);
  llvm::Value *array = llvm::UndefValue::get(module_.typeOf(type));
  array = b.CreateInsertValue(array, data, 0);
  array = b.CreateInsertValue(array, base, 3);
  llvm::Value *stride = b.getInt64(elementSize(type->dtype()));
  auto ndim = static_cast<unsigned>(shape.size());
  bool fortran = type->layout() == sema::Layout::F;
  for (unsigned k = 0; k < ndim; ++k) {
    unsigned d = fortran ? k : ndim - 1 - k;
    array = b.CreateInsertValue(array, shape[d], {1u, d});
    array = b.CreateInsertValue(array, strides ? (*strides)[d] : stride, {2u, d});
    stride = b.CreateMul(stride, shape[d]);
  }
  return array;
}

std::vector<llvm::Value *> FunctionLowering::likeStrides(const ArrayParts &source,
                                                         const Type *sourceDtype, const Type *dtype,
                                                         char order) {
  auto &b = builder_;
  auto ndim = static_cast<unsigned>(source.shape.size());
  auto *dims = llvm::ArrayType::get(b.getInt64Ty(), std::max(ndim, 1u));
  llvm::AllocaInst *shape = entryAlloca(dims, "like.shape");
  llvm::AllocaInst *from = entryAlloca(dims, "like.source_strides");
  llvm::AllocaInst *to = entryAlloca(dims, "like.strides");
  for (unsigned d = 0; d < ndim; ++d) {
    b.CreateStore(source.shape[d], b.CreateConstInBoundsGEP2_64(dims, shape, 0, d));
    b.CreateStore(source.strides[d], b.CreateConstInBoundsGEP2_64(dims, from, 0, d));
  }
  llvm::PointerType *ptr = b.getPtrTy();
  llvm::Type *i64 = b.getInt64Ty();
  auto like = module_.module.getOrInsertFunction("nogil_rt_like_strides", b.getVoidTy(), i64, ptr,
                                                 ptr, i64, i64, i64, ptr);
  b.CreateCall(like, {b.getInt64(ndim), shape, from, b.getInt64(elementSize(sourceDtype)),
                      b.getInt64(elementSize(dtype)), b.getInt64(order), to});
  std::vector<llvm::Value *> strides;
  for (unsigned d = 0; d < ndim; ++d)
    strides.push_back(b.CreateLoad(i64, b.CreateConstInBoundsGEP2_64(dims, to, 0, d)));
  return strides;
}

void FunctionLowering::copyInto(const ArrayParts &destination, const ArrayParts &source,
                                const Type *dtype, bool cOrder) {
  auto &b = builder_;
  // Spill the shape and strides for the runtime's strided copy.
  auto ndim = static_cast<unsigned>(source.shape.size());
  auto *dims = llvm::ArrayType::get(b.getInt64Ty(), std::max(ndim, 1u));
  llvm::AllocaInst *shapes = entryAlloca(dims, "copy.shape");
  llvm::AllocaInst *strides = entryAlloca(dims, "copy.strides");
  llvm::AllocaInst *targetStrides = cOrder ? nullptr : entryAlloca(dims, "copy.target_strides");
  for (unsigned d = 0; d < ndim; ++d) {
    b.CreateStore(source.shape[d], b.CreateConstInBoundsGEP2_64(dims, shapes, 0, d));
    b.CreateStore(source.strides[d], b.CreateConstInBoundsGEP2_64(dims, strides, 0, d));
    if (targetStrides)
      b.CreateStore(destination.strides[d],
                    b.CreateConstInBoundsGEP2_64(dims, targetStrides, 0, d));
  }
  llvm::PointerType *ptr = b.getPtrTy();
  llvm::Type *i64 = b.getInt64Ty();
  llvm::Value *itemsize = b.getInt64(elementSize(dtype));
  if (cOrder) {
    auto copy = module_.module.getOrInsertFunction("nogil_rt_array_copy", b.getVoidTy(), ptr, ptr,
                                                   i64, ptr, ptr, i64);
    b.CreateCall(copy,
                 {destination.data, source.data, b.getInt64(ndim), shapes, strides, itemsize});
    return;
  }
  auto copy = module_.module.getOrInsertFunction("nogil_rt_array_copy_to", b.getVoidTy(), ptr, ptr,
                                                 ptr, i64, ptr, ptr, i64);
  b.CreateCall(copy, {destination.data, targetStrides, source.data, b.getInt64(ndim), shapes,
                      strides, itemsize});
}

void FunctionLowering::fillArray(llvm::Value *array, const Type *type,
                                 const std::function<llvm::Value *(llvm::Value *)> &valueAt) {
  auto &b = builder_;
  ArrayParts parts = arrayParts(array, type);
  llvm::Value *size = b.getInt64(1);
  for (llvm::Value *extent : parts.shape)
    size = b.CreateMul(size, extent);
  llvm::AllocaInst *counter = entryAlloca(b.getInt64Ty(), "fill.i");
  b.CreateStore(b.getInt64(0), counter);
  auto *header = newBlock("fill.cond");
  auto *body = newBlock("fill.body");
  auto *done = newBlock("fill.done");
  b.CreateBr(header);
  b.SetInsertPoint(header);
  llvm::Value *i = b.CreateLoad(b.getInt64Ty(), counter);
  b.CreateCondBr(b.CreateICmpSLT(i, size), body, done);
  b.SetInsertPoint(body);
  llvm::Value *address = b.CreateInBoundsGEP(module_.typeOf(type->dtype()), parts.data, i);
  if (type->dtype()->kind() == TypeKind::Bool)
    address = b.CreateInBoundsGEP(b.getInt8Ty(), parts.data, i);
  ElementAccess access{type, address, nullptr};
  llvm::Value *value = valueAt(i);
  if (type->dtype()->kind() == TypeKind::Bool)
    b.CreateStore(b.CreateZExt(value, b.getInt8Ty()), access.address);
  else
    b.CreateStore(value, access.address);
  b.CreateStore(b.CreateAdd(i, b.getInt64(1)), counter);
  b.CreateBr(header);
  b.SetInsertPoint(done);
}

llvm::Value *FunctionLowering::lowerArrayAllocation(const CallExpr *call, sema::Builtin builtin) {
  using sema::Builtin;
  auto &b = builder_;
  std::vector<const Expr *> operands = arrayCallOperands(call);
  // The values only: a positional dtype (np.zeros(n, np.int32)) is in the result's type.
  operands.resize(std::min(operands.size(), sema::numpyParameters(builtin).supported));
  const Type *result = typed_.typeOf(call);
  const Type *dtype = result->dtype();
  std::vector<llvm::Value *> shape;
  llvm::Value *source = nullptr;
  const Type *sourceType = nullptr;
  bool like = builtin == Builtin::NpEmptyLike || builtin == Builtin::NpZerosLike ||
              builtin == Builtin::NpOnesLike || builtin == Builtin::NpFullLike ||
              builtin == Builtin::NpCopy;
  if (like) {
    sourceType = typed_.typeOf(operands[0]);
    source = lowerExpr(operands[0]);
    shape = arrayParts(source, sourceType).shape;
  } else if (builtin == Builtin::NpArange) {
    return lowerArange(call, operands, result);
  } else {
    const Type *shapeType = typed_.typeOf(operands[0]);
    llvm::Value *value = lowerExpr(operands[0]);
    if (shapeType->isTuple())
      for (unsigned d = 0; d < shapeType->elements().size(); ++d)
        shape.push_back(
            convert(b.CreateExtractValue(value, d), shapeType->elements()[d], sema::int64Type()));
    else
      shape.push_back(convert(value, shapeType, sema::int64Type()));
  }
  char order = 'C';
  if (auto given = typed_.allocationOrders.find(call->id); given != typed_.allocationOrders.end())
    order = given->second;
  std::vector<llvm::Value *> strides;
  if (result->layout() == sema::Layout::Any) // 'A' or 'K' of an array of unknown layout
    strides = likeStrides(arrayParts(source, sourceType), sourceType->dtype(), dtype, order);
  llvm::Value *array = newArray(result, shape, call->span, strides.empty() ? nullptr : &strides);
  ArrayParts parts = arrayParts(array, result);
  llvm::Value *size = b.getInt64(1);
  for (llvm::Value *extent : shape)
    size = b.CreateMul(size, extent);
  switch (builtin) {
  case Builtin::NpZeros:
  case Builtin::NpZerosLike:
    b.CreateMemSet(parts.data, b.getInt8(0), b.CreateMul(size, b.getInt64(elementSize(dtype))),
                   llvm::MaybeAlign(64));
    break;
  case Builtin::NpOnes:
  case Builtin::NpOnesLike:
  case Builtin::NpFull:
  case Builtin::NpFullLike: {
    bool ones = builtin == Builtin::NpOnes || builtin == Builtin::NpOnesLike;
    const Type *fillType = ones ? sema::int64Type() : typed_.typeOf(operands[1]);
    llvm::Value *fill = ones ? b.getInt64(1) : lowerExpr(operands[1]);
    // The fill value converts as a store does (NumPy casts a float, warning where the
    // cast is invalid; compiled code cannot warn, so it raises as setitem would).
    llvm::Value *value = dtype->isInteger() && fillType->isNumeric()
                             ? checkedToInteger(fill, fillType, dtype, call->span)
                             : convert(fill, fillType, dtype);
    fillArray(array, result, [&](llvm::Value *) { return value; });
    break;
  }
  case Builtin::NpCopy:
    copyInto(parts, arrayParts(source, sourceType), dtype, result->layout() == sema::Layout::C);
    break;
  default: // np.empty, np.empty_like: uninitialised, as in NumPy
    break;
  }
  return array;
}

llvm::Value *FunctionLowering::lowerArange(const CallExpr *call,
                                           const std::vector<const Expr *> &operands,
                                           const Type *result) {
  auto &b = builder_;
  // NumPy's arange: the length is ceil((stop - start) / step) in float64; the values are
  // start, start + step, then start + i * delta with delta = (start + step) - start.
  const Type *dtype = result->dtype();
  bool integral = true;
  for (const Expr *operand : operands)
    integral &= typed_.typeOf(operand)->isIntegral();
  const Type *math = integral ? sema::int64Type() : sema::float64Type();
  llvm::Value *start = operands.size() > 1 ? lowerAs(operands[0], math)
                                           : llvm::Constant::getNullValue(module_.typeOf(math));
  llvm::Value *stop = lowerAs(operands.size() > 1 ? operands[1] : operands[0], math);
  llvm::Value *step = operands.size() > 2 ? lowerAs(operands[2], math)
                                          : convert(b.getInt64(1), sema::int64Type(), math);
  llvm::Value *length = arangeLength(start, stop, step, integral, call->span);
  llvm::Value *array = newArray(result, {length}, call->span);
  llvm::Value *delta = integral ? step : b.CreateFSub(b.CreateFAdd(start, step), start);
  fillArray(array, result, [&](llvm::Value *i) {
    llvm::Value *value;
    if (integral) {
      value = b.CreateAdd(start, b.CreateMul(i, delta));
    } else {
      llvm::Value *scaled =
          b.CreateFAdd(start, b.CreateFMul(b.CreateSIToFP(i, b.getDoubleTy()), delta));
      value = b.CreateSelect(b.CreateICmpEQ(i, b.getInt64(1)), b.CreateFAdd(start, step), scaled);
      // The first is start itself, even where 0 * delta is NaN (an infinite step).
      value = b.CreateSelect(b.CreateICmpEQ(i, b.getInt64(0)), start, value);
    }
    return convert(value, math, dtype);
  });
  return array;
}

llvm::Value *FunctionLowering::arangeLength(llvm::Value *start, llvm::Value *stop,
                                            llvm::Value *step, bool integral, Span at) {
  // NumPy's _calc_length: (stop - start) / step as Python computes it (an exact int
  // difference, a true division), then ceil; NaN and lengths beyond int64 raise.
  auto &b = builder_;
  llvm::Type *f64 = b.getDoubleTy();
  auto constant = [&](double value) { return llvm::ConstantFP::get(f64, value); };
  llvm::Value *distance;
  llvm::Value *moves;
  if (integral) {
    raiseIf(b.CreateICmpEQ(step, b.getInt64(0)), NOGIL_ERROR_ZERO_DIVISION, "division by zero", at);
    llvm::Value *difference =
        b.CreateBinaryIntrinsic(llvm::Intrinsic::ssub_with_overflow, stop, start);
    // Past int64 the difference is at least 2**63, where rounding each bound first differs
    // from rounding the exact difference by less than the quotient's own rounding.
    distance = b.CreateSelect(b.CreateExtractValue(difference, 1),
                              b.CreateFSub(b.CreateSIToFP(stop, f64), b.CreateSIToFP(start, f64)),
                              b.CreateSIToFP(b.CreateExtractValue(difference, 0), f64));
    moves = b.CreateICmpNE(stop, start);
    step = b.CreateSIToFP(step, f64);
  } else {
    raiseIf(b.CreateFCmpOEQ(step, constant(0)), NOGIL_ERROR_ZERO_DIVISION, "float division by zero",
            at);
    distance = b.CreateFSub(stop, start);
    moves = b.CreateFCmpUNE(distance, constant(0));
  }
  llvm::Value *ratio = b.CreateFDiv(distance, step);
  llvm::Value *ceiling = b.CreateUnaryIntrinsic(llvm::Intrinsic::ceil, ratio);
  // A quotient that underflowed to zero, or a finite distance over an infinite step: one
  // element, or none when the quotient is negative.
  llvm::Value *vanished = b.CreateAnd(b.CreateFCmpOEQ(ratio, constant(0)), moves);
  llvm::Value *tiny = b.CreateSelect(b.CreateIsNeg(b.CreateBitCast(ratio, b.getInt64Ty())),
                                     b.getInt64(0), b.getInt64(1));
  raiseIf(b.CreateAnd(b.CreateNot(vanished), isNan(ceiling)), NOGIL_ERROR_VALUE,
          "arange: cannot compute length", at);
  llvm::Value *representable = b.CreateAnd(b.CreateFCmpOGE(ceiling, constant(-0x1p63)),
                                           b.CreateFCmpOLE(ceiling, constant(0x1p63)));
  raiseIf(b.CreateAnd(b.CreateNot(vanished), b.CreateNot(representable)), NOGIL_ERROR_VALUE,
          "Maximum allowed size exceeded", at);
  // NumPy casts a ceiling of exactly 2**63 to int64 as x86 does, to -2**63: no elements.
  llvm::Value *counted =
      b.CreateSelect(b.CreateFCmpOEQ(ceiling, constant(0x1p63)), b.getInt64(INT64_MIN),
                     b.CreateFPToSI(ceiling, b.getInt64Ty()));
  llvm::Value *length = b.CreateSelect(vanished, tiny, counted);
  return b.CreateSelect(b.CreateICmpSGT(length, b.getInt64(0)), length, b.getInt64(0));
}

llvm::Value *FunctionLowering::lowerArrayAttribute(const AttributeExpr *attribute) {
  const Type *type = typed_.typeOf(attribute->value);
  llvm::Value *array = lowerExpr(attribute->value);
  if (llvm::Value *memory = lowerMemoryAttribute(attribute, array))
    return memory;
  if (attribute->attr == "ndim")
    return builder_.getInt64(type->ndim());
  if (attribute->attr == "T") {
    ArrayParts parts = arrayParts(array, type);
    return makeView(typed_.typeOf(attribute), parts.data, parts.base,
                    {parts.shape.rbegin(), parts.shape.rend()},
                    {parts.strides.rbegin(), parts.strides.rend()});
  }
  std::vector<llvm::Value *> shape;
  for (unsigned d = 0; d < type->ndim(); ++d)
    shape.push_back(builder_.CreateExtractValue(array, {1u, d}));
  if (attribute->attr == "size") {
    llvm::Value *size = builder_.getInt64(1);
    for (llvm::Value *extent : shape)
      size = builder_.CreateMul(size, extent);
    return size;
  }
  llvm::Value *tuple = llvm::UndefValue::get(module_.typeOf(typed_.typeOf(attribute)));
  for (unsigned d = 0; d < shape.size(); ++d)
    tuple = builder_.CreateInsertValue(tuple, shape[d], d);
  return tuple;
}

} // namespace nogil::codegen
