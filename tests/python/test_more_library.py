"""Forms real kernels use that the first library rows lacked: norm with ord,
one-argument where, row-wise cross, gcd, quantile/percentile, column_stack,
angle, min/max of a list, list.reverse, global tuples, tuple signatures."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from numjit import float64, int64, njit  # noqa: F401  (used in signature strings)

STENCIL = ((0, 1), (1, 0), (0, -1), (-1, 0))
WEIGHTS = (0.5, np.arange(3.0))
rng = np.random.default_rng(7)


def vector_norms(x):
    return (np.linalg.norm(x, np.inf), np.linalg.norm(x, -np.inf), np.linalg.norm(x, 1), np.linalg.norm(x, 2),
            np.linalg.norm(x, 3), np.linalg.norm(x, 0))


def matrix_norms(a):
    return np.linalg.norm(a, 1), np.linalg.norm(a, -1), np.linalg.norm(a, np.inf), np.linalg.norm(a, 2), \
        np.linalg.norm(a, -2)


def positive_positions(x):
    return np.where(x > 0)[0]


def row_cross(a, b):
    return np.cross(a, b)


def quantiles(a):
    return np.percentile(a, 90), np.quantile(a, 0.25), np.percentile(a, 0), np.quantile(a, 1.0)


def quantile_array(a, q):
    return np.quantile(a, q)


def columns(a, b):
    return np.column_stack((a, b))


def angles(z):
    return np.angle(z)


def list_extremes(n):
    values = [i * (n - i) for i in range(n)]
    return max(values), min(values), max([2.5, -1.0])


def reversed_list(n):
    items = [i * i for i in range(n)]
    items.reverse()
    return np.array(items)


def stencil_sum(a):
    s = 0.0
    for di, dj in STENCIL:
        s += a[1 + di, 1 + dj]
    return s + WEIGHTS[0] + WEIGHTS[1].sum()


def gcds(a, b):
    return math.gcd(a, b), math.gcd(-a, b), math.gcd(a, 0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("n", [1, 5, 40])
def test_vector_norms_with_ord(dtype, n):
    x = ((rng.random(n) - 0.5) * 10).astype(dtype)
    assert_allclose(njit(vector_norms)(x), vector_norms(x), rtol=1e-5)


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 5)])
@pytest.mark.parametrize("layout", ["C", "F"])
def test_matrix_norms_with_ord(shape, layout):
    a = np.asarray(rng.random(shape) - 0.5, order=layout)
    assert_allclose(njit(matrix_norms)(a), matrix_norms(a), rtol=1e-10)


@pytest.mark.parametrize("n", [0, 1, 17])
def test_where_with_one_argument(n):
    x = rng.random(n) - 0.5
    assert np.array_equal(njit(positive_positions)(x), positive_positions(x))


@pytest.mark.parametrize("n", [1, 6])
@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_cross_of_rows(n, dtype):
    a, b = (rng.random((n, 3)) * 10).astype(dtype), (rng.random((n, 3)) * 10).astype(dtype)
    assert_allclose(njit(row_cross)(a, b), row_cross(a, b))


@pytest.mark.parametrize("a", [rng.random(11), rng.random((3, 4)), np.arange(7)])
def test_quantiles(a):
    assert_allclose(njit(quantiles)(a), quantiles(a))
    q = np.array([0.1, 0.5, 0.95])
    assert_allclose(njit(quantile_array)(a, q), quantile_array(a, q))


def test_quantile_out_of_range_raises():
    with pytest.raises(ValueError):
        njit(quantile_array)(np.arange(3.0), 1.5)


def test_column_stack_and_angle():
    a, b = rng.random(5), rng.random(5)
    assert_allclose(njit(columns)(a, b), columns(a, b))
    z = np.array([1 + 1j, -1j, -2.0 + 0j])
    assert_allclose(njit(angles)(z), angles(z))


@pytest.mark.parametrize("n", [1, 4, 9])
def test_min_max_of_a_list_and_reverse(n):
    assert njit(list_extremes)(n) == list_extremes(n)
    assert np.array_equal(njit(reversed_list)(n), reversed_list(n))


def test_global_tuples_are_frozen():
    a = np.arange(9.0).reshape(3, 3)
    assert njit(stencil_sum)(a) == stencil_sum(a)


@pytest.mark.parametrize("a,b", [(12, 18), (7, 5), (0, 9)])
def test_gcd(a, b):
    assert njit(gcds)(a, b) == gcds(a, b)


def test_tuple_types_in_signature_strings():
    minmax = njit("UniTuple(float64, 2)(float64[:])")(lambda a: (a.min(), a.max()))
    where_max = njit("Tuple((float64, int64))(float64[:])")(lambda a: (a.max(), a.argmax()))
    x = np.array([0.5, 2.0, -1.0])
    assert minmax(x) == (-1.0, 2.0)
    assert where_max(x) == (2.0, 1)


def converted(a, items):
    return np.asarray(a, dtype=np.float64), np.array(items, dtype=np.float32), np.asarray(a), \
        np.array([1, 1, 0], dtype=np.int64), np.asarray(items)


@pytest.mark.parametrize("a", [np.arange(4), np.arange(4.0), np.arange(8.0)[::2], np.ones((2, 3), dtype=np.float32)])
def test_array_and_asarray_with_dtype(a):
    items = [1.5, 2.0, -3.0]
    got, want = njit(converted)(a, items), converted(a, items)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        assert_allclose(g, w)


def test_asarray_of_an_array_of_its_dtype_is_the_same_memory():
    @njit
    def same(a):
        b = np.asarray(a, dtype=np.float64)
        b[0] = 42.0
        return a[0]

    assert same(np.zeros(3)) == 42.0
