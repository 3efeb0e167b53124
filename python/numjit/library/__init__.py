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

_TOPICS = ("sequences", "indexing", "interpolation", "statistics", "matrices", "linalg")
_registry = {}


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


def implementations():
    """dict: NumPy (or builtin) object -> the dispatcher implementing it."""
    for topic in _TOPICS:
        importlib.import_module("." + topic, __name__)
    return _registry
