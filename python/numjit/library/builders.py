"""Small array builders and comparisons Numba supports: np.array_equal,
np.append, np.ediff1d, np.vander (by running products, as NumPy computes it),
np.triu_indices / np.tril_indices, and the windows np.bartlett, np.blackman,
np.hamming, np.hanning."""
import math

import numpy as np

from ..decorators import njit
from .registration import implements


@implements(np.array_equal)
def array_equal(a1, a2, equal_nan=False):
    if a1.ndim != a2.ndim:  # decided by the types
        return False
    if a1.shape != a2.shape:
        return False
    x = a1.ravel()
    y = a2.ravel()
    for i in range(x.size):
        if x[i] != y[i] and not (equal_nan and x[i] != x[i] and y[i] != y[i]):
            return False
    return True


@njit
def _flat(values):
    """An array's elements, or a number as one element."""
    if isinstance(values, np.ndarray):
        return values.ravel()
    return np.full(1, values)


@implements(np.append)
def append(arr, values, axis=None):
    if axis is None:
        return np.concatenate((_flat(arr), _flat(values)))
    # Joined along a run-time axis: moved to the front, where concatenate joins.
    joined = np.concatenate((np.moveaxis(arr, axis, 0), np.moveaxis(values, axis, 0)))
    return np.ascontiguousarray(np.moveaxis(joined, 0, axis))


@implements(np.ediff1d)
def ediff1d(ary, to_end=None, to_begin=None):
    flat = ary.ravel()
    middle = flat[1:] - flat[:-1] if flat.size else flat[:0]
    if to_begin is not None:
        middle = np.concatenate((_flat(to_begin).astype(flat.dtype), middle))
    if to_end is not None:
        middle = np.concatenate((middle, _flat(to_end).astype(flat.dtype)))
    return middle


@implements(np.vander)
def vander(x, N=None, increasing=False):
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    columns = x.size if N is None else N
    out = np.empty((x.size, columns), (x[:1] * np.ones(1, np.int64)).dtype)  # NumPy: promote_types(x.dtype, int)
    one = np.ones(1, out.dtype)[0]
    for i in range(x.size):
        power = one
        for j in range(columns):
            out[i, j if increasing else columns - 1 - j] = power
            power = power * x[i]
    return out


@njit
def _triangle_indices(n, k, m, upper):
    cols = n if m is None else m
    count = 0
    for i in range(n):
        for j in range(cols):
            if (j - i >= k) if upper else (j - i <= k):
                count += 1
    rows_out = np.empty(count, np.int64)
    cols_out = np.empty(count, np.int64)
    at = 0
    for i in range(n):
        for j in range(cols):
            if (j - i >= k) if upper else (j - i <= k):
                rows_out[at] = i
                cols_out[at] = j
                at += 1
    return rows_out, cols_out


@implements(np.triu_indices)
def triu_indices(n, k=0, m=None):
    return _triangle_indices(n, k, m, True)


@implements(np.tril_indices)
def tril_indices(n, k=0, m=None):
    return _triangle_indices(n, k, m, False)


@njit
def _window(M, a0, a1, a2):
    """a0 + a1 cos(pi n/(M-1)) + a2 cos(2 pi n/(M-1)) at n = 1-M, 3-M, ..., M-1 (NumPy's cosine windows)."""
    if M < 1:
        return np.empty(0)
    if M == 1:
        return np.ones(1)
    n = np.arange(1 - M, M, 2)
    return a0 + a1 * np.cos(math.pi * n / (M - 1)) + a2 * np.cos(2.0 * math.pi * n / (M - 1))


@implements(np.hamming)
def hamming(M):
    return _window(M, 0.54, 0.46, 0.0)


@implements(np.hanning)
def hanning(M):
    return _window(M, 0.5, 0.5, 0.0)


@implements(np.blackman)
def blackman(M):
    return _window(M, 0.42, 0.5, 0.08)


@implements(np.bartlett)
def bartlett(M):
    if M < 1:
        return np.empty(0)
    if M == 1:
        return np.ones(1)
    n = np.arange(1 - M, M, 2)
    return np.where(n <= 0, 1 + n / (M - 1), 1 - n / (M - 1))
