"""Fancy indexing, np.where/clip, matrix products, linear algebra, sorting and joining, against NumPy."""
import numpy as np
import pytest

from conftest import check, dtype_id, make_array
from numjit import njit


@njit
def masks(a, b):
    picked = a[a > 3]
    a[a < 2] = -1
    a[b > 4] += 10
    idx = np.arange(2)
    return picked, a[..., 0], a.ravel()[idx], a[None, 0].shape


@pytest.mark.parametrize("dtype", [np.int64, np.float64], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_masks_and_index_arrays(dtype, layout):
    check(masks, make_array((3, 4), dtype, layout), make_array((3, 4), dtype, "C", seed=1))


@njit
def index_arrays(a, idx, vals):
    out = a[idx]
    a[idx] = vals
    return out


@pytest.mark.parametrize("idx", [[0, 2, -1], [1, 1], []])
def test_index_arrays(idx):
    idx = np.array(idx, dtype=np.int64)
    check(index_arrays, np.arange(6.0), idx, np.full(len(idx), 9.0))
    with pytest.raises(IndexError):
        index_arrays(np.arange(3.0), np.array([5]), np.ones(1))


@njit
def where_clip(x, y):
    return np.where(x > 0.5, x, 0.0), np.where(x > y, x, y), np.clip(x, 0.2, 0.7), np.where(x > 0.5, 1, -1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("shape", [(0,), (7,), (3, 4)])
def test_where_clip(dtype, shape):
    rng = np.random.default_rng(0)
    check(where_clip, rng.random(shape).astype(dtype), rng.random(shape[-1:]).astype(dtype))


@njit
def products(a, b, v):
    return a @ b, np.dot(a, b), a @ v, v @ b.T, np.dot(v, v), np.matmul(a, b), a.dot(b)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128, np.int64], ids=dtype_id)
@pytest.mark.parametrize("layout_a, layout_b", [("C", "C"), ("F", "C"), ("C", "F"), ("transposed", "strided")])
@pytest.mark.parametrize("n, k, m", [(4, 3, 5), (1, 1, 1), (0, 3, 2), (3, 0, 2)])
def test_matrix_products(dtype, layout_a, layout_b, n, k, m):
    a = make_array((n, k), dtype, layout_a)
    b = make_array((k, m), dtype, layout_b, seed=1)
    check(products, a, b, make_array((k,), dtype, seed=2), rtol=1e-4)


def test_product_shape_mismatch():
    with pytest.raises(ValueError):
        products(np.ones((2, 3)), np.ones((4, 2)), np.ones(3))


@njit
def linalg(a, b):
    return np.linalg.solve(a, b), np.linalg.inv(a), np.linalg.norm(a), np.linalg.norm(b), np.trace(a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "transposed"])
def test_linalg(dtype, layout):
    rng = np.random.default_rng(3)
    a = make_array((4, 4), dtype, layout) + (8 * np.eye(4)).astype(dtype)
    check(linalg, a, rng.random(4).astype(dtype), rtol=1e-4)
    check(linalg, a, rng.random((4, 2)).astype(dtype), rtol=1e-4)
    with pytest.raises(np.linalg.LinAlgError):
        linalg(np.zeros((3, 3), dtype=dtype), np.ones(3, dtype=dtype))


@njit
def sequences(a, b):
    c = a.copy()
    c.sort()
    return (np.cumsum(a), a.cumprod(), np.diff(a), np.diff(a, 2), np.sort(a), c,
            np.concatenate((a, b)), np.hstack((a, b)), np.vstack((a, a)))


@pytest.mark.parametrize("dtype", [np.int32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 7])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_sequences(dtype, n, layout):
    check(sequences, make_array((n,), dtype, layout), make_array((3,), np.float64, seed=1))


@njit
def argsort(a):
    return np.argsort(a)


@pytest.mark.parametrize("n", [0, 1, 50])
def test_argsort_orders(n):
    a = np.random.default_rng(n).permutation(n).astype(np.float64)
    np.testing.assert_array_equal(argsort(a), np.argsort(a))
    a_nan = np.array([3.0, np.nan, 1.0, 2.0])
    np.testing.assert_array_equal(np.sort(a_nan[argsort(a_nan)]), np.sort(a_nan))


@njit
def concat_2d(a, b):
    return np.concatenate((a, b), axis=1), np.concatenate((a, a)), np.vstack((a, b[:, :2]))


def test_concatenate_axes_and_mismatch():
    a = make_array((2, 2), np.float64)
    b = make_array((2, 3), np.int32)
    check(concat_2d, a, b)
    with pytest.raises(ValueError):
        concat_2d(a, np.ones((3, 3)))
