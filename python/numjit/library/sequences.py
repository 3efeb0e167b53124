"""Python builtins over sequences: sum, any, all, divmod, min/max of one iterable, math.gcd,
list.reverse, and `in` for lists, tuples, arrays and bytes."""
import builtins
import math

import numpy as np

from ..decorators import njit
from .registration import extends, implements


@implements(builtins.sum)
def sum_(iterable, start=0):
    total = start
    for item in iterable:
        total += item
    return total


@implements(builtins.any)
def any_(iterable):
    for item in iterable:
        if item:
            return True
    return False


@implements(builtins.all)
def all_(iterable):
    for item in iterable:
        if not item:
            return False
    return True


@implements(builtins.divmod)
def divmod_(a, b):
    """Python's divmod: floor quotient and remainder, ZeroDivisionError at zero."""
    return a // b, a % b


@extends("list.__contains__", "scalar.__contains__")
def contains(container, value):
    """`value in container` for lists and homogeneous tuples."""
    for item in container:
        if item == value:
            return True
    return False


@extends("bytes.__contains__")
def bytes_contains(data, value):
    """`value in data` for bytes, as Python's: a byte value (an int in
    range(256)), or a run of bytes (bytes or a uint8 array) found in order."""
    if isinstance(value, np.ndarray):
        if value.dtype != np.uint8:
            raise TypeError("compiled code looks for bytes or uint8 arrays in bytes")
        for start in range(len(data) - len(value) + 1):
            found = True
            for k in range(len(value)):
                if data[start + k] != value[k]:
                    found = False
                    break
            if found:
                return True
        return False
    if isinstance(value, (float, complex)):
        raise TypeError("a bytes-like object is required, not a number that is not an integer")
    if value < 0 or value > 255:
        raise ValueError("byte must be in range(0, 256)")
    for item in data:
        if item == value:
            return True
    return False


@extends("array.__contains__")
def array_contains(array, value):
    return bool((array == value).any())


@njit
def _extreme(iterable, which):
    """The first largest (which == "max") or smallest item of one iterable."""
    if isinstance(iterable, set):  # decided by types: a set cannot be indexed
        return _extreme(iterable._items(), which)
    if len(iterable) == 0:
        if which == "max":  # decided while compiling: exception messages are constants
            raise ValueError("max() arg is an empty sequence")
        raise ValueError("min() arg is an empty sequence")
    first = True
    best = iterable[0]
    for item in iterable:
        if first or (item > best if which == "max" else item < best):
            best = item
            first = False
    return best


@extends("max")
def max_(iterable):
    """max() of one iterable (max(a, b, ...) of numbers is a C++ row)."""
    return _extreme(iterable, "max")


@extends("min")
def min_(iterable):
    return _extreme(iterable, "min")


@extends("list.reverse")
def reverse(items):
    n = len(items)
    for i in range(n // 2):
        items[i], items[n - 1 - i] = items[n - 1 - i], items[i]


@implements(math.gcd)
def gcd(a, b):
    a, b = abs(a), abs(b)
    while b:
        a, b = b, a % b
    return a


@njit
def _difference_rows(rows, n):
    """np.diff of each row of a 2-D array, n times (bool rows: !=, as NumPy)."""
    length = rows.shape[1]
    width = max(length - n, 0)
    out = np.empty((rows.shape[0], width), rows.dtype)
    for r in range(rows.shape[0]):
        row = rows[r].copy()
        for done in range(min(n, length)):
            for i in range(length - 1 - done):
                if rows.dtype == np.bool_:
                    row[i] = row[i + 1] != row[i]
                else:
                    row[i] = row[i + 1] - row[i]
        out[r] = row[:width]
    return out


@extends("np.diff")
def diff(a, n=1, axis=-1):
    """np.diff of arrays the C++ row (1-D, not bool) leaves: along any axis of any array."""
    if n < 0:
        raise ValueError("order must be non-negative but got " + str(n))
    if axis < -a.ndim or axis >= a.ndim:
        raise np.exceptions.AxisError("axis is out of bounds for the array")
    if axis < 0:
        axis += a.ndim
    if axis == a.ndim - 1:
        rows = np.ascontiguousarray(a).reshape(-1, a.shape[-1])
        return _difference_rows(rows, n).reshape(a.shape[:-1] + (max(a.shape[-1] - n, 0),))
    # Another axis: the differences along the last axis of the array with that axis moved last, moved back.
    moved = np.ascontiguousarray(np.moveaxis(a, axis, -1))
    rows = moved.reshape(-1, moved.shape[-1])
    differences = _difference_rows(rows, n).reshape(moved.shape[:-1] + (max(moved.shape[-1] - n, 0),))
    return np.ascontiguousarray(np.moveaxis(differences, -1, axis))
