"""Set operations on arrays (np.isin, np.in1d, np.intersect1d, np.union1d,
np.setdiff1d, np.setxor1d) through sorting and binary search, and
selection: np.partition / np.argpartition by introselect (O(n), NaNs last
as in NumPy's sort order) and np.nanmedian."""
import numpy as np

from ..decorators import njit
from .registration import implements


@njit
def _found_in_sorted(values, sorted_tests):
    """For each value, whether it equals an element of the sorted array (NaN equals nothing)."""
    found = np.zeros(values.size, np.bool_)
    n = sorted_tests.size
    if n == 0:
        return found
    at = np.searchsorted(sorted_tests, values)
    for i in range(values.size):
        k = min(at[i], n - 1)
        found[i] = sorted_tests[k] == values[i]
    return found


@implements(np.isin)
def isin(element, test_elements, assume_unique=False, invert=False):
    if isinstance(element, np.ndarray):
        values = element.ravel()
    else:  # a number: NumPy answers with a 0-d array
        values = np.full(1, element)
    found = _found_in_sorted(values, np.sort(np.asarray(test_elements).ravel()))
    if invert:
        found = ~found
    if isinstance(element, np.ndarray):
        return found.reshape(element.shape)
    return found.reshape(())


@implements(np.intersect1d)
def intersect1d(ar1, ar2, assume_unique=False):
    # NumPy's way, which also promotes the dtypes: values in both are adjacent
    # twice in the sorted distinct values of each.
    both = np.sort(np.concatenate((np.unique(ar1), np.unique(ar2))))
    return both[:-1][both[1:] == both[:-1]]


@implements(np.union1d)
def union1d(ar1, ar2):
    return np.unique(np.concatenate((np.asarray(ar1).ravel(), np.asarray(ar2).ravel())))


@implements(np.setdiff1d)
def setdiff1d(ar1, ar2, assume_unique=False):
    first = np.unique(ar1)
    return first[~_found_in_sorted(first, np.unique(ar2))]


@implements(np.setxor1d)
def setxor1d(ar1, ar2, assume_unique=False):
    first = np.unique(ar1)
    second = np.unique(ar2)
    only_first = first[~_found_in_sorted(first, second)]
    only_second = second[~_found_in_sorted(second, first)]
    return np.sort(np.concatenate((only_first, only_second)))


@njit
def _before(x, y):
    """x sorts before y, NaNs last (NumPy's order for sort and partition)."""
    return x < y or (y != y and x == x)


@njit
def _select(values, order, lo, hi, k):
    """Rearranges order[lo:hi] (indices into values) so that order[k] is the
    index of the k-th smallest and the ones before it are no larger: Hoare's
    selection with a median-of-three pivot, finished by insertion sort."""
    while hi - lo > 16:
        mid = (lo + hi - 1) // 2
        a, b, c = order[lo], order[mid], order[hi - 1]
        if _before(values[b], values[a]):
            a, b = b, a
        if _before(values[c], values[b]):
            b, c = c, b
            if _before(values[b], values[a]):
                a, b = b, a
        pivot = values[b]
        i, j = lo, hi - 1
        while i <= j:
            while _before(values[order[i]], pivot):
                i += 1
            while _before(pivot, values[order[j]]):
                j -= 1
            if i <= j:
                order[i], order[j] = order[j], order[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j + 1
        elif k >= i:
            lo = i
        else:
            return
    for i in range(lo + 1, hi):
        current = order[i]
        j = i - 1
        while j >= lo and _before(values[current], values[order[j]]):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = current


@njit
def _partition_order(values, kth):
    """The indices of a 1-D array, arranged so that each kth (an int or a sequence) is in sorted place."""
    n = values.size
    order = np.arange(n)
    if n == 0:  # NumPy takes any kth along an empty axis
        return order
    ks = np.full(1, kth) if isinstance(kth, int) else np.asarray(kth).ravel().copy()
    for i in range(ks.size):
        if ks[i] < -n or ks[i] >= n:
            raise ValueError("kth out of bounds")
        if ks[i] < 0:
            ks[i] += n
    lo = 0
    for k in np.sort(ks):
        _select(values, order, lo, n, k)
        lo = k
    return order


@njit
def _rows(a):
    """A C-contiguous array as rows along its last axis."""
    if a.ndim == 0:
        raise ValueError("Cannot partition a 0-d array")
    return a.reshape((-1, a.shape[-1])) if a.ndim > 1 else a.reshape((1, a.shape[0]))


@njit
def _row_orders(rows, kth):
    orders = np.empty(rows.shape, np.int64)
    for r in range(rows.shape[0]):
        orders[r] = _partition_order(rows[r], kth)
    return orders


@njit
def _partitioned(a, kth):
    rows = _rows(a)
    orders = _row_orders(rows, kth)
    out = np.empty(rows.shape, a.dtype)
    for r in range(rows.shape[0]):
        for i in range(rows.shape[1]):
            out[r, i] = rows[r, orders[r, i]]
    return out.reshape(a.shape)


@njit
def _argpartitioned(a, kth):
    return _row_orders(_rows(a), kth).reshape(a.shape)


@implements(np.partition)
def partition(a, kth, axis=-1):
    if axis == -1 or axis == a.ndim - 1:
        return _partitioned(np.ascontiguousarray(a), kth)
    last = np.ascontiguousarray(np.moveaxis(a, axis, -1))
    return np.ascontiguousarray(np.moveaxis(_partitioned(last, kth), -1, axis))


@implements(np.argpartition)
def argpartition(a, kth, axis=-1):
    if axis == -1 or axis == a.ndim - 1:
        return _argpartitioned(np.ascontiguousarray(a), kth)
    last = np.ascontiguousarray(np.moveaxis(a, axis, -1))
    return np.ascontiguousarray(np.moveaxis(_argpartitioned(last, kth), -1, axis))


@implements(np.nanmedian)
def nanmedian(a):
    values = a.ravel()
    values = values[values == values]  # without NaNs
    if values.size == 0:
        return np.nan
    return np.median(values)
