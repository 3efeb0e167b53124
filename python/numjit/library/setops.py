"""Set operations on arrays (np.isin, np.in1d, np.intersect1d, np.union1d,
np.setdiff1d, np.setxor1d) through sorting and binary search, and
selection: np.partition / np.argpartition by introselect (O(n), NaNs last
as in NumPy's sort order) and np.nanmedian."""
import numpy as np

from ..decorators import njit
from .intrinsics import select as _select_numbers
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


@njit
def _table_fits(values, tests):
    """The tests span a range a table of flags can hold (NumPy's own rule for its table kind)."""
    return tests.size > 0 and int(tests.max()) - int(tests.min()) <= 6 * (values.size + tests.size)


@njit
def _found_in_table(values, tests):
    """isin for integers by a table over the tests' range: one look-up each, not a search."""
    low = int(tests.min())
    table = np.zeros(int(tests.max()) - low + 1, np.bool_)
    for t in tests:
        table[int(t) - low] = True
    found = np.zeros(values.size, np.bool_)
    for i in range(values.size):
        at = int(values[i]) - low
        found[i] = 0 <= at < table.size and table[at]
    return found


@implements(np.isin)
def isin(element, test_elements, assume_unique=False, invert=False):
    if isinstance(element, np.ndarray):
        values = element.ravel()
    else:  # a number: NumPy answers with a 0-d array
        values = np.full(1, element)
    tests = np.asarray(test_elements).ravel()
    if isinstance(values[:1].sum(), int) and isinstance(tests[:1].sum(), int):  # integers, decided by types
        if _table_fits(values, tests):
            found = _found_in_table(values, tests)
        else:
            found = _found_in_sorted(values, np.sort(tests))
    else:
        found = _found_in_sorted(values, np.sort(tests))
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
def _select(keys, payload, lo, hi, k):
    """Rearranges keys[lo:hi] in place so that keys[k] is the k-th smallest,
    none before it larger and none after it smaller: Hoare's selection with a
    median-of-three pivot, finished by insertion sort. `payload` (the
    indices, for argpartition) moves with the keys; None for none."""
    while hi - lo > 16:
        a, b, c = keys[lo], keys[(lo + hi - 1) // 2], keys[hi - 1]
        if _before(b, a):
            a, b = b, a
        if _before(c, b):
            b = c
            if _before(b, a):
                b = a
        pivot = b
        pivot_is_nan = pivot != pivot  # _before, written out: these loops are the hot ones
        i, j = lo, hi - 1
        while i <= j:
            while keys[i] < pivot or (pivot_is_nan and keys[i] == keys[i]):
                i += 1
            while pivot < keys[j] or (not pivot_is_nan and keys[j] != keys[j]):
                j -= 1
            if i <= j:
                keys[i], keys[j] = keys[j], keys[i]
                if payload is not None:
                    payload[i], payload[j] = payload[j], payload[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j + 1
        elif k >= i:
            lo = i
        else:
            return
    for i in range(lo + 1, hi):
        key = keys[i]
        j = i - 1
        while j >= lo and _before(key, keys[j]):
            keys[j + 1] = keys[j]
            if payload is not None:
                payload[j + 1], payload[j] = payload[j], payload[j + 1]
            j -= 1
        keys[j + 1] = key


@njit
def _kths(kth, n):
    """The kth positions, made non-negative and checked, in increasing order."""
    ks = np.full(1, kth) if isinstance(kth, int) else np.asarray(kth).ravel().copy()
    for i in range(ks.size):
        if ks[i] < -n or ks[i] >= n:
            raise ValueError("kth out of bounds")
        if ks[i] < 0:
            ks[i] += n
    return np.sort(ks)


@njit
def _partition_in_place(keys, payload, kth):
    """Each kth of a 1-D array in sorted place (any kth along an empty axis, as NumPy)."""
    _partition_into(keys, keys, payload, kth)


@njit
def _partition_into(source, keys, payload, kth):
    """keys: source's elements with each kth in sorted place; the runtime's
    selection copies them as its first pass reads them (keys may be source)."""
    n = keys.size
    if n == 0:
        return
    if payload is not None or keys.dtype == np.complex128 or keys.dtype == np.complex64:
        keys[:] = source
    lo = 0
    first = True
    for k in _kths(kth, n):
        if k < lo:
            continue  # a repeated kth, already in place
        if payload is None and keys.dtype != np.complex128 and keys.dtype != np.complex64:  # at compile time
            _select_numbers(source if first else keys, keys, lo, k)  # the runtime's quickselect
        else:
            _select(keys, payload, lo, n, k)
        first = False
        lo = k + 1  # the selection may reorder its whole range: the last kth stays out of the next one


@njit
def _rows(a):
    """A C-contiguous array as rows along its last axis."""
    if a.ndim == 0:
        raise ValueError("Cannot partition a 0-d array")
    return a.reshape((-1, a.shape[-1])) if a.ndim > 1 else a.reshape((1, a.shape[0]))


@njit
def _partitioned(a, kth):
    out = np.empty(a.shape, a.dtype)
    sources, rows = _rows(a), _rows(out)
    for r in range(rows.shape[0]):
        _partition_into(sources[r], rows[r], None, kth)
    return out


@njit
def _argpartitioned(a, kth):
    rows = _rows(a)
    out = np.empty(rows.shape, np.int64)
    for r in range(rows.shape[0]):
        order = np.arange(rows.shape[1])
        _partition_in_place(rows[r].copy(), order, kth)
        out[r] = order
    return out.reshape(a.shape)


def _along_axis(per_row):
    """np.partition / np.argpartition: `per_row` along the last axis, the axis moved there and back."""

    def along(a, kth, axis=-1):
        if axis == -1 or axis == a.ndim - 1:
            return per_row(np.ascontiguousarray(a), kth)
        last = np.ascontiguousarray(np.moveaxis(a, axis, -1))
        return np.ascontiguousarray(np.moveaxis(per_row(last, kth), -1, axis))

    return along


partition = implements(np.partition)(_along_axis(_partitioned))
argpartition = implements(np.argpartition)(_along_axis(_argpartitioned))


@implements(np.nanmedian)
def nanmedian(a):
    values = a.ravel()
    if values.dtype == np.complex128 or values.dtype == np.complex64:
        _select(values, None, 0, values.size, 0)  # refuses to compile: complex numbers cannot be ordered
    # np.median of the values without NaNs: its dtype (float32 stays float32) and NaN for none.
    return np.median(values[values == values])
