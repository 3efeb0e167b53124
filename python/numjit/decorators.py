"""``@njit`` and ``@jit`` in every form Numba accepts."""

from . import config, decoration_errors, errors
from .dispatcher import DispatcherImpl
from .types import Signature

_OPTIONS = {"parallel", "fastmath", "cache", "boundscheck", "nogil", "error_model", "inline", "nopython",
            "forceobj", "looplift", "locals", "target", "no_cpython_wrapper", "no_cfunc_wrapper", "debug",
            "_nrt", "pipeline_class"}


def option_problem(options):
    """(exception class, message, option name) for the first bad option, or None."""
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        return (errors.TypingError, f"unknown option(s) for njit: {', '.join(unknown)} (known: "
                f"{', '.join(sorted(o for o in _OPTIONS if not o.startswith('_')))})", unknown[0])
    if options.get("forceobj") or options.get("nopython") is False:
        return (errors.UnsupportedError, "object mode (forceobj=True / nopython=False) is not supported: numjit "
                "compiles nopython code only", "forceobj" if options.get("forceobj") else "nopython")
    if options.get("error_model", "python") not in ("python", "numpy"):
        return ValueError, "error_model must be 'python' or 'numpy'", "error_model"
    if options.get("inline", "never") not in ("never", "always") and not callable(options.get("inline")):
        return ValueError, "inline must be 'never', 'always' or a callable", "inline"
    return None


def check_options(options, function=None):
    """Raises the first bad option's error, located at the decorator when the
    function is known; warns about options numjit accepts but ignores."""
    problem = option_problem(options)
    if problem:
        cls, message, keyword = problem
        if function is None:
            raise cls(message)
        raise decoration_errors.located(function, message, keyword=keyword, cls=cls)


def _is_signature_spec(value):
    if isinstance(value, (str, Signature, tuple)):
        return True
    return isinstance(value, list) and all(isinstance(v, (str, Signature, tuple)) for v in value)


def njit(signature_or_function=None, **options):
    """Compiles a function to native code on first call (or now, given signatures).

    ``@njit``, ``@njit(...)``, ``njit(f)``, ``@njit('float64(float64[:])')``,
    ``@njit(['f8(f8)', 'f4(f4)'], fastmath=True)``.
    """
    def wrap(function, signatures=None):
        check_options(options, function)
        if config.DISABLE_JIT:
            return function
        return DispatcherImpl(function, options, signatures).public

    if callable(signature_or_function) and not isinstance(signature_or_function, (str, Signature)):
        return wrap(signature_or_function)
    if signature_or_function is None:
        return wrap
    if not _is_signature_spec(signature_or_function):
        raise TypeError(f"njit expects a function or signatures, not {type(signature_or_function).__name__}")
    signatures = signature_or_function if isinstance(signature_or_function, list) else [signature_or_function]
    return lambda function: wrap(function, signatures)


def jit(signature_or_function=None, **options):
    """Numba's ``@jit``: numjit always compiles in nopython mode, so this is ``njit``."""
    return njit(signature_or_function, **options)
