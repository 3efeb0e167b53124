"""parallel=True: prange loops on the thread pool, automatic reductions, thread
control, diagnostics, exceptions, several Python threads and fork().

Every parallel result is compared with the same function run serially
(``.py_func``, where prange is range, or a serial njit twin) or with a known
value, under every thread count 1..NUMBA_NUM_THREADS (restored afterwards).

PYTEST_DONT_REWRITE: the kernels' ``assert`` statements stay as written.
"""
import inspect
import os
import re
import subprocess
import sys
import textwrap
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import numjit
import numjit as numba
from numjit import errors, njit, prange

from conftest import RTOL_SINGLE, check_threads, csr_offsets, dtype_id, make_array, num_threads, sample_values

MAX_THREADS = numjit.config.NUMBA_NUM_THREADS
THREAD_COUNTS = range(1, MAX_THREADS + 1)
SIZES = [0, 1, 7, 1000, 100000]
RTOL = 1e-10  # parallel float reductions add in another order
I64 = np.iinfo(np.int64)


# ---- reductions ------------------------------------------------------------

@njit(parallel=True)
def sums(x, init):
    a, b, c, d = init, init, init, init
    for i in prange(x.shape[0]):
        a += x[i]
        b -= x[i]
        c = c + x[i]
        d = x[i] + d
    return a, b, c, d


@njit(parallel=True)
def products(x, init):
    p, q, r = init, init, 1000.0
    for i in prange(x.shape[0]):
        p *= x[i]
        q = q * x[i]
        r /= x[i]
    return p, q, r


@njit(parallel=True)
def extremes(x, init):
    lo, hi = init, init
    for i in prange(x.shape[0]):
        lo = min(lo, x[i])
        hi = max(hi, x[i])
    return lo, hi


#: kernel -> {variable: the operator parallel_diagnostics names}
REDUCTIONS = {sums: {"a": r"\+", "b": r"[-+]", "c": r"\+", "d": r"\+"}, products: {"p": r"\*", "q": r"\*", "r": "/"},
              extremes: {"lo": "min", "hi": "max"}}
REDUCTION_CASES = [(f, dtype) for f in REDUCTIONS for dtype in (np.int64, np.float64, np.complex128, np.float32)
                   if not (f is extremes and dtype is np.complex128)]


def reduction_input(f, dtype, n):
    """Small integers (exact in float32 too) or [0, 1) for sums and min/max;
    +-1 with a few 3s, values near +-1 or on the unit circle for products."""
    rng = np.random.default_rng(n)
    if f is not products:
        return rng.random(n) if dtype is np.float64 else sample_values(dtype, n, seed=n)
    if dtype is np.complex128:
        return np.exp(2j * np.pi * rng.random(n))
    y = rng.choice([-1.0, 1.0], n)
    if dtype is np.float64:
        return y * (1 + 1e-3 * rng.random(n))
    y[rng.permutation(n)[:10]] *= 3
    return y.astype(dtype)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("f,dtype", REDUCTION_CASES, ids=[f"{f.__name__}-{dtype_id(d)}" for f, d in REDUCTION_CASES])
def test_reductions(f, dtype, n):
    init = 0.5 if f is extremes and dtype is np.float64 else 4 if f is extremes else 3
    # With no iteration Python keeps the int initial value where Numba unifies to float/complex.
    check_threads(f, reduction_input(f, dtype, n), init, rtol=RTOL_SINGLE if dtype is np.float32 else RTOL,
                  widen=dtype is not np.int64)


@njit(parallel=True)
def several(x, z):
    total, count, sign, zsum, lo, hi, sq = 0, 0, 1, 0, np.inf, -np.inf, 0.0  # total, zsum: int at first
    for i in prange(x.shape[0]):
        if x[i] < 0.1:
            continue
        total += x[i]
        if x[i] > 0.5:
            count += 1
            sign = sign * -1
        zsum = zsum + z[i] * x[i]
        lo = min(lo, x[i])
        hi = max(hi, x[i])
        sq -= x[i] * x[i]
    return total, count, sign, zsum, lo, hi, sq


@pytest.mark.parametrize("n", SIZES)
def test_several_reductions_in_one_loop(n):
    x = np.random.default_rng(n).random(n)
    check_threads(several, x, x * 1j + 2.0, widen=True)
    types = [type(v) for v in several(x, x * 1j)]
    assert types == [type(v) for v in njit(several.py_func)(x, x * 1j)] == [float, int, int, complex, float, float, float]


@njit(parallel=True)
def not_a_reduction(x):
    s = 0.0
    for i in prange(x.shape[0]):
        s = s * 2.0 + x[i]
    return s


def test_unsupported_update_of_outer_scalar_is_rejected():
    # Numba: "Use of reduction variable 's' other than in a supported reduction
    # function is not permitted". A silently wrong value is not acceptable.
    with pytest.raises((errors.NumjitError, ValueError)):
        not_a_reduction(np.arange(5.0))


@njit(parallel=True)
def clipped_by_branches(x, out, limit):
    for i in prange(x.shape[0]):
        if x[i] > limit:
            v = limit
        else:
            if x[i] < -limit:
                x[i] = -limit  # an if of its own before the else's assignment
            v = x[i]
        out[i] = v
    return out


@njit(parallel=True)
def rows_by_branches(a, out):
    for i in prange(a.shape[0]):
        for j in range(a.shape[1]):
            if j % 2 == 0:
                w = a[i, j]
            elif a[i, j] > 0:
                w = 2 * a[i, j]
            else:
                w = -1.0
            out[i, j] = w
    return out


@pytest.mark.parametrize("n", [1, 17, 1000, 100_000])
def test_variables_every_branch_assigns_are_private_not_carried(n):
    # A local that each branch of an if/else assigns is assigned in every
    # iteration: it was refused as "read before this prange iteration assigns it".
    x = np.random.default_rng(n).standard_normal(n) * 3
    expected = clipped_by_branches.py_func(x.copy(), np.zeros(n), 1.5)
    np.testing.assert_array_equal(clipped_by_branches(x.copy(), np.zeros(n), 1.5), expected)
    a = np.asfortranarray(np.random.default_rng(n + 1).standard_normal((max(1, n // 50), 7)))
    np.testing.assert_array_equal(rows_by_branches(a, np.zeros(a.shape)), rows_by_branches.py_func(a, np.zeros(a.shape)))


@njit(parallel=True)
def assigned_in_one_branch(x):
    v = 0.0
    for i in prange(x.shape[0]):
        if x[i] > 0:
            v = x[i]
        x[i] = v
    return x


def test_a_variable_only_one_branch_assigns_is_still_refused():
    with pytest.raises(errors.UnsupportedError, match="'v' is read here before this prange iteration assigns it"):
        assigned_in_one_branch(np.arange(5.0))


# ---- prange forms: each kernel counts its iterations and sums the indices ---

@njit(parallel=True)
def range1(stop):
    n, c = 0, 0
    for i in prange(stop):
        n += 1
        c += i % 1000003 + 1
    return n, c


@njit(parallel=True)
def range2(start, stop):
    n, c = 0, 0
    for i in prange(start, stop):
        n += 1
        c += i % 1000003 + 1
    return n, c


@njit(parallel=True)
def range3(start, stop, step):
    n, c, lo, hi = 0, 0, start, start
    for i in prange(start, stop, step):
        n += 1
        c += i % 1000003 + 1
        lo = min(lo, i)
        hi = max(hi, i)
    return n, c, lo, hi


RANGES = [(0,), (1,), (7,), (100000,), (0, 0), (5, 5), (5, 6), (-50, 50), (9, 3), (0, 0, 1), (3, 4, 5),
          (0, 100, 7), (-99, 99, 3), (10, 0, -1), (10, -5, -3), (99, -99, -7), (0, 10, -1), (5, 5, -2),
          (-100000, 100000, 13), (100000, -3, -1000),
          (I64.max - 1, I64.max, 1), (I64.max - 5, I64.max, 2), (I64.min + 5, I64.min, -2), (0, I64.max, I64.max // 2)]


@pytest.mark.parametrize("bounds", RANGES, ids=str)
def test_prange_forms(bounds):
    check_threads({1: range1, 2: range2, 3: range3}[len(bounds)], *bounds)


def test_prange_zero_step_raises_like_range():
    with pytest.raises(ValueError, match="must not be zero"):
        range3(0, 10, 0)


# ---- arrays ----------------------------------------------------------------

@njit(parallel=True)
def privates_and_two_loops(x, out):
    s = 0.0
    for i in prange(x.shape[0]):
        t = x[i] * 2.0  # t, u: private to each iteration
        u = t + i
        out[i] = u * t
        s += u
    first = s
    for i in prange(x.shape[0]):
        s += x[i] * first
    return first, s


@njit(parallel=True)
def row_sums(a, out):
    for i in prange(a.shape[0]):
        s = 0.0  # private, updated by a serial loop inside each iteration
        for j in range(a.shape[1]):
            s += a[i, j]
        out[i] = s


@njit(parallel=True)
def grid(a, out):
    total = 0.0
    for i in prange(a.shape[0]):
        for j in prange(a.shape[1]):  # nested: serial inside each outer iteration
            out[i, j] = a[i, j] * (i - j)
            total += out[i, j]
    return total


@pytest.mark.parametrize("n", SIZES)
def test_1d_writes_at_distinct_indices(n):
    check_threads(privates_and_two_loops, np.random.default_rng(n).random(n), np.zeros(n))
    check_threads(outer_calls_faulty, GOOD, np.zeros(min(n, 1000)))  # a parallel function per iteration


@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("shape", [(0, 0), (0, 5), (5, 0), (1, 1), (7, 3), (1000, 7), (3, 1000), (100000, 2)], ids=str)
def test_2d_arrays_and_nested_prange(shape, layout):
    a = make_array(shape, np.float64, layout) * 0.25
    check_threads(row_sums, a, np.zeros(shape[0]))
    check_threads(grid, a, np.zeros(shape))


# ---- the seed tutorial -----------------------------------------------------

@numba.njit(parallel=True)
def sum_parallel(X, jind):
    N = jind.shape[0] - 1
    s = 0
    for i in numba.prange(N):
        for j in range(jind[i], jind[i+1]):
            s += np.arctan(X[j] * i * j)
    return s


sum_serial = njit(sum_parallel.py_func)


def ragged_offsets(seed):
    """Shuffled rows of 0, 1, a few and tens of thousands of elements."""
    lengths = np.random.default_rng(seed).permutation([100000, 0, 1, 0, 3, 50000, 1, 0, 7, 2, 20000] + [0, 1] * 50)
    return np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)


JINDS = {f"csr-{rows}x{per}": csr_offsets(rows, per, seed=rows) for rows in [0, 1, 7, 1000] for per in [1, 50]}
JINDS.update({"ragged0": ragged_offsets(0), "ragged1": ragged_offsets(1), "one-long-row": np.array([0, 100000])})


@pytest.mark.parametrize("name", JINDS)
def test_sum_parallel_seed(name):
    jind = JINDS[name]
    X = np.random.default_rng(len(jind)).random(int(jind[-1]))
    check_threads(sum_parallel, X, jind, widen=True)
    got = sum_parallel(X, jind)
    assert isinstance(got, float)
    np.testing.assert_allclose(got, sum_serial(X, jind), rtol=RTOL)


# ---- exceptions, and parallel functions calling parallel functions ----------

@njit(parallel=True, boundscheck=True)
def faulty(x, k):
    s = 0.0
    for i in prange(x.shape[0]):
        if x[i] == -1:
            raise ValueError("negative value in input")
        assert x[i] != -2, "must not be -2"
        if x[i] == -3:
            s += x[i + x.shape[0]]
        s += 1000 // int(x[i]) + 1.0 / x[i]
    return s * k


@njit(parallel=True)
def outer_calls_faulty(x, out):
    for k in prange(out.shape[0]):
        out[k] = faulty(x, k)


BAD = {-1: (ValueError, "negative value in input"), -2: (AssertionError, "must not be -2"),
       -3: (IndexError, "out of bounds"), 0: (ZeroDivisionError, "integer division or modulo by zero")}
GOOD = np.arange(1.0, 1001.0)


@pytest.mark.parametrize("at", [0, 500, 999, slice(None)], ids=["first", "middle", "last", "all"])
@pytest.mark.parametrize("bad", BAD)
def test_exception_in_body_reaches_python_and_pool_recovers(bad, at):
    exc, message = BAD[bad]
    x = GOOD.copy()
    x[at] = bad
    for n in THREAD_COUNTS:
        with num_threads(n):
            with pytest.raises(exc, match=message):
                faulty(x, 1000)
            with pytest.raises(exc, match=message):  # raised inside a nested parallel call
                outer_calls_faulty(x, np.zeros(8))
        check_threads(faulty, GOOD, 3)


@njit(parallel=True)
def return_in_prange(x):
    for i in prange(x.shape[0]):
        if x[i] > 0:
            return i
    return -1


@njit(parallel=True)
def break_in_prange(x):
    for i in prange(x.shape[0]):
        if x[i] > 0:
            break
    return -1


@pytest.mark.parametrize("f,word", [(return_in_prange, "return"), (break_in_prange, "break")])
def test_return_and_break_in_prange_are_compile_errors(f, word):
    for _ in range(2):  # and stay errors on the next call
        with pytest.raises(errors.UnsupportedError, match=f"'{word}' inside a prange loop"):
            f(np.ones(3))


@njit(parallel=True)
def first_positive_per_row(x):
    """A break that leaves a loop inside the prange body, not the prange."""
    out = np.full(x.shape[0], -1)
    for i in prange(x.shape[0]):
        for j in range(x.shape[1]):
            if x[i, j] > 0:
                out[i] = j
                break
        else:
            out[i] = -2
        while True:
            if out[i] < 0:
                break
            out[i] += 10
            break
    return out


@pytest.mark.parametrize("shape", [(1, 1), (5, 3), (64, 17)])
@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_break_in_a_loop_inside_prange(shape, dtype):
    x = (np.random.default_rng(shape[0]).random(shape) - 0.7).astype(dtype) if dtype != np.int32 else \
        np.random.default_rng(shape[0]).integers(-3, 2, shape).astype(dtype)
    np.testing.assert_array_equal(first_positive_per_row(x), first_positive_per_row.py_func(x))


# ---- thread control --------------------------------------------------------

def test_num_threads_per_python_thread():
    seen = []
    for n in THREAD_COUNTS:
        with num_threads(n):
            worker = threading.Thread(target=lambda: seen.append(numjit.get_num_threads()))
            worker.start()
            worker.join()
            assert numjit.get_num_threads() == n
    assert numjit.get_num_threads() == MAX_THREADS and seen == [MAX_THREADS] * MAX_THREADS


SETTERS = {"threads": (numjit.set_num_threads, numjit.get_num_threads),
           "chunksize": (numjit.set_parallel_chunksize, numjit.get_parallel_chunksize)}


@pytest.mark.parametrize("setter,bad,exc", [  # as Numba: TypeError for a non-integer, ValueError out of range
    ("threads", 0, ValueError), ("threads", -1, ValueError), ("threads", MAX_THREADS + 1, ValueError),
    ("threads", 1.5, TypeError), ("threads", "2", TypeError), ("threads", None, TypeError),
    ("chunksize", -1, ValueError), ("chunksize", 1.5, TypeError), ("chunksize", "4", TypeError)],
    ids=lambda v: getattr(v, "__name__", repr(v)))
def test_thread_control_rejects(setter, bad, exc):
    set_value, get_value = SETTERS[setter]
    before = get_value()
    with pytest.raises(exc):
        set_value(bad)
    assert get_value() == before


def test_thread_control_accepts_numpy_integers():
    # Numba accepts (int, np.integer) in set_num_threads and set_parallel_chunksize.
    with num_threads(np.int64(1)):
        assert numjit.get_num_threads() == 1
    old = numjit.set_parallel_chunksize(np.int64(4))
    assert numjit.set_parallel_chunksize(old) == 4


@njit(parallel=True)
def busy(ids, counts, work):
    """Works a while per iteration, records the worker and the thread count;
    raises where ids[i] is -7 on entry."""
    for i in prange(ids.shape[0]):
        if ids[i] == -7:
            raise ValueError("stop at -7")
        s = 0.0
        for k in range(work):
            s += np.sin(k + i * 1.0)
        ids[i] = numba.get_thread_id() + int(s > 1e300)  # keeps the work
        counts[i] = numba.get_num_threads()


def test_get_thread_id_and_num_threads_in_compiled_code():
    assert numjit.get_thread_id() == 0
    old = numjit.set_parallel_chunksize(1)
    try:
        for n in THREAD_COUNTS:
            seen = set()
            for _ in range(5):  # on a busy machine a worker may miss one run
                ids, counts = np.full(400, -1, np.int64), np.zeros(400, np.int64)
                with num_threads(n):
                    busy(ids, counts, 20000)
                assert set(ids.tolist()) <= set(range(n)) and (counts == n).all()
                seen |= set(ids.tolist())
            assert seen == set(range(n)), "every worker takes part"
    finally:
        numjit.set_parallel_chunksize(old)


def test_exception_stops_the_loop():
    for n in THREAD_COUNTS:
        ids, counts = np.zeros(200000, np.int64), np.zeros(200000, np.int64)
        ids[0] = -7  # the first iteration the calling thread runs
        with num_threads(n), pytest.raises(ValueError, match="stop at -7"):
            busy(ids, counts, 200)
        assert np.count_nonzero(counts) < counts.size / 4, "the iterations after the error were skipped"


@pytest.mark.parametrize("chunk", [1, 3, 64, 10**9])
def test_parallel_chunksize(chunk):
    old = numjit.set_parallel_chunksize(chunk)
    try:
        assert numjit.get_parallel_chunksize() == chunk
        check_threads(sums, np.arange(100000.0), 0)
        check_threads(sum_parallel, np.random.default_rng(0).random(200000), ragged_offsets(2))
    finally:
        assert numjit.set_parallel_chunksize(old) == chunk
    assert numjit.get_parallel_chunksize() == old


# ---- subprocesses: NUMJIT_NUM_THREADS and fork() ----------------------------

SCRIPT = '''\
import numpy as np
import numjit
from numjit import njit, prange

@njit(parallel=True)
def total(x):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i]
    return s

x = np.arange(100000.0)
EXPECTED = 4999950000.0  # integer valued: exact in any order
assert total(x) == EXPECTED
{body}
print("ok")
'''


def run_script(tmp_path, body, **env):
    (tmp_path / "script.py").write_text(SCRIPT.format(body=textwrap.dedent(body)))
    environ = {k: v for k, v in os.environ.items() if k not in ("NUMJIT_NUM_THREADS", "NUMBA_NUM_THREADS")}
    # The timeout turns a hang into a failure (TimeoutExpired).
    proc = subprocess.run([sys.executable, str(tmp_path / "script.py")], env={**environ, **env},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.endswith("ok\n"), proc.stdout + proc.stderr


@pytest.mark.parametrize("var", ["NUMJIT_NUM_THREADS", "NUMBA_NUM_THREADS"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_num_threads_environment_variable(tmp_path, var, n):
    run_script(tmp_path, f'''
        import pytest
        assert numjit.config.NUMBA_NUM_THREADS == numjit.get_num_threads() == {n}
        with pytest.raises(ValueError):
            numjit.set_num_threads({n + 1})
        for k in range(1, {n} + 1):
            numjit.set_num_threads(k)
            assert numjit.get_num_threads() == k and total(x) == EXPECTED
    ''', **{var: str(n)})


def test_fork_after_pool_started(tmp_path):
    run_script(tmp_path, '''
        import multiprocessing, os, threading

        def child(k):
            return total(x * k) == EXPECTED * k

        with multiprocessing.get_context("fork").Pool(2) as pool:
            assert all(pool.map(child, range(8)))
        assert total(x) == EXPECTED

        def fork_and_check():
            pid = os.fork()
            if pid == 0:
                os._exit(0 if child(3) and child(5) else 1)
            assert os.waitpid(pid, 0)[1] == 0

        fork_and_check()
        busy = threading.Thread(target=lambda: [total(x) for _ in range(200)])
        busy.start()  # fork while another thread may be inside a parallel region
        fork_and_check()
        busy.join()
        assert total(x) == EXPECTED
    ''')


# ---- several Python threads ------------------------------------------------

def test_concurrent_calls_from_python_threads():
    x = np.arange(100000.0)  # integer valued: sums are exact in any order
    jind = ragged_offsets(3)
    X = np.random.default_rng(3).random(int(jind[-1]))
    expected_seed, expected_outer, bad = sum_serial(X, jind), np.zeros(16), GOOD.copy()
    expected_sums = sums.py_func(x, 0)
    outer_calls_faulty.py_func(GOOD, expected_outer)
    bad[500] = -1.0

    def job(k):
        numjit.set_num_threads(1 + k % MAX_THREADS)  # per Python thread
        for _ in range(50):
            assert sums(x, k) == tuple(v + k for v in expected_sums)
            np.testing.assert_allclose(sum_parallel(X, jind), expected_seed, rtol=RTOL)
            out = np.zeros(16)
            outer_calls_faulty(GOOD, out)
            np.testing.assert_allclose(out, expected_outer, rtol=RTOL)
            if k % 3 == 0:
                with pytest.raises(ValueError, match="negative value in input"):
                    faulty(bad, 1)
        return numjit.get_num_threads()

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(job, range(24))) == [1 + k % MAX_THREADS for k in range(24)]


# ---- diagnostics and warnings ----------------------------------------------

@pytest.mark.parametrize("f", REDUCTIONS, ids=lambda f: f.__name__)
def test_parallel_diagnostics_names_reductions(f, capsys):
    f(np.ones(10), 1)
    row_sums(np.ones((3, 3)), np.zeros(3))
    capsys.readouterr()
    f.parallel_diagnostics()
    report = capsys.readouterr().out
    assert "prange loop runs in parallel" in report, report
    for name, op in REDUCTIONS[f].items():
        assert re.search(rf"reduction {op} on '{name}'", report), report
    row_sums.parallel_diagnostics()
    report = capsys.readouterr().out
    assert "prange loop runs in parallel" in report and "reduction" not in report, report


def test_no_prange_warns_at_first_call_only():
    @njit(parallel=True)
    def serial_only(x):
        return x[0] + 1.0

    with pytest.warns(errors.NumjitPerformanceWarning, match="no prange loop"):
        assert serial_only(np.ones(3)) == 2.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert serial_only(np.ones(3)) == 2.0
    assert not [w for w in caught if issubclass(w.category, errors.NumjitWarning)]


def test_racy_write_warns_with_line():
    @njit(parallel=True)
    def racy(x, out):
        for i in prange(x.shape[0]):
            out[0] += x[i]

    line = inspect.getsourcelines(racy.py_func)[1] + 3  # the out[0] line
    assert errors.NumbaParallelSafetyWarning is errors.NumjitParallelSafetyWarning
    out = np.zeros(1)
    with pytest.warns(errors.NumbaParallelSafetyWarning, match=rf"line {line}\b"):
        with num_threads(1):  # one thread: no race, the serial result
            racy(np.arange(100.0), out)
    assert out[0] == 4950.0


@njit(parallel=True)
def scratch_per_iteration(x, width):
    out = np.empty(x.shape[0])
    for i in prange(x.shape[0]):
        scratch = np.zeros(width)  # each iteration's own array
        scratch[0] = x[i]
        scratch[width - 1] += x[i] * 2
        copy = scratch.copy()
        copy[0] = 1.0
        out[i] = scratch.sum() + copy.sum()
    return out


@njit(parallel=True)
def alias_of_shared(x, shared):
    for i in prange(x.shape[0]):
        view = shared  # the same array in every iteration
        view[0] = x[i]
    return shared


@pytest.mark.parametrize("width", [1, 3])
def test_an_array_each_iteration_allocates_gives_no_race_warning(width):
    x = np.arange(50.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.testing.assert_array_equal(scratch_per_iteration(x, width), scratch_per_iteration.py_func(x, width))
    assert not [w for w in caught if issubclass(w.category, errors.NumjitParallelSafetyWarning)]


def test_an_alias_of_a_shared_array_still_warns():
    with pytest.warns(errors.NumjitParallelSafetyWarning, match="view"):
        with num_threads(1):
            alias_of_shared(np.arange(5.0), np.zeros(2))


@njit(parallel=True)
def index_computed_from_the_loop_variable(x):
    out = np.zeros(2 * x.shape[0])
    for i in prange(x.shape[0]):
        j = 2 * i
        r, c = divmod(j, 2)
        out[j] = x[i]
        out[r * 2 + c + 1] = -x[i]
    return out


def test_an_index_computed_from_the_loop_variable_gives_no_race_warning():
    x = np.arange(20.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.testing.assert_array_equal(index_computed_from_the_loop_variable(x),
                                      index_computed_from_the_loop_variable.py_func(x))
    assert not [w for w in caught if issubclass(w.category, errors.NumjitParallelSafetyWarning)]


@njit(parallel=True)
def doubled_over_pndindex(a):
    out = np.zeros_like(a)
    for idx in numjit.pndindex(a.shape):
        out[idx] = a[idx] * 2
    return out


@njit(parallel=True)
def grid_over_pndindex(n, m):
    out = np.zeros((n, m))
    total = 0.0
    for i, j in numjit.pndindex(n, m):
        out[i, j] = i * 10 + j
        total += i - j
    return out, total


@njit
def serial_pndindex(n):
    s = 0
    for (i,) in numjit.pndindex(n):
        s += i * i
    return s


@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 5), (0, 3), (1, 1, 1, 2)])
@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_pndindex_visits_every_index_as_ndindex(shape, dtype):
    a = np.arange(int(np.prod(shape))).astype(dtype).reshape(shape)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.testing.assert_array_equal(doubled_over_pndindex(a), doubled_over_pndindex.py_func(a))
        np.testing.assert_array_equal(doubled_over_pndindex(a.T), doubled_over_pndindex.py_func(a.T))
    assert not [w for w in caught if issubclass(w.category, errors.NumjitParallelSafetyWarning)]


@pytest.mark.parametrize("n, m", [(3, 5), (1, 9), (0, 2)])
def test_pndindex_of_several_integers_with_a_reduction(n, m):
    got, expected = grid_over_pndindex(n, m), grid_over_pndindex.py_func(n, m)
    np.testing.assert_array_equal(got[0], expected[0])
    assert got[1] == expected[1]
    assert serial_pndindex(n * m) == serial_pndindex.py_func(n * m)
    assert list(numjit.pndindex(2, 2)) == list(np.ndindex(2, 2))


@njit(parallel=True)
def last_private(x):
    t = -1.0
    s = 0.0
    for i in prange(x.shape[0]):
        t = x[i] * 2.0
        k = i
        s += t
    return t, k, s


@pytest.mark.parametrize("n", [1, 7, 1000, 100000])
def test_private_holds_last_iteration_value_after_loop(n):
    # As in sequential code (and Numba): the iteration that runs last in index
    # order leaves its private values behind.
    x = np.arange(n, dtype=np.float64) + 0.5
    check_threads(last_private, x)



@njit(parallel=True)
def generators_made_in_prange(n):
    out = np.empty(n)
    for i in prange(n):
        g = np.random.default_rng(i)
        out[i] = g.random()
    return out


@njit(parallel=True)
def generators_made_before_prange(n):
    draws = np.random.default_rng(7).random(n)
    out = np.empty(n)
    for i in prange(n):
        out[i] = 2.0 * draws[i]
    return out


def test_default_rng_inside_prange_is_refused_clearly_and_works_before_it():
    # In a worker it would wait for the GIL the loop's caller holds.
    with pytest.raises(errors.UnsupportedError, match="default_rng\\(\\) inside a prange loop"):
        generators_made_in_prange(4)
    np.testing.assert_array_equal(generators_made_before_prange(8), 2.0 * np.random.default_rng(7).random(8))


def test_break_or_else_in_a_pndindex_loop_is_refused_where_it_stands():
    def count_until(a):
        c = 0
        for i, j in numjit.pndindex(a.shape):
            if j == 1:
                break
            c += 1
        return c

    def with_else(a):
        c = 0
        for idx in numjit.pndindex(a.shape):
            c += 1
        else:
            c = -1
        return c

    for options in ({}, {"parallel": True}):
        with pytest.raises(errors.UnsupportedError, match="'break' inside a pndindex loop"):
            njit(**options)(count_until)(np.ones((3, 4)))
        with pytest.raises(errors.UnsupportedError, match="else clause"):
            njit(**options)(with_else)(np.ones((3, 4)))


@njit(parallel=True)
def rows_of_out(a):
    out = np.zeros_like(a)
    for i in prange(a.shape[0]):
        row = out[i]  # this iteration's own row
        row[0] = a[i, 0] + 1
        out[i][1] = a[i, 1] * 2
    return out


@njit(parallel=True)
def pairs_from_an_inner_range(n):
    out = np.zeros(2 * n)
    for i in prange(n):
        for k in range(2 * i, 2 * i + 2):
            out[k] = i
    return out


@njit(parallel=True)
def constant_from_a_tuple(a):
    shared = np.zeros(2)
    for i in prange(a.shape[0]):
        r, c = i, 0
        shared[c] = a[r, 0]
    return shared


@njit(parallel=True)
def same_cell_over_pndindex(a):
    out = np.zeros(a.shape[1])
    for i, j in numjit.pndindex(a.shape):
        out[j] = a[i, j]
    return out


def test_race_warnings_follow_what_each_iteration_writes():
    a = np.arange(12.0).reshape(6, 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.testing.assert_array_equal(rows_of_out(a), rows_of_out.py_func(a))
        np.testing.assert_array_equal(pairs_from_an_inner_range(5), pairs_from_an_inner_range.py_func(5))
    assert not [w for w in caught if issubclass(w.category, errors.NumjitParallelSafetyWarning)]
    for racy, name in ((constant_from_a_tuple, "shared"), (same_cell_over_pndindex, "out")):
        with pytest.warns(errors.NumjitParallelSafetyWarning, match=rf"writes to {name}\["):
            with num_threads(1):
                racy(a)
