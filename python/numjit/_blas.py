"""BLAS for compiled code (np.dot, @): the routines SciPy exports through
``scipy.linalg.cython_blas``, found by address, as Numba does, so numjit
links against no BLAS of its own and uses the optimized one SciPy ships.
"""
import ctypes
import functools

_ROUTINES = ("sgemm", "dgemm", "cgemm", "zgemm", "sgemv", "dgemv", "cgemv", "zgemv", "sdot", "ddot", "cdotu", "zdotu")
_LAPACK = tuple(p + r for r in ("getrf", "getrs", "getri", "gesdd", "geev", "geqrf", "gelsd") for p in "sdcz") + \
    tuple(p + r for r in ("syev", "potrf", "orgqr") for p in "sd") + ("cheev", "zheev", "cpotrf", "zpotrf", "cungqr", "zungqr")


@functools.cache
def blas_symbols():
    """dict: 'numjit_blas_dgemm' -> address; empty without SciPy. Called by the
    compiler the first time compiled code uses BLAS or LAPACK (SciPy's import
    is slow, so nothing else pays for it)."""
    try:
        from scipy.linalg import cython_blas, cython_lapack
    except ImportError:
        return {}
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype = ctypes.c_char_p
    get_name.argtypes = [ctypes.py_object]
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    symbols = {}
    for prefix, module, names in (("numjit_blas_", cython_blas, _ROUTINES), ("numjit_lapack_", cython_lapack, _LAPACK)):
        for name in names:
            capsule = module.__pyx_capi__[name]
            symbols[prefix + name] = get_pointer(capsule, get_name(capsule))
    return symbols
