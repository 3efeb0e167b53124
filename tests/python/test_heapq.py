"""Python's heapq module in compiled code (numjit/library/heaps.py, CPython's
algorithms): heaps hold their items in CPython's order, so every function's
result equals Python's, ties included; and containers as conditions."""
import heapq

import numpy as np
import pytest

from numjit import njit


@njit
def push_all_pop_all(values):
    heap = [values[0]]
    heap.pop()
    for v in values:
        heapq.heappush(heap, v)
    layout = [x for x in heap]
    out = []
    while heap:
        out.append(heapq.heappop(heap))
    return layout, out


@njit
def heap_operations(values, replacement, pushed):
    h = [v for v in values]
    heapq.heapify(h)
    after_heapify = [x for x in h]
    replaced = heapq.heapreplace(h, replacement)
    popped = heapq.heappushpop(h, pushed)
    return after_heapify, replaced, popped, h


@njit
def smallest_largest(values, n):
    return heapq.nsmallest(n, values), heapq.nlargest(n, values)


@njit
def tuple_heap(keys):
    h = [(keys[0], 0)]
    h.pop()
    for i in range(keys.size):
        heapq.heappush(h, (keys[i], i))
    return [heapq.heappop(h) for _ in range(keys.size)]


@njit
def pop_empty():
    h = [1.0]
    h.pop()
    return heapq.heappop(h)


@njit
def replace_empty():
    h = [1.0]
    h.pop()
    return heapq.heapreplace(h, 2.0)


def _values(kind, n, seed):
    rng = np.random.default_rng(seed)
    if kind == "ties":
        return rng.integers(0, 4, n).astype(np.float64)
    if kind == "int64":
        return rng.integers(-50, 50, n)
    if kind == "sorted":
        return np.arange(float(n))
    if kind == "reversed":
        return np.arange(float(n))[::-1].copy()
    return rng.standard_normal(n)


KINDS = ["ties", "int64", "sorted", "reversed", "normal"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [1, 2, 3, 10, 257])
def test_push_and_pop_as_cpython(kind, n):
    values = _values(kind, n, n)
    assert push_all_pop_all(values) == push_all_pop_all.py_func(values)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [1, 2, 7, 100])
@pytest.mark.parametrize("replacement, pushed", [(0.5, -10.0), (100.0, 100.0), (-3.0, 2.0)])
def test_heapify_replace_pushpop_as_cpython(kind, n, replacement, pushed):
    values = _values(kind, n, n + 1)
    if values.dtype.kind == "i":
        replacement, pushed = int(replacement), int(pushed)
    assert heap_operations(values, replacement, pushed) == heap_operations.py_func(values, replacement, pushed)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [0, 1, 3, 50, 200])
def test_nsmallest_nlargest_as_cpython(kind, n):
    values = _values(kind, 60, 3)
    assert smallest_largest(values, n) == smallest_largest.py_func(values, n)


@pytest.mark.parametrize("n", [1, 5, 64])
def test_heap_of_tuples_breaks_ties_by_the_next_element(n):
    keys = _values("ties", n, 9)
    assert tuple_heap(keys) == tuple_heap.py_func(keys)


def test_empty_heap_raises_index_error_as_python():
    with pytest.raises(IndexError, match="index out of range"):
        pop_empty()
    with pytest.raises(IndexError, match="index out of range"):
        replace_empty()


@njit
def container_conditions(n):
    items = [1.0]
    items.pop()
    out = 0
    if not items:
        out += 1
    for i in range(n):
        items.append(i * 1.0)
    if items:
        out += 10
    d = {1: 2}
    if d:
        out += 100
    s = {1}
    s.discard(1)
    if not s:
        out += 1000
    while items:
        items.pop()
        out += 1
    return out


@pytest.mark.parametrize("n", [0, 1, 5])
def test_lists_dicts_and_sets_as_conditions(n):
    assert container_conditions(n) == container_conditions.py_func(n)
