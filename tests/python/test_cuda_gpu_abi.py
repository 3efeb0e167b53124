"""The parts of the GPU launch path that need no GPU: the driver's loading and
its reasons (with the CUDA toolkit's real stub libcuda where no driver is
installed), the packing of a launch's arguments against the parameters of
the PTX that numjit compiles, and the device-array headers' arithmetic.
The launch itself is checked on a GPU by tests/gpu/run_checks.py."""
import ctypes
import os
import subprocess
import sys

import numpy as np
import pytest

from numjit import cuda, errors
from numjit.cuda import driver, gpu_abi, gpu_exceptions, gpu_launch, gpu_memory, rewrite

STUB = "/usr/local/cuda/lib64/stubs/libcuda.so"


def fill(a, b, flag, out):
    i = cuda.grid(1)
    if flag and i < out.shape[0]:
        out[i] = abs(a + b)


SCALAR_CASES = [
    ("float64", 1.5, 8), ("float32", np.float32(1.5), 4), ("int64", 7, 8), ("int32", np.int32(7), 4),
    ("int16", np.int16(3), 2), ("uint8", np.uint8(3), 1), ("uint64", np.uint64(3), 8),
    ("complex128", 1 + 2j, 16), ("complex64", np.complex64(1 + 2j), 8),
]


@pytest.mark.parametrize("name, value, size", SCALAR_CASES)
def test_scalar_parameters_match_the_compiled_kernel(name, value, size):
    ptx, _ = cuda.compile_ptx(fill, f"void({name}, {name}, boolean, float64[:])")
    sizes = gpu_abi.kernel_parameters(ptx, gpu_abi.entry_name(ptx))
    params = [gpu_abi.scalar_parameter(value), gpu_abi.scalar_parameter(value), gpu_abi.scalar_parameter(True),
              gpu_abi.array_parameter(0x7000, (5,), (8,))]
    assert sizes == [size, size, 1, 40]
    gpu_abi.check_parameters(params, sizes, "fill")
    assert gpu_abi.scalar_dtype(value) == np.dtype(name)


def copy_rows(src, dst):
    i, j = cuda.grid(2)
    if i < dst.shape[0] and j < dst.shape[1]:
        dst[i, j] = src[i, j]


@pytest.mark.parametrize("dtype", ["float64", "float32", "int32", "uint8", "complex128"])
@pytest.mark.parametrize("layout, order", [("[:, ::1]", "C"), ("[::1, :]", "F"), ("[:, :]", "C")])
def test_array_parameters_match_the_compiled_kernel(dtype, layout, order):
    ptx, _ = cuda.compile_ptx(copy_rows, f"void({dtype}{layout}, {dtype}{layout})")
    sizes = gpu_abi.kernel_parameters(ptx, "copy_rows")
    host = np.zeros((3, 4), dtype, order=order)
    params = [gpu_abi.array_parameter(0x1000, host.shape, host.strides) for _ in range(2)]
    gpu_abi.check_parameters(params, sizes, "copy_rows")
    assert sizes == [56, 56]


def test_array_parameter_holds_numjits_array_struct():
    a = np.empty((2, 3, 4), np.float32)[:, ::2]  # a strided view
    param = gpu_abi.array_parameter(0xABC000, a.shape, a.strides)
    assert list(param) == [0, 0, 0xABC000, 2, 2, 4, a.strides[0], a.strides[1], a.strides[2]]
    assert ctypes.sizeof(param) == 8 * (3 + 2 * 3)


def test_a_launch_that_does_not_match_the_kernel_is_refused():
    ptx, _ = cuda.compile_ptx(fill, "void(float64, float64, boolean, float64[:])")
    sizes = gpu_abi.kernel_parameters(ptx, "fill")
    wrong = [gpu_abi.scalar_parameter(np.float32(1)), gpu_abi.scalar_parameter(1.0),
             gpu_abi.scalar_parameter(True), gpu_abi.array_parameter(0, (1,), (8,))]
    with pytest.raises(TypeError, match="do not match the compiled kernel"):
        gpu_abi.check_parameters(wrong, sizes, "fill")
    with pytest.raises(ValueError, match="no kernel"):
        gpu_abi.kernel_parameters(ptx, "other")
    with pytest.raises(TypeError, match="cannot take"):
        gpu_abi.scalar_parameter("text")


def test_the_stub_driver_is_reported_as_no_driver():
    # The CUDA toolkit (ptxas, libdevice) is part of the set-up; its stub libcuda stands for a driver-less machine.
    gpu, reason = driver.open_driver(ctypes.CDLL(STUB))
    assert gpu is None
    assert "cuInit failed" in reason and "STUB_LIBRARY" in reason


def _load_in_subprocess(env):
    code = "from numjit.cuda import driver; g, why = driver.load(); print(g is None); print(why)"
    done = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, **env), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_cudasim_keeps_kernels_on_the_cpu():
    no_gpu, why = _load_in_subprocess({"NUMJIT_ENABLE_CUDASIM": "1"})
    assert no_gpu == "True" and why == "NUMJIT_ENABLE_CUDASIM=1"
    no_gpu, why = _load_in_subprocess({"NUMBA_ENABLE_CUDASIM": "1", "NUMJIT_ENABLE_CUDASIM": "0"})
    assert no_gpu == "True" and why == "NUMBA_ENABLE_CUDASIM=1"


def test_where_kernels_run_is_said(capsys):
    gpu, reason = driver.load()
    cuda.detect()
    said = capsys.readouterr().out
    if gpu is None:
        assert reason in said and "on the CPU" in said and not cuda.gpu_in_use()
    else:
        assert "run on GPU" in said and cuda.gpu_in_use()


class _Block:
    """Device memory's address alone: headers are built, never read."""
    pointer = 0x10000000


@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4)])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex64])
def test_headers_have_numpys_strides_and_view_addresses(shape, order, dtype):
    reference = np.empty(shape, dtype, order=order)
    strides = gpu_memory._contiguous_strides(shape, np.dtype(dtype).itemsize, order)
    assert strides == reference.strides
    h = gpu_memory.header(_Block(), shape, dtype, strides)
    assert h.shape == reference.shape and h.strides == reference.strides and h.dtype == reference.dtype
    assert gpu_memory.contiguous_order(h) == gpu_memory.contiguous_order(reference)
    assert gpu_memory.address(h) == _Block.pointer
    view = h[(slice(1, None),) + (slice(None),) * (len(shape) - 1)]
    assert gpu_memory.address(view) == _Block.pointer + reference.strides[0]
    assert gpu_memory.memory_of(view).pointer == _Block.pointer


def test_only_basic_indexing_reaches_a_gpu_header():
    assert gpu_memory.basic_index((1, slice(None), Ellipsis, None)) == (1, slice(None), Ellipsis, None)
    assert gpu_memory.basic_index(np.int64(2)) == (np.int64(2),)
    with pytest.raises(errors.UnsupportedError, match="integers, slices"):
        gpu_memory.basic_index(np.array([0, 1]))
    with pytest.raises(errors.UnsupportedError, match="not supported on the GPU"):
        gpu_memory.header(_Block(), (2,), np.dtype([("a", "f8")]))


class _Recorder:
    """Where the driver would be: hands out addresses and records the calls,
    so the launch path's Python (staging, packing, checking) runs here; the
    GPU itself is exercised by tests/gpu/run_checks.py."""
    compute_capability = (9, 0)

    FLAG_ADDRESS = 0x100000

    def __init__(self):
        self.calls, self.next = [], 0x200000
        self.flag = 0  # the kernel's error flag (gpu_exceptions.py), as the threads left it

    def global_address(self, module, name):
        self.calls.append(("global", name))
        return self.FLAG_ADDRESS

    def make_current(self):
        self.calls.append(("current",))

    def alloc(self, nbytes):
        self.next += -(-max(1, nbytes) // 256) * 256
        self.calls.append(("alloc", nbytes))
        return self.next

    def free(self, pointer):
        self.calls.append(("free", pointer))

    def load_module(self, text):
        self.calls.append(("module", gpu_abi.entry_name(text)))
        return text

    def function(self, module, name, shared):
        self.calls.append(("function", name, shared))
        return name

    def to_device(self, pointer, address, nbytes):
        if pointer == self.FLAG_ADDRESS:
            self.flag = ctypes.c_int32.from_address(address).value
            self.calls.append(("flag_set", self.flag))
            return
        self.calls.append(("to_device", nbytes))

    def to_host(self, address, pointer, nbytes):
        if pointer == self.FLAG_ADDRESS:
            ctypes.c_int32.from_address(address).value = self.flag
            self.calls.append(("flag_read",))
            return
        self.calls.append(("to_host", nbytes))

    def launch(self, function, griddim, blockdim, shared, params):
        self.calls.append(("launch", function, griddim, blockdim, shared, [ctypes.sizeof(p) for p in params]))

    def synchronize(self):
        self.calls.append(("sync",))


@cuda.jit
def scaled_copy(out, x, factor):
    shared = cuda.shared.array(32, np.float64)
    i = cuda.grid(1)
    shared[cuda.threadIdx.x % 32] = factor
    if i < out.size:
        out[i] = x[i] * shared[cuda.threadIdx.x % 32]


def test_a_gpu_launch_stages_packs_and_copies_back():
    gpu = _Recorder()
    x = np.arange(10.0)
    out = np.zeros(10)
    device_x = cuda.device_arrays.DeviceNDArray(gpu_memory.allocate(gpu, x.shape, x.dtype), True)
    gpu_launch.launch(scaled_copy, gpu, (1, 1, 1), (32, 1, 1), 64, (out, device_x, 2.0), lambda v: v)
    launches = [c for c in gpu.calls if c[0] == "launch"]
    own = rewrite.SharedLayout()
    own.place(32 * 8, 8)  # the kernel's shared array; device functions' arrays (if any) follow it
    shared = rewrite.block_shared_bytes(own, 64)
    assert launches == [("launch", "scaled_copy", (1, 1, 1), (32, 1, 1), shared, [40, 40, 8])]
    # out (a host array) went over and came back; x was already on the device.
    assert [c for c in gpu.calls if c[0] in ("to_device", "to_host")] == [("to_device", 80), ("to_host", 80)]
    assert gpu.calls.index(("sync",)) > gpu.calls.index(launches[0])
    # A second launch with the same types reuses the module; another shared size gets its function.
    gpu_launch.launch(scaled_copy, gpu, (1, 1, 1), (32, 1, 1), 0, (out, device_x, 2.0), lambda v: v)
    assert [c for c in gpu.calls if c[0] == "module"] == [("module", "scaled_copy")]
    assert ("function", "scaled_copy", rewrite.block_shared_bytes(own, 0)) in gpu.calls


def test_gpu_device_arrays_copy_through_the_driver():
    gpu = _Recorder()
    header = gpu_memory.allocate(gpu, (4, 6), np.float32, "F")
    device = cuda.device_arrays.DeviceNDArray(header, True)
    assert device.shape == (4, 6) and device.is_f_contiguous() and device.nbytes == 96
    device.copy_to_device(np.ones((4, 6), np.float32))
    host = device.copy_to_host()
    assert host.shape == (4, 6) and host.flags.f_contiguous
    column = device[:, 2]  # a basic view: a header too, nothing read
    assert isinstance(column, cuda.device_arrays.DeviceNDArray)
    assert gpu_memory.address(column._array) == gpu_memory.address(header) + 2 * 16
    device[1:3, 0] = 5.0  # contiguous in F order: one copy to the device
    assert ("to_device", 8) in gpu.calls
    with pytest.raises(errors.UnsupportedError, match="integers, slices"):
        device[[0, 1]]
    with pytest.raises(NotImplementedError):
        device.ravel()  # F-ordered: C order would copy


@cuda.jit(device=True)
def positive_root(v):
    if v < 0:
        raise ValueError("negative input", -1)
    return v ** 0.5


@cuda.jit
def roots(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = positive_root(x[i])


def test_a_gpu_launch_raises_what_a_thread_raised_and_clears_the_flag():
    gpu = _Recorder()
    x, out = np.array([4.0, -1.0]), np.zeros(2)
    gpu_launch.launch(roots, gpu, (1, 1, 1), (32, 1, 1), 0, (x, out), lambda v: v)
    assert ("global", gpu_exceptions.FLAG) in gpu.calls and ("flag_read",) in gpu.calls
    assert not any(c[0] == "flag_set" for c in gpu.calls)  # nothing raised: nothing to clear
    # As if a thread had reached the raise: the code the rewrite gave it.
    gpu.flag = gpu_exceptions.code_of(ValueError, ("negative input", -1))
    with pytest.raises(ValueError) as info:
        gpu_launch.launch(roots, gpu, (1, 1, 1), (32, 1, 1), 0, (x, out), lambda v: v)
    assert info.value.args == ("negative input", -1)
    assert gpu.flag == 0 and ("flag_set", 0) in gpu.calls
    assert gpu.calls.index(("flag_read",)) > gpu.calls.index(("sync",))
    # The copy back happened before the exception (what threads wrote is kept, as on the CPU).
    last_sync = len(gpu.calls) - 1 - gpu.calls[::-1].index(("sync",))
    assert ("to_host", 16) in gpu.calls[last_sync:]


def test_a_failed_check_of_numjits_own_raises_its_exception():
    from test_cuda_ptx import reshaped_rows

    gpu = _Recorder()
    x, out = np.arange(8.0), np.zeros(4)
    gpu_launch.launch(reshaped_rows, gpu, (1, 1, 1), (8, 1, 1), 0, (x, out, 4), lambda v: v)
    assert ("flag_read",) in gpu.calls  # a kernel with checks reads the flag
    gpu.flag = -1  # as if the reshape had found other sizes on the GPU
    with pytest.raises(ValueError, match="cannot reshape array into the requested shape") as info:
        gpu_launch.launch(reshaped_rows, gpu, (1, 1, 1), (8, 1, 1), 0, (x, out, 3), lambda v: v)
    assert type(info.value) is ValueError and gpu.flag == 0
    gpu.flag = -5  # a code no check of this kernel has
    with pytest.raises(RuntimeError, match="unknown check code -5"):
        gpu_launch.launch(reshaped_rows, gpu, (1, 1, 1), (8, 1, 1), 0, (x, out, 4), lambda v: v)


def test_check_descriptions_are_read_back_whole():
    ptx = ("ret;\n// numjit.check -1 ValueError two\\nlines and a \\\\ backslash\n"
           "// numjit.check -2 LinAlgError singular matrix\n// numjit.check -3 AxisError axis 2\n")
    checks = gpu_exceptions.checks_in(ptx)
    assert checks[-1] == ("ValueError", "two\nlines and a \\ backslash")
    assert isinstance(gpu_exceptions._exception_of_kind(*checks[-2]), np.linalg.LinAlgError)
    made = gpu_exceptions._exception_of_kind(*checks[-3])
    assert isinstance(made, np.exceptions.AxisError) and "axis 2" in str(made)


def test_a_kernel_without_raise_reads_no_flag():
    gpu = _Recorder()
    out, x = np.zeros(4), np.arange(4.0)
    gpu_launch.launch(scaled_copy, gpu, (1, 1, 1), (32, 1, 1), 0, (out, x, 2.0), lambda v: v)
    assert not any(c[0] in ("global", "flag_read") for c in gpu.calls)


def test_exception_codes_are_shared_and_unknown_codes_named():
    first = gpu_exceptions.code_of(IndexError, ("out of range",))
    assert gpu_exceptions.code_of(IndexError, ("out of range",)) == first
    assert gpu_exceptions.code_of(IndexError, ("another",)) != first
    made = gpu_exceptions.exception(first)
    assert type(made) is IndexError and made.args == ("out of range",)
    assert isinstance(gpu_exceptions.exception(10 ** 6), RuntimeError)


class _Memory(_Recorder):
    """A recorder whose device memory holds bytes (a host buffer at the
    device addresses), so copies of strided views can be checked for their values."""
    BASE = 0x200000

    def __init__(self):
        super().__init__()
        self.bytes = np.zeros(1 << 20, np.uint8)

    def _host(self, pointer, nbytes):
        assert self.BASE < pointer and pointer + nbytes <= self.BASE + self.bytes.size, "outside the allocations"
        return self.bytes.ctypes.data + (pointer - self.BASE)

    def to_device(self, pointer, address, nbytes):
        super().to_device(pointer, address, nbytes)
        ctypes.memmove(self._host(pointer, nbytes), address, nbytes)

    def to_host(self, address, pointer, nbytes):
        super().to_host(address, pointer, nbytes)
        ctypes.memmove(address, self._host(pointer, nbytes), nbytes)


VIEWS = {
    "column": lambda a: a[:, 2],
    "row": lambda a: a[1, :],
    "every-other-row": lambda a: a[::2],
    "reversed-columns": lambda a: a[:, ::-1],
    "reversed-steps": lambda a: a[::-2, 1::3],
    "transposed-block": lambda a: a.T[1:4, 2:5],
    "element-range": lambda a: a[2, 1:5],
}


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int16, np.complex128])
def test_strided_views_of_gpu_arrays_copy_both_ways(view, order, dtype):
    gpu = _Memory()
    host = np.asarray(np.arange(5 * 7).reshape(5, 7) * 3 - 20, order=order).astype(dtype, order=order)
    device = cuda.device_arrays.DeviceNDArray(gpu_memory.allocate(gpu, host.shape, dtype, order), True)
    device.copy_to_device(host)
    # Reading a view: its values, whatever its strides.
    np.testing.assert_array_equal(VIEWS[view](device).copy_to_host(), VIEWS[view](host))
    into = np.zeros(VIEWS[view](host).shape, dtype)
    VIEWS[view](device).copy_to_host(into)
    np.testing.assert_array_equal(into, VIEWS[view](host))
    # Writing a view: its elements change, and nothing between them.
    expected = host.copy(order="K")
    values = (np.arange(VIEWS[view](host).size).reshape(VIEWS[view](host).shape) + 1000).astype(dtype)
    VIEWS[view](expected)[...] = values
    target = VIEWS[view](device)
    target[...] = values
    np.testing.assert_array_equal(device.copy_to_host(), expected)
    VIEWS[view](expected)[...] = 7  # a scalar broadcasts
    VIEWS[view](device)[...] = 7
    np.testing.assert_array_equal(device.copy_to_host(), expected)
