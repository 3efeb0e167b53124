"""cuda.compile_ptx: kernels as PTX for sm_90 through LLVM's NVPTX back end,
each checked by the CUDA toolkit's ptxas (which must accept it) and for the
instructions its constructs need (bar.sync for cuda.syncthreads(), atom for
atomics, the special registers for the thread's position, shared memory);
the math module through libdevice; device functions inlined; and the
errors: a non-void signature, constructs the GPU has no form of yet; device
functions compiled for the GPU (local arrays, barriers)."""
import math
import os
import subprocess

import numpy as np
import pytest

from numjit import cuda, float32, float64, int64
from numjit.errors import TypingError, UnsupportedError

PTXAS = os.path.join(os.environ.get("CUDA_HOME", "/usr/local/cuda"), "bin", "ptxas")


def assemble(ptx, tmp_path, arch="sm_90"):
    """Runs ptxas on the PTX; fails the test with its messages if it refuses."""
    source = tmp_path / "kernel.ptx"
    source.write_text(ptx)
    done = subprocess.run([PTXAS, "--gpu-name", arch, str(source), "-o", str(tmp_path / "kernel.cubin")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "kernel.cubin").stat().st_size > 0


def axpy(r, a, x, y):
    i = cuda.grid(1)
    if i < r.size:
        r[i] = a * x[i] + y[i]


@pytest.mark.parametrize("dtype", ["float64", "float32", "int32", "int64"])
@pytest.mark.parametrize("layout", ["[:]", "[::1]"])
def test_axpy_assembles(dtype, layout, tmp_path):
    array = f"{dtype}{layout}"
    ptx, resty = cuda.compile_ptx(axpy, f"void({array}, {dtype}, {array}, {array})")
    assert ".entry axpy(" in ptx and ".target sm_90" in ptx
    assert "%tid.x" in ptx and "%ctaid.x" in ptx and "%ntid.x" in ptx
    assert str(resty) == "none"
    assemble(ptx, tmp_path)


TPB = 128


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


def test_a_shared_memory_reduction_has_barriers(tmp_path):
    ptx, _ = cuda.compile_ptx(block_sums, "void(float64[::1], float64[::1])")
    assert "bar.sync" in ptx and ".shared" in ptx
    assemble(ptx, tmp_path)


def histogram(x, counts):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.add(counts, int(x[i] * counts.size), 1)
        cuda.atomic.max(counts, 0, 0)


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint32", "uint64", "float32", "float64"])
def test_atomics_assemble(dtype, tmp_path):
    ptx, _ = cuda.compile_ptx(histogram, f"void(float64[:], {dtype}[:])")
    assert "atom." in ptx
    assemble(ptx, tmp_path)


def ragged_arctan(X, jind, s):
    i = cuda.grid(1)
    if i < jind.shape[0] - 1:
        row = 0.0
        for j in range(jind[i], jind[i + 1]):
            row += math.atan(X[j] * i * j) + np.exp(-X[j])
        cuda.atomic.add(s, 0, row)


def test_math_goes_through_libdevice(tmp_path):
    ptx, _ = cuda.compile_ptx(ragged_arctan, "void(float64[:], int64[:], float64[:])")
    # libdevice's functions are linked in (defined, none left external) and inlined where called.
    assert ".func  (.param .b64 func_retval0) __nv_atan(" in ptx and ".extern" not in ptx
    assert "call" not in ptx.split(".entry")[1]
    assemble(ptx, tmp_path)


@cuda.jit(device=True)
def scaled(v, k):
    return v * k + cuda.threadIdx.y


def grid2d(out, k):
    x, y = cuda.grid(2)
    if x < out.shape[0] and y < out.shape[1]:
        out[x, y] = scaled(x + y, k)


@pytest.mark.parametrize("cc", [(9, 0), (8, 0), (7, 5)])
def test_device_functions_and_two_dimensions(cc, tmp_path):
    ptx, _ = cuda.compile_ptx(grid2d, "void(float32[:, :], float32)", cc=cc)
    arch = f"sm_{cc[0]}{cc[1]}"
    assert f".target {arch}" in ptx and "%tid.y" in ptx
    assert "call" not in ptx.split(".entry")[1]  # the device function is inlined
    assemble(ptx, tmp_path, arch)


def test_a_non_void_signature_is_refused():
    with pytest.raises(TypeError, match="void"):
        cuda.compile_ptx(axpy, "float64(float64[:], float64, float64[:], float64[:])")


def local_scratch(x, out, k):
    i = cuda.grid(1)
    if i < x.size:
        scratch = cuda.local.array(8, float64)
        table = cuda.local.array((2, 3), np.int32)
        for j in range(8):
            scratch[j] = x[i] * j
        for a in range(2):
            for b in range(3):
                table[a, b] = a * 3 + b
        out[i] = scratch[k % 8] + table[k % 2, k % 3]  # indices known only at run time: real local memory


@pytest.mark.parametrize("arch", ["sm_80", "sm_90"])
def test_local_arrays_live_on_the_threads_stack(tmp_path, arch):
    ptx, _ = cuda.compile_ptx(local_scratch, "void(float64[:], float64[:], int64)", cc=(int(arch[3]), 0))
    assert ".local" in ptx  # a stack frame of the thread's own
    assemble(ptx, tmp_path, arch)


def test_a_local_array_needs_a_constant_shape_on_the_gpu():
    def kernel(out, n):
        scratch = cuda.local.array(n, float64)
        scratch[0] = 1.0
        out[0] = scratch[0]

    with pytest.raises(TypingError, match="known when compiling") as info:
        cuda.compile_ptx(kernel, "void(float64[:], int64)")
    assert "test_cuda_ptx.py:" in str(info.value) and "^" in str(info.value)


@cuda.jit(device=True)
def checked_root(v):
    if v < 0:
        raise ValueError("negative input", -1)
    return math.sqrt(v)


def raising_kernel(x, out):
    i = cuda.grid(1)
    assert i >= 0, "a negative index"
    if i < x.size:
        out[i] = checked_root(x[i])


def test_raise_and_assert_set_the_error_flag_and_exit_on_the_gpu(tmp_path):
    ptx, _ = cuda.compile_ptx(raising_kernel, "void(float64[:], float64[:])")
    assert ".visible .global .align 4 .u32 numjit_gpu_error;" in ptx  # read by the launch (cuModuleGetGlobal)
    assert "atom.global.cas.b32" in ptx and "exit;" in ptx  # the first code is kept; the thread stops
    assemble(ptx, tmp_path)


def test_a_kernel_that_cannot_raise_has_no_error_flag():
    ptx, _ = cuda.compile_ptx(axpy, "void(float64[:], float64, float64[:], float64[:])")
    assert "numjit_gpu_error" not in ptx


def kernel_catching(a, out):
    i = cuda.grid(1)
    if i < a.size:
        try:
            if a[i] == 0:
                raise ValueError("zero")
            out[i] = 10 // a[i]
        except ValueError:
            out[i] = -1


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_a_kernel_run_on_the_cpu_catches_as_python_does(dtype):
    a = np.array([1, 0, 3, 0, -4], dtype=dtype)
    expected = np.array([10 // v if v else -1 for v in a.tolist()])
    out = np.zeros(5, np.int64)
    cuda.jit(kernel_catching)[1, 8](a, out)
    np.testing.assert_array_equal(out, expected)


def test_the_cpu_raises_the_same_exception():
    with pytest.raises(ValueError, match="negative input"):
        cuda.jit(raising_kernel)[1, 4](np.array([1.0, -4.0]), np.zeros(2))


@pytest.mark.parametrize("body, words", [
    ("raise ValueError(str(out[0]))", "must be constants"),
    ("raise ValueError('bad', key=1)", "must be constants"),
    ("raise", "without re-raising"),
    ("raise ValueError('bad') from None", "without re-raising"),
    ("raise out", "exception class known"),
    ("try:\n            out[0] = 2.0\n        except ValueError:\n            pass", "try statements are not supported"),
])
def test_what_the_gpu_cannot_raise_is_refused_with_its_place(body, words, tmp_path):
    source = tmp_path / "gpu_raise_case.py"
    source.write_text(f"from numjit import cuda\n\n\ndef kernel(out):\n    if out.size == 0:\n        {body}\n"
                      "    out[0] = 1.0\n")
    namespace = {}
    exec(compile(source.read_text(), str(source), "exec"), namespace)
    with pytest.raises(UnsupportedError, match=words) as info:
        cuda.compile_ptx(namespace["kernel"], "void(float64[:])")
    assert "gpu_raise_case.py:6" in str(info.value) and "^" in str(info.value)


def test_what_the_gpu_lacks_is_named_with_the_kernel():
    def kernel(out):
        items = [1.0, 2.0]
        items.append(out[0])
        out[0] = items[2]

    with pytest.raises(UnsupportedError, match="no GPU form") as info:
        cuda.compile_ptx(kernel, "void(float64[:])")
    assert "in kernel (" in str(info.value) and "test_cuda_ptx.py:" in str(info.value)


# ---------------------------------------------------------------- device functions compiled for the GPU

@cuda.jit(device=True)
def scratch_sum(x, i):
    scratch = cuda.local.array(4, float64)
    for k in range(4):
        scratch[k] = x[i] * k
    return scratch[i % 4] + scratch[3]


@cuda.jit(device=True)
def rotate_in_shared(sm, tid):
    v = sm[(tid + 1) % cuda.blockDim.x]
    cuda.syncthreads()
    sm[tid] = v
    cuda.syncthreads()
    return sm[0]


@cuda.jit
def uses_device_local_array(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = scratch_sum(x, i)


@cuda.jit
def uses_device_barrier(x, out):
    sm = cuda.shared.array(128, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sm[tid] = x[i] if i < x.size else 0.0
    cuda.syncthreads()
    first = rotate_in_shared(sm, tid)
    if i < x.size:
        out[i] = sm[tid] + first


def test_a_device_functions_local_array_is_on_the_gpu_stack(tmp_path):
    # The device function compiles for the GPU too: its local array is the
    # thread's stack, not an allocation numjit's GPU code has no form of.
    ptx, _ = cuda.compile_ptx(uses_device_local_array, "void(float64[:], float64[:])")
    assert "meminfo" not in ptx
    assemble(ptx, tmp_path)
    x, out = np.arange(6.0), np.zeros(6)
    uses_device_local_array[1, 8](x, out)  # and on the CPU, a NumPy array
    np.testing.assert_array_equal(out, x * (np.arange(6) % 4) + x * 3)


def test_a_barrier_in_a_device_function_is_a_bar_sync_on_the_gpu(tmp_path):
    ptx, _ = cuda.compile_ptx(uses_device_barrier, "void(float64[:], float64[:])")
    assert ptx.count("bar.sync") >= 3  # the kernel's and the device function's two
    assemble(ptx, tmp_path)


def test_compile_ptx_takes_a_kernel_object():
    from_kernel, _ = cuda.compile_ptx(uses_device_local_array, "void(float64[:], float64[:])")
    from_function, _ = cuda.compile_ptx(uses_device_local_array.py_func, "void(float64[:], float64[:])")
    assert from_kernel == from_function


@cuda.jit
def reshaped_rows(x, out, rows):
    i = cuda.grid(1)
    table = x.reshape((rows, 2))  # a size the arguments decide: checked when the kernel runs
    if i < rows:
        out[i] = table[i, 0] + table[i, 1]


def test_numjits_own_checks_become_gpu_error_codes(tmp_path):
    # A check optimization cannot remove is no longer a call of numjit's
    # runtime (which the GPU lacks): it stores its own negative code in the
    # error flag, and a comment line of the PTX tells the launch what it means.
    from numjit.cuda import gpu_exceptions

    ptx, _ = cuda.compile_ptx(reshaped_rows, "void(float64[::1], float64[:], int64)")
    assemble(ptx, tmp_path)
    assert "numjit_rt_raise" not in ptx and gpu_exceptions.FLAG in ptx and "exit;" in ptx
    with pytest.raises(ValueError) as on_the_cpu:
        reshaped_rows[1, 8](np.arange(8.0), np.zeros(4), 3)
    assert gpu_exceptions.checks_in(ptx) == {-1: ("ValueError", str(on_the_cpu.value))}


@cuda.jit(device=True)
def previous_or(sm, t, value):
    left = sm[t - 1] if t > 0 else value
    cuda.syncthreads()
    sm[t] = left
    return left


@cuda.jit
def device_call_in_a_condition(x, out, acc):
    # Found by the cuda fuzz family: the shared array's size checks were kept
    # here and made compile_ptx fail ("numjit_rt_raise has no GPU form").
    sm = cuda.shared.array(64, int64)
    t = cuda.threadIdx.x
    a = t % 1000
    if previous_or(sm, t, -4) > a:
        a = (a + 1) % 1000
    out[t] = a


def test_a_kernel_whose_shared_array_checks_are_kept_assembles(tmp_path):
    ptx, _ = cuda.compile_ptx(device_call_in_a_condition, "void(int64[:], int64[:], int64[:])")
    assemble(ptx, tmp_path)
    assert "numjit_rt_raise" not in ptx
