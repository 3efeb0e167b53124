# The seed tutorial's ragged arctan sum (tutorial.md, sum_numba) as a CUDA
# kernel written for Numba: one thread per row adds up its row, and the row
# sums meet in one atomic addition. Without a GPU, numjit runs the kernel on
# the CPU at compiled speed (Numba's simulator interprets it in Python).
# Run it as a script from any directory: python examples/cuda_seed.py
# (NUMJIT_EXAMPLE_NTOT sets the total size, default 2**24).
import os
import time

import numpy as np

import numjit as numba
from numjit import cuda

Ntot = int(os.environ.get('NUMJIT_EXAMPLE_NTOT', 2**24))
Mmin, Mavg = 100, 10000
N = Ntot // Mavg
M = (Mmin + 2 * (Mavg - Mmin) * np.random.rand(N)).astype(int)
jind = np.insert(np.cumsum(M), 0, 0)
X = np.random.rand(jind[-1])


@cuda.jit
def row_sums(X, jind, s):
    i = cuda.grid(1)
    if i < jind.shape[0] - 1:
        row = 0.0
        for j in range(jind[i], jind[i + 1]):
            row += np.arctan(X[j] * i * j)
        cuda.atomic.add(s, 0, row)


@numba.njit
def sum_numba(X, jind):
    N = jind.shape[0] - 1
    s = 0
    for i in range(N):
        for j in range(jind[i], jind[i+1]):
            s += np.arctan(X[j] * i * j)
    return s


threads = 128
blocks = (N + threads - 1) // threads
d_X, d_jind = cuda.to_device(X), cuda.to_device(jind)
d_s = cuda.to_device(np.zeros(1))
row_sums[blocks, threads](d_X, d_jind, d_s)  # compiles
sum_numba(X, jind)  # compiles
d_s.copy_to_device(np.zeros(1))
for name, run in [("cuda kernel", lambda: row_sums[blocks, threads](d_X, d_jind, d_s)),
                  ("@njit loop", lambda: sum_numba(X, jind))]:
    start = time.perf_counter()
    run()
    print(f"{name:12s} {1e3 * (time.perf_counter() - start):8.2f} ms")
kernel_sum, loop_sum = d_s.copy_to_host()[0], sum_numba(X, jind)
print(f"sums: kernel {kernel_sum:.10g}, loop {loop_sum:.10g}")
assert np.isclose(kernel_sum, loop_sum, rtol=1e-9)
