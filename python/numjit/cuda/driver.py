"""The CUDA driver API through ctypes: libcuda is opened at run time (dlopen),
so numjit has no build-time dependency on CUDA, and a machine without a GPU
or a driver is told why (load()'s reason) and runs kernels on the CPU.

Only what a launch needs: the device's compute capability, its primary
context, PTX modules (cuModuleLoadDataEx, with the JIT's error log), device
memory, cuLaunchKernel and synchronization. This module imports nothing of
numjit, so the GPU checks (tests/gpu/) can load it alone on a machine whose
Python has no numjit build.
"""
import ctypes
import os

CUDA_SUCCESS = 0
CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75
CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76
CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8
CU_JIT_INFO_LOG_BUFFER = 3
CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4
CU_JIT_ERROR_LOG_BUFFER = 5
CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6
# Dynamic shared memory a kernel may have without opting in.
DEFAULT_SHARED_LIMIT = 48 * 1024

_LIBRARY_NAMES = ("libcuda.so.1", "libcuda.so")


class CudaDriverError(RuntimeError):
    """A driver call failed: its name, the driver's error name and text."""


class Driver:
    """One device's primary context and the calls a launch makes in it."""

    def __init__(self, lib, ordinal=0):
        self._lib = lib
        self._declare()
        self._check(lib.cuInit(0), "cuInit")
        count = ctypes.c_int(0)
        self._check(lib.cuDeviceGetCount(ctypes.byref(count)), "cuDeviceGetCount")
        if count.value <= ordinal:
            raise CudaDriverError(f"the driver sees {count.value} GPU(s)")
        device = ctypes.c_int(0)
        self._check(lib.cuDeviceGet(ctypes.byref(device), ordinal), "cuDeviceGet")
        self.device = device.value
        self.compute_capability = (self._attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                                   self._attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR))
        context = ctypes.c_void_p()
        self._check(lib.cuDevicePrimaryCtxRetain(ctypes.byref(context), self.device), "cuDevicePrimaryCtxRetain")
        self._context = context
        self.make_current()

    def _declare(self):
        lib = self._lib
        ptr, size, uint = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint
        lib.cuGetErrorName.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
        lib.cuGetErrorString.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
        lib.cuModuleLoadDataEx.argtypes = [ctypes.POINTER(ptr), ctypes.c_char_p, uint,
                                           ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ptr)]
        lib.cuModuleGetFunction.argtypes = [ctypes.POINTER(ptr), ptr, ctypes.c_char_p]
        lib.cuModuleUnload.argtypes = [ptr]
        lib.cuModuleGetGlobal_v2.argtypes = [ctypes.POINTER(ctypes.c_uint64), ctypes.POINTER(size), ptr,
                                             ctypes.c_char_p]
        lib.cuFuncSetAttribute.argtypes = [ptr, ctypes.c_int, ctypes.c_int]
        lib.cuMemAlloc_v2.argtypes = [ctypes.POINTER(ctypes.c_uint64), size]
        lib.cuMemFree_v2.argtypes = [ctypes.c_uint64]
        lib.cuMemcpyHtoD_v2.argtypes = [ctypes.c_uint64, ptr, size]
        lib.cuMemcpyDtoH_v2.argtypes = [ptr, ctypes.c_uint64, size]
        lib.cuMemcpyDtoD_v2.argtypes = [ctypes.c_uint64, ctypes.c_uint64, size]
        lib.cuMemsetD8_v2.argtypes = [ctypes.c_uint64, ctypes.c_ubyte, size]
        lib.cuLaunchKernel.argtypes = [ptr, uint, uint, uint, uint, uint, uint, uint, ptr,
                                       ctypes.POINTER(ptr), ctypes.POINTER(ptr)]
        lib.cuCtxSetCurrent.argtypes = [ptr]
        lib.cuDevicePrimaryCtxRetain.argtypes = [ctypes.POINTER(ptr), ctypes.c_int]

    def _attribute(self, attribute):
        value = ctypes.c_int(0)
        self._check(self._lib.cuDeviceGetAttribute(ctypes.byref(value), attribute, self.device),
                    "cuDeviceGetAttribute")
        return value.value

    def _check(self, status, call, detail=""):
        if status == CUDA_SUCCESS:
            return
        raise CudaDriverError(f"{call} failed: {error_text(self._lib, status)}{detail}")

    def make_current(self):
        self._check(self._lib.cuCtxSetCurrent(self._context), "cuCtxSetCurrent")

    def load_module(self, ptx):
        """A module of PTX text; a PTX the driver's JIT refuses raises with its log."""
        text = ptx.encode() if isinstance(ptx, str) else bytes(ptx)
        log = ctypes.create_string_buffer(16384)
        options = (ctypes.c_int * 2)(CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES)
        values = (ctypes.c_void_p * 2)(ctypes.cast(log, ctypes.c_void_p), ctypes.c_void_p(len(log)))
        module = ctypes.c_void_p()
        status = self._lib.cuModuleLoadDataEx(ctypes.byref(module), text + b"\0", 2, options, values)
        self._check(status, "cuModuleLoadDataEx", f"\n{log.value.decode(errors='replace')}" if log.value else "")
        return module

    def function(self, module, name, dynamic_shared=0):
        """Kernel `name` of `module`, allowed `dynamic_shared` bytes of shared memory."""
        function = ctypes.c_void_p()
        self._check(self._lib.cuModuleGetFunction(ctypes.byref(function), module, name.encode()),
                    "cuModuleGetFunction", f" ({name})")
        if dynamic_shared > DEFAULT_SHARED_LIMIT:
            self._check(self._lib.cuFuncSetAttribute(function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                                     int(dynamic_shared)), "cuFuncSetAttribute")
        return function

    def global_address(self, module, name):
        """The device address of `module`'s global variable `name`."""
        address, nbytes = ctypes.c_uint64(), ctypes.c_size_t()
        self._check(self._lib.cuModuleGetGlobal_v2(ctypes.byref(address), ctypes.byref(nbytes), module,
                                                   name.encode()), "cuModuleGetGlobal", f" ({name})")
        return address.value

    def alloc(self, nbytes):
        pointer = ctypes.c_uint64(0)
        self._check(self._lib.cuMemAlloc_v2(ctypes.byref(pointer), max(1, int(nbytes))), "cuMemAlloc",
                    f" ({nbytes} bytes)")
        return pointer.value

    def free(self, pointer):
        self._check(self._lib.cuMemFree_v2(pointer), "cuMemFree")

    def to_device(self, device_pointer, host_address, nbytes):
        if nbytes:
            self._check(self._lib.cuMemcpyHtoD_v2(device_pointer, host_address, nbytes), "cuMemcpyHtoD")

    def to_host(self, host_address, device_pointer, nbytes):
        if nbytes:
            self._check(self._lib.cuMemcpyDtoH_v2(host_address, device_pointer, nbytes), "cuMemcpyDtoH")

    def copy(self, destination, source, nbytes):
        if nbytes:
            self._check(self._lib.cuMemcpyDtoD_v2(destination, source, nbytes), "cuMemcpyDtoD")

    def launch(self, function, griddim, blockdim, shared_bytes, params):
        """Launches with `params`, ctypes objects in the kernel's parameter order (each passed by address)."""
        addresses = (ctypes.c_void_p * max(1, len(params)))(*[ctypes.addressof(p) for p in params])
        status = self._lib.cuLaunchKernel(function, *griddim, *blockdim, int(shared_bytes), None, addresses, None)
        self._check(status, "cuLaunchKernel")

    def synchronize(self):
        self._check(self._lib.cuCtxSynchronize(), "cuCtxSynchronize")


# What a stub or an old driver cannot name itself.
_ERROR_NAMES = {
    34: "CUDA_ERROR_STUB_LIBRARY (the CUDA toolkit's stub libcuda: no NVIDIA driver is installed)",
    35: "CUDA_ERROR_INSUFFICIENT_DRIVER (the driver is older than the toolkit)",
    100: "CUDA_ERROR_NO_DEVICE (no GPU is visible)",
}


def error_text(lib, status):
    name, text = ctypes.c_char_p(), ctypes.c_char_p()
    if lib.cuGetErrorName(status, ctypes.byref(name)) != CUDA_SUCCESS or not name.value:
        return _ERROR_NAMES.get(status, f"error {status}")
    lib.cuGetErrorString(status, ctypes.byref(text))
    label = name.value.decode()
    return f"{label} ({text.value.decode()})" if text.value else label


_LOADED = None


def load():
    """(Driver, "") for the first GPU, or (None, why not). Decided once per process:
    NUMJIT_ENABLE_CUDASIM=1 (or NUMBA_ENABLE_CUDASIM=1) keeps kernels on the CPU."""
    global _LOADED
    if _LOADED is None:
        _LOADED = _load()
    return _LOADED


def _load():
    for variable in ("NUMJIT_ENABLE_CUDASIM", "NUMBA_ENABLE_CUDASIM"):
        if os.environ.get(variable, "0") not in ("", "0"):
            return None, f"{variable}={os.environ[variable]}"
    lib, problems = None, []
    for name in _LIBRARY_NAMES:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError as exc:
            problems.append(str(exc))
    if lib is None:
        return None, "no CUDA driver: " + "; ".join(problems)
    return open_driver(lib)


def open_driver(lib):
    """(Driver, "") or (None, why not) for an opened libcuda."""
    try:
        return Driver(lib), ""
    except CudaDriverError as exc:
        return None, str(exc)
    except AttributeError as exc:  # a libcuda without a call we need
        return None, f"the CUDA driver lacks {exc}"
