"""Shape functions written in Python: np.split and np.array_split (views,
along any axis through np.moveaxis), np.roll along an axis, np.pad (constant and edge modes) and np.meshgrid.
The view-making ones that need code generation (np.expand_dims,
np.moveaxis, np.broadcast_to, ...) are C++ rows in library/numpy_views.cpp."""
import numpy as np

from ..decorators import njit
from .registration import extends, implements


@njit
def _split_bounds(n, indices_or_sections, equal):
    """The start of each piece, then n: from a count of sections or a sequence of split points."""
    bounds = [0]
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        if equal and n % sections:
            raise ValueError("array split does not result in an equal division")
        each, extra = n // sections, n % sections
        for i in range(sections):
            bounds.append(bounds[-1] + each + (1 if i < extra else 0))
        return bounds
    for point in indices_or_sections:
        bounds.append(int(point))
    bounds.append(n)
    return bounds


@njit
def _split(a, indices_or_sections, axis, equal):
    moved = np.moveaxis(a, axis, 0)
    bounds = _split_bounds(moved.shape[0], indices_or_sections, equal)
    pieces = []
    for k in range(len(bounds) - 1):
        pieces.append(np.moveaxis(moved[bounds[k]:bounds[k + 1]], 0, axis))
    return pieces


@implements(np.split)
def split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, True)


@implements(np.array_split)
def array_split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, False)


@extends("np.roll")
def roll(a, shift, axis=None):
    if axis is None:
        return np.roll(a, shift)
    out = np.empty(a.shape, a.dtype)
    source = np.moveaxis(a, axis, 0)
    target = np.moveaxis(out, axis, 0)
    n = source.shape[0]
    if n == 0:
        return out
    s = shift % n
    target[s:] = source[:n - s]
    target[:s] = source[n - s:]
    return out


@njit
def _pad_widths(pad_width, ndim):
    """(before, after) for each axis, from an int, (n,), (before, after) or one pair per axis."""
    widths = np.empty((ndim, 2), np.int64)
    flat = np.full(1, pad_width) if isinstance(pad_width, int) else np.array(pad_width).ravel()
    if flat.size == 1:
        widths[:, :] = flat[0]
    elif flat.size == 2:
        widths[:, 0] = flat[0]
        widths[:, 1] = flat[1]
    elif flat.size == 2 * ndim:
        widths[:, :] = flat.reshape((ndim, 2))
    else:
        raise ValueError("pad_width does not match the array's dimensions")
    if (widths < 0).any():
        raise ValueError("index can't contain negative values")
    return widths


@implements(np.pad)
def pad(array, pad_width, mode="constant", constant_values=0):
    if array.ndim > 2:
        raise ValueError("np.pad in compiled code takes arrays of up to two dimensions")
    if mode != "constant" and mode != "edge":
        raise ValueError("np.pad in compiled code supports mode='constant' and mode='edge'")
    widths = _pad_widths(pad_width, array.ndim)
    block = np.atleast_2d(array)
    if array.ndim == 1:
        top, bottom, left, right = 0, 0, widths[0, 0], widths[0, 1]
    else:
        top, bottom, left, right = widths[0, 0], widths[0, 1], widths[1, 0], widths[1, 1]
    rows, cols = block.shape
    out = np.empty((rows + top + bottom, cols + left + right), array.dtype)
    if mode == "edge" and (rows == 0 or cols == 0) and out.size:
        raise ValueError("can't extend empty axis using modes other than 'constant' or 'empty'")
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            r, c = i - top, j - left
            inside = 0 <= r < rows and 0 <= c < cols
            if inside:
                out[i, j] = block[r, c]
            elif mode == "edge":
                out[i, j] = block[min(max(r, 0), rows - 1), min(max(c, 0), cols - 1)]
            else:
                out[i, j] = constant_values
    if array.ndim == 1:
        return out[0].copy()
    return out


@implements(np.meshgrid)
def meshgrid(x, y, indexing="xy"):
    if indexing != "xy" and indexing != "ij":
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    xs = x.ravel()
    ys = y.ravel()
    if indexing == "xy":
        shape = (ys.size, xs.size)
    else:
        shape = (xs.size, ys.size)
    gx = np.empty(shape, xs.dtype)
    gy = np.empty(shape, ys.dtype)
    for i in range(shape[0]):
        for j in range(shape[1]):
            if indexing == "xy":
                gx[i, j] = xs[j]
                gy[i, j] = ys[i]
            else:
                gx[i, j] = xs[i]
                gy[i, j] = ys[j]
    return gx, gy
