"""CUDA kernels without a GPU: numjit's CPU kernels, Numba's CUDA simulator
(NUMBA_ENABLE_CUDASIM=1, in a child process) and numjit's own @njit loop or
NumPy, on the same data.

    python benchmarks/cuda_cpu.py               # axpy over 2**16 threads, block reduction of 2**20
    python benchmarks/cuda_cpu.py --simulator   # also Numba's simulator on the reduction (minutes)
    python benchmarks/cuda_cpu.py --no-simulator

Kernels (one source text, compiled by numjit or run by Numba's simulator):

  axpy              r[i] = a * x[i] + y[i], one thread per element, 256 per block
  block reduction   each block of 128 threads sums its slice in shared memory
                    (a tree of cuda.syncthreads() steps); the block sums are
                    then added with NumPy

Times are the best of several calls after a first one that compiles; the
simulator's is one call (it interprets every thread in Python).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import best_of, fmt_time  # noqa: E402

SOURCE = '''
import numpy as np
from numba import cuda, float64

TPB = 128


@cuda.jit
def axpy(r, a, x, y):
    i = cuda.grid(1)
    if i < r.size:
        r[i] = a * x[i] + y[i]


@cuda.jit
def block_sums(x, out):
    sm = cuda.shared.array(TPB, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    s = TPB // 2
    while s > 0:
        if tid < s:
            sm[tid] += sm[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid == 0:
        out[cuda.blockIdx.x] = sm[0]
'''


def load(backend):
    """The kernels compiled by `backend` ('numjit': numba is numjit; 'numba': the real one)."""
    import types

    module = types.ModuleType(f"cuda_kernels_{backend}")
    if backend == "numjit":
        import numjit

        sys.modules["numba"] = numjit  # the source says `from numba import cuda`
        sys.modules["numba.cuda"] = numjit.cuda
    # numjit compiles from source: the kernels get a file of their own.
    path = os.path.join(tempfile.gettempdir(), f"numjit_cuda_kernels_{backend}_{os.getpid()}.py")
    with open(path, "w") as f:
        f.write(SOURCE)
    module.__file__ = path
    exec(compile(SOURCE, path, "exec"), module.__dict__)
    return module


def data(n_axpy, n_reduce):
    rng = np.random.default_rng(0)
    return (rng.random(n_axpy), rng.random(n_axpy), rng.random(n_reduce))


def run_kernels(module, n_axpy, n_reduce, repeat):
    x, y, values = data(n_axpy, n_reduce)
    r = np.zeros(n_axpy)
    blocks = -(-n_reduce // 128)
    out = np.zeros(blocks)
    axpy = lambda: module.axpy[-(-n_axpy // 256), 256](r, 2.0, x, y)  # noqa: E731
    reduce = lambda: module.block_sums[blocks, 128](values, out)  # noqa: E731
    times = {}
    for name, call, check in [("axpy", axpy, lambda: np.allclose(r, 2.0 * x + y)),
                              ("block reduction", reduce, lambda: np.isclose(out.sum(), values.sum()))]:
        if call is reduce and n_reduce == 0:
            continue
        call()
        times[name] = best_of(call, repeat) if repeat > 1 else _once(call)
        if not check():
            raise SystemExit(f"{name}: the kernel's result is wrong")
    return times


def _once(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def simulator(n_axpy, n_reduce):
    """Numba's simulator in a child process (it must be enabled before numba is imported)."""
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    code = (f"import sys, json; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); "
            f"import cuda_cpu as b; print(json.dumps(b.run_kernels(b.load('numba'), {n_axpy}, {n_reduce}, 1)))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def njit_references(n_axpy, n_reduce, repeat):
    import numjit

    @numjit.njit
    def axpy_loop(r, a, x, y):
        for i in range(r.size):
            r[i] = a * x[i] + y[i]

    @numjit.njit
    def sum_loop(x):
        s = 0.0
        for v in x:
            s += v
        return s

    x, y, values = data(n_axpy, n_reduce)
    r = np.zeros(n_axpy)
    axpy_loop(r, 2.0, x, y)
    sum_loop(values)
    return {"axpy": best_of(lambda: axpy_loop(r, 2.0, x, y), repeat),
            "block reduction": best_of(lambda: sum_loop(values), repeat),
            "numpy axpy": best_of(lambda: np.add(2.0 * x, y, out=r), repeat),
            "numpy sum": best_of(lambda: values.sum(), repeat)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--simulator", action="store_true", help="run Numba's simulator on the reduction too")
    parser.add_argument("--no-simulator", action="store_true", help="skip Numba's simulator")
    args = parser.parse_args()
    n_axpy, n_reduce = 2 ** 16, 2 ** 20
    mine = run_kernels(load("numjit"), n_axpy, n_reduce, args.repeat)
    loops = njit_references(n_axpy, n_reduce, args.repeat)
    sim = {} if args.no_simulator else simulator(n_axpy, n_reduce if args.simulator else 0)
    print(f"CUDA kernels on the CPU ({os.cpu_count()} cores): axpy over {n_axpy} threads, "
          f"block reduction of {n_reduce} float64")
    print(f"{'kernel':16s} | {'numjit kernel':>13s} | {'Numba simulator':>15s} | {'numjit @njit loop':>17s} | "
          f"{'NumPy':>9s} | kernel / loop")
    for name, numpy_name in [("axpy", "numpy axpy"), ("block reduction", "numpy sum")]:
        simulated = sim.get(name)
        sim_text = fmt_time(simulated) if isinstance(simulated, float) else sim.get("error", "not run")[:15]
        print(f"{name:16s} | {fmt_time(mine[name]):>13s} | {sim_text:>15s} | {fmt_time(loops[name]):>17s} | "
              f"{fmt_time(loops[numpy_name]):>9s} | {mine[name] / loops[name]:.2f}")


if __name__ == "__main__":
    main()
