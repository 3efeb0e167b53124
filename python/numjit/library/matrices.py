"""Building and cutting matrices: np.diag, np.triu, np.tril, np.flip,
np.fliplr, np.flipud, np.cross, np.kron."""
import numpy as np

from ..decorators import njit
from .registration import implements


@implements(np.diag)
def diag(v, k=0):
    """A 1-D v becomes a square matrix with v on diagonal k; a 2-D v gives its diagonal k."""
    if v.ndim == 1:
        n = v.size + abs(k)
        out = np.zeros((n, n), v.dtype)
        for i in range(v.size):
            if k >= 0:
                out[i, i + k] = v[i]
            else:
                out[i - k, i] = v[i]
        return out
    rows, cols = v.shape
    if k >= 0:
        count = max(0, min(rows, cols - k))
    else:
        count = max(0, min(rows + k, cols))
    out = np.empty(count, v.dtype)
    for i in range(count):
        out[i] = v[i, i + k] if k >= 0 else v[i - k, i]
    return out


@implements(np.diagflat)
def diagflat(v, k=0):
    return diag(np.asarray(v).ravel(), k)


@njit
def _stacked_matrices(m):
    """A C-ordered copy of m and a 3-D view of it: the matrices of its last two axes, one after another."""
    out = m.copy()
    return out, out.reshape((-1, m.shape[-2], m.shape[-1]))


@implements(np.triu)
def triu(m, k=0):
    out, matrices = _stacked_matrices(m)
    for b in range(matrices.shape[0]):
        for i in range(matrices.shape[1]):
            for j in range(min(max(i + k, 0), matrices.shape[2])):
                matrices[b, i, j] = 0
    return out


@implements(np.tril)
def tril(m, k=0):
    out, matrices = _stacked_matrices(m)
    for b in range(matrices.shape[0]):
        for i in range(matrices.shape[1]):
            for j in range(max(i + k + 1, 0), matrices.shape[2]):
                matrices[b, i, j] = 0
    return out


@implements(np.fliplr)
def fliplr(m):
    return m[:, ::-1]


@implements(np.flipud)
def flipud(m):
    return m[::-1]


@implements(np.flip)
def flip(m):
    if m.ndim == 1:
        return m[::-1]
    if m.ndim == 2:
        return m[::-1, ::-1]
    if m.ndim == 3:
        return m[::-1, ::-1, ::-1]
    raise ValueError("np.flip in compiled code supports arrays of up to 3 dimensions")


@implements(np.cross)
def cross(a, b):
    """The cross product of two 3-vectors, or row by row of two (n, 3) arrays."""
    if a.ndim == 2:
        rows = np.zeros((a.shape[0], 3), (a[:1, :1] * b[:1, :1]).dtype)
        for i in range(a.shape[0]):
            rows[i, 0] = a[i, 1] * b[i, 2] - a[i, 2] * b[i, 1]
            rows[i, 1] = a[i, 2] * b[i, 0] - a[i, 0] * b[i, 2]
            rows[i, 2] = a[i, 0] * b[i, 1] - a[i, 1] * b[i, 0]
        return rows
    if a.size != 3 or b.size != 3:
        raise ValueError("np.cross in compiled code takes two vectors of length 3")
    out = np.zeros(3, (a[:1] * b[:1]).dtype)
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out


@njit
def _as_matrix(a):
    """A 1-D array as one row, as np.kron sees it beside a 2-D one."""
    if a.ndim == 1:
        return np.ascontiguousarray(a).reshape(1, a.size)
    return a


@implements(np.kron)
def kron(a, b):
    """The Kronecker product of 1-D and 2-D arrays (1-D with 1-D gives 1-D)."""
    if a.ndim > 2 or b.ndim > 2:
        raise ValueError("np.kron takes 1-D and 2-D arrays in compiled code")
    x, y = _as_matrix(a), _as_matrix(b)
    ra, ca = x.shape
    rb, cb = y.shape
    out = np.zeros((ra * rb, ca * cb), (x[:1, :1] * y[:1, :1]).dtype)
    for i in range(ra):
        for j in range(ca):
            out[i * rb:(i + 1) * rb, j * cb:(j + 1) * cb] = x[i, j] * y
    if a.ndim == 1 and b.ndim == 1:
        return out.reshape(ca * cb)
    return out
