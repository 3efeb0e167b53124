// PTX for NVIDIA GPUs from a module of CUDA kernels (lower/ptx_kernel.h),
// through LLVM's NVPTX back end: the module is retargeted, its math calls
// become libdevice's (__nv_atan for atan) and libdevice's bitcode is linked
// in, it is optimized at O3 for the GPU and printed as PTX for `arch`
// ("sm_90"). numjit's checks that optimization kept (numjit_rt_raise) become
// stores of GPU error codes, described in comment lines at the PTX's end
// (codegen/gpu_raise.h). Any other call left outside the module (numjit's
// runtime, which the GPU lacks) is a CompileError naming it.
#pragma once

#include <string>

namespace llvm {
class Module;
}

namespace numjit::jit {

// The NVPTX data layout, for modules lowered for the GPU.
std::string ptx_data_layout();

// `libdevice`: the path of libdevice.10.bc ("" when the CUDA toolkit has none:
// math calls then stay unresolved and are reported).
std::string ptx_assembly(llvm::Module& module, const std::string& arch, const std::string& libdevice);

}  // namespace numjit::jit
