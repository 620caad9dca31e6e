// LLJIT set-up: host CPU and features, libm and the nogil runtime visible to compiled code.
#include "jit/session.h"

#include "jit/pipeline.h"
#include "runtime/array_memory.h"
#include "runtime/array_order.h"
#include "runtime/array_shape.h"
#include "runtime/call_context.h"
#include "runtime/complex_math.h"
#include "runtime/datetime.h"
#include "runtime/error_record.h"
#include "runtime/exception_classes.h"
#include "runtime/integer_math.h"
#include "runtime/matmul.h"
#include "runtime/numeric.h"
#include "runtime/parallel_for.h"
#include "runtime/reductions.h"
#include "runtime/text.h"

#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/ExecutorProcessControl.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/TaskDispatch.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/TargetSelect.h>

#include <llvm/Config/llvm-config.h>

#include <dlfcn.h>
#include <sys/stat.h>

#include <mutex>

namespace nogil::jit {

namespace {

/// Emits object code with the compiling thread's machine (Session::threadMachine).
class ThreadMachineCompiler : public llvm::orc::IRCompileLayer::IRCompiler {
public:
  ThreadMachineCompiler(Session &session, const llvm::TargetOptions &options)
      : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(options)), session_(session) {}

  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module &module) override {
    llvm::TargetMachine *machine = session_.threadMachine();
    if (!machine)
      return llvm::make_error<llvm::StringError>("cannot create a target machine",
                                                 llvm::inconvertibleErrorCode());
    return llvm::orc::SimpleCompiler(*machine)(module);
  }

private:
  Session &session_;
};

/// The file this code was loaded from (the extension, or a test binary), by size and
/// modification time: a rebuild changes code generation without changing the version.
std::string buildOfThisBinary() {
  Dl_info info{};
  struct stat status{};
  if (!dladdr(reinterpret_cast<void *>(&buildOfThisBinary), &info) || !info.dli_fname ||
      stat(info.dli_fname, &status) != 0)
    return "unknown build";
  return std::to_string(status.st_size) + "/" + std::to_string(status.st_mtim.tv_sec) + "." +
         std::to_string(status.st_mtim.tv_nsec);
}

} // namespace

llvm::Expected<Session &> Session::get() {
  static std::once_flag once;
  static Session *session = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    auto *created = new Session(); // lives for the process: compiled code may run until exit
    if (llvm::Error error = created->initialize()) {
      failure = llvm::toString(std::move(error));
      delete created;
      return;
    }
    session = created;
  });
  if (!session)
    return llvm::make_error<llvm::StringError>("cannot start the JIT: " + failure,
                                               llvm::inconvertibleErrorCode());
  return *session;
}

llvm::Error Session::initialize() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  machineBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  cpuName_ = machineBuilder->getCPU();
  cpuFeatures_ = machineBuilder->getFeatures().getString();
  machineBuilder_ = *machineBuilder;
  buildIdentity_ = std::string("nogil " NOGIL_VERSION " ") + buildOfThisBinary() +
                   "; LLVM " LLVM_VERSION_STRING "; " + cpuName_ + " " + cpuFeatures_;

  // Compiles on several threads at once: code is emitted on the thread that looks it up
  // (in place), with that thread's machine. LLJIT's default for concurrent compilation
  // emits on a new pool thread per module instead, which built a TargetMachine and its
  // subtarget for every compile (3-5 ms of a small function's 10).
  auto control = llvm::orc::SelfExecutorProcessControl::Create(
      nullptr, std::make_unique<llvm::orc::InPlaceTaskDispatcher>());
  if (!control)
    return control.takeError();
  auto jit = llvm::orc::LLJITBuilder()
                 .setExecutorProcessControl(std::move(*control))
                 .setJITTargetMachineBuilder(*machineBuilder)
                 .setSupportConcurrentCompilation(true)
                 .setCompileFunctionCreator(
                     [this](llvm::orc::JITTargetMachineBuilder builder)
                         -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                       return std::make_unique<ThreadMachineCompiler>(*this, builder.getOptions());
                     })
                 .create();
  if (!jit)
    return jit.takeError();
  jit_ = std::move(*jit);

  // Compiled code calls libm (pow, fmod) from the process, and the runtime by address: the
  // runtime's symbols are hidden in the extension, so they cannot be found by name.
  llvm::orc::JITDylib &main = jit_->getMainJITDylib();
  auto processSymbols = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      jit_->getDataLayout().getGlobalPrefix());
  if (!processSymbols)
    return processSymbols.takeError();
  main.addGenerator(std::move(*processSymbols));
  llvm::orc::SymbolMap runtime;
  auto define = [&](const char *name, void *address) {
    runtime[jit_->mangleAndIntern(name)] = llvm::orc::ExecutorSymbolDef(
        llvm::orc::ExecutorAddr::fromPtr(address), llvm::JITSymbolFlags::Exported);
  };
  define("nogil_rt_raise", reinterpret_cast<void *>(&nogil_rt_raise));
  define("nogil_rt_raise_class", reinterpret_cast<void *>(&nogil_rt_raise_class));
  define("nogil_rt_raise_text", reinterpret_cast<void *>(&nogil_rt_raise_text));
  define("nogil_rt_text_begin", reinterpret_cast<void *>(&nogil_rt_text_begin));
  define("nogil_rt_text_str", reinterpret_cast<void *>(&nogil_rt_text_str));
  define("nogil_rt_text_int", reinterpret_cast<void *>(&nogil_rt_text_int));
  define("nogil_rt_text_float", reinterpret_cast<void *>(&nogil_rt_text_float));
  define("nogil_rt_text_bool", reinterpret_cast<void *>(&nogil_rt_text_bool));
  define("nogil_rt_text_uint", reinterpret_cast<void *>(&nogil_rt_text_uint));
  define("nogil_rt_text_float32", reinterpret_cast<void *>(&nogil_rt_text_float32));
  define("nogil_rt_print", reinterpret_cast<void *>(&nogil_rt_print));
  define("nogil_rt_error_matches", reinterpret_cast<void *>(&nogil_rt_error_matches));
  define("nogil_rt_error_catchable", reinterpret_cast<void *>(&nogil_rt_error_catchable));
  define("nogil_rt_clear_error", reinterpret_cast<void *>(&nogil_rt_clear_error));
  define("nogil_rt_raise_index", reinterpret_cast<void *>(&nogil_rt_raise_index));
  define("nogil_rt_raise_int_bounds", reinterpret_cast<void *>(&nogil_rt_raise_int_bounds));
  define("nogil_rt_add_frame", reinterpret_cast<void *>(&nogil_rt_add_frame));
  define("nogil_rt_hash_int", reinterpret_cast<void *>(&nogil_rt_hash_int));
  define("nogil_rt_hash_uint", reinterpret_cast<void *>(&nogil_rt_hash_uint));
  define("nogil_rt_hash_float", reinterpret_cast<void *>(&nogil_rt_hash_float));
  define("nogil_rt_round_float", reinterpret_cast<void *>(&nogil_rt_round_float));
  define("nogil_rt_round_int", reinterpret_cast<void *>(&nogil_rt_round_int));
  define("nogil_rt_gcd", reinterpret_cast<void *>(&nogil_rt_gcd));
  define("nogil_rt_factorial", reinterpret_cast<void *>(&nogil_rt_factorial));
  define("nogil_rt_comb", reinterpret_cast<void *>(&nogil_rt_comb));
  define("nogil_rt_perm", reinterpret_cast<void *>(&nogil_rt_perm));
  define("nogil_rt_isqrt", reinterpret_cast<void *>(&nogil_rt_isqrt));
  define("nogil_rt_pow_mod", reinterpret_cast<void *>(&nogil_rt_pow_mod));
  define("nogil_rt_complex_pow", reinterpret_cast<void *>(&nogil_rt_complex_pow));
  define("nogil_rt_cmath_sqrt", reinterpret_cast<void *>(&nogil_rt_cmath_sqrt));
  define("nogil_rt_datetime_from_months", reinterpret_cast<void *>(&nogil_rt_datetime_from_months));
  define("nogil_rt_array_new", reinterpret_cast<void *>(&nogil_rt_array_new));
  define("nogil_rt_array_copy", reinterpret_cast<void *>(&nogil_rt_array_copy));
  define("nogil_rt_array_copy_to", reinterpret_cast<void *>(&nogil_rt_array_copy_to));
  define("nogil_rt_like_strides", reinterpret_cast<void *>(&nogil_rt_like_strides));
  define("nogil_rt_reshape_shape", reinterpret_cast<void *>(&nogil_rt_reshape_shape));
  define("nogil_rt_reshape_strides", reinterpret_cast<void *>(&nogil_rt_reshape_strides));
  define("nogil_rt_raise_flat_index", reinterpret_cast<void *>(&nogil_rt_raise_flat_index));
  define("nogil_rt_poll", reinterpret_cast<void *>(&nogil_rt_poll));
  define("nogil_rt_stack_exhausted", reinterpret_cast<void *>(&nogil_rt_stack_exhausted));
  define("nogil_rt_parallel_for", reinterpret_cast<void *>(&nogil_rt_parallel_for));
  define("nogil_rt_array_retain", reinterpret_cast<void *>(&nogil_rt_array_retain));
  define("nogil_rt_array_release", reinterpret_cast<void *>(&nogil_rt_array_release));
  define("nogil_rt_array_queue_mark", reinterpret_cast<void *>(&nogil_rt_array_queue_mark));
  define("nogil_rt_array_sweep", reinterpret_cast<void *>(&nogil_rt_array_sweep));
  define("nogil_rt_matmul", reinterpret_cast<void *>(&nogil_rt_matmul));
  define("nogil_rt_matmul_mismatch", reinterpret_cast<void *>(&nogil_rt_matmul_mismatch));
#define NOGIL_REDUCTIONS(SUFFIX, T, SUM)                                                           \
  define("nogil_rt_sum_" #SUFFIX, reinterpret_cast<void *>(&nogil_rt_sum_##SUFFIX));               \
  define("nogil_rt_min_" #SUFFIX, reinterpret_cast<void *>(&nogil_rt_min_##SUFFIX));               \
  define("nogil_rt_max_" #SUFFIX, reinterpret_cast<void *>(&nogil_rt_max_##SUFFIX));               \
  define("nogil_rt_argmin_" #SUFFIX, reinterpret_cast<void *>(&nogil_rt_argmin_##SUFFIX));         \
  define("nogil_rt_argmax_" #SUFFIX, reinterpret_cast<void *>(&nogil_rt_argmax_##SUFFIX));         \
  define("nogil_rt_fsum_" #SUFFIX, reinterpret_cast<void *>(&nogil_rt_fsum_##SUFFIX));
#include "runtime/reduction_types.def"
#undef NOGIL_REDUCTIONS
  return main.define(llvm::orc::absoluteSymbols(std::move(runtime)));
}

void Session::prepareModule(llvm::Module &m) {
  m.setDataLayout(jit_->getDataLayout());
  m.setTargetTriple(jit_->getTargetTriple().str());
  for (llvm::Function &f : m) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", cpuName_);
    f.addFnAttr("target-features", cpuFeatures_);
  }
  if (llvm::TargetMachine *machine = threadMachine())
    optimizeModule(m, *machine);
}

llvm::TargetMachine *Session::threadMachine() {
  thread_local std::unique_ptr<llvm::TargetMachine> machine;
  if (!machine) {
    auto created = machineBuilder_->createTargetMachine();
    if (!created) {
      llvm::consumeError(created.takeError());
      return nullptr;
    }
    machine = std::move(*created);
  }
  return machine.get();
}

llvm::Error Session::addModule(llvm::orc::ThreadSafeModule module) {
  module.withModuleDo([&](llvm::Module &m) { prepareModule(m); });
  return jit_->addIRModule(std::move(module));
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> Session::emitObject(llvm::Module &module) {
  prepareModule(module);
  llvm::TargetMachine *machine = threadMachine();
  if (!machine)
    return llvm::make_error<llvm::StringError>("cannot create a target machine",
                                               llvm::inconvertibleErrorCode());
  return llvm::orc::SimpleCompiler(*machine)(module);
}

llvm::Error Session::addObject(std::unique_ptr<llvm::MemoryBuffer> object,
                               const std::vector<std::pair<std::string, uintptr_t>> &absolutes) {
  llvm::orc::JITDylib &main = jit_->getMainJITDylib();
  llvm::orc::SymbolMap symbols;
  for (const auto &[name, address] : absolutes)
    symbols[jit_->mangleAndIntern(name)] = llvm::orc::ExecutorSymbolDef(
        llvm::orc::ExecutorAddr(address), llvm::JITSymbolFlags::Exported);
  if (!symbols.empty())
    if (llvm::Error error = main.define(llvm::orc::absoluteSymbols(std::move(symbols))))
      return error;
  return jit_->addObjectFile(std::move(object));
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>> Session::createTargetMachine() {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  return builder->createTargetMachine();
}

llvm::Expected<void *> Session::lookup(const std::string &symbol) {
  auto address = jit_->lookup(symbol);
  if (!address)
    return address.takeError();
  return address->toPtr<void *>();
}

} // namespace nogil::jit
