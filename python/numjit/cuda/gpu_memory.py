"""Device memory on a GPU, for device_arrays.DeviceNDArray.

A GPU array is a NumPy array *header* over the device address (built from
an __array_interface__): NumPy computes shapes, strides and the addresses of
basic-indexing views for it, and numjit types it as any array, but its
elements are never read on the host. Everything that would read them
(copies, printing) goes through here instead, as a driver copy; fancy
indexing is refused. The allocation lives as long as any header over it.
"""
import numpy as np

from .. import errors


class GpuMemory:
    """One cuMemAlloc'd block, freed when the last array over it is gone."""

    def __init__(self, driver, nbytes):
        self.driver = driver
        self.nbytes = int(nbytes)
        self.pointer = driver.alloc(self.nbytes)

    def __del__(self):
        try:
            self.driver.free(self.pointer)
        except Exception:  # at interpreter exit the driver may be gone
            pass


class _Interface:
    def __init__(self, interface, memory):
        self.__array_interface__ = interface
        self.memory = memory  # kept alive by every view through the header's .base


def header(memory, shape, dtype, strides=None, offset=0):
    """A NumPy array over device memory `memory` (never to be read on the host)."""
    dtype = np.dtype(dtype)
    if dtype.fields is not None or dtype.subdtype is not None or dtype.hasobject:
        raise errors.UnsupportedError(f"device arrays of {dtype} are not supported on the GPU yet")
    interface = {"version": 3, "shape": tuple(int(n) for n in shape), "typestr": dtype.str,
                 "data": (memory.pointer + int(offset), False),
                 "strides": None if strides is None else tuple(int(s) for s in strides)}
    return np.asarray(_Interface(interface, memory))


def address(array):
    return array.__array_interface__["data"][0]


def allocate(driver, shape, dtype, order="C"):
    dtype = np.dtype(dtype)
    shape = (int(shape),) if np.ndim(shape) == 0 else tuple(int(n) for n in shape)
    count = int(np.prod(shape, dtype=np.int64))
    memory = GpuMemory(driver, count * dtype.itemsize)
    strides = _contiguous_strides(shape, dtype.itemsize, order)
    return header(memory, shape, dtype, strides)


def _contiguous_strides(shape, itemsize, order):
    strides, step = [0] * len(shape), itemsize
    dims = range(len(shape)) if order == "F" else reversed(range(len(shape)))
    for d in dims:
        strides[d] = step
        step *= max(shape[d], 1)
    return tuple(strides)


def storage_order(array):
    """The order a copy of `array` keeps: "F" for an array contiguous only in
    Fortran order, else "C"."""
    return "F" if array.flags.f_contiguous and not array.flags.c_contiguous else "C"


def contiguous_order(array):
    if array.flags.c_contiguous:
        return "C"
    if array.flags.f_contiguous:
        return "F"
    return None


def memory_of(array):
    base = array
    while base is not None and not isinstance(base, _Interface):
        base = getattr(base, "base", None)
    return base.memory


def _span(device):
    """(offset of the lowest byte from the view's address, byte count) of the
    block of memory a strided view's elements lie in."""
    lowest = sum(s * (n - 1) for s, n in zip(device.strides, device.shape) if s < 0)
    highest = sum(s * (n - 1) for s, n in zip(device.strides, device.shape) if s > 0)
    return lowest, highest - lowest + device.itemsize


def _staged_span(device):
    """A non-contiguous view's whole span copied to the host, and the view's
    elements within that copy (a NumPy view with the device view's strides)."""
    lowest, nbytes = _span(device)
    staging = np.empty(nbytes, np.uint8)
    memory_of(device).driver.to_host(staging.ctypes.data, address(device) + lowest, nbytes)
    view = np.ndarray(device.shape, device.dtype, buffer=staging, offset=-lowest, strides=device.strides)
    return staging, view, lowest


def copy_from_host(device, host):
    """Writes host array `host` (broadcast to the device view's shape) into device view `device`.
    A non-contiguous view is written by reading its span, setting its elements in that
    copy and writing the span back: launches are synchronous, so no kernel writes between."""
    if device.size == 0:
        return
    order = contiguous_order(device)
    if order is None:
        staging, view, lowest = _staged_span(device)
        view[...] = host
        memory_of(device).driver.to_device(address(device) + lowest, staging.ctypes.data, staging.nbytes)
        return
    source = np.empty(device.shape, device.dtype, order=order)
    source[...] = host
    memory_of(device).driver.to_device(address(device), source.ctypes.data, source.nbytes)


def copy_to_host(device, host=None):
    """The device view's values in a new host array (or written into `host`). A
    non-contiguous view is read as the span its elements lie in, then gathered here."""
    order = contiguous_order(device)
    if device.size == 0 or order is None:
        target = host if host is not None else np.empty(device.shape, device.dtype)
        if device.size:
            np.copyto(target, _staged_span(device)[1])
        return target
    target = host if host is not None and contiguous_order(host) == order else \
        np.empty(device.shape, device.dtype, order=order)
    memory_of(device).driver.to_host(target.ctypes.data, address(device), target.nbytes)
    if host is not None and target is not host:
        np.copyto(host, target)
        return host
    return target


def basic_index(index):
    """`index` if it is basic indexing (NumPy then makes a view, reading no element), else raises."""
    parts = index if isinstance(index, tuple) else (index,)
    for part in parts:
        if not (part is Ellipsis or part is None or isinstance(part, (slice, int, np.integer))):
            raise errors.UnsupportedError("a GPU array takes integers, slices, ... and None as indices "
                                          f"(not {type(part).__name__})")
    return parts


def element(device, index):
    """device[index]: a view, or (all positions given) the element copied to the host."""
    parts = basic_index(index)
    view = device[parts + (None,)]  # a view even where all positions are given: nothing is read
    if view.ndim == 1 and view.shape == (1,) and sum(isinstance(p, (int, np.integer)) for p in parts) == device.ndim:
        return copy_to_host(view)[0]
    return device[parts]
