"""Functions that add, remove or regroup elements: np.insert, np.delete,
np.extract, np.resize, np.dstack / np.dsplit / np.row_stack,
np.take_along_axis, np.indices, np.tril_indices_from / np.triu_indices_from."""
import numpy as np

from ..decorators import njit

_AxisError = np.exceptions.AxisError
from .registration import implements


@njit
def _positions(obj, n):
    """The flat positions `obj` names (an integer or an array of them), made non-negative and checked."""
    if isinstance(obj, np.ndarray):
        chosen = obj.ravel().astype(np.int64)
    else:
        chosen = np.full(1, obj)
    for i in range(chosen.size):
        if chosen[i] < -n or chosen[i] >= n:
            raise IndexError("index out of bounds for axis 0")
        if chosen[i] < 0:
            chosen[i] += n
    return chosen


@implements(np.delete)
def delete(arr, obj):
    """np.delete(arr, obj) without axis=: arr flattened, less the elements obj names."""
    flat = np.asarray(arr).ravel()
    if isinstance(obj, np.ndarray):
        if obj.dtype == np.bool_:  # a mask of the elements to remove (NumPy 2)
            if obj.size != flat.size:
                raise ValueError("boolean array argument obj to delete must be one dimensional and match the axis "
                                 "length")
            return flat[np.logical_not(obj.ravel())]
    keep = np.ones(flat.size, np.bool_)
    keep[_positions(obj, flat.size)] = False
    return flat[keep]


@implements(np.insert)
def insert(arr, obj, values):
    """np.insert(arr, obj, values) without axis=: values placed before the flat position obj (an integer)."""
    flat = np.asarray(arr).ravel()
    n = flat.size
    if obj < -n or obj > n:
        raise IndexError("index out of bounds for axis 0")
    at = obj + n if obj < 0 else obj
    if isinstance(values, np.ndarray):
        added = values.ravel().astype(flat.dtype)
    else:
        added = np.full(1, values).astype(flat.dtype)
    out = np.empty(n + added.size, flat.dtype)
    out[:at] = flat[:at]
    out[at:at + added.size] = added
    out[at + added.size:] = flat[at:]
    return out


@implements(np.extract)
def extract(condition, arr):
    return np.take(arr, np.nonzero(np.asarray(condition).ravel())[0])


@implements(np.resize)
def resize(a, new_shape):
    """a's elements in C order, repeated as often as the new shape needs."""
    flat = np.asarray(a).ravel()
    out = np.empty(new_shape, flat.dtype)
    target = out.reshape(-1)
    if flat.size == 0:
        target[:] = 0
        return out
    for i in range(target.size):
        target[i] = flat[i % flat.size]
    return out


@njit
def _at_least_3d(a):
    """np.dstack's view of an operand: (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""
    if a.ndim == 1:
        return a.reshape((1, a.shape[0], 1))
    if a.ndim == 2:
        return a.reshape((a.shape[0], a.shape[1], 1))
    return a


@implements(np.dstack)
def dstack(tup):
    """Up to four arrays (a tuple's length is its type's, so each count is its own specialization)."""
    if len(tup) == 1:
        return np.concatenate((_at_least_3d(tup[0]),), axis=2)
    if len(tup) == 2:
        return np.concatenate((_at_least_3d(tup[0]), _at_least_3d(tup[1])), axis=2)
    if len(tup) == 3:
        return np.concatenate((_at_least_3d(tup[0]), _at_least_3d(tup[1]), _at_least_3d(tup[2])), axis=2)
    if len(tup) != 4:
        raise NotImplementedError("np.dstack in compiled code takes one to four arrays")
    return np.concatenate((_at_least_3d(tup[0]), _at_least_3d(tup[1]), _at_least_3d(tup[2]),
                           _at_least_3d(tup[3])), axis=2)


@implements(np.dsplit)
def dsplit(ary, indices_or_sections):
    if ary.ndim < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return np.split(ary, indices_or_sections, 2)


@implements(np.row_stack)
def row_stack(tup):
    """np.vstack of up to four arrays, each 1-D one a row."""
    if len(tup) == 1:
        return np.vstack((np.atleast_2d(tup[0]),))
    if len(tup) == 2:
        return np.vstack((np.atleast_2d(tup[0]), np.atleast_2d(tup[1])))
    if len(tup) == 3:
        return np.vstack((np.atleast_2d(tup[0]), np.atleast_2d(tup[1]), np.atleast_2d(tup[2])))
    if len(tup) != 4:
        raise NotImplementedError("np.row_stack in compiled code takes one to four arrays")
    return np.vstack((np.atleast_2d(tup[0]), np.atleast_2d(tup[1]), np.atleast_2d(tup[2]), np.atleast_2d(tup[3])))


@implements(np.take_along_axis)
def take_along_axis(arr, indices, axis):
    """out[..., i, ...] = arr[..., indices[..., i, ...], ...] along `axis` (1-D and 2-D), the other axis broadcast."""
    if arr.ndim != indices.ndim:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    if axis < -arr.ndim or axis >= arr.ndim:
        raise _AxisError("axis out of bounds for the array")
    along = axis + arr.ndim if axis < 0 else axis
    for index in indices.ravel():
        if index < -arr.shape[along] or index >= arr.shape[along]:
            raise IndexError("index out of bounds in np.take_along_axis")
    if arr.ndim == 1:
        return arr[indices]
    if arr.ndim != 2:
        raise NotImplementedError("np.take_along_axis in compiled code takes 1-D and 2-D arrays")
    other = 1 - along
    across = indices.shape[other] if arr.shape[other] == 1 else arr.shape[other]
    if indices.shape[other] != across and indices.shape[other] != 1:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together")
    shape = (across, indices.shape[1]) if along == 1 else (indices.shape[0], across)
    out = np.empty(shape, arr.dtype)
    for i in range(shape[0]):
        for j in range(shape[1]):
            if along == 1:
                out[i, j] = arr[i if arr.shape[0] > 1 else 0, indices[i if indices.shape[0] > 1 else 0, j]]
            else:
                out[i, j] = arr[indices[i, j if indices.shape[1] > 1 else 0], j if arr.shape[1] > 1 else 0]
    return out


@implements(np.indices)
def indices(dimensions):
    """np.indices for a tuple of 1 to 3 lengths: one grid of indices per axis."""
    if len(dimensions) == 1:
        out = np.empty((1, dimensions[0]), np.int64)
        out[0] = np.arange(dimensions[0])
        return out
    if len(dimensions) == 2:
        out = np.empty((2, dimensions[0], dimensions[1]), np.int64)
        for i in range(dimensions[0]):
            for j in range(dimensions[1]):
                out[0, i, j] = i
                out[1, i, j] = j
        return out
    if len(dimensions) != 3:
        raise NotImplementedError("np.indices in compiled code takes 1 to 3 dimensions")
    out = np.empty((3, dimensions[0], dimensions[1], dimensions[2]), np.int64)
    for i in range(dimensions[0]):
        for j in range(dimensions[1]):
            for k in range(dimensions[2]):
                out[0, i, j, k] = i
                out[1, i, j, k] = j
                out[2, i, j, k] = k
    return out


@implements(np.tril_indices_from)
def tril_indices_from(arr, k=0):
    if arr.ndim != 2:
        raise ValueError("input array must be 2-d")
    return np.tril_indices(arr.shape[-2], k, arr.shape[-1])


@implements(np.triu_indices_from)
def triu_indices_from(arr, k=0):
    if arr.ndim != 2:
        raise ValueError("input array must be 2-d")
    return np.triu_indices(arr.shape[-2], k, arr.shape[-1])
