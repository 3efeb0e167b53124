"""NumPy functions written in Python and compiled by numjit like user code.

The C++ library (src/numjit/library) types and lowers what needs code
generation of its own: ufuncs, fused expressions, reductions, creation.
Functions whose work is ordinary loops and calls (np.interp, np.nonzero,
np.linalg.svd) are clearer and safer as Python, so they live here: each is an
@njit function registered for the NumPy object it implements, and compiled
code that calls np.interp calls it (python/numjit/_library.py maps the
objects; src/numjit/frontend/globals.cpp freezes them as jitted callees).

They compile only when first used, so importing them costs no LLVM work.
"""
import importlib

_TOPICS = ("sequences", "indexing", "interpolation", "statistics", "matrices", "linalg", "axes")
_registry = {}
_fallbacks = {}


def implements(*targets):
    """Registers the decorated function as numjit's implementation of each target."""
    from ..dispatcher import DispatcherImpl

    def register(function):
        impl = DispatcherImpl(function, {})
        impl._numjit_library = True  # a library function, not a @vectorize kernel
        for target in targets:
            _registry[target] = impl.public
        return impl.public

    return register


def extends(*names):
    """Registers the decorated function for the calls of the C++ rows `names`
    ("np.argmax", "array.argmax") that those rows do not accept, such as
    axis=. A method's object is the first argument."""
    from ..dispatcher import DispatcherImpl

    def register(function):
        impl = DispatcherImpl(function, {})
        impl._numjit_library = True
        for name in names:
            _fallbacks[name] = impl.public
        return impl.public

    return register


def fallback(name):
    """The implementation registered with `extends` for `name`, or None."""
    implementations()
    return _fallbacks.get(name)


def implementations():
    """dict: NumPy (or builtin) object -> the dispatcher implementing it."""
    for topic in _TOPICS:
        importlib.import_module("." + topic, __name__)
    return _registry
