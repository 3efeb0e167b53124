"""The Python objects compiled code may call, mapped to numjit's canonical names.

Keyed by the objects themselves, so aliases (``from numpy import arctan as at``)
resolve; the compiler's library (src/numjit/library) types and lowers each name.
"""
import builtins
import math
import sys

import numpy as np

_MATH = """exp log log10 log2 log1p expm1 sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh
erf erfc gamma lgamma atan2 hypot fmod copysign sqrt fabs floor ceil trunc isnan isinf isfinite pow
degrees radians cbrt exp2""".split()
_NUMPY = """exp log log10 log2 log1p expm1 sin cos tan arcsin arccos arctan sinh cosh tanh arcsinh arccosh
arctanh cbrt exp2 arctan2 hypot fmod copysign fmin fmax minimum maximum sqrt fabs floor ceil trunc fix rint
isnan isinf isfinite sign abs absolute power degrees radians rad2deg deg2rad
empty zeros ones full empty_like zeros_like ones_like full_like arange linspace eye identity copy array asarray
sum prod min max amin amax mean var std argmin argmax any all reshape ravel transpose where clip dot matmul trace
cumsum cumprod diff sort argsort concatenate hstack vstack
nansum nanprod nanmin nanmax nanmean nanvar nanstd median average searchsorted bincount unique
outer repeat tile roll stack ndindex ndenumerate histogram iscomplexobj isrealobj conj conjugate logical_and logical_or logical_xor logical_not""".split()
_RANDOM = """seed random random_sample sample ranf standard_normal normal uniform rand randn randint choice shuffle
permutation""".split()
_DTYPES = """bool_ int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 complex64 complex128""".split()
_BUILTINS = "range len abs min max int float complex bool round print enumerate zip dict".split()

_known = None


def known_objects():
    """dict: object -> canonical name ("np.arctan", "module:numpy", ...)."""
    global _known
    if _known is None:
        import numjit

        known = {math: "module:math", np: "module:numpy", numjit: "module:numjit"}
        for name in _MATH:
            if hasattr(math, name):
                known[getattr(math, name)] = "math." + name
        for name in _NUMPY:
            known[getattr(np, name)] = "np." + name
        known[np.linalg] = "module:numpy.linalg"
        known[np.random] = "module:numpy.random"
        for name in _RANDOM:
            known[getattr(np.random, name)] = "np.random." + name
        for name in ("solve", "inv", "norm"):
            known[getattr(np.linalg, name)] = "np.linalg." + name
        for name in _DTYPES:
            known[getattr(np, name)] = "np." + name
        for name in _BUILTINS:
            known[getattr(builtins, name)] = name
        # Numba's type objects convert when called in compiled code: float64(x).
        for name in _DTYPES:
            scalar = getattr(numjit.types, "boolean" if name == "bool_" else name, None)
            if scalar is not None:
                known[scalar] = "np." + name
        known[numjit.prange] = "prange"
        known[numjit.get_thread_id] = "get_thread_id"
        known[numjit.get_num_threads] = "get_num_threads"
        from .library import implementations, intrinsics

        known[intrinsics.lapack] = "numjit.lapack"
        known.update(implementations())
        _known = known
    # Code written for Numba may still say numba.prange after `import numba`.
    numba = sys.modules.get("numba")
    if numba is not None and numba not in _known and hasattr(numba, "prange"):
        _known[numba] = "module:numba"
        _known[numba.prange] = "prange"
        for name in ("get_thread_id", "get_num_threads"):
            if hasattr(numba, name):
                _known[getattr(numba, name)] = name
    return _known


def register_vectorized(ufunc, kernel_dispatcher):
    """Lets compiled code call a ufunc made by @vectorize: it maps to the kernel's dispatcher."""
    known_objects()[ufunc] = kernel_dispatcher


def unregister_vectorized(ufunc):
    known_objects().pop(ufunc, None)
