"""Elementary NumPy functions written in Python over the rows numjit has:
np.vdot, np.ptp, np.nan_to_num, np.sinc, np.isposinf / np.isneginf,
np.real / np.imag, np.iscomplex / np.isreal, np.tri, np.diag_indices,
np.fill_diagonal, np.take, np.nanargmax / np.nanargmin, np.nancumsum /
np.nancumprod, np.logspace, np.rot90, np.hsplit / np.vsplit, np.select,
np.trim_zeros, np.diagonal, np.rollaxis."""
import math

import numpy as np

from ..decorators import njit
from .axes import _kept_shape, _lanes
from .registration import extends, implements


@implements(np.vdot)
def vdot(a, b):
    return np.dot(np.conj(a).ravel(), b.ravel())


@implements(np.ptp)
def ptp(a, axis=None):
    if a.dtype == np.bool_:
        raise TypeError("numpy boolean subtract, the `-` operator, is not supported by np.ptp")
    if axis is None or a.ndim == 1:
        # In a's dtype, wrapping as NumPy's does (scalar arithmetic would widen int32 to int64).
        spread = np.empty(1, a.dtype)
        spread[0] = a.max() - a.min()
        return spread[0]
    lanes = _lanes(a, axis)
    return (lanes.max(axis=1) - lanes.min(axis=1)).reshape(_kept_shape(a, axis))


@njit
def _largest(values):
    """The largest finite number of a float (or complex) array's parts, NumPy's default for infinities."""
    if values.dtype == np.float32 or values.dtype == np.complex64:
        return 3.4028234663852886e38
    return 1.7976931348623157e308


@njit
def _finite(v, nan, posinf, neginf):
    if v != v:
        return nan
    if v == math.inf:
        return posinf
    if v == -math.inf:
        return neginf
    return v


@implements(np.nan_to_num)
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    out = x.copy()
    flat = out.reshape(-1)
    high = _largest(flat) if posinf is None else posinf
    low = -_largest(flat) if neginf is None else neginf
    if flat.dtype == np.complex128 or flat.dtype == np.complex64:  # each part on its own, as NumPy
        for i in range(flat.size):
            v = flat[i]
            flat[i] = complex(_finite(v.real, nan, high, low), _finite(v.imag, nan, high, low))
    elif flat.dtype == np.float64 or flat.dtype == np.float32:  # integers and booleans are finite
        for i in range(flat.size):
            flat[i] = _finite(flat[i], nan, high, low)
    return out


@implements(np.sinc)
def sinc(x):
    y = math.pi * np.where(x == 0, 1.0e-20, x)
    return np.sin(y) / y


@implements(np.isposinf)
def isposinf(x):
    return np.isinf(x) & ~np.signbit(x)


@implements(np.isneginf)
def isneginf(x):
    return np.isinf(x) & np.signbit(x)


@implements(np.real)
def real(val):
    return val.real


@implements(np.imag)
def imag(val):
    return val.imag


@implements(np.iscomplex)
def iscomplex(x):
    return x.imag != 0


@implements(np.isreal)
def isreal(x):
    return x.imag == 0


@implements(np.tri)
def tri(N, M=None, k=0):
    columns = N if M is None else M
    out = np.zeros((N, columns))
    for i in range(N):
        for j in range(min(columns, max(i + k + 1, 0))):
            out[i, j] = 1.0
    return out


@implements(np.diag_indices)
def diag_indices(n, ndim=2):
    if ndim != 2:
        raise ValueError("np.diag_indices in compiled code takes ndim=2")
    index = np.arange(n)
    return index, index.copy()


@implements(np.fill_diagonal)
def fill_diagonal(a, val, wrap=False):
    if a.ndim != 2:
        raise ValueError("np.fill_diagonal in compiled code takes 2-D arrays")
    rows, cols = a.shape
    limit = rows if wrap else min(rows, cols)
    # Every (cols + 1)-th element of the flattened array, as NumPy steps through it.
    for flat in range(0, limit * cols, cols + 1):
        a[flat // cols, flat % cols] = val


@implements(np.take)
def take(a, indices):
    flat = a.ravel()
    if not isinstance(indices, np.ndarray):  # a scalar index is not bounds-checked by indexing
        if indices < -flat.size or indices >= flat.size:
            raise IndexError("index out of bounds for the flattened array")
    return flat[indices]


@njit
def _nan_arg_extreme(a, largest):
    """The flat index of the largest (or smallest) value, NaNs skipped."""
    values = a.ravel()
    best = -1
    for i in range(values.size):
        v = values[i]
        if v == v and (best < 0 or (v > values[best] if largest else v < values[best])):
            best = i
    if best < 0:
        raise ValueError("All-NaN slice encountered")
    return best


@implements(np.nanargmax)
def nanargmax(a):
    return _nan_arg_extreme(a, True)


@implements(np.nanargmin)
def nanargmin(a):
    return _nan_arg_extreme(a, False)


@implements(np.nancumsum)
def nancumsum(a):
    values = a.ravel()
    return np.cumsum(np.where(values == values, values, 0))


@implements(np.nancumprod)
def nancumprod(a):
    values = a.ravel()
    return np.cumprod(np.where(values == values, values, 1))


@implements(np.logspace)
def logspace(start, stop, num=50, endpoint=True, base=10.0):
    return np.power(base, np.linspace(start, stop, num, endpoint))


@implements(np.rot90)
def rot90(m, k=1):
    if m.ndim != 2:
        raise ValueError("np.rot90 in compiled code takes 2-D arrays")
    turns = k % 4
    if turns == 0:
        return m.copy()
    if turns == 1:
        return m.T[::-1].copy()
    if turns == 2:
        return m[::-1, ::-1].copy()
    return m.T[:, ::-1].copy()


@implements(np.hsplit)
def hsplit(ary, indices_or_sections):
    return np.split(ary, indices_or_sections, 1 if ary.ndim > 1 else 0)


@implements(np.vsplit)
def vsplit(ary, indices_or_sections):
    if ary.ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return np.split(ary, indices_or_sections, 0)


@implements(np.select)
def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    out = np.where(condlist[-1], choicelist[-1], default)
    for k in range(len(condlist) - 2, -1, -1):  # the first true condition wins
        out = np.where(condlist[k], choicelist[k], out)
    return out


@implements(np.trim_zeros)
def trim_zeros(filt, trim="fb"):
    first = 0
    last = filt.size
    if trim == "fb" or trim == "f":
        while first < last and filt[first] == 0:
            first += 1
    if trim == "fb" or trim == "b":
        while last > first and filt[last - 1] == 0:
            last -= 1
    return filt[first:last]


@implements(np.diagonal)
def diagonal(a, offset=0):
    if a.ndim != 2:
        raise ValueError("np.diagonal in compiled code takes 2-D arrays")
    return np.diag(a, offset)


@implements(np.rollaxis)
def rollaxis(a, axis, start=0):
    n = a.ndim
    if start < 0:
        start += n
    if axis < 0:
        axis += n
    return np.moveaxis(a, axis, start - 1 if axis < start else start)



@extends("np.log2")
def log2_of_complex(z):
    """np.log2 of complex numbers (the row takes real ones): each part of
    log(z) scaled by 1 / log(2), as NumPy (log2(0j) is -inf+0j; a complex
    multiply would make the imaginary part nan), complex64 kept."""
    w = np.log(z)
    scale = 1.4426950408889634  # 1 / log(2)
    if isinstance(w, np.ndarray):  # decided by type
        out = np.empty_like(w)
        out.real[...] = w.real * scale
        out.imag[...] = w.imag * scale
        return out
    return complex(w.real * scale, w.imag * scale)


@extends("np.sign")
def sign_of_complex(z):
    """NumPy 2's sign of complex numbers (the row takes real ones): z / |z|, and 0 for 0."""
    magnitude = np.abs(z)
    return np.where(magnitude == 0, z * 0, z / np.where(magnitude == 0, 1.0, magnitude))
