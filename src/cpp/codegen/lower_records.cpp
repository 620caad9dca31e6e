// Records: a record is the address of its bytes (in an array of records, or a numpy.void's);
// a field is read and written at its offset, without assuming alignment (packed dtypes put
// fields anywhere); `a['f']` is a view with the array's shape and strides over the field.
#include "codegen/lower_impl.h"
#include "runtime/array_memory.h"

namespace nogil::codegen {

using namespace ast;
using sema::Layout;
using sema::RecordField;
using sema::Type;

FunctionLowering::ElementAccess FunctionLowering::fieldAccess(const Expr *expr) {
  const RecordField &field = *typed_.recordFields.at(expr->id);
  const Expr *owner = isa<SubscriptExpr>(expr) ? cast<SubscriptExpr>(expr)->value
                                               : cast<AttributeExpr>(expr)->value;
  const Type *ownerType = typed_.typeOf(owner);
  const Type *result = typed_.typeOf(expr);
  llvm::Value *value = lowerExpr(owner);
  auto &b = builder_;
  std::vector<llvm::Value *> shape;
  std::vector<llvm::Value *> strides;
  llvm::Value *base = b.CreateIntToPtr(b.getInt64(NOGIL_BASE_COPIED_WHEN_RETURNED), b.getPtrTy());
  llvm::Value *record = value;
  if (ownerType->isArray()) { // a['f']: the field of every element
    ArrayParts parts = arrayParts(value, ownerType);
    record = parts.data;
    shape = parts.shape;
    strides = parts.strides;
    base = parts.base;
  }
  llvm::Value *address = b.CreateGEP(b.getInt8Ty(), record, b.getInt64(field.offset));
  if (!result->isArray()) // a scalar or a nested record, read through a 0-d carrier type
    return {sema::arrayType(result, 0, Layout::C, ownerType->readonly()), address, nullptr, true};
  // A sub-array field adds its own dimensions, C-contiguous within the record.
  uint64_t step = elementSize(field.type);
  std::vector<llvm::Value *> inner(field.shape.size());
  for (size_t k = field.shape.size(); k-- > 0;) {
    inner[k] = b.getInt64(step);
    step *= field.shape[k];
  }
  for (size_t d = 0; d < field.shape.size(); ++d) {
    shape.push_back(b.getInt64(field.shape[d]));
    strides.push_back(inner[d]);
  }
  // A record's own sub-array has no owner to keep alive here: the caller's argument holds it
  // for the call, and a returned view of it is copied when boxed.
  llvm::Value *view = makeView(result, address, base, shape, strides);
  return {result, address, view, true};
}

void FunctionLowering::copyRecord(llvm::Value *to, llvm::Value *from, const Type *record) {
  builder_.CreateMemMove(to, llvm::MaybeAlign(1), from, llvm::MaybeAlign(1),
                         builder_.getInt64(record->itemsize()));
}

} // namespace nogil::codegen
