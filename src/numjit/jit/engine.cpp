#include "numjit/jit/engine.h"

#include <llvm/Analysis/TargetTransformInfo.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/ConstraintElimination.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Transforms/Scalar/LoopPassManager.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/DynamicLibrary.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "numjit/codegen/aligned_vector_spills.h"
#include "numjit/codegen/cheap_ordered_reductions.h"
#include "numjit/codegen/exact_running_extrema.h"
#include "numjit/codegen/predicted_running_compares.h"
#include "numjit/codegen/search_prefetch.h"
#include "numjit/codegen/running_extrema.h"
#include "numjit/codegen/x86_float_extrema.h"
#include "numjit/codegen/x86_float_to_int.h"
#include "numjit/codegen/refcount_pruning.h"
#include "numjit/support/diagnostics.h"

namespace numjit::jit {

struct Engine::Impl {
  std::mutex mutex;
  Target host;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::unique_ptr<llvm::TargetMachine> target_machine;
  llvm::orc::SymbolMap runtime_symbols;
  std::vector<std::pair<std::string, SymbolProvider>> on_demand;  // (name prefix, provider)
  std::set<std::string> on_demand_defined;
};

namespace {

template <typename T>
T unwrap(llvm::Expected<T> value, const char* what) {
  if (!value) internal_error(std::string(what) + ": " + llvm::toString(value.takeError()));
  return std::move(*value);
}

void check(llvm::Error err, const char* what) {
  if (err) internal_error(std::string(what) + ": " + llvm::toString(std::move(err)));
}

// LLVM options are process-wide; set the ones numjit relies on once.
void configure_llvm_options() {
  // Ordered reductions keep float sums in source order.
  // The x86 cmov converter turns selects inside loops back into branches,
  // betting that they predict well; in numerical loops they are decided by
  // the data (argmin over centres, clamping), mispredict half the time, and
  // the select is what the source meant. (The one shape that predicts well,
  // an integer running extreme's position over a long array, is made a
  // branch by predicted_running_compares.h.)
  // The vectorizer's alias checks stay with each inner loop. Hoisted, a
  // check covers the whole outer range at once: Floyd-Warshall's update of
  // row i from row k then conflicts for every i (row k lies inside the
  // matrix), and all rows ran scalar, 11x slower than checking row by row.
  const char* argv[] = {"numjit", "-force-ordered-reductions=true", "-x86-cmov-converter=false",
                        "-hoist-runtime-checks=false"};
  llvm::cl::ParseCommandLineOptions(4, argv, "numjit\n");
  // NUMJIT_LLVM_OPTIONS: more of LLVM's own options, separated by spaces, for
  // looking into the compiler (-print-after-all, -force-vector-width=1, ...).
  // One LLVM does not know is reported and the program goes on: LLVM's parser
  // would otherwise end the process.
  const char* extra = std::getenv("NUMJIT_LLVM_OPTIONS");
  if (!extra) return;
  std::vector<std::string> words{"numjit"};
  std::istringstream text(extra);
  for (std::string word; text >> word;) words.push_back(word);
  std::vector<const char*> extra_argv;
  for (const std::string& w : words) extra_argv.push_back(w.c_str());
  std::string problems;
  llvm::raw_string_ostream problem_stream(problems);
  if (!llvm::cl::ParseCommandLineOptions(static_cast<int>(extra_argv.size()), extra_argv.data(), "numjit\n",
                                         &problem_stream))
    std::cerr << "numjit: NUMJIT_LLVM_OPTIONS: " << problem_stream.str();
}

}  // namespace

Engine& Engine::instance() {
  static Engine* engine = new Engine();  // lives for the process: compiled code may run until exit
  return *engine;
}

Engine::Engine() : impl_(std::make_unique<Impl>()) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  configure_llvm_options();
  // libmvec's vector variants must resolve from JIT-compiled code.
  llvm::sys::DynamicLibrary::LoadLibraryPermanently("libmvec.so.1");
  llvm::sys::DynamicLibrary::LoadLibraryPermanently("libm.so.6");

  auto jtmb = unwrap(llvm::orc::JITTargetMachineBuilder::detectHost(), "detecting the host CPU");
  jtmb.setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  // What LLJIT's linker (JITLink) uses on x86-64 and AArch64: objects emitted
  // here for the cache then link both in the JIT and into a shared library.
  jtmb.setRelocationModel(llvm::Reloc::PIC_);
  jtmb.setCodeModel(llvm::CodeModel::Small);
  Target& host = impl_->host;
  host.cpu = jtmb.getCPU();
  host.features = jtmb.getFeatures().getString();
  host.avx2 = host.features.find("+avx2") != std::string::npos;
  host.avx512 = host.features.find("+avx512f") != std::string::npos;
  impl_->target_machine = unwrap(jtmb.createTargetMachine(), "creating the target machine");
  host.data_layout = impl_->target_machine->createDataLayout().getStringRepresentation();

  // LLJIT would make two target machines of its own (one for the data
  // layout, one to compile with), each building the subtarget's tables again
  // on the first compile; it shares the one the optimizer uses instead. The
  // GIL keeps compiles one at a time, which SimpleCompiler needs.
  llvm::TargetMachine* machine = impl_->target_machine.get();
  impl_->jit = unwrap(llvm::orc::LLJITBuilder()
                          .setJITTargetMachineBuilder(jtmb)
                          .setDataLayout(machine->createDataLayout())
                          .setCompileFunctionCreator([machine](llvm::orc::JITTargetMachineBuilder)
                                                         -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                            return std::make_unique<llvm::orc::SimpleCompiler>(*machine);
                          })
                          .create(),
                      "creating LLJIT");
  auto& main = impl_->jit->getMainJITDylib();
  main.addGenerator(unwrap(llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
                               impl_->jit->getDataLayout().getGlobalPrefix()),
                           "searching process symbols"));
}

const Target& Engine::host() const { return impl_->host; }

void Engine::set_on_demand_symbols(const std::string& prefix, SymbolProvider provider) {
  std::lock_guard lock(impl_->mutex);
  impl_->on_demand.emplace_back(prefix, std::move(provider));
}

// Defines the on-demand symbols a module declares before the JIT links it.
void Engine::define_on_demand(llvm::Module& module) {
  for (llvm::Function& f : module.functions()) {
    if (!f.isDeclaration()) continue;
    std::string name = f.getName().str();
    if (impl_->on_demand_defined.count(name) || !provider_for(name)) continue;
    define_unlocked(name, on_demand_address_unlocked(name));
    impl_->on_demand_defined.insert(name);
  }
}

const Engine::SymbolProvider* Engine::provider_for(const std::string& name) const {
  for (const auto& [prefix, provider] : impl_->on_demand)
    if (name.starts_with(prefix)) return &provider;
  return nullptr;
}

uint64_t Engine::on_demand_address_unlocked(const std::string& name) {
  const SymbolProvider* provider = provider_for(name);
  if (!provider) internal_error("no provider for " + name);
  uint64_t address = (*provider)(name);
  if (!address)
    unsupported({}, name.substr(name.find('_', std::string("numjit_").size()) + 1) +
                        " is not available: compiled code needs SciPy's BLAS/LAPACK (pip install scipy)");
  return address;
}

void Engine::define_symbol(const std::string& name, uint64_t address) {
  std::lock_guard lock(impl_->mutex);
  define_unlocked(name, address);
}

void Engine::define_unlocked(const std::string& name, uint64_t address) {
  auto& main = impl_->jit->getMainJITDylib();
  llvm::orc::SymbolMap symbols;
  symbols[impl_->jit->mangleAndIntern(name)] = {llvm::orc::ExecutorAddr(address), llvm::JITSymbolFlags::Exported};
  llvm::Error err = main.define(llvm::orc::absoluteSymbols(std::move(symbols)));
  if (err) llvm::consumeError(std::move(err));  // already defined: the address is the same
}

void Engine::optimize(llvm::Module& module) {
  module.setDataLayout(impl_->target_machine->createDataLayout());
  module.setTargetTriple(impl_->target_machine->getTargetTriple().str());
  // The vectorizer's cost model reads the CPU from each function. Every
  // definition gets the same attributes: the target machine builds a
  // subtarget (its instruction tables, 1-2 ms) for each set it meets.
  const Target& host = impl_->host;
  for (llvm::Function& f : module) {
    if (f.isDeclaration() || f.hasFnAttribute("target-cpu")) continue;
    f.addFnAttr("target-cpu", host.cpu);
    f.addFnAttr("target-features", host.features);
    if (host.avx512) f.addFnAttr("prefer-vector-width", "512");
  }
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder pb(impl_->target_machine.get(), tuning);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  // After the inliner, before the loop optimisations: see refcount_pruning.h.
  pb.registerOptimizerEarlyEPCallback([](llvm::ModulePassManager& passes, llvm::OptimizationLevel) {
    passes.addPass(codegen::RefcountPruningPass());
  });
  // Before the loop vectorizer: see cheap_ordered_reductions.h, exact_running_extrema.h and running_extrema.h.
  pb.registerVectorizerStartEPCallback([](llvm::FunctionPassManager& passes, llvm::OptimizationLevel) {
    passes.addPass(codegen::CheapOrderedReductionsPass());
    passes.addPass(codegen::ExactRunningExtremaPass());
    passes.addPass(codegen::RunningExtremaPass());
  });
  // The optimizer's late unrolling (after its last CSE) fully unrolls small
  // inner loops such as `for di in range(-1, 2)`, copying their index
  // arithmetic; in a prange chunk, whose loop bounds LLVM cannot relate,
  // those copies (an integer % each) stayed: 1.45x on a game of life's step.
  pb.registerOptimizerLastEPCallback([](llvm::ModulePassManager& passes, llvm::OptimizationLevel) {
    passes.addPass(llvm::createModuleToFunctionPassAdaptor(llvm::EarlyCSEPass(true)));
    // The copies also carry their checks: `% m`'s ZeroDivisionError test
    // inside the j loop of a prange chunk, which the loop's own guard (m > 0)
    // decides. Deciding it (ConstraintElimination), dropping the dead raise
    // (SimplifyCFG) leaves the row's `(i + di) % n` guaranteed to execute, so
    // LICM hoists it out of the j loop: game of life's chunk on one thread
    // 36 -> 23 ms (serial 20), for ~0.2 ms more of the seed's compile.
    llvm::FunctionPassManager late;
    late.addPass(llvm::ConstraintEliminationPass());
    late.addPass(llvm::SimplifyCFGPass());
    late.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::LICMPass(llvm::LICMOptions()), /*UseMemorySSA=*/true));
    passes.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(late)));
    // After the vectorizer, which needs the portable form: see x86_float_to_int.h.
    passes.addPass(llvm::createModuleToFunctionPassAdaptor(codegen::X86FloatToIntPass()));
    // The running compares the vectorizer left scalar: see exact_running_extrema.h.
    passes.addPass(llvm::createModuleToFunctionPassAdaptor(codegen::RestoreScalarRunningComparesPass()));
    // After the vectorizer and the restore above, which need the intrinsics: see x86_float_extrema.h.
    passes.addPass(llvm::createModuleToFunctionPassAdaptor(codegen::X86FloatExtremaPass()));
    // After every SimplifyCFG, which would fold the branch back: see predicted_running_compares.h.
    passes.addPass(llvm::createModuleToFunctionPassAdaptor(codegen::PredictedRunningComparesPass()));
    // Last, on the loops as they will run (unrolled copies included): see search_prefetch.h.
    passes.addPass(llvm::createModuleToFunctionPassAdaptor(codegen::SearchPrefetchPass()));
    // When the vectors are final: see aligned_vector_spills.h.
    passes.addPass(codegen::AlignedVectorSpillsPass());
  });
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(module, mam);
}

std::vector<uint64_t> Engine::add_and_lookup(std::unique_ptr<llvm::Module> module,
                                             std::unique_ptr<llvm::LLVMContext> context,
                                             const std::vector<std::string>& symbols) {
  std::lock_guard lock(impl_->mutex);
  define_on_demand(*module);
  auto& main = impl_->jit->getMainJITDylib();
  // One tracker per specialization; compiled code stays for the process.
  auto tracker = main.createResourceTracker();
  check(impl_->jit->addIRModule(tracker, llvm::orc::ThreadSafeModule(std::move(module), std::move(context))),
        "adding the module to the JIT");
  std::vector<uint64_t> addresses;
  for (const std::string& name : symbols)
    addresses.push_back(name.empty() ? 0 : unwrap(impl_->jit->lookup(name), "looking up compiled code").getValue());
  return addresses;
}

std::string Engine::object_code(llvm::Module& module) {
  std::lock_guard lock(impl_->mutex);
  llvm::SmallString<16384> bytes;
  llvm::raw_svector_ostream os(bytes);
  llvm::legacy::PassManager pm;
  if (impl_->target_machine->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    internal_error("the target cannot emit object files");
  pm.run(module);
  return std::string(bytes.str());
}

std::vector<uint64_t> Engine::add_object_and_lookup(const std::string& object, const std::vector<std::string>& symbols) {
  std::lock_guard lock(impl_->mutex);
  auto& main = impl_->jit->getMainJITDylib();
  auto tracker = main.createResourceTracker();
  check(impl_->jit->addObjectFile(tracker, llvm::MemoryBuffer::getMemBufferCopy(object, "numjit.object")),
        "adding compiled code to the JIT");
  std::vector<uint64_t> addresses;
  for (const std::string& name : symbols)
    addresses.push_back(name.empty() ? 0 : unwrap(impl_->jit->lookup(name), "looking up compiled code").getValue());
  return addresses;
}

std::vector<std::string> Engine::on_demand_prefixes() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<std::string> prefixes;
  for (const auto& entry : impl_->on_demand) prefixes.push_back(entry.first);
  return prefixes;
}

uint64_t Engine::on_demand_address(const std::string& name) {
  std::lock_guard lock(impl_->mutex);
  return on_demand_address_unlocked(name);
}

std::string Engine::assembly(llvm::Module& module) {
  std::lock_guard lock(impl_->mutex);
  llvm::SmallString<4096> text;
  llvm::raw_svector_ostream os(text);
  llvm::legacy::PassManager pm;
  if (impl_->target_machine->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::AssemblyFile))
    return "<the target cannot emit assembly>";
  pm.run(module);
  return std::string(text.str());
}

}  // namespace numjit::jit
