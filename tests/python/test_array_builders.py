"""np.array_equal, np.append, np.ediff1d, np.vander, np.triu_indices /
np.tril_indices and the cosine windows (python/numjit/library/builders.py),
compared with NumPy over dtypes, layouts and sizes."""
import numpy as np
import pytest
from conftest import LAYOUTS, check, make_array

from numjit import njit

DTYPES = [np.int32, np.int64, np.float32, np.float64, np.complex128]


@njit
def equal(a, b):
    return np.array_equal(a, b), np.array_equal(a, b, equal_nan=True)


@njit
def appended(a, v):
    return np.append(a, v), np.append(a, 2)


@njit
def appended_along(a, v, axis):
    return np.append(a, v, axis=axis)


@njit
def differences(a):
    return np.ediff1d(a), np.ediff1d(a, to_end=np.array([9, 8]), to_begin=-1)


@njit
def vandermonde(x, n):
    return np.vander(x), np.vander(x, n), np.vander(x, n, True)


@njit
def triangles(n, k):
    return np.triu_indices(n, k), np.tril_indices(n, k), np.triu_indices(n, k, n + 2), np.tril_indices(n, k, 1)


@njit
def windows(m):
    return np.bartlett(m), np.blackman(m), np.hamming(m), np.hanning(m)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (6,), (3, 4)])
def test_equal_append_ediff1d(dtype, layout, shape):
    a = make_array(shape, dtype, layout, 1)
    check(equal, a, a.copy())
    check(equal, a, make_array(shape, dtype, "C", 2))
    check(equal, a, np.ones(5))
    check(appended, a, make_array((3,), dtype, "C", 3))
    check(differences, a)
    if len(shape) == 2:
        for axis in (0, 1, -1):
            check(appended_along, a, make_array(shape, dtype, "F", 4), axis)


def test_equal_with_nans():
    x = np.array([1.0, np.nan, 3.0])
    check(equal, x, x.copy())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [0, 1, 3])
def test_vander(dtype, n):
    for x in (make_array((4,), dtype, "C", 5), make_array((5,), dtype, "strided", 6), make_array((0,), dtype)):
        check(vandermonde, x, n)


@pytest.mark.parametrize("n, k", [(0, 0), (1, 0), (4, 0), (5, -1), (3, 2), (6, -7)])
def test_triangle_indices(n, k):
    check(triangles, n, k)


@pytest.mark.parametrize("m", [-2, 0, 1, 2, 7, 12])
def test_windows(m):
    check(windows, m, atol=1e-15)  # the ends are 0 up to an ulp of cos (libmvec and libm round apart)
