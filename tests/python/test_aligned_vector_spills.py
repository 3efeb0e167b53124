"""Vectorized loops that call vector math keep their wide values in stack
slots across each call. Those slots must be aligned to the vector's width
whatever the caller's stack pointer (codegen/aligned_vector_spills.cpp); a
realigned frame must still give Python's results, for every layout, size and
dtype, and code that makes no such calls must not pay for a realignment it
does not need (it costs a register)."""
import re
import threading

import numpy as np
import pytest

from conftest import dtype_id, laid_out, tolerance
from numjit import njit

DTYPES = [np.float64, np.float32]
SIZES = [1, 7, 64, 1000, 4099]
LAYOUTS = ["C", "strided", "reversed"]


@njit
def ragged_arctan_sum(x, starts):
    # The seed's sum: the accumulator and four vectors of atan results live
    # across libmvec calls.
    s = 0.0
    for i in range(starts.shape[0] - 1):
        for j in range(starts[i], starts[i + 1]):
            s += np.arctan(x[j] * i * j)
    return s


@njit
def fill_exp_sin(x, out):
    for i in range(x.shape[0]):
        out[i] = np.exp(-x[i]) * np.sin(x[i]) + np.cos(x[i] * 0.5)
    return out


@njit
def scalar_recurrence(n, a):
    s = 0
    for i in range(n):
        s = (s * a + i) % 1000003
    return s


@njit
def scaled_then_chased(weights, next_index, start):
    # A vectorized loop that calls nothing, then a scalar loop that wants
    # every register.
    cost = np.empty(weights.shape[0])
    for k in range(weights.shape[0]):
        cost[k] = weights[k] * 2.0 + 1.0
    seen = np.zeros(next_index.shape[0], np.int64)
    i = start
    total = 0.0
    while seen[i] == 0:
        seen[i] = 1
        total += cost[i]
        i = next_index[i]
    return total


def values(size, dtype, layout, seed=0):
    return laid_out(np.random.default_rng(seed).uniform(-3.0, 3.0, size).astype(dtype), layout)


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("size", SIZES)
def test_ragged_sum_matches_python(dtype, layout, size):
    x = values(size, dtype, layout)
    cuts = np.random.default_rng(size).integers(0, size + 1, 5)
    starts = np.concatenate(([0], np.sort(cuts), [size])).astype(np.int64)
    np.testing.assert_allclose(ragged_arctan_sum(x, starts), ragged_arctan_sum.py_func(x, starts), **tolerance(dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("size", SIZES)
def test_math_fill_matches_python(dtype, layout, size):
    x = values(size, dtype, layout, seed=1)
    got = fill_exp_sin(x, np.zeros(size, dtype))
    want = fill_exp_sin.py_func(x, np.zeros(size, dtype))
    np.testing.assert_allclose(got, want, **tolerance(dtype))


def test_results_do_not_depend_on_the_callers_stack():
    # Threads start on stacks of their own, aligned differently from the
    # main thread's; the compiled code must give one answer on all of them.
    x = values(4099, np.float64, "C")
    starts = np.array([0, 1000, 1001, 3000, 4099], dtype=np.int64)
    want = ragged_arctan_sum(x, starts)
    got = []

    def run():
        got.append(ragged_arctan_sum(x, starts))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == [want] * 4


WIDE_VECTOR = re.compile(r"<(\d+) x (double|float|i64|i32)>")
BITS = {"double": 64, "float": 32, "i64": 64, "i32": 32}
CALL = re.compile(r"\bcall\b[^@\n]*@(?!llvm\.)[\w.$]+\(.*")
REALIGNED = re.compile(r"andq\s+\$-(32|64), %rsp")
UNALIGNED_WIDE_SPILL = re.compile(r"vmovu\w+\s+%[yz]mm\d+, -?\d*\(%rsp\)|vmovu\w+\s+-?\d*\(%rsp\), %[yz]mm\d+")


def is_wide(text):
    return any(int(lanes) * BITS[kind] > 128 for lanes, kind in WIDE_VECTOR.findall(text))


def calls_with_wide_vectors(llvm_ir):
    """Whether the optimized IR calls a function (not an intrinsic) with or for a vector over 16 bytes."""
    return any(is_wide(line) for line in CALL.findall(llvm_ir))


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
def test_vectorized_math_loops_realign_their_frame(dtype):
    x = values(64, dtype, "C")
    starts = np.array([0, 30, 64], dtype=np.int64)
    ragged_arctan_sum(x, starts)
    fill_exp_sin(x, np.zeros(64, dtype))
    for f in (ragged_arctan_sum, fill_exp_sin):
        for signature, asm in f.inspect_asm().items():
            wide = calls_with_wide_vectors(f.inspect_llvm(signature))
            # Where the host's vectors are wider than 16 bytes, the frame is
            # realigned and no wide value goes to the stack unaligned.
            assert bool(REALIGNED.search(asm)) == wide, signature
            assert not UNALIGNED_WIDE_SPILL.search(asm), signature


def test_code_without_vector_calls_keeps_a_plain_frame():
    assert scalar_recurrence(1000, 7) == scalar_recurrence.py_func(1000, 7)
    cycle = np.roll(np.arange(500, dtype=np.int64), 3)
    weights = np.linspace(0.0, 1.0, 500)
    assert scaled_then_chased(weights, cycle, 0) == scaled_then_chased.py_func(weights, cycle, 0)
    for f in (scalar_recurrence, scaled_then_chased):
        for signature, asm in f.inspect_asm().items():
            assert not calls_with_wide_vectors(f.inspect_llvm(signature)), signature
            assert not REALIGNED.search(asm), signature
    # The premise: the host's vectors are wide (as on every x86-64 with AVX)
    # and the first loop uses them.
    llvm_ir = next(iter(scaled_then_chased.inspect_llvm().values()))
    assert is_wide(llvm_ir) == ("avx" in open("/proc/cpuinfo").read())
