"""The seed's sum_numba split across `mpirun -n 2` ranks, started by the test."""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import pytest

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "mpi_seed.py"


def mpirun(ranks, *args):
    command = [shutil.which("mpirun") or "mpirun"]
    if os.geteuid() == 0:
        command.append("--allow-run-as-root")
    command += ["--oversubscribe", "-n", str(ranks), sys.executable, str(EXAMPLE), "--json", *args]
    # Variables a singleton MPI in this process may have set would confuse mpirun.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_", "PMIX_", "OPAL_"))}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_mpi_is_installed_by_the_build():
    assert shutil.which("mpirun"), "make build installs openmpi-bin"
    # Asked in a child: initializing MPI here would leave this process a singleton MPI job.
    version = subprocess.run([sys.executable, "-c", "from mpi4py import MPI; print(MPI.Get_library_version())"],
                             capture_output=True, text=True, timeout=120)
    assert "Open MPI" in version.stdout, version.stderr


@pytest.mark.parametrize("ntot", [100_000, 2**21])
def test_ranks_split_the_seed_sum_and_agree_with_one_process(ntot):
    two = mpirun(2, "--ntot", str(ntot), "--repeat", "2")
    assert two["ranks"] == 2 and len(two["first_call_seconds"]) == 2
    assert two["total"] == two["single_process_same_split"]  # the same shares, added in another order: equal
    assert two["total"] == pytest.approx(two["single_process"], rel=1e-11)
    one = mpirun(1, "--ntot", str(ntot), "--repeat", "1")
    assert one["total"] == one["single_process"]
    assert one["rows"] == two["rows"] and one["elements"] == two["elements"]


def test_the_ranks_compute_what_plain_python_computes():
    # A small problem, checked against the uncompiled function of the same script.
    import mpi4py

    mpi4py.rc.initialize = mpi4py.rc.finalize = False  # importing the script must not start MPI here
    sys.path.insert(0, str(EXAMPLE.parent))
    try:
        import mpi_seed
    finally:
        sys.path.pop(0)
    X, jind = mpi_seed.ragged_rows(20_000, seed=2024)
    expected = mpi_seed.sum_numba.py_func(X, jind)
    two = mpirun(2, "--ntot", "20000", "--repeat", "1")
    assert two["total"] == pytest.approx(expected, rel=1e-12)
    assert np.isfinite(two["seconds"]) and two["rows_per_second"] > 0
