"""``numjit.cuda``: Numba's CUDA kernels (``@cuda.jit``).

Where the CUDA driver finds a GPU (driver.py opens libcuda at run time),
kernels compile to PTX (ptx.py) and run on it (gpu_launch.py), and device
arrays live in its memory (gpu_memory.py). Where no GPU is present (or with
``NUMJIT_ENABLE_CUDASIM=1``), kernels are compiled for the CPU and launched
over numjit's thread pool, at compiled speed (kernels.py); device memory is
host memory (device_arrays.py). The thread's position, shared and local
arrays, barriers and atomics are intrinsics.py's names, rewritten in each
kernel (rewrite.py); on the CPU a kernel with barriers runs in phases
(barriers.py).
"""
from .intrinsics import (atomic, blockDim, blockIdx, const, grid, gridDim, gridsize, local, shared, syncthreads,
                         threadfence, threadfence_block, threadfence_system, threadIdx)

# The rest is imported on first use (PEP 562): every compile reads intrinsics.py
# (the registry names cuda.atomic.*), which should not import the kernels' machinery.
_LAZY = {"jit": "kernels", "compile_ptx": "ptx", "LaunchError": "launch_config", "DeviceNDArray": "device_arrays",
         "device_array": "device_arrays", "device_array_like": "device_arrays", "is_cuda_array": "device_arrays",
         "to_device": "device_arrays"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# On the CPU every launch has finished when it returns.
warpsize = 32


def is_available():
    """True: kernels run (on the CPU where no GPU is present), as under Numba's simulator."""
    return True


def gpu_in_use():
    """Whether kernels run on a GPU (else on the CPU; see detect() for why)."""
    from . import driver

    return driver.load()[0] is not None


def detect():
    """Prints where kernels run, and why."""
    from . import driver

    gpu, reason = driver.load()
    if gpu is None:
        print(f"numjit.cuda: no GPU is used ({reason}); kernels run on the CPU at compiled speed")
    else:
        major, minor = gpu.compute_capability
        print(f"numjit.cuda: kernels run on GPU {gpu.device} (compute capability {major}.{minor})")
    return True


def synchronize():
    """Waits for the device: every launch has finished when it returns (on the CPU and the GPU)."""


class _Stream:
    def synchronize(self):
        pass

    def auto_synchronize(self):
        import contextlib

        return contextlib.nullcontext(self)


def stream():
    return _Stream()


def default_stream():
    return _Stream()


__all__ = ["jit", "threadIdx", "blockIdx", "blockDim", "gridDim", "grid", "gridsize", "syncthreads", "threadfence",
           "threadfence_block", "threadfence_system", "shared", "local", "const", "atomic", "to_device",
           "device_array", "device_array_like", "DeviceNDArray", "is_cuda_array", "is_available", "detect",
           "synchronize", "stream", "default_stream", "warpsize", "LaunchError", "compile_ptx", "gpu_in_use"]
