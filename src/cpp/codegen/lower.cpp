// Module-level lowering and the pieces every function shares: types, conversions, raising.
#include "codegen/lower_impl.h"

#include <algorithm>

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

namespace nogil::codegen {

using namespace ast;
using sema::Type;
using sema::TypeKind;

ModuleLowering::ModuleLowering(llvm::Module &module,
                               const std::unordered_map<uintptr_t, std::string> *classSymbols)
    : module(module), context(module.getContext()), classSymbols_(classSymbols) {
  auto *ptr = llvm::PointerType::getUnqual(context);
  siteType_ =
      llvm::StructType::create(context, {ptr, ptr, llvm::Type::getInt32Ty(context)}, "NogilSite");
}

llvm::Type *ModuleLowering::typeOf(const Type *type) {
  if (type->isTuple()) {
    // A literal struct: values are SSA aggregates, built and read with insert/extractvalue.
    // A long tuple of one element type is an array instead: LLVM's constant propagation
    // (SCCP) tracks every field of a struct through each insertvalue, cubic in the length
    // (a 300-tuple argument took 10 s to compile), and does not track array elements.
    const auto &members = type->elements();
    if (members.size() >= kArrayTupleLength &&
        std::all_of(members.begin(), members.end(),
                    [&](const Type *member) { return member == members.front(); }))
      return llvm::ArrayType::get(typeOf(members.front()), members.size());
    std::vector<llvm::Type *> elements;
    for (const Type *element : type->elements())
      elements.push_back(typeOf(element));
    return llvm::StructType::get(context, elements);
  }
  if (type->isArray()) {
    // {data, shape[ndim], strides[ndim], base}: strides in bytes, as the buffer protocol gives
    // them; base keeps the memory alive: the caller's object for an argument, or (tagged
    // with the low bit) the runtime's allocation for an array compiled code created.
    auto *dims = llvm::ArrayType::get(llvm::Type::getInt64Ty(context), type->ndim());
    auto *ptr = llvm::PointerType::getUnqual(context);
    return llvm::StructType::get(context, {ptr, dims, dims, ptr});
  }
  if (type->isRecord()) // the address of its bytes
    return llvm::PointerType::getUnqual(context);
  if (type->isOptional()) // {present, value}: the value zero (an untagged array) when None
    return llvm::StructType::get(context, {llvm::Type::getInt1Ty(context), typeOf(type->dtype())});
  if (type->isComplex()) {
    llvm::Type *part = typeOf(sema::complexPartType(type));
    return llvm::StructType::get(context, {part, part}); // real, imaginary
  }
  if (type->kind() == TypeKind::Float64)
    return llvm::Type::getDoubleTy(context);
  if (type->kind() == TypeKind::Float32)
    return llvm::Type::getFloatTy(context);
  if (type->isIntegral())
    return llvm::Type::getIntNTy(context, type->bitWidth());
  return llvm::Type::getInt64Ty(context); // None and Unknown never hold a value
}

llvm::FunctionType *ModuleLowering::functionType(const std::vector<const Type *> &params) {
  // The result's address, then the call's context (runtime/call_context.h).
  std::vector<llvm::Type *> types{llvm::PointerType::getUnqual(context),
                                  llvm::PointerType::getUnqual(context)};
  for (const Type *param : params)
    types.push_back(typeOf(param));
  return llvm::FunctionType::get(llvm::Type::getInt32Ty(context), types, false);
}

llvm::Function *ModuleLowering::function(const std::string &symbol,
                                         const std::vector<const Type *> &params) {
  if (llvm::Function *existing = module.getFunction(symbol))
    return existing;
  auto *fn =
      llvm::Function::Create(functionType(params), llvm::Function::ExternalLinkage, symbol, module);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  fn->addParamAttr(0, llvm::Attribute::NoAlias);
  fn->addParamAttr(0, llvm::Attribute::NoCapture);
  fn->addParamAttr(1, llvm::Attribute::NoAlias);
  fn->addParamAttr(1, llvm::Attribute::NoCapture);
  return fn;
}

llvm::Constant *ModuleLowering::string(const std::string &text) {
  auto found = strings_.find(text);
  if (found != strings_.end())
    return found->second;
  auto *init = llvm::ConstantDataArray::getString(context, text);
  auto *global = new llvm::GlobalVariable(module, init->getType(), true,
                                          llvm::GlobalValue::PrivateLinkage, init, "str");
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  strings_.emplace(text, global);
  return global;
}

llvm::Constant *ModuleLowering::site(const sema::FunctionUnit &unit, Span span) {
  uint32_t line = unit.source->lineColumnOf(span.begin).line;
  auto key = std::make_pair(&unit, line);
  auto found = sites_.find(key);
  if (found != sites_.end())
    return found->second;
  auto *init = llvm::ConstantStruct::get(
      siteType_, {string(unit.source->filename()), string(unit.qualname),
                  llvm::ConstantInt::get(llvm::Type::getInt32Ty(context), line)});
  auto *global = new llvm::GlobalVariable(module, siteType_, true,
                                          llvm::GlobalValue::PrivateLinkage, init, "site");
  sites_.emplace(key, global);
  return global;
}

llvm::Constant *ModuleLowering::exceptionClass(uintptr_t address) {
  auto *ptr = llvm::PointerType::getUnqual(context);
  if (!classSymbols_)
    return llvm::ConstantExpr::getIntToPtr(
        llvm::ConstantInt::get(llvm::Type::getInt64Ty(context), address), ptr);
  const std::string &name = classSymbols_->at(address);
  if (llvm::GlobalVariable *declared = module.getNamedGlobal(name))
    return declared;
  // Only its address is used: the loader defines the symbol at the class object.
  return new llvm::GlobalVariable(module, llvm::Type::getInt8Ty(context), true,
                                  llvm::GlobalValue::ExternalLinkage, nullptr, name);
}

llvm::FunctionCallee ModuleLowering::coldFunction(const char *name, llvm::FunctionType *type) {
  auto callee = module.getOrInsertFunction(name, type);
  if (auto *fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    fn->addFnAttr(llvm::Attribute::Cold);
    fn->addFnAttr(llvm::Attribute::NoUnwind);
  }
  return callee;
}

llvm::FunctionCallee ModuleLowering::raiseFunction() {
  auto *ptr = llvm::PointerType::getUnqual(context);
  return coldFunction("nogil_rt_raise",
                      llvm::FunctionType::get(llvm::Type::getVoidTy(context),
                                              {llvm::Type::getInt32Ty(context), ptr, ptr}, false));
}

llvm::FunctionCallee ModuleLowering::addFrameFunction() {
  auto *ptr = llvm::PointerType::getUnqual(context);
  return coldFunction("nogil_rt_add_frame",
                      llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptr}, false));
}

llvm::Function *ModuleLowering::intPowFunction() {
  if (intPow_)
    return intPow_;
  auto *i64 = llvm::Type::getInt64Ty(context);
  intPow_ = llvm::Function::Create(llvm::FunctionType::get(i64, {i64, i64}, false),
                                   llvm::Function::InternalLinkage, "nogil.ipow", module);
  intPow_->addFnAttr(llvm::Attribute::NoUnwind);
  auto *entry = llvm::BasicBlock::Create(context, "entry", intPow_);
  auto *loop = llvm::BasicBlock::Create(context, "loop", intPow_);
  auto *step = llvm::BasicBlock::Create(context, "step", intPow_);
  auto *done = llvm::BasicBlock::Create(context, "done", intPow_);
  llvm::IRBuilder<> b(entry);
  b.CreateBr(loop);
  // Exponentiation by squaring: result *= base for each set bit of the exponent.
  b.SetInsertPoint(loop);
  auto *result = b.CreatePHI(i64, 2, "result");
  auto *base = b.CreatePHI(i64, 2, "base");
  auto *exponent = b.CreatePHI(i64, 2, "exponent");
  b.CreateCondBr(b.CreateICmpEQ(exponent, b.getInt64(0)), done, step);
  b.SetInsertPoint(step);
  auto *odd = b.CreateTrunc(exponent, b.getInt1Ty());
  auto *nextResult = b.CreateSelect(odd, b.CreateMul(result, base), result);
  auto *nextBase = b.CreateMul(base, base);
  auto *nextExponent = b.CreateLShr(exponent, 1);
  b.CreateBr(loop);
  result->addIncoming(b.getInt64(1), entry);
  result->addIncoming(nextResult, step);
  base->addIncoming(intPow_->getArg(0), entry);
  base->addIncoming(nextBase, step);
  exponent->addIncoming(intPow_->getArg(1), entry);
  exponent->addIncoming(nextExponent, step);
  b.SetInsertPoint(done);
  b.CreateRet(result);
  return intPow_;
}

FunctionLowering::FunctionLowering(ModuleLowering &module, const sema::TypedFunction &typed,
                                   llvm::Function *function)
    : module_(module), typed_(typed), unit_(*typed.unit),
      function_(function ? function : module.function(typed.symbol, typed.args)),
      builder_(module.context) {
  builder_.setFastMathFlags(fastMathFlags(unit_.fastMath));
}

llvm::FastMathFlags fastMathFlags(uint32_t flags) {
  namespace fm = sema::fastmath;
  llvm::FastMathFlags fmf;
  fmf.setAllowReassoc((flags & fm::kReassoc) != 0);
  fmf.setNoNaNs((flags & fm::kNoNaNs) != 0);
  fmf.setNoInfs((flags & fm::kNoInfs) != 0);
  fmf.setNoSignedZeros((flags & fm::kNoSignedZeros) != 0);
  fmf.setAllowReciprocal((flags & fm::kAllowReciprocal) != 0);
  fmf.setAllowContract((flags & fm::kAllowContract) != 0);
  fmf.setApproxFunc((flags & fm::kApproxFunc) != 0);
  return fmf;
}

void FunctionLowering::lower() {
  function_->setLinkage(llvm::Function::ExternalLinkage);
  if (unit_.inlining == sema::InlineMode::Always)
    function_->addFnAttr(llvm::Attribute::AlwaysInline);
  else if (unit_.inlining == sema::InlineMode::Never)
    function_->addFnAttr(llvm::Attribute::NoInline);
  builder_.SetInsertPoint(newBlock("entry"));
  resultSlot_ = function_->getArg(0);
  if (typed_.returnType->isOptional()) // None until a return stores a value
    builder_.CreateStore(llvm::Constant::getNullValue(module_.typeOf(typed_.returnType)),
                         resultSlot_);
  context_ = function_->getArg(1);
  context_->setName("context");
  startReferences();
  for (size_t i = 0; i < typed_.localNames.size(); ++i) {
    auto *slot = entryAlloca(module_.typeOf(typed_.localTypes[i]), typed_.localNames[i].c_str());
    // Every local starts as zero: a read on a path that never assigned it must not be undef.
    builder_.CreateStore(llvm::Constant::getNullValue(slot->getAllocatedType()), slot);
    locals_.push_back(slot);
    ownsLocal_.push_back(true);
    llvm::AllocaInst *bound = nullptr;
    // Names starting with '$' are the front end's temporaries (the loops it writes for
    // sum(), min(), max(), any(), all() and inlined generators), read only where assigned.
    bool temporary = typed_.localNames[i].starts_with('$');
    if (i >= typed_.args.size() && !temporary) {
      bound = entryAlloca(builder_.getInt1Ty(), "bound");
      builder_.CreateStore(builder_.getFalse(), bound);
    }
    bound_.push_back(bound);
  }
  for (size_t i = 0; i < typed_.args.size(); ++i) {
    llvm::Argument *arg = function_->getArg(static_cast<unsigned>(i) + 2);
    arg->setName(typed_.localNames[i]);
    replaceLocal(static_cast<int32_t>(i), convert(arg, typed_.args[i], typed_.localTypes[i]));
  }
  pollAtEntry();
  if (module_.recursive.count(typed_.symbol))
    checkStackAtEntry();
  lowerBlock(unit_.ast->body);
  if (!builder_.GetInsertBlock()->getTerminator())
    builder_.CreateBr(exitBlock(0));
  finishExits();
}

llvm::Value *FunctionLowering::loadLocal(int32_t slot, const char *name) {
  return builder_.CreateLoad(module_.typeOf(typed_.localTypes[slot]), locals_[slot], name);
}

llvm::BasicBlock *FunctionLowering::newBlock(const char *name) {
  return llvm::BasicBlock::Create(module_.context, name, function_);
}

void FunctionLowering::continueInDeadBlock() { builder_.SetInsertPoint(newBlock("dead")); }

llvm::AllocaInst *FunctionLowering::entryAlloca(llvm::Type *type, const char *name) {
  llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
  return entry.CreateAlloca(type, nullptr, name);
}

llvm::Value *FunctionLowering::convert(llvm::Value *value, const Type *from, const Type *to) {
  if (!value) // None holds no value: `v = None`, `return None`
    return llvm::Constant::getNullValue(module_.typeOf(to));
  if (from != to && !to->isNone() && !to->isUnknown() && (to->isOptional() || from->isOptional()))
    return convertOptional(value, from, to);
  if (from == to || to->isNone() || to->isUnknown() || to->isArray()) // layouts share a struct
    return value;
  if (to->isTuple()) {
    // Element by element: (int64, bool) -> (float64, int64) when the typer unified them.
    llvm::Value *converted = llvm::UndefValue::get(module_.typeOf(to));
    for (unsigned i = 0; i < to->elements().size(); ++i) {
      llvm::Value *element = builder_.CreateExtractValue(value, i);
      converted = builder_.CreateInsertValue(
          converted, convert(element, from->elements()[i], to->elements()[i]), i);
    }
    return converted;
  }
  if (to->kind() == TypeKind::Bool)
    return truth(value, from);
  if (to->isTimeType())
    return convertTime(value, from, to);
  if (from->isTimeType()) { // astype: the count itself (NaT is the most negative int64)
    if (to->isComplex())
      return convert(convert(value, from, sema::float64Type()), sema::float64Type(), to);
    if (to->isFloat())
      return builder_.CreateSIToFP(value, module_.typeOf(to));
    return builder_.CreateIntCast(value, module_.typeOf(to), true);
  }
  if (to->isComplex()) {
    const Type *part = sema::complexPartType(to);
    llvm::Value *complex = llvm::UndefValue::get(module_.typeOf(to));
    if (from->isComplex()) { // complex64 <-> complex128: part by part
      for (unsigned i = 0; i < 2; ++i)
        complex = builder_.CreateInsertValue(
            complex,
            convert(builder_.CreateExtractValue(value, i), sema::complexPartType(from), part), i);
      return complex;
    }
    // a real number: its value, and 0 as the imaginary part
    complex = builder_.CreateInsertValue(complex, convert(value, from, part), 0);
    return builder_.CreateInsertValue(complex, llvm::ConstantFP::get(module_.typeOf(part), 0.0), 1);
  }
  if (from->isComplex()) // to a real type: the real part, as NumPy's astype (ComplexWarning)
    return convert(builder_.CreateExtractValue(value, 0), sema::complexPartType(from), to);
  llvm::Type *target = module_.typeOf(to);
  if (to->isFloat()) {
    if (from->isFloat())
      return builder_.CreateFPCast(value, target);
    return from->isSigned() ? builder_.CreateSIToFP(value, target)
                            : builder_.CreateUIToFP(value, target);
  }
  if (from->isFloat()) {
    // As NumPy's cast, but defined where C's is not: out of range saturates, NaN gives 0.
    llvm::Intrinsic::ID id =
        to->isSigned() ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat;
    return builder_.CreateIntrinsic(id, {target, value->getType()}, {value});
  }
  // Integer to integer: wraps to the narrower width, as NumPy's casts do.
  return builder_.CreateIntCast(value, target, from->isSigned());
}

llvm::Value *FunctionLowering::truth(llvm::Value *value, const Type *type) {
  if (type->kind() == TypeKind::Bool)
    return value;
  if (type->isOptional()) // None is false; a value as its own truth
    return builder_.CreateAnd(builder_.CreateExtractValue(value, 0),
                              truth(builder_.CreateExtractValue(value, 1), type->dtype()));
  if (type->isTuple()) // true when it has elements, whatever they are
    return builder_.getInt1(!type->elements().empty());
  if (type->isComplex()) {
    llvm::Value *zero = llvm::ConstantFP::get(module_.typeOf(sema::complexPartType(type)), 0.0);
    return builder_.CreateOr(builder_.CreateFCmpUNE(builder_.CreateExtractValue(value, 0), zero),
                             builder_.CreateFCmpUNE(builder_.CreateExtractValue(value, 1), zero));
  }
  if (type->isFloat()) // NaN is true in Python, and `une` is true for NaN.
    return builder_.CreateFCmpUNE(value, llvm::ConstantFP::get(value->getType(), 0.0));
  if (type->isInteger() || type->isTimeType()) // NaT is true, as in NumPy
    return builder_.CreateICmpNE(value, llvm::ConstantInt::get(value->getType(), 0));
  return builder_.getFalse();
}

void FunctionLowering::raiseIf(llvm::Value *failed, NogilErrorKind kind, const char *message,
                               Span at) {
  if (auto *constant = llvm::dyn_cast<llvm::ConstantInt>(failed); constant && constant->isZero())
    return;
  auto *raise = newBlock("raise");
  auto *ok = newBlock("ok");
  llvm::MDBuilder weights(module_.context);
  builder_.CreateCondBr(failed, raise, ok, weights.createUnlikelyBranchWeights());
  builder_.SetInsertPoint(raise);
  llvm::Value *text =
      message ? module_.string(message) : llvm::ConstantPointerNull::get(builder_.getPtrTy());
  builder_.CreateCall(module_.raiseFunction(),
                      {builder_.getInt32(kind), text, module_.site(unit_, at)});
  unwind();
  builder_.SetInsertPoint(ok);
}

void FunctionLowering::unwindIf(llvm::Value *failed, llvm::Value *callSite) {
  auto *unwinding = newBlock("unwind");
  auto *ok = newBlock("ok");
  llvm::MDBuilder weights(module_.context);
  builder_.CreateCondBr(failed, unwinding, ok, weights.createUnlikelyBranchWeights());
  builder_.SetInsertPoint(unwinding);
  if (callSite)
    builder_.CreateCall(module_.addFrameFunction(), {callSite});
  unwind();
  builder_.SetInsertPoint(ok);
}

void FunctionLowering::checkBound(int32_t slot, Span at) {
  llvm::Value *bound = bound_[slot];
  if (!bound)
    return;
  std::string message = "cannot access local variable '" + typed_.localNames[slot] +
                        "' where it is not associated with a value";
  raiseIf(builder_.CreateNot(builder_.CreateLoad(builder_.getInt1Ty(), bound)),
          NOGIL_ERROR_UNBOUND_LOCAL, message.c_str(), at);
}

void FunctionLowering::storeSlot(int32_t slot, llvm::Value *value) {
  replaceLocal(slot, value);
  if (bound_[slot])
    builder_.CreateStore(builder_.getTrue(), bound_[slot]);
}

std::string entrySymbol(const std::string &symbol) { return symbol + ".entry"; }

bool isSpecializationSymbol(llvm::StringRef name) {
  return name.contains('(') || name.starts_with(kCachedSymbolPrefix);
}

std::unique_ptr<llvm::Module>
lowerProgram(const sema::Program &program, llvm::LLVMContext &context,
             const std::string &moduleName,
             const std::unordered_map<uintptr_t, std::string> *classSymbols) {
  auto module = std::make_unique<llvm::Module>(moduleName, context);
  ModuleLowering lowering(*module, classSymbols);
  lowering.recursive = recursiveSymbols(program);
  // Declare all first so that calls between them, in any order, find their callee.
  for (const auto &typed : program.functions)
    lowering.function(typed->symbol, typed->args);
  for (const auto &typed : program.functions) {
    FunctionLowering(lowering, *typed).lower();
    lowerEntry(lowering, *typed);
  }
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(*module, &stream)) {
    stream.flush();
    llvm::errs() << "nogil: invalid IR generated:\n" << problems << "\n";
    return nullptr;
  }
  return module;
}

} // namespace nogil::codegen
