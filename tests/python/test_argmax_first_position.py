"""np.argmax/np.argmin of numbers run as two vectorized passes (the extreme,
then the first position holding it). Their answer must stay NumPy's: the first
of equal extremes, the first NaN once there is one, either zero of a +0.0/-0.0
tie, the integer limits, booleans, over every size around the vector widths,
strided and reversed views, expressions, and parallel=True chunks whose ties
fall in different chunks."""
import numpy as np
import pytest

from conftest import dtype_id, num_threads
import numjit.config
from numjit import njit

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.uint8, np.uint64, np.int8, np.bool_]
SIZES = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1000, 4099]


@njit
def argmax(a):
    return np.argmax(a)


@njit
def argmin(a):
    return a.argmin()


@njit
def argmax_of_sum(a, b):
    return np.argmax(a + b)


@njit
def argmin_of_product(a, b):
    return np.argmin(a * b)


@njit(parallel=True)
def parallel_argmax(a):
    return np.argmax(a)


@njit(parallel=True)
def parallel_argmin(a):
    return np.argmin(a)


def expect_same(f, *args):
    want = f.py_func(*args)
    got = f(*args)
    assert got == want, f"{f.__name__}: {got} where NumPy gives {want}"
    assert isinstance(got, int)


def few_values(n, dtype, seed):
    """Small values, so that the extreme is tied many times."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 4, n).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", SIZES)
def test_the_first_of_tied_extremes(dtype, n):
    for seed in range(3):
        a = few_values(n, dtype, seed)
        for f in (argmax, argmin):
            expect_same(f, a)
            expect_same(f, a[::-1])
            expect_same(f, a[::3])
        expect_same(argmax_of_sum, a, a[::-1].copy())
        expect_same(argmin_of_product, a, a[::-1].copy())


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
@pytest.mark.parametrize("n", SIZES)
def test_nan_and_infinities_anywhere(dtype, n):
    rng = np.random.default_rng(n)
    for where in sorted({0, n // 2, n - 1}):
        a = rng.standard_normal(n).astype(dtype)
        a[where] = np.nan
        if n > 2:
            a[(where + 1) % n] = np.nan  # a later NaN never wins
        for f in (argmax, argmin):
            expect_same(f, a)
            expect_same(f, a[::-1])
        b = a.copy()
        b[where] = np.inf
        b[(where + n // 3) % n] = np.inf
        expect_same(argmax, b)
        b[where] = -np.inf
        expect_same(argmin, b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
@pytest.mark.parametrize("n", [1, 2, 9, 17, 100])
def test_signed_zeros_and_all_infinite_arrays(dtype, n):
    for first, second in ((0.0, -0.0), (-0.0, 0.0)):
        a = np.full(n, -1.0, dtype)
        a[n // 2] = first
        a[-1] = second
        expect_same(argmax, a)
        expect_same(argmin, -a)
        expect_same(argmin, np.abs(a))
    for value in (np.inf, -np.inf, np.nan):
        a = np.full(n, value, dtype)
        expect_same(argmax, a)
        expect_same(argmin, a)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint64, np.uint8, np.int8], ids=dtype_id)
def test_integer_limits(dtype):
    info = np.iinfo(dtype)
    for n in (1, 5, 33):
        for value in (info.min, info.max):
            a = np.full(n, value, dtype)
            expect_same(argmax, a)
            expect_same(argmin, a)
        a = np.full(n, info.min, dtype)
        a[-1] = info.max
        expect_same(argmax, a)
        expect_same(argmin, a[::-1])


def test_two_dimensional_arrays_in_every_layout():
    a = few_values(60, np.float64, 9).reshape(6, 10)
    for view in (a, np.asfortranarray(a), a.T, a[:, ::2], a[::-1, 1:]):
        expect_same(argmax, view)
        expect_same(argmin, view)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("n", [2**14, 100_003, 2**18])
def test_ties_that_fall_in_different_parallel_chunks(dtype, n):
    # The first extreme sits late, an equal one early in a later chunk: each
    # chunk's first position must move past the chunks before it.
    for first_at in (n - 1, n // 2 + 1, n // 3, 1):
        a = (np.arange(n) % 5).astype(dtype)
        a[first_at] = 9
        a[-1] = 9
        b = -a
        for threads in range(1, numjit.config.NUMBA_NUM_THREADS + 1):
            with num_threads(threads):
                assert parallel_argmax(a) == np.argmax(a)
                assert parallel_argmin(b) == np.argmin(b)
        if dtype in (np.float64, np.float32):
            c = a.astype(dtype)
            c[n // 4] = np.nan
            c[n - 2] = np.nan
            with num_threads(numjit.config.NUMBA_NUM_THREADS):
                assert parallel_argmax(c) == np.argmax(c)
                assert parallel_argmin(c) == np.argmin(c)


def test_an_empty_array_still_raises():
    for f in (argmax, argmin, parallel_argmax):
        with pytest.raises(ValueError, match="empty sequence"):
            f(np.zeros(0))


@njit
def argmax_of_slice(a, start):
    view = a[start:]  # contiguous at run time, of any layout by type
    return np.argmax(view), np.argmin(view)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=dtype_id)
@pytest.mark.parametrize("where", [0, 1, 2047, 2048, 2049, 4095, 4096, 6143, 6144, 9000])
def test_extremes_on_either_side_of_a_block_edge(dtype, where):
    # A C-contiguous float array runs in blocks of 2048: the block holding the
    # first extreme must win over a later block holding an equal one, and a
    # NaN anywhere over every number.
    n = 9001
    a = np.random.default_rng(where).uniform(-1.0, 1.0, n).astype(dtype)
    later = min(where + 2048 + 5, n - 1)
    a[where] = a[later] = 7.0
    expect_same(argmax, a)
    expect_same(argmin, -a)
    expect_same(argmax, a.reshape(1, n))
    assert argmax_of_slice(a, 1) == argmax_of_slice.py_func(a, 1)
    b = a.copy()
    b[where] = np.nan
    b[later] = np.nan
    expect_same(argmax, b)
    expect_same(argmin, b)
    c = np.full(n, -np.inf, dtype)
    c[where] = np.nan
    expect_same(argmax, c)
    c[where] = -np.inf
    expect_same(argmax, c)
    expect_same(argmin, c)
    z = np.zeros(n, dtype)
    z[where] = -0.0
    expect_same(argmax, z)
    expect_same(argmin, z)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint16, np.int8], ids=dtype_id)
@pytest.mark.parametrize("where", [0, 2047, 2048, 4096, 9000])
def test_integer_extremes_on_either_side_of_a_block_edge(dtype, where):
    info = np.iinfo(dtype)
    n = 9001
    a = np.random.default_rng(where).integers(info.min + 1, info.max, n, dtype=dtype, endpoint=False)
    later = min(where + 2048 + 5, n - 1)
    a[where] = a[later] = info.max
    expect_same(argmax, a)
    a[where] = a[later] = info.min
    expect_same(argmin, a)
    assert argmax_of_slice(a, 1) == argmax_of_slice.py_func(a, 1)
    expect_same(argmax, np.full(n, info.min, dtype))
    expect_same(argmin, np.full(n, info.max, dtype))


@njit
def argmax_of_sines(a):
    return np.sin(a).argmax(), np.argmin(np.cos(a))


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float64], ids=dtype_id)
@pytest.mark.parametrize("n", [7, 32, 1001, 2**14 + 3])
def test_an_expression_with_a_math_function_ties_as_numpy(dtype, n):
    # Equal inputs give equal elements: an expression is folded in one pass, so
    # the extreme found is the one whose position is kept (fuzz seed 26262).
    a = np.random.default_rng(n).integers(-15, 15, n).astype(dtype)
    assert argmax_of_sines(a) == argmax_of_sines.py_func(a)
    assert argmax_of_sines(a.reshape(-1, 1)) == argmax_of_sines.py_func(a.reshape(-1, 1))
