"""``numjit.cuda``: Numba's CUDA module. Kernels are not built yet (issue 19):
``is_available()`` is False, and the decorators and memory functions raise
UnsupportedError when used."""
from . import errors


def is_available():
    return False


def detect():
    print("numjit.cuda: CUDA kernels are not supported yet")
    return False


def _not_built(name):
    def refuse(*args, **kwargs):
        raise errors.UnsupportedError(f"numjit.cuda.{name} is not supported yet")

    refuse.__name__ = name
    return refuse


class _Kernel:
    """What ``@cuda.jit`` makes until kernels are built: the module defining it
    imports; launching or calling it raises UnsupportedError."""

    def __init__(self, function):
        self.py_func = function
        self.__name__ = getattr(function, "__name__", "kernel")

    def __getitem__(self, configuration):
        return self

    def __call__(self, *args, **kwargs):
        raise errors.UnsupportedError(f"numjit.cuda: {self.__name__} cannot run: CUDA kernels are not supported yet")


def jit(function_or_signature=None, **options):
    """``@cuda.jit``, ``@cuda.jit(device=True)``, ``@cuda.jit("void(float64[:])")``."""
    if callable(function_or_signature) and not isinstance(function_or_signature, str):
        return _Kernel(function_or_signature)
    return _Kernel
to_device = _not_built("to_device")
device_array = _not_built("device_array")
device_array_like = _not_built("device_array_like")
synchronize = _not_built("synchronize")
