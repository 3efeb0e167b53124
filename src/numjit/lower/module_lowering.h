// Lowers a set of typed function specializations into one LLVM module, with a
// C ABI entry (runtime/abi.h EntryFn) for the top-level one.
#pragma once

#include <llvm/IR/Module.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit::lower {

class ModuleLowering {
 public:
  ModuleLowering(llvm::LLVMContext& ctx, const std::string& name, const std::string& cpu,
                 const std::string& features, bool prefer_512);

  // Declares (once) the LLVM function of a specialization; lowering its body
  // is queued and done by finish().
  llvm::Function* function_for(hir::Function& fn);
  // Lowers every queued body and the C ABI entry of `top`; returns the entry symbol.
  std::string finish(hir::Function& top, std::vector<uint8_t>& return_descriptor);

  llvm::Module& module() { return *module_; }
  std::unique_ptr<llvm::Module> take() { return std::move(module_); }
  // Strings and Python objects compiled code refers to by address.
  llvm::Constant* string_constant(const std::string& s);
  llvm::Constant* pointer_constant(const void* p);
  void set_function_attributes(llvm::Function* f) const;
  // What parallel=True did, for parallel_diagnostics(), and warnings for the user.
  void note_parallel_loop(const std::string& function, const std::string& what) {
    parallel_report_.push_back(function + ": " + what);
  }
  void warn(const std::string& message) { warnings_.push_back(message); }
  const std::vector<std::string>& parallel_report() const { return parallel_report_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Element loads and stores assume only byte alignment (see CompileOptions::unaligned_arrays).
  void set_unaligned_arrays(bool on) { unaligned_arrays_ = on; }
  bool unaligned_arrays() const { return unaligned_arrays_; }

 private:
  llvm::LLVMContext& ctx_;
  std::unique_ptr<llvm::Module> module_;
  std::string cpu_, features_;
  bool prefer_512_;
  bool unaligned_arrays_ = false;
  std::map<hir::Function*, llvm::Function*> functions_;
  std::vector<hir::Function*> pending_;
  std::map<std::string, llvm::Constant*> strings_;
  std::vector<std::string> parallel_report_, warnings_;

  std::string emit_entry(hir::Function& top, std::vector<uint8_t>& return_descriptor);
};

}  // namespace numjit::lower
