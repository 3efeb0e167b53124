"""List methods and list builtins written in Python over the C++ list rows
(append, pop, insert, indexing, len), with Python's semantics and messages:
remove and index (ValueError when absent), count,
clear, copy, reverse, sort (stable, reverse=), and the builtins list(),
sorted(), reversed(), map() and filter()."""
import numpy as np

from .. import _builtin_calls
from ..decorators import njit
from .registration import extends, implements


@extends("list.index")
def index(items, value, start=0, stop=2**62):
    n = len(items)
    if start < 0:
        start = max(start + n, 0)
    if stop < 0:
        stop += n
    for i in range(start, min(stop, n)):
        if items[i] == value:
            return i
    raise ValueError("list.index(x): x not in list")


@extends("list.remove")
def remove(items, value):
    for i in range(len(items)):
        if items[i] == value:
            items.pop(i)
            return
    raise ValueError("list.remove(x): x not in list")


@extends("list.count")
def count(items, value):
    total = 0
    for item in items:
        if item == value:
            total += 1
    return total


@extends("list.clear")
def clear(items):
    while len(items):
        items.pop()


@extends("list.copy")
def copy(items):
    return [item for item in items]


@extends("list.reverse")
def reverse(items):
    n = len(items)
    for i in range(n // 2):
        items[i], items[n - 1 - i] = items[n - 1 - i], items[i]


@njit
def _sorted_positions(items, descending):
    """The positions of `items` in sorted order, stable as Python's sort (a
    descending sort keeps equal items in their order too)."""
    values = np.array(items)
    if descending:
        # Stable descending: sort the reversed sequence, then read it backwards.
        order = np.argsort(values[::-1], kind="mergesort")
        return len(items) - 1 - order[::-1]
    return np.argsort(values, kind="mergesort")


@njit
def _stable_positions(keys, descending):
    """The positions of `keys` in stable sorted order, by a merge sort of
    comparisons (for keys NumPy cannot sort: strings, tuples)."""
    order = [i for i in range(len(keys))]
    scratch = [i for i in range(len(keys))]
    n = len(order)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                a, b = keys[order[i]], keys[order[j]]
                right_first = a < b if descending else b < a  # equal keys keep their order
                if right_first:
                    scratch[k] = order[j]
                    j += 1
                else:
                    scratch[k] = order[i]
                    i += 1
                k += 1
            while i < mid:
                scratch[k] = order[i]
                i += 1
                k += 1
            while j < hi:
                scratch[k] = order[j]
                j += 1
                k += 1
        order, scratch = scratch, order
        width *= 2
    return order


@njit
def _merge_pass(source, target, n, width, descending):
    """Merges each pair of sorted runs of `width` items in `source` into
    `target`, from both ends at once: the smallest item goes to the front, the
    largest to the back. Branch-free: each comparison picks an item and
    advances one side, where a branch on it was mispredicted about half the
    time; each step then waits on the one before, and two ends give the core
    two such chains to run side by side. Each step takes an item from the
    ranges still unmerged and fills one slot, so even a comparison that is no
    order (NaN) cannot take an item twice."""
    for lo in range(0, n, 2 * width):
        mid = min(lo + width, n)
        hi = min(lo + 2 * width, n)
        i, j, k = lo, mid, lo  # the front: next item of each run, next slot
        i_end, j_end, k_end = mid - 1, hi - 1, hi - 1  # the back: last ones
        while i <= i_end and j <= j_end:
            left = source[i]
            right = source[j]
            right_first = left < right if descending else right < left  # equal items keep their order
            target[k] = right if right_first else left
            j += right_first
            i += 1 - right_first
            k += 1
            if i > i_end or j > j_end:
                break
            left = source[i_end]
            right = source[j_end]
            left_last = left < right if descending else right < left  # of equal items the right one goes last
            target[k_end] = left if left_last else right
            i_end -= left_last
            j_end -= 1 - left_last
            k_end -= 1
        while i <= i_end:
            target[k] = source[i]
            i += 1
            k += 1
        while j <= j_end:
            target[k] = source[j]
            j += 1
            k += 1


@njit
def _stable_sort_in_place(items, descending):
    """Sorts `items` (strings, tuples: what NumPy cannot sort), stable as
    Python's sort: runs of 16 sorted by insertion in place, then merged in
    passes between `items` and one scratch list. The items themselves move,
    so each pass reads them in order."""
    n = len(items)
    run = 16
    for lo in range(0, n, run):
        hi = min(lo + run, n)
        for i in range(lo + 1, hi):
            x = items[i]
            j = i - 1
            while j >= lo and (items[j] < x if descending else x < items[j]):
                items[j + 1] = items[j]
                j -= 1
            items[j + 1] = x
    if n <= run:
        return
    scratch = items.copy()
    width = run
    in_scratch = False
    while width < n:
        if in_scratch:
            _merge_pass(scratch, items, n, width, descending)
        else:
            _merge_pass(items, scratch, n, width, descending)
        in_scratch = not in_scratch
        width *= 2
    if in_scratch:
        for i in range(n):
            items[i] = scratch[i]


@implements(_builtin_calls.sort_by_keys)
def sort_by_keys(keys, items, reverse):
    """items.sort(key=...), given the keys."""
    if len(items) < 2:
        return
    if isinstance(keys[0], _NUMBERS):
        positions = _sorted_positions(keys, reverse)
    else:
        positions = _stable_positions(keys, reverse)
    ordered = [items[p] for p in positions]
    for i in range(len(items)):
        items[i] = ordered[i]


@implements(_builtin_calls.sorted_by_keys)
def sorted_by_keys(keys, items, reverse):
    """sorted(iterable, key=...), given the keys and a list of the items (a copy, sorted in place)."""
    sort_by_keys(keys, items, reverse)
    return items


@extends("list.sort")
def sort(items, reverse=False):
    if len(items) < 2:
        return
    if not isinstance(items[0], _NUMBERS):  # strings, tuples, jitclass instances: a merge sort of comparisons
        _stable_sort_in_place(items, reverse)
        return
    if isinstance(items[0], _INTEGERS):  # equal integers are indistinguishable: no need for a stable sort
        values = np.array(items)
        values.sort()
        n = len(items)
        for i in range(n):
            items[i] = values[n - 1 - i] if reverse else values[i]
        return
    ordered = [items[i] for i in _sorted_positions(items, reverse)]
    for i in range(len(items)):
        items[i] = ordered[i]


_INTEGERS = (int, bool, np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32, np.uint64)
_NUMBERS = _INTEGERS + (float, np.float32)


@implements(sorted)
def sorted_(iterable, reverse=False):
    items = [item for item in iterable]
    sort(items, reverse)
    return items


@implements(reversed)
def reversed_(sequence):
    return [sequence[i] for i in range(len(sequence) - 1, -1, -1)]


@implements(list)
def list_(iterable):
    return [item for item in iterable]


# map and filter give lists, as reversed() does: iterating one, passing it to
# list(), sum() or sorted(), and len() of what was made all behave as
# Python's iterators would (next() on one is not supported).
@implements(map)
def map_(function, first, second=None, third=None):
    if second is None:
        return [function(a) for a in first]
    if third is None:
        return [function(a, b) for a, b in zip(first, second)]
    return [function(a, b, c) for a, b, c in zip(first, second, third)]


@implements(filter)
def filter_(function, iterable):
    if function is None:
        return [item for item in iterable if item]
    return [item for item in iterable if function(item)]


@extends("list.extend")
def extend_by(items, other):
    """list.extend of what the C++ row does not take (a tuple, a generator)."""
    for item in other:
        items.append(item)


@extends("list.__add__")
def concatenate(first, second):
    out = [item for item in first]
    for item in second:
        out.append(item)
    return out


@extends("list.__mul__")
def repeat(items, times):
    out = [item for item in items if False]  # empty, of the items' type
    for _ in range(times):
        for item in items:
            out.append(item)
    return out


@njit
def _slice_range(n, start, stop, step):
    """The (low, high, step) of range() a slice selects of n items, clipped as
    Python's slice.indices (absent parts None)."""
    s = 1 if step is None else step
    if s == 0:
        raise ValueError("slice step cannot be zero")
    if s > 0:
        low = 0 if start is None else (max(start + n, 0) if start < 0 else min(start, n))
        high = n if stop is None else (max(stop + n, 0) if stop < 0 else min(stop, n))
    else:
        low = n - 1 if start is None else (max(start + n, -1) if start < 0 else min(start, n - 1))
        high = -1 if stop is None else (max(stop + n, -1) if stop < 0 else min(stop, n - 1))
    return low, high, s


@extends("list.__imul__")
def repeat_in_place(items, times):
    """items *= n: the list itself repeated (emptied when n <= 0)."""
    n = len(items)
    if times <= 0:
        clear(items)
        return
    for _ in range(times - 1):
        for i in range(n):
            items.append(items[i])


@extends("list.__getslice__")
def getslice(items, start, stop, step):
    """items[start:stop:step]."""
    low, high, s = _slice_range(len(items), start, stop, step)
    return [items[i] for i in range(low, high, s)]


@extends("list.__setslice__")
def setslice(items, start, stop, step, values):
    """items[start:stop:step] = values: a plain slice takes any number of
    values (the list grows or shrinks); an extended one exactly as many as it
    selects."""
    n = len(items)
    low, high, s = _slice_range(n, start, stop, step)
    new = [value for value in values]  # a copy: `a[1:] = a` reads a before it changes
    if s == 1:
        tail = [items[i] for i in range(max(high, low), n)]
        while len(items) > low:
            items.pop()
        for value in new:
            items.append(value)
        for value in tail:
            items.append(value)
        return
    if len(range(low, high, s)) != len(new):
        raise ValueError("attempt to assign a sequence to an extended slice of another size")
    for k in range(len(new)):
        items[low + k * s] = new[k]


@extends("list.__delslice__")
def delslice(items, start, stop, step):
    """del items[start:stop:step]."""
    n = len(items)
    low, high, s = _slice_range(n, start, stop, step)
    if s < 0:  # the same items, walked upwards
        count = len(range(low, high, s))
        low, high, s = low + (count - 1) * s, low + 1, -s
        if count == 0:
            return
    kept = [items[i] for i in range(n) if not (low <= i < high and (i - low) % s == 0)]
    while len(items):
        items.pop()
    for value in kept:
        items.append(value)
