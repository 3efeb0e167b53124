"""Indexing under a condition that bounds the index (`while j >= 0 and
a[j] > v`, `if i > 2:`) skips the negative-index wraparound; everywhere the
bound may no longer hold (after the local is assigned, in an `else`, behind
a walrus, a bound below zero) negative indices still count from the end.
Each kernel is compared with its plain-Python run."""
import numpy as np
import pytest

from conftest import check, dtype_id, make_array
from numjit import njit


@njit
def insertion_sort(a):
    out = a.copy()
    for i in range(1, out.shape[0]):
        v = out[i]
        j = i - 1
        while j >= 0 and out[j] > v:
            out[j + 1] = out[j]
            j -= 1
        out[j + 1] = v
    return out


@njit
def reads_after_the_bound_ends(a, start):
    total = 0.0
    j = start
    while j >= 0:
        total += a[j]      # bounded: j >= 0
        j -= 2
        total += a[j] * 10  # j may be -1 or -2 now: counts from the end
    return total


@njit
def if_and_else(a, k):
    if k > 2:
        return a[k - 3] + a[k]
    else:
        return a[k]        # k <= 2 may be negative


@njit
def chained_comparison(a, k):
    if -2 <= k < a.shape[0]:
        return a[k]        # the bound is -2: wraparound still applies
    return 0.0


@njit
def bounded_by_and(a, k):
    return k >= 1 and a[k - 1] > 0.0 and a[k] > a[k - 1]


@njit
def walrus_in_the_condition(a, k):
    if k >= 0 and (k := k - 3) < 100:
        return a[k]        # k was reassigned: may be negative
    return -1.0


@njit
def nested_loop_assigns_later(a, n):
    j = n
    total = 0.0
    while j >= 0:
        for t in range(2):
            total += a[j]  # the second pass reads after j -= 1 below
            j -= 1
    return total


@njit
def int32_local(a, k):
    m = np.int32(k)
    if m >= 0:
        return a[m]
    return a[m]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("n", [1, 2, 5, 16, 33])
def test_insertion_sort(dtype, n):
    check(insertion_sort, make_array((n,), dtype, "C", seed=n)[::-1].copy())
    check(insertion_sort, make_array((2 * n,), dtype, "strided", seed=n))


@pytest.mark.parametrize("start", [0, 1, 2, 5, 8])
def test_reads_after_the_bound_ends_wrap(start):
    a = np.arange(1.0, 10.0)
    check(reads_after_the_bound_ends, a, start)


@pytest.mark.parametrize("k", [-3, -1, 0, 2, 3, 5, 7])
def test_if_and_else(k):
    check(if_and_else, np.arange(1.0, 9.0), k)


@pytest.mark.parametrize("k", [-3, -2, -1, 0, 4, 8])
def test_chained_comparison(k):
    check(chained_comparison, np.arange(1.0, 9.0), k)


@pytest.mark.parametrize("k", [-1, 0, 1, 4])
def test_bounded_by_and(k):
    check(bounded_by_and, np.array([1.0, 2.0, -1.0, 3.0, 5.0]), k)


@pytest.mark.parametrize("k", [0, 1, 2, 3, 5])
def test_walrus_in_the_condition(k):
    check(walrus_in_the_condition, np.arange(1.0, 9.0), k)


@pytest.mark.parametrize("n", [0, 1, 3, 4])
def test_nested_loop_assigns_later(n):
    check(nested_loop_assigns_later, np.arange(1.0, 9.0), n)


@pytest.mark.parametrize("k", [-2, 0, 3])
def test_int32_local(k):
    check(int32_local, np.arange(1.0, 9.0), k)


@njit
def walrus_between_operands(a, k):
    return k >= 0 and (k := k - 4) < 100 and a[k] > 2.0


@pytest.mark.parametrize("k", [0, 2, 4, 6])
def test_walrus_between_operands(k):
    check(walrus_between_operands, np.arange(1.0, 9.0), k)
