// Reference counts of the arrays compiled code allocates (runtime/array_memory.h): every
// local holding an array owns a reference, given back when the local is overwritten or the
// frame exits; temporaries and dropped arrays are swept after each statement. Arrays that
// came from Python (untagged bases) are the dispatcher's to keep and are skipped with one
// test of the tag, which is all a kernel over its arguments pays.
#include "codegen/lower_impl.h"

namespace nogil::codegen {

using sema::Type;

bool holdsArrays(const Type *type) {
  if (!type)
    return false;
  if (type->isArray())
    return true;
  if (type->isOptional())
    return holdsArrays(type->dtype());
  if (type->isTuple())
    for (const Type *element : type->elements())
      if (holdsArrays(element))
        return true;
  return false;
}

void FunctionLowering::startReferences() {
  managesArrays_ = holdsArrays(typed_.returnType);
  for (const Type *type : typed_.localTypes)
    managesArrays_ = managesArrays_ || holdsArrays(type);
  for (const Type *type : typed_.exprTypes)
    managesArrays_ = managesArrays_ || holdsArrays(type);
  if (!managesArrays_)
    return;
  garbage_ = entryAlloca(builder_.getInt1Ty(), "arrays.garbage");
  builder_.CreateStore(builder_.getFalse(), garbage_);
  auto mark =
      module_.module.getOrInsertFunction("nogil_rt_array_queue_mark", builder_.getInt64Ty());
  // It only reads: unused (a kernel that never allocates), LLVM deletes it.
  if (auto *fn = llvm::dyn_cast<llvm::Function>(mark.getCallee())) {
    fn->setOnlyReadsMemory();
    fn->setDoesNotThrow();
    fn->setWillReturn();
  }
  queueMark_ = builder_.CreateCall(mark, {}, "arrays.mark");
}

void FunctionLowering::changeReferences(llvm::Value *value, const Type *type, bool retain) {
  if (type->isTuple()) {
    for (unsigned i = 0; i < type->elements().size(); ++i)
      changeReferences(builder_.CreateExtractValue(value, i), type->elements()[i], retain);
    return;
  }
  if (type->isOptional()) // None holds a zero base, which counts nothing
    changeReferences(builder_.CreateExtractValue(value, 1), type->dtype(), retain);
  if (type->isArray())
    changeBase(builder_.CreateExtractValue(value, 3), retain);
}

void FunctionLowering::changeBase(llvm::Value *base, bool retain) {
  auto &b = builder_;
  llvm::Value *tagged =
      b.CreateTrunc(b.CreatePtrToInt(base, b.getInt64Ty()), b.getInt1Ty(), "arrays.tagged");
  auto *counted = newBlock(retain ? "arrays.retain" : "arrays.release");
  auto *done = newBlock("arrays.counted");
  b.CreateCondBr(tagged, counted, done);
  b.SetInsertPoint(counted);
  auto change = module_.module.getOrInsertFunction(
      retain ? "nogil_rt_array_retain" : "nogil_rt_array_release", b.getVoidTy(), b.getPtrTy());
  b.CreateCall(change, {base});
  if (!retain)
    markGarbage();
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

void FunctionLowering::markGarbage() {
  if (garbage_)
    builder_.CreateStore(builder_.getTrue(), garbage_);
}

void FunctionLowering::sweepGarbage() {
  if (!garbage_ || builder_.GetInsertBlock()->getTerminator())
    return;
  auto &b = builder_;
  auto *sweep = newBlock("arrays.sweep");
  auto *done = newBlock("arrays.swept");
  b.CreateCondBr(b.CreateLoad(b.getInt1Ty(), garbage_), sweep, done);
  b.SetInsertPoint(sweep);
  auto function =
      module_.module.getOrInsertFunction("nogil_rt_array_sweep", b.getVoidTy(), b.getInt64Ty());
  b.CreateCall(function, {queueMark_});
  b.CreateStore(b.getFalse(), garbage_);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

void FunctionLowering::replaceLocal(int32_t slot, llvm::Value *value) {
  const Type *type = typed_.localTypes[slot];
  if (holdsArrays(type)) {
    // Retain first: `a = a` must not drop the last reference on the way.
    changeReferences(value, type, true);
    changeReferences(loadLocal(slot), type, false);
  }
  builder_.CreateStore(value, locals_[slot]);
}

llvm::AllocaInst *FunctionLowering::holdArray(llvm::Value *base) {
  // A hidden local: zero (untagged) until the loop starts, released on every way out.
  llvm::AllocaInst *slot = entryAlloca(builder_.getPtrTy(), "arrays.held");
  llvm::IRBuilder<> entry(slot->getNextNode());
  entry.CreateStore(llvm::ConstantPointerNull::get(builder_.getPtrTy()), slot);
  heldBases_.push_back(slot);
  changeBase(base, true);
  builder_.CreateStore(base, slot);
  return slot;
}

void FunctionLowering::dropHeldArray(llvm::AllocaInst *slot) {
  changeBase(builder_.CreateLoad(builder_.getPtrTy(), slot), false);
  builder_.CreateStore(llvm::ConstantPointerNull::get(builder_.getPtrTy()), slot);
}

llvm::BasicBlock *FunctionLowering::exitBlock(int32_t status) {
  llvm::BasicBlock *&block = status == 0 ? returnBlock_ : raiseBlock_;
  if (!block)
    block = newBlock(status == 0 ? "exit.return" : "exit.raise");
  return block;
}

void FunctionLowering::finishExits() {
  for (int32_t status : {0, 1}) {
    llvm::BasicBlock *block = status == 0 ? returnBlock_ : raiseBlock_;
    if (!block)
      continue;
    builder_.SetInsertPoint(block);
    // Filled last, so every hidden local the body made is known. Locals hold zero or a value
    // on every path, so releasing all of them is right whatever the exit.
    if (managesArrays_) {
      for (size_t slot = 0; slot < locals_.size(); ++slot)
        if (ownsLocal_[slot] && holdsArrays(typed_.localTypes[slot]))
          changeReferences(loadLocal(static_cast<int32_t>(slot)), typed_.localTypes[slot], false);
      for (llvm::AllocaInst *held : heldBases_)
        changeBase(builder_.CreateLoad(builder_.getPtrTy(), held), false);
      // What this frame dropped is freed here, whoever called it: a caller that never sees
      // an array (the callee raised, or returned a number) would not sweep for it.
      sweepGarbage();
      // The result was retained when the return stored it (a finally may run in between);
      // it goes to the caller unreferenced and the caller's sweep frees it if unused.
      if (status == 0 && resultSlot_ && holdsArrays(typed_.returnType))
        changeReferences(builder_.CreateLoad(module_.typeOf(typed_.returnType), resultSlot_),
                         typed_.returnType, false);
    }
    builder_.CreateRet(builder_.getInt32(status));
  }
  dropSweepsThatFreeNothing();
}

void FunctionLowering::dropSweepsThatFreeNothing() {
  if (!queueMark_)
    return;
  // An array is queued when it is allocated, and again only when its count drops to zero
  // after a sweep took it off the queue, which needs its last reference to be this frame's:
  // a frame that allocates nothing and calls nothing that might (another specialization, a
  // parallel loop) only holds arrays its callers hold too, or that were queued before it
  // started. Its sweeps then never free anything, so they and the queue mark (a call into
  // the runtime on every call) go.
  std::vector<llvm::CallInst *> sweeps;
  for (llvm::BasicBlock &block : *function_)
    for (llvm::Instruction &instruction : block) {
      auto *call = llvm::dyn_cast<llvm::CallInst>(&instruction);
      if (!call)
        continue;
      llvm::Function *callee = call->getCalledFunction();
      if (!callee)
        return;
      llvm::StringRef name = callee->getName();
      if (name == "nogil_rt_array_sweep") {
        sweeps.push_back(call);
        continue;
      }
      if (name == "nogil_rt_array_new" || name == "nogil_rt_parallel_for")
        return;
      bool runtime = callee->isIntrinsic() || name.starts_with("nogil_rt_");
      bool library = callee->isDeclaration() && !isSpecializationSymbol(name); // pow, fmod
      if (!runtime && !library && callee != module_.intPowFunctionIfAny())
        return;
    }
  for (llvm::CallInst *sweep : sweeps)
    sweep->eraseFromParent();
  llvm::cast<llvm::Instruction>(queueMark_)->eraseFromParent();
  queueMark_ = nullptr;
}

} // namespace nogil::codegen
