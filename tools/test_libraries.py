"""`make test-libraries`: libraries built on Numba, judged by their own test suites.

For each pinned library (stumpy, numbagg, quantecon) this downloads its
source release (the tests ship there, not in the wheels), installs the
libraries its tests import into build/libraries/site (NumPy, SciPy and Numba
come from the project's venv), and runs a chosen set of its test modules
twice: on Numba, and on numjit through `python -m numjit.as_numba -m pytest`.
It prints passed / failed / skipped and the wall time of each run, and
exits non-zero when numjit passes fewer than 95% of the tests Numba passes.

Not part of `make test`: it needs PyPI and takes minutes.
"""
import os
import re
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "libraries"
SITE = WORK / "site"
PYTHON = sys.executable

#: The libraries, pinned, and the test modules of each that run here.
LIBRARIES = {
    "stumpy==1.14.1": ["tests/test_core.py", "tests/test_stump.py"],
    "numbagg==0.9.6": ["numbagg/test/test_funcs.py", "numbagg/test/test_moving.py", "numbagg/test/test_grouped.py",
                       "numbagg/test/test_moving_exp.py", "numbagg/test/test_matrix_functions.py"],
    "quantecon==0.11.4": ["quantecon/markov/tests/test_core.py", "quantecon/markov/tests/test_gth_solve.py",
                          "quantecon/game_theory/tests/test_normal_form_game.py",
                          "quantecon/game_theory/tests/test_support_enumeration.py",
                          "quantecon/game_theory/tests/test_lemke_howson.py",
                          "quantecon/optimize/tests/test_root_finding.py",
                          "quantecon/optimize/tests/test_nelder_mead.py",
                          "quantecon/optimize/tests/test_scalar_max.py",
                          "quantecon/optimize/tests/test_linprog_simplex.py",
                          "quantecon/optimize/tests/test_lcp_lemke.py", "quantecon/optimize/tests/test_pivoting.py"],
}

#: What those tests import beyond the venv, pinned (installed without their dependencies).
TEST_DEPENDENCIES = ["pandas==3.1.1", "python-dateutil==4.0.0", "tzdata==2026.6", "polars==2.1.0",
                     "polars-runtime-32==2.1.0", "bottleneck==1.6.1", "tabulate==0.10.0", "pytest-benchmark==5.3.1",
                     "py-cpuinfo==9.0.0"]

SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|error|errors|xfailed|xpassed)")


def pip(*args):
    subprocess.run([PYTHON, "-m", "pip", "-q", *args], check=True)


def prepare():
    """The sources of each library, and the test dependencies, under build/libraries."""
    WORK.mkdir(parents=True, exist_ok=True)
    if not SITE.exists():
        pip("install", "--no-deps", "--target", str(SITE), *TEST_DEPENDENCIES)
    sources = {}
    for pinned in LIBRARIES:
        name, version = pinned.split("==")
        folder = WORK / f"{name}-{version}"
        if not folder.exists():
            pip("download", "--no-deps", "--no-binary", ":all:", "-d", str(WORK), pinned)
            archive = next(WORK.glob(f"{name}-{version}.tar.gz"))
            with tarfile.open(archive) as tar:
                tar.extractall(WORK, filter="data")
        sources[pinned] = folder
    return sources


def run(folder, modules, on_numjit):
    """(counts by outcome, seconds) of one pytest run over `modules` in `folder`."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(folder), str(ROOT / "python"), str(SITE)]))
    env.pop("NUMJIT_DEBUG", None)
    launcher = [PYTHON, "-m", "numjit.as_numba", "-m", "pytest"] if on_numjit else [PYTHON, "-m", "pytest"]
    start = time.perf_counter()
    done = subprocess.run([*launcher, "-q", "-p", "no:cacheprovider", *modules], cwd=folder, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    counts = {outcome.rstrip("s") if outcome == "errors" else outcome: int(n) for n, outcome in SUMMARY.findall(last)}
    return counts, seconds, last


def main():
    sources = prepare()
    rows, short = [], []
    for pinned, modules in LIBRARIES.items():
        numba_counts, numba_seconds, _ = run(sources[pinned], modules, on_numjit=False)
        numjit_counts, numjit_seconds, numjit_line = run(sources[pinned], modules, on_numjit=True)
        rows.append((pinned, numba_counts, numba_seconds, numjit_counts, numjit_seconds))
        if numjit_counts.get("passed", 0) < 0.95 * numba_counts.get("passed", 0):
            short.append(f"{pinned}: {numjit_line}")
    print(f"{'library':<20} {'Numba passed/failed/skipped':>28} {'time':>8}   "
          f"{'numjit passed/failed/skipped':>28} {'time':>8}   numjit/Numba passed")
    for pinned, nb, nb_s, nj, nj_s in rows:
        def cell(c):
            return f"{c.get('passed', 0)}/{c.get('failed', 0) + c.get('error', 0)}/{c.get('skipped', 0)}"
        ratio = nj.get("passed", 0) / max(nb.get("passed", 0), 1)
        print(f"{pinned:<20} {cell(nb):>28} {nb_s:7.1f}s   {cell(nj):>28} {nj_s:7.1f}s   {ratio:.1%}")
    if short:
        print("\nbelow 95% of Numba's passes:\n  " + "\n  ".join(short))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
