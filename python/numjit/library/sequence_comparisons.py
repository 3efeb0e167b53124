"""Comparisons of lists (==, !=, <, <=, >, >= lexicographically, as Python)
and the truth of containers and strings (bool(x): non-empty; of an array,
NumPy's rule), which
inference writes as calls of these (`a < b` is `a.__lt__(b)`)."""
import numpy as np

from ..decorators import njit
from .registration import extends


@extends("list.__eq__")
def equal(first, second):
    if len(first) != len(second):
        return False
    for i in range(len(first)):
        if not (first[i] == second[i]):
            return False
    return True


@extends("list.__ne__")
def not_equal(first, second):
    return not equal(first, second)


@njit
def _first_difference(first, second):
    """The first position whose items differ, or the shorter length."""
    n = min(len(first), len(second))
    for i in range(n):
        if not (first[i] == second[i]):
            return i
    return n


@extends("list.__lt__")
def less(first, second):
    i = _first_difference(first, second)
    if i < len(first) and i < len(second):
        return first[i] < second[i]
    return len(first) < len(second)


@extends("list.__le__")
def less_or_equal(first, second):
    i = _first_difference(first, second)
    if i < len(first) and i < len(second):
        return first[i] <= second[i]
    return len(first) <= len(second)


@extends("list.__gt__")
def greater(first, second):
    return less(second, first)


@extends("list.__ge__")
def greater_or_equal(first, second):
    return less_or_equal(second, first)


@extends("bool")
def truth(value):
    if isinstance(value, np.ndarray):  # decided by type: NumPy's rule, one element or an error
        if value.size != 1:
            raise ValueError("The truth value of an array with more than one element is ambiguous. "
                             "Use a.any() or a.all()")
        return bool(value.ravel()[0])
    return len(value) != 0
