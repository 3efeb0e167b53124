// The JIT engine: one ORC LLJIT per process, created on the first compile.
// Modules are optimized here with LLVM's O3 pipeline for the host CPU, then
// handed to LLJIT, each under its own ResourceTracker.
#pragma once

#include <llvm/IR/Module.h>
#include <llvm/IR/LLVMContext.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "numjit/support/target.h"

namespace numjit::jit {

class Engine {
 public:
  static Engine& instance();

  const Target& host() const;
  // Makes `name` resolve to `address` in compiled code (runtime functions).
  void define_symbol(const std::string& name, uint64_t address);
  // Resolves symbols defined on demand (BLAS and LAPACK, whose provider
  // imports SciPy only when compiled code first calls them); returns 0 for
  // a name it cannot provide.
  using SymbolProvider = std::function<uint64_t(const std::string&)>;
  void set_on_demand_symbols(const std::string& prefix, SymbolProvider provider);
  // Optimizes at O3 (the loop vectorizer sees libmvec variants and keeps
  // float reductions in order unless fastmath allows reassociation).
  void optimize(llvm::Module& module);
  // Adds an optimized module and returns the addresses of `symbols` (0 for empty names).
  std::vector<uint64_t> add_and_lookup(std::unique_ptr<llvm::Module> module, std::unique_ptr<llvm::LLVMContext> context,
                                       const std::vector<std::string>& symbols);
  // The optimized module as a position-independent ELF object, the code an
  // on-disk cache keeps (and links into a shared library that loads without LLVM).
  std::string object_code(llvm::Module& module);
  // Adds an object made by object_code() and returns the addresses of `symbols`.
  std::vector<uint64_t> add_object_and_lookup(const std::string& object, const std::vector<std::string>& symbols);
  // The name prefixes of the symbols defined on demand ("numjit_blas_", ...),
  // and the address of one (UnsupportedError when its provider has none).
  std::vector<std::string> on_demand_prefixes() const;
  uint64_t on_demand_address(const std::string& name);
  // Text of the module's native assembly (for inspect_asm); does not add it.
  std::string assembly(llvm::Module& module);

 private:
  Engine();
  void define_unlocked(const std::string& name, uint64_t address);
  void define_on_demand(llvm::Module& module);
  const SymbolProvider* provider_for(const std::string& name) const;
  uint64_t on_demand_address_unlocked(const std::string& name);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace numjit::jit
