#include "numjit/compiler.h"

#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <set>

#include "numjit/codegen/function_slots.h"
#include "numjit/hir/print.h"
#include "numjit/hir/verify.h"
#include "numjit/jit/engine.h"
#include "numjit/jit/ptx.h"
#include "numjit/lower/module_lowering.h"
#include "numjit/lower/c_entry.h"
#include "numjit/lower/ptx_kernel.h"
#include "numjit/lower/ufunc_loop.h"
#include "numjit/passes/desugar.h"
#include "numjit/passes/plans.h"
#include "numjit/types/infer.h"

namespace numjit {
namespace {

// NUMJIT_DUMP=timings: the wall time of each stage of one compile, printed
// as it ends, to find where a first call's time goes.
class StageClock {
 public:
  explicit StageClock(bool enabled) : enabled_(enabled), last_(std::chrono::steady_clock::now()) {}
  void lap(const char* stage) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    std::cerr << "numjit timings: " << stage << " "
              << std::chrono::duration<double, std::milli>(now - last_).count() << " ms\n";
    last_ = now;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_;
};

bool wants(const CompileOptions& o, const char* stage) {
  return std::find(o.dump.begin(), o.dump.end(), stage) != o.dump.end();
}

// One compile: reads and types every function reachable from the top one,
// memoized per (dispatcher, argument types) so recursion terminates.
class Session : public types::CalleeResolver {
 public:
  Session(FunctionReader& reader, bool verify, bool dump_hir)
      : reader_(reader), verify_(verify), dump_hir_(dump_hir) {}

  hir::Function* specialize(void* dispatcher, const std::vector<const types::Type*>& args,
                            const SourceSpan& call_span) override {
    auto key = std::make_pair(dispatcher, args);
    auto it = specializations_.find(key);
    if (it != specializations_.end()) {
      // In progress: mutual recursion. The caller types this call with a
      // return type that may still be unknown; see retype_recursive_cycles.
      if (!finished_.count(it->second.get())) {
        recursion_seen_ = true;
        it->second->recursive = true;
      }
      return it->second.get();
    }
    std::unique_ptr<hir::Function> fn = read(dispatcher);
    std::vector<const types::Type*> full_args = args;
    size_t first_default = fn->param_count - fn->defaults.size();
    if (args.size() < fn->param_count && args.size() >= first_default) {
      // Missing trailing arguments take their defaults' types (the caller passes the values).
      for (size_t i = args.size(); i < fn->param_count; ++i)
        full_args.push_back(types::constant_type(*fn->defaults[i - first_default]));
      auto full_key = std::make_pair(dispatcher, full_args);
      auto found = specializations_.find(full_key);
      if (found != specializations_.end()) return found->second.get();
      key = full_key;
    }
    if (fn->param_count != full_args.size())
      typing_error(call_span, "'" + fn->name + "' takes " + std::to_string(fn->param_count) + " argument" +
                                  (fn->param_count == 1 ? "" : "s") + " but " + std::to_string(args.size()) +
                                  (args.size() == 1 ? " was" : " were") + " given");
    for (size_t i = 0; i < full_args.size(); ++i) {
      if (full_args[i]->kind == types::TypeKind::Opaque && !types::is_dtype_value(full_args[i])) {
        CompileError e(ErrorKind::Typing,
                       "argument '" + fn->locals[i].name + "' is a " +
                           full_args[i]->name.substr(9, full_args[i]->name.size() - 10) +
                           ", which compiled code cannot use (numbers, strings, None, NumPy arrays of "
                           "numeric dtypes, tuples and lists of those, sets of numbers or str, and "
                           "numjit.typed.List and Dict can be passed" + (full_args[i]->name.find("dict") != std::string::npos
                                           ? "; numjit.typed.Dict(d) makes a dict compiled code can take)"
                                           : ")"),
                       fn->locals[i].span);
        e.locate(fn->name, fn->source);
        throw e;
      }
      fn->locals[i].type = full_args[i];
      fn->param_types.push_back(full_args[i]);
    }
    hir::Function* raw = fn.get();
    specializations_.emplace(key, std::move(fn));
    infer_located(*raw);
    finished_.insert(raw);
    return raw;
  }

  // A function in a cycle (ev calls od calls ev) was typed while its callee's
  // return type was still unknown, so some of its expressions may be too
  // (`True if n == 0 else ev(n - 1)`). Every return type is known now: type
  // the functions again, as each function's own fixed point would.
  void retype_recursive_cycles() {
    if (!recursion_seen_) return;
    for (auto& entry : specializations_) infer_located(*entry.second);
  }

  template <typename Visit>
  void for_each_specialization(Visit visit) const {
    for (const auto& entry : specializations_) visit(*entry.second);
  }

  // The analyses of every specialization, before lowering (passes/plans.h).
  std::map<const hir::Function*, passes::FunctionPlan> plan_all() const {
    std::map<const hir::Function*, passes::FunctionPlan> plans;
    for (const auto& entry : specializations_) {
      const hir::Function& fn = *entry.second;
      try {
        plans.emplace(&fn, passes::plan_function(fn));
      } catch (CompileError& e) {
        e.locate(fn.name, fn.source);
        throw;
      }
    }
    return plans;
  }

  // Every specialization is typed now: check the trees lowering will read.
  void verify_typed() const {
    if (!verify_) return;
    for (const auto& entry : specializations_) hir::verify(*entry.second, hir::Stage::Typed);
  }

  void* library_fallback(const std::string& name) override { return reader_.library_fallback(name); }

  void* bind_functions(void* dispatcher, const std::vector<size_t>& positions,
                       const std::vector<void*>& functions) override {
    return reader_.bind_functions(dispatcher, positions, functions);
  }

  void* select_overload(void* dispatcher, const std::vector<const types::Type*>& args,
                        const std::vector<std::string>& keyword_names) override {
    return reader_.select_overload(dispatcher, args, keyword_names);
  }

  const hir::Function& declaration(void* dispatcher) override {
    std::unique_ptr<hir::Function>& slot = declarations_[dispatcher];
    if (!slot) slot = read(dispatcher);
    return *slot;
  }

 private:
  FunctionReader& reader_;
  bool verify_;
  bool dump_hir_;
  std::map<void*, std::unique_ptr<hir::Function>> declarations_;
  std::map<std::pair<void*, std::vector<const types::Type*>>, std::unique_ptr<hir::Function>> specializations_;
  std::set<const hir::Function*> finished_;
  bool recursion_seen_ = false;

  std::unique_ptr<hir::Function> read(void* dispatcher) {
    std::unique_ptr<hir::Function> fn = reader_.read(dispatcher);
    passes::desugar(*fn);
    if (verify_) hir::verify(*fn, hir::Stage::Read);
    if (dump_hir_) std::cerr << hir::describe_tree(*fn);
    return fn;
  }

  void infer_located(hir::Function& fn) {
    try {
      types::infer(fn, *this);
    } catch (CompileError& e) {
      e.locate(fn.name, fn.source);
      throw;
    }
  }
};

// The entry points a module exports: the dispatcher's, and the optional ufunc
// loop and C entry point (empty names when absent).
struct EntryNames {
  std::string entry, ufunc_loop, c_entry;
  std::vector<std::string> list() const { return {entry, ufunc_loop, c_entry}; }
  static constexpr size_t kCount = 3;
  void store(const std::vector<uint64_t>& addresses, CompileResult& result) const {
    result.entry_address = addresses[0];
    result.ufunc_loop_address = addresses[1];
    result.c_entry_address = addresses[2];
  }
};

// Links the optimized module into this process through LLJIT's IR layer,
// defining the Python objects it refers to as symbols.
void link(jit::Engine& engine, std::unique_ptr<llvm::Module> module, std::unique_ptr<llvm::LLVMContext> context,
          const lower::ModuleLowering& lowering, const EntryNames& entries, CompileResult& result) {
  for (const lower::ModuleLowering::Import& import : lowering.imports())
    engine.define_symbol(import.symbol, reinterpret_cast<uint64_t>(import.address));
  entries.store(engine.add_and_lookup(std::move(module), std::move(context), entries.list()), result);
}

// A relocatable module: emits the object the cache keeps, links that same
// object here, and fills its pointer slots with this process's objects.
void link_relocatable(jit::Engine& engine, llvm::Module& module, const lower::ModuleLowering& lowering,
                      const std::vector<std::string>& slot_functions, const EntryNames& entries,
                      CompileResult& result) {
  result.object_code = engine.object_code(module);
  result.entry_symbol = entries.entry;
  result.ufunc_loop_symbol = entries.ufunc_loop;
  result.c_entry_symbol = entries.c_entry;
  std::vector<std::string> symbols = entries.list();
  for (const lower::ModuleLowering::Import& import : lowering.imports()) {
    symbols.push_back(import.symbol);
    result.imports.push_back(
        {import.symbol, static_cast<int>(import.kind), reinterpret_cast<uint64_t>(import.address), ""});
  }
  for (const std::string& name : slot_functions) {
    symbols.push_back(codegen::function_slot(name));
    result.imports.push_back({codegen::function_slot(name), CompileResult::kFunctionImport,
                              engine.on_demand_address(name), name});
  }
  std::vector<uint64_t> addresses = engine.add_object_and_lookup(result.object_code, symbols);
  entries.store(addresses, result);
  for (size_t i = 0; i < result.imports.size(); ++i)
    *reinterpret_cast<const void**>(addresses[EntryNames::kCount + i]) =
        reinterpret_cast<const void*>(result.imports[i].address);
}

std::string module_text(const llvm::Module& m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  m.print(os, nullptr);
  return text;
}

}  // namespace

CompileResult compile(FunctionReader& reader, void* dispatcher, const std::vector<const types::Type*>& arg_types,
                      const CompileOptions& options) {
  StageClock clock(wants(options, "timings"));
  Session session(reader, wants(options, "verify"), wants(options, "hir"));
  hir::Function* top = session.specialize(dispatcher, arg_types, {});
  session.retype_recursive_cycles();
  session.verify_typed();
  clock.lap("read and typed");
  std::map<const hir::Function*, passes::FunctionPlan> plans = session.plan_all();
  clock.lap("planned");
  if (options.ufunc) passes::plan_ufunc_loop(*top, plans.at(top));
  if (wants(options, "plans"))
    for (const auto& [fn, plan] : plans) std::cerr << passes::describe(plan, *fn);
  CompileResult result;
  result.return_type = top->return_type;
  result.typed_hir = hir::describe_types(*top);
  if (wants(options, "types")) {
    std::cerr << result.typed_hir;
    session.for_each_specialization([](const hir::Function& fn) { std::cerr << hir::describe_tree(fn); });
  }

  jit::Engine& engine = jit::Engine::instance();
  const Target& host = engine.host();
  auto context = std::make_unique<llvm::LLVMContext>();
  // Optimization remarks and warnings (e.g. a loop marked for vectorization
  // that could not be) are for NUMJIT_DUMP readers, not for users' stderr.
  context->setDiagnosticHandlerCallBack(
      [](const llvm::DiagnosticInfo* info, void*) {
        if (info->getSeverity() == llvm::DS_Error) {
          llvm::DiagnosticPrinterRawOStream printer(llvm::errs());
          info->print(printer);
          llvm::errs() << "\n";
        }
      },
      nullptr);
  if (!options.ptx_arch.empty()) {
    Target gpu;
    gpu.data_layout = jit::ptx_data_layout();
    lower::ModuleLowering kernel_lowering(*context, "numjit." + top->name, gpu);
    kernel_lowering.set_plans(&plans);
    lower::emit_ptx_kernel(kernel_lowering, *top, options.ptx_shared_bytes);
    std::unique_ptr<llvm::Module> kernel_module = kernel_lowering.take();
    if (wants(options, "llvm-unoptimized")) std::cerr << module_text(*kernel_module);
    result.assembly = jit::ptx_assembly(*kernel_module, options.ptx_arch, options.libdevice);
    if (wants(options, "llvm")) std::cerr << module_text(*kernel_module);
    return result;
  }
  lower::ModuleLowering lowering(*context, "numjit." + top->name, host);
  lowering.set_unaligned_arrays(options.unaligned_arrays);
  lowering.set_plans(&plans);
  lowering.set_relocatable(options.relocatable);
  EntryNames entries;
  if (options.ufunc) {
    const types::Type* output = options.ufunc_output ? options.ufunc_output : top->return_type;
    if (!output->is_scalar())
      typing_error(top->span, "a @vectorize kernel must return a number, not " + output->name);
    entries.ufunc_loop = lower::emit_ufunc_loop(lowering, *top, output);
  }
  if (options.c_entry) {
    try {
      entries.c_entry = lower::emit_c_entry(lowering, *top, options.c_entry_return);
    } catch (CompileError& e) {
      e.locate(top->name, top->source);
      throw;
    }
  }
  entries.entry = lowering.finish(*top, result.return_descriptor);
  clock.lap("lowered to LLVM IR");
  result.parallel_report = lowering.parallel_report();
  result.warnings = lowering.warnings();
  std::unique_ptr<llvm::Module> module = lowering.take();
  std::vector<std::string> slot_functions;
  if (options.relocatable) slot_functions = codegen::call_through_slots(*module, engine.on_demand_prefixes());
  if (wants(options, "llvm-unoptimized")) std::cerr << module_text(*module);
  std::string problems;
  llvm::raw_string_ostream problem_stream(problems);
  if (llvm::verifyModule(*module, &problem_stream))
    internal_error("invalid LLVM IR for '" + top->name + "':\n" + problems + module_text(*module));
  clock.lap("verified");
  engine.optimize(*module);
  clock.lap("optimized");
  if (options.inspect || wants(options, "llvm")) result.llvm_ir = module_text(*module);
  if (wants(options, "llvm")) std::cerr << result.llvm_ir;
  if (options.inspect || wants(options, "asm")) {
    // Code generation mutates the module; emit assembly from a copy.
    std::unique_ptr<llvm::Module> copy = llvm::CloneModule(*module);
    result.assembly = engine.assembly(*copy);
    if (wants(options, "asm")) std::cerr << result.assembly;
  }
  if (options.inspect) return result;
  if (options.relocatable) link_relocatable(engine, *module, lowering, slot_functions, entries, result);
  else link(engine, std::move(module), std::move(context), lowering, entries, result);
  clock.lap("machine code linked");
  return result;
}

}  // namespace numjit
