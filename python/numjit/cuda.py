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


jit = _not_built("jit")
to_device = _not_built("to_device")
device_array = _not_built("device_array")
device_array_like = _not_built("device_array_like")
synchronize = _not_built("synchronize")
