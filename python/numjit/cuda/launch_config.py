"""A launch's configuration, `kernel[griddim, blockdim]` (with an optional
stream and dynamic shared memory size), checked against CUDA's limits so
that a launch that would fail on a GPU fails here too, with the reason."""
import numpy as np

from .. import errors

# CUDA's limits for compute capability 9.0 (the H100/H200), which numjit targets.
MAX_THREADS_PER_BLOCK = 1024
MAX_BLOCK = (1024, 1024, 64)
MAX_GRID = (2 ** 31 - 1, 65535, 65535)


class LaunchError(errors.NumjitError, ValueError):
    """A launch configuration CUDA would refuse."""


def _dims(value, what, limits):
    if hasattr(value, "__index__") and not isinstance(value, (bool, np.bool_)):  # int, np.int64, ...
        value = (value,)
    try:
        dims = tuple(value)
    except TypeError:
        raise LaunchError(f"the {what} must be an int or a tuple of 1 to 3 ints, not {value!r}") from None
    if not 1 <= len(dims) <= 3 or not all(hasattr(d, "__index__") and not isinstance(d, (bool, np.bool_))
                                          for d in dims):
        raise LaunchError(f"the {what} must be an int or a tuple of 1 to 3 ints, not {value!r}")
    dims = tuple(int(d) for d in dims) + (1,) * (3 - len(dims))
    for axis, (size, limit) in enumerate(zip(dims, limits)):
        if not 1 <= size <= limit:
            raise LaunchError(f"the {what} along {'xyz'[axis]} is {size}: CUDA allows 1 to {limit}")
    return dims


def parse(configuration):
    """(griddim, blockdim, dynamic shared bytes) as 3-tuples of ints, from what `kernel[...]` received."""
    if not isinstance(configuration, tuple) or not 2 <= len(configuration) <= 4:
        raise LaunchError("a launch is kernel[griddim, blockdim] (optionally [griddim, blockdim, stream, "
                          f"sharedmem]), not kernel[{configuration!r}]")
    griddim = _dims(configuration[0], "grid size (blocks)", MAX_GRID)
    blockdim = _dims(configuration[1], "block size (threads)", MAX_BLOCK)
    threads = blockdim[0] * blockdim[1] * blockdim[2]
    if threads > MAX_THREADS_PER_BLOCK:
        raise LaunchError(f"a block of {blockdim} has {threads} threads: CUDA allows at most {MAX_THREADS_PER_BLOCK}")
    shared = configuration[3] if len(configuration) == 4 else 0
    if not hasattr(shared, "__index__") or isinstance(shared, (bool, np.bool_)) or int(shared) < 0:
        raise LaunchError(f"the dynamic shared memory size must be a non-negative int, not {shared!r}")
    return griddim, blockdim, int(shared)
