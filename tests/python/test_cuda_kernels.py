"""numjit.cuda: Numba's CUDA kernel API (@cuda.jit) run on the CPU.

Every kernel's result is compared with NumPy or with a plain-Python loop over
every (block, thread) doing what the kernel body does: thread positions in 1-D,
2-D and 3-D grids, elementwise kernels over dtypes, layouts (C, F, strided,
transposed views) and sizes (0, 1, not a multiple of the block, many blocks),
device functions, local/shared/const arrays, math inside kernels, device
arrays, launch configurations and forall. Atomics run under real parallelism
(blocks are spread over the thread pool): histograms against np.bincount,
max/min with NaN against Python's max(old, val), the old values they return,
cas loops, compare_and_swap, exch chains, bitwise atomics against ufunc.at.
Errors are checked for their class and, when compiled, their location (file
and caret).
"""
import functools
import math

import numpy as np
import pytest

import numjit as numba
from numjit import cuda, errors
from numjit.cuda import blockDim, blockIdx, grid, threadIdx

from conftest import dtype_id, laid_out, tolerance

ATOMIC_DTYPES = [np.int32, np.int64, np.uint32, np.uint64, np.float32, np.float64]
INT_ATOMIC_DTYPES = ATOMIC_DTYPES[:4]
FLOATS = [np.float32, np.float64]
LAYOUTS = ["C", "F", "strided", "transposed"]
THIS_FILE = "test_cuda_kernels.py"


def blocks_for(n, tpb):
    return max(1, -(-n // tpb))


def random_values(dtype, n, seed=0):
    return np.random.default_rng(seed).integers(0 if np.dtype(dtype).kind == "u" else -50, 50, n).astype(dtype)


def assert_located(info):
    message = str(info.value)
    assert THIS_FILE in message and "^" in message, message


# ---- thread positions ----------------------------------------------------------

@cuda.jit
def positions(out):
    tx, ty, tz = cuda.threadIdx.x, cuda.threadIdx.y, cuda.threadIdx.z
    bx, by, bz = cuda.blockIdx.x, cuda.blockIdx.y, cuda.blockIdx.z
    nx, ny, nz = cuda.blockDim.x, cuda.blockDim.y, cuda.blockDim.z
    gx, gy, gz = cuda.gridDim.x, cuda.gridDim.y, cuda.gridDim.z
    row = ((bz * gy + by) * gx + bx) * (nx * ny * nz) + (tz * ny + ty) * nx + tx
    g2 = cuda.grid(2)
    g3 = cuda.grid(3)
    s2 = cuda.gridsize(2)
    s3 = cuda.gridsize(3)
    imported = threadIdx.x + blockIdx.x * blockDim.x + grid(1) + numba.cuda.grid(1)  # other spellings
    values = (tx, ty, tz, bx, by, bz, nx, ny, nz, gx, gy, gz, cuda.grid(1), g2[0], g2[1], g3[0], g3[1], g3[2],
              cuda.gridsize(1), s2[0], s2[1], s3[0], s3[1], s3[2], imported)
    for k in range(len(values)):
        out[row, k] = values[k]


def full3(dims):
    return ((dims,) if isinstance(dims, int) else tuple(dims)) + (1, 1)


def positions_reference(griddim, blockdim):
    (gx, gy, gz), (nx, ny, nz) = full3(griddim)[:3], full3(blockdim)[:3]
    rows = []
    for bz in range(gz):
        for by in range(gy):
            for bx in range(gx):
                for tz in range(nz):
                    for ty in range(ny):
                        for tx in range(nx):
                            x, y, z = bx * nx + tx, by * ny + ty, bz * nz + tz
                            rows.append((tx, ty, tz, bx, by, bz, nx, ny, nz, gx, gy, gz, x, x, y, x, y, z,
                                         nx * gx, nx * gx, ny * gy, nx * gx, ny * gy, nz * gz, 3 * x))
    return np.array(rows, np.int64)


@pytest.mark.parametrize("griddim,blockdim", [(1, 1), (3, 5), (2, (4,)), ((2, 3), (4, 2)), ((2, 1, 3), (3, 2, 2)),
                                              ((1, 2, 2), (1, 1, 5)), (4, (2, 2, 2)), ((3, 2, 2), 7)])
def test_thread_positions_grid_and_gridsize_match_a_python_loop(griddim, blockdim):
    expected = positions_reference(griddim, blockdim)
    out = np.full(expected.shape, -1, np.int64)
    positions[griddim, blockdim](out)
    np.testing.assert_array_equal(out, expected)


# ---- elementwise kernels: dtypes, sizes, layouts ----------------------------------

@cuda.jit
def combine_1d(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] * b[i] + i


@cuda.jit
def combine_2d(a, b, out):
    i, j = cuda.grid(2)
    if i < out.shape[0] and j < out.shape[1]:
        out[i, j] = a[i, j] * b[i, j] + i - 2 * j


@cuda.jit
def combine_3d(a, b, out):
    x, y, z = cuda.grid(3)
    if x < a.shape[0] and y < a.shape[1] and z < a.shape[2]:
        out[x, y, z] = a[x, y, z] * b[x, y, z] + x - 2 * y + 3 * z


SHAPES_AND_BLOCKS = [((0,), (32,)), ((1,), (1,)), ((7,), (256,)), ((1000,), (32,)), ((1025,), (1024,)),
                     ((1025,), (1,)), ((0, 5), (8, 4)), ((1, 1), (8, 4)), ((7, 5), (8, 4)), ((33, 65), (8, 4)),
                     ((33, 65), (32, 32)), ((1, 200), (1, 128)), ((3, 4, 5), (4, 2, 2)), ((9, 1, 17), (4, 2, 2)),
                     ((1, 1, 1), (4, 2, 2)), ((0, 2, 2), (4, 2, 2)), ((17, 5, 3), (2, 2, 64))]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("shape,block", SHAPES_AND_BLOCKS, ids=str)
def test_elementwise_kernels_over_sizes_blocks_and_layouts(layout, dtype, shape, block):
    a = laid_out(random_values(dtype, int(np.prod(shape)), 5).reshape(shape), layout)
    b = laid_out(random_values(dtype, int(np.prod(shape)), 6).reshape(shape), layout)
    out = laid_out(np.zeros(shape, dtype), layout)
    expected = (a * b + sum(w * ix for w, ix in zip((1, -2, 3), np.indices(shape)))).astype(dtype)
    kernel = (combine_1d, combine_2d, combine_3d)[len(shape) - 1]
    kernel[tuple(blocks_for(s, t) for s, t in zip(shape, block)), block](a, b, out)
    np.testing.assert_allclose(out, expected, **tolerance(dtype))


# ---- device functions, local, shared and const arrays ------------------------------

@cuda.jit(device=True)
def squared(v):
    return v * v


@cuda.jit(device=True)
def poly(v, c):
    return squared(v) * c + v  # a device function calling another


@cuda.jit(device=True)
def my_position():
    return cuda.grid(1)  # the launch's context reaches device functions


@cuda.jit
def apply_poly(a, c, out):
    i = my_position()
    mirror = cuda.const.array_like(a)
    if i < a.size:
        out[i] = poly(a[i], c) - mirror[a.size - 1 - i]


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 100, 1000])
def test_device_functions_and_const_arrays(dtype, n):
    a = random_values(dtype, n, 8)
    c = dtype(3)
    out = np.zeros(n, dtype)
    apply_poly[blocks_for(n, 64), 64](a, c, out)
    np.testing.assert_allclose(out, (a * a * c + a - a[::-1]).astype(dtype), **tolerance(dtype))


WIDTH = 6


@cuda.jit
def row_cumsum(a, out):
    r = cuda.grid(1)
    if r < a.shape[0]:
        scratch = cuda.local.array(WIDTH, numba.float64)  # shape: a global; dtype: a numba type
        pair = cuda.local.array((2, WIDTH), np.int64)  # a tuple shape and a NumPy dtype
        total = 0.0
        for c in range(WIDTH):
            total += a[r, c]
            scratch[c] = total
            pair[1, WIDTH - 1 - c] = a[r, c]
        for c in range(WIDTH):
            out[r, c] = scratch[c] + 1000 * pair[1, c]


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("rows", [0, 1, 33])
def test_local_arrays_are_private_to_each_thread(layout, dtype, rows):
    a = laid_out(random_values(dtype, rows * WIDTH, 9).reshape(rows, WIDTH), layout)
    out = np.zeros((rows, WIDTH))
    row_cumsum[blocks_for(rows, 16), 16](a, out)
    expected = np.cumsum(a.astype(np.float64), axis=1) + 1000 * a[:, ::-1].astype(np.int64)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def assert_consecutive(olds):
    """The old values that atomic.add(+1) returned on one counter: n consecutive
    integers (modulo the dtype's range) from an unknown start, as shared memory
    starts uninitialized."""
    modulus = 2 ** (8 * olds.dtype.itemsize)
    members = [int(v) % modulus for v in olds]
    starts = [b for b in set(members) if (b - 1) % modulus not in members]
    assert len(starts) == 1, f"not consecutive: {sorted(members)}"
    assert sorted((b - starts[0]) % modulus for b in members) == list(range(len(members)))


TILE = (8, 8)


@cuda.jit
def shared_arrays(a, out, first, second):
    tile = cuda.shared.array(TILE, numba.float32)  # shape: a global; dtype: a numba type
    counter = cuda.shared.array(shape=1, dtype=np.int64)
    other = cuda.shared.array((2,), np.int32)
    t, i = cuda.threadIdx.x, cuda.grid(1)
    tile[t // 8, t % 8] = a[i]  # a thread reads back its own slot: no barrier needed
    out[i] = tile[t // 8, t % 8] * 2
    first[i] = cuda.atomic.add(counter, 0, 1)
    second[i] = cuda.atomic.add(other, 1, 1)


@pytest.mark.parametrize("blocks,tpb", [(1, 1), (3, 7), (40, 64)])
def test_shared_arrays_are_one_per_block_and_do_not_overlap(blocks, tpb):
    n = blocks * tpb
    a = np.random.default_rng(0).uniform(-4, 4, n).astype(np.float32)
    out, first, second = np.zeros(n), np.zeros(n, np.int64), np.zeros(n, np.int32)
    shared_arrays[blocks, tpb](a, out, first, second)
    np.testing.assert_array_equal(out, a.astype(np.float64) * 2)
    for b in range(blocks):  # every thread of a block hit its block's counters, once
        assert_consecutive(first[b * tpb:(b + 1) * tpb])
        assert_consecutive(second[b * tpb:(b + 1) * tpb])


@cuda.jit(device=True)
def device_counter():
    mine = cuda.shared.array(2, np.int64)
    return cuda.atomic.add(mine, 1, 1000)


@cuda.jit
def kernel_and_device_shared(first):
    a = cuda.shared.array(2, np.int64)
    i = cuda.grid(1)
    first[i] = cuda.atomic.add(a, 1, 1)
    device_counter()


def test_a_device_functions_shared_array_is_not_the_kernels():
    # A device function's shared arrays have memory of their own, apart from
    # the kernel's (they were once laid over it, and left out of its size).
    first = np.zeros(3 * 8, np.int64)
    kernel_and_device_shared[3, 8](first)
    for b in range(3):
        assert_consecutive(first[b * 8:(b + 1) * 8])


@cuda.jit
def dynamic_shared_size(out):
    dyn = cuda.shared.array(0, np.float32)
    i = cuda.grid(1)
    if i < out.size:
        out[i] = dyn.size


def test_dynamic_shared_memory_has_the_launchs_size():
    # Dynamic shared memory (a shared array of shape 0) spans the launch's
    # sharedmem bytes (kernel[griddim, blockdim, stream, sharedmem]), as in Numba.
    nbytes = 4 * 24
    out = np.zeros(8, np.int64)
    dynamic_shared_size[2, 4, 0, nbytes](out)
    np.testing.assert_array_equal(out, nbytes // np.dtype(np.float32).itemsize)


@cuda.jit
def math_functions(x, y, out):
    i = cuda.grid(1)
    if i < x.size:
        v, w = x[i], y[i]
        out[i, 0] = math.sqrt(abs(v))
        out[i, 1] = math.exp(v / 4)
        out[i, 2] = math.sin(v) + math.cos(w)
        out[i, 3] = math.atan2(v, w)
        out[i, 4] = math.floor(v) + math.ceil(w)
        out[i, 5] = np.tanh(v) + np.hypot(v, w)
        out[i, 6] = np.log1p(abs(w)) + np.fabs(v)
        out[i, 7] = math.pow(abs(v), 1.5) + max(v, w) - min(v, w)


@pytest.mark.parametrize("dtype", FLOATS, ids=dtype_id)
@pytest.mark.parametrize("n", [1, 77])
def test_math_and_numpy_scalar_functions_in_kernels(dtype, n):
    rng = np.random.default_rng(11)
    x, y = rng.uniform(-5, 5, n).astype(dtype), rng.uniform(-5, 5, n).astype(dtype)
    out = np.zeros((n, 8), dtype)
    math_functions[blocks_for(n, 32), 32](x, y, out)
    expected = np.stack([np.sqrt(abs(x)), np.exp(x / 4), np.sin(x) + np.cos(y), np.arctan2(x, y),
                         np.floor(x) + np.ceil(y), np.tanh(x) + np.hypot(x, y), np.log1p(abs(y)) + np.fabs(x),
                         abs(x) ** 1.5 + np.maximum(x, y) - np.minimum(x, y)], axis=1)
    np.testing.assert_allclose(out, expected.astype(dtype), **tolerance(dtype))


# ---- atomics -------------------------------------------------------------------

@cuda.jit
def histogram(x, bins):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.add(bins, x[i], 1)


@pytest.mark.parametrize("dtype", ATOMIC_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [0, 1, 1000, 100_003])
def test_histogram_by_atomic_add_matches_bincount(dtype, n):
    x = np.random.default_rng(12).integers(0, 10, n)
    bins = np.zeros(10, dtype)
    histogram[blocks_for(n, 128), 128](x, bins)
    np.testing.assert_array_equal(bins, np.bincount(x, minlength=10).astype(dtype))


@cuda.jit
def weighted_histogram_2d(rows, cols, w, bins):
    i = cuda.grid(1)
    if i < w.size:
        cuda.atomic.add(bins, (rows[i], cols[i]), w[i])


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", ATOMIC_DTYPES, ids=dtype_id)
def test_atomic_add_with_tuple_indices_on_laid_out_arrays(layout, dtype):
    rng = np.random.default_rng(14)
    n = 20_000
    rows, cols = rng.integers(-4, 4, n), rng.integers(0, 5, n)  # negative rows count from the end
    w = rng.integers(0, 4, n).astype(dtype)
    bins = laid_out(np.zeros((4, 5), dtype), layout)
    expected = np.zeros((4, 5), dtype)
    np.add.at(expected, (rows, cols), w)
    weighted_histogram_2d[blocks_for(n, 64), 64](rows, cols, w, bins)
    np.testing.assert_array_equal(bins, expected)


@cuda.jit
def tickets(counter, out, subtract):
    i = cuda.grid(1)
    if i < out.size:
        if subtract:
            out[i] = cuda.atomic.sub(counter, (0,), 1)  # a 1-tuple index on a 1-d array
        else:
            out[i] = cuda.atomic.add(counter, 0, 1)


@pytest.mark.parametrize("dtype", ATOMIC_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [1, 5000])
def test_atomic_add_and_sub_return_the_old_value(dtype, n):
    counter, out, back = np.zeros(1, dtype), np.zeros(n, dtype), np.zeros(n, dtype)
    tickets[blocks_for(n, 64), 64](counter, out, False)
    np.testing.assert_array_equal(np.sort(out), np.arange(n).astype(dtype))  # a permutation of range(n)
    assert counter[0] == n
    tickets[blocks_for(n, 64), 64](counter, back, True)
    np.testing.assert_array_equal(np.sort(back), np.arange(1, n + 1).astype(dtype))
    assert counter[0] == 0


@cuda.jit
def extremes(a, groups, vals, olds):
    i = cuda.grid(1)
    if i < vals.size:
        g = groups[i]
        olds[i, 0] = cuda.atomic.max(a, (0, g), vals[i])
        olds[i, 1] = cuda.atomic.min(a, (1, g), vals[i])
        olds[i, 2] = cuda.atomic.nanmax(a, (2, g), vals[i])
        olds[i, 3] = cuda.atomic.nanmin(a, (3, g), vals[i])


SPECIAL = [np.nan, -np.inf, -1.5, 0.0, 2.0, np.inf]
PYTHON_RULES = [lambda o, v: max(o, v), lambda o, v: min(o, v), np.fmax, np.fmin]


@pytest.mark.parametrize("dtype", ATOMIC_DTYPES, ids=dtype_id)
def test_atomic_extremes_element_by_element(dtype):
    if np.dtype(dtype).kind == "f":  # every pair of NaN, infinities and numbers
        pairs, rules = [(o, v) for o in SPECIAL for v in SPECIAL], PYTHON_RULES
    else:
        info = np.iinfo(dtype)
        pairs = [(o, v) for o in (info.min, 0, 5, info.max) for v in (info.min, 1, 5, info.max - 1, info.max)]
        rules = [lambda o, v: max(int(o), int(v)), lambda o, v: min(int(o), int(v))] * 2
    start, vals = np.array([o for o, _ in pairs], dtype), np.array([v for _, v in pairs], dtype)
    a, olds = np.tile(start, (4, 1)), np.zeros((len(pairs), 4), dtype)
    extremes[2, 32](a, np.arange(len(pairs)), vals, olds)  # thread i: element i of each row, alone
    for k in range(4):  # max, min, nanmax, nanmin
        np.testing.assert_array_equal(a[k], np.array([rules[k](o, v) for o, v in pairs], dtype))  # NaNs alike
        np.testing.assert_array_equal(olds[:, k], start)


@pytest.mark.parametrize("dtype,start,nan_every", [(d, None, 0) for d in INT_ATOMIC_DTYPES] + [
    (d, s, k) for d in FLOATS for s in (np.nan, 0.0, -np.inf) for k in (0, 3, 1)],
    ids=lambda v: dtype_id(v) if isinstance(v, type) else f"nan_every={v}" if isinstance(v, int) else str(v))
def test_atomic_extremes_across_threads_match_python_max(dtype, start, nan_every):
    rng, n = np.random.default_rng(16), 6000
    if np.dtype(dtype).kind == "f":
        vals = (rng.standard_normal(n) * 1e6).astype(dtype)
        vals[::nan_every or n + 1] = np.nan
        rules = PYTHON_RULES  # max/min: an old NaN stays, a new one is not taken; nanmax/nanmin: NaN is missing
    else:
        info = np.iinfo(dtype)
        vals = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
        start, rules = vals[0], [max, min, max, min]
    groups = rng.integers(0, 3, n)
    a, olds = np.full((4, 3), start, dtype), np.zeros((n, 4), dtype)
    extremes[blocks_for(n, 128), 128](a, groups, vals, olds)
    for g in range(3):
        mine = vals[groups == g]
        for k in range(4):
            expected = functools.reduce(rules[k], mine, dtype(start))
            np.testing.assert_array_equal(a[k, g], expected)
            seen = olds[groups == g, k]
            seen = seen[seen == seen]  # each old value (but NaN) is the start or a value, and not past the end
            assert np.all(np.isin(seen, np.append(mine, dtype(start))))
            assert np.all(seen <= a[k, g]) if k % 2 == 0 else np.all(seen >= a[k, g])


@cuda.jit
def exchange_chain(a, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = cuda.atomic.exch(a, 0, i + 1)


@pytest.mark.parametrize("dtype", ATOMIC_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [1, 3000])
def test_atomic_exch_passes_every_value_on_once(dtype, n):
    a = np.zeros(1, dtype)
    out = np.full(n, 7, dtype)
    exchange_chain[blocks_for(n, 64), 64](a, out)
    # Each value written is either read back by exactly one later exch or is the last one.
    np.testing.assert_array_equal(np.sort(np.append(out, a[0])), np.arange(n + 1).astype(dtype))


@cuda.jit
def bitwise(a, targets, vals, op):
    i = cuda.grid(1)
    if i < vals.size:
        if op == 0:
            cuda.atomic.and_(a, targets[i], vals[i])
        elif op == 1:
            cuda.atomic.or_(a, targets[i], vals[i])
        else:
            cuda.atomic.xor(a, targets[i], vals[i])


@pytest.mark.parametrize("dtype", INT_ATOMIC_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("op", range(3), ids=["and_", "or_", "xor"])
def test_bitwise_atomics_match_ufunc_at(dtype, op):
    rng = np.random.default_rng(17)
    info, n = np.iinfo(dtype), 20_000
    bits = np.iinfo(dtype).bits
    if op == 0:  # each value clears one bit of an all-ones start
        vals = ~(np.ones(n, dtype) << rng.integers(0, bits, n).astype(dtype))
        a = np.full(6, -1).astype(dtype)
    else:
        vals = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
        a = rng.integers(info.min, info.max, 6, dtype=dtype, endpoint=True)
    targets = rng.integers(0, 6, n)
    expected = a.copy()
    (np.bitwise_and, np.bitwise_or, np.bitwise_xor)[op].at(expected, targets, vals)
    bitwise[blocks_for(n, 128), 128](a, targets, vals, op)
    np.testing.assert_array_equal(a, expected)


@cuda.jit
def cas_kernel(counts, targets, first, out):
    i = cuda.grid(1)
    if i < targets.size:
        t = targets[i]
        seen = counts[t]
        while True:  # a lock-free increment: retry with the value another thread left
            before = cuda.atomic.cas(counts, t, seen, seen + 1)
            if before == seen:
                break
            seen = before
        out[i] = cuda.atomic.compare_and_swap(first, 0, i + 1)  # on first[0]: one thread gets in


@pytest.mark.parametrize("dtype", INT_ATOMIC_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("n", [1, 50_000])
def test_cas_loop_increments_like_bincount_and_compare_and_swap_lets_one_in(dtype, n):
    targets = np.random.default_rng(18).integers(0, 3, n)
    counts, first, out = np.zeros(3, dtype), np.zeros(3, dtype), np.full(n, 99, dtype)
    cas_kernel[blocks_for(n, 64), 64](counts, targets, first, out)
    np.testing.assert_array_equal(counts, np.bincount(targets, minlength=3).astype(dtype))
    winners = np.flatnonzero(out == 0)
    assert winners.size == 1 and first[0] == winners[0] + 1
    np.testing.assert_array_equal(np.delete(out, winners), np.full(n - 1, first[0], dtype))
    np.testing.assert_array_equal(first[1:], 0)


# ---- device arrays -----------------------------------------------------------------

@cuda.jit
def double_in_place(a):
    i = cuda.grid(1)
    if i < a.size:
        a[i] *= 2


@pytest.mark.parametrize("dtype", [np.int32, np.float64], ids=dtype_id)
def test_to_device_copies_and_copy_to_host_brings_results_back(dtype):
    host = random_values(dtype, 50, 20)
    original, into = host.copy(), np.zeros_like(host)
    d = cuda.to_device(host)
    assert cuda.is_cuda_array(d) and not cuda.is_cuda_array(host)
    assert (d.shape, d.dtype, d.size, d.ndim, d.nbytes, len(d)) == (host.shape, host.dtype, host.size, host.ndim,
                                                                     host.nbytes, len(host))
    double_in_place[2, 32](d)
    np.testing.assert_array_equal(host, original)  # device memory is a copy
    assert d.copy_to_host(into) is into
    np.testing.assert_array_equal(into, original * 2)
    double_in_place[2, 32](d[::2])  # a view of device memory, written through
    np.testing.assert_array_equal(d.copy_to_host(), original * np.where(np.arange(50) % 2, 2, 4))
    with pytest.raises(ValueError):
        d.copy_to_host(np.zeros(49, dtype))


@pytest.mark.parametrize("order", ["C", "F"])
def test_device_array_and_device_array_like_take_kernel_results(order):
    a = laid_out(random_values(np.float64, 35, 21).reshape(5, 7), order)
    i, j = np.indices(a.shape)
    d_out, like = cuda.device_array(a.shape, np.float64, order=order), cuda.device_array_like(a)
    assert like.shape == a.shape and like.dtype == a.dtype and like.is_f_contiguous() == (order == "F")
    like.copy_to_device(a)
    combine_2d[(1, 1), (8, 8)](like, a, d_out)
    np.testing.assert_array_equal(d_out.copy_to_host(), a * a + i - 2 * j)
    cuda.to_device(a * 0, to=like)
    np.testing.assert_array_equal(like.copy_to_host(), 0)


# ---- launch configurations and forall ------------------------------------------

@cuda.jit
def count_hits(hits):
    i = cuda.grid(1)
    if i < hits.size:
        cuda.atomic.add(hits, i, 1)


@pytest.mark.parametrize("n", [1, 7, 128, 1000, 1025])
@pytest.mark.parametrize("tpb", [0, 1, 64, 1024])
def test_forall_runs_every_task_once(n, tpb):
    hits = np.zeros(n, np.int64)
    count_hits.forall(n, tpb)(hits)
    np.testing.assert_array_equal(hits, np.ones(n, np.int64))


@cuda.jit
def count_threads(counter):
    cuda.atomic.add(counter, 0, 1)


def test_forall_of_zero_tasks_launches_nothing():
    # forall(0) launches nothing, as in Numba (an unguarded kernel would count 128).
    counter = np.zeros(1, np.int64)
    count_threads.forall(0)(counter)
    assert counter[0] == 0


@pytest.mark.parametrize("configuration", [(2, 8), (2, 8, 0), (2, 8, cuda.stream(), 0), (2, 8, cuda.default_stream()),
                                           ((2,), (8,)), ((2, 1), 8), ((3, 2, 2), (4, 4, 4)), (1, 1024),
                                           ((np.int64(2), 3), (np.uint8(5), 2))])
def test_launch_configuration_forms(configuration):
    counter = np.zeros(1, np.int64)
    count_threads[configuration](counter)
    griddim, blockdim = (int(np.prod(np.atleast_1d(np.array(c, dtype=np.int64)))) for c in configuration[:2])
    assert counter[0] == griddim * blockdim  # every thread of every block ran once


def test_numpy_integer_scalars_as_grid_and_block_sizes():
    # Any integer (numbers.Integral, as in Numba) is a grid or block size,
    # NumPy's scalars included.
    counter = np.zeros(1, np.int64)
    blocks, tpb = np.int64(2), np.int32(8)
    count_threads[blocks, tpb](counter)
    assert counter[0] == int(blocks) * int(tpb)


@pytest.mark.parametrize("configuration", [(0, 1), (1, 0), (-1, 4), (1, 1025), (1, (32, 33)), (1, (16, 16, 8)),
                                           (1, (1, 1, 65)), ((1, 65536), 1), ((1, 1, 1, 1), 1), (1.5, 4),
                                           ("1", 4), (True, 4), (1, 4, 0, -8), 1, (1, 2, 3, 4, 5)])
def test_bad_launch_configurations_raise_launch_error(configuration):
    with pytest.raises(cuda.LaunchError):
        count_threads[configuration]


def test_missing_launch_configuration():
    assert issubclass(cuda.LaunchError, ValueError)  # as Numba's launch errors are
    with pytest.raises(cuda.LaunchError, match="count_threads"):
        count_threads(np.zeros(1, np.int64))


# ---- errors --------------------------------------------------------------------

@cuda.jit
def add_at(a, index, value):
    cuda.atomic.add(a, index, value)


@cuda.jit
def and_at(a, index, value):
    cuda.atomic.and_(a, index, value)


@cuda.jit
def cas_at(a, index, old, value):
    cuda.atomic.cas(a, index, old, value)


def _readonly():
    a = np.zeros(3, np.int64)
    a.setflags(write=False)
    return a


@pytest.mark.parametrize("kernel,make,args", [
    (and_at, lambda: np.zeros(3), (0, 1)), (and_at, lambda: np.zeros(3, np.float32), (0, 1)),
    (cas_at, lambda: np.zeros(3), (0, 0.0, 1.0)), (add_at, lambda: np.zeros(3), (0.5, 1)),
    (add_at, lambda: np.zeros((2, 2), np.int64), (0, 1)), (add_at, lambda: np.zeros((2, 2)), ((0,), 1)),
    (add_at, lambda: np.zeros((2, 2)), ((0, 1.0), 1)), (add_at, lambda: np.zeros(3), (0, 1j)),
    (add_at, lambda: np.zeros(3, np.int8), (0, 1)), (add_at, lambda: np.zeros(3, np.uint16), (0, 1)),
    (add_at, lambda: np.zeros(3, np.complex128), (0, 1)), (add_at, _readonly, (0, 1))],
    ids=["and-float64", "and-float32", "cas-float", "float-index", "int-index-on-2d", "short-tuple",
         "float-in-tuple", "complex-value", "int8", "uint16", "complex-array", "readonly"])
def test_atomic_typing_errors_are_located(kernel, make, args):
    a = make()
    before = a.copy()
    with pytest.raises(errors.TypingError) as info:
        kernel[1, 1](a, *args)
    assert_located(info)
    assert "cuda.atomic." in str(info.value)
    np.testing.assert_array_equal(a, before)


@cuda.jit
def returns_a_value(a):
    a[0] = 1
    return 5


@pytest.mark.parametrize("make,cls", [(lambda: returns_a_value[1, 1](np.zeros(2)), errors.TypingError),
                                      (lambda: cuda.jit("int64(float64[:])")(returns_a_value.py_func), TypeError)],
                         ids=["launched", "declared"])
def test_a_kernel_that_returns_a_value_is_refused(make, cls):
    # A kernel returns nothing: `return value` is a located error when it is
    # compiled, and a declared non-void return type a TypeError at decoration
    # ("must have void return type", as in Numba).
    with pytest.raises(cls):
        make()


@cuda.jit("void(float64[:], float64)")
def declared_scale(a, s):
    i = cuda.grid(1)
    if i < a.size:
        a[i] *= s


def test_declared_signature_runs_and_binds_the_argument_types():
    a = np.arange(9.0)
    declared_scale[2, 8](a, 0.5)
    np.testing.assert_array_equal(a, np.arange(9.0) * 0.5)
    # A kernel with declared signatures refuses other argument types
    # (TypeError: no matching definition), as in Numba.
    ints = np.arange(9)
    with pytest.raises(TypeError):
        declared_scale[2, 8](ints, 0.5)


@cuda.jit
def launches_a_kernel(a):
    count_threads(a)


@cuda.jit(device=True)
def device_launching_a_kernel(a):
    double_in_place(a)


@cuda.jit
def calls_bad_device(a):
    device_launching_a_kernel(a)


@cuda.jit
def grid_of_a_variable(a, n):
    i = cuda.grid(n)
    a[0] = i


@cuda.jit
def gridsize_of_four(a):
    a[0] = cuda.gridsize(4)[0]


@cuda.jit(device=True)
def device_barrier(a):
    a[0] = 1
    cuda.syncthreads()
    return 2


@cuda.jit
def calls_device_barrier(a):
    a[1] = device_barrier(a) if a[0] > 0 else 0  # may not run: its barrier could be skipped


@cuda.jit
def shared_of_a_runtime_shape(a, n):
    s = cuda.shared.array(n, np.float64)
    a[0] = s.size


@pytest.mark.parametrize("kernel,args,cls,words", [
    (launches_a_kernel, (np.zeros(1, np.int64),), errors.TypingError, "device=True"),
    (calls_bad_device, (np.zeros(1),), errors.TypingError, "device=True"),
    (grid_of_a_variable, (np.zeros(1, np.int64), 1), errors.TypingError, "constant"),
    (gridsize_of_four, (np.zeros(1, np.int64),), errors.TypingError, "constant"),
    (calls_device_barrier, (np.zeros(4, np.int64),), errors.UnsupportedError, "syncthreads"),
    (shared_of_a_runtime_shape, (np.zeros(1), 4), errors.TypingError, "known when compiling"),
], ids=["kernel-in-kernel", "kernel-in-device-function", "grid-of-a-variable", "gridsize-4",
        "syncthreads-in-device-function", "shared-of-a-runtime-shape"])
def test_kernel_compile_errors_are_located(kernel, args, cls, words):
    before = args[0].copy()
    with pytest.raises(cls) as info:
        kernel[1, 4](*args)
    assert_located(info)
    assert words in str(info.value)
    np.testing.assert_array_equal(args[0], before)  # nothing ran


def test_device_functions_and_intrinsics_refuse_host_calls():
    for call in (lambda: squared(3.0), lambda: poly(1, 2), lambda: cuda.grid(1), lambda: cuda.gridsize(2),
                 lambda: int(cuda.threadIdx.x), lambda: cuda.syncthreads(), lambda: cuda.atomic.add(np.zeros(1), 0, 1),
                 lambda: cuda.shared.array(4, np.float64), lambda: cuda.local.array(4, np.float64),
                 lambda: cuda.jit(no_such_option=True)):
        with pytest.raises(errors.UnsupportedError):
            call()
