"""Sorts and selections: recursive merge sort, np.sort / argsort, k smallest,
insertion sort of many short rows, binary search, np.unique."""
import numpy as np

from . import kernel, parallel, pick, rng

FAMILY = 'sorting'


def floats(quick, full, small, seed):
    return (rng(seed).standard_normal(pick(quick, full, small)),)


MERGE_SORT = '''
@njit
def merge_sort(a):
    n = a.shape[0]
    if n <= 1:
        return a.copy()
    mid = n // 2
    left = merge_sort(a[:mid])
    right = merge_sort(a[mid:])
    out = np.empty_like(a)
    i = 0
    j = 0
    k = 0
    while i < left.shape[0] and j < right.shape[0]:
        if left[i] <= right[j]:
            out[k] = left[i]
            i += 1
        else:
            out[k] = right[j]
            j += 1
        k += 1
    while i < left.shape[0]:
        out[k] = left[i]
        i += 1
        k += 1
    while j < right.shape[0]:
        out[k] = right[j]
        j += 1
        k += 1
    return out
'''

kernel('merge_sort', FAMILY, MERGE_SORT, lambda quick: floats(quick, 100_000, 10_000, 30),
       numpy=np.sort, rtol=0.0, note='recursive, down to one-element slices (a new array each call)')

NP_SORT = '''
@njit
def np_sort(x):
    return np.sort(x)
'''

kernel('np_sort', FAMILY, NP_SORT, lambda quick: floats(quick, 500_000, 50_000, 31),
       numpy=np.sort, rtol=0.0, note='np.sort of random float64')

ARGSORT = '''
@njit
def argsort_gather(x):
    order = np.argsort(x)
    return order, x[order]
'''

kernel('argsort_gather', FAMILY, ARGSORT, lambda quick: floats(quick, 500_000, 50_000, 32),
       numpy=lambda x: (np.argsort(x), x[np.argsort(x)]), rtol=0.0,
       note='np.argsort, then a gather')

SMALLEST_K = '''
@njit
def smallest_k(x, k):
    return np.sort(np.partition(x, k)[:k])
'''

kernel('smallest_k', FAMILY, SMALLEST_K,
       lambda quick: floats(quick, 2_000_000, 200_000, 33) + (1000,),
       numpy=lambda x, k: np.sort(np.partition(x, k)[:k]), rtol=0.0,
       note='np.partition selection of the 1000 smallest, then sorted')

INSERTION_ROWS = '''
@njit
def insertion_sort_rows(a):
    out = a.copy()
    m, n = out.shape
    for r in range(m):
        for i in range(1, n):
            v = out[r, i]
            j = i - 1
            while j >= 0 and out[r, j] > v:
                out[r, j + 1] = out[r, j]
                j -= 1
            out[r, j + 1] = v
    return out
'''

rows = kernel('insertion_sort_rows', FAMILY, INSERTION_ROWS,
              lambda quick: (rng(34).standard_normal((pick(quick, 50_000, 5000), 16)),),
              numpy=lambda a: np.sort(a, axis=1), rtol=0.0,
              note='insertion sort of each 16-element row')

parallel(rows, INSERTION_ROWS.replace('@njit', '@njit(parallel=True)')
         .replace('def insertion_sort_rows', 'def insertion_sort_rows_parallel')
         .replace('for r in range(m)', 'for r in prange(m)'))

BINARY_SEARCH = '''
@njit
def binary_search(sorted_a, queries):
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
'''


def search_data(quick):
    r = rng(35)
    return np.sort(r.standard_normal(pick(quick, 1_000_000, 100_000))), r.standard_normal(pick(quick, 200_000, 20_000))


kernel('binary_search', FAMILY, BINARY_SEARCH, search_data,
       numpy=lambda a, q: np.searchsorted(a, q), rtol=0.0,
       note='hand-written bisection of 2e5 queries in 1e6 sorted values')

UNIQUE = '''
@njit
def unique_values(x):
    return np.unique(x)
'''

kernel('unique_values', FAMILY, UNIQUE,
       lambda quick: (rng(36).integers(0, 100_000, pick(quick, 1_000_000, 100_000)),),
       numpy=np.unique, rtol=0.0, note='np.unique of int64')
