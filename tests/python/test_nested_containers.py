"""Containers of containers: lists of lists (built in compiled code, passed
from Python and written back), lists of tuples and of strings, dicts whose
values are lists or tuples, all returned to Python. Compared with `.py_func`
over several item types and sizes, with the allocation counts balanced."""
import numpy as np
import pytest

from numjit import njit, runtime


@njit
def kmeans_step(points, centers):
    groups = [[points[0]] for _ in range(len(centers))]
    for g in groups:
        g.pop()
    for p in points:
        best = 0
        for c in range(len(centers)):
            if abs(p - centers[c]) < abs(p - centers[best]):
                best = c
        groups[best].append(p)
    means = [sum(g) / len(g) if len(g) else 0.0 for g in groups]
    return groups, means, [(i, len(g)) for i, g in enumerate(groups)]


@pytest.mark.parametrize("size", [1, 2, 9, 40])
@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.float32])
def test_kmeans_over_lists_of_lists(size, dtype):
    points = list(np.random.default_rng(size).integers(0, 20, size).astype(dtype))
    centers = [0.0, 7.0, 14.0]
    assert kmeans_step(points, centers) == kmeans_step.py_func(points, centers)


@njit
def triangle(n):
    rows = [[i * j for j in range(i)] for i in range(n)]
    flat = [v for row in rows for v in row if v % 2 == 0]
    total = 0
    for row in rows:
        for v in row:
            total += v
    return rows, total, flat


@pytest.mark.parametrize("n", [0, 1, 5])
def test_nested_comprehensions_return_lists_of_lists(n):
    assert triangle(n) == triangle.py_func(n)


@njit
def grow(rows):
    total = 0
    for r in rows:
        for v in r:
            total += v
    rows[0].append(total)
    rows.append(rows[0][:1])
    return total, len(rows)


@pytest.mark.parametrize("rows", [[[1, 2], [3], []], [[1.5], [2.5, 3.5]], [["a", "b"], ["c"]]])
def test_lists_of_lists_from_python_are_written_back(rows):
    if isinstance(rows[0][0], str):
        got_rows, want_rows = [list(r) for r in rows], [list(r) for r in rows]
        assert words(got_rows) == words.py_func(want_rows)
        assert got_rows == want_rows
        return
    got_rows, want_rows = [list(r) for r in rows], [list(r) for r in rows]
    assert grow(got_rows) == grow.py_func(want_rows)
    assert got_rows == want_rows


@njit
def words(rows):
    rows[0].append("z")
    return "".join([w for r in rows for w in r]), len(rows[0])


@njit
def tables(n):
    by_name = {"evens": [0], "odds": [1]}
    pairs = {}
    for i in range(n):
        by_name["evens" if i % 2 == 0 else "odds"].append(i)
        pairs[i] = (i, i * 0.5)
    return by_name, pairs, [(i, float(i)) for i in range(n)], [str(i) for i in range(n)]


@pytest.mark.parametrize("n", [0, 3, 8])
def test_dicts_of_lists_and_tuples(n):
    assert tables(n) == tables.py_func(n)


def test_nested_containers_do_not_leak():
    points = list(np.arange(30.0))
    kmeans_step(points, [0.0, 10.0])
    tables(5)
    before = runtime.allocation_stats()
    for _ in range(10):
        kmeans_step(points, [0.0, 10.0])
        tables(5)
        triangle(6)
        rows = [[1, 2], [3]]
        grow(rows)
    after = runtime.allocation_stats()
    assert after.alloc - before.alloc == after.free - before.free
    assert after.alloc > before.alloc
