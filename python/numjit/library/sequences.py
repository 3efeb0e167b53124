"""Python builtins over sequences: sum."""
import builtins

from . import implements


@implements(builtins.sum)
def sum_(iterable, start=0):
    total = start
    for item in iterable:
        total += item
    return total
