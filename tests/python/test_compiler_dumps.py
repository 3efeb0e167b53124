"""NUMJIT_DUMP prints each compiler stage, and NUMJIT_DEBUG=verify checks the HIR.

Each test runs a small program in a fresh process (the settings are read at
import) and reads what the compiler printed to stderr.
"""
import os
import subprocess
import sys
import textwrap

PROGRAM = textwrap.dedent("""
    import numpy as np
    import numjit

    @numjit.njit(parallel=True)
    def total(a):
        s = 0.0
        for i in numjit.prange(a.shape[0]):
            s += a[i] / 2.0
        d = dict()
        d[1] = s
        return d[1]

    a = np.arange(10.0)
    assert total(a) == total.py_func(a)
    print("ran")
""")


def run(tmp_path, **env):
    script = tmp_path / "program.py"
    script.write_text(PROGRAM)
    full_env = dict(os.environ, **env)
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=full_env, timeout=300)


def test_hir_types_and_plans_are_printed(tmp_path):
    result = run(tmp_path, NUMJIT_DUMP="hir,types,plans")
    assert result.returncode == 0, result.stderr
    assert "ran" in result.stdout
    err = result.stderr
    # The tree as read, after desugaring: dict() is already the display {}.
    as_read = err[err.index("HIR of total:"):err.index("total (array(float64, 1d, C))")]
    assert "Dict" in as_read and "Global dict" not in as_read
    assert "For  (line" in as_read and "Global prange" in as_read
    # The typed tree names each expression's type and what a call resolved to.
    typed = err[err.index("total (array(float64, 1d, C))"):]
    assert "Binary  : float64" in typed
    assert "-> library row" in typed
    # The analyses' decisions, before any IR.
    assert "plans of total:" in err
    assert "prange loop runs in parallel; s is a sum reduction" in err


def test_llvm_is_printed_when_asked(tmp_path):
    result = run(tmp_path, NUMJIT_DUMP="llvm")
    assert result.returncode == 0, result.stderr
    assert "define" in result.stderr and "numjit_rt_parallel_for" in result.stderr
    assert "plans of" not in result.stderr


def test_timings_name_each_stage_once_per_compile(tmp_path):
    result = run(tmp_path, NUMJIT_DUMP="timings")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("numjit timings: ")]
    stages = [line[len("numjit timings: "):line.rindex(" ", 0, line.rindex(" "))] for line in lines]
    # total() is one compile; the stages come in pipeline order.
    assert stages == ["read and typed", "planned", "lowered to LLVM IR", "verified", "optimized",
                      "machine code linked"]
    for line in lines:
        assert line.endswith(" ms") and float(line.split()[-2]) >= 0
    assert "define" not in result.stderr


def test_llvm_options_reach_llvm(tmp_path):
    result = run(tmp_path, NUMJIT_LLVM_OPTIONS="-print-after-all")
    assert result.returncode == 0, result.stderr
    assert "ran" in result.stdout
    assert "IR Dump After" in result.stderr


def test_an_unknown_llvm_option_is_reported_and_the_program_goes_on(tmp_path):
    result = run(tmp_path, NUMJIT_LLVM_OPTIONS="-no-such-llvm-option")
    assert result.returncode == 0, result.stderr
    assert "ran" in result.stdout
    assert "NUMJIT_LLVM_OPTIONS" in result.stderr and "no-such-llvm-option" in result.stderr


def test_verify_runs_quietly_on_good_trees(tmp_path):
    result = run(tmp_path, NUMJIT_DEBUG="verify")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ran"
    assert result.stderr == ""
