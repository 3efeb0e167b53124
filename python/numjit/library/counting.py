"""The counting calls the C++ rows (numpy_search.cpp) leave to Python:
np.bincount with weights, np.histogram with an array of edges or weights."""
import numpy as np

from ..decorators import njit
from .registration import extends


@extends("np.bincount")
def bincount(x, weights=None, minlength=0):
    if weights is None:
        return np.bincount(x, minlength=minlength)
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    if x.size != weights.size:
        raise ValueError("The weights and list don't have the same length.")
    top = -1
    for i in range(x.size):
        if x[i] < 0:
            raise ValueError("'list' argument must have no negative elements")
        top = max(top, x[i])
    out = np.zeros(max(top + 1, minlength), np.float64)  # NumPy sums the weights as doubles
    for i in range(x.size):
        out[x[i]] += weights[i]
    return out


@njit
def _uniform_edges(a, bins, range):
    """NumPy's edges for a count of bins: the range (or the data's), widened
    by a half on each side when it is one value, cut in equal parts."""
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    if range is None:
        first, last = (a.min(), a.max()) if a.size else (0.0, 1.0)
    else:
        first, last = range
    if first > last:
        raise ValueError("max must be larger than min in range parameter.")
    if not (np.isfinite(first) and np.isfinite(last)):
        raise ValueError("autodetected range of [" + str(first) + ", " + str(last) + "] is not finite")
    if first == last:
        first, last = first - 0.5, last + 0.5
    if a.dtype == np.float32 and range is None:
        # NumPy's linspace of the data's float32 extremes computes in float32
        step = (np.float32(last) - np.float32(first)) / np.float32(bins)
        edges32 = np.arange(bins + 1).astype(np.float32) * step + np.float32(first)
        edges32[bins] = np.float32(last)
        return edges32
    edges = np.linspace(first, last, bins + 1)
    if a.dtype == np.float32:  # a range's Python floats: computed in float64, then NumPy's data's type
        return edges.astype(np.float32)
    return edges


@njit
def _bin_of(edges, v):
    """The bin of v: edges[k] <= v < edges[k + 1], the last bin closed on the
    right; -1 outside the edges (and for NaN)."""
    last = edges.size - 1
    if not (v >= edges[0] and v <= edges[last]):
        return -1
    if v == edges[last]:
        return last - 1
    lo, hi = 0, last  # edges[lo] <= v < edges[hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if v < edges[mid]:
            hi = mid
        else:
            lo = mid
    return lo


@njit
def _counts(a, edges, weights):
    values = a.ravel()
    if weights is None:
        counts = np.zeros(edges.size - 1, np.int64)
        for i in range(values.size):
            k = _bin_of(edges, values[i])
            if k >= 0:
                counts[k] += 1
        return counts
    w = weights.ravel()
    if w.size != values.size:
        raise ValueError("weights should have the same shape as a.")
    sums = np.zeros(edges.size - 1, w.dtype)  # NumPy sums in the weights' dtype
    for i in range(values.size):
        k = _bin_of(edges, values[i])
        if k >= 0:
            sums[k] += w[i]
    return sums


@extends("np.histogram")
def histogram(a, bins=10, range=None, density=None, weights=None):
    if density is not None and density:  # (its float result could not share a type with the counts)
        raise ValueError("np.histogram(..., density=True) is not supported in compiled code")
    if isinstance(bins, int):
        edges = _uniform_edges(a, bins, range)
    else:
        edges = bins
        for k in np.arange(edges.size - 1):
            if edges[k] > edges[k + 1]:
                raise ValueError("`bins` must increase monotonically, when an array")
    return _counts(a, edges, weights), edges
