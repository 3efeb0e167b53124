"""Numba's smaller top-level names: ``from_dtype``, ``objmode``, ``cfunc``,
``carray``/``farray`` and ``threading_layer``."""
import contextlib
import ctypes
import inspect

import numpy as np

from . import errors, threading
from .np.numpy_support import from_dtype  # noqa: F401


def threading_layer():
    """The threading layer parallel regions run on: oneTBB's pool."""
    return "tbb"


class objmode:
    """``with objmode(x='float64'):`` runs its body in the interpreter. In Python
    (``.py_func``, NUMBA_DISABLE_JIT) the block simply runs; compiled code
    does not support object-mode blocks yet (issue 17) and refuses them."""

    def __init__(self, *args, **annotations):
        self.annotations = annotations

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class CFunc:
    """What ``@cfunc(signature)`` makes: the Python function, callable as before;
    its C entry point (``address``, ``ctypes``) is not built yet (issue 17)."""

    def __init__(self, function, signature):
        self._pyfunc, self._sig = function, signature
        self.__name__ = getattr(function, "__name__", "cfunc")
        self.__doc__ = getattr(function, "__doc__", None)

    def __call__(self, *args, **kwargs):
        return self._pyfunc(*args, **kwargs)

    def _refuse(self, what):
        raise errors.UnsupportedError(f"numjit.cfunc: {self.__name__}.{what} is not supported yet (no C entry point)")

    address = property(lambda self: self._refuse("address"))
    ctypes = property(lambda self: self._refuse("ctypes"))
    cffi = property(lambda self: self._refuse("cffi"))
    native_name = property(lambda self: self._refuse("native_name"))


def cfunc(sig, **options):
    return lambda function: CFunc(function, sig)


def carray(ptr, shape, dtype=None):
    """An array over the C-ordered memory at ``ptr`` (a ctypes pointer, or an address with ``dtype``)."""
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


def jit_module(**options):
    """Compiles every function defined in the calling module, as Numba's
    jit_module does: call it at the end of the module."""
    from .decorators import jit

    module_globals = inspect.stack()[1].frame.f_globals
    module_name = module_globals.get("__name__")
    for name, value in list(module_globals.items()):
        if inspect.isfunction(value) and value.__module__ == module_name:
            module_globals[name] = jit(**options)(value)


@contextlib.contextmanager
def parallel_chunksize(size):
    """Sets the chunk size of parallel loops for the block, restoring the old one after."""
    old = threading.set_parallel_chunksize(size)
    try:
        yield
    finally:
        threading.set_parallel_chunksize(old)


def _debugger(name):
    def refuse(*args, **kwargs):
        raise errors.UnsupportedError(f"numjit.{name} is not supported: numjit's compiled code has no gdb hooks")

    refuse.__name__ = name
    return refuse


gdb, gdb_init, gdb_breakpoint = _debugger("gdb"), _debugger("gdb_init"), _debugger("gdb_breakpoint")
