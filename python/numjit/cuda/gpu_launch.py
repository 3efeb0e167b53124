"""Launching a kernel on the GPU (where driver.load() found one).

Per argument types, the kernel compiles to PTX for the device's compute
capability (ptx.kernel_ptx), which the driver loads as a module. A launch
packs the arguments as the kernel's parameters (gpu_abi.py), checked
against the PTX's own parameter list: device arrays pass their device
memory; plain NumPy arrays are copied to the device before the launch and
back after it, as Numba does; scalars pass by value. The launch waits for
the kernel, so it has finished when the call returns, as on the CPU, and
raises what a thread of it raised (gpu_exceptions.py).
"""
import numpy as np

from .. import types as nt
from . import device_arrays, gpu_abi, gpu_exceptions, gpu_memory, ptx, rewrite


class GpuKernel:
    """One kernel compiled for one tuple of argument types, loaded on the device."""

    def __init__(self, gpu, pyfunc, arg_types, fastmath):
        text, thread = ptx.kernel_ptx(pyfunc, arg_types, gpu.compute_capability, fastmath)
        self.name = gpu_abi.entry_name(text)
        self.parameter_sizes = gpu_abi.kernel_parameters(text, self.name)
        self.shared_layout = thread.shared_layout
        self.gpu = gpu
        self.module = gpu.load_module(text)
        # The flag a raising thread sets (gpu_exceptions.py), where the kernel can raise.
        self.error_flag = gpu.global_address(self.module, gpu_exceptions.FLAG) if gpu_exceptions.FLAG in text \
            else None
        self.checks = gpu_exceptions.checks_in(text)  # numjit's own checks (negative codes)
        self.functions = {}  # by the dynamic shared memory allowed

    def function(self, shared_bytes):
        if shared_bytes not in self.functions:
            self.functions[shared_bytes] = self.gpu.function(self.module, self.name, shared_bytes)
        return self.functions[shared_bytes]


class _Staged:
    """The launch's view of its arguments: device headers for arrays (plain
    NumPy arrays copied over first), and the copies to bring back."""

    def __init__(self, gpu, args):
        self.values = []
        self.copy_back = []  # (host array, device header)
        for value in args:
            if isinstance(value, device_arrays.DeviceNDArray):
                if not value._on_gpu:
                    raise TypeError("a device array made before the GPU was in use cannot be launched on it")
                self.values.append(value._array)
            elif isinstance(value, np.ndarray):
                device = gpu_memory.allocate(gpu, value.shape, value.dtype, gpu_memory.storage_order(value))
                gpu_memory.copy_from_host(device, value)
                self.values.append(device)
                if value.flags.writeable:
                    self.copy_back.append((value, device))
            else:
                self.values.append(value)

    def finish(self):
        for host, device in self.copy_back:
            if gpu_memory.contiguous_order(host) is not None:
                gpu_memory.copy_to_host(device, host)
            else:
                host[...] = gpu_memory.copy_to_host(device)


def parameters(values):
    params = []
    for value in values:
        if isinstance(value, np.ndarray):
            params.append(gpu_abi.array_parameter(gpu_memory.address(value), value.shape, value.strides))
        else:
            params.append(gpu_abi.scalar_parameter(value))
    return params


def launch(kernel, gpu, griddim, blockdim, dynamic_shared, args, convert):
    """Runs `kernel` (a kernels.Kernel) on the GPU; `convert` applies its declared signatures."""
    gpu.make_current()
    staged = _Staged(gpu, args)
    values = convert(tuple(staged.values))
    key = tuple(nt.typeof(v) for v in values)
    compiled = kernel._gpu_kernels.get(key)
    if compiled is None:
        fastmath = kernel._thread.options.get("fastmath", False)
        compiled = kernel._gpu_kernels[key] = GpuKernel(gpu, kernel.py_func, key, fastmath)
    params = parameters(values)
    gpu_abi.check_parameters(params, compiled.parameter_sizes, kernel.__name__)
    shared_bytes = rewrite.block_shared_bytes(compiled.shared_layout, dynamic_shared)
    gpu.launch(compiled.function(shared_bytes), griddim, blockdim, shared_bytes, params)
    gpu.synchronize()
    staged.finish()  # what the threads wrote before one raised comes back, as on the CPU
    if compiled.error_flag is not None:
        gpu_exceptions.raise_if_flagged(gpu, compiled.error_flag, compiled.checks)
