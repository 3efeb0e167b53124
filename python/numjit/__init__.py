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
import sys as _sys

from . import _registry, config, errors, runtime, typed, types
from ._builtin_calls import literal_unroll, literally
from .decorators import jit, njit
from .threading import (get_num_threads, get_parallel_chunksize, get_thread_id, prange, set_num_threads,
                        set_parallel_chunksize)
from .types import typeof
# Numba exports its type objects at top level (``from numba import float64, int64``).
from .types import (b1, bool_, boolean, byte, c8, c16, complex64, complex128, double, f4, f8, float32, float64,
                    float_, i1, i2, i4, i8, int8, int16, int32, int64, int_, intp, none, u1, u2, u4, u8, uint8,
                    uint16, uint32, uint64, uintp, void)
from .guvectorize import guvectorize
from .stencil import stencil
from .vectorize import DUFunc, vectorize
from .errors import *  # noqa: F401,F403  (Numba's top level exports its exception classes too)
from .types import (char, deferred_type, intc, long_, longlong, optional, short, size_t, ssize_t, uchar, uint, uintc,
                    ulong, ulonglong, ushort)
from .types import pyobject as ffi_forced_object
# The Python library registers its objects for compiled code to call; the
# registry cannot import it (the library is built of jitted functions, and the
# dispatcher reads the registry), so the package, which imports both, does.
from . import library
# Structured array arguments take their compiled form (records.py registers it).
from . import records
from ._pndindex import pndindex
# numjit.typed's methods are jitted functions; typed.py cannot import them (the
# dispatcher imports typed), so the package does, and they hand themselves over.
from . import _typed_ops

__version__ = "0.1.0"
#: The Numba release whose public API numjit follows; libraries compare numba.__version__ with theirs.
NUMBA_API_VERSION = "0.61.0"


def _numba_version_info(text):
    """Numba's ``version_info`` namedtuple for a release string."""
    from collections import namedtuple

    fields = ("major", "minor", "patch", "short", "full", "string", "tuple", "git_revision")
    parts = tuple(text.split("."))
    numbers = tuple(int(p) for p in parts)
    return namedtuple("version_info", fields)(*numbers, numbers[:2], numbers, text, parts, None)


#: As Numba's: the API level numjit follows, so that ``numba.version_info >= (0, 57)``-style checks in code
#: written for Numba see what numjit offers (numjit's own release is ``__version__``).
version_info = _numba_version_info(NUMBA_API_VERSION)


# Numba's module layout (numba.core.types, numba.extending, ...) and smaller
# names, imported on first use (PEP 562) so that `import numjit` stays small.
_LAZY_MODULES = ("core", "cuda", "experimental", "extending", "np")
_LAZY_NAMES = ("carray", "cfunc", "farray", "from_dtype", "gdb", "gdb_breakpoint", "gdb_init", "jit_module", "objmode",
               "parallel_chunksize", "threading_layer")


def __getattr__(name):
    import importlib

    if name in _LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "bool":  # Numba's name for boolean; a global would hide the builtin here
        return types.boolean
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f"{__name__}.numba_api"), name)
    raise AttributeError(f"module 'numjit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_MODULES) | set(_LAZY_NAMES))


def install_as_numba():
    """Makes ``import numba`` (and its submodules) resolve to numjit in this
    process (numjit/as_numba.py; imported only when asked, as its import
    machinery costs milliseconds)."""
    from .as_numba import install_as_numba as install

    install()

# The known-objects table names the package itself ("module:numjit") and its
# prange and thread functions; the registry may not import the package that
# imports it, so the package hands itself over once those names exist.
_registry.register_package(_sys.modules[__name__])

__all__ = ["jit", "njit", "vectorize", "guvectorize", "stencil", "DUFunc", "prange", "typeof", "types", "errors", "config",
           "set_num_threads", "get_num_threads", "get_thread_id", "set_parallel_chunksize", "get_parallel_chunksize",
           "literal_unroll", "from_dtype", "objmode", "cfunc", "carray", "farray", "threading_layer",
           "install_as_numba", "core", "extending", "experimental", "cuda", "np", "typed"]
