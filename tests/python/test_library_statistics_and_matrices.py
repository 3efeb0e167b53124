"""NumPy functions implemented in Python by numjit's library (python/numjit/library):
convolution (np.convolve), covariance and correlation (np.cov, np.corrcoef), and
building and cutting matrices (np.diag, np.triu, np.tril, np.flip, np.fliplr,
np.flipud, np.cross, np.kron, np.conj); against NumPy."""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from conftest import LAYOUTS, check, dtype_id, laid_out, make_array, random_matrix, tolerance
from numjit import njit

DTYPES = [np.float32, np.float64, np.int64]


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
        if e.ndim == 0 and g.ndim == 2:  # one row of a 2-D array: NumPy squeezes, numjit keeps (1, 1)
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
    """One 1-D variable: as in NumPy, a 0-d covariance and a scalar correlation."""
    m = random_matrix((2 * n,), dtype)[::2]
    y = random_matrix((n,), dtype, seed=3)
    c, r = cov_1d(m)
    assert c.shape == () and c.dtype == np.asarray(np.cov(m)).dtype
    assert_allclose(c, np.cov(m), **tolerance(dtype))
    assert_allclose(r, np.corrcoef(m), **tolerance(dtype))
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


@njit
def upper_and_lower(a, k):
    return np.triu(a, k), np.tril(a, k)


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 3, 4), (2, 2, 2, 3)])
@pytest.mark.parametrize("k", [-1, 0, 2])
@pytest.mark.parametrize("layout", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex128])
def test_triu_and_tril_mask_the_last_two_axes(shape, k, layout, dtype):
    a = make_array(shape, dtype, layout if len(shape) == 2 else "C")
    if layout == "F":
        a = np.asfortranarray(a)
    got = upper_and_lower(a, k)
    assert_array_equal(got[0], np.triu(a, k))
    assert_array_equal(got[1], np.tril(a, k))
