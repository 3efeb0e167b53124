"""Device memory: cuda.to_device, device_array, device_array_like and
DeviceNDArray.copy_to_host, with Numba's signatures.

Where kernels run on the CPU, "device" memory is host memory: a
DeviceNDArray holds its own NumPy array (to_device copies, as a transfer
would), and copy_to_host copies back, so code written for a GPU keeps its
meaning: writing a device array leaves the host array alone until it is
copied back. On a GPU (driver.load() found one), the array is a header over
device memory (gpu_memory.py), and copies go through the driver.
"""
import numpy as np

from . import driver, gpu_memory


def _gpu():
    return driver.load()[0]


class DeviceNDArray:
    """An array in (simulated) device memory."""

    def __init__(self, array, on_gpu=False):
        self._array = array  # on a GPU: a header over device memory, never read on the host
        self._on_gpu = on_gpu

    # NumPy-like attributes Numba's DeviceNDArray has.
    shape = property(lambda self: self._array.shape)
    strides = property(lambda self: self._array.strides)
    ndim = property(lambda self: self._array.ndim)
    size = property(lambda self: self._array.size)
    dtype = property(lambda self: self._array.dtype)
    nbytes = property(lambda self: self._array.nbytes)
    T = property(lambda self: DeviceNDArray(self._array.T, self._on_gpu))

    def __len__(self):
        return len(self._array)

    def __getitem__(self, index):
        item = gpu_memory.element(self._array, index) if self._on_gpu else self._array[index]
        return DeviceNDArray(item, self._on_gpu) if isinstance(item, np.ndarray) else item

    def __setitem__(self, index, value):
        if isinstance(value, DeviceNDArray):
            value = value.copy_to_host() if value._on_gpu else value._array
        if self._on_gpu:
            gpu_memory.copy_from_host(self._array[gpu_memory.basic_index(index)], value)
        else:
            self._array[index] = value

    def copy_to_host(self, ary=None, stream=0):
        """A new host array holding this array's values, or them written into `ary`."""
        if ary is not None and (ary.shape != self.shape or ary.dtype != self.dtype):
            raise ValueError(f"copy_to_host: the host array is {ary.dtype}{list(ary.shape)}, the device array "
                             f"{self.dtype}{list(self.shape)}")
        if self._on_gpu:
            return gpu_memory.copy_to_host(self._array, ary)
        if ary is None:
            return self._array.copy()
        np.copyto(ary, self._array)
        return ary

    def copy_to_device(self, ary, stream=0):
        """Overwrites this array with the values of host array (or device array) `ary`."""
        if isinstance(ary, DeviceNDArray):
            ary = ary.copy_to_host() if ary._on_gpu else ary._array
        source = np.asarray(ary)
        if source.shape != self.shape:
            raise ValueError(f"copy_to_device: shapes differ: {source.shape} and {self.shape}")
        if self._on_gpu:
            gpu_memory.copy_from_host(self._array, source)
        else:
            np.copyto(self._array, source)

    def reshape(self, *shape, order="C"):
        if self._on_gpu and not self._array.flags[f"{order}_CONTIGUOUS"]:
            raise NotImplementedError(f"reshaping a GPU array that is not {order}-contiguous (it would copy)")
        return DeviceNDArray(self._array.reshape(*shape, order=order), self._on_gpu)

    def ravel(self, order="C"):
        if self._on_gpu and not self._array.flags[f"{order}_CONTIGUOUS"]:
            raise NotImplementedError(f"ravel of a GPU array that is not {order}-contiguous (it would copy)")
        return DeviceNDArray(self._array.ravel(order=order), self._on_gpu)

    def is_c_contiguous(self):
        return self._array.flags.c_contiguous

    def is_f_contiguous(self):
        return self._array.flags.f_contiguous

    def __repr__(self):
        return f"<numjit.cuda DeviceNDArray {self.dtype}{list(self.shape)}>"


def host_array(value):
    """What a CPU kernel receives for an argument: a device array's memory, else the value."""
    return value._array if isinstance(value, DeviceNDArray) else value


def to_device(obj, stream=0, copy=True, to=None):
    """A device copy of host array `obj` (or `obj` copied into device array `to`)."""
    if to is not None:
        to.copy_to_device(obj, stream)
        return to
    array = np.asarray(obj)
    gpu = _gpu()
    if gpu is None:
        return DeviceNDArray(np.array(array, copy=True) if copy else np.empty_like(array))
    device = DeviceNDArray(gpu_memory.allocate(gpu, array.shape, array.dtype, gpu_memory.storage_order(array)), True)
    if copy:
        gpu_memory.copy_from_host(device._array, array)
    return device


def device_array(shape, dtype=np.float64, strides=None, order="C", stream=0):
    """An uninitialized device array."""
    gpu = _gpu()
    if gpu is not None:
        if strides is not None:
            raise NotImplementedError("device_array with strides on a GPU")
        return DeviceNDArray(gpu_memory.allocate(gpu, shape, dtype, order), True)
    array = np.empty(shape, dtype, order=order)
    if strides is not None:
        array = np.lib.stride_tricks.as_strided(array, strides=strides)
    return DeviceNDArray(array)


def device_array_like(ary, stream=0):
    """An uninitialized device array of `ary`'s shape, dtype and layout."""
    array = ary._array if isinstance(ary, DeviceNDArray) else np.asarray(ary)
    order = gpu_memory.storage_order(array)
    gpu = _gpu()
    if gpu is not None:
        return DeviceNDArray(gpu_memory.allocate(gpu, array.shape, array.dtype, order), True)
    return DeviceNDArray(np.empty_like(array, order=order))


def is_cuda_array(obj):
    return isinstance(obj, DeviceNDArray)
