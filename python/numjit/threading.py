"""Thread control for parallel=True, as in Numba.

The pool's size is fixed at start-up by ``NUMJIT_NUM_THREADS`` (or
``NUMBA_NUM_THREADS``), else the number of cores; ``set_num_threads`` chooses,
per calling thread, how many of them the next parallel regions use.
"""
import operator

from . import _dispatch


def _as_int(value, what):
    """Accepts Python and NumPy integers (not bools or floats), as Numba does."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be an integer, not bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be an integer, not {type(value).__name__}") from None


def set_num_threads(n):
    """Use ``n`` threads (1 <= n <= NUMBA_NUM_THREADS) for this thread's next parallel regions."""
    maximum = _dispatch.max_threads()
    n = _as_int(n, "The number of threads specified")
    if not 1 <= n <= maximum:
        raise ValueError(f"The number of threads must be between 1 and {maximum} (NUMJIT_NUM_THREADS), got {n}")
    _dispatch.set_num_threads(n)


def get_num_threads():
    """The number of threads this thread's parallel regions use."""
    return _dispatch.get_num_threads()


def get_thread_id():
    """The calling thread's index in its parallel region (0 outside one); usable in compiled code."""
    return _dispatch.get_thread_id()


def set_parallel_chunksize(n):
    """Iterations per scheduled chunk of prange loops (0: automatic, dynamic splitting). Returns the old value."""
    n = _as_int(n, "The parallel chunksize")
    if n < 0:
        raise ValueError("The parallel chunksize must be a non-negative integer")
    old = _dispatch.get_parallel_chunksize()
    _dispatch.set_parallel_chunksize(n)
    return old


def get_parallel_chunksize():
    return _dispatch.get_parallel_chunksize()


class prange:
    """``range`` whose iterations run on all cores under ``@njit(parallel=True)``.

    Outside parallel functions (and in plain Python) it is ``range``.
    """

    def __new__(cls, *args):
        return range(*args)


# Defined here so that modules the package imports (guvectorize's drivers) can
# use it without importing the package; users know it as numjit.prange, which
# is where its repr and pickles by reference should point.
prange.__module__ = "numjit"
