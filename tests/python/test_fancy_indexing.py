"""Advanced (index-array) indexing: one index array or a list of ints on the
first axis (reads, writes, swaps), several index arrays used pointwise, integers
mixed with arrays, out-of-range and shape errors, and that fancy-index reads
free their temporaries and results; against plain Python and NumPy."""
import gc

import numpy as np
import pytest

from numjit import njit

from conftest import LAYOUTS, check, dtype_id, make_array

DTYPES = [np.float32, np.float64, np.int64]


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
