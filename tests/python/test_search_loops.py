"""Hand-written searches: bisections, whose steps codegen/search_prefetch.cpp
gives prefetches of both next addresses (lower and upper bounds, over
negative indices, over a strided view), and a descent through a tree held
in arrays, compared with NumPy's searchsorted
and with the functions run as Python, over dtypes, sizes (empty, one, and
past the caches) and queries outside the data, on repeated values and NaN."""
import numpy as np
import pytest

from conftest import dtype_id
from numjit import njit


@njit
def lower_bounds(sorted_a, queries):
    out = np.empty(queries.shape[0], np.int64)
    for q in range(queries.shape[0]):
        v = queries[q]
        lo = 0
        hi = sorted_a.shape[0]
        while lo < hi:
            mid = (lo + hi) // 2
            if sorted_a[mid] < v:
                lo = mid + 1
            else:
                hi = mid
        out[q] = lo
    return out


@njit
def upper_bounds(sorted_a, queries):
    out = np.empty(queries.shape[0], np.int64)
    for q in range(queries.shape[0]):
        v = queries[q]
        lo, hi = 0, len(sorted_a)
        while lo < hi:
            mid = lo + (hi - lo) // 2
            if v < sorted_a[mid]:
                hi = mid
            else:
                lo = mid + 1
        out[q] = lo
    return out


@njit
def count_below_from_the_end(sorted_a, v):
    """A bisection on negative offsets from the end (indices Python wraps)."""
    lo, hi = -sorted_a.shape[0], 0
    while lo < hi:
        mid = (lo + hi) // 2
        if sorted_a[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo + sorted_a.shape[0]


def sorted_data(dtype, n, seed):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        a = rng.standard_normal(n).astype(dtype)
    else:
        a = rng.integers(-50, 50, n).astype(dtype)  # many repeats
    a.sort()
    queries = np.concatenate([a[rng.integers(0, n, 50)] if n else a[:0],
                              np.array([-1000, 1000, 0], dtype=dtype),
                              rng.standard_normal(50).astype(dtype) * 30])
    return a, queries


DTYPES = [np.float64, np.float32, np.int64, np.int32, np.uint8]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 2, 7, 1000, 300_000])
def test_bisections_like_searchsorted(dtype, n):
    if dtype == np.uint8:
        a = np.sort(np.random.default_rng(n).integers(0, 256, n).astype(np.uint8))
        queries = np.arange(256, dtype=np.uint8)
    else:
        a, queries = sorted_data(dtype, n, seed=n)
    np.testing.assert_array_equal(lower_bounds(a, queries), np.searchsorted(a, queries, side="left"))
    np.testing.assert_array_equal(upper_bounds(a, queries), np.searchsorted(a, queries, side="right"))
    small = queries[:5]
    np.testing.assert_array_equal(lower_bounds(a, small), lower_bounds.py_func(a, small))


@pytest.mark.parametrize("n", [1, 5, 64, 10_000])
def test_a_bisection_over_negative_indices_like_python(n):
    a = np.sort(np.random.default_rng(n).standard_normal(n))
    for v in [-10.0, 10.0, a[0], a[-1], a[n // 2], 0.0]:
        assert count_below_from_the_end(a, v) == count_below_from_the_end.py_func(a, v) == np.searchsorted(a, v)


@pytest.mark.parametrize("step", [2, 3, -1])
def test_a_bisection_over_a_strided_view(step):
    base = np.sort(np.random.default_rng(step + 5).standard_normal(30_001))
    a = base[::step] if step > 0 else base[::-1][::-1]
    queries = np.random.default_rng(1).standard_normal(500)
    np.testing.assert_array_equal(lower_bounds(a, queries), np.searchsorted(a, queries))


def test_nan_queries_and_data_as_python_and_numpy():
    a = np.array([0.0, 1.0, 2.0, np.nan, np.nan])  # NumPy sorts NaN last
    queries = np.array([np.nan, -1.0, 1.5, 3.0])
    np.testing.assert_array_equal(lower_bounds(a, queries), lower_bounds.py_func(a, queries))
    np.testing.assert_array_equal(upper_bounds(a, queries), upper_bounds.py_func(a, queries))


@njit
def descend(keys, left, right, values, queries):
    """A binary search tree in arrays (child -1 for none): each query's last node's value."""
    out = np.empty(queries.shape[0], values.dtype)
    for q in range(queries.shape[0]):
        v = queries[q]
        node = 0
        while True:
            nxt = left[node] if v < keys[node] else right[node]
            if nxt < 0:
                break
            node = nxt
        out[q] = values[node]
    return out


def balanced_tree(sorted_keys):
    n = sorted_keys.size
    keys, left, right = np.empty(n), np.full(n, -1, np.int64), np.full(n, -1, np.int64)
    count = [0]

    def build(lo, hi):
        if lo >= hi:
            return -1
        mid = (lo + hi) // 2
        node = count[0]
        count[0] += 1
        keys[node] = sorted_keys[mid]
        left[node] = build(lo, mid)
        right[node] = build(mid + 1, hi)
        return node

    build(0, n)
    return keys, left, right


@pytest.mark.parametrize("n", [1, 2, 31, 5000, 200_000])
@pytest.mark.parametrize("value_dtype", [np.float64, np.int32], ids=dtype_id)
def test_a_tree_descent_like_python(n, value_dtype):
    rng = np.random.default_rng(n)
    keys, left, right = balanced_tree(np.sort(rng.standard_normal(n)))
    values = np.arange(n).astype(value_dtype)
    queries = rng.standard_normal(2000)
    got = descend(keys, left, right, values, queries)
    few = queries[:40]
    np.testing.assert_array_equal(got[:40], descend.py_func(keys, left, right, values, few))
    # The leaf reached holds the key nearest from below or above: between its neighbours in order.
    sorted_keys = np.sort(keys)
    positions = np.searchsorted(sorted_keys, queries)
    reached = keys[got.astype(np.int64)]
    below = sorted_keys[np.maximum(positions - 1, 0)]
    above = sorted_keys[np.minimum(positions, n - 1)]
    assert np.all((reached == below) | (reached == above))
