// Lowers a set of typed function specializations into one LLVM module, with a
// C ABI entry (runtime/abi.h EntryFn) for the top-level one.
#pragma once

#include <algorithm>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "numjit/hir/hir.h"
#include "numjit/passes/plans.h"
#include "numjit/support/target.h"

namespace numjit::lower {

// Writes value `v` of type `t` into the 16-byte slots at `ret`, from slot
// `slot` on, and appends its return descriptor (runtime/abi.h) to `desc`: how
// results reach Python, and how objmode blocks receive compiled code's values.
void store_result(llvm::IRBuilder<>& b, llvm::Value* v, const types::Type* t, llvm::Value* ret, unsigned& slot,
                  std::vector<uint8_t>& desc);
// The number of slots store_result writes for a value of type `t`.
unsigned result_slots(const types::Type* t);

class ModuleLowering {
 public:
  ModuleLowering(llvm::LLVMContext& ctx, const std::string& name, const Target& target);

  // Declares (once) the LLVM function of a specialization; lowering its body
  // is queued and done by finish(). `deferred`: its variant for loops whose
  // division checks are deferred, which returns abi::kStatusZeroDivisor
  // where the plain one would raise ZeroDivisionError
  // (passes::callee_may_defer says which functions have one).
  llvm::Function* function_for(hir::Function& fn, bool deferred = false);
  // passes::callee_may_defer, asked once per callee for the whole module
  // (every call site in a deferring loop asks).
  bool callee_may_defer(const hir::Function& fn);
  // Lowers every queued body and the C ABI entry of `top`; returns the entry symbol.
  std::string finish(hir::Function& top, std::vector<uint8_t>& return_descriptor);
  // Lowers `top` and every body it queues, with no entry; returns top's function.
  llvm::Function* lower_all(hir::Function& top);

  llvm::Module& module() { return *module_; }
  std::unique_ptr<llvm::Module> take() { return std::move(module_); }
  const Target& target() const { return target_; }
  // The plans of every function this module may lower, made by compile()
  // before lowering starts (passes/plans.h).
  void set_plans(const std::map<const hir::Function*, passes::FunctionPlan>* plans) { plans_ = plans; }
  const passes::FunctionPlan& plan(const hir::Function& fn) const;
  llvm::Constant* string_constant(const std::string& s);
  llvm::Constant* string_cache_slot(const std::string& s);
  // The address of a Python object (or buffer) compiled code uses, never a
  // number in the code, so that the object file is valid in any process that
  // supplies it. Normally an external symbol the JIT defines when it links
  // the module. In a relocatable module (one the on-disk cache keeps, whose
  // shared library is loaded without the JIT) a pointer slot the module
  // defines and the loader fills before any call; the code reads it with an
  // invariant load, so loops still hoist it.
  // ExceptionClass also stands for any Python object found by identity (the
  // cache can name only exception classes among those).
  enum class ImportKind { ExceptionClass, Array, ArrayData };
  struct Import {
    std::string symbol;
    const void* address;
    ImportKind kind;
    std::string what;  // "exception class MyError", "array table", ...
  };
  llvm::Value* object_address(llvm::IRBuilder<>& b, const void* object, ImportKind kind, const std::string& what);
  const std::vector<Import>& imports() const { return imports_; }
  void set_relocatable(bool on) { relocatable_ = on; }
  bool relocatable() const { return relocatable_; }
  void set_function_attributes(llvm::Function* f) const;
  // What parallel=True did, for parallel_diagnostics(), and warnings for the user.
  // Said once per line of the report: a slice assignment's value may be shared
  // twice (into the target, and into a copy when they overlap).
  void note_parallel_loop(const std::string& function, const std::string& what) {
    std::string line = function + ": " + what;
    if (std::find(parallel_report_.begin(), parallel_report_.end(), line) == parallel_report_.end())
      parallel_report_.push_back(line);
  }
  void warn(const std::string& message) { warnings_.push_back(message); }
  const std::vector<std::string>& parallel_report() const { return parallel_report_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Element loads and stores assume only byte alignment (see CompileOptions::unaligned_arrays).
  void set_unaligned_arrays(bool on) { unaligned_arrays_ = on; }
  bool unaligned_arrays() const { return unaligned_arrays_; }
  // TBAA access tags for memory regions that never overlap, so LLVM keeps a
  // list's length and items pointer in registers across stores to its items
  // (lower_list.cpp). Accesses without a tag may alias anything.
  enum class Region { ListHeader, ListItems };
  llvm::MDNode* access_tag(Region region);

 private:
  llvm::LLVMContext& ctx_;
  std::unique_ptr<llvm::Module> module_;
  Target target_;
  const std::map<const hir::Function*, passes::FunctionPlan>* plans_ = nullptr;
  std::vector<Import> imports_;
  std::map<const void*, llvm::GlobalVariable*> import_symbols_;
  bool relocatable_ = false;
  bool unaligned_arrays_ = false;
  std::map<std::pair<hir::Function*, bool>, llvm::Function*> functions_;  // (specialization, deferred)
  std::vector<std::pair<hir::Function*, bool>> pending_;
  std::map<const hir::Function*, bool> callee_deferral_;
  std::map<std::string, llvm::Constant*> strings_;
  std::map<std::string, llvm::Constant*> string_caches_;
  std::vector<std::string> parallel_report_, warnings_;
  std::map<Region, llvm::MDNode*> access_tags_;

  std::string emit_entry(hir::Function& top, std::vector<uint8_t>& return_descriptor);
};

}  // namespace numjit::lower
