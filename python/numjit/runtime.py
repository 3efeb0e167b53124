"""The runtime compiled code runs on: memory-manager statistics.

``allocation_stats()`` counts the array memory blocks compiled code has
allocated and freed since the process started (Numba's
``rtsys.get_allocation_stats()``); tests use it to prove nothing leaks.
"""
from collections import namedtuple

from numjit import _dispatch

AllocationStats = namedtuple("AllocationStats", ["alloc", "free"])


def allocation_stats():
    """AllocationStats(alloc, free): blocks allocated and freed by compiled code so far."""
    return AllocationStats(*_dispatch.allocation_stats())
