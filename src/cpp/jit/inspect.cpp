#include "jit/inspect.h"

#include "codegen/lower.h"
#include "jit/compiler.h"
#include "jit/session.h"

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

namespace nogil::jit {

namespace {

/// Lowers and optimises the specialization into a module of its own, or says why not.
std::unique_ptr<llvm::Module> optimisedModule(const sema::FunctionUnit &unit,
                                              const std::vector<const sema::Type *> &args,
                                              llvm::LLVMContext &context, Inspection &out,
                                              Session *&session) {
  sema::Program program = typeOnly(unit, args);
  if (!program.ok()) {
    out.diagnostics = std::move(program.diagnostics);
    return nullptr;
  }
  auto found = Session::get();
  if (!found) {
    out.internalError = llvm::toString(found.takeError());
    return nullptr;
  }
  session = &*found;
  auto module = codegen::lowerProgram(program, context, program.functions[0]->symbol);
  if (!module) {
    out.internalError = "code generation produced invalid IR";
    return nullptr;
  }
  session->prepareModule(*module);
  return module;
}

} // namespace

Inspection typesOf(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args) {
  Inspection out;
  sema::Program program = typeOnly(unit, args);
  if (!program.ok()) {
    out.diagnostics = std::move(program.diagnostics);
    return out;
  }
  out.returnType = program.functions[0]->returnType;
  out.annotations = sema::annotateTypes(*program.functions[0]);
  return out;
}

Inspection llvmOf(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args) {
  Inspection out;
  llvm::LLVMContext context;
  Session *session = nullptr;
  if (auto module = optimisedModule(unit, args, context, out, session)) {
    llvm::raw_string_ostream stream(out.text);
    module->print(stream, nullptr);
  }
  return out;
}

Inspection asmOf(const sema::FunctionUnit &unit, const std::vector<const sema::Type *> &args) {
  Inspection out;
  llvm::LLVMContext context;
  Session *session = nullptr;
  auto module = optimisedModule(unit, args, context, out, session);
  if (!module)
    return out;
  auto machine = session->createTargetMachine();
  if (!machine) {
    out.internalError = llvm::toString(machine.takeError());
    return out;
  }
  llvm::SmallString<4096> buffer;
  llvm::raw_svector_ostream stream(buffer);
  llvm::legacy::PassManager passes;
  if ((*machine)->addPassesToEmitFile(passes, stream, nullptr,
                                      llvm::CodeGenFileType::AssemblyFile)) {
    out.internalError = "this target cannot emit assembly";
    return out;
  }
  passes.run(*module);
  out.text = std::string(buffer.str());
  return out;
}

} // namespace nogil::jit
