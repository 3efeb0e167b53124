"""The decorators the library's topic modules register their functions with.

They live apart from the package's __init__ because the package imports the
topic modules (to fill these tables); were the decorators there, every topic
module would import its own importer.
"""
import numpy as np

from .. import _registry

implemented = {}  # NumPy (or builtin) object -> the jitted function implementing it
fallbacks = {}  # C++ row name ("np.argmax") -> the jitted function for calls that row refuses


# NumPy functions that answer with Python numbers and bools.
_PYTHON_RESULTS = (np.ndim, np.size, np.shape, np.isscalar, np.array_equal, np.allclose, np.isreal)


def gives_numpy_scalars(target):
    """Whether `target`'s scalar results are NumPy scalars (np.nanmedian gives
    an np.float64, whose dtype does not yield to an array's as a Python float's
    does), not Python numbers (sum, math.gcd, np.ndim, and NumPy's legacy random draws)."""
    module = getattr(target, "__module__", None) or ""
    return (module.startswith("numpy") and not module.startswith("numpy.random")
            and not any(target is known for known in _PYTHON_RESULTS))


def _library_function(function):
    # The dispatcher class comes from the registry: importing numjit.dispatcher
    # here would make the compiler, which calls these functions, import itself.
    impl = _registry.dispatcher_class()(function, {})
    impl._numjit_library = True  # a library function, not a @vectorize kernel
    return impl.public


def implements(*targets):
    """Registers the decorated function as numjit's implementation of each target."""

    def register(function):
        public = _library_function(function)
        for target in targets:
            implemented[target] = public
        if any(gives_numpy_scalars(target) for target in targets):
            public._impl._numjit_numpy_scalar_result = True  # read through the dispatcher
        return public

    return register


def extends(*names):
    """Registers the decorated function for the calls of the C++ rows `names`
    ("np.argmax", "array.argmax") that those rows do not accept, such as
    axis=. A method's object is the first argument."""

    def register(function):
        public = _library_function(function)
        for name in names:
            fallbacks[name] = public
        return public

    return register
