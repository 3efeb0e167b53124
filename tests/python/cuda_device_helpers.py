"""Device functions with cuda.syncthreads() in a module of their own, for
test_cuda_device_barriers.py: the names they read (WIDTH, the `cuda` module
under another name, a helper) are this module's, not the kernel's."""
import numjit.cuda as gpu

WIDTH = 3  # the kernel's module has a WIDTH of its own, with another value


@gpu.jit(device=True)
def _weight(v):
    return v * WIDTH


@gpu.jit(device=True)
def shift_left_weighted(buffer, tid):
    """buffer[t] <- WIDTH * buffer[t + 1] (the last keeps its value), with barriers."""
    n = gpu.blockDim.x
    value = buffer[tid + 1] if tid + 1 < n else buffer[tid] / WIDTH
    gpu.syncthreads()
    buffer[tid] = _weight(value)
    gpu.syncthreads()
