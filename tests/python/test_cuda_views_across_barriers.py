"""Array views that live across cuda.syncthreads(), run without a GPU.

A view assigned once, of an argument or a shared array, at indices that
never change (the thread's position, constants, parameters), is the same
view in every phase of the kernel: numjit/cuda/uniform.py counts it
recomputable, and barriers.py computes it again in each phase that reads it
rather than keeping it per thread. Compared with NumPy over dtypes, layouts
and block shapes; views whose indices could change (a memory read, an
array index, a view assigned twice) are still refused, located."""
import numpy as np
import pytest

from numjit import cuda, float64
from numjit.errors import UnsupportedError

DTYPES = [np.float64, np.float32, np.int64, np.complex128]


@cuda.jit
def row_sums_after_barrier(x, out):
    t = cuda.threadIdx.x
    row = x[t]  # a view of the argument
    tail = x[t, 1:]
    cuda.syncthreads()
    s = row[0]
    for k in range(tail.size):
        s += tail[k]
    out[t] = s


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("shape", [(1, 1), (4, 3), (32, 7)])
def test_row_views_of_an_argument_like_numpy(dtype, order, shape):
    x = np.asarray((np.arange(np.prod(shape)) % 17 - 4).reshape(shape).astype(dtype), order=order)
    out = np.zeros(shape[0], dtype)
    row_sums_after_barrier[1, shape[0]](x, out)
    np.testing.assert_array_equal(out, x.sum(axis=1))


ROWS, COLS = 8, 4


@cuda.jit
def tile_neighbours(x, out):
    sm = cuda.shared.array((ROWS, COLS), float64)
    ty = cuda.threadIdx.y
    tx = cuda.threadIdx.x
    row = sm[ty]  # views of the block's shared array, made before it is filled
    column = sm[:, tx]
    transposed = sm.T
    sm[ty, tx] = x[cuda.blockIdx.x, ty, tx]
    cuda.syncthreads()
    out[cuda.blockIdx.x, ty, tx] = row[(tx + 1) % COLS] + 10 * column[(ty + 1) % ROWS] + \
        100 * transposed[tx, (ty + 2) % ROWS]


@pytest.mark.parametrize("blocks", [1, 3])
def test_views_of_a_shared_tile_like_numpy(blocks):
    x = np.random.default_rng(blocks).integers(0, 9, (blocks, ROWS, COLS)).astype(np.float64)
    out = np.zeros_like(x)
    tile_neighbours[blocks, (COLS, ROWS)](x, out)
    expected = np.roll(x, -1, axis=2) + 10 * np.roll(x, -1, axis=1) + 100 * np.roll(x, -2, axis=1)
    np.testing.assert_array_equal(out, expected)


@cuda.jit
def write_through_views(x, z):
    t = cuda.threadIdx.x
    row = x[t]
    parts = z.real  # a view of a complex argument's real parts
    cuda.syncthreads()
    row[0] = row[-1] * 2  # writes the argument
    cuda.syncthreads()
    parts[t] = row[0] + 1


@pytest.mark.parametrize("dtype", [np.float64, np.int32])
@pytest.mark.parametrize("threads", [1, 5, 32])
def test_writes_through_views_reach_the_arguments(dtype, threads):
    x = (np.arange(threads * 3) + 1).reshape(threads, 3).astype(dtype)
    z = np.zeros(threads, np.complex128) + 7j
    want_x = x.copy()
    want_x[:, 0] = want_x[:, -1] * 2
    write_through_views[1, threads](x, z)
    np.testing.assert_array_equal(x, want_x)
    np.testing.assert_array_equal(z, want_x[:, 0] + 1 + 7j)


# ---------------------------------------------------------------- still refused, with its place

def _refused(kernel, *args):
    with pytest.raises(UnsupportedError, match="lives across cuda.syncthreads") as info:
        kernel[1, 4](*args)
    assert "test_cuda_views_across_barriers.py:" in str(info.value) and "^" in str(info.value)


def test_a_view_at_an_index_read_from_memory_is_refused():
    @cuda.jit
    def kernel(x, order, out):
        row = x[order[cuda.threadIdx.x]]  # order could change before the next phase
        cuda.syncthreads()
        out[cuda.threadIdx.x] = row[0]

    _refused(kernel, np.zeros((4, 2)), np.arange(4), np.zeros(4))


def test_an_array_index_a_copy_not_a_view_is_refused():
    @cuda.jit
    def kernel(x, picks, out):
        chosen = x[picks]
        cuda.syncthreads()
        out[cuda.threadIdx.x] = chosen[0]

    _refused(kernel, np.zeros(4), np.arange(2), np.zeros(4))


def test_a_view_assigned_twice_is_refused():
    @cuda.jit
    def kernel(x, out):
        row = x[0]
        if cuda.threadIdx.x > 1:
            row = x[1]
        cuda.syncthreads()
        out[cuda.threadIdx.x] = row[0]

    _refused(kernel, np.zeros((4, 2)), np.zeros(4))
