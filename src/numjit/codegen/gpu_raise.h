// Exceptions in GPU kernels: a thread that raises stores a code in its
// module's flag `numjit_gpu_error` (the first code any thread stored stays)
// and exits; the launch reads the flag after the kernel (cuda/gpu_launch.py)
// and raises the exception the code stands for (cuda/gpu_exceptions.py).
//
// Codes above 0 are a `raise` of the kernel's own source (the row
// cuda.raise_on_gpu, with the codes Python gave them). Codes below 0 are
// numjit's own checks (a view of the wrong size, an index out of range) that
// optimization could not prove never fail: checks_as_gpu_error_codes turns
// each call of numjit_rt_raise left in a module into a store of its own code,
// and describes the codes in comment lines the PTX carries.
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <string>

namespace numjit::codegen {

inline constexpr const char* kGpuErrorFlag = "numjit_gpu_error";

// The module's flag (made on first use).
llvm::GlobalVariable* gpu_error_flag(llvm::Module& module);

// Stores `code` in the flag unless a code is there, then PTX `exit`. The
// caller decides what the (never reached) code after it is.
void emit_gpu_raise(llvm::IRBuilder<>& builder, llvm::Module& module, int32_t code);

// Replaces each call of numjit_rt_raise(kind, message) in `module` by
// emit_gpu_raise with codes -1, -2, ...; returns one PTX comment line per code:
// `// numjit.check <code> <kind> <message>` (the message on the rest of the line,
// its newlines and backslashes escaped as \n and \\).
std::string checks_as_gpu_error_codes(llvm::Module& module);

}  // namespace numjit::codegen
