"""Device memory as numjit's CPU kernels see it: cuda.to_device,
device_array, device_array_like and DeviceNDArray.copy_to_host, with Numba's
signatures. Where kernels run on the CPU, "device" memory is host memory: a
DeviceNDArray holds its own NumPy array (to_device copies, as a transfer
would), and copy_to_host copies back, so code written for a GPU keeps its
meaning: writing a device array leaves the host array alone until it is
copied back."""
import numpy as np


class DeviceNDArray:
    """An array in (simulated) device memory."""

    def __init__(self, array):
        self._array = array

    # NumPy-like attributes Numba's DeviceNDArray has.
    shape = property(lambda self: self._array.shape)
    strides = property(lambda self: self._array.strides)
    ndim = property(lambda self: self._array.ndim)
    size = property(lambda self: self._array.size)
    dtype = property(lambda self: self._array.dtype)
    nbytes = property(lambda self: self._array.nbytes)
    T = property(lambda self: DeviceNDArray(self._array.T))

    def __len__(self):
        return len(self._array)

    def __getitem__(self, index):
        item = self._array[index]
        return DeviceNDArray(item) if isinstance(item, np.ndarray) else item

    def __setitem__(self, index, value):
        self._array[index] = value._array if isinstance(value, DeviceNDArray) else value

    def copy_to_host(self, ary=None, stream=0):
        """A new host array holding this array's values, or them written into `ary`."""
        if ary is None:
            return self._array.copy()
        if ary.shape != self.shape or ary.dtype != self.dtype:
            raise ValueError(f"copy_to_host: the host array is {ary.dtype}{list(ary.shape)}, the device array "
                             f"{self.dtype}{list(self.shape)}")
        np.copyto(ary, self._array)
        return ary

    def copy_to_device(self, ary, stream=0):
        """Overwrites this array with the values of host array (or device array) `ary`."""
        source = ary._array if isinstance(ary, DeviceNDArray) else np.asarray(ary)
        if source.shape != self.shape:
            raise ValueError(f"copy_to_device: shapes differ: {source.shape} and {self.shape}")
        np.copyto(self._array, source)

    def reshape(self, *shape, order="C"):
        return DeviceNDArray(self._array.reshape(*shape, order=order))

    def ravel(self, order="C"):
        return DeviceNDArray(self._array.ravel(order=order))

    def is_c_contiguous(self):
        return self._array.flags.c_contiguous

    def is_f_contiguous(self):
        return self._array.flags.f_contiguous

    def __repr__(self):
        return f"<numjit.cuda DeviceNDArray {self.dtype}{list(self.shape)}>"


def host_array(value):
    """What a kernel receives for an argument: a device array's memory, else the value."""
    return value._array if isinstance(value, DeviceNDArray) else value


def to_device(obj, stream=0, copy=True, to=None):
    """A device copy of host array `obj` (or `obj` copied into device array `to`)."""
    if to is not None:
        to.copy_to_device(obj, stream)
        return to
    array = np.asarray(obj)
    return DeviceNDArray(np.array(array, copy=True) if copy else np.empty_like(array))


def device_array(shape, dtype=np.float64, strides=None, order="C", stream=0):
    """An uninitialized device array."""
    array = np.empty(shape, dtype, order=order)
    if strides is not None:
        array = np.lib.stride_tricks.as_strided(array, strides=strides)
    return DeviceNDArray(array)


def device_array_like(ary, stream=0):
    """An uninitialized device array of `ary`'s shape, dtype and layout."""
    array = ary._array if isinstance(ary, DeviceNDArray) else np.asarray(ary)
    return DeviceNDArray(np.empty_like(array, order="F" if array.flags.f_contiguous and not
                                       array.flags.c_contiguous else "C"))


def is_cuda_array(obj):
    return isinstance(obj, DeviceNDArray)
