// Lowering of subscripts with an array index (`a[mask]`, `a[:, idx]`, `a[idx] = v`): calls
// to the library's __getitem__ and __setitem__ the typer chose (sema/typer_fancy_index.cpp),
// and `x in a`, its __contains__.
#include "codegen/lower_impl.h"

namespace nogil::codegen {

using namespace ast;

llvm::Value *FunctionLowering::lowerIndexCall(const Expr *subscript, llvm::Value *stored,
                                              const sema::Type *storedType) {
  const sema::CallTarget &target = typed_.calls.at(subscript->id);
  const std::vector<const Expr *> &given = typed_.indexCallArgs.at(subscript->id);
  llvm::AllocaInst *result = nullptr;
  if (!target.returnType->isNone())
    result = entryAlloca(module_.typeOf(target.returnType), "index.result");
  std::vector<llvm::Value *> args{result ? static_cast<llvm::Value *>(result)
                                         : llvm::ConstantPointerNull::get(builder_.getPtrTy()),
                                  context_};
  // Python evaluates the array, then the indices (the stored value came first).
  for (size_t i = 0; i < given.size(); ++i) {
    if (!given[i]) { // a whole slice `:`, passed as None
      args.push_back(convert(builder_.getInt64(0), sema::noneType(), target.params[i]));
      continue;
    }
    llvm::Value *value = lowerExpr(given[i]);
    args.push_back(
        convert(value ? value : builder_.getInt64(0), typed_.typeOf(given[i]), target.params[i]));
  }
  if (stored)
    args.push_back(convert(stored, storedType, target.params.back()));
  return emitCompiledCall(target, args, result, subscript->span);
}

llvm::Value *FunctionLowering::lowerArrayContains(const CompareExpr *compare) {
  llvm::Value *found = lowerIndexCall(compare, nullptr, nullptr);
  return compare->ops[0] == CompareOp::NotIn ? builder_.CreateNot(found) : found;
}

} // namespace nogil::codegen
