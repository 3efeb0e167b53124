"""`break` and `continue` of a kernel loop with cuda.syncthreads() inside,
and `return` from inside a loop, on the CPU (numjit/cuda/barriers.py).

The common shape is a converging loop: the block works, synchronizes, and
leaves when a value in shared memory says so (`while True: ... if sm[0] <
tol: break`). Every thread decides for itself, so numjit marks each thread
that leaves and, once the threads have run that code, the block leaves the
loop (or goes on with its next iteration) together. Where the threads
disagree, the launch raises RuntimeError at the break, as a GPU would hang.
Results are compared with NumPy; each kernel is also compiled for the GPU
and assembled by ptxas."""
import numpy as np
import pytest

from numjit import cuda, float64
from numjit.errors import UnsupportedError
from test_cuda_ptx import assemble

TPB = 32
DTYPES = [np.float64, np.float32, np.int64]


# ---------------------------------------------------------------- a converging loop

@cuda.jit
def halve_block_sum(x, out, rounds, limit):
    """Each round thread 0 halves the block's total; the block leaves once it
    is under `limit` (a shared-memory read: every thread decides)."""
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    if tid == 0:
        total = 0.0
        for j in range(cuda.blockDim.x):
            total += sm[j]
        sm[0] = total
    k = 0
    while True:
        cuda.syncthreads()
        if sm[0] < limit:
            break
        k += 1
        cuda.syncthreads()
        if tid == 0:
            sm[0] = sm[0] / 2.0
    if i < x.size:
        out[i] = sm[0]
        rounds[i] = k


def halve_block_sum_reference(x, threads, limit):
    n = x.size
    blocks = -(-n // threads)
    out, rounds = np.zeros(n), np.zeros(n, np.int64)
    for b in range(blocks):
        total = float(x[b * threads:(b + 1) * threads].astype(np.float64).sum())
        k = 0
        while not total < limit:
            k += 1
            total /= 2.0
        out[b * threads:(b + 1) * threads] = total
        rounds[b * threads:(b + 1) * threads] = k
    return out, rounds


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("threads", [1, 7, TPB])
@pytest.mark.parametrize("n", [1, 50, 200])
@pytest.mark.parametrize("limit", [0.5, 3.0, 1e9])
def test_a_converging_while_true_leaves_together(dtype, threads, n, limit):
    x = (np.random.default_rng(n).random(n) * 100).astype(dtype)
    out, rounds = np.zeros(n), np.zeros(n, np.int64)
    halve_block_sum[-(-n // threads), threads](x, out, rounds, limit)
    expected_out, expected_rounds = halve_block_sum_reference(x, threads, limit)
    np.testing.assert_array_equal(rounds, expected_rounds)
    np.testing.assert_allclose(out, expected_out, rtol=1e-12)


# ---------------------------------------------------------------- continue, and code after the break

@cuda.jit
def skip_rounds(x, out, rounds, skip_below):
    """A range loop whose rounds the block skips (`continue`) while a shared
    counter is small; neither the statements after the continue in its phase
    nor the phase after the next barrier may run for any thread."""
    sm = cuda.shared.array(TPB, float64)
    counter = cuda.shared.array(1, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    acc = x[i] if i < x.size else 0.0
    sm[tid] = 0.0
    if tid == 0:
        counter[0] = 0.0
    for r in range(rounds):
        cuda.syncthreads()
        if tid == 0:
            counter[0] = counter[0] + 1.0
        cuda.syncthreads()
        if counter[0] < skip_below:
            continue
        acc = acc * 2.0 + r
        cuda.syncthreads()
        sm[tid] = sm[tid] + 1.0
    if i < x.size:
        out[i] = acc + sm[tid] * 1000.0


def skip_rounds_reference(x, rounds, skip_below):
    out = np.zeros(x.size)
    for i, v in enumerate(x.astype(np.float64)):
        acc, counter, kept = float(v), 0.0, 0.0
        for r in range(rounds):
            counter += 1.0
            if counter < skip_below:
                continue
            acc = acc * 2.0 + r
            kept += 1.0
        out[i] = acc + kept * 1000.0
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("threads", [1, 5, TPB])
@pytest.mark.parametrize("rounds", [0, 1, 6])
@pytest.mark.parametrize("skip_below", [0.0, 3.0, 10.0])
def test_continue_skips_the_rest_of_the_round_for_every_thread(dtype, threads, rounds, skip_below):
    n = 70
    x = (np.random.default_rng(rounds).random(n) * 10).astype(dtype)
    out = np.zeros(n)
    skip_rounds[-(-n // threads), threads](x, out, rounds, skip_below)
    np.testing.assert_allclose(out, skip_rounds_reference(x, rounds, skip_below), rtol=1e-12)


# ---------------------------------------------------------------- nested loops, ifs with barriers, returns

@cuda.jit
def nested_leaves(x, out, limit):
    """The inner loop's break leaves only the inner loop; the outer loop's
    break sits in an if with a barrier inside; threads past the end of the
    data returned first and take no part."""
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    if i >= x.size:
        return
    sm[tid] = x[i]
    outer = 0
    while outer < 10:
        inner = 0
        while True:
            cuda.syncthreads()
            if tid == 0:
                sm[0] = sm[0] + 1.0
            cuda.syncthreads()
            inner += 1
            if sm[0] > limit * (outer + 1):
                break
        if inner > 0:
            cuda.syncthreads()
            if sm[0] > limit * 5:
                out[i] = outer * 100 + inner
                break
        outer += 1
        out[i] = -outer


def nested_leaves_reference(x, threads, limit):
    n = x.size
    out = np.zeros(n)
    for b in range(-(-n // threads)):
        first = float(x[b * threads])
        result = None
        value, outer = first, 0
        while outer < 10:
            inner = 0
            while True:
                value += 1.0
                inner += 1
                if value > limit * (outer + 1):
                    break
            if value > limit * 5:
                result = outer * 100 + inner
                break
            outer += 1
            result = -outer
        out[b * threads:(b + 1) * threads] = result
    return out


@pytest.mark.parametrize("threads", [1, 3, TPB])
@pytest.mark.parametrize("n", [1, 40, 101])
@pytest.mark.parametrize("limit", [2.0, 7.5, 100.0])
def test_nested_loops_leave_the_right_loop(threads, n, limit):
    x = np.random.default_rng(n).random(n) * 4
    out = np.zeros(n)
    nested_leaves[-(-n // threads), threads](x, out, limit)
    np.testing.assert_allclose(out, nested_leaves_reference(x, threads, limit))


@cuda.jit
def counted_break(out):
    k = 0
    while k < 4:
        cuda.syncthreads()
        if k == 2:
            break
        k += 1
    out[cuda.threadIdx.x] = k


def test_a_break_on_a_counter_every_thread_keeps():
    out = np.zeros(4)
    counted_break[1, 4](out)
    np.testing.assert_array_equal(out, np.full(4, 2.0))


@cuda.jit
def all_may_return_first(x, out, cutoff):
    """Where every thread of a block returns before the loop, nothing is left
    to break it: the block must not keep going round."""
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    if x[i] > cutoff:
        return
    sm[tid] = x[i]
    k = 0
    while True:
        cuda.syncthreads()
        if tid == 0:
            sm[0] = sm[0] + 1.0
        cuda.syncthreads()
        k += 1
        if sm[0] > 3.0:
            break
    out[i] = k


@pytest.mark.parametrize("cutoff", [-1.0, 0.5, 2.0])
def test_a_block_whose_threads_all_returned_leaves_the_loop(cutoff):
    x = np.repeat([0.25, 1.0, 5.0], TPB)  # one block below each cutoff, one above, one between
    out = np.full(x.size, -1.0)
    all_may_return_first[3, TPB](x, out, cutoff)
    expected = np.where(x > cutoff, -1.0, np.floor(3.0 - x) + 1)
    np.testing.assert_array_equal(out, expected)


# ---------------------------------------------------------------- returns inside loops without barriers

@cuda.jit
def return_from_plain_loops(x, out, steps):
    """A thread returns from inside two plain loops (no barrier in them): it
    is done at once, and takes no part in the phases after the barrier."""
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    sm[tid] = -1.0  # what a thread that returns leaves there
    total = 0.0
    for k in range(steps):
        j = 0
        while j < 3:
            total += x[tid] * (k + 1) + j
            if total > 20.0:
                out[tid] = -total
                return
            j += 1
        total += 0.5
    sm[tid] = total
    cuda.syncthreads()
    count = 0
    for j in range(cuda.blockDim.x):
        if sm[j] > 0.0:
            count += 1
    out[tid] = total * 1000 + count


def return_from_plain_loops_reference(x, steps):
    n = x.size
    totals, returned = np.zeros(n), np.zeros(n, bool)
    out = np.zeros(n)
    for t in range(n):
        total = 0.0
        for k in range(steps):
            for j in range(3):
                total += float(x[t]) * (k + 1) + j
                if total > 20.0:
                    out[t], returned[t] = -total, True
                    break
            if returned[t]:
                break
            total += 0.5
        totals[t] = total
    count = int(np.sum((totals > 0.0) & ~returned))
    out[~returned] = totals[~returned] * 1000 + count
    return out


@pytest.mark.parametrize("steps", [0, 1, 4])
@pytest.mark.parametrize("scale", [0.1, 1.0, 3.0])
def test_a_return_inside_plain_loops_marks_the_thread_done(steps, scale):
    x = np.linspace(0.0, scale, TPB)
    out = np.zeros(TPB)
    return_from_plain_loops[1, TPB](x, out, steps)
    np.testing.assert_allclose(out, return_from_plain_loops_reference(x, steps))


@cuda.jit
def return_in_a_loop_else(out):
    for k in range(2):
        out[cuda.threadIdx.x] += k
    else:
        if out[cuda.threadIdx.x] > 5.0:
            return
    cuda.syncthreads()
    out[cuda.threadIdx.x] += 1.0


def test_a_return_in_a_loops_else_is_refused():
    with pytest.raises(UnsupportedError, match="else clause") as info:
        return_in_a_loop_else[1, 4](np.zeros(4))
    assert "test_cuda_loop_exits.py:" in str(info.value)


@cuda.jit
def every_thread_returns_in_the_loop(out, rounds):
    """Every thread returns from inside loops whose conditions never end
    them (`while True` inside a counted loop): the block has ended, as a
    GPU's would."""
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    if tid == 0:
        sm[0] = 0.0
    for r in range(rounds):
        while True:
            cuda.syncthreads()
            if tid == 0:
                sm[0] = sm[0] + 1.0
            cuda.syncthreads()
            if sm[0] > 3.0:
                out[tid] = sm[0] * 10 + r
                return


@pytest.mark.parametrize("threads", [1, 4, TPB])
@pytest.mark.parametrize("rounds", [0, 1, 3])
def test_a_loop_every_thread_returned_from_ends(threads, rounds):
    out = np.full(threads, -1.0)
    every_thread_returns_in_the_loop[1, threads](out, rounds)
    np.testing.assert_array_equal(out, np.full(threads, 40.0 if rounds else -1.0))


@cuda.jit
def break_in_a_plain_loops_else(out):
    tid = cuda.threadIdx.x
    for it in range(3):
        cuda.syncthreads()
        out[tid] += 1
        for j in range(1):
            pass
        else:
            break  # leaves the loop with the barrier, not the plain one
        out[tid] += 100


def test_a_jump_in_a_plain_loops_else_is_refused():
    # Taken for a jump of the plain loop, it left the loop over the block's threads instead: a
    # wrong answer ([3, 0, 0, 0] where Python gives [1, 1, 1, 1]).
    with pytest.raises(UnsupportedError, match="else clause") as info:
        break_in_a_plain_loops_else[1, 4](np.zeros(4))
    assert "test_cuda_loop_exits.py:" in str(info.value)


# ---------------------------------------------------------------- threads that disagree

@cuda.jit
def one_thread_breaks(x, out, who):
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    for r in range(3):
        sm[tid] = x[tid] + r
        cuda.syncthreads()
        if tid == who:
            break
        out[tid] = sm[tid]


@cuda.jit
def some_break_some_continue(x, out):
    tid = cuda.threadIdx.x
    for r in range(3):
        cuda.syncthreads()
        if x[tid] > 0.5:
            break
        else:
            continue


@pytest.mark.parametrize("who", [0, 5, TPB - 1])
def test_a_break_some_threads_take_raises(who):
    with pytest.raises(RuntimeError, match="disagree on this break") as info:
        one_thread_breaks[1, TPB](np.arange(TPB, dtype=np.float64), np.zeros(TPB), who)
    assert "test_cuda_loop_exits.py:" in str(info.value)


def test_no_thread_breaking_runs_to_the_end():
    x, out = np.arange(TPB, dtype=np.float64), np.zeros(TPB)
    one_thread_breaks[1, TPB](x, out, -1)
    np.testing.assert_array_equal(out, x + 2)


def test_break_against_continue_raises():
    x = np.zeros(TPB)
    x[3] = 1.0
    with pytest.raises(RuntimeError, match="disagree"):
        some_break_some_continue[1, TPB](x, np.zeros(TPB))
    some_break_some_continue[1, TPB](np.zeros(TPB), np.zeros(TPB))  # all continue: fine
    some_break_some_continue[1, TPB](np.ones(TPB), np.zeros(TPB))   # all break: fine


# ---------------------------------------------------------------- on the GPU

@pytest.mark.parametrize("kernel, signature", [
    (halve_block_sum, "void(float64[:], float64[:], int64[:], float64)"),
    (skip_rounds, "void(float32[:], float64[:], int64, float64)"),
    (nested_leaves, "void(float64[:], float64[:], float64)"),
    (return_from_plain_loops, "void(float64[:], float64[:], int64)"),
])
def test_the_gpu_compiles_loops_left_from_inside(kernel, signature, tmp_path):
    ptx, _ = cuda.compile_ptx(kernel.py_func, signature)
    assert "bar.sync" in ptx
    assemble(ptx, tmp_path)
