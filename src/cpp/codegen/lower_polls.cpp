// Polls: compiled code spends the call's budget (NogilCallContext::budget) at loop back
// edges and at the entry of functions that call others, and takes the runtime's slow path
// (Ctrl-C, the auto GIL policy) when it runs out. Counted loops are strip-mined so that
// the inner loop, which does the work, has no poll in it and still vectorizes:
//
//   for (k = 0; k != count;) {                      // one poll per chunk
//     chunkEnd = k + min(kChunk, count - k);
//     for (; k != chunkEnd; ++k) <body>
//     context->budget -= chunk; if (budget < 0 && nogil_rt_poll(context)) unwind;
//   }
#include "codegen/lower_impl.h"
#include "runtime/call_context.h"

#include <llvm/IR/Intrinsics.h>

namespace nogil::codegen {

namespace {

/// Iterations of a counted loop between polls: large enough that the poll costs nothing
/// beside them, a multiple of every vector width times the unroll factor.
constexpr int64_t kChunk = 4096;
/// An innermost loop this short runs unchunked, charged before it starts: at most tens of
/// ms of ordinary loop bodies without a poll (a longer one is chunked).
constexpr int64_t kPlainLimit = 1 << 24;

} // namespace

void FunctionLowering::poll(llvm::Value *work) {
  auto &b = builder_;
  static_assert(offsetof(NogilCallContext, budget) == 0, "compiled code finds the budget first");
  llvm::Value *left = b.CreateSub(b.CreateLoad(b.getInt64Ty(), context_), work, "budget");
  b.CreateStore(left, context_);
  auto *slow = newBlock("poll.slow");
  auto *done = newBlock("poll.done");
  llvm::MDBuilder weights(module_.context);
  b.CreateCondBr(b.CreateICmpSLT(left, b.getInt64(0)), slow, done,
                 weights.createUnlikelyBranchWeights());
  b.SetInsertPoint(slow);
  auto slowPath = module_.coldFunction(
      "nogil_rt_poll",
      llvm::FunctionType::get(b.getInt32Ty(), {b.getPtrTy(), b.getInt64Ty()}, false));
  unwindIf(b.CreateICmpNE(b.CreateCall(slowPath, {context_, work}), b.getInt32(0)), nullptr);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

void FunctionLowering::pollAtEntry() {
  // Recursion has no loop to poll in; a function that calls others pays one decrement.
  if (!typed_.calls.empty())
    poll(builder_.getInt64(1));
}

void FunctionLowering::checkStackAtEntry() {
  auto &b = builder_;
  // Where the stack is after this frame's prologue: each level of a recursion is checked
  // with its own frame allocated, and the margin below the limit holds what runs between
  // two checks.
  llvm::Value *stackPointer = b.CreatePtrToInt(
      b.CreateIntrinsic(llvm::Intrinsic::stacksave, {b.getPtrTy()}, {}), b.getInt64Ty(), "sp");
  llvm::Value *limitAddress =
      b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), context_, offsetof(NogilCallContext, stackLimit));
  llvm::Value *limit = b.CreateLoad(b.getInt64Ty(), limitAddress, "stack.limit");
  auto *slow = newBlock("stack.slow");
  auto *done = newBlock("stack.done");
  llvm::MDBuilder weights(module_.context);
  b.CreateCondBr(b.CreateICmpULT(stackPointer, limit), slow, done,
                 weights.createUnlikelyBranchWeights());
  b.SetInsertPoint(slow);
  auto slowPath = module_.coldFunction(
      "nogil_rt_stack_exhausted",
      llvm::FunctionType::get(b.getInt32Ty(), {b.getPtrTy(), b.getInt64Ty()}, false));
  llvm::Value *exhausted = b.CreateCall(slowPath, {context_, stackPointer});
  // CPython's message for the same recursion.
  raiseIf(b.CreateICmpNE(exhausted, b.getInt32(0)), NOGIL_ERROR_RECURSION,
          "maximum recursion depth exceeded", unit_.ast->nameSpan);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

std::unordered_set<std::string> recursiveSymbols(const sema::Program &program) {
  std::unordered_map<std::string, const sema::TypedFunction *> bySymbol;
  for (const auto &typed : program.functions)
    bySymbol.emplace(typed->symbol, typed.get());
  std::unordered_set<std::string> recursive;
  for (const auto &root : program.functions) {
    // Depth-first over the program's calls from root, with an explicit stack.
    std::unordered_set<const sema::TypedFunction *> seen;
    std::vector<const sema::TypedFunction *> pending{root.get()};
    while (!pending.empty() && !recursive.count(root->symbol)) {
      const sema::TypedFunction *function = pending.back();
      pending.pop_back();
      for (const auto &[id, target] : function->calls) {
        auto callee = bySymbol.find(target.symbol);
        if (callee == bySymbol.end())
          continue;
        if (callee->second == root.get())
          recursive.insert(root->symbol);
        else if (seen.insert(callee->second).second)
          pending.push_back(callee->second);
      }
    }
  }
  return recursive;
}

bool containsLoop(const ast::StmtList &stmts) {
  for (const ast::Stmt *stmt : stmts) {
    switch (stmt->kind) {
    case ast::StmtKind::For:
    case ast::StmtKind::While:
      return true;
    case ast::StmtKind::If: {
      auto *branch = ast::cast<ast::IfStmt>(stmt);
      if (containsLoop(branch->body) || containsLoop(branch->orElse))
        return true;
      break;
    }
    case ast::StmtKind::Try: {
      auto *attempt = ast::cast<ast::TryStmt>(stmt);
      if (containsLoop(attempt->body) || containsLoop(attempt->orElse) ||
          containsLoop(attempt->finalBody))
        return true;
      for (const ast::ExceptHandler &handler : attempt->handlers)
        if (containsLoop(handler.body))
          return true;
      break;
    }
    default:
      break;
    }
  }
  return false;
}

void FunctionLowering::lowerCountedLoop(const ast::ForStmt *loop, llvm::Value *count,
                                        const std::function<void(llvm::Value *)> &bindTarget,
                                        const RangeBounds *range) {
  auto &b = builder_;
  auto *orElse = newBlock("for.else");
  auto *done = newBlock("for.done");
  std::set<std::pair<uint32_t, unsigned>> proven;
  llvm::Value *provenHold = nullptr;
  bool innermost = !containsLoop(loop->body);
  if (innermost && range)
    provenHold = provableRangeChecks(loop, *range, proven);
  if (!innermost) {
    emitChunkedLoop(loop, count, bindTarget, orElse, done);
  } else if (provenHold) {
    // Twins again: without the checks proven to hold (vectorizable), and as written.
    auto *unchecked = newBlock("for.unchecked");
    auto *checked = newBlock("for.checked");
    b.CreateCondBr(provenHold, unchecked, checked);
    b.SetInsertPoint(unchecked);
    provenIndices_ = std::move(proven);
    emitInnermostLoop(loop, count, bindTarget, orElse, done);
    provenIndices_.clear();
    b.SetInsertPoint(checked);
    emitInnermostLoop(loop, count, bindTarget, orElse, done);
  } else {
    emitInnermostLoop(loop, count, bindTarget, orElse, done);
  }
  b.SetInsertPoint(orElse);
  lowerBlock(loop->orElse);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

void FunctionLowering::emitInnermostLoop(const ast::ForStmt *loop, llvm::Value *count,
                                         const std::function<void(llvm::Value *)> &bindTarget,
                                         llvm::BasicBlock *orElse, llvm::BasicBlock *done) {
  auto &b = builder_;
  // An innermost loop is where vectorization happens, and LLVM's vectorizer does not see
  // through the chunks: a loop short enough runs unchunked and pays for its work after.
  // The chunked twin is unrolled and interleaved like its plain twin: rolled, the article's
  // loop ran at 1.03x Numba's time and a vectorized integer reduction at 1.5x (one vector
  // accumulator instead of four), on AMD Zen 4.
  auto *plain = newBlock("for.plain");
  auto *chunked = newBlock("for.chunked");
  b.CreateCondBr(b.CreateICmpULE(count, b.getInt64(kPlainLimit)), plain, chunked);
  b.SetInsertPoint(plain);
  emitPlainLoop(loop, count, bindTarget, orElse, done);
  b.SetInsertPoint(chunked);
  emitChunkedLoop(loop, count, bindTarget, orElse, done);
}

void FunctionLowering::emitIndexLoop(const ast::ForStmt *loop, llvm::AllocaInst *index,
                                     llvm::Value *end, llvm::Value *count,
                                     const std::function<void(llvm::Value *)> &bindTarget,
                                     llvm::BasicBlock *exit, llvm::BasicBlock *done) {
  auto &b = builder_;
  auto *header = newBlock("for.cond");
  auto *body = newBlock("for.body");
  auto *latch = newBlock("for.next");
  b.CreateBr(header);
  b.SetInsertPoint(header);
  llvm::Value *k = b.CreateLoad(b.getInt64Ty(), index, "k");
  b.CreateCondBr(b.CreateICmpNE(k, end), body, exit);
  b.SetInsertPoint(body);
  if (end != count) {
    // What an unchunked loop makes obvious, 0 <= k < count, for the bounds checks that LLVM
    // folds or hoists with it (a[i] for i in range(len(a))).
    b.CreateAssumption(b.CreateICmpSGE(k, b.getInt64(0)));
    b.CreateAssumption(b.CreateICmpSLT(k, count));
  }
  bindTarget(k);
  loops_.push_back({latch, done, finallies_.size()});
  lowerBlock(loop->body);
  loops_.pop_back();
  b.CreateBr(latch);
  b.SetInsertPoint(latch);
  b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), index), b.getInt64(1)), index);
  b.CreateBr(header);
}

void FunctionLowering::emitPlainLoop(const ast::ForStmt *loop, llvm::Value *count,
                                     const std::function<void(llvm::Value *)> &bindTarget,
                                     llvm::BasicBlock *orElse, llvm::BasicBlock *done) {
  auto &b = builder_;
  // Charged up front, so that "auto" can release the GIL before a long loop starts.
  poll(count);
  llvm::AllocaInst *index = entryAlloca(b.getInt64Ty(), "range.k");
  b.CreateStore(b.getInt64(0), index);
  emitIndexLoop(loop, index, count, count, bindTarget, orElse, done);
}

void FunctionLowering::emitChunkedLoop(const ast::ForStmt *loop, llvm::Value *count,
                                       const std::function<void(llvm::Value *)> &bindTarget,
                                       llvm::BasicBlock *orElse, llvm::BasicBlock *done) {
  auto &b = builder_;
  llvm::AllocaInst *index = entryAlloca(b.getInt64Ty(), "range.k");
  b.CreateStore(b.getInt64(0), index);
  auto *chunkHeader = newBlock("for.chunk");
  auto *chunkBody = newBlock("for.chunk.body");
  auto *chunkDone = newBlock("for.chunk.done");
  b.CreateBr(chunkHeader);

  b.SetInsertPoint(chunkHeader);
  llvm::Value *chunkStart = b.CreateLoad(b.getInt64Ty(), index, "chunk.start");
  // count <= INT64_MAX, so the sum cannot wrap.
  llvm::Value *chunkEnd =
      b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, count,
                              b.CreateNUWAdd(chunkStart, b.getInt64(kChunk)), nullptr, "chunk.end");
  llvm::Value *chunk = b.CreateSub(chunkEnd, chunkStart, "chunk");
  b.CreateCondBr(b.CreateICmpEQ(chunkStart, count), orElse, chunkBody);
  b.SetInsertPoint(chunkBody);
  emitIndexLoop(loop, index, chunkEnd, count, bindTarget, chunkDone, done);

  b.SetInsertPoint(chunkDone);
  poll(chunk);
  b.CreateBr(chunkHeader);
}

} // namespace nogil::codegen
