"""``@njit`` and ``@jit`` in every form Numba accepts."""
import warnings

from . import config, errors
from .dispatcher import DispatcherImpl
from .types import Signature

_OPTIONS = {"parallel", "fastmath", "cache", "boundscheck", "nogil", "error_model", "inline", "nopython",
            "forceobj", "looplift", "locals", "target", "no_cpython_wrapper", "no_cfunc_wrapper", "debug",
            "_nrt", "pipeline_class"}


def check_options(options):
    unknown = set(options) - _OPTIONS
    if unknown:
        raise TypeError(f"unknown option(s) for njit: {', '.join(sorted(unknown))}")
    if options.get("forceobj") or options.get("nopython") is False:
        raise errors.UnsupportedError(
            "object mode (forceobj=True / nopython=False) is not supported: numjit compiles nopython code only")
    if options.get("error_model", "python") not in ("python", "numpy"):
        raise ValueError("error_model must be 'python' or 'numpy'")
    if options.get("inline", "never") not in ("never", "always") and not callable(options.get("inline")):
        raise ValueError("inline must be 'never', 'always' or a callable")
    if options.get("cache"):
        warnings.warn("cache=True is accepted but numjit does not cache compiled code on disk yet; "
                      "each process compiles on first call", errors.NumjitWarning, stacklevel=3)


def _is_signature_spec(value):
    if isinstance(value, (str, Signature, tuple)):
        return True
    return isinstance(value, list) and all(isinstance(v, (str, Signature, tuple)) for v in value)


def njit(signature_or_function=None, **options):
    """Compiles a function to native code on first call (or now, given signatures).

    ``@njit``, ``@njit(...)``, ``njit(f)``, ``@njit('float64(float64[:])')``,
    ``@njit(['f8(f8)', 'f4(f4)'], fastmath=True)``.
    """
    check_options(options)

    def wrap(function, signatures=None):
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
