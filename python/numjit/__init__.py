"""numjit: a just-in-time compiler for numerical Python with Numba's interface.

    import numjit as numba

    @numba.njit
    def total(x):
        s = 0.0
        for v in x:
            s += v
        return s

Importing numjit loads only the small call-path extension; LLVM is loaded on
the first compile.
"""
from . import config, errors, runtime, types
from .decorators import jit, njit
from .threading import (get_num_threads, get_parallel_chunksize, get_thread_id, set_num_threads,
                        set_parallel_chunksize)
from .types import typeof
from .vectorize import DUFunc, vectorize

__version__ = "0.1.0"


class prange:
    """``range`` whose iterations run on all cores under ``@njit(parallel=True)``.

    Outside parallel functions (and in plain Python) it is ``range``.
    """

    def __new__(cls, *args):
        return range(*args)

__all__ = ["jit", "njit", "vectorize", "DUFunc", "prange", "typeof", "types", "errors", "config", "set_num_threads", "get_num_threads",
           "get_thread_id", "set_parallel_chunksize", "get_parallel_chunksize"]
