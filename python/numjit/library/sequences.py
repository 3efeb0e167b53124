"""Python builtins over sequences: sum, and `in` for lists, tuples and arrays."""
import builtins

from . import extends, implements


@implements(builtins.sum)
def sum_(iterable, start=0):
    total = start
    for item in iterable:
        total += item
    return total


@extends("list.__contains__", "scalar.__contains__")
def contains(container, value):
    """`value in container` for lists and homogeneous tuples."""
    for item in container:
        if item == value:
            return True
    return False


@extends("array.__contains__")
def array_contains(array, value):
    return bool((array == value).any())
