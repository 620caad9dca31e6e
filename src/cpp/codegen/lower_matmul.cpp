// Lowering of matrix products (a @ b, np.matmul, np.dot, a.dot(b), np.vdot, np.inner,
// np.outer): each operand is described to the runtime as a matrix (a 1-d left operand is one
// row, a 1-d right operand one column), the result is allocated C-contiguous, and
// nogil_rt_matmul checks the inner dimensions, chooses the BLAS call and fills it.
//
//   c = a @ b   ->   poll(m * n * k)            (a long product releases the GIL first)
//                    c = new array (m, n)
//                    nogil_rt_matmul(&{a...}, 2, &{b...}, 2, dtype, kind, c.data, site)
#include "codegen/lower_impl.h"

#include "runtime/matmul.h"

#include <llvm/IR/MDBuilder.h>

namespace nogil::codegen {

using namespace ast;
using sema::Type;
using sema::TypeKind;

namespace {

int64_t matmulDtype(const Type *dtype) {
  switch (dtype->kind()) {
  case TypeKind::Bool:
    return NOGIL_MATMUL_BOOL;
  case TypeKind::Int8:
    return NOGIL_MATMUL_I8;
  case TypeKind::Int16:
    return NOGIL_MATMUL_I16;
  case TypeKind::Int32:
    return NOGIL_MATMUL_I32;
  case TypeKind::UInt8:
    return NOGIL_MATMUL_U8;
  case TypeKind::UInt16:
    return NOGIL_MATMUL_U16;
  case TypeKind::UInt32:
    return NOGIL_MATMUL_U32;
  case TypeKind::UInt64:
    return NOGIL_MATMUL_U64;
  case TypeKind::Float32:
    return NOGIL_MATMUL_F32;
  case TypeKind::Float64:
    return NOGIL_MATMUL_F64;
  case TypeKind::Complex128:
    return NOGIL_MATMUL_C128;
  case TypeKind::Complex64:
    return NOGIL_MATMUL_C64;
  default:
    return NOGIL_MATMUL_I64;
  }
}

int64_t productKind(sema::Builtin builtin) {
  switch (builtin) {
  case sema::Builtin::NpMatmul:
    return NOGIL_PRODUCT_MATMUL;
  case sema::Builtin::NpVdot:
    return NOGIL_PRODUCT_VDOT;
  case sema::Builtin::NpOuter:
    return NOGIL_PRODUCT_OUTER;
  default: // dot, and inner as dot(a, b.T)
    return NOGIL_PRODUCT_DOT;
  }
}

} // namespace

llvm::Value *FunctionLowering::lowerMatrixProduct(sema::Builtin builtin, const Expr *lhs,
                                                  const Expr *rhs, const Expr *out,
                                                  const Type *result, Span at) {
  auto &b = builder_;
  const Type *lhsType = typed_.typeOf(lhs);
  const Type *rhsType = typed_.typeOf(rhs);
  ArrayParts left = arrayParts(lowerExpr(lhs), lhsType);
  ArrayParts right = arrayParts(lowerExpr(rhs), rhsType);
  llvm::Value *outValue = out ? lowerExpr(out) : nullptr;
  llvm::Value *zero = b.getInt64(0);
  llvm::Value *one = b.getInt64(1);
  // np.inner(a, b) is np.dot(a, b.T): b's axes swap (NumPy's messages name b.T's shape too).
  if (builtin == sema::Builtin::NpInner && rhsType->ndim() == 2) {
    std::swap(right.shape[0], right.shape[1]);
    std::swap(right.strides[0], right.strides[1]);
  }
  // {data, rows, cols, rowStride, colStride, dtype}, as NogilMatrix.
  llvm::Type *i64 = b.getInt64Ty();
  auto *matrixType =
      llvm::StructType::get(module_.context, {b.getPtrTy(), i64, i64, i64, i64, i64});
  auto store = [&](llvm::ArrayRef<llvm::Value *> fields, const char *name) {
    llvm::AllocaInst *slot = entryAlloca(matrixType, name);
    for (unsigned i = 0; i < fields.size(); ++i)
      b.CreateStore(fields[i], b.CreateStructGEP(matrixType, slot, i));
    return slot;
  };
  struct Matrix {
    llvm::Value *slot, *rows, *cols;
  };
  // A 1-d array is one row or one column of the matrix it stands for.
  auto describe = [&](const ArrayParts &parts, const Type *type, bool asRow, const char *name) {
    llvm::Value *rows, *cols, *rowStride, *colStride;
    if (type->ndim() == 2) {
      rows = parts.shape[0], cols = parts.shape[1];
      rowStride = parts.strides[0], colStride = parts.strides[1];
    } else if (asRow) {
      rows = one, cols = parts.shape[0], rowStride = zero, colStride = parts.strides[0];
    } else {
      rows = parts.shape[0], cols = one, rowStride = parts.strides[0], colStride = zero;
    }
    llvm::Value *dtype = b.getInt64(matmulDtype(type->dtype()));
    return Matrix{store({parts.data, rows, cols, rowStride, colStride, dtype}, name), rows, cols};
  };
  bool outer = builtin == sema::Builtin::NpOuter;
  Matrix a = describe(left, lhsType, !outer, "matmul.a");
  Matrix bm = describe(right, rhsType, outer, "matmul.b");
  llvm::Value *m = a.rows, *k = a.cols, *n = bm.cols;
  llvm::Value *aNdim = b.getInt64(lhsType->ndim()), *bNdim = b.getInt64(rhsType->ndim());
  llvm::Value *kind = b.getInt64(productKind(builtin));
  llvm::Constant *site = module_.site(unit_, at);
  // Inner dimensions first, before the result is allocated: (10**6, 3) @ (4, 10**6) is
  // NumPy's ValueError, not a MemoryError for its (10**6, 10**6) result.
  auto *mismatch = newBlock("matmul.mismatch");
  auto *aligned = newBlock("matmul.aligned");
  llvm::MDBuilder weights(module_.context);
  b.CreateCondBr(b.CreateICmpNE(k, bm.rows), mismatch, aligned,
                 weights.createUnlikelyBranchWeights());
  b.SetInsertPoint(mismatch);
  auto raiseMismatch = module_.coldFunction(
      "nogil_rt_matmul_mismatch",
      llvm::FunctionType::get(b.getVoidTy(),
                              {b.getPtrTy(), i64, b.getPtrTy(), i64, i64, b.getPtrTy()}, false));
  b.CreateCall(raiseMismatch, {a.slot, aNdim, bm.slot, bNdim, kind, site});
  unwind();
  b.SetInsertPoint(aligned);
  // Charged as m*n*k element steps (each factor capped, so the product cannot overflow): a
  // long product releases the GIL under nogil="auto" before it starts.
  auto capped = [&](llvm::Value *v) {
    llvm::Value *cap = b.getInt64(1 << 20);
    return b.CreateSelect(b.CreateICmpSGT(v, cap), cap, v);
  };
  poll(b.CreateMul(b.CreateMul(capped(m), capped(n)), capped(k)));
  const Type *dtype = result->isArray() ? result->dtype() : result;
  llvm::Type *element = dtype->kind() == TypeKind::Bool ? b.getInt8Ty() : module_.typeOf(dtype);
  llvm::Value *outArray = outValue;
  llvm::Value *outData = nullptr;
  llvm::Value *outMatrix;
  if (outValue) {
    // As the result: the row a 1-d left operand leaves, or the column of a 1-d right one.
    outMatrix =
        describe(arrayParts(outValue, result), result, lhsType->ndim() == 1, "matmul.out").slot;
  } else {
    if (result->isArray()) {
      std::vector<llvm::Value *> shape;
      if (lhsType->ndim() == 2 || outer)
        shape.push_back(m);
      if (rhsType->ndim() == 2 || outer)
        shape.push_back(n);
      outArray = newArray(result, shape, at);
      outData = arrayParts(outArray, result).data;
    } else {
      outData = entryAlloca(element, "matmul.scalar");
    }
    llvm::Value *size =
        b.getInt64(static_cast<int64_t>(module_.module.getDataLayout().getTypeAllocSize(element)));
    outMatrix = store({outData, m, n, b.CreateMul(n, size), size, b.getInt64(matmulDtype(dtype))},
                      "matmul.out");
  }
  auto product = module_.module.getOrInsertFunction("nogil_rt_matmul", b.getInt32Ty(), b.getPtrTy(),
                                                    i64, b.getPtrTy(), i64, i64, i64, b.getPtrTy(),
                                                    i64, b.getPtrTy());
  llvm::Value *outNdim = b.getInt64(outValue ? result->ndim() : 0);
  llvm::Value *status =
      b.CreateCall(product, {a.slot, aNdim, bm.slot, bNdim, b.getInt64(matmulDtype(dtype)), kind,
                             outMatrix, outNdim, site});
  unwindIf(b.CreateICmpNE(status, b.getInt32(0)), nullptr);
  if (outArray)
    return outArray;
  if (dtype->kind() == TypeKind::Bool)
    return b.CreateICmpNE(b.CreateLoad(b.getInt8Ty(), outData), b.getInt8(0));
  return b.CreateLoad(element, outData);
}

} // namespace nogil::codegen
