"""Deep or endless recursion in compiled code raises RecursionError, in the
main thread and in other threads, leaks nothing, and leaves the dispatcher
working; functions that do not recurse carry no check."""
import sys
import threading

import numpy as np
import pytest

import numjit
from numjit import njit
from numjit.runtime import allocation_stats


@njit
def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)


@njit
def endless(n):
    if n < 0:
        return 0
    return endless(n + 1) + 1


@njit
def holds_arrays(n, a):
    if n == 0:
        return a.sum()
    b = a + 1.0  # every frame owns an array, freed as the error unwinds
    return holds_arrays(n - 1, b)


@njit
def is_even(n):
    return True if n == 0 else is_odd(n - 1)


@njit
def is_odd(n):
    return False if n == 0 else is_even(n - 1)


def test_moderate_recursion_works():
    assert depth(10_000) == 10_000
    assert holds_arrays(50, np.zeros(3)) == holds_arrays.py_func(50, np.zeros(3))


def test_deep_recursion_raises_recursion_error():
    with pytest.raises(RecursionError, match="depth"):
        depth(100_000_000)
    assert depth(100) == 100  # still usable


def test_endless_recursion_raises_recursion_error():
    with pytest.raises(RecursionError):
        endless(0)


def test_unwinding_frees_every_frame():
    before = allocation_stats()
    with pytest.raises(RecursionError):
        holds_arrays(10_000_000, np.zeros(2))
    after = allocation_stats()
    assert after[0] - before[0] == after[1] - before[1] > 0


def test_mutual_recursion_with_conditional_expressions():
    for n in (0, 1, 10, 11):
        assert is_even(n) == is_even.py_func(n)
        assert is_odd(n) == is_odd.py_func(n)
    with pytest.raises(RecursionError):
        is_even(10**9)


@pytest.mark.parametrize("stack_size", [0, 256 * 1024, 64 * 1024 * 1024])
def test_recursion_error_in_other_threads(stack_size):
    outcome = []

    def run():
        try:
            depth(10**9)
        except RecursionError as exc:
            outcome.append(type(exc))
        outcome.append(depth(500))

    old = threading.stack_size()
    threading.stack_size(stack_size)
    try:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old)
    assert outcome == [RecursionError, 500]


def test_a_function_that_does_not_recurse_has_no_check():
    @njit
    def plain(a):
        return a.sum() * 2

    assert plain(np.ones(4)) == 8.0
    assert "numjit_rt_stack_exhausted" not in plain.inspect_llvm(plain.signatures[0])
    assert "numjit_rt_stack_exhausted" in depth.inspect_llvm(depth.signatures[0])
