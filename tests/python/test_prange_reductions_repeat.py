"""prange reductions give the same bits on every run: the runtime cuts a
region into chunks that depend only on its size and the thread count, and
compiled code keeps one partial per chunk, combined in chunk order
(runtime/chunk_claims.cpp, lower/lower_parallel.cpp). The chunks are rebuilt
here from the same rule, so the compiled sum is checked bit for bit against
the sum Python takes in that order."""
import numpy as np
import pytest

import numjit
from numjit import prange


@numjit.njit(parallel=True)
def parallel_sum(x):
    s = 0.0
    for i in prange(x.size):
        s += x[i]
    return s


@numjit.njit(parallel=True)
def parallel_sum_f32_and_count(x, limit):
    s = np.float32(0.0)
    above = 0
    for i in prange(x.size):
        s += x[i]
        if x[i] > limit:
            above += 1
    return s, above


@numjit.njit(parallel=True)
def many_small_regions(x, times):
    total = 0.0
    for t in range(times):
        s = 0.0
        for i in prange(x.size):
            s += x[i] * (t + 1)
        total += s
    return total


def chunk_bounds(count, threads):
    """runtime/chunk_claims.cpp's plan, without a fixed chunk size: one home
    of count/threads iterations per thread, each cut into chunks of half of
    what is left of it, at most count/(8 threads), down to count/(32 threads)."""
    if count <= 0:
        return []
    most = 4096
    homes = min(threads, most // 2, count)
    fewest = -(-count // (most - homes))
    smallest = max(1, count // (32 * threads), fewest)
    largest = max(smallest, count // (8 * threads))
    bounds, at = [], 0
    for h in range(homes):
        home_end = count * (h + 1) // homes
        while at < home_end:
            size = home_end - at if threads == 1 else min(largest, max(smallest, (home_end - at) // 2))
            stop = min(home_end, at + size)
            bounds.append((at, stop))
            at = stop
    return bounds


def in_chunk_order(x, threads, zero):
    total = zero
    for begin, end in chunk_bounds(x.size, threads):
        partial = zero
        for v in x[begin:end]:
            partial = partial + v
        total = total + partial
    return total


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("size", [0, 1, 7, 100, 4099, 100_003])
def test_sum_is_the_chunk_order_sum_on_every_run(threads, size):
    if threads > numjit.config.NUMBA_NUM_THREADS:
        pytest.fail("the test machine has fewer threads than the test needs")
    x = np.random.default_rng(size).standard_normal(size) * 10.0 ** np.random.default_rng(1).integers(-8, 8, size)
    numjit.set_num_threads(threads)
    try:
        results = {parallel_sum(x) for _ in range(20)}
    finally:
        numjit.set_num_threads(numjit.config.NUMBA_NUM_THREADS)
    assert len(results) == 1
    want = in_chunk_order(x, threads, 0.0)
    assert results.pop() == want
    if threads == 1:
        assert parallel_sum(x[:0]) == 0.0
        numjit.set_num_threads(1)
        try:
            assert parallel_sum(x) == parallel_sum.py_func(x)
        finally:
            numjit.set_num_threads(numjit.config.NUMBA_NUM_THREADS)


@pytest.mark.parametrize("size", [3, 1000, 65_537])
def test_two_reductions_of_other_types(size):
    x = np.random.default_rng(5).standard_normal(size).astype(np.float32)
    first = parallel_sum_f32_and_count(x, 0.5)
    for _ in range(10):
        assert parallel_sum_f32_and_count(x, 0.5) == first
    assert first[1] == int((x > 0.5).sum())
    assert first[0] == in_chunk_order(x, numjit.get_num_threads(), np.float32(0.0))


def test_many_regions_in_a_loop_keep_the_stack():
    # Each region's partials are given back: 200000 regions with several
    # chunks each would otherwise take more than a thread's stack.
    x = np.arange(10.0)
    assert many_small_regions(x, 200_000) == many_small_regions.py_func(x, 200_000)
