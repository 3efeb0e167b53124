"""How a launch's arguments become a PTX kernel's parameters.

numjit's PTX kernel (src/numjit/lower/ptx_kernel.cpp) takes the kernel's
arguments by value, as the CPU's compiled code holds them:

- a scalar as itself (a boolean as one byte, a complex number as two floats
  of its precision);
- an array as numjit's array struct: meminfo and parent pointers (unused on
  the GPU: 0), the data pointer, then the shape and the strides in bytes
  (int64 each): 8 * (3 + 2 * ndim) bytes.

Each parameter is a ctypes object; cuLaunchKernel takes their addresses.
kernel_parameters() reads a kernel's parameter list from its PTX, and
check_parameters() compares it with what was packed, so a launch whose
arguments do not match the compiled kernel is refused rather than run on
garbage. Only NumPy is imported: the GPU checks (tests/gpu/) use this module
alone on a machine whose Python has no numjit build.
"""
import ctypes
import re

import numpy as np

_SCALARS = {
    np.dtype(np.bool_): ctypes.c_uint8,
    np.dtype(np.int8): ctypes.c_int8, np.dtype(np.uint8): ctypes.c_uint8,
    np.dtype(np.int16): ctypes.c_int16, np.dtype(np.uint16): ctypes.c_uint16,
    np.dtype(np.int32): ctypes.c_int32, np.dtype(np.uint32): ctypes.c_uint32,
    np.dtype(np.int64): ctypes.c_int64, np.dtype(np.uint64): ctypes.c_uint64,
    np.dtype(np.float32): ctypes.c_float, np.dtype(np.float64): ctypes.c_double,
}


class _Complex64(ctypes.Structure):
    _fields_ = [("real", ctypes.c_float), ("imag", ctypes.c_float)]


class _Complex128(ctypes.Structure):
    _fields_ = [("real", ctypes.c_double), ("imag", ctypes.c_double)]


_COMPLEX = {np.dtype(np.complex64): _Complex64, np.dtype(np.complex128): _Complex128}


def scalar_dtype(value):
    """The dtype numjit gives a scalar argument (Python's bool, int, float and
    complex: boolean, int64, float64, complex128; NumPy scalars their own)."""
    if isinstance(value, np.generic):
        return value.dtype
    for kind, dtype in ((bool, np.bool_), (int, np.int64), (float, np.float64), (complex, np.complex128)):
        if isinstance(value, kind):
            return np.dtype(dtype)
    raise TypeError(f"a GPU kernel cannot take a {type(value).__name__} argument")


def scalar_parameter(value):
    dtype = scalar_dtype(value)
    if dtype in _COMPLEX:
        c = complex(value)
        return _COMPLEX[dtype](c.real, c.imag)
    if dtype not in _SCALARS:
        raise TypeError(f"a GPU kernel cannot take a {dtype} argument")
    return _SCALARS[dtype](value.item() if isinstance(value, np.generic) else value)


def array_parameter(data_pointer, shape, strides):
    """numjit's array struct for device memory at `data_pointer`."""
    fields = [0, 0, int(data_pointer)] + [int(n) for n in shape] + [int(s) for s in strides]
    return (ctypes.c_uint64 * len(fields))(*[f & 0xFFFFFFFFFFFFFFFF for f in fields])


_PARAM = re.compile(r"\.param\s+(?:\.align\s+(\d+)\s+)?\.(\w+)\s+\w+?_param_(\d+)(?:\[(\d+)\])?")
_SIZES = {"u8": 1, "s8": 1, "b8": 1, "u16": 2, "s16": 2, "b16": 2, "f16": 2, "u32": 4, "s32": 4, "b32": 4,
          "f32": 4, "u64": 8, "s64": 8, "b64": 8, "f64": 8}


def entry_name(ptx):
    """The name of the (one) kernel in a module's PTX."""
    at = ptx.index(".entry ") + len(".entry ")
    return ptx[at:ptx.index("(", at)].strip()


def kernel_parameters(ptx, name):
    """The byte sizes of kernel `name`'s parameters, in order, read from its PTX."""
    start = re.search(r"\.entry\s+" + re.escape(name) + r"\s*\(", ptx)
    if not start:
        raise ValueError(f"the PTX has no kernel {name!r}")
    header = ptx[start.end():ptx.index(")", start.end())]
    sizes = []
    for match in _PARAM.finditer(header):
        _, kind, _, count = match.groups()
        sizes.append(_SIZES[kind] * (int(count) if count else 1))
    return sizes


def check_parameters(params, expected_sizes, name):
    sizes = [ctypes.sizeof(p) for p in params]
    if sizes != list(expected_sizes):
        raise TypeError(f"{name}: the launch's arguments ({sizes} bytes) do not match the compiled kernel's "
                        f"parameters ({list(expected_sizes)} bytes)")
