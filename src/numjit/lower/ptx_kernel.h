// A CUDA kernel's entry for the GPU: numjit.cuda compiles a kernel as a
// function of one thread whose last parameter is the thread's context
// (python/numjit/cuda/rewrite.py); on the GPU that context comes from the
// hardware. emit_ptx_kernel lowers the thread function (and what it calls)
// and adds a kernel, in LLVM's PTX kernel calling convention, that takes the
// other parameters, builds the context from the special registers (%tid,
// %ctaid, %ntid, %nctaid) and the block's shared memory, and calls it.
#pragma once

#include <cstdint>
#include <string>

namespace numjit {
namespace hir {
struct Function;
}
namespace lower {

class ModuleLowering;

// The kernel's symbol. `shared_bytes`: the static shared memory its context's
// array spans (an external addrspace(3) array the launch sizes).
std::string emit_ptx_kernel(ModuleLowering& module, hir::Function& thread_function, int64_t shared_bytes);

}  // namespace lower
}  // namespace numjit
