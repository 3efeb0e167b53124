"""The seed's ragged sum on 1 and 2 MPI ranks and 1 and 2 Dask workers, numjit
beside Numba, on the same data (examples/mpi_seed.py, examples/dask_seed.py).

    python benchmarks/beyond_one_node.py                 # 2**24 elements
    python benchmarks/beyond_one_node.py --ntot 67108864

Each example runs unchanged; for the Numba column a small launcher binds
`numjit` to the real Numba before running it, so the code is identical.
Rows per second are the best of --repeat runs inside each example; the
first-call column is a worker's or rank's first call, compile included.
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"
LAUNCHER = ("import runpy, sys\n"
            "if sys.argv[1] == 'numba':\n"
            "    import numba; sys.modules['numjit'] = numba\n"
            "script = sys.argv[2]; sys.argv = sys.argv[2:]\n"
            "runpy.run_path(script, run_name='__main__')\n")


def run(command):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_", "PMIX_"))}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ntot", type=int, default=2**24)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    common = ["--ntot", str(args.ntot), "--repeat", str(args.repeat), "--json"]
    mpirun = [shutil.which("mpirun") or "mpirun"] + (["--allow-run-as-root"] if os.geteuid() == 0 else [])
    rows = []
    for backend in ("numjit", "numba"):
        launch = [sys.executable, "-c", LAUNCHER, backend]
        for ranks in (1, 2):
            report = run(mpirun + ["--oversubscribe", "-n", str(ranks)] + launch + [str(EXAMPLES / "mpi_seed.py")]
                         + common)
            rows.append((backend, f"MPI, {ranks} rank(s)", report, "first_call_seconds"))
        for workers in (1, 2):
            report = run(launch + [str(EXAMPLES / "dask_seed.py"), "--workers", str(workers)] + common)
            rows.append((backend, f"Dask, {workers} worker(s)", report, "worker_first_call_seconds"))
    print(f"| backend | where | rows/s | best run | first call (max) |")
    print("|---|---|---|---|---|")
    for backend, where, report, first_key in rows:
        if "error" in report:
            print(f"| {backend} | {where} | failed: {report['error'][:60]} | | |")
            continue
        print(f"| {backend} | {where} | {report['rows_per_second']:,.0f} | {report['seconds'] * 1e3:.1f} ms | "
              f"{max(report[first_key]) * 1e3:.0f} ms |")


if __name__ == "__main__":
    main()
