"""Numba's extension API (``numba.extending``), under the same names.

Working: ``register_jitable`` (the function stays a Python function, and
compiled code that calls it compiles it like any jitted function) and
``is_jitted``. Not built yet (issue 17): ``overload``, ``overload_method``,
``overload_attribute``, ``overload_classmethod``, ``intrinsic`` and the
lowering-level names (``models``, ``box``, ``unbox``, ...). Their decorators
can be applied, so that libraries that define extensions still import; the
functions they extend stay what they were in Python, and compiled code that
calls them is refused with a located error. Each registration is kept in
``pending_extensions()``.
"""
import inspect
import warnings

from . import _registry, errors
from .library.registration import _library_function

_pending = []  # (decorator name, target, implementation, "file:line")


def pending_extensions():
    """The extensions registered through decorators numjit does not run yet:
    (decorator, target, implementation, where) tuples."""
    return list(_pending)


def _where(function):
    try:
        return f"{inspect.getsourcefile(function)}:{inspect.getsourcelines(function)[1]}"
    except (OSError, TypeError):
        return getattr(function, "__qualname__", repr(function))


def _recorded(decorator, target):
    def register(implementation):
        where = _where(implementation)
        _pending.append((decorator, target, implementation, where))
        warnings.warn(f"numjit.extending.{decorator} ({where}) is not supported yet: compiled code that calls "
                      f"{getattr(target, '__name__', target)!s} is refused", errors.NumjitWarning, stacklevel=3)
        return implementation

    return register


def overload(target, jit_options=None, strict=True, inline="never", prefer_literal=False, **kwargs):
    return _recorded("overload", target)


def overload_method(typ, attr, **kwargs):
    return _recorded("overload_method", f"{typ}.{attr}")


def overload_classmethod(typ, attr, **kwargs):
    return _recorded("overload_classmethod", f"{typ}.{attr}")


def overload_attribute(typ, attr, **kwargs):
    return _recorded("overload_attribute", f"{typ}.{attr}")


def intrinsic(*args, **kwargs):
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return _recorded("intrinsic", args[0].__name__)(args[0])
    return lambda function: _recorded("intrinsic", function.__name__)(function)


def register_jitable(*args, **kwargs):
    """The function, unchanged for Python callers, and compiled for compiled callers."""

    def register(function):
        dispatcher = _library_function(function)
        _registry.register_library(lambda: {function: dispatcher})
        return function

    if len(args) == 1 and callable(args[0]) and not kwargs:
        return register(args[0])
    return register


def get_cython_function_address(module_name, function_name):
    """The address of a Cython module's C function (``scipy.special.cython_special``'s ``gammaln``), read
    from the capsule the module exports in ``__pyx_capi__``."""
    import ctypes
    import importlib

    capsule = importlib.import_module(module_name).__pyx_capi__[function_name]
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    return get_pointer(capsule, get_name(capsule))


def as_numba_type(py_type):
    """The type of values of a Python class: ``as_numba_type(float)`` is ``float64``."""
    from . import types

    known = {float: types.float64, int: types.int64, bool: types.boolean, complex: types.complex128,
             str: types.unicode_type, type(None): types.none}
    if isinstance(py_type, types.Type):
        return py_type
    if py_type in known:
        return known[py_type]
    raise errors.TypingError(f"numjit has no type for the Python class {py_type!r}")


def is_jitted(function):
    """True for a function numjit compiles (an @njit or @jit dispatcher)."""
    return hasattr(function, "_numjit_dispatcher")


class _NotBuilt:
    """A lowering-level name from Numba's extension API (llvmlite-based), which numjit does not have."""

    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        raise errors.UnsupportedError(f"numjit.extending.{self._name} is not supported: numjit's compiled code "
                                      f"is not built with llvmlite, so Numba's lowering-level API has no equivalent")

    def __getattr__(self, attribute):
        return _NotBuilt(f"{self._name}.{attribute}")


for _name in ("models", "register_model", "typeof_impl", "type_callable", "lower_builtin", "lower_cast",
              "lower_getattr", "lower_getattr_generic", "lower_setattr", "unbox", "box", "NativeValue",
              "make_attribute_wrapper", "infer_getattr", "include_path",
              "SentryLiteralArgs", "sentry_literal_args", "literally", "BoundLiteralArgs", "infer",
              "lower_setattr_generic", "reflect", "ReduceMixin"):
    globals()[_name] = _NotBuilt(_name)
