"""Dicts built in compiled code: literals, {} typed by its first store,
dict(), item access and assignment, `in`, len, get, pop, del, iteration,
keys/values/items, array values (owned references), returning to Python."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

from numjit import njit, runtime


def count_values(a):
    d = {}
    for v in a:
        if v in d:
            d[v] += 1
        else:
            d[v] = 1
    return d


def weighted_total(x):
    d = {1: 2.5, 3: x}
    d[7] = 1.0
    total = 0.0
    for k, v in d.items():
        total += k * v
    return total, d.get(3, -1.0), d.get(9, -1.0), 9 in d, 3 not in d, len(d)


def pop_and_delete(n):
    d = dict()
    for i in range(n):
        d[i] = i * i
    a = d.pop(n // 2)
    b = d.pop(10 * n, -5)
    del d[0]
    total = 0
    for v in d.values():
        total += v
    return a, b, len(d), len(d.keys()), total


def tuple_keys(n):
    d = {}
    for i in range(n):
        for j in range(n):
            d[i, j] = i - j
    return d[(n - 1, 0)], d[0, n - 1], len(d)


def array_values(n):
    d = {}
    for i in range(n):
        d[i] = np.ones(i + 1)
    d[0] = np.zeros(3)
    s = 0.0
    for k in d:
        s += d[k].sum()
    x = d.pop(1)
    return s, x.sum(), len(d)


def many_inserts_and_deletes(n):
    d = {}
    for i in range(n):
        d[i * 7919 % 1000003] = float(i)
    for i in range(0, n, 2):
        del d[i * 7919 % 1000003]
    s = 0.0
    for v in d.values():
        s += v
    return len(d), s


def optional_get(k):
    d = {1: 2.0}
    v = d.get(k)
    if v is None:
        return -1.0
    return v


def float_keys(a):
    d = {}
    for i in range(a.size):
        d[a[i]] = i
    return d


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float64, np.bool_])
@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_counting_into_an_empty_dict(dtype, n):
    a = (np.arange(n) % 5).astype(dtype)
    assert njit(count_values)(a) == count_values(a)


@pytest.mark.parametrize("x", [0.0, 4.0, -2.5])
def test_literal_items_get_in_len(x):
    assert njit(weighted_total)(x) == weighted_total(x)


@pytest.mark.parametrize("n", [2, 9, 50])
def test_pop_and_del(n):
    assert njit(pop_and_delete)(n) == pop_and_delete(n)


@pytest.mark.parametrize("n", [1, 3, 10])
def test_tuple_keys_and_multi_index(n):
    assert njit(tuple_keys)(n) == tuple_keys(n)


@pytest.mark.parametrize("n", [2, 5])
def test_array_values(n):
    got, want = njit(array_values)(n), array_values(n)
    assert_allclose(got[:2], want[:2])
    assert got[2] == want[2]


def test_growth_and_removal_keep_order_and_values():
    assert njit(many_inserts_and_deletes)(20000) == many_inserts_and_deletes(20000)


@pytest.mark.parametrize("k", [1, 5])
def test_get_without_default_is_optional(k):
    assert njit(optional_get)(k) == optional_get(k)


def test_missing_key_raises_key_error():
    @njit
    def missing(k):
        d = {1: 1.0}
        return d[k]

    with pytest.raises(KeyError):
        missing(5)
    with pytest.raises(KeyError):
        njit(lambda k: {1: 2}.pop(k))(3)


@pytest.mark.parametrize("values", [np.array([0.5, 2.0, 0.5, 3.0]), np.linspace(0, 1, 30)])
def test_dicts_return_to_python_in_insertion_order(values):
    got, want = njit(float_keys)(values), float_keys(values)
    assert got == want
    assert list(got) == list(want)


def test_array_values_return_to_python():
    @njit
    def arrays(n):
        d = {}
        for i in range(n):
            d[i] = np.arange(float(i))
        return d

    got = arrays(4)
    assert list(got) == [0, 1, 2, 3]
    for i, v in got.items():
        assert_allclose(v, np.arange(float(i)))


def grid_counts(rows, cols, values):
    counts = {}
    for k in range(len(rows)):
        key = (rows[k], cols[k])
        counts[key] = counts.get(key, 0.0) + values[k]
    return counts


def typed_tuple_keys(a):
    d = {}
    for i in range(len(a)):
        d[(a[i] > 0, np.int8(i), np.float32(a[i]), a[i] * 1j)] = (i, a[i])
    return d


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.float64])
@pytest.mark.parametrize("n", [0, 1, 40])
def test_tuple_keyed_dicts_return_to_python(dtype, n):
    rng = np.random.default_rng(n)
    rows, cols = rng.integers(0, 4, n).astype(dtype), rng.integers(0, 3, n).astype(dtype)
    values = rng.random(n)
    got, want = njit(grid_counts)(rows, cols, values), grid_counts(rows, cols, values)
    assert list(got) == list(want)  # insertion order
    assert all(type(k) is tuple and len(k) == 2 for k in got)
    assert_allclose([got[k] for k in want], [want[k] for k in want])


def test_tuple_keys_of_mixed_numbers_return_to_python():
    a = np.array([1.5, -2.0, 0.25])
    assert njit(typed_tuple_keys)(a) == typed_tuple_keys(a)


def test_tuple_keyed_dicts_do_not_leak():
    compiled = njit(grid_counts)
    rows = np.arange(30) % 5
    compiled(rows, rows, np.ones(30))
    before = runtime.allocation_stats()
    for _ in range(20):
        compiled(rows, rows[::-1].copy(), np.ones(30))
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free


def test_dicts_do_not_leak():
    compiled = [njit(f) for f in (count_values, pop_and_delete, array_values)]
    compiled[0](np.arange(5))
    compiled[1](5)
    compiled[2](3)
    before = runtime.allocation_stats()
    for _ in range(20):
        compiled[0](np.arange(9) % 3)
        compiled[1](12)
        compiled[2](4)
        try:
            njit(lambda k: {1: np.ones(2)}[k])(7)
        except KeyError:
            pass
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free


def contains_everywhere(a, items, x):
    t = (1, 2, 3)
    return x in a, x in items, x in t, 7 not in t, x in a.reshape(2, -1)


@pytest.mark.parametrize("x", [2.0, 5.0, 1])
def test_in_for_arrays_lists_and_tuples(x):
    a, items = np.array([1.0, 2.0, 3.0, 4.0]), [1, 5]
    assert njit(contains_everywhere)(a, items, x) == contains_everywhere(a, items, x)


@njit
def churn_tables(keys, removals):
    d = {}
    s = set()
    for k in keys:
        d[k] = d.get(k, 0) + 1
        s.add(k)
    for k in removals:
        if k in d:
            del d[k]
        s.discard(k)
    for k in removals[::2]:  # back in after removal: tombstones in the probe paths
        d[k] = -1
        s.add(k)
    found = 0
    for k in keys:
        if k in s:
            found += d.get(k, 100)
    return found, len(d), len(s), sorted(d.items()), sorted(s)


@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.uint64, np.int32])
@pytest.mark.parametrize("n", [1, 50, 5000])
def test_tables_of_numbers_with_collisions_removals_and_reinsertions(dtype, n):
    rng = np.random.default_rng(n)
    keys = rng.integers(0, max(2, n // 3), n).astype(dtype)
    if dtype == np.float64:
        keys[::7] = -0.0  # one key with 0.0
    removals = keys[rng.integers(0, n, max(1, n // 4))]
    assert churn_tables(keys, removals) == churn_tables.py_func(keys, removals)


def one_tuple_keys(n):
    d = {}
    for i in range(n):
        d[(i,)] = i * 10
        d[i,] += 1
    found = d[(0,)] if n else -1
    return d, found


def test_a_one_tuple_key_stays_a_tuple():
    # the front end reads x[(i,)] as one index, the tuple (i,); an array takes it as x[i]
    got, want = njit(one_tuple_keys)(4), one_tuple_keys(4)
    assert got == want and list(got) == list(want)
    assert all(type(k) is tuple for k in got[0])


def one_tuple_index_of_arrays(a, i):
    a[(i,)] = 5.0
    m = np.zeros((3, 3))
    m[(1,)] = 2.0
    m[1:2,] += 1.0
    return a[i,], m


def test_a_one_tuple_index_of_an_array_is_its_element():
    got, want = njit(one_tuple_index_of_arrays)(np.arange(4.0), 2), one_tuple_index_of_arrays(np.arange(4.0), 2)
    assert got[0] == want[0]
    np.testing.assert_array_equal(got[1], want[1])
