"""Device functions with cuda.syncthreads() called inside expressions, run
without a GPU (numjit/cuda/hoist_barrier_calls.py lifts each call into an
assignment of its own, in Python's order of evaluation, before it is
inlined). Each form is compared with NumPy over dtypes, block sizes and array
sizes; reads that come before the call in the statement see the values from
before it, as in Python and on a GPU; calls that may not run are refused,
located at the kernel's line."""
import math

import numpy as np
import pytest

from numjit import cuda, float64
from numjit.errors import UnsupportedError

from test_cuda_device_barriers import block_reduce, reference_block_sums
from test_cuda_ptx import assemble

TPB = 64


@cuda.jit(device=True)
def scaled_sum(sm, tid):
    return block_reduce(sm, tid) * 3.0  # a lifted call in a device function's return


@cuda.jit(device=True)
def add_then_read_right(sm, tid, value):
    sm[tid] += value
    cuda.syncthreads()
    return sm[(tid + 1) % cuda.blockDim.x]


@cuda.jit
def lifted_forms(x, out, kind):
    sm = cuda.shared.array(TPB, float64)
    other = cuda.shared.array(TPB, float64)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    v = x[i] if i < x.size else 0.0
    sm[t] = v
    other[t] = 2.0 * v
    cuda.syncthreads()
    r = 0.0
    if kind == 0:
        r = 1.0 + block_reduce(sm, t) * 2
    elif kind == 1:
        r = math.sqrt(abs(block_reduce(sm, t))) + t
    elif kind == 2:
        if block_reduce(sm, t) > 0:
            r = 1.0
        else:
            r = -1.0
    elif kind == 3:
        r = scaled_sum(sm, t) - 1.0
    elif kind == 4:
        r = block_reduce(sm, t) - block_reduce(other, t)  # two calls, left first
    elif kind == 5:
        r = add_then_read_right(other, t, block_reduce(sm, t))  # one call's value is another's argument
    elif kind == 6:
        r = max(block_reduce(sm, t), 0.0) + min(0.0, v)
    if i < x.size:
        out[i] = r


def expected_forms(x, threads, kind):
    sums = np.repeat(reference_block_sums(x, threads), threads)[:x.size]
    t = np.arange(x.size) % threads
    if kind == 0:
        return 1.0 + sums * 2
    if kind == 1:
        return np.sqrt(np.abs(sums)) + t
    if kind == 2:
        return np.where(sums > 0, 1.0, -1.0)
    if kind == 3:
        return sums * 3.0 - 1.0
    if kind == 4:
        return sums - 2 * sums
    if kind == 5:
        padded = np.zeros(-(-x.size // threads) * threads)
        padded[:x.size] = x
        right = np.roll(padded.reshape(-1, threads), -1, axis=1).ravel()[:x.size]
        return 2 * right + sums
    return np.maximum(sums, 0.0) + np.minimum(0.0, x)


@pytest.mark.parametrize("kind", range(7))
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
@pytest.mark.parametrize("threads", [1, 16, TPB])
@pytest.mark.parametrize("n", [1, 100, 640])
def test_calls_inside_expressions_like_numpy(kind, dtype, threads, n):
    x = (np.arange(n) % 13 - 5).astype(dtype)
    out = np.full(n, np.nan)
    lifted_forms[-(-n // threads), threads](x, out, kind)
    np.testing.assert_allclose(out, expected_forms(x.astype(np.float64), threads, kind), rtol=1e-12)


# ---------------------------------------------------------------- reads before the call see the old values

@cuda.jit(device=True)
def tenfold_own(sm, tid):
    cuda.syncthreads()
    sm[tid] = sm[tid] * 10.0  # each thread its own element: no race
    cuda.syncthreads()
    return 1.0


@cuda.jit
def read_order(x, order, out, kind):
    sm = cuda.shared.array(TPB, float64)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[t] = x[i]
    if kind == 0:
        out[i] = sm[t] + tenfold_own(sm, t)  # Python reads sm[t] first: x + 1
    elif kind == 1:
        out[i] = tenfold_own(sm, t) + sm[t]  # and here after: 1 + 10 x
    elif kind == 2:
        sm[t] += tenfold_own(sm, t)  # reads sm[t] before the call, stores after it: x + 1
        cuda.syncthreads()
        out[i] = sm[t]
    elif kind == 3:
        sm[order[t]] += tenfold_own(sm, t)  # the index too is read before the call
        cuda.syncthreads()
        out[i] = sm[t]
    else:
        out[i] = min(sm[t], 1e9) * 2.0 + tenfold_own(sm, t)  # a call's value before the call: 2 x + 1


@pytest.mark.parametrize("kind, expected", [(0, lambda x: x + 1), (1, lambda x: 1 + 10 * x),
                                            (2, lambda x: x + 1), (3, lambda x: x + 1),
                                            (4, lambda x: 2 * x + 1)])
@pytest.mark.parametrize("threads", [1, 8, TPB])
def test_what_the_statement_read_before_the_call_keeps_its_old_value(kind, expected, threads):
    x = np.arange(2 * threads, dtype=np.float64) + 0.5
    out = np.zeros_like(x)
    read_order[2, threads](x, np.arange(threads), out, kind)
    np.testing.assert_array_equal(out, expected(x))


def test_the_gpu_compiles_the_same_kernel_with_its_calls_in_place(tmp_path):
    ptx, _ = cuda.compile_ptx(lifted_forms, "void(float64[:], float64[:], int64)")
    assemble(ptx, tmp_path)
    assert ptx.count("bar.sync") >= 2 and "__nj_call" not in ptx


# ---------------------------------------------------------------- calls that may not run are refused

@cuda.jit(device=True)
def synced(v):
    cuda.syncthreads()
    return v


def _refused(kernel, match):
    with pytest.raises(UnsupportedError, match=match) as info:
        kernel[1, 4](np.zeros(4))
    text = str(info.value)
    assert "test_cuda_lifted_barrier_calls.py:" in text and "^" in text
    return text


def test_a_call_in_a_branch_of_an_if_expression_is_refused():
    @cuda.jit
    def kernel(out):
        t = cuda.threadIdx.x
        out[t] = synced(1.0) if t > 1 else 0.0

    assert "out[t] = synced(1.0) if t > 1 else 0.0" in _refused(kernel, "may not run")


def test_a_call_after_and_or_is_refused():
    @cuda.jit
    def kernel(out):
        t = cuda.threadIdx.x
        out[t] = t > 1 and synced(2.0) > 1.0

    _refused(kernel, "after `and`/`or`")


def test_a_call_in_a_later_comparison_of_a_chain_is_refused():
    @cuda.jit
    def kernel(out):
        t = cuda.threadIdx.x
        out[t] = 0 < t < synced(3.0)

    _refused(kernel, "may not run")


def test_a_call_in_a_comprehension_is_refused():
    @cuda.jit
    def kernel(out):
        t = cuda.threadIdx.x
        out[t] = sum([synced(1.0) for _ in range(2)])

    _refused(kernel, "comprehension")


def test_a_call_in_a_while_condition_is_refused():
    @cuda.jit
    def kernel(out):
        t = cuda.threadIdx.x
        k = 0
        while synced(float(k)) < 3.0:
            k += 1
        out[t] = k

    _refused(kernel, "while condition")


def test_the_first_operand_of_and_and_an_if_expressions_test_may_call():
    @cuda.jit
    def kernel(out):
        t = cuda.threadIdx.x
        a = synced(2.0) > 1.0 and t > 1
        out[t] = (10.0 if synced(float(t)) > 1.5 else 20.0) + a

    out = np.zeros(4)
    kernel[1, 4](out)
    np.testing.assert_array_equal(out, [20.0, 20.0, 11.0, 11.0])
