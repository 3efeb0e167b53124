"""list.sort() and sorted() of tuples and strings: a merge sort that merges
each pair of runs from both ends at once (library/lists.py _merge_pass).
Compared with Python's own sort, including its stability, which equal but
distinguishable items show (0.0 and -0.0), and with NaNs, where the order is
no order but every item must still come out exactly once."""
import math

import numpy as np
import pytest

from numjit import njit


@njit
def sort_both_ways(items, descending):
    copy = [item for item in items]
    copy.sort(reverse=descending)
    return copy, sorted(items, reverse=descending)


def signed(items):
    # Equal zeros of either sign compare equal; their signs show the order.
    return [tuple(math.copysign(1.0, v) if isinstance(v, float) and v == 0 else v for v in item) for item in items]


SIZES = [2, 15, 16, 17, 31, 32, 33, 47, 48, 100, 257, 1000, 4099]


def assert_sorts_as_python(items, descending, shown=lambda items: items):
    got_sort, got_sorted = sort_both_ways(items, descending)
    want = shown(sorted(items, reverse=descending))
    assert shown(got_sort) == want
    assert shown(got_sorted) == want


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("n", SIZES)
def test_tuples_sort_stably_as_python(descending, n):
    rng = np.random.default_rng(n)
    # Few distinct keys, and zeros of both signs: many equal items whose order shows.
    items = [(int(k), float(z)) for k, z in zip(rng.integers(0, 3, n), rng.choice([0.0, -0.0, 1.5], n))]
    assert_sorts_as_python(items, descending, signed)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("n", [17, 100, 1000])
def test_three_field_tuples_with_unique_positions(descending, n):
    rng = np.random.default_rng(7 + n)
    keys, values = rng.integers(0, 10, n), rng.standard_normal(n)
    assert_sorts_as_python([(int(k), float(v), i) for i, (k, v) in enumerate(zip(keys, values))], descending)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("n", [5, 33, 600])
def test_strings_sort_as_python(descending, n):
    rng = np.random.default_rng(n)
    assert_sorts_as_python(["".join(rng.choice(list("abc"), int(rng.integers(0, 4)))) for _ in range(n)], descending)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("n", [20, 64, 333])
def test_nans_keep_every_item_once(descending, n):
    rng = np.random.default_rng(n)
    values = rng.standard_normal(n)
    values[rng.integers(0, n, n // 4)] = np.nan
    items = [(float(v), i) for i, v in enumerate(values)]
    got_sort, got_sorted = sort_both_ways(items, descending)
    # With NaNs Python's order depends on its algorithm; every item must
    # still appear exactly once.
    for got in (got_sort, got_sorted):
        assert sorted(i for _, i in got) == list(range(n))
