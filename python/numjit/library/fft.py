"""np.fft in compiled code: NumPy's own library for the transforms.

Each line along the axis is one call of the numjit.fft row, which runs
pocketfft (the FFT library inside NumPy's np.fft, vendored in
third_party/pocketfft) exactly as NumPy's loops do, so results equal
NumPy's. Single precision stays single (complex64, float32), as in NumPy 2.
The n-dimensional transforms apply the one-dimensional ones axis by axis,
last axis first, as NumPy does.
"""
import math

import numpy as np

from ..decorators import njit
from .intrinsics import fft_row as _fft_row
from .registration import implements

_COMPLEX_FORWARD, _COMPLEX_BACKWARD, _REAL_FORWARD, _REAL_BACKWARD = 0, 1, 2, 3


@njit
def _factor(norm, n, inverse, single):
    """NumPy's scale for norm=: "backward" divides the inverse by n, "forward"
    the forward transform, "ortho" both by sqrt(n); computed in the
    transform's precision, as NumPy does."""
    mode = 0  # 0: none, 1: 1/n, 2: 1/sqrt(n)
    if norm is None:
        mode = 1 if inverse else 0
    elif norm == "backward":
        mode = 1 if inverse else 0
    elif norm == "forward":
        mode = 0 if inverse else 1
    elif norm == "ortho":
        mode = 2
    else:
        raise ValueError('Invalid norm value; should be "backward", "ortho" or "forward".')
    if mode == 0:
        return 1.0
    if single:
        if mode == 1:
            return float(np.float32(1.0) / np.float32(n))
        return float(np.float32(1.0) / np.sqrt(np.float32(n)))
    if mode == 1:
        return 1.0 / n
    return 1.0 / math.sqrt(n)


@njit
def _lines(kind, source, axis, n, width, factor, dtype):
    """The transform `kind` of each line of `source` along `axis`: `width` outputs of `dtype` each."""
    moved = np.moveaxis(source, axis, -1)
    lines = 1
    for extent in moved.shape[:-1]:
        lines *= extent
    rows = np.ascontiguousarray(moved).reshape((lines, moved.shape[-1]))  # (-1 is ambiguous for empty lines)
    out = np.empty((rows.shape[0], width), dtype)
    for r in range(rows.shape[0]):
        _fft_row(kind, rows[r], out[r], n, factor)
    return np.moveaxis(out.reshape(moved.shape[:-1] + (width,)), -1, axis)


@njit
def _converted(a, dtype):
    """a in dtype: a itself when it is already (astype would copy every element)."""
    if a.dtype == dtype:
        return a
    return a.astype(dtype)


@njit
def _points(a, n, axis):
    count = a.shape[axis] if n is None else n
    if count < 1:
        raise ValueError("Invalid number of FFT data points specified.")
    return count


@njit
def _complex_transform(a, n, axis, norm, inverse):
    count = _points(a, n, axis)
    kind = _COMPLEX_BACKWARD if inverse else _COMPLEX_FORWARD
    if a.dtype == np.float32 or a.dtype == np.complex64:
        return _lines(kind, _converted(a, np.complex64), axis, count, count, _factor(norm, count, inverse, True),
                      np.complex64)
    return _lines(kind, _converted(a, np.complex128), axis, count, count, _factor(norm, count, inverse, False),
                  np.complex128)


@njit
def _real_forward(a, n, axis, norm):
    count = _points(a, n, axis)
    if a.dtype == np.complex64 or a.dtype == np.complex128:
        raise TypeError("np.fft.rfft takes real input")
    if a.dtype == np.float32:
        return _lines(_REAL_FORWARD, a, axis, count, count // 2 + 1, _factor(norm, count, False, True), np.complex64)
    return _lines(_REAL_FORWARD, _converted(a, np.float64), axis, count, count // 2 + 1,
                  _factor(norm, count, False, False), np.complex128)


@njit
def _real_backward(a, n, axis, norm):
    count = 2 * (a.shape[axis] - 1) if n is None else n
    if count < 1:
        raise ValueError("Invalid number of FFT data points specified.")
    if a.dtype == np.float32 or a.dtype == np.complex64:
        return _lines(_REAL_BACKWARD, _converted(a, np.complex64), axis, count, count, _factor(norm, count, True, True),
                      np.float32)
    return _lines(_REAL_BACKWARD, _converted(a, np.complex128), axis, count, count, _factor(norm, count, True, False),
                  np.float64)


@implements(np.fft.fft)
def fft(a, n=None, axis=-1, norm=None):
    return _complex_transform(a, n, axis, norm, False)


@implements(np.fft.ifft)
def ifft(a, n=None, axis=-1, norm=None):
    return _complex_transform(a, n, axis, norm, True)


@implements(np.fft.rfft)
def rfft(a, n=None, axis=-1, norm=None):
    return _real_forward(a, n, axis, norm)


@implements(np.fft.irfft)
def irfft(a, n=None, axis=-1, norm=None):
    return _real_backward(a, n, axis, norm)


@njit
def _swapped(norm):
    """hfft and ihfft are irfft and rfft of the conjugate with the direction of norm= swapped."""
    if norm is None:
        return "forward"
    if norm == "backward":
        return "forward"
    if norm == "forward":
        return "backward"
    return norm


@implements(np.fft.hfft)
def hfft(a, n=None, axis=-1, norm=None):
    return _real_backward(np.conjugate(a), n, axis, _swapped(norm))


@implements(np.fft.ihfft)
def ihfft(a, n=None, axis=-1, norm=None):
    return np.conjugate(_real_forward(a, n, axis, _swapped(norm)))


@njit
def _axes_and_sizes(a, s, axes):
    """fftn's axes and lengths: every axis when both are None, s's last len(s) axes when only s is given."""
    if axes is None:
        if s is None:
            chosen = np.arange(a.ndim)
        else:
            chosen = np.arange(a.ndim - len(s), a.ndim)
    else:
        chosen = np.array(axes)
    if s is None:
        sizes = np.empty(chosen.size, np.int64)
        for i in range(chosen.size):
            sizes[i] = a.shape[chosen[i]]
    else:
        sizes = np.array(s)
        if sizes.size != chosen.size:
            raise ValueError("Shape and axes have different lengths.")
        for i in range(sizes.size):
            if sizes[i] == -1:  # NumPy 2: the axis' whole length
                sizes[i] = a.shape[chosen[i]]
    return chosen, sizes


@njit
def _complex_nd(a, s, axes, norm, inverse):
    chosen, sizes = _axes_and_sizes(a, s, axes)
    out = _complex_transform(a, sizes[chosen.size - 1], chosen[chosen.size - 1], norm, inverse)
    for i in range(chosen.size - 2, -1, -1):
        out = np.ascontiguousarray(_complex_transform(out, sizes[i], chosen[i], norm, inverse))
    return out


@implements(np.fft.fftn)
def fftn(a, s=None, axes=None, norm=None):
    return _complex_nd(a, s, axes, norm, False)


@implements(np.fft.ifftn)
def ifftn(a, s=None, axes=None, norm=None):
    return _complex_nd(a, s, axes, norm, True)


@implements(np.fft.fft2)
def fft2(a, s=None, axes=None, norm=None):
    if axes is None:  # NumPy's default, (-2, -1): a tuple default cannot be written here
        return _complex_nd(a, s, (-2, -1), norm, False)
    return _complex_nd(a, s, axes, norm, False)


@implements(np.fft.ifft2)
def ifft2(a, s=None, axes=None, norm=None):
    if axes is None:  # NumPy's default, (-2, -1): a tuple default cannot be written here
        return _complex_nd(a, s, (-2, -1), norm, True)
    return _complex_nd(a, s, axes, norm, True)


@njit
def _real_nd_forward(a, s, axes, norm):
    """rfftn: the real transform along the last axis, then complex ones along the others."""
    chosen, sizes = _axes_and_sizes(a, s, axes)
    last = chosen.size - 1
    out = np.ascontiguousarray(_real_forward(a, sizes[last], chosen[last], norm))
    for i in range(last - 1, -1, -1):
        out = np.ascontiguousarray(_complex_transform(out, sizes[i], chosen[i], norm, False))
    return out


@njit
def _real_nd_backward(a, s, axes, norm):
    """irfftn: complex inverse transforms along all but the last axis, then the real one along it."""
    chosen, sizes = _axes_and_sizes(a, s, axes)
    last = chosen.size - 1
    if s is None:
        sizes[last] = 2 * (a.shape[chosen[last]] - 1)
    out = a.astype(np.complex128) if a.dtype != np.complex64 and a.dtype != np.float32 else a.astype(np.complex64)
    for i in range(last):
        out = np.ascontiguousarray(_complex_transform(out, sizes[i], chosen[i], norm, True))
    return _real_backward(out, sizes[last], chosen[last], norm)


@implements(np.fft.rfftn)
def rfftn(a, s=None, axes=None, norm=None):
    return _real_nd_forward(a, s, axes, norm)


@implements(np.fft.irfftn)
def irfftn(a, s=None, axes=None, norm=None):
    return _real_nd_backward(a, s, axes, norm)


@implements(np.fft.rfft2)
def rfft2(a, s=None, axes=None, norm=None):
    if axes is None:  # NumPy's default, (-2, -1): a tuple default cannot be written here
        return _real_nd_forward(a, s, (-2, -1), norm)
    return _real_nd_forward(a, s, axes, norm)


@implements(np.fft.irfft2)
def irfft2(a, s=None, axes=None, norm=None):
    if axes is None:  # NumPy's default, (-2, -1): a tuple default cannot be written here
        return _real_nd_backward(a, s, (-2, -1), norm)
    return _real_nd_backward(a, s, axes, norm)


@implements(np.fft.fftfreq)
def fftfreq(n, d=1.0):
    out = np.empty(n, np.float64)
    scale = 1.0 / (n * d)
    half = (n - 1) // 2 + 1
    for i in range(half):
        out[i] = i * scale
    for i in range(half, n):
        out[i] = (i - n) * scale
    return out


@implements(np.fft.rfftfreq)
def rfftfreq(n, d=1.0):
    scale = 1.0 / (n * d)
    out = np.empty(n // 2 + 1, np.float64)
    for i in range(out.size):
        out[i] = i * scale
    return out


@njit
def _rolled(x, axes, inverse):
    if axes is None:
        out = x.copy()
        for axis in range(x.ndim):
            half = x.shape[axis] // 2
            out = np.roll(out, -half if inverse else half, axis)
        return out
    if isinstance(axes, int):
        half = x.shape[axes] // 2
        return np.roll(x, -half if inverse else half, axes)
    out = x.copy()
    for axis in axes:
        half = x.shape[axis] // 2
        out = np.roll(out, -half if inverse else half, axis)
    return out


@implements(np.fft.fftshift)
def fftshift(x, axes=None):
    return _rolled(np.asarray(x), axes, False)


@implements(np.fft.ifftshift)
def ifftshift(x, axes=None):
    return _rolled(np.asarray(x), axes, True)
