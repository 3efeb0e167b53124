"""Where the non-zero elements are: np.flatnonzero, np.argwhere, np.nonzero,
np.count_nonzero."""
import numpy as np

from ..decorators import njit
from .registration import extends, implements


@implements(np.count_nonzero)
def count_nonzero(a, axis=None):
    if axis is not None:
        return _count_nonzero_along(np.asarray(a), axis)
    count = 0
    for value in np.asarray(a).ravel():
        if value != 0:
            count += 1
    return count


@njit
def _count_nonzero_along(a, axis):
    """The count along one axis (an int, as Numba takes it): lanes with that axis last."""
    if axis < -a.ndim or axis >= a.ndim:
        raise np.exceptions.AxisError("axis " + str(axis) + " is out of bounds for array of dimension "
                                      + str(a.ndim))
    if a.ndim == 1:
        return count_nonzero(a)
    lanes = np.ascontiguousarray(np.moveaxis(a, axis, -1))
    rows = 1
    for extent in lanes.shape[:-1]:
        rows *= extent
    flat = lanes.reshape(rows, lanes.shape[-1])
    out = np.zeros(rows, np.int64)
    for i in range(flat.shape[0]):
        for j in range(flat.shape[1]):
            if flat[i, j] != 0:
                out[i] += 1
    return out.reshape(lanes.shape[:-1])


@implements(np.flatnonzero)
def flatnonzero(a):
    flat = np.asarray(a).ravel()
    out = np.empty(count_nonzero(flat), np.int64)
    k = 0
    for i in range(flat.size):
        if flat[i] != 0:
            out[k] = i
            k += 1
    return out


@implements(np.argwhere)
def argwhere(a):
    """Row k holds the index (one column per dimension) of the k-th non-zero element."""
    flat = flatnonzero(a)
    shape = np.shape(a)
    ndim = len(shape)
    out = np.empty((flat.size, ndim), np.int64)
    for k in range(flat.size):
        rest = flat[k]
        for d in range(ndim - 1, -1, -1):
            out[k, d] = rest % shape[d]
            rest //= shape[d]
    return out


@implements(np.nonzero)
def nonzero(a):
    """One index array per dimension (arrays up to 4-D)."""
    where = argwhere(a)
    if a.ndim == 1:
        return (where[:, 0].copy(),)
    if a.ndim == 2:
        return where[:, 0].copy(), where[:, 1].copy()
    if a.ndim == 3:
        return where[:, 0].copy(), where[:, 1].copy(), where[:, 2].copy()
    if a.ndim == 4:
        return where[:, 0].copy(), where[:, 1].copy(), where[:, 2].copy(), where[:, 3].copy()
    raise ValueError("np.nonzero in compiled code supports arrays of up to 4 dimensions")


@implements(np.ndim)
def ndim(a):
    return a.ndim


@implements(np.shape)
def shape(a):
    return a.shape


@implements(np.size)
def size(a):
    return a.size


@implements(np.digitize)
def digitize(x, bins, right=False):
    """The bin index of each x: i with bins[i-1] <= x < bins[i] for increasing
    bins, bins[i-1] > x >= bins[i] for decreasing ones."""
    if bins.size > 1 and bins[0] > bins[bins.size - 1]:
        ascending = bins[::-1]
        if right:
            return bins.size - np.searchsorted(ascending, x, side="left")
        return bins.size - np.searchsorted(ascending, x, side="right")
    if right:
        return np.searchsorted(bins, x, side="left")
    return np.searchsorted(bins, x, side="right")


@extends("np.nditer")
def nditer(a):
    """Iterating np.nditer(a) over one array visits its elements in memory
    order; here each step yields the element as a number (x.item() and
    arithmetic work on it as on NumPy's 0-d views). Writing through the
    iterator (op_flags=['readwrite']) is not supported."""
    if a.flags.c_contiguous:
        return a.ravel()
    if a.flags.f_contiguous:
        return a.T.ravel()  # memory order, as NumPy's default order='K' walks it: a view, no copy
    return _memory_order_copy(a)


@njit
def _memory_order_copy(a):
    """a's elements in the order NumPy's order='K' visits them: axes with a
    negative stride walked backwards, and the axes ordered by decreasing
    stride magnitude (ties keep their order, as NumPy's insertion sort does)."""
    flat = a.ravel()  # C order: the element at multi-index i is flat[sum(i * c_strides)]
    shape = np.array(a.shape, np.int64)
    strides = np.array(a.strides, np.int64)
    order = np.argsort(-np.abs(strides), kind="stable")  # outermost axis first
    c_strides = np.ones(a.ndim, np.int64)
    for d in range(a.ndim - 2, -1, -1):
        c_strides[d] = c_strides[d + 1] * shape[d + 1]
    out = np.empty(flat.size, flat.dtype)
    counter = np.zeros(a.ndim, np.int64)  # the multi-index, by position in `order`
    for k in range(flat.size):
        index = 0
        for p in range(a.ndim):
            axis = order[p]
            i = counter[p] if strides[axis] >= 0 else shape[axis] - 1 - counter[p]
            index += i * c_strides[axis]
        out[k] = flat[index]
        for p in range(a.ndim - 1, -1, -1):  # the innermost position steps first
            counter[p] += 1
            if counter[p] < shape[order[p]]:
                break
            counter[p] = 0
    return out


@extends("np.where")
def where_(condition):
    """np.where(condition) with one argument is np.nonzero(condition)."""
    return nonzero(condition)
