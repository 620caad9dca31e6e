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

namespace nogil::codegen {

namespace {
/// Iterations of a counted loop between polls: large enough that the poll costs nothing
/// beside them, a multiple of every vector width times the unroll factor.
constexpr int64_t kChunk = 4096;
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
  auto slowPath = module_.module.getOrInsertFunction("nogil_rt_poll", b.getInt32Ty(), b.getPtrTy());
  if (auto *fn = llvm::dyn_cast<llvm::Function>(slowPath.getCallee())) {
    fn->addFnAttr(llvm::Attribute::Cold);
    fn->addFnAttr(llvm::Attribute::NoUnwind);
  }
  llvm::Value *status = b.CreateCall(slowPath, {context_});
  auto *interrupted = newBlock("poll.interrupted");
  b.CreateCondBr(b.CreateICmpNE(status, b.getInt32(0)), interrupted, done,
                 weights.createUnlikelyBranchWeights());
  b.SetInsertPoint(interrupted);
  unwind();
  b.SetInsertPoint(done);
}

void FunctionLowering::pollAtEntry() {
  // Recursion has no loop to poll in; a function that calls others pays one decrement.
  if (!typed_.calls.empty())
    poll(builder_.getInt64(1));
}

void FunctionLowering::lowerCountedLoop(const ast::ForStmt *loop, llvm::Value *count,
                                        const std::function<void(llvm::Value *)> &bindTarget) {
  auto &b = builder_;
  llvm::AllocaInst *index = entryAlloca(b.getInt64Ty(), "range.k");
  b.CreateStore(b.getInt64(0), index);
  auto *chunkHeader = newBlock("for.chunk");
  auto *header = newBlock("for.cond");
  auto *body = newBlock("for.body");
  auto *latch = newBlock("for.next");
  auto *chunkDone = newBlock("for.chunk.done");
  auto *orElse = newBlock("for.else");
  auto *done = newBlock("for.done");
  b.CreateBr(chunkHeader);

  b.SetInsertPoint(chunkHeader);
  llvm::Value *chunkStart = b.CreateLoad(b.getInt64Ty(), index, "chunk.start");
  llvm::Value *remaining = b.CreateSub(count, chunkStart);
  llvm::Value *chunk =
      b.CreateSelect(b.CreateICmpULT(remaining, b.getInt64(kChunk)), remaining, b.getInt64(kChunk));
  llvm::Value *chunkEnd = b.CreateAdd(chunkStart, chunk, "chunk.end");
  auto *chunkBody = newBlock("for.chunk.body");
  b.CreateCondBr(b.CreateICmpEQ(chunk, b.getInt64(0)), orElse, chunkBody);
  b.SetInsertPoint(chunkBody);
  b.CreateBr(header);

  b.SetInsertPoint(header);
  llvm::Value *k = b.CreateLoad(b.getInt64Ty(), index, "k");
  b.CreateCondBr(b.CreateICmpNE(k, chunkEnd), body, chunkDone);
  b.SetInsertPoint(body);
  bindTarget(k);
  loops_.push_back({latch, done, finallies_.size()});
  lowerBlock(loop->body);
  loops_.pop_back();
  b.CreateBr(latch);
  b.SetInsertPoint(latch);
  b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), index), b.getInt64(1)), index);
  b.CreateBr(header);

  b.SetInsertPoint(chunkDone);
  poll(chunk);
  b.CreateBr(chunkHeader);

  b.SetInsertPoint(orElse);
  lowerBlock(loop->orElse);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

} // namespace nogil::codegen
