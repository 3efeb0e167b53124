"""Reductions and scans along one axis of an N-D array, for the calls the C++
rows do not take (argmax/argmin/var/std/median/cumsum/cumprod/sort/argsort
with axis=, np.average with weights), and np.round. Beyond 2-D the axis is
moved last in a C-ordered copy whose other axes merge into rows (`_lanes`);
a reduction's rows of results take the shape of the axes kept
(`_kept_shape`), and a scan or sort moves its axis back
(`_from_moved`)."""
import numpy as np

from ..decorators import njit
from .registration import extends, implements

AxisError = np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError


@njit
def _check_axis(a, axis):
    if axis < -a.ndim or axis >= a.ndim:
        raise AxisError("axis is out of bounds for the array")
    return axis + a.ndim if axis < 0 else axis


@njit
def _lanes(a, axis):
    """A 2-D array with the axis last: one row per output element. A 2-D a's
    view; beyond 2-D, rows of a C-ordered copy with the axis moved last."""
    if a.ndim == 2:
        return a.T if _check_axis(a, axis) == 0 else a
    return _moved_copy(a, axis)[1]


@njit
def _rows(moved):
    """The product of every extent but the last (a count of zero rows stays zero)."""
    rows = 1
    for extent in moved.shape[:-1]:
        rows *= extent
    return rows


@njit
def _kept_shape(a, axis):
    """a's shape without `axis`: a reduction's result."""
    return np.moveaxis(a, _check_axis(a, axis), -1).shape[:-1]


@njit
def _moved_copy(a, axis):
    """A C-ordered copy of a with `axis` last, and its rows (views into it)."""
    moved = np.moveaxis(a, _check_axis(a, axis), -1).copy()
    return moved, moved.reshape((_rows(moved), moved.shape[-1]))


@njit
def _from_moved(moved, a, axis):
    """The C-ordered array of a's shape whose `axis` is moved's last."""
    return np.ascontiguousarray(np.moveaxis(moved, -1, _check_axis(a, axis)))


@njit
def _arg_extreme(a, axis, which):
    """argmax (which == "max") or argmin along an axis; `which` is a string
    constant, so each specialization keeps one branch."""
    if a.ndim == 1:
        _check_axis(a, axis)
        return np.full(1, a.argmax() if which == "max" else a.argmin())[0]
    lanes = _lanes(a, axis)
    out = np.empty(lanes.shape[0], np.int64)
    for i in range(lanes.shape[0]):
        out[i] = lanes[i].argmax() if which == "max" else lanes[i].argmin()
    return out.reshape(_kept_shape(a, axis))


@extends("np.argmax", "array.argmax")
def argmax(a, axis=None):
    if axis is None:
        return a.argmax()
    return _arg_extreme(a, axis, "max")


@extends("np.argmin", "array.argmin")
def argmin(a, axis=None):
    if axis is None:
        return a.argmin()
    return _arg_extreme(a, axis, "min")


@extends("np.var", "array.var")
def var(a, axis=None, ddof=0):
    if axis is None:
        centred = a - a.mean()
        return (centred * np.conj(centred)).real.sum() / (a.size - ddof)
    if a.ndim == 1:
        _check_axis(a, axis)
        return var(a, None, ddof)
    lanes = _lanes(a, axis)
    # NumPy's dtype for a variance: float32 for float32 and complex64, float64 otherwise.
    out = np.empty(lanes.shape[0], (np.abs(lanes[:0, :0]) * 1.0).dtype)
    for i in range(lanes.shape[0]):
        out[i] = var(lanes[i], None, ddof)
    return out.reshape(_kept_shape(a, axis))


@extends("np.std", "array.std")
def std(a, axis=None, ddof=0):
    return np.sqrt(var(a, axis, ddof))


@extends("np.median")
def median(a, axis=None):
    if axis is None:
        return np.median(a)
    if a.ndim == 1:
        _check_axis(a, axis)
        return np.median(a)
    lanes = _lanes(a, axis)
    out = np.empty(lanes.shape[0], (lanes[:0, :0] * 1.0).dtype)  # float32 stays float32, as in NumPy
    for i in range(lanes.shape[0]):
        out[i] = np.median(lanes[i])
    return out.reshape(_kept_shape(a, axis))


@njit
def _scan(a, axis, multiply):
    axis = _check_axis(a, axis)
    if a.ndim == 1:
        return np.cumprod(a) if multiply else np.cumsum(a)
    if a.ndim > 2:
        moved, lanes = _moved_copy(a, axis)
        scanned = _scan(lanes, 1, multiply)
        return _from_moved(scanned.reshape(moved.shape), a, axis)
    # The flat scan has NumPy's result type (small integers widen to int64); its values are replaced.
    out = (np.cumprod(a) if multiply else np.cumsum(a)).reshape(a.shape)
    out[:, :] = a
    rows, cols = a.shape
    if axis == 0:
        for i in range(1, rows):
            for j in range(cols):
                out[i, j] = out[i - 1, j] * out[i, j] if multiply else out[i - 1, j] + out[i, j]
    else:
        for i in range(rows):
            for j in range(1, cols):
                out[i, j] = out[i, j - 1] * out[i, j] if multiply else out[i, j - 1] + out[i, j]
    return out


@njit
def _scan_in_dtype(values, axis, multiply):
    """A scan in the values' own dtype (cumsum(dtype=)), wrapping as NumPy's
    does: along the rows of a copy with the axis last (all of it flat for
    axis None)."""
    if axis is None:
        moved, lanes = _moved_copy(values.ravel(), 0)
    else:
        moved, lanes = _moved_copy(values, axis)
    for i in range(lanes.shape[0]):
        for j in range(1, lanes.shape[1]):
            lanes[i, j] = lanes[i, j - 1] * lanes[i, j] if multiply else lanes[i, j - 1] + lanes[i, j]
    if axis is None:
        return moved
    return _from_moved(moved, values, axis)


@extends("np.cumsum", "array.cumsum")
def cumsum(a, axis=None, dtype=None):
    if dtype is not None:  # accumulated in dtype, as NumPy
        return _scan_in_dtype(a.astype(dtype), axis, False)
    if axis is None:
        return np.cumsum(a)
    return _scan(a, axis, False)


@extends("np.cumprod", "array.cumprod")
def cumprod(a, axis=None, dtype=None):
    if dtype is not None:
        return _scan_in_dtype(a.astype(dtype), axis, True)
    if axis is None:
        return np.cumprod(a)
    return _scan(a, axis, True)


@extends("np.trace", "array.trace")
def trace(a, offset=0):
    """np.trace with offset= (the row takes the main diagonal)."""
    return np.diag(a, offset).sum()


@extends("np.dot", "array.dot")
def dot_into(a, b, out=None):
    """np.dot(a, b, out=out): the product written into out, which is returned."""
    if out is None:
        return np.dot(a, b)
    out[...] = np.dot(a, b)
    return out


@extends("np.sort")
def sort(a, axis=-1):
    if axis is None:
        return np.sort(a.ravel())
    if a.ndim == 1:
        _check_axis(a, axis)
        return np.sort(a)
    if a.ndim > 2:
        moved, lanes = _moved_copy(a, axis)
        for i in range(lanes.shape[0]):
            lanes[i] = np.sort(lanes[i])
        return _from_moved(moved, a, axis)
    out = a.copy()
    lanes = _lanes(out, axis)
    for i in range(lanes.shape[0]):
        lanes[i] = np.sort(lanes[i])
    return out


@extends("array.sort")
def sort_in_place(a, axis=-1):
    if a.ndim > 2:
        a[...] = sort(a, axis)
        return
    lanes = _lanes(a, axis) if a.ndim == 2 else a.reshape(1, a.size)
    for i in range(lanes.shape[0]):
        lanes[i] = np.sort(lanes[i])


@extends("np.average")
def average(a, axis=None, weights=None):
    if weights is None:
        return np.mean(a) if axis is None else np.mean(a, axis=axis)
    if axis is None:
        total = (a * weights).sum()
        scale = weights.sum()
        if scale == 0:
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        return total / scale
    lanes = _lanes(a, axis)
    out = np.empty(lanes.shape[0], np.float64)
    scale = weights.sum()
    for i in range(lanes.shape[0]):
        out[i] = (lanes[i] * weights).sum() / scale
    return out.reshape(_kept_shape(a, axis))


@njit
def _round_value(x, scale):
    if scale == 1.0:
        return np.rint(x)
    return np.rint(x * scale) / scale


@implements(np.round, np.around, *( [np.round_] if hasattr(np, "round_") else []))
def round_(a, decimals=0):
    """Round half to even at `decimals` places (negative: to tens, hundreds...)."""
    scale = 10.0 ** decimals
    if a.ndim == 0:
        if decimals < 0:
            return np.rint(a / (10.0 ** -decimals)) * (10.0 ** -decimals)
        return _round_value(a, scale)
    flat = np.empty(a.size, a.dtype)
    values = a.ravel()
    for i in range(values.size):
        if decimals < 0:
            flat[i] = np.rint(values[i] / (10.0 ** -decimals)) * (10.0 ** -decimals)
        else:
            flat[i] = _round_value(values[i], scale)
    return flat.reshape(a.shape)


@extends("np.argsort", "array.argsort")
def argsort(a, axis=-1, kind=None):
    """kind= is accepted and ignored: numjit's argsort is always stable."""
    if a.ndim == 1:
        _check_axis(a, axis)
        return np.argsort(a)
    lanes_in = _lanes(a, axis)
    if a.ndim > 2:
        moved, lanes_out = _moved_copy(np.empty(a.shape, np.int64), axis)
        for i in range(lanes_in.shape[0]):
            lanes_out[i] = np.argsort(lanes_in[i])
        return _from_moved(moved, a, axis)
    out = np.empty(a.shape, np.int64)
    lanes_out = _lanes(out, axis)
    for i in range(lanes_in.shape[0]):
        lanes_out[i] = np.argsort(lanes_in[i])
    return out


@implements(np.column_stack)
def column_stack(arrays):
    if arrays[0].ndim == 1:
        return stack(arrays, 1)
    return np.concatenate(arrays, axis=1)


@extends("np.stack")
def stack(arrays, axis=0):
    """np.stack along any axis: the C++ row's stack along a new first axis, that axis moved into place."""
    stacked = np.stack(arrays)
    ndim = stacked.ndim
    if axis < -ndim or axis >= ndim:
        raise np.exceptions.AxisError("axis " + str(axis) + " is out of bounds for array of dimension " + str(ndim))
    if axis < 0:
        axis += ndim
    if axis == 0:
        return stacked
    return np.ascontiguousarray(np.moveaxis(stacked, 0, axis))


@extends("np.sum", "array.sum")
def sum_in_dtype(a, axis=None, dtype=None):
    """np.sum/a.sum calls the C++ row does not take: an axis known only at
    run time, and dtype=. Integers are summed in `dtype` element by element
    (they wrap as NumPy's do, in any order); floats and complex numbers by
    the row's own reduction of the converted array (NumPy's pairwise sum is
    as accurate)."""
    values = np.asarray(a) if dtype is None else np.asarray(a).astype(dtype)
    if dtype is None or values.dtype.kind == "f" or values.dtype.kind == "c" or values.dtype.kind == "b":
        return _sum_along(values, axis)
    if axis is None:
        total = np.zeros(1, values.dtype)
        for value in values.ravel():
            total[0] += value
        return total[0]
    if values.ndim == 1:
        _check_axis(values, axis)
        return sum_in_dtype(values, None, dtype)
    lanes = np.ascontiguousarray(np.moveaxis(values, _check_axis(values, axis), -1))
    rows = 1
    for extent in lanes.shape[:-1]:
        rows *= extent
    flat = lanes.reshape(rows, lanes.shape[-1])
    out = np.zeros(rows, values.dtype)
    for i in range(rows):
        for j in range(flat.shape[1]):
            out[i] += flat[i, j]
    return out.reshape(lanes.shape[:-1])


@njit
def _sum_along(values, axis):
    """The row's sum along an axis known only at run time: one call per
    possible axis, each with its constant (the others' are pruned by ndim)."""
    if axis is None:
        return np.sum(values)
    k = _check_axis(values, axis)
    if values.ndim > 3 and k == 3:
        return np.sum(values, 3)
    if values.ndim > 2 and k == 2:
        return np.sum(values, 2)
    if values.ndim > 1 and k == 1:
        return np.sum(values, 1)
    if values.ndim > 4:
        raise ValueError("np.sum along an axis known only at run time takes arrays of up to 4 dimensions")
    return np.sum(values, 0)
