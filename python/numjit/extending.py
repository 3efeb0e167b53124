"""Numba's extension API (``numba.extending``), under the same names.

Working:
- ``overload``, ``overload_method`` and ``overload_attribute``: when compiled
  code calls the target (or the method on a value of that type, or reads the
  attribute of one), numjit calls the typing function
  with the argument types (numjit.types objects, Numba's classes) and
  compiles the implementation it returns, once per argument types. A target
  numjit already implements keeps numjit's implementation (with a warning).
- ``register_jitable``: the function stays a Python function, and compiled
  code that calls it compiles it like any jitted function.
- ``is_jitted``, ``get_cython_function_address``, ``as_numba_type``.

- ``intrinsic``: codegen functions build numjit's IR through the builder of
  numjit/intrinsics.py (not llvmlite's), documented there.

Not built yet (issue 17): ``overload_classmethod`` and the lowering-level names (``models``, ``box``, ``unbox``,
...). Their decorators can be applied, so that libraries that define such
extensions still import (with a warning); compiled code that relies on them
is refused. Each is kept in ``pending_extensions()``.
"""
import inspect
import warnings

from . import _registry, errors
from . import types as numjit_types
from .library.registration import _library_function

_pending = []  # (decorator name, target, implementation, "file:line")


def pending_extensions():
    """The extensions registered through decorators numjit does not run:
    (decorator, target, implementation, where) tuples."""
    return list(_pending)


def _where(function):
    try:
        return f"{inspect.getsourcefile(function)}:{inspect.getsourcelines(function)[1]}"
    except (OSError, TypeError):
        return getattr(function, "__qualname__", repr(function))


def _recorded(decorator, target, reason="is not supported yet"):
    def register(implementation):
        where = _where(implementation)
        _pending.append((decorator, target, implementation, where))
        warnings.warn(f"numjit.extending.{decorator} ({where}) {reason}: compiled code that calls "
                      f"{getattr(target, '__name__', target)!s} is refused", errors.NumjitWarning, stacklevel=3)
        return implementation

    return register


class Overload:
    """What compiled code calls for a function extended with @overload. For
    each call's argument types the typing functions are asked in the order
    they were registered; the first implementation returned is compiled (with
    the decorator's jit_options) and that call runs it."""

    _numjit_dispatcher = True  # the front end treats it as a jitted function
    _numjit_library = True     # called as a function, not mapped over arrays like a @vectorize kernel

    def __init__(self, name):
        self.__name__ = name
        self._typing_functions = []  # (typing function, jit options)
        self._chosen = {}

    def add(self, typing_function, jit_options, self_type=None):
        """self_type: for a method or attribute, the type class (or type) of the objects it extends;
        the typing function is asked only about those."""
        self._typing_functions.append((typing_function, dict(jit_options or {}), self_type))
        self._chosen.clear()

    def _numjit_select_overload(self, type_names, keyword_names):
        """Called by the compiler (bindings/compiler_module.cpp): the dispatcher to compile, or None."""
        key = (tuple(type_names), tuple(keyword_names))
        if key not in self._chosen:
            arg_types = [numjit_types.from_canonical(name) for name in type_names]
            split = len(arg_types) - len(keyword_names)
            positional, keywords = arg_types[:split], dict(zip(keyword_names, arg_types[split:]))
            self._chosen[key] = None
            for typing_function, jit_options, self_type in self._typing_functions:
                if self_type is not None and not (positional and _extends(self_type, positional[0])):
                    continue
                implementation = typing_function(*positional, **keywords)
                if implementation is not None:
                    from .decorators import njit

                    self._chosen[key] = njit(**jit_options)(implementation)
                    break
        return self._chosen[key]


def _extends(self_type, t):
    """Whether a method or attribute registered for `self_type` (a type class such as types.Float,
    or one type) applies to values of type `t`."""
    return isinstance(t, self_type) if isinstance(self_type, type) else t == self_type


_overloads = {}  # target -> Overload


def _known_to_numjit(target):
    try:
        return target in _registry.known_objects() and target not in _overloads
    except TypeError:  # unhashable
        return False


def overload(target, jit_options=None, strict=True, inline="never", prefer_literal=False, **kwargs):
    """Numba's @overload: ``@overload(f) def f_typer(x): ...; return impl``."""

    def register(typing_function):
        if _known_to_numjit(target):
            return _recorded("overload", target, "overloads a function numjit implements itself; numjit's "
                                                 "implementation is used")(typing_function)
        if target not in _overloads:
            _overloads[target] = Overload(getattr(target, "__name__", "overload"))
            _registry.register_library(lambda: {target: _overloads[target]})
        _overloads[target].add(typing_function, jit_options)
        return typing_function

    return register


# Numba's type classes whose values numjit's method calls name by these prefixes (types/infer_calls.cpp).
_METHOD_PREFIXES = ((numjit_types.Array, "array"), (numjit_types.ListType, "list"), (numjit_types.List, "list"),
                    (numjit_types.DictType, "dict"), (numjit_types.Set, "set"), (numjit_types.UnicodeType, "str"),
                    (numjit_types.StringLiteral, "str"), (numjit_types.NumPyRandomGeneratorType, "Generator"),
                    (numjit_types.Scalar, "scalar"))


def _method_prefix(typ):
    cls = typ if isinstance(typ, type) else type(typ)
    for base, prefix in _METHOD_PREFIXES:
        if issubclass(cls, base) or issubclass(base, cls):
            return prefix
    return None


def _extend_type(decorator, typ, attr, separator, jit_options):
    """Registers a typing function under the library fallback "<namespace><separator><attr>"
    (types/infer_calls.cpp and infer_expressions.cpp look methods and attributes up there)."""
    prefix = _method_prefix(typ)
    if prefix is None:
        return _recorded(decorator, f"{typ}.{attr}")

    def register(typing_function):
        from . import library
        from .library import registration

        name = f"{prefix}{separator}{attr}"
        library._load_topics()  # the library's own methods, registered on first need
        extension = registration.fallbacks.get(name)
        if extension is not None and not isinstance(extension, Overload):
            return _recorded(decorator, name, "extends a method numjit implements itself; numjit's "
                                              "implementation is used")(typing_function)
        if extension is None:
            extension = registration.fallbacks[name] = Overload(name)
        extension.add(typing_function, jit_options, typ)
        return typing_function

    return register


def overload_method(typ, attr, jit_options=None, **kwargs):
    """Numba's @overload_method(types.Array, "name"): the typing function takes the object's type first."""
    return _extend_type("overload_method", typ, attr, ".", jit_options)


def overload_attribute(typ, attr, jit_options=None, **kwargs):
    """Numba's @overload_attribute(types.Array, "name"): the typing function takes the object's type
    and returns an implementation of one argument, the object; compiled code reading ``x.name``
    for an attribute numjit does not know calls it."""
    return _extend_type("overload_attribute", typ, attr, "@", jit_options)


def overload_classmethod(typ, attr, **kwargs):
    return _recorded("overload_classmethod", f"{typ}.{attr}")


def intrinsic(*args, **kwargs):
    """Numba's @intrinsic, over numjit's own builder (numjit/intrinsics.py)."""
    from . import intrinsics

    return intrinsics.intrinsic(*args, **kwargs)


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
