"""Reference counts after pruning (codegen/refcount_pruning.cpp): the
increments and decrements that cancel out around inlined helpers are gone,
and none that guard a block is. Each function below keeps a block alive only
through a count that a container, a reassignment or a helper could drop while
compiled code still reads it; each is checked against its Python version and
for blocks allocated but never freed, over sizes and repeated calls.
"""
import numpy as np
import pytest

from numjit import njit

from conftest import check, measure_blocks


def no_leak(f, *args, repeat=10):
    """f's result equals its Python version's, and repeated calls free every block they allocate."""
    check(f, *args)
    allocated, freed = measure_blocks(f, *args, repeat=repeat)
    assert allocated == freed


@njit
def _distance(a, b):
    s = 0.0
    for k in range(a.shape[0]):
        d = a[k] - b[k]
        s += d * d
    return np.sqrt(s)


@njit
def pair_energy(n):
    # Rows of an array compiled code owns, passed to an inlined helper: the
    # pairs the pruning removes.
    pos = (np.arange(n * 3.0).reshape(n, 3) * 0.37) % 5.3
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            e += 1.0 / (1.0 + _distance(pos[i], pos[j]))
    return e


@njit
def local_outlives_list_slot(n):
    items = [np.full(n, 1.0), np.full(n, 2.0)]
    kept = items[0]
    items[0] = np.full(n, 3.0)  # the list drops its reference to `kept`'s block
    items.pop()
    reuse = np.full(n, 99.0)  # would take a freed block's place and overwrite it
    return kept.sum() + items[0].sum() + reuse[0]


@njit
def local_outlives_dict_value(n):
    d = {}
    d[1] = np.arange(n * 1.0)
    kept = d[1]
    d[1] = np.zeros(n)  # replaced: the dict drops its reference
    del d[1]
    reuse = np.full(n, 99.0)
    return kept.sum() + len(d) + reuse[0]


@njit
def reassigned_while_a_view_is_read(n):
    a = np.arange(n * 1.0)
    view = a[1:]
    a = np.zeros(n)  # `view` alone keeps the first block alive
    reuse = np.full(n, 99.0)
    total = reuse[0]
    for x in view:
        total += x
    return total + a.sum()


@njit
def _first(values):
    return values[0]


@njit
def helper_takes_a_list_item(n):
    rows = [np.arange(n * 1.0) + k for k in range(3)]
    total = 0.0
    for r in range(3):
        total += _first(rows[r]) + rows[r].sum()
    rows.clear()
    return total


@njit
def returned_from_helper_loop(n):
    out = np.zeros(n)
    for i in range(n):
        row = np.full(3, i * 1.0)
        out[i] = _first(row)
    return out


@pytest.mark.parametrize("n", [1, 2, 7, 40])
@pytest.mark.parametrize("f", [pair_energy, local_outlives_list_slot, local_outlives_dict_value,
                               reassigned_while_a_view_is_read, helper_takes_a_list_item,
                               returned_from_helper_loop], ids=lambda f: f.__name__)
def test_counts_stay_balanced(f, n):
    no_leak(f, n)


@njit
def generator_method_loop(g, n):
    s = 0.0
    for i in range(n):
        s += g.standard_normal() + g.random() * g.integers(0, 10)
    return s


@pytest.mark.parametrize("n", [0, 1, 100])
def test_generator_methods_in_a_loop_draw_numpys_stream(n):
    got = generator_method_loop(np.random.default_rng(7), n)
    want = generator_method_loop.py_func(np.random.default_rng(7), n)
    assert got == want


@njit
def generator_made_inside(n):
    g = np.random.default_rng(3)
    s = 0.0
    for i in range(n):
        s += g.normal(1.0, 2.0)
    return s


def test_generator_made_in_compiled_code_is_freed():
    assert generator_made_inside(50) == generator_made_inside.py_func(50)
    no_leak(generator_made_inside, 50)
