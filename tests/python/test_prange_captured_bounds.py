"""A prange body is compiled apart from its function, and reads the locals
it captures from a context: what the function knows of them (`m` of `n, m =
a.shape` is >= 0, an enclosing `for k in range(n)` gives k >= 0, `if k >= 2`
gives k >= 2) is handed on, so `x % m` is an unsigned remainder and indexing
with them skips the negative-index wraparound. Where a captured local may be
negative (assigned below zero, a loop from -3, the `else` of a bound, a flag
that leaves it unassigned) negative indices must still count from the end.
Each kernel is compared with its plain-Python run under 1 and 2 threads."""
import numpy as np
import pytest

from conftest import check_threads, dtype_id, make_array
from numjit import njit, prange

DTYPES = [np.uint8, np.int64, np.float32, np.float64]
SHAPES = [(1, 1), (1, 7), (5, 1), (3, 4), (17, 33), (64, 65)]


@njit(parallel=True)
def life_step(a):
    n, m = a.shape
    out = np.empty_like(a)
    for i in prange(n):
        for j in range(m):
            count = 0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    if di != 0 or dj != 0:
                        count += a[(i + di) % n, (j + dj) % m]
            out[i, j] = count
    return out


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_periodic_neighbours_by_modulo_of_extents(shape, dtype, layout):
    check_threads(life_step, make_array(shape, dtype, layout))


@njit(parallel=True)
def eliminate(a0):
    a = a0.copy()
    n = a.shape[0]
    for k in range(n):
        for i in prange(k + 1, n):
            f = a[i, k] / a[k, k]
            for j in range(k, n):
                a[i, j] -= f * a[k, j]
    return a


@pytest.mark.parametrize("n", [1, 2, 5, 31, 80])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=dtype_id)
def test_enclosing_loop_variable_starts_an_inner_range(n, dtype):
    rng = np.random.default_rng(n)
    a = (rng.random((n, n)) + n * np.eye(n)).astype(dtype)
    check_threads(eliminate, a, rtol=1e-5 if dtype == np.float32 else 1e-12)


@njit(parallel=True)
def sizes_as_divisors(a, xs):
    total = a.size
    rank = a.ndim
    count = len(xs)
    out = np.empty(a.shape[0], np.int64)
    for i in prange(a.shape[0]):
        out[i] = (i + 3) % total + (i * 7) // rank + i % count + xs[(i + 1) % count]
    return out


@pytest.mark.parametrize("rows", [1, 4, 50])
@pytest.mark.parametrize("count", [1, 3, 10])
def test_size_ndim_and_len_as_divisors(rows, count):
    check_threads(sizes_as_divisors, np.ones((rows, 3)), np.arange(count, dtype=np.int64) * 5 - 7)


@njit(parallel=True)
def column_after_a_decrease(a, drop):
    m = a.shape[1]
    m -= drop  # may now be negative: counts from the end
    out = np.empty(a.shape[0], a.dtype)
    for i in prange(a.shape[0]):
        out[i] = a[i, m]
    return out


@pytest.mark.parametrize("drop", [1, 2, 4, 5, 6])
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_captured_extent_made_negative_still_wraps(drop, dtype):
    check_threads(column_after_a_decrease, make_array((6, 4), dtype), drop)


@njit(parallel=True)
def negative_loop_columns(a):
    n = a.shape[0]
    out = np.zeros(n, a.dtype)
    for k in range(-3, 0):
        for i in prange(n):
            out[i] += a[i, k] * (k + 4)
    return out


@njit(parallel=True)
def bounded_by_a_condition(a, k):
    n = a.shape[0]
    out = np.zeros(n, a.dtype)
    if k >= 2:
        for i in prange(n):
            out[i] = a[i, k - 2] + a[i, k]
    else:
        for i in prange(n):
            out[i] = a[i, k] - a[i, k - 1]  # k may be negative here
    return out


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", ["C", "F"])
def test_loop_from_below_zero_wraps(dtype, layout):
    check_threads(negative_loop_columns, make_array((9, 5), dtype, layout))


@pytest.mark.parametrize("k", [-4, -2, -1, 0, 1, 2, 4])
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_condition_bound_holds_only_in_its_branch(k, dtype):
    check_threads(bounded_by_a_condition, make_array((7, 5), dtype), k)


@njit(parallel=True)
def maybe_unassigned(a, flag, shift):
    n = a.shape[0]
    if flag:
        m = a.shape[1] - shift
    else:
        m = -shift
    out = np.zeros(n, a.dtype)
    for i in prange(n):
        out[i] = a[i, m] + a[i, (i + 1) % a.shape[1]]
    return out


@pytest.mark.parametrize("flag", [True, False])
@pytest.mark.parametrize("shift", [1, 3, 4])
def test_local_with_two_kinds_of_assignment(flag, shift):
    check_threads(maybe_unassigned, make_array((5, 4), np.float64), flag, shift)


@njit(parallel=True)
def diagonal_wrapped(a):
    n, m = a.shape
    out = np.empty(n, a.dtype)
    for i in prange(n):
        out[i] = a[i, (i + 1) % m]
    return out


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_wrapped_diagonal(shape, dtype):
    check_threads(diagonal_wrapped, make_array(shape, dtype))


def test_the_remainder_by_an_extent_is_unsigned_in_the_chunk():
    # The parallel body's `(i + 1) % m` is a plain unsigned remainder once
    # the chunk knows m >= 0; a signed one needs the sign fix-ups.
    diagonal_wrapped(make_array((8, 8), np.int64))
    ir = "\n".join(diagonal_wrapped.inspect_llvm().values())
    chunk = ir[ir.index(".prange("):]
    chunk = chunk[:chunk.index("\n}\n")]
    assert "urem" in chunk
    assert "srem" not in chunk
