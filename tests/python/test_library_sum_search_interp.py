"""NumPy and builtin functions implemented in Python by numjit's library
(python/numjit/library): builtin sum over arrays, lists and tuples; non-zero
search (np.count_nonzero, np.flatnonzero, np.argwhere, np.nonzero) and shape
queries; interpolation and integration (np.interp, np.trapezoid); against NumPy."""
import numpy as np
import pytest

from conftest import LAYOUTS, check, dtype_id, laid_out, make_array
from numjit import njit

DTYPES = [np.float32, np.float64, np.int64]
trapezoid_np = np.trapezoid if hasattr(np, "trapezoid") else np.trapz


def with_zeros(shape, dtype, layout):
    """A sample array in ``layout`` with about a third of its elements zero."""
    a = make_array(shape, dtype, layout)
    if np.dtype(dtype).kind != "b":
        a[a % 3 == 1] = 0
    return a


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
