"""Inner functions and lambdas, advanced (index-array) indexing, loops with
``else:``, logical and closeness functions, np.digitize, and the axis variants
of reductions, scans and sorts that numjit implements in Python
(numjit/library/axes.py), against plain Python and NumPy."""
import gc

import numpy as np
import pytest

import numjit
from numjit import njit
from numjit.errors import TypingError, UnsupportedError

from conftest import RTOL_SINGLE, check, dtype_id, make_array, random_floats

DTYPES = [np.float32, np.float64, np.int64]
LAYOUTS = ["C", "F", "strided", "transposed"]


# =============================================================================
# Inner functions and lambdas
# =============================================================================

@njit
def inner_uses_params_and_locals(a, k):
    c = 3
    scale = a * 2

    def g(x):
        return x * k + c + scale

    return g(a) + g(1)


@njit
def inner_called_in_loop(n):
    s = 0

    def sq(i):
        return i * i

    for i in range(n):
        s += sq(i)
    return s


@njit
def inner_on_arrays(a, w):
    def weighted(v):
        return (v * w).sum()

    total = 0.0
    for i in range(a.shape[0]):
        total += weighted(a[i])
    return total


@njit
def lambda_bound_to_name(x, y):
    f = lambda v: v * y + 1
    return f(x), f(x + 1)


@njit
def lambda_calls_lambda(x):
    f = lambda y: y + 1
    g = lambda y: f(y) * 2
    return g(x)


@njit
def recursive_inner(n):
    def fib(k):
        if k < 2:
            return k
        return fib(k - 1) + fib(k - 2)

    return fib(n)


@njit
def inner_with_keywords(a, b):
    def h(x, y, z=10):
        return x - 2 * y + 3 * z

    return h(a, b), h(y=a, x=b), h(a, b, z=1), h(a, y=b, z=2), h(z=a, y=b, x=1)


@njit
def two_inner_functions(x):
    def first(y):
        return y + 1

    def second(y):
        return first(y) * 3

    return second(x), first(x)


@njit
def two_inner_functions_capturing(x, k):
    def first(y):
        return y + k

    def second(y):
        return first(y) * 3 - k

    return second(x)


@njit
def late_binding(x):
    def g(y):
        return y + late

    late = x * 10
    return g(1)


@njit
def late_binding_rebound(x):
    def g():
        return value * 2

    value = x
    first = g()
    value = x + 1
    return first, g()


def uses_nonlocal(x):
    c = 0

    def g():
        nonlocal c
        c += x

    g()
    return c


@pytest.mark.parametrize("a, k", [(2, 5), (-3, 0), (1.5, 2.5)])
def test_inner_uses_outer_params_and_locals(a, k):
    check(inner_uses_params_and_locals, a, k)


@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_inner_called_in_loop(n):
    check(inner_called_in_loop, n)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("rows", [1, 5, 100])
def test_inner_on_array_rows(dtype, layout, rows):
    a = make_array((rows, 6), dtype, layout)
    w = make_array((6,), dtype, seed=1)
    check(inner_on_arrays, a, w, rtol=RTOL_SINGLE)


@pytest.mark.parametrize("x, y", [(2, 3), (2.5, -1.0), (0, 0)])
def test_lambda_bound_to_name(x, y):
    check(lambda_bound_to_name, x, y)


@pytest.mark.parametrize("x", [3, -1, 2.5])
def test_lambda_calling_lambda(x):
    check(lambda_calls_lambda, x)


@pytest.mark.parametrize("n, expected", [(0, 0), (1, 1), (2, 1), (10, 55), (20, 6765)])
def test_recursive_inner_function(n, expected):
    assert recursive_inner(n) == expected
    check(recursive_inner, n)


@pytest.mark.parametrize("a, b", [(3, 4), (-1, 7)])
def test_inner_with_keyword_arguments(a, b):
    check(inner_with_keywords, a, b)


def test_two_inner_functions():
    check(two_inner_functions, 4)
    check(two_inner_functions, -2.5)
    check(two_inner_functions_capturing, 2, 7)
    check(two_inner_functions_capturing, 1.5, -3.0)


def test_inner_reads_variable_assigned_after_def():
    check(late_binding, 4)
    assert late_binding(4) == 41
    check(late_binding_rebound, 5)
    assert late_binding_rebound(5) == (10, 12)


def test_nonlocal_is_unsupported():
    assert uses_nonlocal(5) == 5
    with pytest.raises(UnsupportedError, match="nonlocal"):
        njit(uses_nonlocal)(5)


# =============================================================================
# Advanced indexing: one index array on the first axis
# =============================================================================

@njit
def take_rows(A, idx):
    return A[idx]


@njit
def set_rows_scalar(A, idx, value):
    A[idx] = value


@njit
def set_rows(A, idx, rows):
    A[idx] = rows


@njit
def swap_rows(A, i, j):
    A[[i, j]] = A[[j, i]]


@njit
def list_index(a):
    return a[[0, 2]]


@njit
def list_index_vars(a, i, j):
    return a[[i, j, i]]


@njit
def take_rows_sum(A, idx):
    return A[idx].sum()


def _index(n_rows, count, seed=0):
    rng = np.random.default_rng(seed)
    idx = rng.integers(-n_rows, n_rows, count)
    return idx.astype(np.int64)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 3), (5, 4), (100, 7)])
def test_take_rows_2d(dtype, layout, shape):
    A = make_array(shape, dtype, layout)
    for count in (0, 1, 3, 50):
        check(take_rows, A, _index(shape[0], count, seed=count))
    check(take_rows, A, np.array([-1, 0, -shape[0]]))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 2, 3), (4, 3, 5), (100, 2, 3)])
def test_take_rows_3d(dtype, layout, shape):
    A = make_array(shape, dtype, layout)
    check(take_rows, A, _index(shape[0], 6))
    check(take_rows, A, np.array([-1, 0]))


@pytest.mark.parametrize("idx_dtype", [np.int32, np.int64, np.uint8], ids=dtype_id)
def test_take_rows_index_dtypes(idx_dtype):
    A = make_array((6, 3), np.float64)
    check(take_rows, A, np.array([5, 0, 2, 2], idx_dtype))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_take_rows_out_of_range(layout):
    A = make_array((4, 5), np.float64, layout)
    for bad in ([0, 4], [-5], [1, 2, 100]):
        with pytest.raises(IndexError):
            take_rows(A, np.array(bad))
        with pytest.raises(IndexError):
            take_rows.py_func(A, np.array(bad))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 3), (5, 4), (100, 3), (6, 2, 3)])
def test_set_rows_scalar(dtype, layout, shape):
    A = make_array(shape, dtype, layout)
    check(set_rows_scalar, A, np.array([0, -1]), dtype(9))
    check(set_rows_scalar, A, _index(shape[0], 5, seed=2), dtype(-4))
    check(set_rows_scalar, A, np.zeros(0, np.int64), dtype(1))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 3), (5, 4), (100, 3)])
def test_set_rows_one_row_per_index(dtype, layout, shape):
    A = make_array(shape, dtype, layout)
    idx = np.array([shape[0] - 1, 0]) if shape[0] > 1 else np.array([0])
    rows = make_array((idx.size, shape[1]), dtype, layout, seed=3) * 10
    check(set_rows, A, idx, rows)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_set_rows_one_row_broadcast(dtype, layout):
    A = make_array((6, 4), dtype, layout)
    row = (np.arange(4) + 50).astype(dtype).reshape(1, 4)
    check(set_rows, A, np.array([1, 3, -1]), row)


def test_set_rows_3d():
    A = make_array((5, 2, 3), np.float64, "F")
    check(set_rows, A, np.array([4, 1]), np.full((2, 2, 3), 7.5))


def test_set_rows_wrong_count_raises():
    A = make_array((5, 4), np.float64)
    with pytest.raises(ValueError):
        set_rows(A, np.array([1, 3]), np.ones((3, 4)))
    with pytest.raises(IndexError):
        set_rows_scalar(A, np.array([1, 5]), 0.0)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("rows", [2, 5, 100])
def test_swap_rows(dtype, layout, rows):
    A = make_array((rows, 3), dtype, layout)
    check(swap_rows, A, 0, rows - 1)
    check(swap_rows, A, -1, 1)
    before = A.copy()
    swap_rows(A, 0, 1)
    np.testing.assert_array_equal(A[0], before[1])
    np.testing.assert_array_equal(A[1], before[0])


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_list_of_int_index(dtype, layout):
    check(list_index, make_array((5,), dtype, layout))
    check(list_index, make_array((3, 4), dtype, layout))
    check(list_index_vars, make_array((7,), dtype, layout), 3, -7)
    with pytest.raises(IndexError):
        list_index_vars(make_array((7,), dtype, layout), 3, 7)


# =============================================================================
# Advanced indexing: several index arrays (pointwise)
# =============================================================================

@njit
def pointwise_read(a, rows, cols):
    return a[rows, cols]


@njit
def pointwise_set_scalar(a, rows, cols, value):
    a[rows, cols] = value


@njit
def pointwise_set_values(a, rows, cols, values):
    a[rows, cols] = values


@njit
def pointwise_iadd(a, rows, cols, values):
    a[rows, cols] += values


@njit
def mixed_row_array(a, rows):
    return a[rows, 1]


@njit
def mixed_col_array(a, cols):
    return a[-1, cols]


@njit
def mixed_set(a, rows, value):
    a[rows, 1] = value


def _pairs(shape, count, seed=0):
    """Distinct (row, col) pairs, some with negative indices."""
    rng = np.random.default_rng(seed)
    flat = rng.permutation(shape[0] * shape[1])[:count]
    rows, cols = np.divmod(flat, shape[1])
    rows = np.where(rng.random(rows.size) < 0.3, rows - shape[0], rows)
    return rows.astype(np.int64), cols.astype(np.int64)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (4, 5), (100, 3)])
def test_pointwise(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    count = min(3, shape[0] * shape[1])
    rows, cols = _pairs(shape, count)
    check(pointwise_read, a, rows, cols)
    check(pointwise_set_scalar, a, rows, cols, dtype(-2))
    values = (np.arange(count) + 20).astype(dtype)
    check(pointwise_set_values, a, rows, cols, values)
    check(pointwise_iadd, a, rows, cols, values)
    check(pointwise_iadd, a, rows, cols, dtype(3))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_mixed_integer_and_array(dtype, layout):
    a = make_array((6, 4), dtype, layout)
    check(mixed_row_array, a, np.array([0, 5, -1, 2]))
    check(mixed_col_array, a, np.array([3, -4, 0]))
    check(mixed_set, a, np.array([0, -2]), dtype(11))


def test_pointwise_errors():
    a = make_array((4, 5), np.float64)
    with pytest.raises(IndexError):
        pointwise_read(a, np.array([0, 1, 3]), np.array([4, 0]))
    with pytest.raises(IndexError):
        pointwise_set_scalar(a, np.array([0, 1]), np.array([4, 0, 1]), 1.0)
    with pytest.raises(IndexError):
        pointwise_read(a, np.array([0, 4]), np.array([0, 0]))
    with pytest.raises(IndexError):
        pointwise_read(a, np.array([0, 1]), np.array([0, -6]))
    with pytest.raises(IndexError):
        pointwise_set_scalar(a, np.array([0, 1]), np.array([5, 0]), 1.0)
    with pytest.raises(IndexError):
        mixed_row_array(a, np.array([4]))


# =============================================================================
# Memory of fancy-index reads
# =============================================================================

REPEAT = 20


@pytest.fixture
def stats():
    from numjit.runtime import allocation_stats
    gc.collect()
    return allocation_stats


def _leaked(stats, action, repeat=REPEAT):
    gc.collect()
    before = stats()
    for _ in range(repeat):
        action()
    gc.collect()
    after = stats()
    return after.alloc - before.alloc, after.free - before.free


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_fancy_read_frees_its_temporaries(stats, layout):
    A = make_array((50, 4), np.float64, layout)
    idx = _index(50, 30)
    check(take_rows_sum, A, idx)
    allocs, frees = _leaked(stats, lambda: take_rows_sum(A, idx))
    assert allocs >= REPEAT
    assert allocs == frees, f"{allocs - frees} blocks leaked"


def test_fancy_read_results_are_freed(stats):
    A = make_array((20, 3), np.float64)
    rows, cols = _pairs((20, 3), 10)
    idx = _index(20, 15)
    check(take_rows, A, idx)
    check(pointwise_read, A, rows, cols)
    allocs, frees = _leaked(stats, lambda: (take_rows(A, idx), pointwise_read(A, rows, cols), list_index(A)))
    assert allocs >= 3 * REPEAT
    assert allocs == frees, f"{allocs - frees} blocks leaked"


def test_fancy_read_shape_error_allocates_nothing(stats):
    A = make_array((5, 3), np.float64)

    def failing():
        with pytest.raises(IndexError):
            pointwise_read(A, np.array([0, 1]), np.array([0, 0, 0]))

    allocs, frees = _leaked(stats, failing)
    assert allocs == frees, f"{allocs - frees} blocks leaked"


# =============================================================================
# Loops with else
# =============================================================================

@njit
def for_else_search(a, target):
    found = -1
    for i in range(a.shape[0]):
        if a[i] == target:
            found = i
            break
    else:
        found = -2
    return found


@njit
def for_else_over_array(a, target):
    flag = 0
    for v in a:
        if v == target:
            break
    else:
        flag = 1
    return flag


@njit
def while_else(n, stop):
    i = 0
    r = 0
    while i < n:
        if i == stop:
            r = 100
            break
        i += 1
    else:
        r = -1
    return r, i


@njit
def nested_break_does_not_count(n, m, stop):
    count = 0
    elses = 0
    for i in range(n):
        for j in range(m):
            if j == stop:
                break
            count += 1
        else:
            elses += 10
    else:
        elses += 1
    return count, elses


@njit
def while_else_inner_break(n):
    i = 0
    total = 0
    while i < n:
        j = 0
        while j < 10:
            if j == 3:
                break
            j += 1
        total += j
        i += 1
    else:
        total = -total
    return total


@njit
def nested_if_break(a, lo, hi):
    res = 0
    for i in range(a.shape[0]):
        if a[i] > lo:
            if a[i] < hi:
                res = i
                break
            else:
                res -= 1
    else:
        res = 1000 + res
    return res


@njit
def primes_below(n):
    out = np.zeros(max(n, 0), np.int64)
    k = 0
    for p in range(2, n):
        for d in range(2, p):
            if p % d == 0:
                break
        else:
            out[k] = p
            k += 1
    return out[:k]


@njit
def for_else_continue(n):
    s = 0
    for i in range(n):
        if i % 2:
            continue
        s += i
    else:
        s *= 100
    return s


@njit
def for_else_return(n):
    for i in range(n):
        if i == 3:
            return i
    else:
        return -1


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_for_else(dtype, n):
    a = np.arange(n).astype(dtype)
    for target in (0, n // 2, n - 1, n + 5):
        check(for_else_search, a, dtype(target))
        check(for_else_over_array, a, dtype(target))
    check(for_else_over_array, a[::2], dtype(1))


def test_for_else_results():
    a = np.arange(5.0)
    assert for_else_search(a, 3.0) == 3
    assert for_else_search(a, 9.0) == -2
    assert for_else_over_array(a, 2.0) == 0
    assert for_else_over_array(a, 9.0) == 1


@pytest.mark.parametrize("n, stop", [(10, 4), (10, 40), (0, 0), (1, 0), (100, 99)])
def test_while_else(n, stop):
    check(while_else, n, stop)


@pytest.mark.parametrize("n, m, stop", [(3, 4, 2), (3, 4, 9), (0, 4, 2), (5, 0, 0), (4, 4, 0)])
def test_break_in_nested_loop_does_not_count(n, m, stop):
    check(nested_break_does_not_count, n, m, stop)


def test_nested_break_values():
    assert nested_break_does_not_count(3, 4, 2) == (6, 1)
    assert nested_break_does_not_count(3, 4, 9) == (12, 31)
    check(while_else_inner_break, 4)
    assert while_else_inner_break(4) == -12


@pytest.mark.parametrize("lo, hi", [(4.0, 6.0), (10.0, 6.0), (0.0, 0.5), (0.0, 2.0)])
def test_break_inside_nested_if(lo, hi):
    check(nested_if_break, np.array([1.0, 5.0, 9.0, 3.0]), lo, hi)


@pytest.mark.parametrize("n", [0, 2, 3, 50, 100])
def test_for_else_primes_continue_return(n):
    check(primes_below, n)
    check(for_else_continue, n)
    check(for_else_return, n)


# =============================================================================
# np.logical_*, np.isclose, np.allclose, np.digitize
# =============================================================================

@njit
def logical_all(a, b):
    return np.logical_and(a, b), np.logical_or(a, b), np.logical_xor(a, b), np.logical_not(a)


@njit
def logical_with_scalar(a, s):
    return np.logical_and(a, s), np.logical_or(s, a), np.logical_xor(a, s)


@njit
def isclose_default(x, y):
    return np.isclose(x, y), np.isclose(x, y, equal_nan=True)


@njit
def isclose_tolerances(x, y, rtol, atol):
    return np.isclose(x, y, rtol, atol), np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)


@njit
def allclose_all(x, y):
    return np.allclose(x, y), np.allclose(x, y, equal_nan=True), np.allclose(x, y, 1e-2, 1e-3)


@njit
def digitize_both(x, bins):
    return np.digitize(x, bins), np.digitize(x, bins, right=True), np.digitize(x, bins, False)


def _logical_operand(shape, dtype, layout, seed):
    a = make_array(shape, dtype, layout, seed=seed)
    return a * (a % 3 != 0).astype(dtype) if dtype != np.bool_ else a


@pytest.mark.parametrize("dtype", DTYPES + [np.bool_], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1,), (7,), (100,), (5, 6)])
def test_logical_functions_on_arrays(dtype, layout, shape):
    if len(shape) == 1 and layout in ("F", "transposed"):
        shape = (shape[0], 2)
    a = _logical_operand(shape, dtype, layout, 0)
    b = _logical_operand(shape, dtype, "C", 1)
    check(logical_all, a, b)
    check(logical_with_scalar, a, dtype(0))
    check(logical_with_scalar, a, dtype(1))


def test_logical_functions_broadcast_and_scalars():
    a = np.arange(6.0).reshape(2, 3)
    check(logical_all, a, np.array([1.0, 0.0, 1.0]))
    for x, y in [(1.0, 0.0), (3, 0), (0, 0), (True, True), (2.5, -1.0)]:
        check(logical_all, x, y)


# Finite values and NaNs (infinities: see the report).
CLOSE_X = np.array([1.0, np.nan, 3.0, 1e10, 0.0, 2.0, -1.0, 1e-9, np.nan])
CLOSE_Y = np.array([1.0 + 1e-9, np.nan, 3.1, 1.00001e10, 1e-9, 2.00001, -1.0001, 0.0, 1.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
def test_isclose_arrays(dtype):
    x, y = CLOSE_X.astype(dtype), CLOSE_Y.astype(dtype)
    check(isclose_default, x, y)
    check(isclose_tolerances, x, y, 0.1, 0.0)
    check(isclose_tolerances, x, y, 0.0, 1e-3)
    check(isclose_default, x, dtype(1.0))
    check(isclose_default, x.reshape(3, 3).T, y.reshape(3, 3))
    check(isclose_default, x[::2], y[::2])


def test_isclose_scalars_and_ints():
    check(isclose_default, 1.0, 1.0 + 1e-10)
    check(isclose_default, 1.0, 1.1)
    check(isclose_default, np.nan, np.nan)
    check(isclose_default, np.arange(5), np.array([0, 1, 2, 4, 4]))


@pytest.mark.parametrize("x, y", [
    (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9])),
    (np.array([1.0, 2.0]), np.array([1.0, 2.1])),
    (np.array([np.nan, 1.0]), np.array([np.nan, 1.0])),
    (np.array([np.nan, 1.0]), np.array([1.0, 1.0])),
    (np.array([1.0, 2.0, 3.0]), np.array([1.001, 2.001, 3.001])),
    (np.zeros(0), np.zeros(0)),
    (np.arange(100.0).reshape(10, 10), np.arange(100.0).reshape(10, 10).T.copy().T),
])
def test_allclose(x, y):
    check(allclose_all, x, y)
    assert allclose_all(x, y) == allclose_all.py_func(x, y)


def test_allclose_array_against_scalar():
    check(allclose_all, np.full(4, 2.0), 2.0)
    check(allclose_all, np.array([2.0, 2.5]), 2.0)


BINS = np.array([0.0, 1.0, 2.5, 4.0])
XS = np.array([-1.0, 0.0, 0.5, 1.0, 2.5, 3.0, 4.0, 10.0])


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_digitize(dtype):
    x, bins = XS.astype(dtype), BINS.astype(dtype) if dtype != np.int64 else np.array([0, 1, 3, 4])
    check(digitize_both, x, bins)
    check(digitize_both, x[::2], bins)
    check(digitize_both, x.reshape(2, 4), bins)
    check(digitize_both, x.reshape(4, 2).T, bins)
    check(digitize_both, np.zeros(0, dtype), bins)
    check(digitize_both, dtype(1), bins)


@pytest.mark.parametrize("n", [1, 7, 100])
def test_digitize_random(n):
    bins = np.sort(random_floats(10, seed=4))
    x = np.concatenate((random_floats(n, low=-1.5, high=1.5, seed=n), bins[:3]))
    check(digitize_both, x, bins)
    check(digitize_both, x, bins[:1])


# =============================================================================
# Axis variants (Python library fallbacks)
# =============================================================================

@njit
def argmax_argmin_axis(a, axis):
    return np.argmax(a, axis=axis), a.argmax(axis=axis), np.argmin(a, axis=axis), a.argmin(axis=axis), \
        np.argmax(a, axis)


@njit
def var_std_axis(a, axis):
    return np.var(a, axis=axis), np.std(a, axis=axis), a.var(axis=axis), a.std(axis=axis, ddof=1), \
        np.var(a, axis=axis, ddof=1), np.std(a, axis, ddof=2)


@njit
def var_std_ddof(a, ddof):
    return np.var(a, ddof=ddof), a.std(ddof=ddof)


@njit
def median_axis(a, axis):
    return np.median(a, axis=axis)


@njit
def scans_axis(a, axis):
    return np.cumsum(a, axis=axis), a.cumsum(axis=axis), np.cumprod(a, axis=axis), a.cumprod(axis=axis)


@njit
def sort_axis(a, axis):
    return np.sort(a, axis=axis), np.sort(a, axis)


@njit
def sort_none(a):
    return np.sort(a, axis=None)


@njit
def sort_in_place_axis0(a):
    a.sort(axis=0)


@njit
def sort_in_place_default(a):
    a.sort()


@njit
def argsort_axis(a, axis):
    return np.argsort(a, axis=axis), a.argsort(axis=axis)


@njit
def argsort_mergesort(a, axis):
    return np.argsort(a, axis=axis, kind="mergesort"), a.argsort(axis=axis, kind="mergesort")


@njit
def average_weights(a, w):
    return np.average(a, weights=w)


@njit
def average_axis_weights(a, axis, w):
    return np.average(a, axis=axis, weights=w)


@njit
def average_no_weights(a):
    return np.average(a), np.average(a, axis=0)


@njit
def round_decimals(a, d):
    return np.round(a, d), np.around(a, d), np.round(a, decimals=d)


@njit
def round_default(a):
    return np.round(a), np.around(a)


@njit
def flat_values(a):
    out = np.empty(a.size, a.dtype)
    k = 0
    for v in a.flat:
        out[k] = v
        k += 1
    return out


@njit
def flat_set(a, i, v):
    a.flat[i] = v


@njit
def flat_get(a, i):
    return a.flat[i]


@njit
def flat_fill(a):
    for i in range(a.size):
        a.flat[i] = i * 2


@njit(boundscheck=True)
def flat_set_checked(a, i, v):
    a.flat[i] = v


def flat_set_plain(a, i, v):
    a.flat[i] = v


@njit
def stack_pair(a, b):
    return np.stack((a, b), axis=1), np.stack((a, b), axis=-1), np.stack((a, b)), np.stack((a, b), axis=0)


@njit
def stack_three(a, b, c):
    return np.stack((a, b, c), axis=1)


AXES = [0, 1, -1, -2]
SHAPES_2D = [(1, 1), (3, 4), (100, 7), (7, 100)]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_argmax_argmin_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in AXES:
        check(argmax_argmin_axis, a, axis)


def test_argmax_axis_1d_and_bad_axis():
    check(argmax_argmin_axis, np.array([3.0, 7.0, 1.0, 7.0]), 0)
    check(argmax_argmin_axis, np.array([3.0, 7.0, 1.0, 7.0]), -1)
    with pytest.raises(np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError):
        argmax_argmin_axis(make_array((3, 4), np.float64), 2)


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(3, 4), (100, 7), (7, 100)])
def test_var_std_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in AXES:
        check(var_std_axis, a, axis)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_var_std_axis_float32_values(layout):
    # numjit widens the float32 results along an axis to float64 (see the report); the values agree.
    a = make_array((6, 5), np.float32, layout)
    for axis in AXES:
        for got, expected in zip(var_std_axis(a, axis), var_std_axis.py_func(a, axis)):
            np.testing.assert_allclose(got, expected, rtol=RTOL_SINGLE)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_var_std_ddof(dtype, ddof):
    a = make_array((4, 5), dtype, "F")
    for got, expected in zip(var_std_ddof(a, ddof), var_std_ddof.py_func(a, ddof)):
        np.testing.assert_allclose(got, expected, rtol=RTOL_SINGLE if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_median_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in AXES:
        check(median_axis, a, axis)


def test_median_axis_float32_values_and_1d():
    a = make_array((5, 6), np.float32, "strided")
    for axis in AXES:
        np.testing.assert_allclose(median_axis(a, axis), median_axis.py_func(a, axis), rtol=RTOL_SINGLE)
    check(median_axis, np.array([3.0, 1.0, 2.0, 8.0]), 0)
    check(median_axis, random_floats(100), -1)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (100, 3), (3, 30)])
def test_cumsum_cumprod_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    if shape[0] * shape[1] > 20:
        a = (a % 2 + 1).astype(dtype)  # keep the products small and exact
    for axis in AXES:
        check(scans_axis, a, axis)
    check(scans_axis, make_array((7,), dtype), 0)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_sort_axis(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    for axis in AXES:
        check(sort_axis, a, axis)
    check(sort_none, a)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (5, 4), (100, 3)])
def test_sort_in_place(dtype, layout, shape):
    a = make_array(shape, dtype, layout)
    check(sort_in_place_axis0, a)
    b = make_array(shape, dtype, layout, seed=9)
    check(sort_in_place_default, b)
    assert np.all(np.diff(a, axis=0) >= 0)
    assert np.all(np.diff(b, axis=1) >= 0)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_argsort_axis(dtype, layout, shape):
    # Distinct values: any correct sort gives the same permutation.
    values = np.random.default_rng(1).permutation(shape[0] * shape[1]).astype(dtype)
    a = make_array(shape, dtype, layout)
    a[...] = values.reshape(shape)
    for axis in AXES:
        check(argsort_axis, a, axis)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES_2D)
def test_argsort_mergesort_is_stable(dtype, layout, shape):
    a = make_array(shape, dtype, layout)  # many ties
    for axis in AXES:
        check(argsort_mergesort, a, axis)
    check(argsort_mergesort, make_array((50,), dtype), 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64], ids=dtype_id)
@pytest.mark.parametrize("n", [1, 7, 100])
def test_average_weights(dtype, n):
    a = make_array((n,), dtype)
    w = make_array((n,), np.float64, seed=5)
    check(average_weights, a, w, rtol=RTOL_SINGLE)
    check(average_weights, a[::-1], w)
    A = make_array((n, 3), dtype, "F")
    check(average_weights, A, make_array((n, 3), np.float64, seed=6), rtol=RTOL_SINGLE)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (100, 5)])
def test_average_axis_weights(layout, shape):
    a = make_array(shape, np.float64, layout)
    check(average_axis_weights, a, 0, make_array((shape[0],), np.float64, seed=7))
    check(average_axis_weights, a, 1, make_array((shape[1],), np.float64, seed=8))
    check(average_axis_weights, a, -1, make_array((shape[1],), np.float64, seed=9))
    check(average_no_weights, a)


def test_average_zero_weights_raise():
    a = make_array((3, 4), np.float64)
    with pytest.raises(ZeroDivisionError):
        average_weights(a[0], np.zeros(4))
    with pytest.raises(ZeroDivisionError):
        average_weights(a[0], np.array([1.0, -1.0, 0.0, 0.0]))
    with pytest.raises(ZeroDivisionError):
        average_axis_weights(a, 1, np.array([1.0, -1.0, 0.0, 0.0]))
    with pytest.raises(ZeroDivisionError):
        average_axis_weights(a, 0, np.zeros(3))
    with pytest.raises(ZeroDivisionError):
        average_axis_weights.py_func(a, 0, np.zeros(3))


ROUND_VALUES = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 1.234, -1.255, 15.0, 25.0, 35.0, 123.456, -45.0, 2.675])
# Without the float32 near-ties at two decimals (-1.255, 2.675): see the report.
ROUND_VALUES_32 = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 1.234, 15.0, 25.0, 35.0, 123.456, -45.0, 0.125])


@pytest.mark.parametrize("decimals", [0, 2, -1, 1, -2])
def test_round_arrays(decimals):
    check(round_decimals, ROUND_VALUES, decimals)
    check(round_decimals, ROUND_VALUES[::2], decimals)
    check(round_decimals, ROUND_VALUES[:12].reshape(3, 4).T, decimals)
    check(round_decimals, np.asfortranarray(ROUND_VALUES[:12].reshape(4, 3)), decimals)
    check(round_decimals, ROUND_VALUES_32.astype(np.float32), decimals)
    check(round_decimals, np.array([15, 25, -35, 44, 123, 0]), decimals)
    check(round_decimals, random_floats(100, low=-50, high=50), decimals)
    check(round_decimals, np.zeros(0), decimals)


@pytest.mark.parametrize("decimals", [0, 2, -1])
@pytest.mark.parametrize("value", [2.5, 3.5, -2.5, 1.2345, 125.0, 135.0, 0.0, -7.77])
def test_round_scalars(decimals, value):
    check(round_decimals, value, decimals)


def test_round_default_is_half_to_even():
    check(round_default, ROUND_VALUES)
    np.testing.assert_array_equal(round_default(np.array([0.5, 1.5, 2.5, -2.5]))[0], [0.0, 2.0, 2.0, -2.0])
    check(round_default, 2.5)
    check(round_default, -0.5)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (100, 3), (2, 3, 4)])
def test_flat_iteration(dtype, layout, shape):
    check(flat_values, make_array(shape, dtype, layout))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("shape", [(1,), (7,), (3, 4), (100, 3), (2, 3, 4)])
def test_flat_write_c_arrays(dtype, shape):
    a = make_array(shape, dtype)
    size = a.size
    for i in (0, size - 1, size // 2, -1, -size):
        check(flat_set, a, i, dtype(-9))
        check(flat_get, a, i)
    check(flat_fill, a)


@pytest.mark.parametrize("layout", ["strided", "transposed"])
def test_flat_write_non_contiguous_raises(layout):
    a = make_array((3, 4), np.float64, layout)
    flat_set_plain(a, 1, 5.0)  # fine in NumPy
    with pytest.raises(TypingError):
        njit(flat_set_plain)(a, 1, 5.0)


def test_flat_write_out_of_range_with_boundscheck():
    a = make_array((3, 4), np.float64)
    with pytest.raises(IndexError):
        flat_set_checked(a, 12, 1.0)
    with pytest.raises(IndexError):
        flat_set_checked(a, -13, 1.0)
    flat_set_checked(a, 11, 1.0)
    assert a[2, 3] == 1.0


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 7, 100])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_stack_axis1(dtype, n, layout):
    a = make_array((n,), dtype, layout)
    b = make_array((n,), dtype, layout, seed=3)
    b *= 2  # the same layout as a (a tuple of arrays of two layouts: see the report)
    check(stack_pair, a, b)
    check(stack_three, a, b, a)


def test_stack_mismatched_lengths_raise():
    with pytest.raises(ValueError):
        stack_pair(np.arange(4.0), np.arange(3.0))
