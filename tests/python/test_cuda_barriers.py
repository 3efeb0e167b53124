"""CUDA kernels with cuda.syncthreads() on the CPU (numjit/cuda/barriers.py):
block reductions, tiled matrix products, scans, transposes through shared
memory and halo stencils, each compared with NumPy over several dtypes,
block sizes and array sizes (including sizes that leave threads idle, and
threads that return before the barrier); barriers inside if, while and
range loops; locals kept per thread across barriers; and the located errors
for what is not supported."""
import numpy as np
import pytest

from numjit import cuda, float32, float64, int32, int64
from numjit.errors import TypingError, UnsupportedError

TPB = 64
TILE = 8


@cuda.jit
def block_sums(x, out):
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    if i < x.size:
        sm[tid] = x[i]
    else:
        sm[tid] = 0
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            sm[tid] += sm[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid == 0:
        out[cuda.blockIdx.x] = sm[0]


def reference_block_sums(x, threads):
    padded = np.zeros(-(-x.size // threads) * threads)
    padded[:x.size] = x
    return padded.reshape(-1, threads).sum(axis=1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64])
@pytest.mark.parametrize("n", [1, 63, 64, 65, 1000, 4096])
def test_block_reduction_like_numpy(dtype, n):
    x = (np.arange(n) % 17 - 5).astype(dtype)
    blocks = -(-n // TPB)
    out = np.zeros(blocks)
    block_sums[blocks, TPB](x, out)
    np.testing.assert_array_equal(out, reference_block_sums(x.astype(np.float64), TPB))


@pytest.mark.parametrize("threads", [1, 2, 8, 32, 64])
def test_block_reduction_with_smaller_blocks(threads):
    x = np.random.default_rng(threads).random(777)
    blocks = -(-x.size // threads)
    out = np.zeros(blocks)
    block_sums[blocks, threads](x, out)
    np.testing.assert_allclose(out, reference_block_sums(x, threads), rtol=1e-13)


@cuda.jit
def tiled_matmul(A, B, C):
    sA = cuda.shared.array((TILE, TILE), float64)
    sB = cuda.shared.array((TILE, TILE), float64)
    x, y = cuda.grid(2)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    acc = 0.0
    for k in range((A.shape[1] + TILE - 1) // TILE):
        if x < A.shape[0] and k * TILE + ty < A.shape[1]:
            sA[tx, ty] = A[x, k * TILE + ty]
        else:
            sA[tx, ty] = 0.0
        if y < B.shape[1] and k * TILE + tx < B.shape[0]:
            sB[tx, ty] = B[k * TILE + tx, y]
        else:
            sB[tx, ty] = 0.0
        cuda.syncthreads()
        for j in range(TILE):
            acc += sA[tx, j] * sB[j, ty]
        cuda.syncthreads()
    if x < C.shape[0] and y < C.shape[1]:
        C[x, y] = acc


@cuda.jit
def dynamic_block_sums(x, out):
    # The block's size comes from the launch: the buffer is dynamic shared memory.
    sm = cuda.shared.array(0, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0
    cuda.syncthreads()
    stride = 1  # interleaved pairs: any block size, not only powers of two
    while stride < cuda.blockDim.x:
        if tid % (2 * stride) == 0 and tid + stride < cuda.blockDim.x:
            sm[tid] += sm[tid + stride]
        cuda.syncthreads()
        stride *= 2
    if tid == 0:
        out[cuda.blockIdx.x] = sm[0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64])
@pytest.mark.parametrize("threads", [1, 8, 48, 256])
@pytest.mark.parametrize("n", [1, 100, 1000])
def test_dynamic_shared_memory_across_barriers(dtype, threads, n):
    # The common Numba pattern for block sizes chosen at launch:
    # cuda.shared.array(0, ...) living across cuda.syncthreads().
    x = (np.arange(n) % 13 - 4).astype(dtype)
    blocks = -(-n // threads)
    out = np.full(blocks, np.nan)
    dynamic_block_sums[blocks, threads, 0, threads * 8](x, out)
    np.testing.assert_array_equal(out, reference_block_sums(x.astype(np.float64), threads))


@cuda.jit
def static_and_dynamic_neighbours(out):
    fixed = cuda.shared.array(TPB, int64)
    dynamic = cuda.shared.array(0, float32)
    tid = cuda.threadIdx.x
    fixed[tid] = tid * 10 + cuda.blockIdx.x
    dynamic[tid] = tid + 0.5
    cuda.syncthreads()
    other = (tid + 1) % cuda.blockDim.x
    out[cuda.blockIdx.x, tid, 0] = fixed[other]
    out[cuda.blockIdx.x, tid, 1] = dynamic[other]


@pytest.mark.parametrize("threads", [1, 5, TPB])
def test_static_and_dynamic_shared_arrays_do_not_overlap(threads):
    out = np.zeros((3, threads, 2))
    static_and_dynamic_neighbours[3, threads, 0, threads * 4](out)
    other = (np.arange(threads) + 1) % threads
    np.testing.assert_array_equal(out[:, :, 0], other * 10 + np.arange(3)[:, None])
    np.testing.assert_array_equal(out[:, :, 1], np.broadcast_to(other + 0.5, (3, threads)))


@cuda.jit
def register_tiled_matmul(a, b, c):
    # Each thread accumulates a column of PER outputs in a local array that
    # lives across the barriers of the loop over tiles.
    sa = cuda.shared.array((TILE * PER, TILE), float64)
    sb = cuda.shared.array((TILE, TILE), float64)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    col = cuda.blockIdx.x * TILE + tx
    row0 = cuda.blockIdx.y * TILE * PER + ty * PER
    acc = cuda.local.array(PER, float64)
    for r in range(PER):
        acc[r] = 0.0
    for tile in range(-(-a.shape[1] // TILE)):
        k = tile * TILE + tx
        for r in range(PER):
            row = row0 + r
            sa[ty * PER + r, tx] = a[row, k] if row < a.shape[0] and k < a.shape[1] else 0.0
        kb = tile * TILE + ty
        sb[ty, tx] = b[kb, col] if kb < b.shape[0] and col < b.shape[1] else 0.0
        cuda.syncthreads()
        for kk in range(TILE):
            for r in range(PER):
                acc[r] += sa[ty * PER + r, kk] * sb[kk, tx]
        cuda.syncthreads()
    for r in range(PER):
        if row0 + r < c.shape[0] and col < c.shape[1]:
            c[row0 + r, col] = acc[r]


PER = 3


@pytest.mark.parametrize("shape", [(1, 1, 1), (8, 8, 8), (13, 7, 21), (40, 33, 17)])
@pytest.mark.parametrize("layout", ["C", "F"])
def test_local_arrays_across_barriers_register_tiled_matmul(shape, layout):
    m, k, n = shape
    rng = np.random.default_rng(m * 100 + n)
    a = np.asarray(rng.standard_normal((m, k)), order=layout)
    b = np.asarray(rng.standard_normal((k, n)), order=layout)
    c = np.full((m, n), np.nan)
    register_tiled_matmul[(-(-n // TILE), -(-m // (TILE * PER))), (TILE, TILE)](a, b, c)
    np.testing.assert_allclose(c, a @ b, rtol=1e-12, atol=1e-12)


@cuda.jit
def local_rows_and_neighbours(out):
    acc = cuda.local.array((2, 3), int64)
    sm = cuda.shared.array(TPB, int64)
    t = cuda.threadIdx.x
    for a in range(2):
        for b in range(3):
            acc[a, b] = t * 10 + a * 3 + b
    sm[t] = acc[1, 2]
    cuda.syncthreads()
    acc[0, 0] += sm[(t + 1) % cuda.blockDim.x]
    cuda.syncthreads()
    out[cuda.blockIdx.x, t] = acc[0, 0] + acc[1, 1] + cuda.blockIdx.x


@pytest.mark.parametrize("threads", [1, 5, TPB])
def test_each_thread_keeps_its_own_local_array_across_barriers(threads):
    out = np.zeros((3, threads), np.int64)
    local_rows_and_neighbours[3, threads](out)
    t = np.arange(threads)
    expected = t * 10 + ((t + 1) % threads) * 10 + 5 + t * 10 + 4
    np.testing.assert_array_equal(out, expected + np.arange(3)[:, None])


@pytest.mark.parametrize("shape", [(1, 1, 1), (8, 8, 8), (13, 7, 21), (40, 33, 17)])
@pytest.mark.parametrize("layout", ["C", "F"])
def test_tiled_matmul_like_numpy(shape, layout):
    m, k, n = shape
    rng = np.random.default_rng(m * 100 + n)
    order = "C" if layout == "C" else "F"
    A = np.asarray(rng.random((m, k)), order=order)
    B = np.asarray(rng.random((k, n)), order=order)
    C = np.zeros((m, n))
    tiled_matmul[(-(-m // TILE), -(-n // TILE)), (TILE, TILE)](A, B, C)
    np.testing.assert_allclose(C, A @ B, rtol=1e-12)


@cuda.jit
def inclusive_scan(x, out):
    # Hillis-Steele within a block, double-buffered; `src` (an int kept per block) flips each step.
    buf = cuda.shared.array((2, TPB), float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    buf[0, tid] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    src = 0
    offset = 1
    while offset < cuda.blockDim.x:
        if tid >= offset:
            buf[1 - src, tid] = buf[src, tid] + buf[src, tid - offset]
        else:
            buf[1 - src, tid] = buf[src, tid]
        cuda.syncthreads()
        src = 1 - src
        offset *= 2
    if i < x.size:
        out[i] = buf[src, tid]


@pytest.mark.parametrize("n", [1, 5, 64, 100, 640])
def test_block_scan_like_numpy(n):
    x = np.random.default_rng(n).integers(-9, 10, n).astype(np.float64)
    out = np.zeros(n)
    inclusive_scan[-(-n // TPB), TPB](x, out)
    expected = np.concatenate([np.cumsum(x[s:s + TPB]) for s in range(0, n, TPB)])
    np.testing.assert_array_equal(out, expected)


@cuda.jit
def transpose(a, out):
    tile = cuda.shared.array((TILE, TILE + 1), float32)
    x, y = cuda.grid(2)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    if x < a.shape[0] and y < a.shape[1]:
        tile[ty, tx] = a[x, y]
    cuda.syncthreads()
    ox = cuda.blockIdx.y * TILE + tx
    oy = cuda.blockIdx.x * TILE + ty
    if ox < out.shape[0] and oy < out.shape[1]:
        out[ox, oy] = tile[tx, ty]


@pytest.mark.parametrize("shape", [(8, 8), (5, 19), (33, 16)])
def test_transpose_through_shared_memory(shape):
    a = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    out = np.zeros(shape[::-1], np.float32)
    transpose[(-(-shape[0] // TILE), -(-shape[1] // TILE)), (TILE, TILE)](a, out)
    np.testing.assert_array_equal(out, a.T)


@cuda.jit
def halo_smooth(x, out):
    # Threads that are past the end return before the barrier: they take no part in later phases.
    sm = cuda.shared.array(TPB + 2, float64)
    i = cuda.grid(1)
    tid = cuda.threadIdx.x + 1
    if i >= x.size:
        return
    sm[tid] = x[i]
    if cuda.threadIdx.x == 0:
        sm[0] = x[i - 1] if i > 0 else x[i]
    if cuda.threadIdx.x == cuda.blockDim.x - 1 or i == x.size - 1:
        sm[tid + 1] = x[i + 1] if i + 1 < x.size else x[i]
    cuda.syncthreads()
    out[i] = (sm[tid - 1] + sm[tid] + sm[tid + 1]) / 3.0


@pytest.mark.parametrize("n", [1, 2, 64, 65, 200])
def test_halo_stencil_with_early_return(n):
    x = np.random.default_rng(n).random(n)
    out = np.full(n, np.nan)
    halo_smooth[-(-n // TPB), TPB](x, out)
    padded = np.concatenate([x[:1], x, x[-1:]])
    np.testing.assert_allclose(out, (padded[:-2] + padded[1:-1] + padded[2:]) / 3.0, rtol=1e-14)


@cuda.jit
def per_thread_values(x, out, flags):
    # A float, an int and a bool each live across a barrier, per thread.
    i = cuda.grid(1)
    value = x[i] * 2.0
    count = i * 3
    odd = i % 2 == 1
    cuda.syncthreads()
    value += 1.0
    cuda.syncthreads()
    out[i] = value + count
    flags[i] = odd


def test_locals_live_across_barriers_per_thread():
    x = np.random.default_rng(1).random(128)
    out, flags = np.zeros(128), np.zeros(128, np.bool_)
    per_thread_values[4, 32](x, out, flags)
    i = np.arange(128)
    np.testing.assert_array_equal(out, x * 2.0 + 1.0 + i * 3)
    np.testing.assert_array_equal(flags, i % 2 == 1)


@cuda.jit
def barrier_in_uniform_if(x, out, twice):
    sm = cuda.shared.array(TPB, int64)
    tid = cuda.threadIdx.x
    sm[tid] = x[cuda.grid(1)]
    cuda.syncthreads()
    if twice:
        v = sm[(tid + 1) % cuda.blockDim.x]
        cuda.syncthreads()
        sm[tid] = v
        cuda.syncthreads()
    out[cuda.grid(1)] = sm[tid]


@pytest.mark.parametrize("twice", [False, True])
def test_barrier_inside_a_uniform_if(twice):
    x = np.arange(2 * TPB, dtype=np.int64)
    out = np.zeros_like(x)
    barrier_in_uniform_if[2, TPB](x, out, twice)
    expected = x.reshape(2, TPB)
    if twice:
        expected = np.roll(expected, -1, axis=1)
    np.testing.assert_array_equal(out, expected.ravel())


@cuda.jit
def rotate_steps(x, out, steps):
    sm = cuda.shared.array(TPB, int32)
    tid = cuda.threadIdx.x
    sm[tid] = x[tid]
    for step in range(steps):
        cuda.syncthreads()
        v = sm[(tid + 1) % cuda.blockDim.x]
        cuda.syncthreads()
        sm[tid] = v + step
    cuda.syncthreads()
    out[tid] = sm[tid]


@pytest.mark.parametrize("steps", [0, 1, 3, 7])
def test_barriers_inside_a_range_loop(steps):
    x = np.arange(16, dtype=np.int32)
    out = np.zeros_like(x)
    rotate_steps[1, 16](x, out, steps)
    expected = x.copy()
    for step in range(steps):
        expected = np.roll(expected, -1) + step
    np.testing.assert_array_equal(out, expected)


def test_threads_in_three_dimensions_meet_at_a_barrier():
    @cuda.jit
    def neighbours(out):
        sm = cuda.shared.array((2, 3, 4), int64)
        tx, ty, tz = cuda.threadIdx.x, cuda.threadIdx.y, cuda.threadIdx.z
        sm[tz, ty, tx] = (tz * 10 + ty) * 10 + tx + cuda.blockIdx.x * 1000
        cuda.syncthreads()
        out[cuda.blockIdx.x, tz, ty, tx] = sm[1 - tz, 2 - ty, 3 - tx]

    out = np.zeros((3, 2, 3, 4), np.int64)
    neighbours[3, (4, 3, 2)](out)
    b, z, y, x = np.indices(out.shape)
    np.testing.assert_array_equal(out, ((1 - z) * 10 + (2 - y)) * 10 + (3 - x) + b * 1000)


# ---------------------------------------------------------------- what is refused, with its place
# (array views across barriers: test_cuda_views_across_barriers.py)

def test_a_barrier_inside_an_expression_is_refused():
    @cuda.jit
    def kernel(out):
        out[0] = cuda.syncthreads()

    with pytest.raises(TypingError, match="statement of its own"):
        kernel[1, 4](np.zeros(1))


def test_a_barrier_in_a_while_else_is_refused():
    @cuda.jit
    def kernel(out):
        k = 0
        while k < 2:
            cuda.syncthreads()
            k += 1
        else:
            out[0] = 1.0

    with pytest.raises(UnsupportedError, match="not in this one"):
        kernel[1, 4](np.zeros(1))


def test_loops_inside_a_phase_keep_their_breaks():
    @cuda.jit
    def kernel(x, out):
        sm = cuda.shared.array(TPB, float64)
        tid = cuda.threadIdx.x
        sm[tid] = x[tid]
        cuda.syncthreads()
        first = -1
        for j in range(cuda.blockDim.x):
            if sm[j] > 0.5:
                first = j
                break
        out[tid] = first

    x = np.random.default_rng(3).random(TPB)
    out = np.zeros(TPB)
    kernel[1, TPB](x, out)
    np.testing.assert_array_equal(out, np.full(TPB, np.argmax(x > 0.5)))
