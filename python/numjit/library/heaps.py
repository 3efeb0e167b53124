"""Python's heapq module in compiled code, on lists, with CPython's
algorithms (Lib/heapq.py), so a heap holds its items in the same order as
CPython's and heappop returns them in the same order, ties included."""
import heapq

from ..decorators import njit
from .registration import implements


@njit
def _sift_down(heap, start, position):
    """Moves heap[position] up towards start until its parent is not larger."""
    item = heap[position]
    while position > start:
        parent = (position - 1) >> 1
        if item < heap[parent]:
            heap[position] = heap[parent]
            position = parent
            continue
        break
    heap[position] = item


@njit
def _sift_up(heap, position):
    """CPython's _siftup: moves the smaller child up until a leaf, then sifts the item down."""
    end = len(heap)
    start = position
    item = heap[position]
    child = 2 * position + 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right
        heap[position] = heap[child]
        position = child
        child = 2 * position + 1
    heap[position] = item
    _sift_down(heap, start, position)


@njit
def _replace_top(heap, item):
    """The smallest item, replaced by `item`, which then sifts to its place."""
    smallest = heap[0]
    heap[0] = item
    _sift_up(heap, 0)
    return smallest


@implements(heapq.heappush)
def heappush(heap, item):
    heap.append(item)
    _sift_down(heap, 0, len(heap) - 1)


@implements(heapq.heappop)
def heappop(heap):
    if len(heap) == 0:
        raise IndexError("index out of range")
    last = heap.pop()
    if len(heap) > 0:
        return _replace_top(heap, last)
    return last


@implements(heapq.heapify)
def heapify(x):
    for i in range(len(x) // 2 - 1, -1, -1):
        _sift_up(x, i)


@implements(heapq.heapreplace)
def heapreplace(heap, item):
    if len(heap) == 0:
        raise IndexError("index out of range")
    return _replace_top(heap, item)


@implements(heapq.heappushpop)
def heappushpop(heap, item):
    if len(heap) > 0 and heap[0] < item:
        return _replace_top(heap, item)
    return item


@implements(heapq.nsmallest)
def nsmallest(n, iterable):
    # Documented as sorted(iterable)[:n], which is what CPython returns.
    return sorted(iterable)[:max(n, 0)]


@implements(heapq.nlargest)
def nlargest(n, iterable):
    return sorted(iterable, reverse=True)[:max(n, 0)]
