"""Locals no assignment makes negative (passes::never_negative_locals): an
int local assigned only `x = c`, `x += c` or `x = x + c` with constants
c >= 0 indexes without the negative-index wraparound. Every other local keeps
Python's semantics: each test compares with the function run as Python, and
the cases that must still wrap index with -1 on purpose."""
import numpy as np
import pytest

from conftest import dtype_id
from numjit import njit, prange


@njit
def merge(left, right):
    out = np.empty(left.shape[0] + right.shape[0], left.dtype)
    i = 0
    j = 0
    k = 0
    while i < left.shape[0] and j < right.shape[0]:
        if left[i] <= right[j]:
            out[k] = left[i]
            i += 1
        else:
            out[k] = right[j]
            j = j + 1
        k += 1
    while i < left.shape[0]:
        out[k] = left[i]
        i += 1
        k += 1
    while j < right.shape[0]:
        out[k] = right[j]
        j += 1
        k = 1 + k
    return out


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32], ids=dtype_id)
@pytest.mark.parametrize("sizes", [(0, 0), (0, 3), (4, 0), (1, 1), (5, 8), (100, 37)], ids=str)
def test_merge_as_python(dtype, sizes):
    rng = np.random.default_rng(sum(sizes))
    left = np.sort(rng.integers(-50, 50, sizes[0])).astype(dtype)
    right = np.sort(rng.integers(-50, 50, sizes[1])).astype(dtype)
    np.testing.assert_array_equal(merge(left, right), merge.py_func(left, right))
    np.testing.assert_array_equal(merge(left[::-1][::-1], right), merge.py_func(left, right))


@njit
def stepped_by_three(a):
    total = 0.0
    i = 0
    while i < a.shape[0]:
        total += a[i] * (i + 1)
        i += 3
    return total


@njit
def counts_down(a):
    # i -= 1: may turn negative, so a[i] must wrap (a[-1] is the last element).
    i = 0
    i -= 1
    return a[i]


@njit
def assigned_negative_somewhere(a, flag):
    i = 0
    if flag:
        i = -1
    return a[i]


@njit
def assigned_an_expression(a, n):
    i = 0
    i = n - 2
    return a[i]


@njit
def parameter_index(a, i):
    i += 1
    return a[i]


@njit
def tuple_assigned(a):
    i = 0
    i, j = -1, 0
    return a[i] + j


@njit
def walrus_assigned(a):
    i = 0
    if (i := -2) < 0:
        return a[i]
    return a[0]


@njit
def loop_target(a):
    s = 0.0
    i = 0
    for i in range(-2, 1):
        s += a[i]
    return s + a[i]


@njit
def multiplied(a):
    i = 1
    i *= -1
    return a[i]


@njit
def offset_below_zero(a):
    i = 0
    return a[i - 1]  # i is never negative, i - 1 may be: -1 wraps


@njit
def in_a_prange(a):
    out = np.zeros(a.shape[0])
    for r in prange(a.shape[0]):
        k = 0
        acc = 0.0
        while k < a.shape[1]:
            acc += a[r, k]
            k += 1
        out[r] = acc + a[r, k - 1]
    return out


@pytest.mark.parametrize("dtype", [np.float64, np.int64], ids=dtype_id)
def test_locals_that_may_be_negative_still_wrap(dtype):
    a = np.arange(10).astype(dtype) * 3 + 1
    for f, args in [(counts_down, (a,)), (assigned_negative_somewhere, (a, True)),
                    (assigned_negative_somewhere, (a, False)), (assigned_an_expression, (a, 1)),
                    (assigned_an_expression, (a, 5)), (parameter_index, (a, -3)), (tuple_assigned, (a,)),
                    (walrus_assigned, (a,)), (loop_target, (a,)), (multiplied, (a,)), (offset_below_zero, (a,)),
                    (stepped_by_three, (a,))]:
        assert f(*args) == f.py_func(*args), f.__name__


def test_prange_chunks_keep_the_fact():
    a = np.arange(35.0).reshape(5, 7)
    np.testing.assert_array_equal(in_a_prange(a), in_a_prange.py_func(a))
