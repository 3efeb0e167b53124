"""The seed tutorial's ragged sum on a Dask cluster.

    python examples/dask_seed.py                        # a LocalCluster of 2 worker processes
    python examples/dask_seed.py --workers 1            # the same with one worker
    python examples/dask_seed.py --scheduler tcp://host:8786   # workers started on their own

The rows are cut into blocks and ``client.map`` sends a jitted function
defined here, in ``__main__``, to the workers. Workers started on their own
(``dask worker``, dask-jobqueue) never import this script: the function
travels by value with its source, and each worker compiles it on first call.
The same holds for the numjit ufunc applied to a dask array at the end.
"""
import argparse
import json
import time

import numpy as np
from dask.distributed import Client, LocalCluster

import numjit as numba


@numba.njit
def sum_numba(X, jind):
    N = jind.shape[0] - 1
    s = 0
    for i in range(N):
        for j in range(jind[i], jind[i+1]):
            s += np.arctan(X[j] * i * j)
    return s


@numba.njit(nogil=True)
def sum_block(X, jind, first):
    """sum_numba over one block of rows: X and jind hold only the block, `first` is its first row."""
    s = 0.0
    for r in range(jind.shape[0] - 1):
        i = first + r
        for j in range(jind[r], jind[r + 1]):
            s += np.arctan(X[j - jind[0]] * i * j)
    return s


@numba.vectorize(["float64(float64)"])
def damped(x):
    return np.arctan(x) * np.exp(-x * x)


def ragged_rows(ntot, seed, mmin=100, mavg=10000):
    """The tutorial's data: rows of random lengths averaging mavg, stored end to end."""
    rng = np.random.RandomState(seed)
    lengths = (mmin + 2 * (mavg - mmin) * rng.rand(ntot // mavg)).astype(np.int64)
    jind = np.insert(np.cumsum(lengths), 0, 0)
    return rng.rand(jind[-1]), jind


def timed_first_call(function, part):
    """Runs on a worker: the first call's time includes compiling there."""
    started = time.perf_counter()
    function(*part)
    return time.perf_counter() - started


def run(client, ntot, blocks, repeat):
    X, jind = ragged_rows(ntot, seed=2024)
    rows = jind.shape[0] - 1
    edges = np.linspace(0, rows, blocks + 1).astype(np.int64)
    parts = [(X[jind[a]:jind[b]], jind[a:b + 1], int(a)) for a, b in zip(edges[:-1], edges[1:])]
    futures = client.scatter(parts)  # the data goes once; each run sends only the function
    first_calls = client.gather([client.submit(timed_first_call, sum_block, part, pure=False, workers=[worker])
                                 for part, worker in zip(futures, client.scheduler_info()["workers"])])
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        total = sum(client.gather(client.map(lambda part: sum_block(*part), futures, pure=False)))
        best = min(best, time.perf_counter() - started)
    import dask.array as da

    grid = np.linspace(-3.0, 3.0, 100_001)
    ufunc_total = float(damped(da.from_array(grid, chunks=25_000)).sum().compute())
    expected_ufunc = float(np.sum(np.arctan(grid) * np.exp(-grid * grid)))
    return {"workers": len(client.scheduler_info()["workers"]), "rows": rows, "elements": int(jind[-1]),
            "total": total, "single_process": sum_numba(X, jind), "seconds": best, "rows_per_second": rows / best,
            "worker_first_call_seconds": first_calls, "ufunc_total": ufunc_total, "ufunc_expected": expected_ufunc}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheduler", help="address of a running scheduler (default: start a LocalCluster)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--ntot", type=int, default=2**24, help="total number of elements")
    parser.add_argument("--blocks", type=int, default=8, help="blocks of rows, one task each")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (the best is reported)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    if args.scheduler:
        client, cluster = Client(args.scheduler), None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    with client:
        client.wait_for_workers(1)
        report = run(client, args.ntot, args.blocks, args.repeat)
    if cluster is not None:
        cluster.close()
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{report['workers']} worker(s), {report['rows']} rows: sum {report['total']!r} "
              f"(one process: {report['single_process']!r}); {report['seconds'] * 1e3:.1f} ms, "
              f"{report['rows_per_second']:,.0f} rows/s; workers' first calls {report['worker_first_call_seconds']}")
    assert abs(report["total"] - report["single_process"]) <= 1e-9 * abs(report["single_process"])
    assert abs(report["ufunc_total"] - report["ufunc_expected"]) <= 1e-9 * (1 + abs(report["ufunc_expected"]))


if __name__ == "__main__":
    main()
