"""Makes the bundle that tests/gpu/run_checks.py runs on a machine with a GPU.

    .venv/bin/python tests/gpu/make_bundle.py .gpu_bundle

The GPU machines this project is lent run another Python, without a numjit
build and without the network, so everything numjit's compiler does happens
here: each case's kernel is compiled to PTX for sm_90 (ptx.kernel_ptx, as a
GPU launch does), and launched on the CPU on the same inputs for the
expected results. The bundle holds the PTX, the inputs, the expected
outputs and a manifest (launch configuration, shared memory, arguments).
run_checks.py loads numjit's driver and ABI modules alone (they import only
ctypes and NumPy), launches each case on the GPU and compares.
"""
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

from numjit import cuda  # noqa: E402
from numjit import types as nt  # noqa: E402
from numjit.cuda import gpu_exceptions, ptx, rewrite  # noqa: E402

CC = (9, 0)
TPB = 128


@cuda.jit
def positions(out):
    tx, ty, tz = cuda.threadIdx.x, cuda.threadIdx.y, cuda.threadIdx.z
    bx, by, bz = cuda.blockIdx.x, cuda.blockIdx.y, cuda.blockIdx.z
    nx, ny, nz = cuda.blockDim.x, cuda.blockDim.y, cuda.blockDim.z
    gx, gy = cuda.gridDim.x, cuda.gridDim.y
    row = ((bz * gy + by) * gx + bx) * (nx * ny * nz) + (tz * ny + ty) * nx + tx
    g3 = cuda.grid(3)
    s3 = cuda.gridsize(3)
    out[row, 0] = g3[0]
    out[row, 1] = g3[1]
    out[row, 2] = g3[2]
    out[row, 3] = s3[0] * 1000000 + s3[1] * 1000 + s3[2]


@cuda.jit
def axpy(r, a, x, y):
    i = cuda.grid(1)
    if i < r.size:
        r[i] = a * x[i] + y[i]


@cuda.jit
def scale_2d(out, x, factor):
    i, j = cuda.grid(2)
    if i < out.shape[0] and j < out.shape[1]:
        out[i, j] = x[i, j] * factor + i - j


@cuda.jit
def math_functions(x, y, out):
    i = cuda.grid(1)
    if i < x.size:
        v, w = x[i], y[i]
        out[i, 0] = math.sqrt(abs(v))
        out[i, 1] = math.exp(v / 4)
        out[i, 2] = math.sin(v) + math.cos(w)
        out[i, 3] = math.atan2(v, w)
        out[i, 4] = math.floor(v) + math.ceil(w)
        out[i, 5] = math.tanh(v) + math.hypot(v, w)
        out[i, 6] = math.log1p(abs(w)) + math.fabs(v)
        out[i, 7] = math.pow(abs(v), 1.5)


@cuda.jit(device=True)
def clamp(v, lo, hi):
    return min(max(v, lo), hi)


@cuda.jit
def device_functions(x, out):
    i = cuda.grid(1)
    if i < x.size:
        total = 0.0
        for k in range(4):
            total = total * 10 + clamp(x[i] * (k + 1), -2.0, 2.0)
        out[i] = total


@cuda.jit
def local_scratch(x, out, k):
    i = cuda.grid(1)
    if i < x.size:
        scratch = cuda.local.array(8, np.float64)
        table = cuda.local.array((2, 3), np.int32)
        for j in range(8):
            scratch[j] = x[i] * j
        for a in range(2):
            for b in range(3):
                table[a, b] = a * 3 + b
        out[i] = scratch[(k + i) % 8] + table[(k + i) % 2, (k + i) % 3]


@cuda.jit(device=True)
def scratch_sum(v, i):
    scratch = cuda.local.array(4, np.float64)  # on the thread's stack, in a device function too
    for k in range(4):
        scratch[k] = v * k
    return scratch[i % 4] + scratch[3]


@cuda.jit
def device_local_arrays(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = scratch_sum(x[i], i)


@cuda.jit
def block_sums(x, out):
    sm = cuda.shared.array(TPB, np.float64)
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


@cuda.jit(device=True)
def block_reduce(sm, tid):
    stride = 1  # interleaved pairs (block_sums above halves instead)
    while stride < cuda.blockDim.x:
        if tid % (2 * stride) == 0 and tid + stride < cuda.blockDim.x:
            sm[tid] += sm[tid + stride]
        cuda.syncthreads()  # a bar.sync in a device function on the GPU
        stride *= 2
    return sm[0]


@cuda.jit
def device_barrier_sums(x, out):
    sm = cuda.shared.array(TPB, np.float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    total = block_reduce(sm, tid)
    if tid == 0:
        out[cuda.blockIdx.x] = total


@cuda.jit
def lifted_calls_and_views(x, out):
    sm = cuda.shared.array(TPB, np.float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    row = out[cuda.blockIdx.x]  # a view that lives across the barriers (made again per phase on the CPU)
    sm[tid] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    row[tid] = sm[tid] + 2.0 * block_reduce(sm, tid)  # sm[tid] is read before the call, as on the GPU


@cuda.jit(device=True)
def checked_root(v):
    if v < 0:
        raise ValueError("negative input", -1)  # on the GPU: the error flag, then the thread exits
    return math.sqrt(v)


@cuda.jit
def raising_roots(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = checked_root(x[i])


# The cases whose kernel raises: the exception the CPU raised, whose code the GPU's flag must hold.
RAISES = {"raising_roots": (ValueError, ("negative input", -1))}


@cuda.jit
def dynamic_shared(x, out):
    sm = cuda.shared.array(0, np.float32)  # the launch's dynamic shared memory
    own = cuda.shared.array(2, np.float32)  # the kernel's own, before it
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    if tid < sm.size:
        sm[tid] = x[i] if i < x.size else 0.0
    if tid == 0:
        own[0] = 1.0
    if i < x.size:
        out[i] = sm[tid] * 2 + sm.size * 1000


@cuda.jit
def histogram(values, counts):
    i = cuda.grid(1)
    if i < values.size:
        cuda.atomic.add(counts, values[i] % counts.size, 1)


@cuda.jit
def extremes(x, out):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.max(out, 0, x[i])
        cuda.atomic.min(out, 1, x[i])


def _rng(seed):
    return np.random.default_rng(seed)


def cases():
    """(name, kernel, griddim, blockdim, dynamic shared bytes, args, rtol) of each check."""
    r = _rng(1)
    out = []
    for griddim, blockdim in [((3,), (5,)), ((2, 3), (4, 2)), ((2, 1, 3), (3, 2, 2))]:
        g = tuple(griddim) + (1,) * (3 - len(griddim))
        b = tuple(blockdim) + (1,) * (3 - len(blockdim))
        threads = math.prod(g) * math.prod(b)
        out.append((f"positions_{len(griddim)}d", positions, griddim, blockdim, 0,
                    [np.full((threads, 4), -1, np.int64)], 0.0))
    for dtype, rtol in ((np.float64, 1e-15), (np.float32, 1e-6)):
        for n in (1, 1000, 1025):
            x, y = r.standard_normal(n).astype(dtype), r.standard_normal(n).astype(dtype)
            out.append((f"axpy_{np.dtype(dtype).name}_{n}", axpy, -(-n // 256), 256, 0,
                        [np.zeros(n, dtype), dtype(1.5), x, y], rtol))
    x2 = r.standard_normal((33, 70))
    for order in ("C", "F"):
        out.append((f"scale_2d_{order}", scale_2d, (3, 5), (16, 16), 0,
                    [np.zeros((33, 70), order=order), np.asarray(x2, order=order), 0.25], 1e-15))
    out.append(("scale_2d_strided", scale_2d, (3, 5), (16, 16), 0,
                [np.zeros((33, 140))[:, ::2], x2, 0.25], 1e-15))
    for dtype, rtol in ((np.float64, 1e-13), (np.float32, 2e-6)):
        x, y = (r.standard_normal(300) * 3).astype(dtype), (r.standard_normal(300) * 3).astype(dtype)
        out.append((f"math_{np.dtype(dtype).name}", math_functions, 3, 128, 0,
                    [x, y, np.zeros((300, 8), dtype)], rtol))
    out.append(("device_functions", device_functions, 4, 64, 0, [r.standard_normal(250), np.zeros(250)], 1e-15))
    out.append(("local_arrays", local_scratch, 4, 64, 0, [r.standard_normal(250), np.zeros(250), 5], 1e-15))
    out.append(("device_local_arrays", device_local_arrays, 4, 64, 0, [r.standard_normal(250), np.zeros(250)],
                1e-15))
    x = r.standard_normal(10_000)
    out.append(("block_sums", block_sums, -(-10_000 // TPB), TPB, 0, [x, np.zeros(-(-10_000 // TPB))], 0.0))
    out.append(("device_barrier_sums", device_barrier_sums, -(-10_000 // TPB), TPB, 0,
                [x, np.zeros(-(-10_000 // TPB))], 0.0))
    blocks = -(-10_000 // TPB)
    out.append(("lifted_calls_and_views", lifted_calls_and_views, blocks, TPB, 0, [x, np.zeros((blocks, TPB))], 0.0))
    xf = r.standard_normal(1000).astype(np.float32)
    out.append(("dynamic_shared", dynamic_shared, 8, 128, 128 * 4, [xf, np.zeros(1000, np.float32)], 0.0))
    roots_input = np.abs(r.standard_normal(500))
    roots_input[377] = -1.0
    out.append(("raising_roots", raising_roots, 4, 128, 0, [roots_input, np.zeros(500)], 0.0))
    values = r.integers(0, 1000, 100_000).astype(np.int64)
    out.append(("histogram", histogram, -(-100_000 // 256), 256, 0, [values, np.zeros(37, np.int64)], 0.0))
    out.append(("extremes", extremes, 40, 256, 0, [r.standard_normal(10_000), np.array([-np.inf, np.inf])], 0.0))
    return out


def _save(folder, name, array):
    path = f"{name}.npy"
    np.save(os.path.join(folder, path), array)  # C or Fortran order, as the array is
    return path


def _argument(folder, prefix, value):
    if isinstance(value, np.ndarray):
        spec = {"kind": "array", "dtype": value.dtype.str, "shape": list(value.shape),
                "strides": list(value.strides)}
        if value.flags.forc:
            spec.update(file=_save(folder, prefix, value), offset=0)
        else:  # a strided view: its (contiguous) base travels, with the view's place in it
            base = value.base
            spec.update(file=_save(folder, prefix, base),
                        offset=value.__array_interface__["data"][0] - base.__array_interface__["data"][0])
        return spec
    dtype = value.dtype if isinstance(value, np.generic) else \
        np.dtype({bool: np.bool_, int: np.int64, float: np.float64}[type(value)])
    return {"kind": "scalar", "dtype": dtype.str, "value": value.item() if isinstance(value, np.generic) else value}


def make(folder):
    os.makedirs(folder, exist_ok=True)
    manifest = {"cc": list(CC), "cases": [], "benchmarks": {}}
    for name, kernel, griddim, blockdim, dynamic, args, rtol in cases():
        inputs = [a.copy() if isinstance(a, np.ndarray) and a.flags.forc else a for a in args]
        text, thread = ptx.kernel_ptx(kernel.py_func, tuple(nt.typeof(a) for a in inputs), CC)
        with open(os.path.join(folder, f"{name}.ptx"), "w") as f:
            f.write(text)
        specs = [_argument(folder, f"{name}_arg{k}", a) for k, a in enumerate(args)]
        error_code = 0
        if name in RAISES:  # the threads' writes before the raise differ in order: only the code is checked
            cls, exception_args = RAISES[name]
            try:
                kernel[griddim, blockdim, 0, dynamic](*args)
            except cls as exc:
                assert exc.args[0] == exception_args[0], exc
            else:
                raise AssertionError(f"{name} raised nothing on the CPU")
            error_code = gpu_exceptions.code_of(cls, exception_args)
            expected = {}
        else:
            kernel[griddim, blockdim, 0, dynamic](*args)  # the CPU's results are the expected ones
            expected = {str(k): _save(folder, f"{name}_expected{k}", np.ascontiguousarray(a))
                        for k, a in enumerate(args) if isinstance(a, np.ndarray)}
        g = (griddim,) if isinstance(griddim, int) else tuple(griddim)
        b = (blockdim,) if isinstance(blockdim, int) else tuple(blockdim)
        manifest["cases"].append({
            "name": name, "ptx": f"{name}.ptx", "griddim": list(g) + [1] * (3 - len(g)),
            "blockdim": list(b) + [1] * (3 - len(b)),
            "shared_bytes": rewrite.block_shared_bytes(thread.shared_layout, dynamic),
            "args": specs, "expected": expected, "rtol": rtol, "error_code": error_code})
    for name, kernel, types in (("axpy", axpy, "void(float64[::1], float64, float64[::1], float64[::1])"),
                                ("block_sums", block_sums, "void(float64[::1], float64[::1])")):
        text, thread = ptx.kernel_ptx(kernel.py_func, nt.parse_signature(types).args, CC)
        with open(os.path.join(folder, f"bench_{name}.ptx"), "w") as f:
            f.write(text)
        manifest["benchmarks"][name] = {"ptx": f"bench_{name}.ptx",
                                        "shared_bytes": rewrite.block_shared_bytes(thread.shared_layout, 0)}
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


if __name__ == "__main__":
    made = make(sys.argv[1] if len(sys.argv) > 1 else ".gpu_bundle")
    print(f"{len(made['cases'])} cases and {len(made['benchmarks'])} benchmarks")
