"""Numba's smaller top-level names: ``from_dtype``, ``objmode``, ``cfunc``,
``carray``/``farray`` and ``threading_layer``."""
import contextlib
import ctypes
import inspect

from . import errors, threading
from ._objmode import objmode  # noqa: F401
from .c_arrays import carray, farray  # noqa: F401
from .np.numpy_support import from_dtype  # noqa: F401


def threading_layer():
    """The threading layer parallel regions run on: oneTBB's pool."""
    return "tbb"


def types_module():
    from . import types

    return types


class CFunc:
    """What ``@cfunc(signature)`` makes: the function compiled now for its
    signature, with a C entry point of that signature. ``address`` is the
    entry's address and ``ctypes`` a ctypes function over it, for C code,
    SciPy's ``LowLevelCallable`` or ctypes callbacks; calling the object from
    Python runs the same compiled code. As in Numba, an exception raised in
    a call from C cannot reach that caller: it is reported as unraisable
    ("Exception ignored in ...") and the entry returns zero."""

    def __init__(self, function, signature, options):
        from . import types
        from .decorators import njit

        sig = types.parse_signature(signature)
        if sig.return_type is None:
            raise TypeError(f"@cfunc needs a signature with a result type, such as 'float64(float64)', "
                            f"not {signature!r}")
        self._pyfunc, self._signature = function, sig
        self.__name__ = getattr(function, "__name__", "cfunc")
        self.__qualname__ = getattr(function, "__qualname__", self.__name__)
        self.__doc__ = getattr(function, "__doc__", None)
        self.__wrapped__ = function
        options = {k: v for k, v in options.items() if k != "cache"}  # compiled in each process
        self._dispatcher = njit(**options)(function)
        self._result = self._dispatcher._impl.compile_c_entry(sig.args, sig.return_type)
        self.address = self._result["c_entry"]
        self.native_name = f"{self.__qualname__}.cfunc"
        self._ctypes = None

    def __call__(self, *args):
        if any(isinstance(t, (types_module().CPointer, types_module().RawPointer)) for t in self._signature.args):
            return self.ctypes(*args)  # pointers come from C: ctypes converts them
        return self._dispatcher(*args)

    @property
    def ctypes(self):
        """A ctypes function calling the C entry point."""
        if self._ctypes is None:
            c_types = [_ctypes_type(t) for t in (self._signature.return_type, *self._signature.args)]
            self._ctypes = ctypes.CFUNCTYPE(*c_types)(self.address)
        return self._ctypes

    @property
    def cffi(self):
        raise errors.UnsupportedError(f"numjit.cfunc: {self.__name__}.cffi is not supported (cffi is not "
                                      f"installed with numjit); use .address or .ctypes")

    def inspect_llvm(self):
        return self._dispatcher.inspect_llvm(self._signature.args)

    def __repr__(self):
        return f"<numjit cfunc {self.__qualname__} {self._signature}>"


_CTYPES = {"voidptr": ctypes.c_void_p,
           "bool": ctypes.c_bool, "int8": ctypes.c_int8, "int16": ctypes.c_int16, "int32": ctypes.c_int32,
           "int64": ctypes.c_int64, "uint8": ctypes.c_uint8, "uint16": ctypes.c_uint16, "uint32": ctypes.c_uint32,
           "uint64": ctypes.c_uint64, "float32": ctypes.c_float, "float64": ctypes.c_double, "none": None}


def _ctypes_type(t):
    from . import types

    if isinstance(t, types.CPointer):
        return ctypes.POINTER(_ctypes_type(t.dtype))
    if str(t) not in _CTYPES:
        raise TypeError(f"@cfunc: no ctypes type for {t}")
    return _CTYPES[str(t)]


def cfunc(sig, **options):
    """Numba's ``@cfunc(signature, nopython=True, cache=False, ...)``: see CFunc."""
    return lambda function: CFunc(function, sig, options)


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
