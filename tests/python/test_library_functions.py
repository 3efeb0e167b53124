"""NumPy functions implemented in Python by numjit's library (python/numjit/library):
builtin sum, non-zero search, interpolation and integration, convolution,
covariance, matrix building, and np.linalg beyond solve/inv; against NumPy."""
import gc

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from conftest import check, dtype_id, make_array
from numjit import njit

DTYPES = [np.float32, np.float64, np.int64]
LINALG_DTYPES = [np.float32, np.float64]
LAYOUTS = ["C", "F", "strided", "transposed"]
trapezoid_np = np.trapezoid if hasattr(np, "trapezoid") else np.trapz


def laid_out(m, layout):
    """``m``'s values in the memory layout asked for (see conftest.make_array)."""
    m = np.asarray(m)
    if layout == "C":
        return np.ascontiguousarray(m)
    if layout == "F":
        return np.asfortranarray(m)
    if layout == "strided":
        wide = np.repeat(m, 2, axis=-1)
        return wide[..., ::2]
    if layout == "transposed":
        return np.ascontiguousarray(m.T).T
    raise ValueError(layout)


def with_zeros(shape, dtype, layout):
    """A sample array in ``layout`` with about a third of its elements zero."""
    a = make_array(shape, dtype, layout)
    if np.dtype(dtype).kind != "b":
        a[a % 3 == 1] = 0
    return a


def tolerance(dtype):
    return dict(rtol=2e-4, atol=2e-4) if np.dtype(dtype) == np.float32 else dict(rtol=1e-9, atol=1e-10)


def random_matrix(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "i":
        return rng.integers(-5, 6, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def spd_matrix(n, dtype, seed=0):
    a = np.random.default_rng(seed).standard_normal((n, n))
    return (a @ a.T + n * np.eye(n)).astype(dtype)


def symmetric_matrix(n, dtype, seed=0):
    a = np.random.default_rng(seed).standard_normal((n, n))
    return (a + a.T).astype(dtype)


# ---- builtin sum --------------------------------------------------------------------------

@njit
def builtin_sum(a):
    return sum(a)


@njit
def builtin_sum_start(a, start):
    return sum(a, start)


@njit
def builtin_sum_list(n):
    return sum([i * i for i in range(n)]), sum([0.5 * i for i in range(n)], 1.0)


@njit
def builtin_sum_tuple(x):
    return sum((x, 2 * x, 3 * x)), sum((1.5, 2.5, 3.0), x)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_builtin_sum_of_array(dtype, layout, n):
    a = make_array((n,), dtype, layout)
    check(builtin_sum, a, widen=True)
    check(builtin_sum_start, a, 10, widen=True)
    check(builtin_sum_start, a, 2.5, widen=True)


@pytest.mark.parametrize("n", [0, 1, 10, 100])
def test_builtin_sum_of_list_and_tuple(n):
    check(builtin_sum_list, n)
    check(builtin_sum_tuple, 1.5)


def test_builtin_sum_of_bool_array():
    check(builtin_sum, np.array([True, False, True, True]))


# ---- non-zero search --------------------------------------------------------------------

@njit
def nonzero_search(a):
    return np.count_nonzero(a), np.flatnonzero(a), np.argwhere(a), np.nonzero(a)


@njit
def shape_queries(a):
    return np.ndim(a), np.shape(a), np.size(a)


SEARCH_SHAPES = [(0,), (1,), (7,), (100,), (0, 3), (3, 4), (10, 10), (2, 3, 4), (4, 1, 5)]


@pytest.mark.parametrize("dtype", [np.bool_, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SEARCH_SHAPES, ids=str)
def test_nonzero_search(dtype, layout, shape):
    a = with_zeros(shape, dtype, layout)
    got = check(nonzero_search, a)
    assert len(got[3]) == a.ndim
    check(shape_queries, a)


def test_nonzero_search_all_zero_and_nan():
    check(nonzero_search, np.zeros((3, 4)))
    check(nonzero_search, np.array([np.nan, 0.0, -0.0, 1.0]))
    check(nonzero_search, np.ones((2, 2, 2), np.int64))


@pytest.mark.parametrize("value", [3.0, 7, np.float32(2.5), True])
def test_shape_queries_of_scalars(value):
    assert shape_queries(value) == (0, (), 1)


# ---- np.interp ------------------------------------------------------------------------------

@njit
def interp(x, xp, fp):
    return np.interp(x, xp, fp)


@njit
def interp_bounds(x, xp, fp, lo, hi):
    return np.interp(x, xp, fp, left=lo, right=hi), np.interp(x, xp, fp, lo, hi)


@njit
def interp_left_only(x, xp, fp, lo):
    return np.interp(x, xp, fp, left=lo)


@njit
def interp_right_only(x, xp, fp, hi):
    return np.interp(x, xp, fp, right=hi)


def interp_points(n, dtype, layout, seed=0):
    """Sample points xp (strictly increasing), values fp and query points x
    (inside, outside, and exactly at the samples) of ``dtype``."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "i":
        xp = np.arange(0, 3 * n, 3).astype(dtype)
        fp = rng.integers(-10, 10, n).astype(dtype)
        x = np.concatenate([xp, rng.integers(-5, 3 * n + 5, n)]).astype(dtype)
    else:
        xp = np.sort(rng.uniform(-3, 3, n)).astype(dtype)
        fp = rng.standard_normal(n).astype(dtype)
        x = np.concatenate([xp, rng.uniform(-5, 5, n)]).astype(dtype)
    rng.shuffle(x)
    return laid_out(x, layout), laid_out(xp, layout), laid_out(fp, layout)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n", [1, 2, 7, 100])
def test_interp(dtype, layout, n):
    x, xp, fp = interp_points(n, dtype, layout)
    check(interp, x, xp, fp)
    check(interp_bounds, x, xp, fp, -100.0, 100.0)
    check(interp_left_only, x, xp, fp, -7.5)
    check(interp_right_only, x, xp, fp, 7.5)
    for v in [x[0], x[-1], xp[0], xp[-1]]:
        check(interp, v, xp, fp)
        check(interp, float(v) - 10.0, xp, fp)
        check(interp, float(v) + 10.0, xp, fp)


def test_interp_2d_empty_and_special_x():
    xp = np.array([0.0, 1.0, 2.0, 4.0])
    fp = np.array([1.0, 3.0, 2.0, 0.0])
    check(interp, np.array([[-1.0, 0.0, 0.5], [1.0, 3.0, 5.0]]), xp, fp)
    check(interp, np.array([[-1.0, 0.0, 0.5], [1.0, 3.0, 5.0]]).T, xp, fp)
    check(interp, np.zeros(0), xp, fp)
    check(interp, np.array([np.nan, np.inf, -np.inf, 4.0]), xp, fp)
    check(interp, 2, np.array([0, 1, 4]), np.array([5, 7, 1]))


def test_interp_errors():
    with pytest.raises(ValueError):
        interp(np.zeros(2), np.arange(3.0), np.arange(4.0))
    with pytest.raises(ValueError):
        interp(np.zeros(2), np.zeros(0), np.zeros(0))


# ---- np.trapezoid -------------------------------------------------------------------------

@njit
def trapezoid(y):
    return trapezoid_np(y)


@njit
def trapezoid_x(y, x):
    return trapezoid_np(y, x), trapezoid_np(y, x=x)


@njit
def trapezoid_dx(y, dx):
    return trapezoid_np(y, dx=dx), trapezoid_np(y, None, dx)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n", [0, 1, 2, 7, 100])
def test_trapezoid(dtype, layout, n):
    y = make_array((n,), dtype, layout)
    x = laid_out(np.cumsum(make_array((n,), dtype, seed=1)), layout)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    check(trapezoid, y, rtol=rtol)
    check(trapezoid_x, y, x, rtol=rtol)
    check(trapezoid_dx, y, 0.25, rtol=rtol)
    check(trapezoid_dx, y, 3, rtol=rtol)


def test_trapezoid_decreasing_x():
    check(trapezoid_x, np.arange(5.0) ** 2, np.arange(10.0)[::-2])


# ---- np.convolve ---------------------------------------------------------------------------

@njit
def convolve_full(a, v):
    return np.convolve(a, v)


@njit
def convolve_modes_positional(a, v):
    return np.convolve(a, v, "full"), np.convolve(a, v, "same"), np.convolve(a, v, "valid")


@njit
def convolve_modes_keyword(a, v):
    return np.convolve(a, v, mode="full"), np.convolve(a, v, mode="same"), np.convolve(a, v, mode="valid")


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n, m", [(1, 1), (1, 4), (5, 3), (6, 4), (4, 6), (3, 5), (100, 7), (8, 100)])
def test_convolve(dtype, layout, n, m):
    a = make_array((n,), dtype, layout)
    v = make_array((m,), dtype, layout, seed=2)
    for f in (convolve_full, convolve_modes_positional, convolve_modes_keyword):
        got = f(a, v)
        expected = f.py_func(a, v)
        for g, e in zip(got if isinstance(got, tuple) else (got,), expected if isinstance(expected, tuple) else (expected,)):
            assert g.shape == e.shape
            if dtype == np.int64:
                assert g.dtype == e.dtype
                assert_array_equal(g, e)
            else:
                assert_allclose(g, e, rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_convolve_mixed_and_complex():
    check(convolve_modes_positional, np.arange(6), np.arange(4.0))
    check(convolve_modes_keyword, np.arange(3) + 1j, np.arange(2.0))


def test_convolve_empty_raises():
    for a, v in [(np.zeros(0), np.ones(3)), (np.ones(3), np.zeros(0))]:
        with pytest.raises(ValueError):
            np.convolve(a, v)
        with pytest.raises(ValueError):
            convolve_full(a, v)


# ---- np.cov and np.corrcoef ---------------------------------------------------------------

@njit
def cov_variants(m):
    return (np.cov(m), np.cov(m, rowvar=False), np.cov(m, bias=True), np.cov(m, ddof=0), np.cov(m, ddof=2),
            np.cov(m, None, False, True))


@njit
def cov_with_y(m, y):
    return np.cov(m, y), np.cov(m, y=y), np.cov(m, y, rowvar=True, bias=True)


@njit
def cov_with_y_columns(m, y):
    return np.cov(m, y, rowvar=False), np.cov(m, y=y, rowvar=False, ddof=3)


@njit
def corrcoef_variants(m):
    return np.corrcoef(m), np.corrcoef(m, rowvar=False)


@njit
def corrcoef_with_y(m, y):
    return np.corrcoef(m, y), np.corrcoef(m, y=y)


@njit
def corrcoef_with_y_columns(m, y):
    return np.corrcoef(m, y, rowvar=False)


@njit
def cov_1d(m):
    return np.cov(m), np.corrcoef(m)


def assert_close_tuples(got, expected, dtype):
    got = got if isinstance(got, tuple) else (got,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        e = np.asarray(e)
        if e.ndim == 0:  # one variable: NumPy gives a 0-d array, numjit a (1, 1) one
            assert g.shape == (1, 1)
            e = e.reshape(1, 1)
        assert g.shape == e.shape, f"{g.shape} != {e.shape}"
        assert_allclose(g, e, **tolerance(dtype))


def compare(f, *args, dtype=np.float64):
    assert_close_tuples(f(*args), f.py_func(*args), dtype)


@pytest.mark.filterwarnings("ignore:Degrees of freedom")
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 5), (3, 6), (4, 4), (5, 3), (6, 100)], ids=str)
def test_cov_corrcoef(dtype, layout, shape):
    m = laid_out(random_matrix(shape, dtype), layout)
    y = laid_out(random_matrix(shape, dtype, seed=5), layout)
    with np.errstate(all="ignore"):
        compare(cov_variants, m, dtype=dtype)
        compare(cov_with_y, m, y[:2], dtype=dtype)
        if shape[0] > 1:  # (NumPy does not transpose a one-row y for rowvar=False)
            compare(cov_with_y_columns, m, y, dtype=dtype)
        if shape[0] > 1 and shape[1] > 1:
            compare(corrcoef_variants, m, dtype=dtype)
            compare(corrcoef_with_y, m, y[:2], dtype=dtype)
            compare(corrcoef_with_y_columns, m, y, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [2, 7, 100])
def test_cov_corrcoef_1d(dtype, n):
    """NumPy returns 0-d arrays for one 1-D variable; numjit returns (1, 1)."""
    m = random_matrix((2 * n,), dtype)[::2]
    y = random_matrix((n,), dtype, seed=3)
    c, r = cov_1d(m)
    assert c.shape == r.shape == (1, 1)
    assert_allclose(c, np.asarray(np.cov(m)).reshape(1, 1), **tolerance(dtype))
    assert_allclose(r, np.asarray(np.corrcoef(m)).reshape(1, 1), **tolerance(dtype))
    compare(cov_with_y, m, y, dtype=dtype)
    compare(corrcoef_with_y, m, y, dtype=dtype)


# ---- building and cutting matrices --------------------------------------------------------

@njit
def diag(v, k):
    return np.diag(v), np.diag(v, k), np.diag(v, k=k)


@njit
def triangles(m, k):
    return np.triu(m), np.tril(m), np.triu(m, k), np.tril(m, k=k)


@njit
def flips(m):
    return np.flip(m), np.flipud(m)


@njit
def fliplr(m):
    return np.fliplr(m)


@njit
def cross(a, b):
    return np.cross(a, b)


@njit
def kron(a, b):
    return np.kron(a, b)


@njit
def conj(a):
    return np.conj(a)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
@pytest.mark.parametrize("n", [0, 1, 4, 100])
@pytest.mark.parametrize("k", [0, 1, -1, 3, -3])
def test_diag_of_vector(dtype, layout, n, k):
    check(diag, make_array((n,), dtype, layout), k)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (4, 3), (5, 5), (0, 3), (10, 30)], ids=str)
@pytest.mark.parametrize("k", [0, 1, -1, 2, -2, 40, -40])
def test_diag_of_matrix_and_triangles(dtype, layout, shape, k):
    m = make_array(shape, dtype, layout)
    check(diag, m, k)
    check(triangles, m, k)
    check(flips, m)
    check(fliplr, m)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (100,), (2, 3, 4)], ids=str)
def test_flip(dtype, layout, shape):
    check(flips, make_array(shape, dtype, layout))


def check_values(f, *args):
    """Compares values and shapes only (numjit's float32 results of np.cross and
    np.kron are float64: reported, compared exactly in the float64/int64 tests)."""
    got, expected = f(*args), f.py_func(*args)
    assert got.shape == expected.shape
    assert_allclose(got, expected, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
def test_cross(dtype):
    a = make_array((3,), dtype)
    b = make_array((6,), dtype, seed=4)[::2]
    check(cross, a, b)
    check(cross, b, a)
    check(cross, a, a)
    check(cross, np.array([1.0, 0.0, 0.0], dtype), np.array([0.0, 1.0, 0.0], dtype))


def test_cross_float32_values():
    a = make_array((3,), np.float32)
    b = make_array((6,), np.float32, seed=4)[::2]
    check_values(cross, a, b)
    check_values(cross, b, a)


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "transposed"])
@pytest.mark.parametrize("sa, sb", [((1, 1), (2, 3)), ((2, 2), (2, 3)), ((3, 2), (1, 4)), ((4, 5), (3, 2))])
def test_kron(dtype, layout, sa, sb):
    check(kron, make_array(sa, dtype, layout), make_array(sb, dtype, "C", seed=1))
    check(kron, make_array(sa, np.int64, layout), make_array(sb, dtype, layout, seed=1))


@pytest.mark.parametrize("layout", ["C", "F", "transposed"])
def test_kron_float32_values(layout):
    check_values(kron, make_array((3, 2), np.float32, layout), make_array((2, 4), np.float32, "C", seed=1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
def test_conj_of_real_arrays(dtype):
    check(conj, make_array((7,), dtype, "strided"))


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

def measure_blocks(f, *args, repeat=20):
    """(blocks allocated, blocks freed) by compiled code over ``repeat`` calls."""
    from numjit.runtime import allocation_stats
    f(*args)
    gc.collect()
    before = allocation_stats()
    for _ in range(repeat):
        f(*args)
    gc.collect()
    after = allocation_stats()
    return after.alloc - before.alloc, after.free - before.free


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
