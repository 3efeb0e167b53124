"""The seed tutorial's ragged sum (``sum_numba``), split across MPI ranks.

    mpirun -n 2 python examples/mpi_seed.py            # 2**24 elements
    mpirun -n 2 python examples/mpi_seed.py --ntot 4194304 --json

Every rank builds the same ragged rows from the same seed, sums its own share
of the rows with a jitted function, and the shares are combined with
``allreduce``. Rank 0 also runs the seed's ``sum_numba`` on all rows in one
process and checks that the answers agree. Each rank compiles for itself, at
the same moment as the others: compiled code lives in each process's memory.
"""
import argparse
import json
import time

import numpy as np
from mpi4py import MPI

import numjit as numba


@numba.njit
def sum_numba(X, jind):
    N = jind.shape[0] - 1
    s = 0
    for i in range(N):
        for j in range(jind[i], jind[i+1]):
            s += np.arctan(X[j] * i * j)
    return s


@numba.njit
def sum_rows(X, jind, first, last):
    """sum_numba over rows first..last-1 only (row and column numbers stay global)."""
    s = 0.0
    for i in range(first, last):
        for j in range(jind[i], jind[i + 1]):
            s += np.arctan(X[j] * i * j)
    return s


def ragged_rows(ntot, seed, mmin=100, mavg=10000):
    """The tutorial's data: rows of random lengths averaging mavg, stored end to end."""
    rng = np.random.RandomState(seed)
    lengths = (mmin + 2 * (mavg - mmin) * rng.rand(ntot // mavg)).astype(np.int64)
    jind = np.insert(np.cumsum(lengths), 0, 0)
    return rng.rand(jind[-1]), jind


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ntot", type=int, default=2**24, help="total number of elements")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (the best is reported)")
    parser.add_argument("--json", action="store_true", help="print one JSON line on rank 0")
    args = parser.parse_args()
    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    X, jind = ragged_rows(args.ntot, seed=2024)
    rows = jind.shape[0] - 1
    first, last = rank * rows // size, (rank + 1) * rows // size

    started = time.perf_counter()
    sum_rows(X, jind, first, last)  # compiles in every rank at once
    first_call = time.perf_counter() - started
    best = float("inf")
    for _ in range(args.repeat):
        comm.Barrier()
        started = time.perf_counter()
        total = comm.allreduce(sum_rows(X, jind, first, last), op=MPI.SUM)
        best = min(best, comm.allreduce(time.perf_counter() - started, op=MPI.MAX))
    first_calls = comm.gather(first_call, root=0)
    if rank == 0:
        single = sum_numba(X, jind)
        # The same shares added in one process: equal to the last bit.
        same_split = sum(sum_rows(X, jind, r * rows // size, (r + 1) * rows // size) for r in range(size))
        report = {"ranks": size, "rows": rows, "elements": int(jind[-1]), "total": total, "single_process": single,
                  "single_process_same_split": same_split,
                  "seconds": best, "rows_per_second": rows / best, "first_call_seconds": first_calls}
        if args.json:
            print(json.dumps(report))
        else:
            print(f"{size} rank(s), {rows} rows: sum {total!r} (one process: {single!r}); "
                  f"{best * 1e3:.1f} ms, {rows / best:,.0f} rows/s; first calls {first_calls}")
        assert total == same_split and abs(total - single) <= 1e-9 * abs(single), "the ranks' sum differs"


if __name__ == "__main__":
    main()
