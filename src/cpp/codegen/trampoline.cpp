// The C-ABI entry of each specialization: unpacks the dispatcher's 8-byte argument slots
// (tuples flattened, one slot per scalar), calls the function, and flattens a tuple result
// into the result slots the same way.
//
//   int32_t f.entry(ptr %result, ptr %args, ptr %context):
//     %a0 = load i64, ptr %args           ; int64 as is
//     %a1 = load double, ptr %args + 8    ; float64: the slot holds its bits
//     %a2 = trunc (load i64, ptr %args + 16) to i1
//     ret (call i32 @f(ptr %result, ptr %context, %a0, %a1, %a2))
#include "codegen/lower_impl.h"

namespace nogil::codegen {

namespace {

/// Reads a value of `type` from consecutive slots starting at `index`.
llvm::Value *loadLeaves(ModuleLowering &module, llvm::IRBuilder<> &b, const sema::Type *type,
                        llvm::Value *slots, uint64_t &index) {
  if (type->isCompileTimeValue()) // no slot (sema::leafCount): a function, a dtype, a string
    return b.getInt64(0);
  if (type->isTuple()) {
    llvm::Value *tuple = llvm::UndefValue::get(module.typeOf(type));
    for (unsigned i = 0; i < type->elements().size(); ++i)
      tuple =
          b.CreateInsertValue(tuple, loadLeaves(module, b, type->elements()[i], slots, index), i);
    return tuple;
  }
  if (type->isArray()) { // data pointer, the shape, the strides, then the base
    llvm::Value *array = llvm::UndefValue::get(module.typeOf(type));
    llvm::Value *slot = b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), slots, index++);
    array = b.CreateInsertValue(array, b.CreateLoad(b.getPtrTy(), slot), 0);
    for (unsigned part = 1; part <= 2; ++part)
      for (unsigned d = 0; d < type->ndim(); ++d) {
        slot = b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), slots, index++);
        array = b.CreateInsertValue(array, b.CreateLoad(b.getInt64Ty(), slot), {part, d});
      }
    slot = b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), slots, index++);
    return b.CreateInsertValue(array, b.CreateLoad(b.getPtrTy(), slot), 3);
  }
  if (type->isComplex()) { // two slots: the real part, the imaginary part
    llvm::Value *z = llvm::UndefValue::get(module.typeOf(type));
    for (unsigned part = 0; part < 2; ++part) {
      llvm::Value *slot = b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), slots, index++);
      z = b.CreateInsertValue(z,
                              b.CreateFPCast(b.CreateLoad(b.getDoubleTy(), slot),
                                             module.typeOf(sema::complexPartType(type))),
                              part);
    }
    return z;
  }
  // A slot holds a float64 as its bits, a float32 widened to float64, and every integer
  // (and bool) extended to 64 bits; a record's address.
  llvm::Value *slot = b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), slots, index++);
  if (type->isRecord())
    return b.CreateLoad(b.getPtrTy(), slot);
  if (type->isFloat())
    return b.CreateFPCast(b.CreateLoad(b.getDoubleTy(), slot), module.typeOf(type));
  return b.CreateTrunc(b.CreateLoad(b.getInt64Ty(), slot), module.typeOf(type));
}

/// Writes a value of `type` into consecutive slots starting at `index`; a bool as 0 or 1.
void storeLeaves(llvm::IRBuilder<> &b, const sema::Type *type, llvm::Value *value,
                 llvm::Value *slots, uint64_t &index) {
  if (type->isComplex()) {
    for (unsigned part = 0; part < 2; ++part)
      b.CreateStore(b.CreateFPCast(b.CreateExtractValue(value, part), b.getDoubleTy()),
                    b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), slots, index++));
    return;
  }
  if (type->isArray()) { // as loadLeaves reads them
    auto store = [&](llvm::Value *part) {
      b.CreateStore(part, b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), slots, index++));
    };
    store(b.CreateExtractValue(value, 0));
    for (unsigned part = 1; part <= 2; ++part)
      for (unsigned d = 0; d < type->ndim(); ++d)
        store(b.CreateExtractValue(value, {part, d}));
    store(b.CreateExtractValue(value, 3));
    return;
  }
  if (type->isTuple()) {
    for (unsigned i = 0; i < type->elements().size(); ++i)
      storeLeaves(b, type->elements()[i], b.CreateExtractValue(value, i), slots, index);
    return;
  }
  llvm::Value *slot = b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), slots, index++);
  if (type->isRecord()) {
    b.CreateStore(value, slot);
    return;
  }
  if (type->isFloat())
    value = b.CreateFPCast(value, b.getDoubleTy());
  else
    value = b.CreateIntCast(value, b.getInt64Ty(), type->isSigned());
  b.CreateStore(value, slot);
}

} // namespace

void lowerEntry(ModuleLowering &module, const sema::TypedFunction &typed) {
  llvm::LLVMContext &context = module.context;
  auto *ptr = llvm::PointerType::getUnqual(context);
  auto *type = llvm::FunctionType::get(llvm::Type::getInt32Ty(context), {ptr, ptr, ptr}, false);
  auto *entry = llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                                       entrySymbol(typed.symbol), module.module);
  entry->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", entry));
  llvm::Value *result = entry->getArg(0);
  // Tuples and the narrow NumPy types come back through a local and are widened into the
  // 8-byte slots; int64, float64 and bool are written in place.
  const sema::Type *returned = typed.returnType;
  bool widened = returned->isTuple() || returned->isArray() || returned->isComplex() ||
                 (returned->isNumeric() && returned->bitWidth() < 64 &&
                  returned->kind() != sema::TypeKind::Bool);
  if (widened)
    result = b.CreateAlloca(module.typeOf(returned), nullptr, "result");
  std::vector<llvm::Value *> args{result, entry->getArg(2)};
  uint64_t index = 0;
  for (const sema::Type *arg : typed.args)
    args.push_back(loadLeaves(module, b, arg, entry->getArg(1), index));
  llvm::CallInst *status = b.CreateCall(module.function(typed.symbol, typed.args), args);
  // Inlined, a function with loops would be optimised and emitted twice (here and in the
  // function other compiled code calls), about 40% of a small function's compile time, to
  // save one direct call per Python call. Loop-free bodies are cheap to compile twice, and
  // their calls are the ones whose overhead shows.
  if (containsLoop(typed.unit->ast->body))
    status->addFnAttr(llvm::Attribute::NoInline);
  if (widened) {
    uint64_t leaf = 0;
    llvm::Value *value = b.CreateLoad(module.typeOf(typed.returnType), result);
    storeLeaves(b, typed.returnType, value, entry->getArg(0), leaf);
  }
  b.CreateRet(status);
}

} // namespace nogil::codegen
