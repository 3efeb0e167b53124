"""Iteration protocols: np.ndindex loops, np.nditer (over an F-ordered array,
and over two operands), np.ndenumerate, zip over two F-ordered arrays,
a.flat of a transposed view."""
import numpy as np

from . import kernel, pick, rng

FAMILY = 'iteration'


def cube_data(quick):
    n = pick(quick, 100, 40)
    return (rng(80).standard_normal((n, n, n)),)


NDINDEX_SUM = '''
@njit
def ndindex_weighted_sum(a):
    s = 0.0
    for idx in np.ndindex(a.shape):
        s += a[idx] * (idx[0] + 2 * idx[1] + 3 * idx[2])
    return s
'''


def ndindex_sum_numpy(a):
    i, j, k = np.indices(a.shape)
    return (a * (i + 2 * j + 3 * k)).sum()


kernel('ndindex_weighted_sum', FAMILY, NDINDEX_SUM, cube_data, numpy=ndindex_sum_numpy,
       rtol=1e-12, numpy_rtol=1e-9, note='for idx in np.ndindex(a.shape) over 100**3, a[idx]')

NDINDEX_FILL = '''
@njit
def ndindex_radius(shape, cx, cy):
    out = np.empty(shape)
    for i, j in np.ndindex(shape):
        out[i, j] = math.sqrt((i - cx) ** 2 + (j - cy) ** 2)
    return out
'''


def ndindex_fill_numpy(shape, cx, cy):
    i, j = np.indices(shape)
    return np.sqrt((i - cx) ** 2 + (j - cy) ** 2)


kernel('ndindex_radius', FAMILY, NDINDEX_FILL,
       lambda quick: ((pick(quick, 1500, 300), pick(quick, 1000, 200)), 700.5, 400.25),
       numpy=ndindex_fill_numpy, rtol=0.0, numpy_rtol=1e-15,
       note='for i, j in np.ndindex(shape): fill a 1500 x 1000 array')


def fortran_data(quick):
    return (np.asfortranarray(rng(81).standard_normal((pick(quick, 2000, 200), 1000))),)


NDITER = '''
@njit
def nditer_sum_squares(a):
    s = 0.0
    for v in np.nditer(a):
        x = v.item()
        s += x * x
    return s
'''

kernel('nditer_sum_squares', FAMILY, NDITER, fortran_data, numpy=lambda a: np.sum(a * a),
       rtol=1e-12, numpy_rtol=1e-9, note='np.nditer over an F-ordered 2000 x 1000 array')

NDITER_PAIR = '''
@njit
def nditer_pair(a, b):
    s = 0.0
    for x, y in np.nditer((a, b)):
        s += x.item() * y.item()
    return s
'''

kernel('nditer_pair', FAMILY, NDITER_PAIR,
       lambda quick: fortran_data(quick) + (rng(82).standard_normal(1000),),
       numpy=lambda a, b: np.sum(a * b), rtol=1e-12, numpy_rtol=1e-9,
       note='np.nditer((a, b)): F-ordered 2-D with a broadcast row')

NDENUMERATE = '''
@njit
def ndenumerate_trace_band(a, width):
    s = 0.0
    for (i, j), v in np.ndenumerate(a):
        if abs(i - j) <= width:
            s += v
    return s
'''


def band_numpy(a, width):
    i, j = np.indices(a.shape)
    return a[np.abs(i - j) <= width].sum()


kernel('ndenumerate_band', FAMILY, NDENUMERATE, lambda quick: fortran_data(quick) + (50,),
       func='ndenumerate_trace_band', numpy=band_numpy, rtol=1e-12, numpy_rtol=1e-9,
       note='np.ndenumerate over an F-ordered array, sum of a band')

ZIP_F = '''
@njit
def zip_rows_dot(a, b):
    s = 0.0
    for ra, rb in zip(a, b):
        for x, y in zip(ra, rb):
            s += x * y
    return s
'''


def zip_data(quick):
    r = rng(83)
    n = pick(quick, 1000, 200)
    return (np.asfortranarray(r.standard_normal((n, 1000))),
            np.asfortranarray(r.standard_normal((n, 1000))))


kernel('zip_fortran', FAMILY, ZIP_F, zip_data, func='zip_rows_dot',
       numpy=lambda a, b: np.sum(a * b), rtol=1e-12, numpy_rtol=1e-9,
       note='zip over the rows of two F-ordered arrays, then over their elements')

FLAT = '''
@njit
def flat_max_abs(a):
    best = 0.0
    for v in a.T.flat:
        if abs(v) > best:
            best = abs(v)
    return best
'''

kernel('flat_transposed', FAMILY, FLAT,
       lambda quick: (rng(84).standard_normal((pick(quick, 1000, 200), 2000)),),
       func='flat_max_abs', numpy=lambda a: np.abs(a).max(), rtol=0.0,
       note='for v in a.T.flat (a strided walk)')
