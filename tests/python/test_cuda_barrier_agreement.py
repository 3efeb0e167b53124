"""Control flow around cuda.syncthreads() that the threads must agree on, on
the CPU (numjit/cuda/barriers.py, inline_barriers.py).

CUDA requires an `if`, `while` or range loop with a barrier inside to take
the same way in every thread of the block. Where numjit cannot see that
from the code (the condition reads memory, or the thread's position), every
running thread evaluates it: if they agree the kernel runs, compared here
with NumPy; if two disagree the launch raises RuntimeError at the
condition (a GPU would hang or race). A device function with barriers may
return before a barrier, under such a condition: a guard the whole block
takes (`if n == 0: return ...`) works, one that splits the block raises."""
import numpy as np
import pytest

from numjit import cuda, float64

TPB = 64


# ---------------------------------------------------------------- conditions read from memory, agreed

@cuda.jit
def halve_until_small(x, steps, out):
    """Thread 0 halves the block's first value until it is at most 1; every
    thread tests it (a shared-memory read: not uniform by construction)."""
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    count = 0
    while sm[0] > 1.0:
        cuda.syncthreads()
        if tid == 0:
            sm[0] = sm[0] / 2.0
        count += 1
        cuda.syncthreads()
    if i < x.size:
        steps[i] = count
        out[i] = sm[tid]


def halvings(v):
    count = 0
    while v > 1.0:
        v /= 2.0
        count += 1
    return count, v


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("threads", [1, 8, TPB])
@pytest.mark.parametrize("n", [1, 100, 333])
def test_a_while_condition_read_from_shared_memory_like_python(dtype, threads, n):
    x = (np.random.default_rng(n).random(n) * 1000).astype(dtype)
    steps, out = np.zeros(n, np.int64), np.zeros(n)
    blocks = -(-n // threads)
    halve_until_small[blocks, threads](x, steps, out)
    expected_steps, expected_out = np.zeros(n, np.int64), x.astype(np.float64)
    for b in range(blocks):
        first = b * threads
        count, halved = halvings(float(x[first]))
        expected_steps[first:first + threads] = count
        expected_out[first] = halved
    np.testing.assert_array_equal(steps, expected_steps)
    np.testing.assert_array_equal(out, expected_out)


@cuda.jit
def rounds_per_block(x, rounds, out):
    """The block's number of rounds and whether it scales are read from memory through the
    thread's own position (`i - tid` is the block's first element in every thread)."""
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0.0
    for r in range(rounds[i - tid]):
        cuda.syncthreads()
        v = sm[(tid + 1) % cuda.blockDim.x]
        cuda.syncthreads()
        sm[tid] = v + r
    if x[i - tid] > 0.5:
        cuda.syncthreads()
        sm[tid] = sm[tid] * 2.0
    if i < x.size:
        out[i] = sm[tid]


def reference_rounds(x, rounds, threads):
    out = np.zeros(x.size)
    for first in range(0, x.size, threads):
        block = np.zeros(threads)
        block[:min(threads, x.size - first)] = x[first:first + threads]
        for r in range(rounds[first]):
            block = np.roll(block, -1) + r
        if x[first] > 0.5:
            block = block * 2.0
        out[first:first + threads] = block[:min(threads, x.size - first)]
    return out


@pytest.mark.parametrize("threads", [1, 4, 32])
@pytest.mark.parametrize("n", [32, 96, 128])
def test_a_range_and_an_if_read_through_the_threads_position_like_numpy(threads, n):
    rng = np.random.default_rng(threads * n)
    x = rng.random(n)
    rounds = np.repeat(rng.integers(0, 4, -(-n // threads)), threads)[:n]
    out = np.zeros(n)
    rounds_per_block[-(-n // threads), threads](x, rounds, out)
    np.testing.assert_allclose(out, reference_rounds(x, rounds, threads), rtol=1e-15)


@cuda.jit
def after_early_returns(x, n, out):
    """Threads past the end return first; only the running ones must agree."""
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    if i >= n:
        return
    sm[tid] = x[i]
    if i < n:  # true in every thread still running, false in those that returned
        cuda.syncthreads()
        out[i] = sm[(tid + 1) % (min(n - (i - tid), cuda.blockDim.x))]


@pytest.mark.parametrize("threads", [8, TPB])
@pytest.mark.parametrize("n", [5, 64, 70])
def test_threads_that_returned_take_no_part(threads, n):
    x = np.arange(1.0, n + 1.0)
    out = np.zeros(n)
    after_early_returns[-(-n // threads), threads](x, n, out)
    expected = np.concatenate([np.roll(x[b:b + threads], -1) for b in range(0, n, threads)])
    np.testing.assert_array_equal(out, expected)


# ---------------------------------------------------------------- conditions that split the block

def disagreeing_if(x, out):
    i = cuda.grid(1)
    if x[i] > 0:
        cuda.syncthreads()
    out[i] = 1.0


def disagreeing_while(x, out):
    i = cuda.grid(1)
    k = 0
    while k < x[i]:
        cuda.syncthreads()
        k += 1
    out[i] = k


def disagreeing_range(x, out):
    i = cuda.grid(1)
    for k in range(int(x[i])):
        cuda.syncthreads()
    out[i] = 1.0


@pytest.mark.parametrize("source, what, line", [
    (disagreeing_if, "if condition", "if x[i] > 0:"),
    (disagreeing_while, "while condition", "while k < x[i]:"),
    (disagreeing_range, "loop's range", "for k in range(int(x[i])):"),
])
@pytest.mark.parametrize("split_block", [0, 1, 2])
def test_threads_that_disagree_raise_at_the_condition(source, what, line, split_block):
    kernel = cuda.jit(source)
    threads = 8
    x = np.ones(3 * threads)
    out = np.zeros_like(x)
    kernel[3, threads](x, out)  # every thread agrees: it runs
    np.testing.assert_array_equal(out, np.ones_like(x))
    x[split_block * threads + 5] = 0.0  # one thread of one block takes the other way
    with pytest.raises(RuntimeError, match=f"disagree on this {what}") as info:
        kernel[3, threads](x, out)
    text = str(info.value)
    assert "test_cuda_barrier_agreement.py:" in text and line in text


# ---------------------------------------------------------------- device functions that return before a barrier

@cuda.jit(device=True)
def guarded_block_sum(sm, tid, n, empty):
    if n == 0:
        return empty
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            sm[tid] += sm[tid + s]
        cuda.syncthreads()
        s //= 2
    return sm[0]


@cuda.jit(device=True)
def clipped_block_sum(sm, tid, n, limit):
    """Two guards, one nested, one read from shared memory after a barrier."""
    if n == 0:
        return 0.0
    cuda.syncthreads()
    if sm[0] < 0:
        if limit > 0:
            return -limit
        return sm[0]
    cuda.syncthreads()  # every thread has read sm[0] before the reduction writes it
    total = guarded_block_sum(sm, tid, n, -1.0)
    if total > limit:
        return limit
    return total


@cuda.jit
def guarded_sums(x, n, limit, out):
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < n else 0.0
    cuda.syncthreads()
    plain = guarded_block_sum(sm, tid, n, -1.0)
    cuda.syncthreads()
    sm[tid] = x[i] if i < n else 0.0
    clipped = clipped_block_sum(sm, tid, n, limit)
    if tid == 0:
        out[0, cuda.blockIdx.x] = plain
        out[1, cuda.blockIdx.x] = clipped


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("threads", [1, 16, TPB])
@pytest.mark.parametrize("n", [0, 1, 100, 1000])
@pytest.mark.parametrize("limit", [0.0, 50.0, 1e9])
def test_device_functions_returning_before_barriers_like_numpy(dtype, threads, n, limit):
    rng = np.random.default_rng(n + threads)
    x = np.zeros(max(n, 1), dtype)
    x[:n] = rng.integers(-2, 10, n).astype(dtype)
    blocks = max(1, -(-n // threads))
    out = np.zeros((2, blocks))
    guarded_sums[blocks, threads](x, n, limit, out)
    padded = np.zeros(blocks * threads)
    padded[:n] = x[:n]
    sums = padded.reshape(blocks, threads).sum(axis=1)
    firsts = padded.reshape(blocks, threads)[:, 0]
    if n == 0:
        expected_plain, expected_clipped = np.full(blocks, -1.0), np.zeros(blocks)
    else:
        expected_plain = sums
        expected_clipped = np.where(firsts < 0, -limit if limit > 0 else firsts, np.minimum(sums, limit))
    np.testing.assert_array_equal(out[0], expected_plain)
    np.testing.assert_array_equal(out[1], expected_clipped)


@cuda.jit(device=True)
def returns_for_thread_zero(sm, t):
    if t == 0:
        return 1.0
    cuda.syncthreads()
    return sm[t]


def test_a_device_function_whose_return_splits_the_block_raises_at_the_call():
    @cuda.jit
    def kernel(out):
        sm = cuda.shared.array(8, float64)
        v = returns_for_thread_zero(sm, cuda.threadIdx.x)
        out[cuda.threadIdx.x] = v

    with pytest.raises(RuntimeError, match="disagree on this if condition") as info:
        kernel[1, 4](np.zeros(4))
    text = str(info.value)
    assert "test_cuda_barrier_agreement.py:" in text and "v = returns_for_thread_zero(sm, cuda.threadIdx.x)" in text
    single = np.zeros(1)
    kernel[1, 1](single)  # one thread always agrees with itself
    assert single[0] == 1.0


def test_the_gpu_compiles_the_guarded_device_function_as_a_call():
    ptx, _ = cuda.compile_ptx(guarded_sums, "void(float64[:], int64, float64, float64[:, :])")
    assert ptx.count("bar.sync") >= 3
    assert "disagree" not in ptx  # the agreement check is the CPU's; a GPU has its own barrier
