// The C-ABI entry of each specialization: unpacks the dispatcher's 8-byte argument slots
// and calls the function.
//
//   int32_t f.entry(ptr %result, ptr %args):
//     %a0 = load i64, ptr %args           ; int64 as is
//     %a1 = load double, ptr %args + 8    ; float64: the slot holds its bits
//     %a2 = trunc (load i64, ptr %args + 16) to i1
//     ret (call i32 @f(ptr %result, %a0, %a1, %a2))
#include "codegen/lower_impl.h"

namespace nogil::codegen {

void lowerEntry(ModuleLowering &module, const sema::TypedFunction &typed) {
  llvm::LLVMContext &context = module.context;
  auto *ptr = llvm::PointerType::getUnqual(context);
  auto *type = llvm::FunctionType::get(llvm::Type::getInt32Ty(context), {ptr, ptr}, false);
  auto *entry = llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                                       entrySymbol(typed.symbol), module.module);
  entry->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", entry));
  std::vector<llvm::Value *> args{entry->getArg(0)};
  for (size_t i = 0; i < typed.args.size(); ++i) {
    llvm::Value *slot = b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), entry->getArg(1), i);
    switch (typed.args[i]->kind()) {
    case sema::TypeKind::Float64:
      args.push_back(b.CreateLoad(b.getDoubleTy(), slot));
      break;
    case sema::TypeKind::Bool:
      args.push_back(b.CreateTrunc(b.CreateLoad(b.getInt64Ty(), slot), b.getInt1Ty()));
      break;
    case sema::TypeKind::Int64:
    case sema::TypeKind::None:
    case sema::TypeKind::Unknown:
      args.push_back(b.CreateLoad(b.getInt64Ty(), slot));
      break;
    }
  }
  b.CreateRet(b.CreateCall(module.function(typed.symbol, typed.args), args));
}

} // namespace nogil::codegen
