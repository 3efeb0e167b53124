"""Exceptions raised in kernels compiled for the GPU.

A GPU thread cannot make a Python exception. rewrite.py turns each `raise`
and `assert` of a GPU kernel or device function into
`cuda.raise_on_gpu(code)` (src/numjit/library/cuda_atomics.cpp): the thread
stores the code in its module's flag `numjit_gpu_error`, unless another
thread stored one first, and exits. After the kernel, the launch
(gpu_launch.py) reads the flag, clears it, and raises the exception the code
stands for. Its arguments are kept here, so they must be constants. Numba
checks a GPU kernel's exceptions only with debug=True; numjit always does,
for one 4-byte read per launch of a kernel that can raise.
"""
import ctypes
import threading

FLAG = "numjit_gpu_error"

_lock = threading.Lock()
_codes = {}  # (class, args) -> code
_exceptions = [None]  # code -> (class, args); 0 is "no exception"


def code_of(cls, args):
    """The code (from 1) of exception `cls(*args)`, the same for each equal pair."""
    key = (cls, tuple(args))
    with _lock:
        if key not in _codes:
            _codes[key] = len(_exceptions)
            _exceptions.append(key)
        return _codes[key]


def exception(code):
    """The exception code `code` stands for (a RuntimeError for a code no kernel of this process made)."""
    if not 0 < code < len(_exceptions):
        return RuntimeError(f"a GPU kernel stopped with the unknown exception code {code}")
    cls, args = _exceptions[code]
    return cls(*args)


def raise_if_flagged(gpu, flag_address):
    """Reads the kernel's flag at `flag_address`; if a thread raised, clears it and raises."""
    code = ctypes.c_int32(0)
    gpu.to_host(ctypes.addressof(code), flag_address, 4)
    if code.value:
        zero = ctypes.c_int32(0)
        gpu.to_device(flag_address, ctypes.addressof(zero), 4)
        raise exception(code.value)
