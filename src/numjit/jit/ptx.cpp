#include "numjit/jit/ptx.h"

#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Linker/Linker.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>

#include <memory>
#include <mutex>

#include "numjit/codegen/gpu_raise.h"
#include "numjit/support/diagnostics.h"

extern "C" void LLVMInitializeNVPTXTargetInfo();
extern "C" void LLVMInitializeNVPTXTarget();
extern "C" void LLVMInitializeNVPTXTargetMC();
extern "C" void LLVMInitializeNVPTXAsmPrinter();

namespace numjit::jit {
namespace {

constexpr const char* kTriple = "nvptx64-nvidia-cuda";

std::unique_ptr<llvm::TargetMachine> gpu_machine(const std::string& arch) {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
  });
  std::string problem;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(kTriple, problem);
  if (!target) internal_error("the NVPTX back end is missing: " + problem);
  llvm::TargetOptions options;
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      kTriple, arch, "+ptx80", options, llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
}

bool is_gpu_function(const llvm::Function& f) {
  return f.isIntrinsic() || f.getName().starts_with("__nv_") || f.getName().starts_with("llvm.");
}

// Calls of the C math library become libdevice's functions of the same meaning.
void use_libdevice_math(llvm::Module& module) {
  for (llvm::Function& f : module) {
    if (!f.isDeclaration() || is_gpu_function(f)) continue;
    std::string name = f.getName().str();
    static const char* const kMath[] = {
        "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
        "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "pow", "sqrt", "cbrt", "hypot", "erf", "erfc",
        "tgamma", "lgamma", "fmod", "floor", "ceil", "trunc", "round", "fabs", "copysign", "fmin", "fmax"};
    for (const char* m : kMath) {
      std::string base(m);
      if (name == base || name == base + "f") {
        f.setName("__nv_" + name);
        break;
      }
    }
  }
}

void link_libdevice(llvm::Module& module, const std::string& libdevice) {
  if (libdevice.empty()) return;
  bool needed = false;
  for (const llvm::Function& f : module) needed = needed || (f.isDeclaration() && f.getName().starts_with("__nv_"));
  if (!needed) return;
  auto buffer = llvm::MemoryBuffer::getFile(libdevice);
  if (!buffer) internal_error("cannot read libdevice at " + libdevice);
  auto parsed = llvm::parseBitcodeFile((*buffer)->getMemBufferRef(), module.getContext());
  if (!parsed) internal_error("cannot parse libdevice at " + libdevice + ": " + llvm::toString(parsed.takeError()));
  std::unique_ptr<llvm::Module> device = std::move(*parsed);
  device->setTargetTriple(kTriple);
  device->setDataLayout(module.getDataLayout());
  if (llvm::Linker::linkModules(module, std::move(device), llvm::Linker::LinkOnlyNeeded))
    internal_error("cannot link libdevice into a CUDA kernel");
}

}  // namespace

std::string ptx_data_layout() { return gpu_machine("sm_90")->createDataLayout().getStringRepresentation(); }

std::string ptx_assembly(llvm::Module& module, const std::string& arch, const std::string& libdevice) {
  std::unique_ptr<llvm::TargetMachine> machine = gpu_machine(arch);
  module.setTargetTriple(kTriple);
  module.setDataLayout(machine->createDataLayout());
  use_libdevice_math(module);
  link_libdevice(module, libdevice);
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(machine.get());
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(module, mam);
  // numjit's checks that optimization kept (it removes those it proves never fail) report through the flag.
  std::string checks = codegen::checks_as_gpu_error_codes(module);
  for (const llvm::Function& f : module)
    if (f.isDeclaration() && !is_gpu_function(f) && !f.use_empty())
      unsupported({}, "this kernel calls " + f.getName().str() +
                          ", which numjit has no GPU form of yet (numjit's runtime: allocation, exceptions, "
                          "lists, strings; a math function without a libdevice form)");
  llvm::SmallString<16384> text;
  llvm::raw_svector_ostream os(text);
  llvm::legacy::PassManager emit;
  if (machine->addPassesToEmitFile(emit, os, nullptr, llvm::CodeGenFileType::AssemblyFile))
    internal_error("the NVPTX back end cannot print PTX");
  emit.run(module);
  return text.str().str() + checks;
}

}  // namespace numjit::jit
