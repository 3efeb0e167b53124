"""The fuzzer's comparison (tests/fuzz/oracle.py): what it accepts as
agreement and what it still reports."""
import numpy as np

from tests.fuzz.oracle import RTOL_DOUBLE, compare


def test_single_precision_results_allow_an_ulp():
    # np.log of int16 data through astype(np.float32): NumPy's float32 log
    # gave 1.9459102 where the correctly rounded value is 1.9459101.
    got = np.array([1.9459101], np.float32)
    want = np.array([1.9459102], np.float32)
    assert compare(got, want, RTOL_DOUBLE, 0.0) is None
    assert compare(np.array([1.9], np.float32), want, RTOL_DOUBLE, 0.0) is not None
    # Double precision keeps its tolerance.
    assert compare(np.array([1.0 + 1e-9]), np.array([1.0]), RTOL_DOUBLE, 0.0) is not None


def test_complex_values_close_as_a_whole():
    got = np.array([1e308 - 4.677e290j, 2 + 3j])
    want = np.array([1e308 + 0j, 2 + 3j])
    assert compare(got, want, RTOL_DOUBLE, 0.0) is None
    # A part that is wrong at the value's own scale is still reported.
    assert compare(np.array([1e308 - 1e300j]), np.array([1e308 + 0j]), RTOL_DOUBLE, 0.0) is not None
    assert compare(np.array([2 - 3j]), np.array([2 + 3j]), RTOL_DOUBLE, 0.0) is not None
    # Infinities and NaNs must match part by part.
    assert compare(np.array([complex(np.inf, 0)]), np.array([complex(-np.inf, 0)]), RTOL_DOUBLE, 0.0) is not None
    assert compare(np.array([complex(np.nan, 1)]), np.array([complex(np.nan, 1)]), RTOL_DOUBLE, 0.0) is None


def _under_worker_limit(gigabytes, code, folder):
    import os
    import pathlib
    import subprocess
    import sys
    root = pathlib.Path(__file__).resolve().parents[2]
    env = dict(os.environ, NUMJIT_FUZZ_MEMORY_GB=str(gigabytes),
               PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    script = folder / "limited.py"  # numjit compiles from source: -c would have none
    script.write_text("from tests.fuzz import worker\nworker.limit_memory()\n" + code)
    return subprocess.run([sys.executable, str(script)], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_worker_past_its_memory_limit_gets_memory_error(tmp_path):
    # A case building huge arrays must fail in its worker, not grow it until
    # the machine swaps; compiled code (LLVM, the thread pool) still runs there.
    code = """
import numpy as np, numjit
@numjit.njit(parallel=True)
def total(n):
    s = 0.0
    for i in numjit.prange(n):
        s += i
    return s
assert total(10**6) == sum(range(10**6))
small = np.ones(2**23)   # 64 MiB: within the limit
try:
    big = np.ones(2**27)  # 1 GiB: past it
except MemoryError:
    print("memory error")
"""
    limited = _under_worker_limit(0.5, code, tmp_path)
    assert limited.returncode == 0, limited.stderr
    assert limited.stdout.strip() == "memory error"
    roomy = _under_worker_limit(4, code, tmp_path)
    assert roomy.returncode == 0 and roomy.stdout.strip() == "", roomy.stderr


def test_a_reference_out_of_memory_is_skipped_not_failed():
    from tests.fuzz import oracle

    class Case:
        expect = "run"
        note = ""
        family = "array"

    verdict = oracle.classify(Case(), oracle.Outcome(error=MemoryError()), oracle.Outcome(error=MemoryError()),
                              [], [], False)
    assert verdict[0] == "skipped-memory"
    assert "skipped-memory" in oracle.PASSES
    # Compiled code that runs out where the reference did not is still a failure.
    verdict = oracle.classify(Case(), oracle.Outcome(error=MemoryError()), oracle.Outcome(value=1.0), [], [], False)
    assert verdict[0] not in oracle.PASSES
