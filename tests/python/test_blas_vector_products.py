"""Products with a vector (np.dot, @, np.matmul): a matrix and a vector go to
BLAS ?gemv, two contiguous vectors of one float or complex dtype to ?dot /
?dotu (complex results come back by value in registers). Compared with
NumPy, which calls the same routines, over dtypes, layouts and sizes."""
import numpy as np
import pytest

from conftest import dtype_id, make_array
from numjit import njit

FLOAT_DTYPES = [np.float32, np.float64, np.complex64, np.complex128]


@njit
def matrix_vector(a, v):
    return a @ v


@njit
def vector_matrix(v, a):
    return np.dot(v, a)


@njit
def vector_vector(x, y):
    return np.dot(x, y)


@njit
def vector_vector_matmul(x, y):
    return np.matmul(x, y)


def tolerance(dtype, k):
    if np.dtype(dtype).kind in "iu":
        return dict(rtol=0, atol=0)
    eps = np.finfo(dtype).eps  # a complex dtype's gives its parts' epsilon
    return dict(rtol=20 * eps * max(k, 1) ** 0.5, atol=20 * eps * max(k, 1))


def vector(n, dtype, layout, seed):
    if layout == "reversed":
        return make_array((n,), dtype, "C", seed)[::-1]
    return make_array((n,), dtype, layout, seed)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [np.int32, np.int64], ids=dtype_id)
@pytest.mark.parametrize("matrix_layout", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("vector_layout", ["C", "strided", "reversed"])
@pytest.mark.parametrize("m, k", [(4, 3), (1, 1), (0, 3), (3, 0), (37, 61)])
def test_matrix_times_vector(dtype, matrix_layout, vector_layout, m, k):
    a = make_array((m, k), dtype, matrix_layout)
    v = vector(k, dtype, vector_layout, seed=1)
    got = matrix_vector(a, v)
    want = a @ v
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, **tolerance(dtype, k))
    got = vector_matrix(v, a.T)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, np.dot(v, a.T), **tolerance(dtype, k))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=dtype_id)
def test_empty_inner_dimension_gives_zeros(dtype):
    # gemv returns without writing y when the inner dimension is empty.
    for _ in range(3):  # reused heap blocks must not leak old values through
        got = matrix_vector(np.ones((5, 0), dtype), np.ones(0, dtype))
        np.testing.assert_array_equal(got, np.zeros(5, dtype))
        got = vector_matrix(np.ones(0, dtype), np.ones((0, 4), dtype))
        np.testing.assert_array_equal(got, np.zeros(4, dtype))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [np.int64], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided", "reversed"])
@pytest.mark.parametrize("n", [0, 1, 7, 1000, 100_003])
def test_vector_dot(dtype, layout, n):
    x = vector(n, dtype, layout, seed=2)
    y = vector(n, dtype, "C", seed=3)
    for f in (vector_vector, vector_vector_matmul):
        got = f(x, y)
        want = np.dot(x, y)
        # Scalars come back as Python numbers (as from Numba): check the kind.
        assert np.iscomplexobj(got) == np.iscomplexobj(want)
        np.testing.assert_allclose(got, want, **tolerance(dtype, n))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128], ids=dtype_id)
def test_complex_dot_returns_both_parts(dtype):
    # The complex result crosses the C ABI by value: both parts must arrive.
    x = np.array([1 + 2j, 3 - 1j, -2 + 0.5j], dtype)
    y = np.array([2 - 1j, 1j, 4 + 4j], dtype)
    assert vector_vector(x, y) == np.dot(x, y)
    assert vector_vector(x, y) == sum(a * b for a, b in zip(x.tolist(), y.tolist()))


def test_mixed_dtypes_keep_numpy_promotion():
    x = np.arange(5, dtype=np.float32)
    y = np.arange(5, dtype=np.float64) / 3
    a = np.arange(15, dtype=np.int32).reshape(3, 5)
    assert vector_vector(x, y) == pytest.approx(np.dot(x, y))
    np.testing.assert_allclose(matrix_vector(a, y), a @ y)
    assert matrix_vector(a, y).dtype == (a @ y).dtype


def test_length_mismatch_raises():
    with pytest.raises(ValueError):
        vector_vector(np.ones(3), np.ones(4))
    with pytest.raises(ValueError):
        matrix_vector(np.ones((2, 3)), np.ones(4))


def test_extents_beyond_32_bit_blas_raise_instead_of_truncating():
    # A 2**31 x 1 view of one element (no memory behind it): BLAS's int
    # extents would wrap, so the product refuses before allocating anything.
    tall = np.broadcast_to(np.ones((1, 1)), (2**31, 1))
    with pytest.raises(ValueError, match="32-bit BLAS"):
        matrix_vector(tall, np.ones(1))


@njit
def boolean_products(v, m):
    return np.dot(v, v), m @ v, m @ m, np.dot(m, m)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [1, 2, 5])
def test_boolean_products_are_or_of_ands(seed, n):
    rng = np.random.default_rng(seed)
    v = rng.random(n) < 0.5
    m = rng.random((n, n)) < 0.5
    got = boolean_products(v, m)
    want = (np.dot(v, v), m @ v, m @ m, np.dot(m, m))
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
        assert np.asarray(g).dtype == np.bool_
