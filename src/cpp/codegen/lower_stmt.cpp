// Lowering of statements. Locals live in allocas that mem2reg promotes; loops record their
// continue and break targets.
#include "codegen/lower_impl.h"

namespace nogil::codegen {

using namespace ast;
using sema::Type;

void FunctionLowering::lowerBlock(const StmtList &stmts) {
  for (const Stmt *stmt : stmts) {
    lowerStmt(stmt);
    sweepGarbage();
    if (sema::leavesBlock(stmt, typed_)) // what follows was not typed: it never runs
      return;
  }
}

void FunctionLowering::lowerStmt(const Stmt *stmt) {
  switch (stmt->kind) {
  case StmtKind::Return:
    lowerReturn(cast<ReturnStmt>(stmt));
    return;
  case StmtKind::Assign:
    lowerAssign(cast<AssignStmt>(stmt));
    return;
  case StmtKind::AugAssign:
    lowerAugAssign(cast<AugAssignStmt>(stmt));
    return;
  case StmtKind::If:
    lowerIf(cast<IfStmt>(stmt));
    return;
  case StmtKind::While:
    lowerWhile(cast<WhileStmt>(stmt));
    return;
  case StmtKind::For:
    lowerFor(cast<ForStmt>(stmt));
    return;
  case StmtKind::Break:
    runFinallies(loops_.back().finallyDepth);
    builder_.CreateBr(loops_.back().breakTarget);
    continueInDeadBlock();
    return;
  case StmtKind::Continue:
    runFinallies(loops_.back().finallyDepth);
    builder_.CreateBr(loops_.back().continueTarget);
    continueInDeadBlock();
    return;
  case StmtKind::Pass:
    return;
  case StmtKind::ExprStmt:
    lowerExpr(cast<ExprStmt>(stmt)->value);
    return;
  case StmtKind::Raise:
    lowerRaise(cast<RaiseStmt>(stmt));
    return;
  case StmtKind::Try:
    lowerTry(cast<TryStmt>(stmt));
    return;
  case StmtKind::Assert: {
    auto *assertion = cast<AssertStmt>(stmt);
    auto *failed = newBlock("assert.failed");
    auto *ok = newBlock("assert.ok");
    builder_.CreateCondBr(lowerCondition(assertion->test), ok, failed);
    builder_.SetInsertPoint(failed);
    raiseWithMessage(NOGIL_ERROR_ASSERTION, llvm::ConstantPointerNull::get(builder_.getPtrTy()),
                     assertion->message, stmt->span);
    builder_.CreateBr(ok);
    builder_.SetInsertPoint(ok);
    return;
  }
  case StmtKind::Unsupported:
    break;
  }
  assert(false && "the typer rejects unsupported statements");
}

void FunctionLowering::unwind() {
  if (unwindTargets_.empty())
    builder_.CreateBr(exitBlock(1));
  else
    builder_.CreateBr(unwindTargets_.back());
}

void FunctionLowering::runFinallies(size_t depth) {
  for (size_t i = finallies_.size(); i > depth; --i) {
    // The finally body runs outside its own try: an exception or a jump in it goes to what
    // encloses that try. Lowered once per way out, like CPython's compiler does.
    PendingFinally pending = finallies_[i - 1];
    auto savedFinallies = finallies_;
    auto savedTargets = unwindTargets_;
    finallies_.resize(i - 1);
    unwindTargets_.resize(pending.unwindDepth);
    lowerBlock(*pending.body);
    finallies_ = std::move(savedFinallies);
    unwindTargets_ = std::move(savedTargets);
  }
}

void FunctionLowering::lowerTry(const TryStmt *attempt) {
  if (attempt->finalBody.empty()) {
    lowerTryExcept(attempt);
    return;
  }
  auto *landing = newBlock("finally.unwind");
  auto *done = newBlock("finally.done");
  finallies_.push_back({&attempt->finalBody, unwindTargets_.size()});
  unwindTargets_.push_back(landing);
  lowerTryExcept(attempt);
  unwindTargets_.pop_back();
  finallies_.pop_back();
  lowerBlock(attempt->finalBody);
  builder_.CreateBr(done);
  // On the way out with an exception: run the body, then go on unwinding with it.
  builder_.SetInsertPoint(landing);
  lowerBlock(attempt->finalBody);
  unwind();
  builder_.SetInsertPoint(done);
}

void FunctionLowering::lowerTryExcept(const TryStmt *attempt) {
  if (attempt->handlers.empty()) {
    lowerBlock(attempt->body);
    lowerBlock(attempt->orElse);
    return;
  }
  auto *dispatch = newBlock("except.dispatch");
  auto *done = newBlock("try.done");
  unwindTargets_.push_back(dispatch);
  lowerBlock(attempt->body);
  unwindTargets_.pop_back();
  lowerBlock(attempt->orElse); // its exceptions are not this try's to handle
  builder_.CreateBr(done);

  builder_.SetInsertPoint(dispatch);
  llvm::PointerType *ptr = builder_.getPtrTy();
  auto matches =
      module_.module.getOrInsertFunction("nogil_rt_error_matches", builder_.getInt32Ty(), ptr);
  auto clear = module_.module.getOrInsertFunction("nogil_rt_clear_error", builder_.getVoidTy());
  for (const ExceptHandler &handler : attempt->handlers) {
    auto *body = newBlock("except.body");
    auto *next = newBlock("except.next");
    if (!handler.type) {
      // A bare except catches everything compiled code raises, but not what a signal
      // handler raised (KeyboardInterrupt): that always reaches the caller.
      auto catchable =
          module_.module.getOrInsertFunction("nogil_rt_error_catchable", builder_.getInt32Ty());
      builder_.CreateCondBr(
          builder_.CreateICmpNE(builder_.CreateCall(catchable), builder_.getInt32(0)), body, next);
    } else {
      llvm::Value *caught = builder_.getFalse();
      for (uintptr_t exceptionClass : typed_.handlerClasses.at(handler.type->id)) {
        llvm::Value *classPointer = module_.exceptionClass(exceptionClass);
        llvm::Value *match = builder_.CreateCall(matches, {classPointer});
        caught = builder_.CreateOr(caught, builder_.CreateICmpNE(match, builder_.getInt32(0)));
      }
      builder_.CreateCondBr(caught, body, next);
    }
    builder_.SetInsertPoint(body);
    lowerBlock(handler.body);
    builder_.CreateCall(clear);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(next);
  }
  unwind(); // no clause caught it
  builder_.SetInsertPoint(done);
}

void FunctionLowering::lowerRaise(const RaiseStmt *raise) {
  if (!raise->exception) { // re-raise: the record still holds the exception being handled
    unwind();
    continueInDeadBlock();
    return;
  }
  auto *call = dynCast<CallExpr>(raise->exception);
  const Expr *message = call && !call->args.empty() ? call->args[0] : nullptr;
  llvm::Constant *exceptionClass =
      module_.exceptionClass(typed_.raisedClasses.at(raise->exception->id));
  raiseWithMessage(NOGIL_ERROR_CLASS, exceptionClass, message, raise->span);
}

void FunctionLowering::raiseWithMessage(NogilErrorKind kind, llvm::Value *exceptionClass,
                                        const Expr *message, Span at) {
  llvm::PointerType *ptr = builder_.getPtrTy();
  llvm::Value *site = module_.site(unit_, at);
  if (message && isa<FormattedStringExpr>(message)) {
    appendText(message, true);
    auto raiseText = module_.module.getOrInsertFunction("nogil_rt_raise_text", builder_.getVoidTy(),
                                                        builder_.getInt32Ty(), ptr, ptr);
    builder_.CreateCall(raiseText, {builder_.getInt32(kind), exceptionClass, site});
  } else {
    llvm::Value *text = llvm::ConstantPointerNull::get(ptr);
    if (auto *literal = message ? dynCast<StringLiteralExpr>(message) : nullptr)
      text = module_.string(literal->value);
    else if (message) // a string constant by name, typed as its literal
      text = module_.string(typed_.typeOf(message)->literal());
    auto raiseClass = module_.module.getOrInsertFunction("nogil_rt_raise_class",
                                                         builder_.getVoidTy(), ptr, ptr, ptr);
    if (kind == NOGIL_ERROR_CLASS)
      builder_.CreateCall(raiseClass, {exceptionClass, text, site});
    else
      builder_.CreateCall(module_.raiseFunction(), {builder_.getInt32(kind), text, site});
  }
  unwind();
  continueInDeadBlock();
}

void FunctionLowering::storeLocal(const Expr *target, llvm::Value *value, const Type *type) {
  if (auto *targets = dynCast<TupleExpr>(target)) { // unpacked left to right, as Python does
    for (unsigned i = 0; i < targets->elements.size(); ++i)
      storeLocal(targets->elements[i], builder_.CreateExtractValue(value, i), type->elements()[i]);
    return;
  }
  if (auto *element = dynCast<SubscriptExpr>(target)) {
    if (typed_.indexCallArgs.count(element->id)) {
      lowerIndexCall(element, value, type);
      return;
    }
    if (typed_.typeOf(element)->isArray()) {
      storeIntoPart(element, element, value, type);
      return;
    }
    storeElement(arrayAccess(element), value, type, element->span);
    return;
  }
  if (isa<AttributeExpr>(target)) { // r.f = value
    storeElement(fieldAccess(target), value, type, target->span);
    return;
  }
  int32_t slot = typed_.localOf(target);
  storeSlot(slot, convert(value, type, typed_.localTypes[slot]));
}

void FunctionLowering::lowerAssign(const AssignStmt *assign) {
  // Python evaluates the whole right-hand side before it assigns: `a, b = b, a + b`.
  if (sema::unpacksDisplay(assign)) {
    auto *values = cast<TupleExpr>(assign->value);
    std::vector<llvm::Value *> lowered;
    for (const Expr *element : values->elements)
      lowered.push_back(lowerExpr(element));
    for (const Expr *target : assign->targets) {
      auto *tuple = cast<TupleExpr>(target);
      for (size_t i = 0; i < tuple->elements.size(); ++i)
        storeLocal(tuple->elements[i], lowered[i], typed_.typeOf(values->elements[i]));
    }
    return;
  }
  const Type *valueType = typed_.typeOf(assign->value);
  if (auto *part = dynCast<SubscriptExpr>(assign->targets.front());
      assign->targets.size() == 1 && part && typed_.typeOf(part)->isArray()) {
    // `u[1:-1] = expr`: the expression is computed straight into the part, fused.
    storeIntoPart(part, assign->value, nullptr, valueType);
    return;
  }
  llvm::Value *value = lowerExpr(assign->value);
  for (const Expr *target : assign->targets)
    storeLocal(target, value, valueType);
}

void FunctionLowering::lowerAugAssign(const AugAssignStmt *assign) {
  if (typed_.indexCallArgs.count(assign->target->id)) { // a[idx] op= v: the library's call
    const Type *valueType = typed_.typeOf(assign->value);
    lowerIndexCall(assign->target, lowerExpr(assign->value), valueType);
    return;
  }
  if (typed_.typeOf(assign->target)->isArray()) {
    lowerArrayUpdate(assign);
    return;
  }
  if (isa<SubscriptExpr>(assign->target) || isa<AttributeExpr>(assign->target)) {
    // The element's address is computed (and checked) once, as Python evaluates a[i] once.
    const Expr *element = assign->target;
    ElementAccess access = isa<SubscriptExpr>(element) ? arrayAccess(cast<SubscriptExpr>(element))
                                                       : fieldAccess(element);
    llvm::Value *current = loadElement(access);
    const Type *valueType = typed_.typeOf(assign->value);
    llvm::Value *value = lowerExpr(assign->value);
    const Type *result = typed_.augmentedResults.at(element->id);
    llvm::Value *combined = binaryValues(assign->op, current, access.array->dtype(), value,
                                         valueType, result, assign->span);
    storeElement(access, combined, result, assign->span);
    return;
  }
  int32_t slot = typed_.localOf(assign->target);
  const Type *localType = typed_.localTypes[slot];
  checkBound(slot, assign->target->span);
  llvm::Value *current = loadLocal(slot);
  const Type *valueType = typed_.typeOf(assign->value);
  llvm::Value *value = lowerExpr(assign->value);
  const Type *result = typed_.typeOf(assign->target);
  llvm::Value *combined =
      binaryValues(assign->op, current, localType, value, valueType, result, assign->span);
  replaceLocal(slot, convert(combined, result, localType));
}

void FunctionLowering::lowerIf(const IfStmt *branch) {
  if (auto decided = typed_.constantComparisons.find(branch->condition->id);
      decided != typed_.constantComparisons.end()) { // only the branch taken was typed
    lowerBlock(decided->second ? branch->body : branch->orElse);
    return;
  }
  auto *thenBlock = newBlock("if.then");
  auto *elseBlock = newBlock("if.else");
  auto *done = newBlock("if.done");
  builder_.CreateCondBr(lowerCondition(branch->condition), thenBlock, elseBlock);
  builder_.SetInsertPoint(thenBlock);
  lowerBlock(branch->body);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(elseBlock);
  lowerBlock(branch->orElse);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

void FunctionLowering::lowerWhile(const WhileStmt *loop) {
  auto *header = newBlock("while.cond");
  auto *body = newBlock("while.body");
  auto *orElse = newBlock("while.else");
  auto *done = newBlock("while.done");
  auto *latch = newBlock("while.next");
  builder_.CreateBr(header);
  builder_.SetInsertPoint(header);
  builder_.CreateCondBr(lowerCondition(loop->condition), body, orElse);
  builder_.SetInsertPoint(body);
  sweepGarbage(); // what the condition allocated
  loops_.push_back({latch, done, finallies_.size()});
  lowerBlock(loop->body);
  loops_.pop_back();
  builder_.CreateBr(latch);
  builder_.SetInsertPoint(latch);
  poll(builder_.getInt64(1));
  builder_.CreateBr(header);
  builder_.SetInsertPoint(orElse);
  lowerBlock(loop->orElse);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

// for i in range(start, stop, step): <body> else: <orElse>
//   ->
//   count = number of values in the range (as Python computes len(range(...)))
//   for (k = 0; k != count; ++k) { i = start + k * step; <body> }   <orElse> unless broken
// A counted loop cannot overflow near INT64_MAX and is what LLVM's vectorizer expects.
FunctionLowering::Sequence FunctionLowering::lowerSequence(const Expr *iterable) {
  const Type *type = typed_.typeOf(iterable);
  if (type && type->isArray()) {
    // Along the first axis, without index checks: k stays below the length.
    ArrayParts parts = arrayParts(lowerExpr(iterable), type);
    Sequence sequence;
    // The body's statements sweep temporaries, and the iterable may be one (np.arange(n)).
    if (managesArrays_)
      sequence.held.push_back(holdArray(parts.base));
    sequence.count = parts.shape[0];
    sequence.element = type->ndim() == 1
                           ? type->dtype()
                           : sema::arrayType(type->dtype(), type->ndim() - 1,
                                             type->layout() == sema::Layout::C ? sema::Layout::C
                                                                               : sema::Layout::Any,
                                             type->readonly());
    sequence.at = [this, type, parts, element = sequence.element](llvm::Value *k) {
      auto &b = builder_;
      llvm::Value *address =
          b.CreateGEP(b.getInt8Ty(), parts.data, b.CreateMul(k, parts.strides[0]));
      if (type->ndim() == 1)
        return loadElement({type, address, nullptr});
      return makeView(element, address, parts.base, {parts.shape.begin() + 1, parts.shape.end()},
                      {parts.strides.begin() + 1, parts.strides.end()});
    };
    return sequence;
  }
  if (type && type->isTuple())
    return tupleSequence(iterable, type);
  RangeBounds range = rangeBounds(cast<CallExpr>(iterable));
  Sequence sequence;
  sequence.count = range.count;
  sequence.element = sema::int64Type();
  sequence.at = [this, range](llvm::Value *k) {
    return builder_.CreateAdd(range.start, builder_.CreateMul(k, range.step));
  };
  return sequence;
}

FunctionLowering::RangeBounds FunctionLowering::rangeBounds(const CallExpr *call) {
  auto &b = builder_;
  std::vector<llvm::Value *> bounds;
  for (const Expr *arg : call->args)
    bounds.push_back(lowerAs(arg, sema::int64Type()));
  llvm::Value *start = bounds.size() == 1 ? b.getInt64(0) : bounds[0];
  llvm::Value *stop = bounds.size() == 1 ? bounds[0] : bounds[1];
  llvm::Value *step = bounds.size() == 3 ? bounds[2] : b.getInt64(1);
  raiseIf(b.CreateICmpEQ(step, b.getInt64(0)), NOGIL_ERROR_VALUE, "range() arg 3 must not be zero",
          call->args.size() == 3 ? call->args[2]->span : call->span);
  llvm::Value *upward = b.CreateICmpSGT(step, b.getInt64(0));
  llvm::Value *nonEmpty =
      b.CreateSelect(upward, b.CreateICmpSLT(start, stop), b.CreateICmpSGT(start, stop));
  llvm::Value *distance =
      b.CreateSelect(upward, b.CreateSub(stop, start), b.CreateSub(start, stop));
  llvm::Value *stride = b.CreateSelect(upward, step, b.CreateNeg(step));
  llvm::Value *count = b.CreateSelect(
      nonEmpty,
      b.CreateAdd(b.CreateUDiv(b.CreateSub(distance, b.getInt64(1)), stride), b.getInt64(1)),
      b.getInt64(0));
  return {start, step, count};
}

void FunctionLowering::lowerFor(const ForStmt *loop) {
  auto &b = builder_;
  if (auto parallel = typed_.parallelLoops.find(loop); parallel != typed_.parallelLoops.end()) {
    lowerParallelFor(loop, parallel->second);
    return;
  }
  auto *call = dynCast<CallExpr>(loop->iterable);
  auto *targets = dynCast<TupleExpr>(loop->target);
  if (call && isGlobalCall(call, sema::Builtin::Enumerate)) {
    Sequence sequence = lowerSequence(call->args[0]);
    llvm::Value *first =
        call->args.size() == 2 ? lowerAs(call->args[1], sema::int64Type()) : b.getInt64(0);
    lowerCountedLoop(loop, sequence.count, [&](llvm::Value *k) {
      storeLocal(targets->elements[0], b.CreateAdd(first, k), sema::int64Type());
      storeLocal(targets->elements[1], sequence.at(k), sequence.element);
    });
    dropHeld({sequence});
    return;
  }
  if (call && isGlobalCall(call, sema::Builtin::Zip)) {
    std::vector<Sequence> sequences;
    llvm::Value *count = nullptr;
    for (const Expr *arg : call->args) {
      sequences.push_back(lowerSequence(arg));
      llvm::Value *length = sequences.back().count;
      count = count ? b.CreateSelect(b.CreateICmpSLT(length, count), length, count) : length;
    }
    lowerCountedLoop(loop, count, [&](llvm::Value *k) {
      for (size_t i = 0; i < sequences.size(); ++i)
        storeLocal(targets->elements[i], sequences[i].at(k), sequences[i].element);
    });
    dropHeld(sequences);
    return;
  }
  const Type *iterableType = typed_.typeOf(loop->iterable);
  if (!(iterableType && (iterableType->isArray() || iterableType->isTuple()))) {
    RangeBounds range = rangeBounds(cast<CallExpr>(loop->iterable));
    lowerCountedLoop(
        loop, range.count,
        [&](llvm::Value *k) {
          storeLocal(loop->target, b.CreateAdd(range.start, b.CreateMul(k, range.step)),
                     sema::int64Type());
        },
        &range);
    return;
  }
  Sequence sequence = lowerSequence(loop->iterable);
  lowerCountedLoop(loop, sequence.count, [&](llvm::Value *k) {
    storeLocal(loop->target, sequence.at(k), sequence.element);
  });
  dropHeld({sequence});
}

// for v in (a, b, c): <body>
//   ->
//   spill = [a, b, c]; for (k = 0; k != 3; ++k) { v = spill[k]; <body> }
// A short loop of constant trip count: LLVM unrolls it into straight-line code.
FunctionLowering::Sequence FunctionLowering::tupleSequence(const Expr *iterable, const Type *type) {
  llvm::Value *tuple = lowerExpr(iterable);
  const auto &elements = type->elements();
  Sequence sequence;
  sequence.count = builder_.getInt64(elements.size());
  sequence.element = elements.empty() ? sema::int64Type() : elements.front();
  llvm::Type *elementType = module_.typeOf(sequence.element);
  llvm::AllocaInst *spill =
      entryAlloca(llvm::ArrayType::get(elementType, elements.size()), "tuple.loop");
  for (unsigned i = 0; i < elements.size(); ++i) {
    llvm::Value *element = builder_.CreateExtractValue(tuple, i);
    // The body's statements sweep temporaries: a tuple of new arrays stays alive until the
    // loop ends.
    if (managesArrays_ && sequence.element->isArray())
      sequence.held.push_back(holdArray(arrayParts(element, sequence.element).base));
    builder_.CreateStore(
        element, builder_.CreateConstInBoundsGEP2_64(spill->getAllocatedType(), spill, 0, i));
  }
  sequence.at = [this, spill, elementType](llvm::Value *k) {
    llvm::Value *address =
        builder_.CreateInBoundsGEP(spill->getAllocatedType(), spill, {builder_.getInt64(0), k});
    return builder_.CreateLoad(elementType, address);
  };
  return sequence;
}

void FunctionLowering::dropHeld(const std::vector<Sequence> &sequences) {
  for (const Sequence &sequence : sequences)
    for (llvm::AllocaInst *held : sequence.held)
      dropHeldArray(held);
}

bool FunctionLowering::isGlobalCall(const CallExpr *call, sema::Builtin builtin) const {
  const sema::GlobalValue *global = sema::globalOf(unit_, typed_, call->callee);
  return global && global->kind == sema::GlobalValue::Kind::Builtin && global->builtin == builtin;
}

void FunctionLowering::lowerReturn(const ReturnStmt *ret) {
  if (ret->value && !typed_.returnType->isNone()) {
    llvm::Value *value = lowerAs(ret->value, typed_.returnType);
    changeReferences(value, typed_.returnType, true); // released by the exit block
    builder_.CreateStore(value, resultSlot_);
  } else if (ret->value && !isa<NoneLiteralExpr>(ret->value)) {
    lowerExpr(ret->value); // `return f(x)` of a call returning None still runs the call
  }
  runFinallies(0);
  builder_.CreateBr(exitBlock(0));
  continueInDeadBlock();
}

} // namespace nogil::codegen
