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

numjit's own checks (a view of the wrong size, say) that optimization could
not remove store negative codes, each described by a comment line at the end
of the kernel's PTX (src/numjit/codegen/gpu_raise.h): `checks_in` reads them.
"""
import builtins
import ctypes
import re
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


_CHECK = re.compile(r"^// numjit\.check (-\d+) (\w+) (.*)$", re.MULTILINE)


def checks_in(ptx):
    """{code: (exception kind, message)} of numjit's checks the kernel's PTX describes (negative codes)."""
    return {int(code): (kind, _unescaped(message)) for code, kind, message in _CHECK.findall(ptx)}


def _unescaped(message):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), message)


def _exception_of_kind(kind, message):
    if kind == "LinAlgError":
        import numpy as np
        return np.linalg.LinAlgError(message)
    if kind == "AxisError":
        import numpy as np
        return np.exceptions.AxisError(message)
    cls = getattr(builtins, kind, None)
    return (cls if isinstance(cls, type) and issubclass(cls, Exception) else RuntimeError)(message)


def raise_if_flagged(gpu, flag_address, checks=None):
    """Reads the kernel's flag at `flag_address`; if a thread raised, clears it and raises
    (`checks`: the kernel's checks_in, for negative codes)."""
    code = ctypes.c_int32(0)
    gpu.to_host(ctypes.addressof(code), flag_address, 4)
    if code.value:
        zero = ctypes.c_int32(0)
        gpu.to_device(flag_address, ctypes.addressof(zero), 4)
        if code.value < 0:
            found = (checks or {}).get(code.value)
            raise _exception_of_kind(*found) if found is not None else RuntimeError(
                f"a GPU kernel stopped with the unknown check code {code.value}")
        raise exception(code.value)
