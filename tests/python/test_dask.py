"""numjit on Dask clusters started by the tests themselves.

A client script is written to a folder of its own and run as `__main__`; its
jitted functions, closures and ufuncs travel to the workers. The standalone
cluster's scheduler and workers are separate `dask scheduler` / `dask worker`
processes started in another folder, so they never import the script: what
happens under dask-jobqueue or a hand-started cluster.
"""
import json
import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

CLIENT_SCRIPT = '''
import json
import sys

import dask.array as da
import numpy as np
from dask.distributed import Client, LocalCluster

from numjit import njit, prange, vectorize


@njit
def total(x):
    s = 0.0
    for v in x:
        s += v
    return s


@njit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def make_affine(a, b):
    @njit
    def affine(x):
        return a * x + b
    return affine


@njit(parallel=True)
def parallel_norm2(x):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i] * x[i]
    return s


@njit
def smooth_block(block):
    out = np.empty_like(block)
    for i in range(block.shape[0]):
        out[i] = np.sin(block[i]) * 2.0 + i % 3
    return out


@vectorize(["float64(float64, float64)", "int64(int64, int64)"])
def eager_ufunc(x, y):
    return x * 2 - y


@vectorize
def lazy_ufunc(x, y):
    return x * y + 0.5


@vectorize(["float64(float64)"], target="parallel")
def parallel_ufunc(x):
    return np.sqrt(np.abs(x)) + 1.0


def main():
    if sys.argv[1] == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster = None
        client = Client(scheduler_file=sys.argv[2])
    client.wait_for_workers(2, timeout=120)
    arrays = [np.linspace(-1.0, 1.0, n) for n in (1, 17, 1000)]
    affine = make_affine(1.5, -2.0)
    x = np.linspace(-4.0, 4.0, 10_001)
    dx = da.from_array(x, chunks=2_500)
    ix = da.from_array(np.arange(-50, 50), chunks=30)
    out = {
        "workers": len(client.scheduler_info()["workers"]),
        "map_total": client.gather(client.map(total, arrays, pure=False)),
        "submit_total": client.submit(total, x, pure=False).result(),
        "fib": client.gather(client.map(fib, [0, 1, 10, 20])),
        "closure": client.gather(client.map(affine, [0.0, 1.0, -3.5])),
        "parallel": client.submit(parallel_norm2, x).result(),
        "map_blocks": dx.map_blocks(smooth_block, dtype=np.float64).compute().tolist(),
        "eager_ufunc": eager_ufunc(dx, dx[::-1]).compute().tolist(),
        "eager_ufunc_int": eager_ufunc(ix, 3).compute().tolist(),
        "lazy_ufunc": lazy_ufunc(dx, 2.0).compute().tolist(),
        "parallel_ufunc": parallel_ufunc(dx).compute().tolist(),
        "worker_modules": client.run(lambda: sorted(name for name, m in list(sys.modules.items())
                                                    if str(getattr(m, "__file__", "")).endswith("client_job.py"))),
    }
    client.close()
    if cluster is not None:
        cluster.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
'''


def check_results(out):
    x = np.linspace(-4.0, 4.0, 10_001)
    assert out["workers"] == 2
    assert out["map_total"] == [pytest.approx(np.linspace(-1.0, 1.0, n).sum(), abs=1e-12) for n in (1, 17, 1000)]
    assert out["submit_total"] == pytest.approx(x.sum(), abs=1e-9)
    assert out["fib"] == [0, 1, 55, 6765]
    assert out["closure"] == [-2.0, -0.5, 1.5 * -3.5 - 2.0]
    assert out["parallel"] == pytest.approx(np.dot(x, x), rel=1e-12)
    blocks = np.concatenate([np.sin(b) * 2.0 + np.arange(b.shape[0]) % 3 for b in np.split(x[:10_000], 4)]
                            + [np.sin(x[10_000:]) * 2.0])
    np.testing.assert_allclose(out["map_blocks"], blocks, rtol=1e-15, atol=1e-15)
    np.testing.assert_array_equal(out["eager_ufunc"], x * 2 - x[::-1])
    np.testing.assert_array_equal(out["eager_ufunc_int"], np.arange(-50, 50) * 2 - 3)
    np.testing.assert_array_equal(out["lazy_ufunc"], x * 2.0 + 0.5)
    np.testing.assert_allclose(out["parallel_ufunc"], np.sqrt(np.abs(x)) + 1.0, rtol=1e-15)


def run_client(folder, *args):
    (folder / "client_job.py").write_text(CLIENT_SCRIPT)
    done = subprocess.run([sys.executable, "client_job.py", *args], cwd=folder, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_local_cluster_of_worker_processes(tmp_path):
    out = run_client(tmp_path, "local")
    check_results(out)


@pytest.fixture
def standalone_cluster(tmp_path):
    """`dask scheduler` and two `dask worker` processes, in a folder without the client script."""
    home = tmp_path / "cluster"
    home.mkdir()
    scheduler_file = home / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    dask = [sys.executable, "-m", "dask"]
    processes = [subprocess.Popen(dask + ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                          "--scheduler-file", str(scheduler_file)],
                                  cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 120
        while not scheduler_file.exists():
            assert time.monotonic() < deadline, "the dask scheduler did not start"
            assert processes[0].poll() is None, "the dask scheduler exited"
            time.sleep(0.2)
        for _ in range(2):
            processes.append(subprocess.Popen(dask + ["worker", "--scheduler-file", str(scheduler_file),
                                                      "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                                                      "--local-directory", str(home)],
                                              cwd=home, env=env, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL))
        yield scheduler_file
    finally:
        for p in reversed(processes):
            p.terminate()
        for p in reversed(processes):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def test_standalone_scheduler_and_workers_that_never_import_the_script(tmp_path, standalone_cluster):
    client_home = tmp_path / "client"
    client_home.mkdir()
    out = run_client(client_home, "standalone", str(standalone_cluster))
    check_results(out)
    # The workers compiled from the source each pickle carried, not from an import of the script.
    assert all(modules == [] for modules in out["worker_modules"].values())


def test_the_dask_example_agrees_with_one_process(tmp_path):
    example = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "dask_seed.py")
    done = subprocess.run([sys.executable, os.path.abspath(example), "--ntot", "400000", "--blocks", "4",
                           "--repeat", "1", "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-6000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["workers"] == 2 and len(report["worker_first_call_seconds"]) == 2
    assert report["total"] == pytest.approx(report["single_process"], rel=1e-11)
    assert report["ufunc_total"] == pytest.approx(report["ufunc_expected"], rel=1e-12)
