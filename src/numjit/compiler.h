// The pipeline, top to bottom: read (front end) -> infer types -> lower to
// LLVM IR -> optimize at O3 -> JIT. One call compiles one specialization of a
// function for concrete argument types, with every jitted function it calls.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "numjit/hir/hir.h"

namespace numjit {

// Reads a function (given the opaque dispatcher it belongs to) into fresh HIR.
// The bindings implement it with the Python front end.
class FunctionReader {
 public:
  virtual ~FunctionReader() = default;
  virtual std::unique_ptr<hir::Function> read(void* dispatcher) = 0;
  // The jitted Python implementation (python/numjit/library) of a library
  // function or method ("np.argmax", "array.argmax") for the calls its C++
  // row does not accept; nullptr when there is none.
  virtual void* library_fallback(const std::string&) { return nullptr; }
  // A variant of `dispatcher` with the parameters at `positions` bound to the
  // jitted functions `functions` and removed (python/numjit/_function_arguments.py).
  virtual void* bind_functions(void* dispatcher, const std::vector<size_t>& /*positions*/,
                               const std::vector<void*>& /*functions*/) {
    return dispatcher;
  }
  // The jitted function a call of `dispatcher` with these argument types runs:
  // itself, or for an @overload (numjit/extending.py) the implementation its
  // typing function returns for them; nullptr when it returns none. The last
  // keyword_names.size() types are keyword arguments'.
  virtual void* select_overload(void* dispatcher, const std::vector<const types::Type*>&,
                                const std::vector<std::string>& /*keyword_names*/) {
    return dispatcher;
  }
};

struct CompileResult {
  uint64_t entry_address = 0;  // abi::EntryFn; 0 when only inspecting
  uint64_t ufunc_loop_address = 0;  // with CompileOptions::ufunc_output
  uint64_t c_entry_address = 0;     // with CompileOptions::c_entry
  const types::Type* return_type = nullptr;
  std::vector<uint8_t> return_descriptor;
  std::string typed_hir;  // inspect_types()
  std::string llvm_ir;    // optimized module (inspect=true)
  std::string assembly;   // native assembly (inspect=true)
  std::vector<std::string> parallel_report;  // loops parallel=True ran in parallel, with their reductions
  std::vector<std::string> warnings;         // e.g. races the compiler can see in a prange body

  // With CompileOptions::relocatable: the object code the on-disk cache keeps
  // and what loading it in another process needs.
  struct Import {
    std::string symbol;  // a pointer slot the module defines
    int kind;            // lower::ModuleLowering::ImportKind (0 exception class, 1 array, 2 array data),
                         // or kFunctionImport
    uint64_t address;    // the object (or function) in this process
    std::string name;    // kFunctionImport: the function ("numjit_blas_dgemm")
  };
  static constexpr int kFunctionImport = 3;  // a BLAS/LAPACK function (codegen/function_slots.h)
  std::string object_code;
  std::string entry_symbol, ufunc_loop_symbol, c_entry_symbol;
  std::vector<Import> imports;
};

struct CompileOptions {
  bool inspect = false;              // produce llvm_ir and assembly instead of running code
  // Stages to print to stderr (hir, types, plans, llvm, asm), and "verify": check
  // the HIR after each stage (hir/verify.h).
  std::vector<std::string> dump;
  // @vectorize: also emit a NumPy inner loop, storing results as ufunc_output
  // (nullptr: the kernel's own return type).
  bool ufunc = false;
  const types::Type* ufunc_output = nullptr;
  // @cfunc: also emit a C entry point (lower/c_entry.h) returning c_entry_return.
  bool c_entry = false;
  const types::Type* c_entry_return = nullptr;
  // Some argument array is not aligned to its element size (a view of a byte
  // buffer, as Dask hands some chunks over): every element access in this
  // module then says `align 1`, which is legal on x86-64 and AArch64.
  bool unaligned_arrays = false;
  // For cache=True: Python objects through pointer slots, and the object
  // code returned in CompileResult (see ModuleLowering::object_address).
  bool relocatable = false;
  // numjit.cuda.compile_ptx: the top function is a kernel's thread function
  // (lower/ptx_kernel.h); CompileResult::assembly is its PTX for this GPU
  // architecture ("sm_90"), with libdevice (a path, or "") linked in.
  std::string ptx_arch;
  std::string libdevice;
  int64_t ptx_shared_bytes = 0;
};

CompileResult compile(FunctionReader& reader, void* dispatcher, const std::vector<const types::Type*>& arg_types,
                      const CompileOptions& options);

}  // namespace numjit
