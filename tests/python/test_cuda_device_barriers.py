"""cuda.syncthreads() inside device functions, on the CPU (numjit/cuda/
inline_barriers.py): such a call is inlined into the kernel, whose phases
then cut at its barriers. Block reductions and scans written as device
functions are compared with NumPy over dtypes, block sizes and array sizes;
device functions nested in each other, from another module, called with
expressions, keywords and defaults, as statements, assignments and
augmented assignments; and the located errors for what is not supported."""
import numpy as np
import pytest

from numjit import cuda, float64, int64
from numjit.errors import UnsupportedError

from cuda_device_helpers import shift_left_weighted

TPB = 64
WIDTH = 100  # not the helper module's WIDTH


@cuda.jit(device=True)
def block_reduce(sm, tid):
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            sm[tid] += sm[tid + s]
        cuda.syncthreads()
        s //= 2
    return sm[0]


@cuda.jit
def block_sums(x, out):
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0
    cuda.syncthreads()
    s = block_reduce(sm, tid)  # the kernel's own `s`, and the device function's
    if tid == 0:
        out[cuda.blockIdx.x] = s


def reference_block_sums(x, threads):
    padded = np.zeros(-(-x.size // threads) * threads)
    padded[:x.size] = x
    return padded.reshape(-1, threads).sum(axis=1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64])
@pytest.mark.parametrize("threads", [1, 2, 16, TPB])
@pytest.mark.parametrize("n", [1, 65, 1000])
def test_block_reduction_in_a_device_function_like_numpy(dtype, threads, n):
    x = (np.arange(n) % 11 - 3).astype(dtype)
    blocks = -(-n // threads)
    out = np.full(blocks, np.nan)
    block_sums[blocks, threads](x, out)
    np.testing.assert_array_equal(out, reference_block_sums(x.astype(np.float64), threads))


@cuda.jit(device=True)
def scan_step(sm, tid, offset):
    v = sm[tid - offset] if tid >= offset else 0
    cuda.syncthreads()
    sm[tid] += v
    cuda.syncthreads()


@cuda.jit(device=True)
def inclusive_scan(sm, tid):
    offset = 1
    while offset < cuda.blockDim.x:
        scan_step(sm, tid, offset)  # a device function with barriers, inside another
        offset *= 2


@cuda.jit
def block_scans(x, out):
    sm = cuda.shared.array(TPB, int64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0
    cuda.syncthreads()
    inclusive_scan(sm, tid)
    if i < x.size:
        out[i] = sm[tid]


@pytest.mark.parametrize("threads", [1, 8, 33, TPB])
@pytest.mark.parametrize("n", [1, 100, 640])
def test_nested_device_functions_with_barriers_scan_like_numpy(threads, n):
    x = np.random.default_rng(n + threads).integers(-50, 50, n)
    out = np.zeros(n, np.int64)
    block_scans[-(-n // threads), threads](x, out)
    expected = np.concatenate([np.cumsum(x[k:k + threads]) for k in range(0, n, threads)])
    np.testing.assert_array_equal(out, expected)


@cuda.jit(device=True)
def add_neighbour(sm, tid, scale=2.0):
    n = cuda.blockDim.x
    right = sm[(tid + 1) % n]
    cuda.syncthreads()
    sm[tid] += right * scale
    cuda.syncthreads()
    return sm[tid] - right


@cuda.jit
def neighbours(out, kind):
    sm = cuda.shared.array(TPB, float64)
    t = cuda.threadIdx.x
    sm[t] = t + 1.0
    cuda.syncthreads()
    total = 0.5
    if kind == 0:
        add_neighbour(sm, t)  # a statement: its value is dropped
    elif kind == 1:
        total = add_neighbour(sm, cuda.threadIdx.x, scale=3.0)  # an expression argument, a keyword
    else:
        total += add_neighbour(scale=0.5, tid=t, sm=sm)
    out[t, 0] = sm[t]
    out[t, 1] = total


@pytest.mark.parametrize("kind, scale", [(0, 2.0), (1, 3.0), (2, 0.5)])
@pytest.mark.parametrize("threads", [1, 7, 32])
def test_calls_as_statements_assignments_and_keywords(kind, scale, threads):
    out = np.zeros((threads, 2))
    neighbours[1, threads](out, kind)
    own = np.arange(threads) + 1.0
    right = np.roll(own, -1)
    summed = own + right * scale
    np.testing.assert_array_equal(out[:, 0], summed)
    expected_total = {0: np.full(threads, 0.5), 1: summed - right, 2: 0.5 + summed - right}[kind]
    np.testing.assert_array_equal(out[:, 1], expected_total)


@cuda.jit
def shifts(out):
    sm = cuda.shared.array(TPB, float64)
    t = cuda.threadIdx.x
    sm[t] = t * 1.0
    cuda.syncthreads()
    shift_left_weighted(sm, t)
    out[t] = sm[t] + WIDTH


@pytest.mark.parametrize("threads", [1, 5, TPB])
def test_a_device_function_from_another_module_reads_its_own_names(threads):
    out = np.zeros(threads)
    shifts[1, threads](out)
    values = np.arange(threads, dtype=np.float64)
    shifted = np.append(values[1:] * 3, values[-1])
    np.testing.assert_array_equal(out, shifted + 100)


@cuda.jit(device=True)
def reduce_then_pick(sm, tid, fallback):
    block_reduce(sm, tid)  # its barriers are the last ones
    if tid == 0:
        return sm[0]  # an early return after the last barrier
    if tid % 2 == 1:
        fallback = -fallback
    return fallback


@cuda.jit(device=True)
def only_when_positive(sm, tid):
    cuda.syncthreads()
    if sm[tid] <= 0:
        return  # a bare early return
    sm[tid] *= 10


@cuda.jit
def early_returns(x, out, flags):
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    only_when_positive(sm, tid)
    cuda.syncthreads()
    flags[i] = sm[tid]
    cuda.syncthreads()
    picked = reduce_then_pick(sm, tid, 0.5)
    out[i] = picked


@pytest.mark.parametrize("threads", [1, 4, 32])
def test_early_returns_after_the_last_barrier(threads):
    x = np.random.default_rng(threads).integers(-3, 4, 3 * threads).astype(np.float64)
    out, flags = np.zeros_like(x), np.zeros_like(x)
    early_returns[3, threads](x, out, flags)
    scaled = np.where(x > 0, x * 10, x)
    np.testing.assert_array_equal(flags, scaled)
    t = np.arange(x.size) % threads
    sums = scaled.reshape(3, threads).sum(axis=1).repeat(threads)
    np.testing.assert_array_equal(out, np.where(t == 0, sums, np.where(t % 2 == 1, -0.5, 0.5)))


@cuda.jit(device=True)
def first_negative_round(sm, rounds):
    """The first round whose value, read after a barrier, is negative: a
    return from inside a loop with a barrier (every thread reads the same
    slot, so the block leaves together)."""
    for k in range(rounds):
        cuda.syncthreads()
        if sm[k] < 0:
            return k
    return -1


@cuda.jit(device=True)
def first_big_step(sm, t, limit):
    """After a barrier, a return from inside two plain loops (no barrier in
    them or after them: each thread may return on its own), with no value:
    the function writes its answer."""
    cuda.syncthreads()
    total = 0.0
    for k in range(3):
        j = 0
        while j < 2:
            total += sm[(t + j) % cuda.blockDim.x] * (k + 1)
            if total > limit:
                sm[t + 16] = -total
                return
            j += 1
    sm[t + 16] = total + sm[t]


@cuda.jit
def call_returning_loops(x, out, rounds, limit):
    sm = cuda.shared.array(32, float64)
    t = cuda.threadIdx.x
    sm[t] = x[t]
    a = first_negative_round(sm, rounds)
    cuda.syncthreads()
    first_big_step(sm, t, limit)
    out[t] = a * 1000.0 + sm[t + 16]


def returning_loops_reference(x, rounds, limit):
    n = x.size
    a = -1
    for k in range(rounds):
        if x[k] < 0:
            a = k
            break
    out = np.zeros(n)
    for t in range(n):
        total, returned = 0.0, False
        for k in range(3):
            for j in range(2):
                total += x[(t + j) % n] * (k + 1)
                if total > limit:
                    returned = True
                    break
            if returned:
                break
        out[t] = a * 1000.0 + (-total if returned else total + x[t])
    return out


@pytest.mark.parametrize("negative_at", [None, 0, 2, 5])
@pytest.mark.parametrize("rounds", [0, 3, 8])
@pytest.mark.parametrize("limit", [-1.0, 4.0, 100.0])
def test_device_functions_return_from_inside_loops(negative_at, rounds, limit):
    x = np.linspace(0.5, 2.0, 16)
    if negative_at is not None:
        x[negative_at] = -1.0
    out = np.zeros(16)
    call_returning_loops[1, 16](x, out, rounds, limit)
    np.testing.assert_allclose(out, returning_loops_reference(x, rounds, limit))


def test_a_value_returned_from_inside_a_loop_without_a_barrier_is_refused():
    @cuda.jit(device=True)
    def search(sm, v):
        cuda.syncthreads()
        for k in range(4):
            if sm[k] == v:
                return k
        return -1

    @cuda.jit
    def kernel(out):
        sm = cuda.shared.array(8, float64)
        sm[cuda.threadIdx.x] = cuda.threadIdx.x
        out[cuda.threadIdx.x] = search(sm, 2.0)

    with pytest.raises(UnsupportedError, match="returns a value from inside a loop without") as info:
        kernel[1, 4](np.zeros(4))
    assert "search(sm, 2.0)" in str(info.value)


def test_a_return_inside_a_loop_that_splits_the_block_raises():
    @cuda.jit(device=True)
    def own_round(sm, t):
        for k in range(3):
            cuda.syncthreads()
            if t == k:  # each thread leaves at its own round: a GPU would hang
                return k
        return -1

    @cuda.jit
    def kernel(out):
        sm = cuda.shared.array(8, float64)
        out[cuda.threadIdx.x] = own_round(sm, cuda.threadIdx.x)

    with pytest.raises(RuntimeError, match="disagree") as info:
        kernel[1, 4](np.zeros(4))
    assert "own_round(sm, cuda.threadIdx.x)" in str(info.value)


def test_the_gpu_compiles_device_functions_returning_inside_loops(tmp_path):
    from test_cuda_ptx import assemble
    ptx, _ = cuda.compile_ptx(call_returning_loops.py_func, "void(float64[:], float64[:], int64, float64)")
    assert ptx.count("bar.sync") >= 3
    assemble(ptx, tmp_path)


def test_the_gpu_keeps_the_device_function_as_a_call_with_bar_sync():
    ptx, _ = cuda.compile_ptx(block_sums, "void(float64[:], float64[:])")
    assert ptx.count("bar.sync") >= 2


# ---------------------------------------------------------------- what is refused, with its place
# (calls inside expressions: test_cuda_lifted_barrier_calls.py; returns before a barrier:
# test_cuda_barrier_agreement.py)

@cuda.jit(device=True)
def recursive_barrier(sm, t, depth):
    cuda.syncthreads()
    if depth > 0:
        recursive_barrier(sm, t, depth - 1)


def test_a_recursive_device_function_with_a_barrier_is_refused():
    @cuda.jit
    def kernel(out):
        sm = cuda.shared.array(8, float64)
        recursive_barrier(sm, cuda.threadIdx.x, 3)
        out[0] = 1.0

    with pytest.raises(UnsupportedError, match="nested more than 8 deep") as info:
        kernel[1, 4](np.zeros(1))
    assert "test_cuda_device_barriers.py:" in str(info.value)


def test_a_wrong_call_of_an_inlined_device_function_is_located():
    @cuda.jit
    def kernel(out):
        sm = cuda.shared.array(TPB, float64)
        block_reduce(sm)
        out[0] = sm[0]

    with pytest.raises(UnsupportedError, match="missing the argument 'tid'") as info:
        kernel[1, 4](np.zeros(1))
    assert "test_cuda_device_barriers.py:" in str(info.value) and "block_reduce(sm)" in str(info.value)


def test_an_error_inside_a_nested_device_function_points_at_the_kernels_call():
    @cuda.jit
    def kernel(out):
        sm = cuda.shared.array(TPB, float64)
        calls_scan_step_wrongly(sm)
        out[0] = sm[0]

    with pytest.raises(UnsupportedError, match="missing the argument 'offset'") as info:
        kernel[1, 4](np.zeros(1))
    assert "calls_scan_step_wrongly(sm)" in str(info.value)  # the kernel's line, not the device function's


# Below every kernel of this file: its lines are outside theirs.
@cuda.jit(device=True)
def calls_scan_step_wrongly(sm):
    cuda.syncthreads()
    scan_step(sm, cuda.threadIdx.x)
