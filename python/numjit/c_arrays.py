"""Numba's ``carray`` and ``farray``: arrays over C memory.

From Python they view a ctypes pointer (or an address, with a dtype). In
compiled code (a @cfunc's pointer arguments) they are the library rows
numjit.carray and numjit.farray (src/numjit/library/c_arrays.cpp), which
numjit/library/__init__.py maps these functions to.
"""
import ctypes

import numpy as np


def carray(ptr, shape, dtype=None):
    """An array over the C-ordered memory at ``ptr`` (a ctypes pointer, or an address with ``dtype``).
    In compiled code (a @cfunc's pointer arguments) it is the library row numjit.carray
    (library/c_arrays.cpp; numjit/library/__init__.py maps it)."""
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if dtype is None:
        if not isinstance(ptr, ctypes._Pointer):
            raise TypeError("carray: a dtype is needed unless ptr is a typed ctypes pointer")
        return np.ctypeslib.as_array(ptr, shape)
    dtype = np.dtype(dtype)
    address = ptr if isinstance(ptr, int) else ctypes.cast(ptr, ctypes.c_void_p).value
    count = int(np.prod(shape, dtype=np.int64))
    buffer = (ctypes.c_char * (count * dtype.itemsize)).from_address(address)
    return np.frombuffer(buffer, dtype).reshape(shape)


def farray(ptr, shape, dtype=None):
    """The same over Fortran-ordered memory."""
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return carray(ptr, shape[::-1], dtype).T
