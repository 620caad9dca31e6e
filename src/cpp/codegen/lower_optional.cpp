// None and optional values: an optional is {present, value}, the value zero when None (so an
// optional array's base is null, which reference counting skips). Reading one where its value
// is needed checks the flag, as Numba does; after `if v is not None:` LLVM folds the check.
#include "codegen/lower_impl.h"

namespace nogil::codegen {

using namespace ast;
using sema::Type;

llvm::Value *FunctionLowering::convertOptional(llvm::Value *value, const Type *from,
                                               const Type *to) {
  auto &b = builder_;
  if (!to->isOptional()) // the typer marked the read, and unwrapOptional checked it
    return convert(b.CreateExtractValue(value, 1), from->dtype(), to);
  llvm::Type *type = module_.typeOf(to);
  if (from->isNone() || !value)
    return llvm::Constant::getNullValue(type);
  llvm::Value *present = b.getTrue();
  if (from->isOptional()) {
    present = b.CreateExtractValue(value, 0);
    value = b.CreateExtractValue(value, 1);
    from = from->dtype();
  }
  llvm::Value *optional = b.CreateInsertValue(llvm::UndefValue::get(type), present, 0);
  return b.CreateInsertValue(optional, convert(value, from, to->dtype()), 1);
}

llvm::Value *FunctionLowering::unwrapOptional(llvm::Value *optional, const Type *type, Span at) {
  std::string message = std::string("expected ") + type->dtype()->name() + ", got None";
  raiseIf(builder_.CreateNot(builder_.CreateExtractValue(optional, 0)), NOGIL_ERROR_TYPE,
          message.c_str(), at);
  return builder_.CreateExtractValue(optional, 1);
}

llvm::Value *FunctionLowering::lowerNoneTest(const CompareExpr *compare) {
  if (compare->ops.size() != 1)
    return nullptr;
  CompareOp op = compare->ops[0];
  if (op != CompareOp::Is && op != CompareOp::IsNot && op != CompareOp::Eq &&
      op != CompareOp::NotEq)
    return nullptr;
  const Expr *lhs = compare->operands[0];
  const Expr *rhs = compare->operands[1];
  const Expr *tested = typed_.typeOf(lhs)->isOptional() && typed_.typeOf(rhs)->isNone()   ? lhs
                       : typed_.typeOf(rhs)->isOptional() && typed_.typeOf(lhs)->isNone() ? rhs
                                                                                          : nullptr;
  if (!tested)
    return nullptr;
  llvm::Value *present = builder_.CreateExtractValue(lowerExpr(tested), 0);
  bool isNone = op == CompareOp::Is || op == CompareOp::Eq;
  return isNone ? builder_.CreateNot(present) : present;
}

} // namespace nogil::codegen
