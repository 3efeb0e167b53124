"""The names kernels use: cuda.threadIdx and its kin, cuda.grid, cuda.syncthreads,
cuda.shared/local/const arrays and cuda.atomic.

In a kernel or device function they never run as Python: rewrite.py replaces
each use by an expression over the thread's context (the hidden argument
that every kernel and device function receives), and the atomics are library
rows of the compiler (src/numjit/library/cuda_atomics.cpp). Used from plain
Python, they raise: a thread's index exists only inside a launch.
"""
import sys

from .. import _registry, errors

# The context tuple a thread receives: its position in the block and grid
# and their sizes (x, y, z each), then the block's shared memory (a uint8
# array) and how many of its last bytes are the launch's dynamic shared
# memory. The launchers (kernels.py, barriers.py) build it; rewrite.py reads it.
CONTEXT_FIELDS = ("threadIdx", "blockIdx", "blockDim", "gridDim")
SHARED_MEMORY_SLOT = 12
DYNAMIC_SHARED_SLOT = 13


def _outside(name):
    raise errors.UnsupportedError(f"cuda.{name} exists only inside a kernel or device function (@cuda.jit)")


class Index:
    """threadIdx.x and its kin: slot `slot` of the thread's context."""

    def __init__(self, name, slot):
        self.name, self.slot = name, slot

    def __index__(self):
        _outside(self.name)

    __int__ = __index__

    def __repr__(self):
        return f"cuda.{self.name}"


class Dim3:
    """cuda.threadIdx, blockIdx, blockDim, gridDim: .x, .y and .z."""

    def __init__(self, name, first_slot):
        self.name = name
        self.x, self.y, self.z = (Index(f"{name}.{axis}", first_slot + k) for k, axis in enumerate("xyz"))

    def __repr__(self):
        return f"cuda.{self.name}"


threadIdx, blockIdx, blockDim, gridDim = (Dim3(name, 3 * k) for k, name in enumerate(CONTEXT_FIELDS))


def grid(ndim):
    """The thread's absolute position in the grid: an int for ndim=1, else a tuple."""
    _outside("grid")


def gridsize(ndim):
    """The number of threads in the grid along each of ndim axes."""
    _outside("gridsize")


def syncthreads():
    """Waits until every thread of the block has reached this point."""
    _outside("syncthreads")


def threadfence():
    """Orders this thread's memory writes before its later ones, as seen by the device."""
    _outside("threadfence")


threadfence_block = threadfence_system = threadfence


def raise_on_gpu(code):
    """What `raise` becomes in a kernel compiled for the GPU (rewrite.py): the
    thread records the exception's code for the launch to raise, and exits."""
    _outside("raise_on_gpu")


class shared:
    """cuda.shared.array(shape, dtype): memory shared by the threads of a block."""

    @staticmethod
    def array(shape, dtype):
        _outside("shared.array")


class local:
    """cuda.local.array(shape, dtype): an array private to the thread."""

    @staticmethod
    def array(shape, dtype):
        _outside("local.array")


class const:
    """cuda.const.array_like(ary): a constant copy of a global array."""

    @staticmethod
    def array_like(ary):
        _outside("const.array_like")


def _atomic(name):
    def operation(*args):
        _outside(f"atomic.{name}")

    operation.__name__ = operation.__qualname__ = name
    return operation


class atomic:
    """Read-modify-write operations on one array element, atomic with respect to
    every other thread; each returns the element's old value."""

    add = _atomic("add")
    sub = _atomic("sub")
    max = _atomic("max")
    min = _atomic("min")
    nanmax = _atomic("nanmax")
    nanmin = _atomic("nanmin")
    exch = _atomic("exch")
    and_ = _atomic("and_")
    or_ = _atomic("or_")
    xor = _atomic("xor")
    cas = _atomic("cas")
    compare_and_swap = _atomic("compare_and_swap")


# The compiler's rows `cuda.atomic.add`, `cuda.syncthreads`, ... are these objects.
_registry.register_row_module("cuda", sys.modules[__name__])
