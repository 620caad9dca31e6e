// prange loops: the body is outlined into `i32 body(closure, partial, begin, end, context)`,
// which runs iterations [begin, end) and accumulates the loop's reductions into `partial`;
// the function hands it to nogil_rt_parallel_for (runtime/parallel_for.h) and then combines
// the reductions into the variables:
//
//   closure = {shared values..., their assigned flags..., start, step}   // read-only copies
//   partial = identities                       // 0 for +=, 1 for *=, +inf for min, ...
//   if (nogil_rt_parallel_for(&{body, init, combine, &closure, &partial, count}, context))
//     unwind
//   s = s (op) partial.s                       // for each reduction s
//
// Shared locals are copied into the closure: neither the body nor the waiting function
// writes them during the loop, and copies let LLVM keep them in registers in the body.
#include "codegen/lower_impl.h"

#include <algorithm>
#include <limits>

namespace nogil::codegen {

using sema::ReductionOp;
using sema::Type;

namespace {

/// The value that leaves any other unchanged under `op`.
llvm::Constant *identity(ReductionOp op, const Type *type, llvm::Type *llvmType) {
  if (type->isFloat()) {
    double value = 0;
    switch (op) {
    case ReductionOp::Mul:
      value = 1;
      break;
    case ReductionOp::Min:
      value = std::numeric_limits<double>::infinity();
      break;
    case ReductionOp::Max:
      value = -std::numeric_limits<double>::infinity();
      break;
    default:
      value = -0.0; // x + -0.0 is x, even for x = -0.0
      break;
    }
    return llvm::ConstantFP::get(llvmType, value);
  }
  unsigned bits = llvmType->getIntegerBitWidth();
  switch (op) {
  case ReductionOp::Mul:
    return llvm::ConstantInt::get(llvmType, 1);
  case ReductionOp::BitAnd:
    return llvm::ConstantInt::get(llvmType, llvm::APInt::getAllOnes(bits));
  case ReductionOp::Min:
    return llvm::ConstantInt::get(llvmType, type->isSigned() ? llvm::APInt::getSignedMaxValue(bits)
                                                             : llvm::APInt::getMaxValue(bits));
  case ReductionOp::Max:
    return llvm::ConstantInt::get(llvmType, type->isSigned() ? llvm::APInt::getSignedMinValue(bits)
                                                             : llvm::APInt::getMinValue(bits));
  default:
    return llvm::ConstantInt::get(llvmType, 0);
  }
}

/// `lhs (op) rhs` for two partial results. A `-=` reduction accumulates what it subtracts,
/// so partials add up. min and max keep the left operand unless the right is smaller
/// (greater), as Python's min(lhs, rhs) does.
llvm::Value *combine(llvm::IRBuilder<> &b, ReductionOp op, const Type *type, llvm::Value *lhs,
                     llvm::Value *rhs) {
  bool isFloat = type->isFloat();
  switch (op) {
  case ReductionOp::Add:
  case ReductionOp::Sub:
    return isFloat ? b.CreateFAdd(lhs, rhs) : b.CreateAdd(lhs, rhs);
  case ReductionOp::Mul:
    return isFloat ? b.CreateFMul(lhs, rhs) : b.CreateMul(lhs, rhs);
  case ReductionOp::BitOr:
    return b.CreateOr(lhs, rhs);
  case ReductionOp::BitAnd:
    return b.CreateAnd(lhs, rhs);
  case ReductionOp::BitXor:
    return b.CreateXor(lhs, rhs);
  case ReductionOp::Min:
  case ReductionOp::Max: {
    bool min = op == ReductionOp::Min;
    llvm::Value *replaces = isFloat ? (min ? b.CreateFCmpOLT(rhs, lhs) : b.CreateFCmpOGT(rhs, lhs))
                            : type->isSigned()
                                ? (min ? b.CreateICmpSLT(rhs, lhs) : b.CreateICmpSGT(rhs, lhs))
                                : (min ? b.CreateICmpULT(rhs, lhs) : b.CreateICmpUGT(rhs, lhs));
    return b.CreateSelect(replaces, rhs, lhs);
  }
  }
  return lhs;
}

/// Whether the body can evaluate a range argument again and get the same value: it reads
/// only shared locals (which nobody writes during the loop) and cannot raise.
bool recomputable(const ast::Expr *expr, const sema::TypedFunction &typed,
                  const sema::ParallelLoop &parallel) {
  using namespace ast;
  auto pure = [&](const Expr *e) { return recomputable(e, typed, parallel); };
  switch (expr->kind) {
  case ExprKind::IntLiteral:
    return true;
  case ExprKind::Name: {
    int32_t slot = typed.localOf(expr);
    return slot >= 0 &&
           std::find(parallel.shared.begin(), parallel.shared.end(), slot) != parallel.shared.end();
  }
  case ExprKind::Unary:
    return cast<UnaryExpr>(expr)->op == UnaryOp::Neg && pure(cast<UnaryExpr>(expr)->operand);
  case ExprKind::Binary: {
    auto *binary = cast<BinaryExpr>(expr);
    return (binary->op == BinaryOp::Add || binary->op == BinaryOp::Sub ||
            binary->op == BinaryOp::Mul) &&
           pure(binary->lhs) && pure(binary->rhs);
  }
  case ExprKind::Call: {
    auto *call = cast<CallExpr>(expr);
    auto builtin = typed.builtinCalls.find(call->id);
    return builtin != typed.builtinCalls.end() && builtin->second == sema::Builtin::Len &&
           call->args.size() == 1 && call->keywordValues.empty() && pure(call->args[0]);
  }
  case ExprKind::Attribute: // a.shape, a.size, a.ndim
    return pure(cast<AttributeExpr>(expr)->value);
  case ExprKind::Subscript: { // a.shape[0]
    auto *subscript = cast<SubscriptExpr>(expr);
    const sema::Type *type = typed.typeOf(subscript->value);
    return type && type->isTuple() && isa<IntLiteralExpr>(subscript->index) &&
           pure(subscript->value);
  }
  default:
    return false;
  }
}

llvm::Function *internalFunction(llvm::Module &module, llvm::FunctionType *type,
                                 const std::string &name) {
  auto *fn = llvm::Function::Create(type, llvm::Function::InternalLinkage, name, module);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  return fn;
}

} // namespace

void FunctionLowering::lowerParallelFor(const ast::ForStmt *loop,
                                        const sema::ParallelLoop &parallel) {
  auto &b = builder_;
  llvm::LLVMContext &context = module_.context;
  llvm::Module &module = module_.module;
  auto *ptr = b.getPtrTy();
  RangeBounds range = rangeBounds(ast::cast<ast::CallExpr>(loop->iterable));
  auto *run = newBlock("prange.run");
  auto *done = newBlock("prange.done");
  b.CreateCondBr(b.CreateICmpSGT(range.count, b.getInt64(0)), run, done);
  b.SetInsertPoint(run);

  // The closure: the shared locals' values, whether each is assigned, then start and step.
  std::vector<llvm::Type *> fields;
  for (int32_t slot : parallel.shared)
    fields.push_back(module_.typeOf(typed_.localTypes[slot]));
  for (size_t i = 0; i < parallel.shared.size(); ++i)
    fields.push_back(b.getInt1Ty());
  fields.push_back(b.getInt64Ty());
  fields.push_back(b.getInt64Ty());
  auto *closureType = llvm::StructType::get(context, fields);
  llvm::AllocaInst *closure = entryAlloca(closureType, "prange.closure");
  size_t count = parallel.shared.size();
  for (size_t i = 0; i < count; ++i) {
    int32_t slot = parallel.shared[i];
    b.CreateStore(loadLocal(slot), b.CreateStructGEP(closureType, closure, i));
    llvm::Value *assigned = b.getTrue();
    if (bound_[slot])
      assigned = b.CreateLoad(b.getInt1Ty(), bound_[slot]);
    b.CreateStore(assigned, b.CreateStructGEP(closureType, closure, count + i));
  }
  b.CreateStore(range.start, b.CreateStructGEP(closureType, closure, 2 * count));
  b.CreateStore(range.step, b.CreateStructGEP(closureType, closure, 2 * count + 1));

  // The reductions' partial result, and the functions that start and combine one.
  std::vector<llvm::Type *> partialFields;
  for (const auto &[slot, op] : parallel.reductions)
    partialFields.push_back(module_.typeOf(typed_.localTypes[slot]));
  auto *partialType = llvm::StructType::get(context, partialFields);
  std::string prefix = function_->getName().str() + ".prange";
  llvm::Value *init = llvm::ConstantPointerNull::get(ptr);
  llvm::Value *combineAll = llvm::ConstantPointerNull::get(ptr);
  llvm::AllocaInst *partial = entryAlloca(partialType, "prange.partial");
  if (!parallel.reductions.empty()) {
    auto *initFn = internalFunction(module, llvm::FunctionType::get(b.getVoidTy(), {ptr}, false),
                                    prefix + ".init");
    auto *combineFn = internalFunction(
        module, llvm::FunctionType::get(b.getVoidTy(), {ptr, ptr}, false), prefix + ".combine");
    llvm::IRBuilder<> ib(llvm::BasicBlock::Create(context, "entry", initFn));
    llvm::IRBuilder<> cb(llvm::BasicBlock::Create(context, "entry", combineFn));
    for (size_t i = 0; i < parallel.reductions.size(); ++i) {
      auto [slot, op] = parallel.reductions[i];
      const Type *type = typed_.localTypes[slot];
      llvm::Type *fieldType = partialFields[i];
      ib.CreateStore(identity(op, type, fieldType),
                     ib.CreateStructGEP(partialType, initFn->getArg(0), i));
      llvm::Value *into = cb.CreateStructGEP(partialType, combineFn->getArg(0), i);
      llvm::Value *from = cb.CreateStructGEP(partialType, combineFn->getArg(1), i);
      cb.CreateStore(
          combine(cb, op, type, cb.CreateLoad(fieldType, into), cb.CreateLoad(fieldType, from)),
          into);
      b.CreateStore(identity(op, type, fieldType), b.CreateStructGEP(partialType, partial, i));
    }
    ib.CreateRetVoid();
    cb.CreateRetVoid();
    init = initFn;
    combineAll = combineFn;
  }

  auto *bodyType = llvm::FunctionType::get(b.getInt32Ty(),
                                           {ptr, ptr, b.getInt64Ty(), b.getInt64Ty(), ptr}, false);
  auto *bodyFn = internalFunction(module, bodyType, prefix);
  FunctionLowering(module_, typed_, bodyFn)
      .lowerParallelBody(loop, parallel, closureType, partialType);

  // runtime/parallel_for.h's NogilParallelLoop.
  auto *loopType =
      llvm::StructType::get(context, {ptr, ptr, ptr, ptr, ptr, b.getInt64Ty(), b.getInt64Ty()});
  llvm::AllocaInst *description = entryAlloca(loopType, "prange.loop");
  llvm::Value *parts[] = {bodyFn,     init,    combineAll,
                          closure,    partial, llvm::ConstantExpr::getSizeOf(partialType),
                          range.count};
  for (unsigned i = 0; i < 7; ++i)
    b.CreateStore(parts[i], b.CreateStructGEP(loopType, description, i));
  auto parallelFor = module.getOrInsertFunction(
      "nogil_rt_parallel_for", llvm::FunctionType::get(b.getInt32Ty(), {ptr, ptr}, false));
  llvm::Value *status = b.CreateCall(parallelFor, {description, context_});
  unwindIf(b.CreateICmpNE(status, b.getInt32(0)), nullptr);

  for (size_t i = 0; i < parallel.reductions.size(); ++i) {
    auto [slot, op] = parallel.reductions[i];
    checkBound(slot, loop->iterable->span);
    llvm::Value *result =
        b.CreateLoad(partialFields[i], b.CreateStructGEP(partialType, partial, i));
    storeSlot(slot, combine(b, op, typed_.localTypes[slot], loadLocal(slot), result));
  }
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

void FunctionLowering::lowerParallelBody(const ast::ForStmt *loop,
                                         const sema::ParallelLoop &parallel,
                                         llvm::StructType *closureType,
                                         llvm::StructType *partialType) {
  auto &b = builder_;
  b.SetInsertPoint(newBlock("entry"));
  llvm::Value *closure = function_->getArg(0);
  llvm::Value *partial = function_->getArg(1);
  llvm::Value *begin = function_->getArg(2);
  llvm::Value *end = function_->getArg(3);
  context_ = function_->getArg(4);
  context_->setName("context");
  startReferences();
  size_t locals = typed_.localNames.size();
  locals_.assign(locals, nullptr);
  bound_.assign(locals, nullptr);
  ownsLocal_.assign(locals, false);
  auto local = [&](int32_t slot) {
    llvm::AllocaInst *storage =
        entryAlloca(module_.typeOf(typed_.localTypes[slot]), typed_.localNames[slot].c_str());
    locals_[slot] = storage;
    return storage;
  };
  size_t count = parallel.shared.size();
  for (size_t i = 0; i < count; ++i) {
    int32_t slot = parallel.shared[i];
    llvm::AllocaInst *storage = local(slot);
    b.CreateStore(
        b.CreateLoad(storage->getAllocatedType(), b.CreateStructGEP(closureType, closure, i)),
        storage);
    if (static_cast<size_t>(slot) < typed_.args.size())
      continue; // a parameter: always assigned
    bound_[slot] = entryAlloca(b.getInt1Ty(), "bound");
    b.CreateStore(b.CreateLoad(b.getInt1Ty(), b.CreateStructGEP(closureType, closure, count + i)),
                  bound_[slot]);
  }
  std::vector<int32_t> privates = parallel.privates;
  if (parallel.target >= 0)
    privates.push_back(parallel.target);
  for (int32_t slot : privates) {
    llvm::AllocaInst *storage = local(slot);
    b.CreateStore(llvm::Constant::getNullValue(storage->getAllocatedType()), storage);
    bound_[slot] = entryAlloca(b.getInt1Ty(), "bound");
    b.CreateStore(b.getFalse(), bound_[slot]);
    ownsLocal_[slot] = true;
  }
  for (size_t i = 0; i < parallel.reductions.size(); ++i) {
    llvm::AllocaInst *storage = local(parallel.reductions[i].first);
    b.CreateStore(
        b.CreateLoad(storage->getAllocatedType(), b.CreateStructGEP(partialType, partial, i)),
        storage);
  }
  auto *call = ast::cast<ast::CallExpr>(loop->iterable);
  bool recompute = std::all_of(call->args.begin(), call->args.end(), [&](const ast::Expr *arg) {
    return recomputable(arg, typed_, parallel);
  });
  llvm::Value *start = nullptr;
  llvm::Value *step = nullptr;
  if (recompute) {
    // The range as the function computed it (constants fold: prange(n) has start 0 and
    // step 1), and what the runtime guarantees about the slice of it this call runs.
    RangeBounds range = rangeBounds(call);
    start = range.start;
    step = range.step;
    b.CreateAssumption(b.CreateICmpSGE(begin, b.getInt64(0)));
    b.CreateAssumption(b.CreateICmpSLE(begin, end));
    b.CreateAssumption(b.CreateICmpSLE(end, range.count));
  } else {
    start = b.CreateLoad(b.getInt64Ty(), b.CreateStructGEP(closureType, closure, 2 * count));
    step = b.CreateLoad(b.getInt64Ty(), b.CreateStructGEP(closureType, closure, 2 * count + 1));
  }
  lowerCountedLoop(loop, b.CreateSub(end, begin), [&](llvm::Value *k) {
    // begin + k < end: no overflow.
    llvm::Value *index = b.CreateAdd(start, b.CreateMul(b.CreateNSWAdd(begin, k), step));
    storeLocal(loop->target, index, sema::int64Type());
  });
  for (size_t i = 0; i < parallel.reductions.size(); ++i) {
    int32_t slot = parallel.reductions[i].first;
    b.CreateStore(loadLocal(slot), b.CreateStructGEP(partialType, partial, i));
  }
  b.CreateBr(exitBlock(0));
  finishExits();
}

} // namespace nogil::codegen
