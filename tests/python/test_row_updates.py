"""Loops that update one row of a matrix from another row of the same
matrix (Floyd-Warshall's `d[i, j] = min(d[i, j], d[i, k] + d[k, j])`, row
operations of an elimination). The vectorizer checks, row by row, that the
row read and the row written do not overlap (jit/engine.cpp keeps those
checks with the inner loop): when they are the same row (i == k) that row
runs in the scalar copy, every other row vectorized. Both must give
Python's answers, layouts with negative and non-unit strides included."""
import numpy as np
import pytest

from numjit import njit


@njit
def floyd_warshall(d0):
    d = d0.copy()
    n = d.shape[0]
    for k in range(n):
        for i in range(n):
            dik = d[i, k]
            for j in range(n):
                if dik + d[k, j] < d[i, j]:
                    d[i, j] = dik + d[k, j]
    return d


@njit
def add_row_multiples(a, factors):
    # Row i gets factors[i] times row (i + 1) % n, then row 0 gets itself doubled.
    n, m = a.shape
    for i in range(n):
        k = (i + 1) % n
        for j in range(m):
            a[i, j] += factors[i] * a[k, j]
    for j in range(m):
        a[0, j] += a[0, j]
    return a


@njit
def rows_in_place(a, k):
    # Every row i (k included) becomes row i minus a multiple of row k.
    n, m = a.shape
    for i in range(n):
        f = a[i, 0] / (a[k, 0] + 1)
        for j in range(m):
            a[i, j] -= f * a[k, j]
    return a


def graph(n, seed, dtype):
    r = np.random.default_rng(seed)
    d = np.where(r.random((n, n)) < 0.2, r.integers(1, 20, (n, n)), 10**6).astype(dtype)
    np.fill_diagonal(d, 0)
    return d


def view(a, layout):
    if layout == "C":
        return a.copy()
    if layout == "F":
        return np.asfortranarray(a)
    if layout == "strided":
        wide = np.zeros((a.shape[0], 2 * a.shape[1]), a.dtype)
        wide[:, ::2] = a
        return wide[:, ::2]
    return a[::-1, ::-1].copy()[::-1, ::-1]  # negative strides on both axes


LAYOUTS = ["C", "F", "strided", "reversed"]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
@pytest.mark.parametrize("n", [1, 5, 33, 130])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_floyd_warshall_equals_python(dtype, n, layout):
    d0 = view(graph(n, n, dtype), layout)
    np.testing.assert_array_equal(floyd_warshall(d0), floyd_warshall.py_func(d0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("shape", [(1, 7), (4, 64), (17, 33)])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_row_multiples_equal_python(dtype, shape, layout):
    r = np.random.default_rng(shape[1])
    a = view((r.integers(-9, 9, shape)).astype(dtype), layout)
    factors = r.integers(-3, 4, shape[0]).astype(dtype)
    np.testing.assert_array_equal(add_row_multiples(a.copy(), factors), add_row_multiples.py_func(a.copy(), factors))


@pytest.mark.parametrize("k", [0, 3, 8])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_row_eliminated_by_itself_equals_python(k, layout):
    a = view(np.random.default_rng(k).random((9, 40)) + 1, layout)
    np.testing.assert_array_equal(rows_in_place(a.copy(), k), rows_in_place.py_func(a.copy(), k))
