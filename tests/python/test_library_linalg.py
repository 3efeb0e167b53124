"""np.linalg beyond solve/inv, implemented in Python by numjit's library
(python/numjit/library/linalg.py): det, slogdet, eigh, eigvalsh, eig, eigvals,
svd, cholesky, qr, lstsq, pinv, matrix_power, matrix_rank, cond; against NumPy.
Also checks that library functions free what they allocate, errors included."""
import gc

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from conftest import LAYOUTS, dtype_id, laid_out, measure_blocks, random_matrix, tolerance
from numjit import njit

DTYPES = [np.float32, np.float64, np.int64]
LINALG_DTYPES = [np.float32, np.float64]


def spd_matrix(n, dtype, seed=0):
    a = np.random.default_rng(seed).standard_normal((n, n))
    return (a @ a.T + n * np.eye(n)).astype(dtype)


def symmetric_matrix(n, dtype, seed=0):
    a = np.random.default_rng(seed).standard_normal((n, n))
    return (a + a.T).astype(dtype)


# Also defined in test_library_statistics_and_matrices.py; the leak test at the end calls it.
@njit
def convolve_full(a, v):
    return np.convolve(a, v)


# ---- np.linalg --------------------------------------------------------------------------

@njit
def det(a):
    return np.linalg.det(a)


@njit
def slogdet(a):
    return np.linalg.slogdet(a)


@njit
def eigh(a):
    return np.linalg.eigh(a)


@njit
def eigh_upper(a):
    return np.linalg.eigh(a, "U"), np.linalg.eigh(a, UPLO="U")


@njit
def eigvalsh(a):
    return np.linalg.eigvalsh(a), np.linalg.eigvalsh(a, UPLO="U")


@njit
def eig(a):
    return np.linalg.eig(a)


@njit
def eigvals(a):
    return np.linalg.eigvals(a)


@njit
def svd(a):
    return np.linalg.svd(a)


@njit
def svd_reduced(a):
    return np.linalg.svd(a, full_matrices=False)


@njit
def svd_positional(a, full):
    return np.linalg.svd(a, full)


@njit
def cholesky(a):
    return np.linalg.cholesky(a)


@njit
def qr(a):
    return np.linalg.qr(a)


@njit
def lstsq(a, b):
    return np.linalg.lstsq(a, b)


@njit
def lstsq_rcond(a, b, rcond):
    return np.linalg.lstsq(a, b, rcond=rcond)


@njit
def pinv(a):
    return np.linalg.pinv(a)


@njit
def matrix_powers(a):
    return np.linalg.matrix_power(a, 0), np.linalg.matrix_power(a, 1), np.linalg.matrix_power(a, 3)


@njit
def matrix_rank(a):
    return np.linalg.matrix_rank(a)


@njit
def cond(a):
    return np.linalg.cond(a)


SQUARE_SIZES = [1, 2, 5, 30]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("n", SQUARE_SIZES)
def test_det_slogdet(dtype, layout, n):
    a = laid_out(random_matrix((n, n), dtype, seed=n), layout)
    tol = tolerance(np.float32 if dtype == np.float32 or n == 30 else np.float64)
    assert_allclose(det(a), np.linalg.det(a), **tol)
    sign, logdet = slogdet(a)
    expected = np.linalg.slogdet(a)
    assert sign == expected[0]
    assert_allclose(logdet, expected[1], **tol)


def test_det_slogdet_special():
    assert det(np.zeros((0, 0))) == 1.0
    assert slogdet(np.zeros((0, 0))) == (1.0, 0.0)
    assert det(np.ones((3, 3))) == 0.0
    assert slogdet(np.ones((3, 3))) == (0.0, -np.inf)
    assert_allclose(det(np.array([[1, 2], [3, 4]])), -2.0)
    assert_allclose(det(np.array([[0.0, 1.0], [1.0, 0.0]])), -1.0)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("n", SQUARE_SIZES)
def test_eigh(dtype, layout, n):
    a = laid_out(symmetric_matrix(n, dtype, seed=n), layout)
    tol = tolerance(dtype)
    expected = np.linalg.eigvalsh(a)
    w, v = eigh(a)
    assert w.shape == (n,) and v.shape == (n, n)
    assert_allclose(w, expected, **tol)
    assert_allclose(a @ v, v * w, rtol=tol["rtol"], atol=tol["atol"] * 10 * n)
    assert_allclose(v.T @ v, np.eye(n), atol=tol["atol"] * 10 * n)
    for wu, vu in eigh_upper(laid_out(np.triu(a), layout)):
        assert_allclose(wu, expected, **tol)
        assert_allclose(a @ vu, vu * wu, rtol=tol["rtol"], atol=tol["atol"] * 10 * n)
    lower = eigvalsh(laid_out(np.tril(a), layout))[0]
    assert_allclose(lower, expected, **tol)
    assert_allclose(eigvalsh(laid_out(np.triu(a), layout))[1], expected, **tol)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("n", SQUARE_SIZES)
def test_eig_of_symmetric(dtype, layout, n):
    a = laid_out(symmetric_matrix(n, dtype, seed=n + 1), layout)
    tol = tolerance(dtype)
    expected = np.sort(np.linalg.eigvals(a).real)
    w, v = eig(a)
    assert_allclose(np.sort(w), expected, **tol)
    assert_allclose(a @ v, v * w, rtol=tol["rtol"], atol=tol["atol"] * 10 * n)
    assert_allclose(np.sort(eigvals(a)), expected, **tol)


def test_eig_of_triangular():
    a = np.array([[2.0, 1.0, 5.0], [0.0, 3.0, -1.0], [0.0, 0.0, -4.0]])
    assert_allclose(np.sort(eigvals(a)), [-4.0, 2.0, 3.0], atol=1e-12)


def check_svd(a, full):
    tol = tolerance(a.dtype)
    rows, cols = a.shape
    k = min(rows, cols)
    u, s, vt = svd(a) if full else svd_reduced(a)
    assert u.shape == ((rows, rows) if full else (rows, k))
    assert vt.shape == ((cols, cols) if full else (k, cols))
    assert_allclose(s, np.linalg.svd(a, compute_uv=False), **tol)
    assert_allclose(u[:, :k] @ np.diag(s) @ vt[:k], a, rtol=tol["rtol"], atol=tol["atol"] * 10 * max(rows, cols))
    assert_allclose(u.T @ u, np.eye(u.shape[1]), atol=tol["atol"] * 10 * rows)
    assert_allclose(vt @ vt.T, np.eye(vt.shape[0]), atol=tol["atol"] * 10 * cols)
    u2, s2, vt2 = svd_positional(a, full)
    assert u2.shape == u.shape and vt2.shape == vt.shape
    assert_allclose(s2, s, **tol)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (5, 3), (3, 5), (1, 6), (6, 1), (40, 25), (25, 40)], ids=str)
@pytest.mark.parametrize("full", [True, False])
def test_svd(dtype, layout, shape, full):
    check_svd(laid_out(random_matrix(shape, dtype, seed=sum(shape)), layout), full)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("n", SQUARE_SIZES)
def test_cholesky(dtype, layout, n):
    a = laid_out(spd_matrix(n, dtype if dtype != np.int64 else np.float64, seed=n), layout)
    if dtype == np.int64:
        a = laid_out(np.round(a * 4).astype(np.int64), layout)
    tol = tolerance(dtype)
    got = cholesky(a)
    assert_allclose(got, np.linalg.cholesky(a), **tol)
    assert_array_equal(np.triu(got, 1), 0)
    assert_allclose(got @ got.T, a, rtol=tol["rtol"], atol=tol["atol"] * n)


@pytest.mark.parametrize("dtype", LINALG_DTYPES, ids=dtype_id)
def test_cholesky_not_positive_definite_raises(dtype):
    for a in [-spd_matrix(4, dtype), np.array([[1.0, 2.0], [2.0, 1.0]], dtype)]:
        with pytest.raises(np.linalg.LinAlgError):
            np.linalg.cholesky(a)
        with pytest.raises(np.linalg.LinAlgError):
            cholesky(a)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (5, 3), (3, 5), (6, 1), (1, 6), (40, 25), (25, 40)], ids=str)
def test_qr(dtype, layout, shape):
    a = laid_out(random_matrix(shape, dtype, seed=sum(shape) + 1), layout)
    tol = tolerance(dtype)
    k = min(shape)
    q, r = qr(a)
    eq, er = np.linalg.qr(a)
    assert q.shape == eq.shape == (shape[0], k)
    assert r.shape == er.shape == (k, shape[1])
    assert_allclose(q @ r, a, rtol=tol["rtol"], atol=tol["atol"] * 10 * max(shape))
    assert_array_equal(np.tril(r, -1), 0)
    assert_allclose(np.abs(r), np.abs(er), rtol=tol["rtol"], atol=tol["atol"] * 10 * max(shape))
    assert_allclose(q.T @ q, np.eye(k), atol=tol["atol"] * 10 * max(shape))


def check_lstsq(a, b, dtype):
    tol = tolerance(dtype)
    x, residuals, rank, s = lstsq(a, b)
    ex, eres, erank, es = np.linalg.lstsq(a, b)
    assert x.shape == ex.shape
    assert residuals.shape == eres.shape
    assert rank == erank
    assert_allclose(x, ex, rtol=tol["rtol"] * 10, atol=tol["atol"] * 10)
    assert_allclose(residuals, eres, rtol=tol["rtol"] * 10, atol=tol["atol"] * 10)
    assert_allclose(s, es, **tol)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (6, 3), (3, 6), (30, 5), (5, 30)], ids=str)
@pytest.mark.parametrize("rhs", [None, 1, 3])
def test_lstsq(dtype, layout, shape, rhs):
    a = laid_out(random_matrix(shape, dtype, seed=sum(shape) + 2), layout)
    b_shape = (shape[0],) if rhs is None else (shape[0], rhs)
    b = laid_out(random_matrix(b_shape, dtype, seed=9), layout)
    check_lstsq(a, b, dtype)


def test_lstsq_rank_deficient_and_rcond():
    a = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    b = np.array([1.0, 2.0, 3.5])
    check_lstsq(a, b, np.float64)
    x, residuals, rank, s = lstsq_rcond(a, b, 1e-3)
    ex, eres, erank, es = np.linalg.lstsq(a, b, rcond=1e-3)
    assert rank == erank == 1
    assert_allclose(x, ex, rtol=1e-10)
    assert residuals.shape == eres.shape == (0,)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (5, 3), (3, 5), (30, 10)], ids=str)
def test_pinv(dtype, layout, shape):
    a = laid_out(random_matrix(shape, dtype, seed=sum(shape) + 3), layout)
    tol = tolerance(dtype)
    got = pinv(a)
    assert got.shape == shape[::-1]
    assert_allclose(got, np.linalg.pinv(a), rtol=tol["rtol"] * 10, atol=tol["atol"] * 10)
    assert_allclose(a @ got @ a, a, rtol=tol["rtol"] * 10, atol=tol["atol"] * 100)


def test_pinv_rank_deficient():
    a = np.outer(np.arange(1.0, 5.0), np.arange(1.0, 4.0))
    assert_allclose(pinv(a), np.linalg.pinv(a), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dtype", LINALG_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("n", SQUARE_SIZES)
def test_matrix_power(dtype, layout, n):
    a = laid_out(random_matrix((n, n), dtype, seed=n) / np.sqrt(n), layout)
    got = matrix_powers(a)
    expected = tuple(np.linalg.matrix_power(a, p) for p in (0, 1, 3))
    for g, e in zip(got, expected):
        assert g.shape == e.shape and g.dtype == e.dtype
        assert_allclose(g, e, **tolerance(dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_matrix_rank(dtype, layout):
    full = random_matrix((5, 4), dtype, seed=11)
    low = np.outer(np.arange(1, 6), np.arange(1, 5)).astype(dtype)
    for m in [full, full.T, low, low.T, np.zeros((3, 3), dtype), np.eye(4, dtype=dtype),
              np.vstack([full, full]).astype(dtype)]:
        m = laid_out(m, layout)
        assert matrix_rank(m) == np.linalg.matrix_rank(m)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (5, 3), (3, 5), (30, 30)], ids=str)
def test_cond(dtype, layout, shape):
    a = laid_out(random_matrix(shape, dtype, seed=sum(shape) + 4), layout)
    tol = tolerance(dtype)
    assert_allclose(cond(a), np.linalg.cond(a), rtol=tol["rtol"] * 10)


def test_cond_of_identity_and_diagonal():
    assert_allclose(cond(np.eye(3)), 1.0)
    assert_allclose(cond(np.diag([1.0, 10.0, 100.0])), 100.0)


def test_linalg_non_square_raises():
    for f in (det, slogdet, eigh, eigvalsh, eig, eigvals, cholesky, matrix_powers):
        with pytest.raises(np.linalg.LinAlgError):
            f.py_func(np.ones((3, 2)))
        with pytest.raises(np.linalg.LinAlgError):
            f(np.ones((3, 2)))
    with pytest.raises(np.linalg.LinAlgError):
        det(np.ones((2, 5)))


# ---- memory -------------------------------------------------------------------------------


@njit
def library_workout(a, x, y):
    s = np.count_nonzero(a) + np.flatnonzero(a).size + np.argwhere(a).shape[0] + np.nonzero(a)[0].size
    s += np.interp(x, x, y).sum() + np.convolve(x, y, "same").sum() + np.cov(a).sum() + np.corrcoef(a).sum()
    s += np.diag(np.diag(a)).sum() + np.triu(a, 1).sum() + np.kron(a, a).sum() + np.flip(a).sum()
    return s


@njit
def linalg_workout(a, b):
    u, s, vt = np.linalg.svd(a)
    q, r = np.linalg.qr(a)
    w, v = np.linalg.eigh(a @ a.T)
    x, residuals, rank, sv = np.linalg.lstsq(a, b)
    c = np.linalg.cholesky(a @ a.T + np.eye(a.shape[0]))
    return (np.linalg.det(a) + s.sum() + r.sum() + w.sum() + x.sum() + c.sum() + np.linalg.pinv(a).sum()
            + np.linalg.matrix_power(a, 3).sum() + np.linalg.cond(a) + np.linalg.matrix_rank(a)
            + np.linalg.slogdet(a)[1] + np.linalg.eigvals(a @ a.T).sum())


@njit
def linalg_results(a):
    return np.linalg.svd(a), np.linalg.qr(a), np.linalg.eigh(a @ a.T), np.linalg.pinv(a)


def test_library_functions_do_not_leak():
    a = random_matrix((5, 5), np.float64)
    x = np.linspace(0.0, 1.0, 9)
    y = np.sin(x)
    assert_allclose(library_workout(a, x, y), library_workout.py_func(a, x, y), rtol=1e-10)
    assert_allclose(linalg_workout(a, x[:5]), linalg_workout.py_func(a, x[:5]), rtol=1e-8)
    for f, args in [(library_workout, (a, x, y)), (linalg_workout, (a, x[:5])), (linalg_results, (a,))]:
        allocs, frees = measure_blocks(f, *args)
        assert allocs >= 20, f"only {allocs} blocks counted"
        assert allocs == frees, f"{f.__name__}: {allocs} blocks allocated, {frees} freed"


def test_library_errors_do_not_leak():
    bad = -spd_matrix(4, np.float64)
    from numjit.runtime import allocation_stats
    gc.collect()
    before = allocation_stats()
    for _ in range(10):
        with pytest.raises(np.linalg.LinAlgError):
            cholesky(bad)
        with pytest.raises(ValueError):
            convolve_full(np.zeros(0), np.ones(3))
    gc.collect()
    after = allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free


COMPLEX_DTYPES = [np.complex64, np.complex128]


def hermitian_matrix(n, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
    return (x @ x.conj().T + n * np.eye(n)).astype(dtype)


@pytest.mark.parametrize("dtype", COMPLEX_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("n", SQUARE_SIZES)
def test_complex_eigh_eig_cholesky(dtype, layout, n):
    a = laid_out(hermitian_matrix(n, dtype, seed=n), layout)
    tol = tolerance(np.float32 if dtype == np.complex64 else np.float64)
    atol = tol["atol"] * 10 * max(n, 1) * 10
    expected = np.linalg.eigvalsh(a)
    w, v = eigh(a)
    assert w.dtype == expected.dtype and v.dtype == dtype
    assert_allclose(w, expected, rtol=tol["rtol"] * 10, atol=atol)
    assert_allclose(a @ v, v * w, rtol=tol["rtol"] * 10, atol=atol)
    assert_allclose(v.conj().T @ v, np.eye(n), atol=atol)
    for wu, vu in eigh_upper(laid_out(np.triu(a), layout)):
        assert_allclose(wu, expected, rtol=tol["rtol"] * 10, atol=atol)
    general = laid_out((np.random.default_rng(n).standard_normal((n, n)) * (1 + 0.5j)).astype(dtype), layout)
    w, v = eig(general)
    assert w.dtype == dtype
    assert_allclose(general @ v, v * w, rtol=tol["rtol"] * 10, atol=atol)
    assert_allclose(np.sort_complex(eigvals(general)), np.sort_complex(np.linalg.eigvals(general)),
                    rtol=tol["rtol"] * 10, atol=atol)
    got = cholesky(a)
    assert got.dtype == dtype
    assert_allclose(got, np.linalg.cholesky(a), rtol=tol["rtol"] * 10, atol=atol)
    assert_allclose(got @ got.conj().T, a, rtol=tol["rtol"] * 10, atol=atol)


@njit
def complex_least_squares(a, b):
    return np.linalg.lstsq(a, b), np.linalg.pinv(a)


@pytest.mark.parametrize("dtype", COMPLEX_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (5, 3), (3, 5), (6, 1), (1, 6)], ids=str)
def test_complex_svd_qr_lstsq_pinv(dtype, layout, shape):
    rng = np.random.default_rng(sum(shape))
    a = laid_out((rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype), layout)
    tol = tolerance(np.float32 if dtype == np.complex64 else np.float64)
    rtol, atol = tol["rtol"] * 10, tol["atol"] * 100
    u, s, vh = svd(a)
    assert u.dtype == dtype and s.dtype == np.linalg.svd(a)[1].dtype
    assert_allclose(s, np.linalg.svd(a)[1], rtol=rtol, atol=atol)
    assert_allclose(u.conj().T @ u, np.eye(shape[0]), atol=atol)
    u, s, vh = svd_reduced(a)
    assert_allclose((u * s) @ vh, a, rtol=rtol, atol=atol)
    q, r = qr(a)
    assert_allclose(q @ r, a, rtol=rtol, atol=atol)
    assert_allclose(np.abs(r), np.abs(np.linalg.qr(a)[1]), rtol=rtol, atol=atol)
    b = (rng.standard_normal(shape[0]) + 1j * rng.standard_normal(shape[0])).astype(dtype)
    (x, residuals, rank, singular), inverse = complex_least_squares(a, b)
    want = np.linalg.lstsq(a, b)
    assert_allclose(x, want[0], rtol=rtol, atol=atol)
    assert_allclose(residuals, want[1], rtol=rtol, atol=atol)
    assert rank == want[2] and residuals.dtype == want[1].dtype
    assert_allclose(inverse, np.linalg.pinv(a), rtol=rtol, atol=atol)
    # A real matrix with complex right-hand sides is solved in complex numbers, as NumPy does.
    real = laid_out(rng.standard_normal(shape), layout)
    assert_allclose(complex_least_squares(real, b.astype(np.complex128))[0][0],
                    np.linalg.lstsq(real, b.astype(np.complex128))[0], rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("dtype", COMPLEX_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", SQUARE_SIZES)
def test_complex_det_slogdet(dtype, n):
    rng = np.random.default_rng(n)
    a = (rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))).astype(dtype)
    tol = tolerance(np.float32 if dtype == np.complex64 else np.float64)
    sign, log_det = slogdet(a)
    want_sign, want_log = np.linalg.slogdet(a)
    assert_allclose(sign, want_sign, rtol=tol["rtol"] * 10, atol=tol["atol"] * 10)
    assert_allclose(log_det, want_log, rtol=tol["rtol"] * 10, atol=tol["atol"] * 10)
    assert_allclose(det(a), np.linalg.det(a), rtol=tol["rtol"] * 100, atol=tol["atol"] * 100)
